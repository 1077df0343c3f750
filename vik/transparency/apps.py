"""Transparency: works-council dashboards, the employee's own overview, access requests,
the annual logging report, and retention."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    """Transparency towards the works council and the employees, and retention."""

    name = "vik.transparency"
    label = "transparency"
    verbose_name = _("Transparency")

    def ready(self) -> None:
        from vik import navigation
        from vik.roles import Capability
        from vik.transparency import checks  # noqa: F401 - registers the system checks

        privacy = _("Privacy")  # the core's section: one menu for everything about privacy
        navigation.register(
            navigation.NavEntry(
                # With the other apps' self-service pages (screening: "My screening").
                section=_("My data"),
                label=_("My data"),
                url_name="transparency:my_data",
                capability=Capability.USE_SELF_SERVICE,
                description=_("What VIK holds about you, and who looked at your data."),
                order=20,
            ),
            navigation.NavEntry(
                section=_("Works council"),
                label=_("Dashboard works council"),
                url_name="transparency:dashboard",
                capability=Capability.VIEW_AGGREGATES,
                description=_("Figures per unit and per quarter; no individuals, ever."),
                order=60,
            ),
            navigation.NavEntry(
                section=_("Works council"),
                label=_("Annual logging report"),
                url_name="transparency:report_list",
                capability=Capability.VIEW_AGGREGATES,
                description=_("Who accessed which part of VIK, how often and why, per year."),
                order=61,
            ),
            navigation.NavEntry(
                section=privacy,
                label=_("Requests for access"),
                url_name="transparency:access_request_list",
                capability=Capability.AUDIT_ACCESS_LOG,
                description=_("Employees' requests for a copy of their data (GDPR art. 15)."),
                pending=_open_requests,
                order=92,
            ),
            navigation.NavEntry(
                section=privacy,
                label=_("Disclosure deferrals"),
                url_name="transparency:deferral_list",
                capability=Capability.AUDIT_ACCESS_LOG,
                description=_("Where disclosure to an employee is deferred, and why."),
                order=93,
            ),
            navigation.NavEntry(
                section=_("Investigations"),
                label=_("Disclosure deferrals"),
                url_name="transparency:deferral_list",
                capability=Capability.DEFER_DISCLOSURE,
                description=_("Defer disclosure to an employee while a covert investigation runs."),
                order=70,
            ),
            navigation.NavEntry(
                section=privacy,
                label=_("Privacy settings"),
                url_name="transparency:privacy_settings",
                capability=Capability.AUDIT_ACCESS_LOG,
                description=_("What employees are told about who looked at their data."),
                order=95,
            ),
            navigation.NavEntry(
                section=privacy,
                label=_("Retention"),
                url_name="transparency:retention",
                capability=Capability.AUDIT_ACCESS_LOG,
                description=_("Retention periods, purges carried out and legal holds."),
                order=94,
            ),
            navigation.NavEntry(
                section=_("Administration"),
                label=_("Retention"),
                url_name="transparency:retention",
                capability=Capability.MANAGE_ORGANISATION,
                description=_("How long each kind of data is kept."),
                order=98,
            ),
        )


def _open_requests(user: object) -> int:
    from vik.transparency.selectors import access_requests_to_handle

    return access_requests_to_handle(user=user).filter(completed_at__isnull=True).count()  # type: ignore[arg-type]

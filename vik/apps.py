from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VikConfig(AppConfig):
    """The shared core: organisation, people, roles, the permission spine, the access log."""

    name = "vik"
    verbose_name = _("Organisation and people")

    def ready(self) -> None:
        from vik import (
            checks,  # noqa: F401 - registers the deployment checks
            lookups,
            navigation,
        )
        from vik.roles import Capability
        from vik.selectors import pending_role_request_count

        lookups.register()
        navigation.register(
            navigation.NavEntry(
                section=_("Organisation"),
                label=_("Employees"),
                url_name="vik:employee_list",
                capability=Capability.VIEW_EMPLOYEES,
                description=_("Look up employees of the units you serve."),
                order=80,
            ),
            navigation.NavEntry(
                section=_("Privacy"),
                label=_("Access log"),
                url_name="vik:access_log",
                capability=Capability.AUDIT_ACCESS_LOG,
                description=_("Who looked at whose data, when and under which role."),
                order=90,
            ),
            navigation.NavEntry(
                section=_("Privacy"),
                label=_("Conflicts of interest"),
                url_name="vik:conflict_list",
                capability=Capability.DECLARE_CONFLICT,
                description=_("Recuse yourself from a colleague you know personally."),
                order=91,
            ),
            # Role requests: the administrators ask (under Administration), the head of VIK
            # and the privacy officer decide (under Privacy, where their other audits are).
            navigation.NavEntry(
                section=_("Administration"),
                label=_("Role requests"),
                url_name="vik:role_request_list",
                capability=Capability.MANAGE_ORGANISATION,
                description=_(
                    "Roles that read personal data: requested by an administrator, approved "
                    "by a second person."
                ),
                pending=pending_role_request_count,
                order=97,
            ),
            navigation.NavEntry(
                section=_("Privacy"),
                label=_("Role requests"),
                url_name="vik:role_request_list",
                capability=Capability.APPROVE_ROLE_GRANTS,
                description=_("Approve or refuse a role that reads personal data, with a reason."),
                pending=pending_role_request_count,
                order=92,
            ),
            navigation.NavEntry(
                section=_("Privacy"),
                label=_("Grants and revokes"),
                url_name="vik:role_changes",
                capability=(Capability.AUDIT_ACCESS_LOG, Capability.MANAGE_ORGANISATION),
                description=_("Every role given or taken away, by whom, approved by whom, why."),
                order=93,
            ),
            navigation.NavEntry(
                section=_("Administration"),
                label=_("Administration"),
                url_name="admin:index",
                capability=Capability.MANAGE_ORGANISATION,
                description=_("Units, functions, employees and role assignments."),
                order=99,
            ),
        )

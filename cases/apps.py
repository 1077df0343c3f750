from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Cases: intake of reports, triage and internal investigations under the due-process protocol."""

    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from cases import selectors
        from vik import navigation
        from vik.roles import Capability, Role, register_admin_permissions

        navigation.register(
            navigation.NavEntry(
                section=_("Investigations"),
                label=_("Cases"),
                url_name="cases:case_list",
                capability=Capability.REGISTER_REPORTS,
                description=_("Reports to triage and the investigations you work on."),
                pending=selectors.cases_waiting_for,
                order=20,
            ),
            navigation.NavEntry(
                section=_("Investigations"),
                label=_("Register a report"),
                url_name="cases:report_create",
                capability=Capability.REGISTER_REPORTS,
                description=_("Intake of a report from any channel."),
                order=21,
            ),
            navigation.NavEntry(
                section=_("Investigations"),
                label=_("Deadlines"),
                url_name="cases:deadlines",
                capability=Capability.CONDUCT_INVESTIGATIONS,
                description=_("Your open terms, in working days."),
                pending=selectors.deadlines_due_for,
                order=22,
            ),
            navigation.NavEntry(
                section=_("Investigations"),
                label=_("Deadlines per investigator"),
                url_name="cases:deadlines",
                capability=Capability.TRIAGE_REPORTS,
                description=_("Open terms of every investigation you commissioned."),
                pending=selectors.deadlines_due_for,
                order=22,
            ),
            navigation.NavEntry(
                section=_("Investigations"),
                label=_("Triage figures"),
                url_name="cases:statistics",
                capability=Capability.TRIAGE_REPORTS,
                description=_("Triage outcomes and lead times, without names."),
                order=23,
            ),
            # The team chief's conversations after a case back to the line are listed with
            # those after a signal, under "Gesprekken" (registered by monitoring).
        )
        # The list of punishments, the Rijksrecherche criteria and the deputy commissioners
        # are data, kept by the functional administrator (never deleted: deactivated).
        register_admin_permissions(
            Role.ADMINISTRATOR,
            {
                f"cases.{action}_{model}"
                for action in ("view", "add", "change")
                for model in ("punishment", "rijksrecherchecriterion", "commissionerdeputy")
            },
        )

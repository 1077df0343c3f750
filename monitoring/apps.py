from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """Protective Monitoring: audit-log import, detection, signal review, conversations."""

    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from monitoring import selectors
        from monitoring.selectors.consent import SEE_PROTOCOL_CHANGES, awaiting_decision_count
        from monitoring.selectors.conversations import open_conversation_count
        from monitoring.selectors.protocol import protocol_unconfirmed_count
        from vik import navigation
        from vik.roles import Capability, Role, register_admin_permissions
        from vik.selectors import register_pseudonymised_items

        # The analyst sees signals under a pseudonym: a recusal that hides one is an
        # identity reveal in effect (vik.services.declare_conflict logs it as one).
        register_pseudonymised_items(selectors.pseudonymised_signal_count)

        # A signal forwarded to the commissioner of a matter with VIK and sent back once the
        # case closed returns to review (cases sends; it never imports monitoring).
        from cases.services import forwarded_signal_returned

        forwarded_signal_returned.connect(
            _reopen_returned_signal, dispatch_uid="monitoring.reopen_returned_signal"
        )

        section = _("Monitoring")
        navigation.register(
            navigation.NavEntry(
                section=section,
                label=_("Signals"),
                url_name="monitoring:signal_list",
                capability=Capability.REVIEW_SIGNALS,
                description=_("Signals of the units you monitor, highest score first."),
                pending=selectors.open_signal_count,
                order=10,
            ),
            navigation.NavEntry(
                section=section,
                label=_("Bursts"),
                url_name="monitoring:burst_list",
                capability=Capability.REVIEW_SIGNALS,
                description=_("One subject opened by many: the signals of a wave, together."),
                order=11,
            ),
            navigation.NavEntry(
                section=section,
                label=_("Reveal requests"),
                url_name="monitoring:reveal_list",
                capability=Capability.REVEAL_IDENTITY,
                description=_("Requests to reveal an identity that need a second analyst."),
                pending=selectors.pending_reveal_count,
                order=12,
            ),
            navigation.NavEntry(
                section=section,
                label=_("Feedback per indicator"),
                url_name="monitoring:feedback",
                # Analysts for their units; the administrator, who tunes, over all signals.
                capability=(Capability.REVIEW_SIGNALS, Capability.TUNE_DETECTION),
                description=_("How signals were decided, per indicator and month."),
                order=13,
            ),
            navigation.NavEntry(
                section=section,
                label=_("Calibration"),
                url_name="monitoring:calibration",
                capability=Capability.TUNE_DETECTION,
                description=_(
                    "What detection would flag per function on a delivery, and the scope rules "
                    "proposed to explain it."
                ),
                order=14,
            ),
            navigation.NavEntry(
                # Issue 11: a material change waits for the works council's consent.
                section=section,
                label=_("Protocol changes"),
                url_name="monitoring:protocol_changes",
                capability=SEE_PROTOCOL_CHANGES,
                description=_(
                    "Material changes to monitoring, proposed to the works council, and "
                    "what it decided."
                ),
                pending=awaiting_decision_count,
                order=16,
            ),
            navigation.NavEntry(
                # The union's condition: the protocol is made known against receipt.
                section=_("My data"),
                label=_("Monitoring protocol"),
                url_name="monitoring:protocol",
                capability=Capability.USE_SELF_SERVICE,
                description=_("How the use of the police systems is checked; confirm receipt."),
                pending=protocol_unconfirmed_count,
                order=21,
            ),
            navigation.NavEntry(
                # Both kinds in one place: after a signal, and after a case back to the line.
                section=_("Conversations"),
                label=_("Conversations"),
                url_name="monitoring:conversation_list",
                capability=Capability.HOLD_CONVERSATIONS,
                description=_(
                    "Conversations with employees of your teams, after a signal or a case "
                    "sent back to you: plan, invite, record."
                ),
                pending=open_conversation_count,
                order=15,
            ),
        )

        # The administrator tunes detection (capability ``tune_detection``) in the admin:
        # settings and need-to-know rules, and reads the import and detection records.
        # No signal, subject or event is ever shown there.
        register_admin_permissions(
            Role.ADMINISTRATOR,
            {
                "monitoring.view_indicatorsetting",
                "monitoring.change_indicatorsetting",
                "monitoring.view_monitoringparameter",
                "monitoring.change_monitoringparameter",
                "monitoring.view_scoperule",
                "monitoring.add_scoperule",
                "monitoring.change_scoperule",
                "monitoring.delete_scoperule",
                "monitoring.view_regionneighbour",
                "monitoring.add_regionneighbour",
                "monitoring.delete_regionneighbour",
                "monitoring.view_importbatch",
                "monitoring.view_detectionrun",
                "monitoring.view_retentionrun",
                "monitoring.view_assignment",
                "monitoring.view_monitoringprotocol",
                "monitoring.add_monitoringprotocol",
            },
        )


def _reopen_returned_signal(
    sender: object, *, reference: str, acting_user: object, **_: object
) -> None:
    from monitoring.services import reopen_returned_signal

    reopen_returned_signal(reference=reference, acting_user=acting_user)  # type: ignore[arg-type]

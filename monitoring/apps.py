from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """Protective Monitoring: audit-log import, detection, signals (review comes with issue 5)."""

    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from vik.roles import Role, register_admin_permissions

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
            },
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    """Screening: periodic and continuous screening and the duty to report (meldplicht)."""

    name = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from screening.navigation import register_navigation
        from vik.roles import Role, register_admin_permissions

        register_navigation()
        # The administrator keeps the re-screening policy; nobody else edits it.
        register_admin_permissions(
            Role.ADMINISTRATOR,
            {
                f"screening.{action}_screeningpolicy"
                for action in ("view", "add", "change", "delete")
            },
        )

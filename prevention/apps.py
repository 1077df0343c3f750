from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    """Prevention and advice: sessions for teams, advice, lessons, dilemmas, trends."""

    name = "prevention"
    verbose_name = _("Prevention and advice")

    def ready(self) -> None:
        from prevention.navigation import register_navigation
        from vik.roles import Role, register_admin_permissions

        register_navigation()
        # The administrator keeps the working agreements (terms); nobody else edits them.
        register_admin_permissions(
            Role.ADMINISTRATOR,
            {f"prevention.{action}_preventionsettings" for action in ("view", "change")},
        )

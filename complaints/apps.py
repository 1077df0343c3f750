from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """Complaints: citizens' complaints about police conduct."""

    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from complaints.navigation import register_navigation
        from vik.roles import Role, register_admin_permissions

        register_navigation()
        # The uniform classification is configuration the administrator keeps. Themes are
        # deactivated, never deleted: old complaints and yearly figures keep theirs.
        register_admin_permissions(
            Role.ADMINISTRATOR,
            {f"complaints.{action}_complainttheme" for action in ("view", "add", "change")},
        )

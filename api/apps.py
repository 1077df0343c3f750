from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API for the systems around VIK: service accounts, tokens, deliveries."""

    name = "api"
    verbose_name = _("API and service accounts")

    def ready(self) -> None:
        from api import schema  # noqa: F401 - registers the token scheme with drf-spectacular
        from vik.roles import Role, register_admin_permissions

        # The administrator creates service accounts and issues, rotates and revokes their
        # tokens. The roles of a service account are granted like anyone's (role assignments).
        register_admin_permissions(
            Role.ADMINISTRATOR,
            {
                "api.view_serviceaccount",
                "api.add_serviceaccount",
                "api.change_serviceaccount",
                "api.view_apitoken",
                "api.add_apitoken",
                "api.change_apitoken",
                "api.view_delivery",
            },
        )

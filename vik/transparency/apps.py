from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    """Transparency towards the works council and the employees, and retention."""

    name = "vik.transparency"
    label = "transparency"
    verbose_name = _("Transparency")

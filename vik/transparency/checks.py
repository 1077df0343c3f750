"""System checks: the providers must fit together before the app serves anything."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register()
def check_providers(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every provider imports, and no two claim the same measure, population or category."""
    from vik.transparency.registry import get_registry

    try:
        get_registry()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="transparency.E001")]
    return []

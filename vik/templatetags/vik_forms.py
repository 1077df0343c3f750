"""Template filters for the site's form templates (templates/forms/)."""

from __future__ import annotations

from typing import Any

from django import template

from vik.forms_rendering import any_required as _any_required

register = template.Library()


@register.filter
def any_required(fields: list[tuple[Any, Any]]) -> bool:
    """Whether a form shows a required field: then ``forms/div.html`` explains the asterisk."""
    return _any_required(fields)

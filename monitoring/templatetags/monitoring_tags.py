"""Small presentation helpers for the review pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

STATUS_CLASSES = {
    "new": "text-bg-primary",
    "in_review": "text-bg-info",
    "dismissed": "text-bg-secondary",
    "escalated": "text-bg-warning",
    "referred": "text-bg-danger",
    "closed": "text-bg-success",
    "withdrawn": "text-bg-light",
    "open": "text-bg-warning",
    "recorded": "text-bg-success",
    "requested": "text-bg-warning",
    "approved": "text-bg-success",
    "refused": "text-bg-secondary",
}


@register.filter
def status_class(status: str) -> str:
    """The Bootstrap badge class for a status."""
    return STATUS_CLASSES.get(str(status), "text-bg-light")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template (0 when missing)."""
    if not isinstance(mapping, dict):
        return 0
    return mapping.get(key, 0)

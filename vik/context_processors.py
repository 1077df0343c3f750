"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from vik.navigation import sections_for
from vik.selectors import capabilities_of, notifications_visible_to


def navigation(request: HttpRequest) -> dict[str, object]:
    """The navigation sections and the capabilities (``{% if "x" in capabilities %}``)."""
    return {
        "nav_sections": SimpleLazyObject(lambda: sections_for(request.user)),
        "capabilities": SimpleLazyObject(lambda: {c.value for c in capabilities_of(request.user)}),
        "unread_notifications": SimpleLazyObject(
            lambda: notifications_visible_to(user=request.user).filter(read_at__isnull=True).count()
        ),
    }

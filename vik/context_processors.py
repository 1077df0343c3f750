"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from vik import inbox
from vik.navigation import sections_for
from vik.selectors import capabilities_of


def fully_signed_in(request: HttpRequest) -> bool:
    """Signed in, and past the second factor where it is required.

    Between the password and the code the user is not yet who they claim: the page shows
    no menu of their roles, no name and no message count, only a way to sign out.
    """
    user = request.user
    if not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)  # set by django-otp's middleware
    return not settings.VIK_REQUIRE_2FA or bool(is_verified and is_verified())


def navigation(request: HttpRequest) -> dict[str, object]:
    """The navigation sections and the capabilities (``{% if "x" in capabilities %}``)."""
    if not fully_signed_in(request):
        return {
            "account_menu": False,
            "nav_sections": [],
            "capabilities": frozenset(),
            "inbox": None,
        }
    return {
        "account_menu": True,
        "nav_sections": SimpleLazyObject(lambda: sections_for(request.user)),
        "capabilities": SimpleLazyObject(lambda: {c.value for c in capabilities_of(request.user)}),
        # The menu's count: unread messages that need action, and the other unread ones.
        "inbox": SimpleLazyObject(lambda: inbox.counts_for(request.user)),
    }

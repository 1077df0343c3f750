"""The earlier addresses of the team chief's referrals back to the line.

The team chief's conversations — after a signal and after a case back to the line — are in
one list with one form now, in monitoring (``/monitoring/conversations/``: monitoring already
depends on cases; cases never imports monitoring, so these only name its URLs). The old
addresses, in bookmarks and earlier messages, lead there.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.views.generic import RedirectView

from cases.views.base import AnyCapabilityMixin
from vik.roles import Capability


class ReferralListRedirect(AnyCapabilityMixin, RedirectView):
    """To the team chief's conversations, showing those after a case back to the line."""

    required_capability = (Capability.HOLD_CONVERSATIONS,)

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        return reverse("monitoring:conversation_list") + "?source=line"


class ReferralDetailRedirect(AnyCapabilityMixin, RedirectView):
    """To the page of the conversation (which answers 404 when it is not the chief's)."""

    required_capability = (Capability.HOLD_CONVERSATIONS,)

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        return reverse("monitoring:referral_detail", args=[kwargs["pk"]])

"""Sign-in throttling: django-axes' database handler with a second, address-wide limit.

django-axes locks a *user name and address* pair after ``VIK_LOGIN_FAILURE_LIMIT`` failures
(``AXES_LOCKOUT_PARAMETERS``). On its own that lets one address try a few passwords against
every user name it knows (password spraying) without ever being locked. Locking on the address
alone at the same limit is no answer either: a police station's staff reach VIK from behind one
NAT-ed address, and five typos among them would lock the whole station out. So the address
gets a limit of its own, much higher, counted over every user name tried from it within the
cool-off time (``VIK_LOGIN_ADDRESS_FAILURE_LIMIT``; 0 switches it off).
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def address_failures(request: Any) -> int:
    """Failed sign-ins from the request's address within the cool-off time, any user name."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return int(total or 0)


class AddressAwareAxesHandler(AxesDatabaseHandler):
    """django-axes' database handler; an address over its own limit counts as locked out.

    Both places where axes decides (before authenticating, ``is_locked``; after a failure,
    ``user_login_failed``) read ``get_failures`` against ``AXES_FAILURE_LIMIT``, so the
    address-wide limit is applied there: once the address has failed
    ``VIK_LOGIN_ADDRESS_FAILURE_LIMIT`` times, every user name from it is refused until the
    cool-off time has passed — the right password included, as for the pair.
    """

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        failures = super().get_failures(request, credentials)
        address_limit = settings.VIK_LOGIN_ADDRESS_FAILURE_LIMIT
        if address_limit and address_failures(request) >= address_limit:
            return max(failures, get_failure_limit(request, credentials))
        return failures

"""Demo: a service account for trying the API, with two tokens printed at start-up.

Only in a DEBUG demo, and with documented tokens (like the demo logins' password): one
with every scope, one without ``monitoring:signals`` (to see a 403 with nothing in it).
Roles are granted through the same service as for people: administrator (deliveries,
detection, HR), analyst over every top-level unit (signals), investigator and complaint
handler over Amsterdam (intake).
"""

from __future__ import annotations

import random
from typing import TextIO

from django.conf import settings

from api import services
from api.models import ApiToken, Scope, ServiceAccount
from vik import services as core_services
from vik.models import Unit
from vik.roles import Role

ACCOUNT = "demo-koppeling"
DEMO_REASON = "Demo-gegevens"
# Secrets of the demo tokens: public, like the demo password; DEBUG only.
TOKENS = {
    "alle scopes": ("demoall", "demo-all-scopes-not-secret", list(Scope.values)),
    "zonder signalen": (
        "demonosignals",
        "demo-no-signals-not-secret",
        [scope for scope in Scope.values if scope != Scope.MONITORING_SIGNALS],
    ),
}


def seed(*, stdout: TextIO, rng: random.Random) -> None:
    """Create the demo service account and its tokens (idempotent); print the tokens."""
    del rng
    if not settings.DEBUG:
        return
    account = ServiceAccount.objects.filter(name=ACCOUNT).first()
    if account is None:
        account = services.create_service_account(
            name=ACCOUNT,
            description="Demo: een koppeling om de API te proberen (docs/api.md).",
            acting_user=None,
        )
    user = account.user
    grants: list[tuple[Role, Unit | None]] = [(Role.ADMINISTRATOR, None)]
    grants += [(Role.ANALYST, unit) for unit in Unit.objects.filter(parent__isnull=True)]
    amsterdam = Unit.objects.filter(code="AM").first()
    if amsterdam is not None:
        grants += [(Role.INVESTIGATOR, amsterdam), (Role.COMPLAINT_HANDLER, amsterdam)]
    for role, unit in grants:
        core_services.assign_role(
            user=user, role=role, unit=unit, acting_user=None, reason=DEMO_REASON
        )
    for name, (prefix, secret, scopes) in TOKENS.items():
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            services.issue_token(
                account=account,
                name=name,
                scopes=scopes,
                acting_user=None,
                secret=secret,
                prefix=prefix,
            )
        elif not token.is_usable():
            continue  # revoked or expired on purpose: not printed, not revived
        stdout.write(f"API token ({name}): {services.TOKEN_PREFIX}{prefix}_{secret}\n")
    stdout.write(
        f"API: service account {ACCOUNT!r}; documentation at "
        f"{settings.VIK_BASE_URL}/api/v1/docs/ (docs/api.md)\n"
    )

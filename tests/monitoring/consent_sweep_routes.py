"""Sweep expectations for the protocol-change pages (issue 11, point 3).

A proposal holds no personal data: it is seen by the roles with a part in it — the
administrator (who proposes), the head of VIK (who records the works council's decision),
the works council and the privacy officer (who follow it). Only the head of VIK records a
decision; only whoever could propose withdraws. Everyone else: 403.

The council's letter: a proposal without one answers 404 to those who may see it.
"""

from __future__ import annotations

from typing import Any

from tests.sweep import Route
from vik.roles import Role

R = Role
SEE = frozenset({R.VIK_HEAD, R.ADMINISTRATOR, R.COR_MEMBER, R.PRIVACY_OFFICER})


def proposal(world: Any) -> dict[str, int]:
    from monitoring.models import ProtocolChange
    from monitoring.services import ensure_detection_settings

    # Consent applies the change: the parameter must exist even after a transactional
    # test's flush emptied what the data migrations seeded.
    ensure_detection_settings()
    item = ProtocolChange.objects.create(
        kind=ProtocolChange.Kind.PARAMETER,
        target="off_duty.margin_minutes",
        current_value="90",
        proposed_value="30",
        rationale="Minder vals alarm: de COR wordt om instemming gevraagd.",
        proposed_by=world.user(R.ADMINISTRATOR),
    )
    return {"pk": item.pk}


def decision(world: Any) -> dict[str, str]:
    from django.utils import timezone

    return {
        "decision": "consented",
        "decided_on": timezone.localdate().isoformat(),
        "letter_reference": "COR/2026/047",
    }


ROUTES = [
    Route("monitoring:protocol_changes", SEE),
    Route("monitoring:protocol_change_detail", SEE, kwargs=proposal),
    Route(
        "monitoring:protocol_change_detail",
        frozenset({R.VIK_HEAD}),
        kwargs=proposal,
        method="post",
        data=decision,
        ok=302,
    ),
    Route(
        "monitoring:protocol_change_withdraw",
        frozenset({R.ADMINISTRATOR}),
        kwargs=proposal,
        method="post",
        ok=302,
    ),
    Route(
        "monitoring:protocol_change_letter",
        SEE,
        kwargs=proposal,
        overrides=dict.fromkeys(SEE, 404),
    ),
]

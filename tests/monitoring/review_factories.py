"""Signals made straight in the database for the review tests (detection has its own tests)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from monitoring.matching import pseudonym_for
from monitoring.models import IdentityReveal, Signal, SignalEvidence, SignalIndicator
from monitoring.periods import AMSTERDAM
from vik.models import Employee

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Figures every indicator's explanation can be rendered from (detection stores only its own).
DETAILS: dict[str, Any] = {
    "off_duty": 3,
    "margin_minutes": 90,
    "count": 3,
    "events": 3,
    "employment_end": "2026-01-01",
    "day": "2026-01-06",
    "employees": 50,
    "units": 12,
    "baseline": 1,
    "matches": ["address"],
    "home": 1,
    "street": 0,
    "region": "DH",
    "regions": ["DH"],
    "own_ratio": 5,
    "own_median": 20,
    "peer_ratio": 5,
    "peer_median": 20,
    "days": 4,
    "since": "2025-12-01",
}
WINDOW_START = datetime.date(2026, 10, 19)
WINDOW_END = datetime.date(2026, 11, 1)


def make_signal(
    employee: Employee,
    *,
    score: int | str = 20,
    window_start: datetime.date = WINDOW_START,
    codes: tuple[str, ...] = ("off_duty",),
    group_key: str = "",
    status: str = Signal.Status.NEW,
    evidence: bool = True,
) -> Signal:
    """A signal with one indicator per code and, per indicator, two evidence events."""
    signal = Signal.objects.create(
        employee=employee,
        pseudonym=pseudonym_for(employee.personnel_number),
        unit_id=employee.team_id or employee.unit_id,
        function_id=employee.function_id,
        window_start=window_start,
        window_end=window_start + datetime.timedelta(days=13),
        score=Decimal(str(score)),
        status=status,
    )
    for code in codes:
        SignalIndicator.objects.create(
            signal=signal,
            code=code,
            weight=10,
            severity=1,
            occurrences=3,
            score=Decimal(str(score)),
            details=DETAILS,
            group_key=group_key if code == "celebrity_burst" else "",
        )
        if evidence:
            for index in range(2):
                moment = datetime.datetime.combine(
                    window_start + datetime.timedelta(days=index + 1),
                    datetime.time(23, 15),
                    tzinfo=AMSTERDAM,
                )
                SignalEvidence.objects.create(
                    signal=signal,
                    indicator=code,
                    event_id=f"{code}-{signal.pk}-{index}",
                    occurred_at=moment,
                    system="BVH",
                    action="view",
                    subject_ref=f"SUBJ-{index}",
                    incident_ref=f"INC-{index}" if index else "",
                    workstation="WS-1",
                    duty_status="off_duty",
                    explanation="none",
                )
    return signal


def make_reveal(
    signal: Signal,
    requested_by: User,
    *,
    reason_category: str = IdentityReveal.ReasonCategory.WORK_REASON,
    reason: str = "Nodig voor de beoordeling van de raadplegingen.",
    status: str = IdentityReveal.Status.APPROVED,
    revealed_at: datetime.datetime | None = None,
) -> IdentityReveal:
    """A reveal as the services leave it (they are tested on their own): decided unless it
    waits, and ``revealed_at`` is the moment of the access log's ``reveal`` entry."""
    waiting = status == IdentityReveal.Status.REQUESTED
    return IdentityReveal.objects.create(
        signal=signal,
        requested_by=requested_by,
        reason_category=reason_category,
        reason=reason,
        status=status,
        decided_at=None if waiting else revealed_at or timezone.now(),
        revealed_at=revealed_at,
    )

"""Reads of Protective Monitoring that depend on who asks, and read helpers for exports.

:func:`signals_visible_to` is the one place where signals are scoped. An analyst sees the
signals of employees in the units they monitor (``UnitScope.MONITOR``, a grant on a unit
covers every unit below it) — never signals about themselves, nor about an employee they
are conflicted with (both via :func:`vik.selectors.employee_ids_in_scope`). Any other role,
a superuser included, sees nothing: a superuser has no need to know.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from monitoring.detection.config import load_config
from monitoring.detection.duty import RosterPeriod, build_timeline
from monitoring.models import (
    FollowUp,
    IdentityReveal,
    RosterEntry,
    Signal,
    SignalEvidence,
    SignalIndicator,
)
from vik.roles import Capability, UnitScope
from vik.selectors import employee_ids_in_scope, has_capability

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


def signals_visible_to(*, user: AnyUser) -> QuerySet[Signal]:
    """Signals ``user`` may review: their monitored units, minus themself and conflicts."""
    if not has_capability(user, Capability.REVIEW_SIGNALS):
        return Signal.objects.none()
    return Signal.objects.filter(
        employee_id__in=employee_ids_in_scope(user=user, scopes=UnitScope.MONITOR)
    )


def reveals_visible_to(*, user: AnyUser) -> QuerySet[IdentityReveal]:
    """Identity-reveal requests on the signals ``user`` may review (for four eyes)."""
    return IdentityReveal.objects.filter(
        signal_id__in=signals_visible_to(user=user).values("id")
    ).select_related("signal", "requested_by", "approved_by")


def followups_visible_to(*, user: AnyUser) -> QuerySet[FollowUp]:
    """Follow-up conversations a team chief holds: about employees of the teams they lead.

    Never about themself or an employee they are conflicted with (through
    :func:`vik.selectors.employee_ids_in_scope`). Any other role sees none here; analysts
    see the outcome on the signal, through :func:`signals_visible_to`.
    """
    if not has_capability(user, Capability.HOLD_CONVERSATIONS):
        return FollowUp.objects.none()
    return FollowUp.objects.filter(
        employee_id__in=employee_ids_in_scope(user=user, scopes=UnitScope.LEAD)
    ).select_related("employee", "employee__function", "team", "signal")


def signals_for_export(*, start: datetime.date, end: datetime.date) -> QuerySet[Signal]:
    """Signals whose window overlaps [start, end], for ``export_signals`` (operators only).

    Withdrawn signals (explained by later data) are left out. Indicators and evidence ids
    come prefetched, so the export runs in three queries whatever its size.
    """
    return (
        Signal.objects.filter(window_start__lte=end, window_end__gte=start)
        .exclude(status=Signal.Status.WITHDRAWN)
        .select_related("employee")
        .prefetch_related(
            Prefetch("indicators", queryset=SignalIndicator.objects.order_by("-score", "code")),
            Prefetch(
                "evidence",
                queryset=SignalEvidence.objects.order_by("occurred_at", "event_id").only(
                    "id", "signal_id", "event_id", "occurred_at"
                ),
            ),
        )
        .order_by("window_start", "-score", "id")
    )


def duty_segments(
    *, employee_id: int, start: datetime.datetime, end: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.datetime, str]]:
    """The roster lane of a timeline: (from, to, duty status) covering [start, end).

    Built exactly as detection sees it (same margin, same rule for a missing roster), so
    the review screens show why an access counted as off duty — or did not.
    """
    config = load_config()
    margin = config.number("off_duty.margin_minutes") * 60
    max_gap = config.number("off_duty.max_roster_gap_hours") * 3600
    reach = datetime.timedelta(seconds=max_gap + margin + 86400)
    periods = [
        RosterPeriod(entry_start.timestamp(), entry_end.timestamp(), kind)
        for entry_start, entry_end, kind in RosterEntry.objects.filter(
            employee_id=employee_id, start__lt=end + reach, end__gt=start - reach
        ).values_list("start", "end", "kind")
    ]
    timeline = build_timeline(periods, margin=margin, max_gap=max_gap)
    lower, upper = start.timestamp(), end.timestamp()
    result = []
    segments = timeline.segments() or [(lower, None, "unknown")]
    if segments[0][0] > lower:
        segments.insert(0, (lower, segments[0][0], "unknown"))
    for seg_start, seg_end, status in segments:
        left = max(seg_start, lower)
        right = upper if seg_end is None else min(seg_end, upper)
        if left < right:
            result.append(
                (
                    datetime.datetime.fromtimestamp(left, datetime.UTC),
                    datetime.datetime.fromtimestamp(right, datetime.UTC),
                    status,
                )
            )
    return result

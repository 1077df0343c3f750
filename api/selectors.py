"""Reads of the API app. What a service account sees is scoped like anyone's.

Deliveries and detection runs carry no personal data, but a service account still sees
only its own: another system's deliveries answer 404, like any object out of scope.
Signals come from monitoring's own :func:`~monitoring.selectors.signals_visible_to`.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from api.models import Delivery
from monitoring.models import DetectionRun, Signal, SignalEvidence, SignalIndicator
from monitoring.selectors import signals_visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


def deliveries_visible_to(*, user: AnyUser) -> QuerySet[Delivery]:
    """The deliveries of the service account that ``user`` is."""
    if not user.is_authenticated:
        return Delivery.objects.none()
    return Delivery.objects.filter(account__user=user).select_related("organisation_import")


def detection_runs_visible_to(*, user: AnyUser) -> QuerySet[DetectionRun]:
    """The detection runs ``user`` started."""
    if not user.is_authenticated:
        return DetectionRun.objects.none()
    return DetectionRun.objects.filter(requested_by=user)


def signals_for_api(*, user: AnyUser, start: datetime.date, end: datetime.date) -> QuerySet[Signal]:
    """The signals ``user`` may review whose window overlaps [start, end], export-ready.

    As ``export_signals``: withdrawn signals are left out; indicators and evidence come
    prefetched, so the export runs in three queries whatever its size.
    """
    return (
        signals_visible_to(user=user)
        .filter(window_start__lte=end, window_end__gte=start)
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

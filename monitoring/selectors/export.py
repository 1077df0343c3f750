"""Reads for the operators' signal export (``manage.py export_signals``)."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet

from monitoring.models import Signal, SignalEvidence, SignalIndicator


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

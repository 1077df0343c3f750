"""Monitoring's figures for /metrics (read at scrape time; see :mod:`vik.metrics`).

Counts only, never a person: signals by status, import rows per outcome, the durations of
finished detection runs, and conversations past their date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, F, Sum
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

from monitoring.models import DetectionRun, FollowUp, ImportBatch, Signal

DETECTION_BUCKETS = (60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0, 28800.0)
IMPORT_OUTCOMES = ("imported", "duplicates", "rejected", "updated", "unchanged")


def collect() -> Iterator[Metric]:
    signals = GaugeMetricFamily("vik_signals", "Monitoring signals by status.", labels=["status"])
    by_status = dict(Signal.objects.values_list("status").annotate(n=Count("id")))
    for status in Signal.Status.values:
        signals.add_metric([status], by_status.get(status, 0))
    yield signals

    rows = CounterMetricFamily(
        "vik_import_rows",
        "Rows of monitoring deliveries by kind and outcome (from the import records).",
        labels=["kind", "outcome"],
    )
    totals: dict[str, dict[str, Any]] = {
        row["kind"]: dict(row)
        for row in ImportBatch.objects.values("kind").annotate(
            **{outcome: Sum(outcome) for outcome in IMPORT_OUTCOMES}
        )
    }
    for kind in ImportBatch.Kind.values:
        for outcome in IMPORT_OUTCOMES:
            rows.add_metric([kind, outcome], float(totals.get(kind, {}).get(outcome) or 0))
    yield rows

    durations = [
        (finished - started).total_seconds()
        for started, finished in DetectionRun.objects.filter(
            finished_at__isnull=False, finished_at__gte=F("created_at")
        ).values_list("created_at", "finished_at")
        if finished is not None
    ]
    buckets = [
        (str(bound), sum(1 for seconds in durations if seconds <= bound))
        for bound in DETECTION_BUCKETS
    ]
    buckets.append(("+Inf", len(durations)))
    yield HistogramMetricFamily(
        "vik_detection_run_duration_seconds",
        "Duration of finished detection runs (start of planning to the last chunk).",
        buckets=buckets,
        sum_value=sum(durations),
    )
    running = GaugeMetricFamily("vik_detection_runs_running", "Detection runs not yet done.")
    running.add_metric([], DetectionRun.objects.filter(finished_at__isnull=True).count())
    yield running


def overdue_deadlines(*, today: datetime.date) -> dict[str, int]:
    return {
        "monitoring_followup": FollowUp.objects.filter(
            status=FollowUp.Status.OPEN, due_on__lt=today
        ).count()
    }

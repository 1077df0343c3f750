"""Phase 2, per day across all units: bursts of curiosity, and the peer groups' usual day.

A **burst** is one subject (or incident file) opened *without a work reason* by at least
``celebrity.min_employees`` employees from at least ``celebrity.min_units`` teams on one day,
far above its usual number of such openers (``celebrity.factor`` × (mean of the previous
``celebrity.baseline_days`` days + 1)). Employees with an assignment (the investigating
team) or with the need to know of their function (intake of that region) never count:
only unexplained openings are in the input. This needs every unit's day, which is why it
runs after phase 1 as its own chunk.

The **peer baseline** of a function on a day (median and 90th percentile of accesses per
active employee) is what the volume indicator, and the review screens, compare against.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count

from monitoring.detection.config import DetectionConfig
from monitoring.detection.writer import bulk_insert
from monitoring.models import DailyActivity, PeerBaseline, SubjectBurst, UnexplainedAccess
from vik.models import Employee


def find_bursts(*, day: datetime.date, config: DetectionConfig) -> list[tuple[object, ...]]:
    """The bursts of ``day`` as SubjectBurst rows (day, target, employees, teams, baseline)."""
    min_employees = config.integer("celebrity.min_employees")
    min_units = config.integer("celebrity.min_units")
    baseline_days = config.integer("celebrity.baseline_days")
    factor = config.number("celebrity.factor")
    candidates = dict(
        UnexplainedAccess.objects.filter(day=day)
        .values_list("target")
        .annotate(n=Count("employee_id", distinct=True))
        .filter(n__gte=min_employees)
        .values_list("target", "n")
    )
    if not candidates:
        return []
    openers: dict[str, set[int]] = defaultdict(set)
    for target, employee_id in UnexplainedAccess.objects.filter(
        day=day, target__in=list(candidates)
    ).values_list("target", "employee_id"):
        openers[target].add(employee_id)
    teams = {
        pk: team_id or unit_id
        for pk, team_id, unit_id in Employee.objects.filter(
            id__in={e for ids in openers.values() for e in ids}
        ).values_list("id", "team_id", "unit_id")
    }
    before: dict[str, int] = defaultdict(int)
    for target, n in (
        UnexplainedAccess.objects.filter(
            day__gte=day - datetime.timedelta(days=baseline_days),
            day__lt=day,
            target__in=list(candidates),
        )
        .values_list("target", "day")
        .annotate(n=Count("employee_id", distinct=True))
        .values_list("target", "n")
    ):
        before[target] += n
    rows: list[tuple[object, ...]] = []
    for target, n in candidates.items():
        units = len({teams.get(e) for e in openers[target]})
        usual = before[target] / baseline_days
        if units >= min_units and n >= factor * (usual + 1):
            rows.append((day, target, n, units, Decimal(str(round(usual, 2)))))
    return rows


def peer_baselines(*, day: datetime.date) -> list[tuple[object, ...]]:
    """Median and 90th percentile of accesses per active employee, per function, on ``day``."""
    per_function: dict[int | None, list[int]] = defaultdict(list)
    for function, events in DailyActivity.objects.filter(day=day, events__gt=0).values_list(
        "employee__function_id", "events"
    ):
        per_function[function].append(events)
    rows: list[tuple[object, ...]] = []
    for function_id, counts in per_function.items():
        counts.sort()
        median = float(statistics.median(counts))
        p90 = float(counts[min(len(counts) - 1, int(0.9 * len(counts)))])
        rows.append((function_id, day, len(counts), median, p90))
    return rows


BURST_FIELDS = ("day", "target", "employees", "units", "baseline")
PEER_FIELDS = ("function_id", "day", "employees", "median", "p90")


def bursts_and_peers_for_day(*, day: datetime.date, config: DetectionConfig) -> dict[str, int]:
    """Phase 2 for one day: replace the day's bursts and peer baselines (idempotent)."""
    bursts = find_bursts(day=day, config=config)
    peers = peer_baselines(day=day)
    with transaction.atomic():
        SubjectBurst.objects.filter(day=day).delete()
        PeerBaseline.objects.filter(day=day).delete()
        bulk_insert(SubjectBurst, BURST_FIELDS, bursts)
        bulk_insert(PeerBaseline, PEER_FIELDS, peers)
    return {"bursts": len(bursts), "peer_groups": len(peers)}

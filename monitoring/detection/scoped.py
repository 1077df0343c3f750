"""Look-ups by name that only a function's scope explains, of the subjects of a burst (round 17).

A regionally or nationally scoped analyst who searches a celebrity by name has the look-up
explained by the function's scope rule alone. With ``celebrity.scoped_join`` on, such a
look-up joins a burst of curiosity others made (``signals._scoped_in_bursts``, round 15).
Round 15 kept a row (``c:<subject>``) in the assessment for *every* such look-up — four
rows in five of the unexplained-access table on a delivery whose scoped staff search all day
— though only the few subjects of a real burst can use one. Round 16 looked them up per
bursts chunk for every subject with a burst row, most of them days a region was only busy
with its own subject (the blind delivery at 6,000: 18,428 rows, 24 with curious employees).

Here they are looked up **once per run, when all bursts are known** (the run moving from the
bursts phase to the signals phase): only for the subjects of a burst with curious employees,
over the days its span covers (a busy-only row that extends the span counts for the span),
from the access log of those days, and judged with the assessment's own
``Assessor.explain``. Kept, as ``c:<subject>`` rows of the unexplained-access table, are the
look-ups by name whose subject reason is the function's scope alone, and not those of an
employee who that day opened one of the person's incident files or the person within a file
(their own work touched the case). An assignment or a scope rule for the subject explains
the look-up otherwise (``explain`` says so). The signals phase does the rest, as in round 15.

Which spans are refreshed: those with a burst row of a day this run's bursts phase judged.
A span covering a day of the run's period has such a row (its last day is on or after it),
so every day the run re-assessed (which removed its rows) is covered; a span that only a
new day created or extended — backwards too, over days assessed on earlier nights — is
looked up over all its days. Rows of spans the run did not touch stay as an earlier run
wrote them; rows of a day no span covers any more are left alone and never used
(``_scoped_in_bursts`` counts a look-up only on a day of a burst).
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Q

from monitoring.detection.assess import REFS_KEPT, SCOPE_ONLY, SCOPED_LOOK, Assessor
from monitoring.detection.config import DetectionConfig
from monitoring.detection.context import (
    incident_regions_for,
    subjects_for,
)
from monitoring.detection.writer import bulk_insert
from monitoring.models import (
    AccessEvent,
    DetectionChunk,
    DetectionRun,
    SubjectBurst,
    UnexplainedAccess,
)
from monitoring.periods import AMSTERDAM, day_bounds

REACH = datetime.timedelta(days=31)  # as ``signals._bursts``: where a long burst began


def refresh_scoped_looks(run: DetectionRun, config: DetectionConfig) -> dict[str, Any]:
    """Replace the ``c:`` rows of the spans of bursts with curious employees that the run's
    bursts phase touched; returns figures for the run's statistics."""
    if not config.integer("celebrity.scoped_join"):
        return {}
    started, cpu = time.perf_counter(), time.process_time()
    judged_days = {
        day
        for day in DetectionChunk.objects.filter(
            run=run, phase=DetectionRun.Phase.BURSTS
        ).values_list("day", flat=True)
        if day is not None
    }
    if not judged_days:
        return {}
    wanted = _span_days(judged_days)
    rows = _scoped_rows(wanted, config) if wanted else []
    with transaction.atomic():
        for day, subjects in sorted(wanted.items()):
            UnexplainedAccess.objects.filter(
                day=day, target__in=[SCOPED_LOOK + ref for ref in sorted(subjects)]
            )._raw_delete(UnexplainedAccess.objects.db)
        bulk_insert(UnexplainedAccess, ("employee_id", "day", "target", "events", "refs"), rows)
    return {
        "scoped_days": len(wanted),
        "scoped_subjects": len({ref for refs in wanted.values() for ref in refs}),
        "scoped_rows": len(rows),
        "scoped_seconds": round(time.perf_counter() - started, 3),
        "scoped_cpu_seconds": round(time.process_time() - cpu, 3),
    }


def _span_days(judged_days: set[datetime.date]) -> dict[datetime.date, set[str]]:
    """day -> subjects: the days of the spans (consecutive burst rows of a subject, merged
    as ``signals._bursts`` merges them) that hold a row with curious employees and a row of
    a day in ``judged_days``."""
    first, last = min(judged_days), max(judged_days)
    # Only subjects with a burst of curiosity near the judged days: the busy-only rows of
    # every other subject are never read.
    curious = SubjectBurst.objects.filter(
        target__startswith="s:",
        employees__gt=0,
        day__gte=first - REACH,
        first_day__lte=last + REACH,
    ).values("target")
    per_target: dict[str, list[tuple[datetime.date, datetime.date, int]]] = defaultdict(list)
    for target, first_day, day, employees in (
        SubjectBurst.objects.filter(
            Q(target__in=curious), day__gte=first - 2 * REACH, first_day__lte=last + REACH
        )
        .order_by("target", "first_day", "day")
        .values_list("target", "first_day", "day", "employees")
    ):
        per_target[target].append((first_day or day, day, employees))
    wanted: dict[datetime.date, set[str]] = defaultdict(set)
    for target, rows in per_target.items():
        spans: list[list[Any]] = []  # [first day, last day, curious?, judged?]
        for first_day, day, employees in rows:
            if spans and first_day <= spans[-1][1] + datetime.timedelta(days=1):
                span = spans[-1]
                span[1] = max(span[1], day)
            else:
                span = [first_day, day, False, False]
                spans.append(span)
            span[2] = span[2] or employees > 0
            span[3] = span[3] or day in judged_days
        for start, end, has_curious, judged in spans:
            if not (has_curious and judged):
                continue
            day = start
            while day <= end:
                wanted[day].add(target[2:])
                day += datetime.timedelta(days=1)
    return dict(wanted)


def _scoped_rows(
    wanted: dict[datetime.date, set[str]], config: DetectionConfig
) -> list[tuple[Any, ...]]:
    """The ``c:`` rows (employee, day, target, events, refs) of the look-ups by name of the
    wanted subjects on the wanted days that only the function's scope explains."""
    refs = {ref for subjects in wanted.values() for ref in subjects}
    subjects = subjects_for(refs)
    incidents = sorted({i for ref in refs if (s := subjects.get(ref)) for i in s.incidents})
    # One read of each run of consecutive days' partitions (no index but the moment's:
    # docs/performance.md): the subjects' look-ups and their incident files opened, by known
    # employees.
    events: list[tuple[int, datetime.datetime, str, str, str]] = []
    for first, last in _runs(sorted(wanted)):
        start, _ = day_bounds(first)
        _, end = day_bounds(last)
        events += AccessEvent.objects.filter(
            Q(subject_ref__any=sorted(refs)) | Q(incident_ref__any=incidents),
            occurred_at__gte=start,
            occurred_at__lt=end,
            employee__isnull=False,
        ).values_list("employee_id", "occurred_at", "event_id", "subject_ref", "incident_ref")
    events.sort(key=lambda event: (event[0], event[1], event[2]))
    # (employee, day) -> incident files opened; look-ups by name of a wanted subject
    files: dict[tuple[int, datetime.date], set[str]] = defaultdict(set)
    looks: list[tuple[int, datetime.date, float, str, str]] = []
    for employee_id, occurred_at, event_id, subject_ref, incident_ref in events:
        day = _local_day(occurred_at)
        if incident_ref:
            files[(employee_id, day)].add(incident_ref)
        elif subject_ref in wanted.get(day, ()):
            looks.append((employee_id, day, occurred_at.timestamp(), event_id, subject_ref))
    looks = [
        look
        for look in looks
        if (s := subjects.get(look[4])) is None
        or files.get((look[0], look[1]), set()).isdisjoint(s.incidents)
    ]
    if not looks:
        return []
    low, _ = day_bounds(min(look[1] for look in looks))
    _, high = day_bounds(max(look[1] for look in looks))
    assessor = Assessor.for_lookups(
        employee_ids=(look[0] for look in looks),
        start=low,
        end=high,
        config=config,
        subjects=subjects,
        incident_regions=incident_regions_for(set()),
    )
    employees = assessor.employees
    opened: dict[tuple[int, datetime.date, str], list[Any]] = {}
    for employee_id, day, moment, event_id, subject_ref in looks:
        employee = employees.get(employee_id)
        if employee is None:
            continue
        _explanation, subject_reason, _incident = assessor.explain(
            employee, moment, subject_ref, ""
        )
        if subject_reason not in SCOPE_ONLY:
            continue
        ref = [event_id, moment, employee.timeline.status_at(moment)]
        item = opened.setdefault((employee_id, day, SCOPED_LOOK + subject_ref), [0, []])
        item[0] += 1
        if len(item[1]) < REFS_KEPT:
            item[1].append(ref)
    return [
        (employee_id, day, target, n, kept)
        for (employee_id, day, target), (n, kept) in sorted(opened.items())
    ]


def _runs(days: list[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """(first, last) of each run of consecutive days."""
    runs: list[tuple[datetime.date, datetime.date]] = []
    for day in days:
        if runs and day == runs[-1][1] + datetime.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(AMSTERDAM).date()

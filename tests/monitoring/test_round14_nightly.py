"""Issue 15, round 14: a night's fixed costs, pinned by small hand-built cases.

1. **Busy nights read in one query.** The volume rule's nights across midnight (round 13)
   are counted from the events of each candidate shift; the event store has no index by
   employee, so a query per night scanned its day partitions again. All candidates of a
   window are now read with one query, and the nights found are the same.
2. **Whom a new day's openings make a repeated-access case.** Worked out from the keys of
   the day's openings and only the lookback's openings that can count towards them, read
   from the index by employee and day that carries the target (migration 0022); it names
   the same employees as a reckoning over every opening of the lookback.
3. **No sort of the staff by name** when a run is planned, its contexts loaded, or a window
   judged (the model's default order: a sort of 6,000 names for a set).

The night stays identical to a full rerun: ``test_nightly_run.py`` and
``test_incremental_run.py``. No state is kept between nights (the index is maintained by
PostgreSQL with the table), so a day assessed again or imported again needs nothing new.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.detection import runner
from monitoring.detection.config import load_config
from monitoring.detection.context import reset_caches, subjects_for
from monitoring.detection.signals import WindowDetector, _repeat_keys
from monitoring.models import AccessEvent, Subject, SubjectIncident, UnexplainedAccess
from monitoring.periods import window_of
from tests.conftest import World
from tests.factories import EmployeeFactory
from tests.monitoring.conftest import Delivery, at, detect, indicators_of
from vik.models import Employee

pytestmark = pytest.mark.django_db


# --- 1. busy nights in one query ---------------------------------------------------------


def _night_shifts(delivery: Delivery, employee: Employee, spike_night: datetime.date) -> None:
    """Night shifts 23:00–07:00 from 12 October to 6 November, ten look-ups a night; on
    ``spike_night`` 60 before and 60 after midnight."""
    day = datetime.date(2026, 10, 12)
    while day <= datetime.date(2026, 11, 6):
        nxt = day + datetime.timedelta(days=1)
        delivery.shift(employee, at(day, "23:00"), at(nxt, "07:00"))
        before, after = (60, 60) if day == spike_night else (5, 5)
        for index in range(before):
            delivery.event(employee, at(day, "23:05") + datetime.timedelta(seconds=30 * index))
        for index in range(after):
            delivery.event(employee, at(nxt, "01:00") + datetime.timedelta(seconds=60 * index))
        day = nxt


def test_the_busy_nights_of_a_window_are_read_with_one_query(
    world: World, delivery: Delivery
) -> None:
    """Two night officers with a spike of 60 + 60 on different nights of one window: both
    nights are found — with the same counts as a read per night — from one query of the
    event store (before: one query per candidate night)."""
    other = EmployeeFactory(team=world.subject.team)
    nights = {world.subject.pk: datetime.date(2026, 10, 27), other.pk: datetime.date(2026, 10, 29)}
    _night_shifts(delivery, world.subject, nights[world.subject.pk])
    _night_shifts(delivery, other, nights[other.pk])
    delivery.detect()
    for employee in (world.subject, other):
        found = indicators_of(employee)["volume_spike"]
        assert (found["day"], found["events"]) == (nights[employee.pk].isoformat(), 120)

    first, last = window_of(
        datetime.date(2026, 10, 27), load_config().integer("signal.window_days")
    )
    detector = WindowDetector(units=None, window=(first, last), config=load_config(), run=None)
    event_table = AccessEvent._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        _busy, _history, found_nights = detector._volume_data(sorted(nights))
    assert sum(event_table in query["sql"] for query in queries.captured_queries) == 1
    by_employee = {(employee_id, day): per_day for employee_id, day, per_day, _ in found_nights}
    for employee_id, night in nights.items():
        assert sum(by_employee[(employee_id, night)].values()) == 120
    # The other nights of the window are candidates too (ten a night, under the minimum):
    # counted in the same query, none of them a busy night.
    assert len(found_nights) == 2


# --- 2. repeated access: whom a new day's openings concern ---------------------------------


def _reckoning_over_every_opening(
    detector: WindowDetector, fresh: list[datetime.date], since: datetime.date
) -> set[int]:
    """Every opening of the lookback keyed, per employee, against the keys of the fresh
    days' openings: the reckoning the night's reads must equal."""
    rows = list(
        UnexplainedAccess.objects.filter(
            employee_id__in=list(detector.employees), day__gte=since, day__lte=detector.last
        ).values_list("employee_id", "day", "target")
    )
    links = subjects_for({target[2:] for *_x, target in rows if target[:2] in ("s:", "p:")})
    fresh_keys: dict[int, set[str]] = defaultdict(set)
    for employee_id, day, target in rows:
        if day in fresh:
            fresh_keys[employee_id] |= _repeat_keys(target, links)
    days_of: dict[tuple[int, str], set[datetime.date]] = defaultdict(set)
    for employee_id, day, target in rows:
        for key in _repeat_keys(target, links) & fresh_keys.get(employee_id, set()):
            days_of[(employee_id, key)].add(day)
    min_days = detector.config.integer("repeated.min_days")
    return {employee_id for (employee_id, _k), days in days_of.items() if len(days) >= min_days}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_whom_a_new_days_openings_concern_equals_a_reckoning_over_every_opening(
    world: World, seed: int
) -> None:
    """Random openings of subjects, personal links and incidents whose people overlap: the
    night's reckoning (the keys of the day, the lookback's openings of those things only,
    read by array from the index) names exactly the employees a reckoning over every
    opening of the lookback names — organisation-wide and for one unit."""
    rng = random.Random(seed)
    staff = [EmployeeFactory(team=world.subject.team) for _ in range(12)]
    staff += [EmployeeFactory() for _ in range(3)]  # other units
    incidents = [f"I-{n}" for n in range(6)]
    for n in range(30):
        refs = rng.sample(incidents, rng.choice([0, 1, 1, 2]))
        subject = Subject.objects.create(
            ref=f"S-{n}", kind=Subject.Kind.PERSON, incident_refs=";".join(refs)
        )
        SubjectIncident.objects.bulk_create(
            SubjectIncident(subject=subject, incident_ref=ref) for ref in refs
        )
    first = datetime.date(2026, 11, 30)  # a signal window: 30 November - 13 December
    last = first + datetime.timedelta(days=13)
    rows = set()
    for employee in staff:
        for _ in range(rng.randint(3, 25)):
            day = first - datetime.timedelta(days=rng.randint(-13, 60))
            kind = rng.choice(["s:", "p:", "i:", "s:"])
            ref = rng.choice(incidents) if kind == "i:" else f"S-{rng.randint(0, 34)}"
            rows.add((employee.pk, day, kind + ref))
    UnexplainedAccess.objects.bulk_create(
        UnexplainedAccess(employee_id=e, day=d, target=t, events=1) for e, d, t in rows
    )
    config = load_config()
    since = last - datetime.timedelta(days=config.integer("repeated.lookback_days") - 1)
    named = set()
    for units in (None, [world.subject.unit_id]):
        detector = WindowDetector(units=units, window=(first, last), config=config, run=None)
        for fresh in ([first + datetime.timedelta(days=n)] for n in range(0, 14, 3)):
            reset_caches()
            night = detector._repeats_touched(fresh)
            assert night == _reckoning_over_every_opening(detector, fresh, since)
            named |= night
    assert named  # the comparison was not between empty sets


def test_the_index_of_unexplained_openings_by_employee_carries_the_target() -> None:
    """Migration 0022: the lookback's openings are read from the index alone."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'unexplained_employee_day_idx'"
        )
        (definition,) = cursor.fetchone()
    assert "(employee_id, day) INCLUDE (target)" in definition


# --- 3. no sort of the staff by name ------------------------------------------------------


def test_planning_a_night_and_judging_a_window_sort_no_staff_by_name(
    world: World, delivery: Delivery
) -> None:
    """Planning a run and setting up a window's judgement read the staff without the
    model's order by name (``context.py``'s own reads are its owner's)."""
    delivery.event(world.subject, at("2026-10-26", "10:00"), subject="S-1")
    delivery.load()
    detect(datetime.date(2026, 10, 19), datetime.date(2026, 10, 25))
    runner.reset_caches()
    day = datetime.date(2026, 10, 26)
    with CaptureQueriesContext(connection) as queries:
        run = runner.plan_run(start=day, end=day)
        WindowDetector(
            units=[world.subject.unit_id], window=window_of(day, 14), config=load_config(), run=run
        )
        WindowDetector(units=None, window=window_of(day, 14), config=load_config(), run=run)
    employee_table = world.subject._meta.db_table
    reads = [query["sql"] for query in queries.captured_queries if employee_table in query["sql"]]
    assert len(reads) >= 3
    assert not [sql for sql in reads if '"last_name" ASC' in sql]

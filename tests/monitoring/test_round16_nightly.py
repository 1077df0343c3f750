"""Issue 15, round 16: a night reads the routine's lookback from what earlier runs kept.

Whether a function's staff routinely work other regions' incident files is learned from
the fourteen days ending with the day judged (round 14, ``practice.*``). A night's run
learned it by scanning thirteen day partitions it had judged before: in the quiet
benchmark of 6 December the largest single cost of a night after the contexts. The
assessment now keeps each employee's files of other regions with the day's activity
(``DailyActivity.files_elsewhere``), and a run that only adds days reads the earlier days
there (:func:`monitoring.detection.context.use_stored_elsewhere`); a full run, a rerun and
any day with a row from before the files were kept read the access log as before.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.detection import context
from monitoring.models import DailyActivity, SignalIndicator
from monitoring.periods import days
from tests.conftest import World
from tests.monitoring.conftest import Delivery, detect
from tests.monitoring.test_round14_infostaff import (
    _BURST_DAYS,
    _information_staff,
    _six_look_at,
)

pytestmark = pytest.mark.django_db

FIRST = datetime.date(2026, 10, 19)
BURST = [datetime.date.fromisoformat(day) for day in _BURST_DAYS]
# The fortnight before the first night, judged: the whole lookback of every night.
JUDGED = BURST[0] - datetime.timedelta(days=14)


def _scans(queries: CaptureQueriesContext) -> int:
    """Scans of a day's access log for other regions' incident files."""
    return sum(
        "SELECT DISTINCT e.employee_id, e.incident_ref" in query["sql"]
        for query in queries.captured_queries
    )


def _night(day: datetime.date) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        run = detect(day, day)
    return _scans(queries), run


def _routine_week(delivery: Delivery) -> None:
    """Round 14's information staff (routine work in other regions' files the week
    before) and six of them at Amsterdam's major case over the three burst days."""
    staff = _information_staff(delivery)
    delivery.incident("I-AM-MAJOR", region="AM")
    _six_look_at(delivery, staff, incident="I-AM-MAJOR")
    delivery.load()


def test_the_days_activity_keeps_the_files_of_other_regions_opened(
    world: World, delivery: Delivery
) -> None:
    """After a run, each employee's activity of a day lists the other regions' incident
    files they opened (their own region's are no such file); none is ``[]``, not null."""
    _routine_week(delivery)
    detect(FIRST, BURST[-1])
    kept = {
        (row.employee.personnel_number, row.day): row.files_elsewhere
        for row in DailyActivity.objects.select_related("employee")
    }
    assert kept
    assert all(files is not None for files in kept.values())
    opened = [files for files in kept.values() if files]
    assert len(opened) == 20 * 4 + 6  # four routine days of twenty, the six at the case
    assert all(ref.startswith("I-") and "-OWN-" not in ref for files in opened for ref in files)


def test_the_kept_files_are_what_the_access_log_gives(world: World, delivery: Delivery) -> None:
    """Every day's kept files, per employee, equal the reckoning from the access log that a
    full run makes (:func:`files_elsewhere_on`): the night and the full rerun learn the same."""
    _routine_week(delivery)
    detect(FIRST, BURST[-1])
    for day in days(FIRST, BURST[-1]):
        kept = {
            employee_id: frozenset(files)
            for employee_id, files in DailyActivity.objects.filter(day=day).values_list(
                "employee_id", "files_elsewhere"
            )
            if files
        }
        context.reset_caches()
        assert kept == context.files_elsewhere_on(day), day


def test_a_night_reads_the_lookback_it_judged_before_from_the_kept_activity(
    world: World, delivery: Delivery
) -> None:
    """Night by night over the burst days, each night scans its own day only (before:
    the whole lookback, fourteen scans) and learns the same routine: no burst, as in one
    run over the whole period (``test_round14_infostaff``)."""
    _routine_week(delivery)
    detect(JUDGED, BURST[0] - datetime.timedelta(days=1))
    for day in BURST:
        scans, run = _night(day)
        assert run.stats.get("new_days") == [day.isoformat()]
        assert scans == 1
    assert not SignalIndicator.objects.filter(code="celebrity_burst").exists()


def test_a_day_kept_before_the_files_were_is_read_from_the_access_log(
    world: World, delivery: Delivery
) -> None:
    """Rows written before the files were kept (null) are no answer: that day is scanned
    as before, and the routine is the same."""
    _routine_week(delivery)
    detect(JUDGED, BURST[0] - datetime.timedelta(days=1))
    DailyActivity.objects.filter(day=datetime.date(2026, 10, 20)).update(files_elsewhere=None)
    scans, _ = _night(BURST[0])
    assert scans == 2
    assert not SignalIndicator.objects.filter(code="celebrity_burst").exists()


def test_a_rerun_reads_the_access_log(world: World, delivery: Delivery) -> None:
    """A run over days judged before is a rerun: everything is read from the access log
    (the kept files could be older than a late delivery of that day)."""
    _routine_week(delivery)
    detect(FIRST, BURST[-1])
    with CaptureQueriesContext(connection) as queries:
        run = detect(BURST[-1], BURST[-1])
    assert not run.stats.get("new_days")
    assert _scans(queries) == 14

"""Issue 15, round 17: a night's fixed costs, pinned by small hand-built cases.

1. **Busy nights: only the shifts that can hold one are read.** A shift across midnight is
   a busy night only when its two calendar days hold ``volume.min_events`` accesses
   together (the employees' daily activity, read before the rosters). The roster is read
   only for employees with such a pair of days in the window, and only their shifts
   across the midnight between such a pair: a superset of what the test per shift keeps,
   so the nights found are the same (before: every shift of every candidate employee of
   the window, some 40,000 rows of a night's re-judging, each turned into local dates).

The night stays identical to a full rerun: ``test_nightly_run.py`` and
``test_incremental_run.py``.
"""

from __future__ import annotations

import datetime

import pytest

from monitoring.detection.config import load_config
from monitoring.detection.signals import WindowDetector, _two_days_reach
from monitoring.periods import window_of
from tests.conftest import World
from tests.factories import EmployeeFactory
from tests.monitoring.conftest import Delivery, at, indicators_of
from vik.models import Employee

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_days_whose_pair_reaches_the_minimum() -> None:
    days = {D(2026, 10, 5): 50, D(2026, 10, 6): 50, D(2026, 10, 9): 100, D(2026, 10, 12): 99}
    found = _two_days_reach(days, D(2026, 10, 5), D(2026, 10, 11), 100)
    # 5+6 together; 8 (none) + 9 (100); 9 alone with the 10th (none); the 12th is past the
    # window's last day as a first day, and 11 + 12 holds 99.
    assert found == {D(2026, 10, 5), D(2026, 10, 8), D(2026, 10, 9)}
    assert _two_days_reach({}, D(2026, 10, 5), D(2026, 10, 11), 1) == set()


def _nights(delivery: Delivery, employee: Employee, spike: D, first: D, last: D) -> None:
    """Night shifts 23:00–07:00, ten look-ups a night; on ``spike`` 60 before and 60 after
    midnight."""
    day = first
    while day <= last:
        nxt = day + datetime.timedelta(days=1)
        delivery.shift(employee, at(day, "23:00"), at(nxt, "07:00"))
        before, after = (60, 60) if day == spike else (5, 5)
        for index in range(before):
            delivery.event(employee, at(day, "23:05") + datetime.timedelta(seconds=30 * index))
        for index in range(after):
            delivery.event(employee, at(nxt, "01:00") + datetime.timedelta(seconds=60 * index))
        day = nxt


def test_busy_nights_found_from_the_shifts_that_can_hold_one(
    world: World, delivery: Delivery
) -> None:
    """A night officer with a spike on the night the clocks go back (24/25 October 2026),
    a colleague with a spike on an ordinary night, and a day officer with as many look-ups
    on a day shift (no midnight: never a night): the two nights are found, with their
    counts, and nothing else."""
    night_owl, other = world.subject, EmployeeFactory(team=world.subject.team)
    day_worker = EmployeeFactory(team=world.subject.team)
    spikes = {night_owl.pk: D(2026, 10, 24), other.pk: D(2026, 10, 21)}
    _nights(delivery, night_owl, spikes[night_owl.pk], D(2026, 10, 12), D(2026, 11, 6))
    _nights(delivery, other, spikes[other.pk], D(2026, 10, 12), D(2026, 11, 6))
    day = D(2026, 10, 12)
    while day <= D(2026, 11, 6):
        delivery.shift(day_worker, at(day, "07:00"), at(day, "15:00"))
        for index in range(120 if day == D(2026, 10, 22) else 10):
            delivery.event(day_worker, at(day, "08:00") + datetime.timedelta(seconds=60 * index))
        day += datetime.timedelta(days=1)
    delivery.detect()
    for employee in (night_owl, other):
        found = indicators_of(employee)["volume_spike"]
        assert (found["day"], found["events"]) == (spikes[employee.pk].isoformat(), 120)

    config = load_config()
    first, last = window_of(D(2026, 10, 22), config.integer("signal.window_days"))
    detector = WindowDetector(units=None, window=(first, last), config=config, run=None)
    _busy, _history, nights = detector._volume_data(sorted([night_owl.pk, other.pk, day_worker.pk]))
    found_nights = {
        (employee_id, day): sum(per_day.values()) for employee_id, day, per_day, _ in nights
    }
    # The window of 19 October – 1 November holds both nights; the day shift's busy day
    # and the quiet nights (ten look-ups) are none.
    assert first <= min(spikes.values())
    assert max(spikes.values()) <= last
    assert found_nights == dict.fromkeys(spikes.items(), 120)

"""Issue 15, round 15: a night's detection builds only what the night judges.

1. **Contexts only for the employees with an event that day.** A run over one day (the
   nightly run) assesses events and nobody else: the contexts of staff without an event
   that day were built for nothing (a third or more of the staff on a night). The contexts
   that are built are the same as in a load of the whole unit — an employee's timeline
   reads the team's rosters whoever else is loaded — and a reader that misses an employee
   later loads them for that day, which in a one-day run is the run's period.

The night stays identical to a full rerun: ``test_nightly_run.py`` and
``test_incremental_run.py`` run on the same code. Nothing is kept between nights.
"""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Q

from monitoring.detection import runner
from monitoring.detection.config import load_config
from monitoring.detection.context import load_employees
from monitoring.models import DetectionRun
from monitoring.periods import day_bounds
from tests.conftest import World
from tests.factories import EmployeeFactory
from tests.monitoring.conftest import Delivery, at, detect, indicators_of
from vik.models import Employee

pytestmark = pytest.mark.django_db

NIGHT = datetime.date(2026, 10, 28)


def _office_team(delivery: Delivery, world: World) -> list[Employee]:
    """The subject and two colleagues on office hours; only the subject and one colleague
    open anything on the night."""
    resting = EmployeeFactory(unit=world.subject.unit, team=world.subject.team)
    for employee in (world.subject, world.colleague, resting):
        delivery.office_weeks(employee)
    for day in (datetime.date(2026, 10, 26), datetime.date(2026, 10, 27), NIGHT):
        delivery.event(world.subject, at(day, "10:00"))
        delivery.event(world.colleague, at(day, "11:00"))
    # The subject looks someone up at night: off duty, on the night itself.
    for minute in range(0, 50, 5):
        delivery.event(world.subject, at(NIGHT, "23:00") + datetime.timedelta(minutes=minute))
    delivery.event(resting, at(datetime.date(2026, 10, 27), "10:00"))
    return [world.subject, world.colleague, resting]


def test_a_nights_run_builds_contexts_only_for_the_employees_with_an_event_that_day(
    world: World, delivery: Delivery
) -> None:
    """The night's assessment holds contexts for the two who opened something that day,
    not for their colleague who rested (before: every employee of the unit)."""
    subject, colleague, resting = _office_team(delivery, world)
    delivery.load()
    detect(datetime.date(2026, 10, 19), NIGHT - datetime.timedelta(days=1))
    night = detect(NIGHT, NIGHT)
    assert night.phase == DetectionRun.Phase.DONE
    run = DetectionRun.objects.get(pk=night.pk)
    units = runner._unit_contexts(run, [subject.unit_id], load_config(), day=NIGHT)
    loaded = units[subject.unit_id]
    assert subject.pk in loaded
    assert colleague.pk in loaded
    assert resting.pk not in loaded
    # A run over more days (the fortnight) still loads the whole unit.
    runner.reset_caches()
    wide = DetectionRun.objects.create(
        period_start=NIGHT - datetime.timedelta(days=1), period_end=NIGHT, stats={}
    )
    assert (
        resting.pk
        in runner._unit_contexts(wide, [subject.unit_id], load_config(), day=NIGHT)[subject.unit_id]
    )


def test_the_contexts_of_the_few_equal_those_of_a_whole_unit_load(
    world: World, delivery: Delivery
) -> None:
    """Timeline, assignments and scope of each employee loaded are the same whether the
    load asked for the active employees only or for the whole unit."""
    subject, colleague, resting = _office_team(delivery, world)
    delivery.load()
    start, end = day_bounds(NIGHT)
    config = load_config()
    whole = load_employees(
        employee_filter=Q(unit_id=subject.unit_id), start=start, end=end, config=config
    )
    few = load_employees(
        employee_filter=Q(id__in=[subject.pk, colleague.pk]), start=start, end=end, config=config
    )
    assert resting.pk in whole
    assert resting.pk not in few
    for employee_id, context in few.items():
        other = whole[employee_id]
        assert (context.timeline.bounds, context.timeline.statuses) == (
            other.timeline.bounds,
            other.timeline.statuses,
        )
        assert context.assignments == other.assignments
        assert (context.fixed_scope, context.timed_scopes) == (
            other.fixed_scope,
            other.timed_scopes,
        )
        assert (context.surname, context.surname_common, context.family_addresses) == (
            other.surname,
            other.surname_common,
            other.family_addresses,
        )


def test_a_nights_signal_equals_a_full_rerun(world: World, delivery: Delivery) -> None:
    """The night's off-duty signal of the subject: the same detected night by night as over
    the whole period at once."""
    _office_team(delivery, world)
    delivery.load()
    detect(datetime.date(2026, 10, 19), NIGHT - datetime.timedelta(days=1))
    detect(NIGHT, NIGHT)
    nightly = indicators_of(world.subject)
    assert nightly, "the night's accesses off duty make a signal"
    runner.reset_caches()
    detect(datetime.date(2026, 10, 19), NIGHT)
    assert indicators_of(world.subject) == nightly

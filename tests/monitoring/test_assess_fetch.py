"""Phase 1 reads a day's events column-wise per employee: the same events, in the same order,
as reading them row by row through the ORM — also when a value needs COPY's escaping."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Q

from monitoring.detection import context
from monitoring.detection.assess import (
    Assessor,
    _groups_from_copy,
    _groups_from_orm,
    fetch_event_groups,
    fetch_events,
    group_events,
)
from monitoring.detection.context import load_employees
from monitoring.detection.runner import config_of
from monitoring.models import DetectionRun
from monitoring.periods import day_bounds
from tests.conftest import World
from tests.monitoring.conftest import Delivery, at

DAY = datetime.date(2026, 10, 21)


def test_copy_output_is_split_into_columns_per_employee() -> None:
    text = (
        "7\t1761000000.5\tev-1\tS-1\t\n"
        "7\t1761000001\tev-2\t\tI-1\n"
        "9\t1761000002.25\tev-3\tS-2\tI-2\n"
    )
    assert _groups_from_copy(text) == [
        (7, [1761000000.5, 1761000001.0], ["ev-1", "ev-2"], ["S-1", ""], ["", "I-1"]),
        (9, [1761000002.25], ["ev-3"], ["S-2"], ["I-2"]),
    ]
    assert _groups_from_copy("") == []


def test_copy_escapes_are_undone() -> None:
    # COPY writes a backslash, tab or newline inside a value as an escape sequence.
    text = "7\t1761000000\tev-1\tS\\\\1\tI\\t2\n7\t1761000001\tev-2\tS\\n3\t\n"
    assert _groups_from_copy(text) == [
        (7, [1761000000.0, 1761000001.0], ["ev-1", "ev-2"], ["S\\1", "S\n3"], ["I\t2", ""])
    ]


def test_groups_and_rows_are_the_same_events() -> None:
    rows = [
        [3, 1.0, "a", "S-1", ""],
        [3, 2.0, "b", "", "I-1"],
        [5, 1.5, "c", "S-2", "I-2"],
    ]
    groups = group_events(rows)
    assert groups == [
        (3, [1.0, 2.0], ["a", "b"], ["S-1", ""], ["", "I-1"]),
        (5, [1.5], ["c"], ["S-2"], ["I-2"]),
    ]


@pytest.mark.django_db
def test_fetched_through_copy_as_through_the_orm(world: World, delivery: Delivery) -> None:
    """Same events, same order (time, then event id on a tie), same epoch seconds."""
    delivery.office_weeks(world.subject)
    for employee in (world.subject, world.colleague):
        delivery.event(employee, at(DAY, "09:00"), subject="S-1", event_id=f"z-{employee.pk}")
        delivery.event(employee, at(DAY, "09:00"), incident="I-1", event_id=f"a-{employee.pk}")
        delivery.event(employee, at(DAY, "10:15"), event_id=f"m-{employee.pk}")
        delivery.event(employee, at(DAY, "23:59"), subject="S\\odd", event_id=f"q-{employee.pk}")
    delivery.event(world.outsider, at(DAY, "11:00"), subject="S-2")
    delivery.event(world.subject, at(DAY + datetime.timedelta(days=1), "00:01"), subject="S-3")
    delivery.load()
    start, end = day_bounds(DAY)
    ids = [world.colleague.pk, world.subject.pk]
    fetched = fetch_event_groups(employee_ids=ids, start=start, end=end)
    reference = _groups_from_orm(employee_ids=ids, unit_id=None, start=start, end=end)
    assert fetched == reference
    assert [group[0] for group in fetched] == sorted(ids)
    assert all(len(group[1]) == 4 for group in fetched)
    first = fetched[0]
    assert first[2][:2] == [f"a-{first[0]}", f"z-{first[0]}"]  # a tie in time: by event id
    assert "S\\odd" in first[3]
    assert fetch_events(employee_ids=ids, start=start, end=end) == [
        [employee_id, *event]
        for employee_id, *columns in reference
        for event in zip(*columns, strict=True)
    ]


@pytest.mark.django_db
def test_judging_groups_as_judging_events_one_by_one(world: World, delivery: Delivery) -> None:
    """The column-wise path gives the rows the per-event path gives (same order too)."""
    delivery.office_weeks(world.subject)
    delivery.subject("S-COLL", employee=world.colleague)
    delivery.lookups(world.subject, at(DAY, "21:30"), 3, "off")
    delivery.event(world.subject, at(DAY, "10:00"), subject="S-COLL")
    delivery.event(world.colleague, at(DAY, "10:00"), incident="I-9")
    delivery.detect()
    run = DetectionRun.objects.get()
    config = config_of(run)
    start, end = day_bounds(DAY)
    employees = load_employees(
        employee_filter=Q(unit_id=world.subject.unit_id), start=start, end=end, config=config
    )
    groups = fetch_event_groups(employee_ids=list(employees), start=start, end=end)
    events = [
        [employee_id, *event]
        for employee_id, *columns in groups
        for event in zip(*columns, strict=True)
    ]
    assessor = Assessor(employees=employees, groups=groups, config=config)
    assert assessor.events == events
    by_groups = assessor.run(DAY)
    by_events = Assessor(employees=employees, events=events, config=config).run(DAY)
    assert by_groups == by_events
    activity, _unexplained, findings = by_groups
    assert sum(row[2] for row in activity) == len(events)
    assert {finding[2] for finding in findings} >= {"off_duty", "colleague_lookup"}


@pytest.mark.django_db
def test_a_full_subject_cache_never_answers_unknown_for_a_subject_it_emptied(
    world: World, delivery: Delivery, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A national subject table is looked up by reference into a bounded cache; when adding
    # to it empties it, the answer must still hold every subject asked for.
    for n in range(6):
        delivery.subject(f"S-{n}", last_name=f"Naam{n}")
    delivery.load()
    context.reset_caches()
    context.preload_subjects(wanted=False)
    monkeypatch.setattr(context.SUBJECTS, "limit", 4)
    first = context.subjects_for({"S-0", "S-1", "S-2"})
    assert all(first.values())
    both = context.subjects_for({"S-0", "S-1", "S-3", "S-4"})  # the cache empties on adding
    assert all(both.values()), both
    assert context.subjects_for({"S-NONE"}) == {"S-NONE": None}
    context.reset_caches()

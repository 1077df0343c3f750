"""Round 11 of issue 10: the celebrity-burst classes of the blind delivery, each pinned by a
small hand-built case — and what must stay flagged around each fix.

1. the evidence that no work reaches an opener (staff whose work opens no subjects) reads
   the opener's working period, not the calendar day: a night shift's first look-up at
   23:05 has the shift's work after midnight.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from monitoring.models import SignalIndicator
from tests.conftest import World
from tests.monitoring.conftest import Delivery, at, detect, indicators_of
from tests.monitoring.test_failure_classes import (
    FAR,
    _at_work,
    _one_region_and_support,
    _region_staff,
)
from vik.models import Employee

pytestmark = pytest.mark.django_db

D = datetime.date


def _night(delivery: Delivery, employee: Employee, day: str, clock: str) -> None:
    """A night shift 23:00 – 07:00 from ``day``, whose first look-up (at ``clock``) opens
    the fresh incident and whose work after midnight opens other incidents of the region."""
    start = at(day, "23:00")
    delivery.shift(employee, start, start + datetime.timedelta(hours=8))
    delivery.event(employee, at(day, clock), incident="I-FRESH")
    for hour in (1, 3):
        ref = delivery.incident(f"I-NIGHT-{employee.personnel_number}-{hour}", region="AM")
        delivery.assign(employee, ref)
        delivery.event(employee, start + datetime.timedelta(hours=hour), incident=ref)


def _fresh_incident(delivery: Delivery, staff: list[Employee]) -> list[Employee]:
    """A fresh incident of the only region, opened once each on 23 October (the first day
    the delivery holds anything of these employees) by four of its patrol at work: an
    ordinary incident file of the region's own work. Returns the patrol."""
    delivery.incident("I-FRESH", region="AM")
    patrol = [staff[12], staff[77], staff[140], staff[201]]
    for index, employee in enumerate(patrol):
        delivery.event(
            employee,
            at("2026-10-23", "08:10") + datetime.timedelta(minutes=50 * index),
            incident="I-FRESH",
        )
    _at_work(delivery, patrol, "2026-10-23")
    return patrol


def test_a_night_shifts_first_look_up_before_midnight_is_no_idle_curiosity(
    world: World, delivery: Delivery
) -> None:
    """Round 11 (the blind delivery's class 1; 8402: six false alerts): four of the only
    region's patrol open its fresh incident by day; two night-shift officers open it at
    23:05 and 23:59, the first look-up of their shift, and work until morning. Read by
    calendar day, the two opened nothing else that day: "no work reaches them", so the
    region's six openers were taken for curiosity — a burst of six. Their shift's work
    lay after midnight: the evidence reads the shift, and the chunk of the 23rd cannot
    yet tell. No burst (fails before the fix)."""
    staff, _support = _one_region_and_support(300, 40)
    _fresh_incident(delivery, staff)
    _night(delivery, staff[33], "2026-10-23", "23:05")
    _night(delivery, staff[250], "2026-10-23", "23:59")
    delivery.detect()
    assert not SignalIndicator.objects.filter(code="celebrity_burst").exists()


def test_a_night_shift_that_opens_nothing_else_stays_curiosity_the_next_day(
    world: World, delivery: Delivery
) -> None:
    """What stays: the same incident, but the two on the night shift open nothing else all
    shift (no work on subjects reaches them) and a fifth of the patrol opens it the next
    morning. The next day's chunk reads their whole shift: the region's openers are
    curiosity, a burst of seven."""
    staff, _support = _one_region_and_support(300, 40)
    patrol = _fresh_incident(delivery, staff)
    night = [staff[33], staff[250]]
    for employee, clock in zip(night, ("23:05", "23:59"), strict=True):
        start = at("2026-10-23", "23:00")
        delivery.shift(employee, start, start + datetime.timedelta(hours=8))
        delivery.event(employee, at("2026-10-23", clock), incident="I-FRESH")
    delivery.event(staff[280], at("2026-10-24", "08:20"), incident="I-FRESH")
    _at_work(delivery, [staff[280]], "2026-10-24")
    delivery.detect()
    for employee in [*patrol, *night, staff[280]]:
        assert indicators_of(employee)["celebrity_burst"]["employees"] == 7


def test_curiosity_of_staff_whose_work_opens_no_subjects_in_the_evening_stays_a_burst(
    world: World, delivery: Delivery
) -> None:
    """What stays: two office staff (office hours, shifts ending at 17:00) open the fresh
    incident at 16:40 and 21:30 and open nothing else — their shift ended the same day, or
    they were off duty: no work reaches them; with the four of the patrol, a burst of six."""
    staff, _support = _one_region_and_support(300, 40)
    patrol = _fresh_incident(delivery, staff)
    office = [staff[33], staff[250]]
    for employee in office:
        delivery.office_weeks(employee)
    delivery.event(office[0], at("2026-10-23", "16:40"), incident="I-FRESH")
    delivery.event(office[1], at("2026-10-23", "21:30"), incident="I-FRESH")
    delivery.detect()
    for employee in [*patrol, *office]:
        assert indicators_of(employee)["celebrity_burst"]["employees"] == 6


def test_a_night_by_night_run_judges_a_night_shifts_first_look_up_as_a_full_rerun_does(
    world: World, delivery: Delivery
) -> None:
    """The nightly run equals a full rerun: the chunk of a day reads no activity after it,
    whether or not the next day is there yet."""
    staff, _support = _one_region_and_support(300, 40)
    patrol = _fresh_incident(delivery, staff)
    _night(delivery, staff[33], "2026-10-23", "23:05")
    night = [staff[250], staff[251]]
    for employee, clock in zip(night, ("23:10", "23:59"), strict=True):
        start = at("2026-10-23", "23:00")
        delivery.shift(employee, start, start + datetime.timedelta(hours=8))
        delivery.event(employee, at("2026-10-23", clock), incident="I-FRESH")
    delivery.event(staff[280], at("2026-10-24", "08:20"), incident="I-FRESH")
    _at_work(delivery, [staff[280]], "2026-10-24")
    delivery.load()
    day = D(2026, 10, 19)
    while day <= D(2026, 11, 1):
        detect(day, day)
        day += datetime.timedelta(days=1)
    everyone = [*patrol, staff[33], *night, staff[280]]

    def live() -> dict[int, dict[str, Any]]:
        return {e.pk: indicators_of(e) for e in everyone if indicators_of(e)}

    nightly = live()
    assert nightly[staff[250].pk]["celebrity_burst"]["employees"] == 8
    detect()
    assert live() == nightly


# --- 2b. the late lone look ----------------------------------------------------------------


def _celebrity_of_rotterdam(
    delivery: Delivery,
) -> tuple[list[Employee], list[Employee], Employee]:
    """A celebrity of Rotterdam, opened without a work reason on 22 October by six staff of
    three regions far from it: a burst. Returns its own region's staff, the curious and one
    more of a far region (at work that day, not curious yet)."""
    own = _region_staff("RT", 20)
    far = {code: _region_staff(code, 3) for code in FAR if code != "ZB"}
    curious = [e for staff in far.values() for e in staff[:2]]
    spare = far["LB"][2]
    delivery.subject("S-STAR", last_name="Bekend", region="RT", incidents=("I-ARREST",))
    delivery.incident("I-ARREST", region="RT")
    for index, employee in enumerate(curious):
        delivery.event(
            employee, at("2026-10-22", "09:00") + datetime.timedelta(hours=index), subject="S-STAR"
        )
    _at_work(delivery, [*curious, spare], "2026-10-22")
    return own, curious, spare


def test_a_late_lone_look_at_a_celebrity_from_a_far_region_joins_its_burst(
    world: World, delivery: Delivery
) -> None:
    """Round 11 (the blind delivery's "late lone look"): a week after the burst, one more
    of a far region opens the celebrity without a work reason, alone. Outside any window
    with the others it was never counted (fails before the fix); the subject is an
    established celebrity and no work of that region reaches it: the burst's curiosity,
    come late."""
    _own, curious, late = _celebrity_of_rotterdam(delivery)
    delivery.event(late, at("2026-10-29", "14:10"), subject="S-STAR")
    delivery.detect()
    for employee in curious:
        assert indicators_of(employee)["celebrity_burst"]["employees"] == 6
    assert "celebrity_burst" in indicators_of(late)


def test_a_late_look_by_the_celebritys_own_region_stays_its_work(
    world: World, delivery: Delivery
) -> None:
    """What stays: a week after the burst, one of Rotterdam's own staff opens its
    celebrity (the case file, the court date): the own region cannot carry a burst, and a
    lone look of it later is its work. Nor does a look next door to a region at work count
    (not shown here: spill-over)."""
    own, _curious, _spare = _celebrity_of_rotterdam(delivery)
    delivery.event(own[4], at("2026-10-29", "14:10"), subject="S-STAR")
    delivery.detect()
    assert not indicators_of(own[4])


def test_a_late_lone_look_in_the_next_window_is_judged_night_by_night_as_in_a_full_rerun(
    world: World, delivery: Delivery
) -> None:
    """The nightly run equals a full rerun: a late look in the next signal window, on a new
    day, joins the burst of the window before it either way."""
    _own, curious, late = _celebrity_of_rotterdam(delivery)
    delivery.event(late, at("2026-11-03", "10:00"), subject="S-STAR")
    delivery.load()
    detect(D(2026, 10, 19), D(2026, 11, 1))
    day = D(2026, 11, 2)
    while day <= D(2026, 11, 5):
        detect(day, day)
        day += datetime.timedelta(days=1)

    def live() -> dict[int, dict[str, Any]]:
        everyone = [*curious, late]
        return {e.pk: indicators_of(e) for e in everyone if indicators_of(e)}

    nightly = live()
    assert "celebrity_burst" in nightly[late.pk]
    detect(D(2026, 10, 19), D(2026, 11, 5))
    assert live() == nightly


def test_a_late_look_of_the_own_region_joins_a_burst_its_curious_were_counted_in(
    world: World, delivery: Delivery
) -> None:
    """Round 11: two of Noord-Nederland's own staff and four of four other regions open its
    celebrity on one day — a burst of six, the own region's two counted as curiosity. Five
    days later a third of Noord-Nederland opens it, alone, without a work reason: its own
    region's openers of this subject were curiosity, so is the late one (fails before)."""
    home = _region_staff("NN", 3)
    curious = [_region_staff(code, 1)[0] for code in ("LB", "ZB", "RT", "OB")]
    delivery.subject("S-STAR", last_name="Bekend", region="NN")
    for index, employee in enumerate(home[:2] + curious):
        delivery.event(employee, at("2026-10-23", f"{9 + index}:10"), subject="S-STAR")
    delivery.event(home[2], at("2026-10-28", "16:45"), subject="S-STAR")
    delivery.detect()
    assert indicators_of(home[0])["celebrity_burst"]["employees"] == 6
    assert "celebrity_burst" in indicators_of(home[2])

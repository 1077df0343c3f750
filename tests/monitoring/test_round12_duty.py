"""Issue 10, round 12 (off duty): the class the blind delivery left, pinned by a small
hand-built case — and what must stay as it was around the fix.

"An evening on a free day" was missed where the free day is the weekend before (or after) a
week missing from the delivered roster: the break from the last delivered Friday to the
Monday after the missing week is ten days, far longer than days off, so the whole of it was
"unknown" — and the missing week broke the roster's own weekly cycle, so no row could be
recognised as missing either (blind development seeds 8324 and 8387 at 600, 8363 twice and
8364 twice at 6,000, all the Saturday or Sunday before the missing week).

Round 12: a break longer than days off covers nothing when the cycle is counted (as past
the roster's edge), so the missing week's rows are recognised as rows missing from a
repeating roster; and a break between a delivered period and such a missing row is known
days off when the cycle shows it free one cycle before and after, wherever the delivered
roster says (the weekend before the missing Monday). Between two missing rows nothing was
delivered: the evenings and nights inside the missing week stay unknown.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from monitoring.detection.duty import (
    OFF_DUTY,
    UNKNOWN,
    RosterPeriod,
    Timeline,
    build_timeline,
    days_off_beside_missing_rows,
    expected_shifts,
    roster_cycle,
    routine_gap,
)
from tests.conftest import World
from tests.monitoring.conftest import Delivery, at, detect, indicators_of
from vik.models import Employee

pytestmark = pytest.mark.django_db

D = datetime.date
MARGIN = 90 * 60.0
GAP = 120 * 3600.0
MISSING = (D(2026, 10, 26), D(2026, 11, 1))  # the week the delivery lacks


def _weekdays(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    return [day for day in days if day.weekday() < 5 and not MISSING[0] <= day <= MISSING[1]]


def _periods(*extra: datetime.date) -> list[RosterPeriod]:
    """Office hours on weekdays, 12 October – 8 November, the week of 26 October missing;
    and on the ``extra`` days."""
    days = sorted([*_weekdays(D(2026, 10, 12), D(2026, 11, 8)), *extra])
    return [
        RosterPeriod(at(day, "08:30").timestamp(), at(day, "17:00").timestamp(), "shift")
        for day in days
    ]


def _timeline(periods: list[RosterPeriod]) -> tuple[float, Timeline]:
    """The roster's cycle and its timeline, built as ``context._with_missing_rows`` does."""
    rhythm = routine_gap(periods)
    gap = max(GAP, rhythm)
    cycle = roster_cycle(periods, MARGIN, unknown_after=gap)
    expected = expected_shifts(periods, cycle, MARGIN, max_gap=gap)
    timeline = build_timeline(
        periods,
        margin=MARGIN,
        max_gap=GAP,
        rhythm=rhythm,
        expected=expected,
        days_off=days_off_beside_missing_rows(periods, cycle, expected, MARGIN, gap),
    )
    return cycle, timeline


def _status(moment: datetime.datetime, *extra: datetime.date) -> str:
    return _timeline(_periods(*extra))[1].status_at(moment.timestamp())


def test_a_week_missing_from_a_weekday_roster_does_not_hide_its_cycle() -> None:
    """The premise: counted against the cycle, the missing week leaves half the shifts
    without their like a week later — no cycle; as a break that covers nothing, a week."""
    periods = _periods()
    assert roster_cycle(periods, MARGIN) == 0.0
    assert roster_cycle(periods, MARGIN, unknown_after=GAP) == 7 * 86400.0


def test_the_weekend_before_a_missing_week_is_days_off() -> None:
    """8324, 8387, 8363, 8364 (development): Saturday and Sunday evening before the missing
    week are off duty (fails before round 12: unknown); the missing Wednesday's hours and
    the evening between two missing days stay unknown."""
    assert _status(at("2026-10-24", "20:33")) == OFF_DUTY
    assert _status(at("2026-10-25", "22:00")) == OFF_DUTY
    assert _status(at("2026-10-28", "11:00")) == UNKNOWN
    assert _status(at("2026-10-28", "21:00")) == UNKNOWN
    # The weekend after it stays unknown: one cycle before lies in the missing week, one
    # cycle after past the roster's edge — neither side of the cycle says it is free.
    assert _status(at("2026-10-31", "21:00")) == UNKNOWN


def test_a_weekend_the_cycle_does_not_show_free_stays_unknown() -> None:
    """What stays (8322, development: a part-time patrol officer's week missing, its cycle
    one side away showing a shift in the break): with a Saturday worked one cycle before,
    the weekend before the missing week is no known days off — unknown, as before."""
    assert _status(at("2026-10-24", "20:33"), D(2026, 10, 17)) == UNKNOWN


def _deliver(delivery: Delivery, employee: Employee) -> None:
    """The roster above and a usual day of twelve look-ups of the assigned case on the
    delivered weekdays of the window."""
    delivery.incident("I-CASE")
    delivery.assign(employee, "I-CASE")
    for day in _weekdays(D(2026, 10, 12), D(2026, 11, 8)):
        delivery.shift(employee, at(day, "08:30"), at(day, "17:00"))
        if D(2026, 10, 19) <= day <= D(2026, 11, 1):
            for index in range(12):
                moment = at(day, "09:00") + datetime.timedelta(minutes=35 * index)
                delivery.event(employee, moment, incident="I-CASE")


def test_an_evening_on_the_weekend_before_a_missing_week_is_off_duty(
    world: World, delivery: Delivery
) -> None:
    """The blind delivery's miss, end to end: eight strangers opened from home on the
    Saturday evening before the missing week (fails before round 12: no signal)."""
    _deliver(delivery, world.subject)
    delivery.lookups(world.subject, at("2026-10-24", "20:33"), 8, "avond")
    delivery.detect()
    assert indicators_of(world.subject)["off_duty"]["off_duty"] == 8


def test_work_and_evenings_inside_the_missing_week_stay_unknown(
    world: World, delivery: Delivery
) -> None:
    """What stays: a working day inside the missing week (strangers searched over office
    hours) and an evening between two missing days — nothing was delivered there, so
    neither is off duty."""
    _deliver(delivery, world.subject)
    for index in range(10):
        delivery.lookups(
            world.subject,
            at("2026-10-27", "09:00") + datetime.timedelta(minutes=40 * index),
            1,
            f"werk{index}",
        )
    delivery.lookups(world.subject, at("2026-10-28", "21:00"), 5, "binnen")
    delivery.detect()
    assert "off_duty" not in indicators_of(world.subject)


def test_the_weekend_before_a_missing_week_is_judged_night_by_night_as_in_a_full_rerun(
    world: World, delivery: Delivery
) -> None:
    """The nightly run equals a full rerun: the night of the Saturday reads the days off
    that its weekend lies in, found from the roster in reach of the window as a full run
    finds them."""
    _deliver(delivery, world.subject)
    delivery.lookups(world.subject, at("2026-10-24", "20:33"), 5, "avond")
    delivery.lookups(world.subject, at("2026-10-31", "21:10"), 4, "later")
    delivery.load()
    day = D(2026, 10, 19)
    while day <= D(2026, 11, 1):
        detect(day, day)
        day += datetime.timedelta(days=1)

    def live() -> dict[str, Any]:
        return indicators_of(world.subject)

    nightly = live()
    assert nightly["off_duty"]["off_duty"] == 5  # the weekend after the week: unknown
    detect()
    assert live() == nightly


# --- a part-time officer's free weekday in a ten-day cycle (round 12) --------------------


def _ten_day_cycle(*, skip: Callable[[datetime.date], bool]) -> list[RosterPeriod]:
    """A ten-day cycle (two early, two late, two night shifts, four days off), 12 October –
    8 November, without the shifts on the days ``skip`` names."""
    hours = {0: ("07:00", 8.0), 1: ("07:00", 8.0), 2: ("15:00", 8.0), 3: ("15:00", 8.0)}
    hours.update({4: ("23:00", 8.0), 5: ("23:00", 8.0)})
    periods = []
    for offset in range(28):
        day = D(2026, 10, 12) + datetime.timedelta(days=offset)
        slot = (offset + 5) % 10
        if slot in hours and not skip(day):
            start = at(day, hours[slot][0])
            end = start + datetime.timedelta(hours=hours[slot][1])
            periods.append(RosterPeriod(start.timestamp(), end.timestamp(), "shift"))
    return periods


def _part_time_patrol() -> list[RosterPeriod]:
    """The ten-day cycle with no shift on Fridays (part-time): it holds for 80 % of the
    shifts."""
    return _ten_day_cycle(skip=lambda day: day.weekday() == 4)


def test_a_part_time_officers_free_friday_is_no_row_missing_from_the_cycle() -> None:
    """8365, 8366 (development, 6,000): the cycle is found despite the free Fridays, and
    showed a late shift on Friday the 30th one cycle before and after — a row "missing",
    so the evening's eight strangers were unknown (fails before round 12). The officer
    never works a Friday in four: the person's day off, no row is missing there."""
    periods = _part_time_patrol()
    assert roster_cycle(periods, MARGIN) == 10 * 86400.0
    timeline = build_timeline(
        periods,
        margin=MARGIN,
        max_gap=GAP,
        expected=expected_shifts(periods, 10 * 86400.0, MARGIN),
    )
    assert timeline.status_at(at("2026-10-30", "19:35").timestamp()) == OFF_DUTY
    assert timeline.status_at(at("2026-10-30", "21:00").timestamp()) == OFF_DUTY


def test_a_weekday_missing_from_a_full_timers_ten_day_cycle_stays_a_missing_row() -> None:
    """What stays: a full-timer's late shift missing on a Friday is a row missing from the
    cycle (other Fridays are worked), unknown as in round 10."""
    periods = _ten_day_cycle(skip=lambda day: day == D(2026, 10, 30))
    cycle = roster_cycle(periods, MARGIN)
    assert cycle == 10 * 86400.0
    timeline = build_timeline(
        periods, margin=MARGIN, max_gap=GAP, expected=expected_shifts(periods, cycle, MARGIN)
    )
    assert timeline.status_at(at("2026-10-30", "19:35").timestamp()) == UNKNOWN


def test_a_part_time_officers_free_day_one_cycle_before_vouches_for_no_days_off() -> None:
    """What stays (8373, development): a part-time patrol officer in a ten-day cycle who
    never works Fridays; the rows from Monday 26 October to Friday the 30th are missing,
    the first of them the night of the 26th. One cycle before that break lies Friday the
    16th, free because the officer never works Fridays — not because the cycle is off
    there. The break is no known days off: the night of the 26th stays unknown (an
    `off_duty` false alert on a first version)."""
    rows = [
        ("2026-10-12", "07:00"),
        ("2026-10-13", "15:00"),
        ("2026-10-14", "15:00"),
        ("2026-10-15", "23:00"),
        ("2026-10-21", "07:00"),
        ("2026-10-22", "07:00"),
        ("2026-10-24", "15:00"),
        ("2026-10-25", "23:00"),
        ("2026-11-02", "15:00"),
        ("2026-11-03", "15:00"),
        ("2026-11-04", "23:00"),
        ("2026-11-05", "23:00"),
    ]
    periods = [
        RosterPeriod(
            at(day, clock).timestamp(),
            (at(day, clock) + datetime.timedelta(hours=8)).timestamp(),
            "shift",
        )
        for day, clock in rows
    ]
    cycle, timeline = _timeline(periods)
    assert cycle == 10 * 86400.0
    assert timeline.status_at(at("2026-10-26", "23:17").timestamp()) == UNKNOWN
    assert timeline.status_at(at("2026-10-27", "03:19").timestamp()) == UNKNOWN

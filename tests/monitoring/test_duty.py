"""The roster timeline: on duty, on call, leave, sick, off duty — or unknown."""

from __future__ import annotations

import datetime
import random

from monitoring.detection.duty import (
    RosterPeriod,
    Timeline,
    _status,
    build_timeline,
    deciding_periods,
    expected_shifts,
    longest_break,
    roster_cycle,
    routine_gap,
    team_rhythm,
)
from tests.monitoring.conftest import at

HOUR = 3600.0
MARGIN = 90 * 60.0
GAP = 120 * HOUR


def period(start: datetime.datetime, end: datetime.datetime, kind: str = "shift") -> RosterPeriod:
    return RosterPeriod(start.timestamp(), end.timestamp(), kind)


def status(periods: list[RosterPeriod], moment: datetime.datetime) -> str:
    return build_timeline(periods, margin=MARGIN, max_gap=GAP).status_at(moment.timestamp())


def test_margin_and_off_duty_between_shifts() -> None:
    shifts = [
        period(at("2026-10-20", "08:30"), at("2026-10-20", "17:00")),
        period(at("2026-10-21", "08:30"), at("2026-10-21", "17:00")),
    ]
    assert status(shifts, at("2026-10-20", "12:00")) == "on_duty"
    assert status(shifts, at("2026-10-20", "18:20")) == "on_duty"  # within 90 minutes
    assert status(shifts, at("2026-10-20", "18:40")) == "off_duty"
    assert status(shifts, at("2026-10-21", "07:05")) == "on_duty"
    assert status(shifts, at("2026-10-19", "12:00")) == "unknown"  # before the roster
    assert status(shifts, at("2026-10-22", "12:00")) == "unknown"  # after it


def test_a_long_gap_is_a_missing_roster() -> None:
    shifts = [
        period(at("2026-10-05", "08:30"), at("2026-10-05", "17:00")),
        period(at("2026-10-09", "08:30"), at("2026-10-09", "17:00")),  # 88 h later: known
        period(at("2026-10-30", "08:30"), at("2026-10-30", "17:00")),  # three weeks later
    ]
    assert status(shifts, at("2026-10-07", "12:00")) == "off_duty"
    assert status(shifts, at("2026-10-20", "12:00")) == "unknown"


def test_night_shift_across_midnight_and_the_change_to_winter_time() -> None:
    night = period(at("2026-10-24", "23:00"), at("2026-10-25", "07:00"))
    assert night.end - night.start == 9 * HOUR
    assert status([night], at("2026-10-25", "02:30", fold=0)) == "on_duty"
    assert status([night], at("2026-10-25", "02:30", fold=1)) == "on_duty"
    assert status([night], at("2026-10-25", "08:00")) == "on_duty"  # margin
    shifts = [night, period(at("2026-10-27", "23:00"), at("2026-10-28", "07:00"))]
    assert status(shifts, at("2026-10-26", "12:00")) == "off_duty"


def test_on_call_leave_and_sick() -> None:
    periods = [
        period(at("2026-10-20", "08:30"), at("2026-10-20", "17:00")),
        period(at("2026-10-20", "17:00"), at("2026-10-21", "08:30"), "oncall"),
        period(at("2026-10-21", "00:00"), at("2026-10-22", "00:00"), "sick"),
        period(at("2026-10-22", "00:00"), at("2026-10-24", "00:00"), "leave"),
        period(at("2026-10-23", "08:30"), at("2026-10-23", "17:00")),  # left in the roster
        period(at("2026-10-26", "08:30"), at("2026-10-26", "17:00")),
    ]
    assert status(periods, at("2026-10-20", "22:00")) == "on_call"
    # Sick from midnight, while still on call: sickness is the later word.
    assert status(periods, at("2026-10-21", "03:00")) == "sick"
    assert status(periods, at("2026-10-22", "12:00")) == "leave"
    assert status(periods, at("2026-10-23", "12:00")) == "leave"


def test_segments_for_display() -> None:
    timeline = build_timeline(
        [period(at("2026-10-20", "08:30"), at("2026-10-20", "17:00"))], margin=MARGIN, max_gap=GAP
    )
    statuses = [status for _start, _end, status in timeline.segments()]
    assert statuses == ["on_duty", "unknown"]


def test_days_off_that_the_roster_shows_as_its_rhythm_are_off_duty_a_one_off_week_is_not() -> None:
    # Six early shifts, six days off, twice; then a week with no roster at all.
    shifts = []
    for first in (D(2026, 10, 1), D(2026, 10, 13), D(2026, 10, 25)):
        for offset in range(6):
            day = first + datetime.timedelta(days=offset)
            shifts.append(period(at(day, "07:00"), at(day, "15:00")))
    shifts.append(period(at("2026-11-16", "07:00"), at("2026-11-16", "15:00")))
    # 6 days off (> the 120 h of the parameter) in the rhythm: off duty.
    assert status(shifts, at("2026-10-09", "21:00")) == "off_duty"
    assert status(shifts, at("2026-10-21", "21:00")) == "off_duty"
    # Sixteen days without a roster: missing, unknown.
    assert status(shifts, at("2026-11-06", "21:00")) == "unknown"


D = datetime.date


def test_overtime_into_leave_that_begins_when_the_shift_ends_is_the_shifts_margin() -> None:
    """A late shift ends at midnight and leave begins at midnight: a look-up at 00:20 is the
    shift running late (its margin), not work on a day of leave. A shift *inside* the leave
    stays overruled, and later in the leave it is leave again."""
    periods = [
        period(at("2026-10-20", "15:00"), at("2026-10-21", "00:00")),
        period(at("2026-10-21", "00:00"), at("2026-10-24", "00:00"), "leave"),
        period(at("2026-10-22", "08:30"), at("2026-10-22", "17:00")),  # left in the roster
        period(at("2026-10-24", "00:00"), at("2026-10-24", "08:00")),  # back: a night shift
    ]
    assert status(periods, at("2026-10-21", "00:20")) == "on_duty"
    assert status(periods, at("2026-10-21", "02:00")) == "leave"
    assert status(periods, at("2026-10-22", "17:30")) == "leave"
    assert status(periods, at("2026-10-23", "23:00")) == "on_duty"  # logging in early
    assert status(periods, at("2026-10-23", "12:00")) == "leave"


def _cycle(first_days: list[datetime.date], *, on: int = 6) -> list[RosterPeriod]:
    """Early shifts, ``on`` days from each of ``first_days``."""
    shifts = []
    for first in first_days:
        for offset in range(on):
            day = first + datetime.timedelta(days=offset)
            shifts.append(period(at(day, "07:00"), at(day, "15:00")))
    return shifts


def test_days_off_the_roster_shows_once_are_off_duty_in_the_teams_rhythm() -> None:
    """Round 4 (an evening off missed): six on, six off; the employee's roster in the
    delivery shows the six days off only once, so by itself the break may be a missing
    roster. Most colleagues' rosters show a break as long (each once, at their own offset):
    the team's days off. A break longer than the team's stays unknown."""
    own = _cycle([D(2026, 10, 13), D(2026, 10, 25)])
    without = build_timeline(own, margin=MARGIN, max_gap=GAP)
    assert without.status_at(at("2026-10-21", "21:00").timestamp()) == "unknown"
    colleagues = [
        _cycle(
            [
                D(2026, 10, 13) + datetime.timedelta(days=k),
                D(2026, 10, 25) + datetime.timedelta(days=k),
            ]
        )
        for k in (-3, 2, 4)
    ]
    rhythm = team_rhythm([longest_break(periods) for periods in colleagues])
    assert 6 * 24 * HOUR < rhythm <= 7 * 24 * HOUR
    timeline = build_timeline(own, margin=MARGIN, max_gap=GAP, team_rhythm=rhythm)
    assert timeline.status_at(at("2026-10-21", "21:00").timestamp()) == "off_duty"
    missing = _cycle([D(2026, 10, 1), D(2026, 10, 25)])  # 18 days without a roster
    timeline = build_timeline(missing, margin=MARGIN, max_gap=GAP, team_rhythm=rhythm)
    assert timeline.status_at(at("2026-10-15", "21:00").timestamp()) == "unknown"


def test_a_team_rhythm_is_what_most_of_the_team_shows() -> None:
    day = 24 * HOUR
    # Fewer than three colleagues with a roster: no rhythm.
    assert team_rhythm([6 * day, 6 * day, 0.0, 0.0]) == 0.0
    # The (lower) median: one colleague's missing fortnight does not make the rhythm.
    assert team_rhythm([2 * day, 2 * day, 6 * day, 14 * day]) == 2 * day + HOUR
    assert team_rhythm([6 * day, 6 * day, 6 * day]) == 6 * day + HOUR
    # Longer than a routine can be (more than eight days): missing rosters, no rhythm.
    assert team_rhythm([9 * day, 10 * day, 12 * day]) == 0.0


def _scanned_timeline(periods: list[RosterPeriod], *, margin: float, max_gap: float) -> Timeline:
    """The timeline as it was built before the sweep: every period looked at for every moment
    (kept here as the reference the sweep must equal)."""
    ordered = sorted(periods, key=lambda p: p.start)
    max_gap = max(max_gap, routine_gap(ordered))
    known: list[list[float]] = []
    for item in ordered:
        if known and item.start - known[-1][1] <= max_gap:
            known[-1][1] = max(known[-1][1], item.end)
        else:
            known.append([item.start, item.end])
    points = {point for span in known for point in span}
    for item in ordered:
        points.update((item.start, item.end))
        if item.kind in ("shift", "oncall"):
            points.update((item.start - margin, item.end + margin))
    moments = sorted(points)
    bounds: list[float] = []
    statuses: list[str] = []
    for left, right in zip(moments, [*moments[1:], moments[-1] + 1.0], strict=True):
        moment = (left + right) / 2
        within = any(start <= moment < end for start, end in known)
        value = _status(ordered, moment, margin, within_known=within)
        if not statuses or statuses[-1] != value:
            bounds.append(left)
            statuses.append(value)
    return Timeline(bounds, statuses)


def _random_roster(rng: random.Random, most: int) -> list[RosterPeriod]:
    """Shifts, on-call, leave and sickness at random, with gaps of every length; leave and
    sickness overlap shifts as often as they follow them."""
    kinds = ["shift"] * 6 + ["oncall", "leave", "sick"]
    clock = 0.0
    periods = []
    for _item in range(rng.randint(1, most)):
        clock += rng.choice([0.0, 1.0, 8.0, 14.0, 30.0, 60.0, 150.0]) * HOUR
        length = rng.choice([0.5, 4.0, 8.0, 9.0, 24.0, 72.0, 200.0]) * HOUR
        kind = rng.choice(kinds)
        start = (
            clock - rng.choice([0.0, 0.0, 4.0, 8.0]) * HOUR if kind in ("leave", "sick") else clock
        )
        periods.append(RosterPeriod(start, start + length, kind))
        clock = max(clock, start + length) if rng.random() < 0.7 else clock
    return periods


def test_the_sweep_builds_the_timeline_a_scan_of_every_period_builds() -> None:
    rng = random.Random(20261205)
    for _case in range(400):
        periods = _random_roster(rng, 25)
        swept = build_timeline(periods, margin=MARGIN, max_gap=GAP)
        scanned = _scanned_timeline(periods, margin=MARGIN, max_gap=GAP)
        assert (swept.bounds, swept.statuses) == (scanned.bounds, scanned.statuses), periods


def test_the_deciding_periods_give_every_moment_of_their_span_the_whole_rosters_status() -> None:
    rng = random.Random(20261206)
    for _case in range(400):
        periods = sorted(_random_roster(rng, 30), key=lambda p: p.start)
        clock = max(p.end for p in periods)
        first = rng.uniform(-24 * HOUR, clock + 24 * HOUR)
        last = first + rng.choice([1.0, 24.0, 72.0]) * HOUR
        rhythm = rng.choice([0.0, 100.0 * HOUR])
        whole = build_timeline(periods, margin=MARGIN, max_gap=GAP, rhythm=rhythm)
        deciding = deciding_periods(periods, first, last, MARGIN)
        trimmed = build_timeline(deciding, margin=MARGIN, max_gap=GAP, rhythm=rhythm)
        moments = [first, last, *(rng.uniform(first, last) for _ in range(40))]
        moments += [m for p in periods for m in (p.start, p.end) if first <= m <= last]
        moments += [
            m + d for m in list(moments) for d in (-MARGIN, MARGIN) if first <= m + d <= last
        ]
        for moment in moments:
            assert trimmed.status_at(moment) == whole.status_at(moment), (periods, first, last)


# --- round 10 of issue 10 (off duty): shifts into leave, rows missing from a cycle -------------


def test_a_night_shift_into_leave_that_begins_at_midnight_is_worked_to_its_end() -> None:
    """The handover of a night shift into a leave day: the shift had begun when the leave
    began at 00:00, so it is still that shift, with its margin; the leave holds after it, and
    a shift that starts inside the leave stays overruled."""
    periods = [
        period(at("2026-10-20", "22:00"), at("2026-10-21", "06:00")),
        period(at("2026-10-21", "00:00"), at("2026-10-24", "00:00"), "leave"),
        period(at("2026-10-22", "08:30"), at("2026-10-22", "17:00")),  # left in the roster
    ]
    assert status(periods, at("2026-10-21", "02:00")) == "on_duty"
    assert status(periods, at("2026-10-21", "07:00")) == "on_duty"  # the shift's margin
    assert status(periods, at("2026-10-21", "08:00")) == "leave"
    assert status(periods, at("2026-10-22", "12:00")) == "leave"
    # Sick from midnight: the same handover.
    sick = [periods[0], period(at("2026-10-21", "00:00"), at("2026-10-22", "00:00"), "sick")]
    assert status(sick, at("2026-10-21", "03:00")) == "on_duty"
    assert status(sick, at("2026-10-21", "12:00")) == "sick"


def _office(
    first: datetime.date, last: datetime.date, skip: set[datetime.date]
) -> list[RosterPeriod]:
    shifts = []
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in skip:
            shifts.append(period(at(day, "08:30"), at(day, "17:00")))
        day += datetime.timedelta(days=1)
    return shifts


def _with_cycle(periods: list[RosterPeriod]) -> Timeline:
    ordered = sorted(periods, key=lambda p: p.start)
    cycle = roster_cycle(ordered, MARGIN)
    return build_timeline(
        ordered, margin=MARGIN, max_gap=GAP, expected=expected_shifts(ordered, cycle, MARGIN)
    )


def test_a_weekday_missing_from_a_weekly_roster_is_unknown_days_off_stay_off_duty() -> None:
    """Someone who works every weekday, with Wednesday the 28th missing from the delivery:
    that Wednesday's office hours are a missing row (unknown); its evening, the weekend and
    a weekday the roster never shows at those hours stay off duty."""
    shifts = _office(D(2026, 10, 5), D(2026, 11, 13), {D(2026, 10, 28)})
    assert roster_cycle(sorted(shifts, key=lambda p: p.start), MARGIN) == 7 * 86400
    timeline = _with_cycle(shifts)
    assert timeline.status_at(at("2026-10-28", "10:30").timestamp()) == "unknown"
    assert timeline.status_at(at("2026-10-28", "16:30").timestamp()) == "unknown"
    # What stays off duty: the evening of that day, the weekend, a night.
    assert timeline.status_at(at("2026-10-28", "21:00").timestamp()) == "off_duty"
    assert timeline.status_at(at("2026-10-31", "11:00").timestamp()) == "off_duty"
    assert timeline.status_at(at("2026-10-27", "03:00").timestamp()) == "off_duty"
    # Without the cycle (before round 10) the missing Wednesday was off duty.
    plain = build_timeline(shifts, margin=MARGIN, max_gap=GAP)
    assert plain.status_at(at("2026-10-28", "10:30").timestamp()) == "off_duty"


def test_a_weekday_roster_with_some_later_days_keeps_its_cycle() -> None:
    """A team leader works 08:30–17:00 on weekdays, now and then 12:00–21:00: the same
    hours (most of the shorter shift overlaps), so the roster still repeats every week,
    and the Wednesday missing from it is a missing row."""
    shifts = _office(D(2026, 10, 5), D(2026, 11, 13), {D(2026, 10, 28)})
    for day in (D(2026, 10, 7), D(2026, 10, 16), D(2026, 10, 23), D(2026, 11, 3), D(2026, 11, 12)):
        shifts = [p for p in shifts if p.start != at(day, "08:30").timestamp()]
        shifts.append(period(at(day, "12:00"), at(day, "21:00")))
    assert roster_cycle(sorted(shifts, key=lambda p: p.start), MARGIN) > 0
    timeline = _with_cycle(shifts)
    assert timeline.status_at(at("2026-10-28", "14:00").timestamp()) == "unknown"
    assert timeline.status_at(at("2026-10-31", "14:00").timestamp()) == "off_duty"


def test_a_missing_weekday_just_after_the_change_to_winter_time_keeps_both_shifts_hours() -> None:
    """A cycle is counted in days: across the change to winter time the shift a week before
    lies an hour off the one a week after. The missing Tuesday after it is the hours of both
    (with the margin), not only where they overlap."""
    shifts = _office(D(2026, 10, 5), D(2026, 11, 13), {D(2026, 10, 27)})
    timeline = _with_cycle(shifts)
    assert timeline.status_at(at("2026-10-27", "18:10").timestamp()) == "unknown"
    assert timeline.status_at(at("2026-10-27", "18:40").timestamp()) == "off_duty"


def test_the_neighbours_of_a_shift_that_is_there_do_not_stretch_its_margin() -> None:
    """The Friday before the change to winter time is rostered: 19:00 is off duty, although
    the Friday a week later, an hour off in instants, would reach it."""
    timeline = _with_cycle(_office(D(2026, 10, 5), D(2026, 11, 13), set()))
    assert timeline.status_at(at("2026-10-23", "19:00").timestamp()) == "off_duty"
    assert timeline.missing == []


def _ten_day_cycle(first: datetime.date, last: datetime.date) -> list[RosterPeriod]:
    """Two early, two late, two nights, four days off; the first night on 24 October."""
    hours = {0: ("07:00", 0), 1: ("07:00", 0), 2: ("15:00", 0), 3: ("15:00", 0)}
    shifts = []
    day = first
    while day <= last:
        slot = (day - D(2026, 10, 20)).days % 10
        if slot in hours:
            begin = at(day, hours[slot][0])
            shifts.append(period(begin, begin + datetime.timedelta(hours=8)))
        elif slot in (4, 5):
            shifts.append(period(at(day, "23:00"), at(day + datetime.timedelta(days=1), "07:00")))
        day += datetime.timedelta(days=1)
    return shifts


def test_a_night_missing_from_a_ten_day_cycle_is_unknown_across_the_change_to_winter_time() -> None:
    """The night of 24–25 October (the change to winter time) is missing from a ten-day
    cycle that has a night there every time: from 23:30 to 06:30 it is a missing row, not
    off duty. The cycle's days off stay off duty."""
    shifts = [
        p
        for p in _ten_day_cycle(D(2026, 10, 1), D(2026, 11, 20))
        if p.start != at("2026-10-24", "23:00").timestamp()
    ]
    assert roster_cycle(sorted(shifts, key=lambda p: p.start), MARGIN) == 10 * 86400
    timeline = _with_cycle(shifts)
    for moment in (
        at("2026-10-24", "23:30"),
        at("2026-10-25", "02:30", fold=0),
        at("2026-10-25", "02:30", fold=1),
        at("2026-10-25", "06:30"),
    ):
        assert timeline.status_at(moment.timestamp()) == "unknown", moment
    for moment in (at("2026-10-27", "21:00"), at("2026-10-28", "03:00"), at("2026-10-29", "12:00")):
        assert timeline.status_at(moment.timestamp()) == "off_duty", moment
    plain = build_timeline(shifts, margin=MARGIN, max_gap=GAP)
    assert plain.status_at(at("2026-10-25", "03:30").timestamp()) == "off_duty"


def test_an_irregular_roster_shows_no_cycle() -> None:
    rng = random.Random(20261206)
    shifts = []
    day = D(2026, 10, 1)
    while day <= D(2026, 11, 10):
        if rng.random() < 0.6:
            begin = at(day, rng.choice(["06:00", "10:00", "14:00", "19:00", "22:00"]))
            shifts.append(period(begin, begin + datetime.timedelta(hours=8)))
        day += datetime.timedelta(days=1)
    assert roster_cycle(shifts, MARGIN) == 0.0
    assert expected_shifts(shifts, 0.0, MARGIN) == []

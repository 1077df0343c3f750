"""What an employee's roster says about a moment: on duty, on call, leave, sick, off, unknown.

Police work is 24/7, so "outside working hours" means outside *this employee's* roster.
The roster is a set of periods (instants, so night shifts across midnight and the change
of summer time need nothing special). From them a timeline is built once per employee:

1. leave or sick — also where a shift was left in the roster: leave is recorded later
   than the roster is planned, so it is the more recent word; except for a shift that had
   begun when the leave began (a night shift into a leave day that starts at midnight is
   worked to its end and handed over; overtime before the leave) or starts where it ends
   (logging in early): that shift is not overruled, and its margin holds;
2. on duty / on call during a shift / on-call period, extended by a margin on both sides
   (people log in a little early and finish a little late);
3. off duty where the roster is *known* but says nothing: between periods that are at most
   ``max_gap`` apart (a weekend, days off between shifts), or as far apart as the breaks
   the employee's own roster, or the team's rosters, show as routine (days off of a cycle);
4. unknown everywhere else: before the first period, after the last, and in longer gaps —
   a missing roster is unknown, never off duty. So is a shift missing from a roster that
   repeats itself: where the employee's roster repeats every few days (their cycle, e.g.
   a week) and shows a shift at the same hours one cycle before and one cycle after, a
   moment it leaves empty is a row missing from the delivery, not time off
   (:func:`roster_cycle`, :func:`expected_shifts`) — and the break between a delivered
   period and such a row, where the cycle shows that break free, is days off however long
   the missing stretch beyond it (:func:`days_off_beside_missing_rows`: the weekend before
   a week missing from the delivery).

Times are epoch seconds (floats): the hot loop of detection compares millions of them.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from monitoring.indicators import DutyStatus
from monitoring.periods import AMSTERDAM

ON_DUTY = DutyStatus.ON_DUTY.value
ON_CALL = DutyStatus.ON_CALL.value
LEAVE = DutyStatus.LEAVE.value
SICK = DutyStatus.SICK.value
OFF_DUTY = DutyStatus.OFF_DUTY.value
UNKNOWN = DutyStatus.UNKNOWN.value

_WORK = {"shift": ON_DUTY, "oncall": ON_CALL}
_ABSENT = {"leave": LEAVE, "sick": SICK}


@dataclass(slots=True)
class RosterPeriod:
    """One roster entry: [start, end) in epoch seconds, and its kind.

    Not frozen: a frozen dataclass is built through ``object.__setattr__``, three times
    slower, and every run builds one per roster entry of a month (70,000 for 6,000 staff).
    Nothing changes one after it is read.
    """

    start: float
    end: float
    kind: str


class Timeline:
    """A piecewise-constant duty status: ``statuses[i]`` holds from ``bounds[i]`` to the next.

    A timeline may be **provisional** (``pending`` set): built without the rows missing
    from a repeating roster, whose cycle costs more to find than the rest of the timeline
    and matters only to a moment the provisional timeline calls off duty or unknown inside
    the roster (a missing row turns off duty into unknown and marks unknown moments as
    outside the delivered roster; every other status is the same). :meth:`needs` says
    whether a moment is such; :meth:`resolve` then builds the full timeline in place.
    The methods here resolve by themselves; the hot loop of detection reads ``bounds``
    and ``statuses`` directly and asks :meth:`needs` (most employees never get there).
    """

    __slots__ = ("bounds", "missing", "pending", "statuses")

    def __init__(
        self,
        bounds: list[float],
        statuses: list[str],
        missing: list[tuple[float, float]] | None = None,
        pending: tuple[float, float, Callable[[], Timeline]] | None = None,
    ) -> None:
        self.bounds = bounds
        self.statuses = statuses
        # Where the roster's cycle shows a shift the delivery lacks (sorted, disjoint): an
        # unknown moment there is still outside the delivered roster, and counts with the
        # day's accesses outside it when a whole working day missing from it is told apart.
        self.missing = missing or []
        # (first, last, build): where a missing row can lie (the roster's own span) and how
        # to build the full timeline; None once resolved (or where nothing can be missing).
        self.pending = pending

    def needs(self, moment: float, status: str) -> bool:
        """Whether the provisional status of ``moment`` may differ in the full timeline."""
        pending = self.pending
        return (
            pending is not None
            and status in (OFF_DUTY, UNKNOWN)
            and pending[0] <= moment < pending[1]
        )

    def resolve(self) -> None:
        """Build the full timeline (with the rows missing from a repeating roster) in place."""
        if self.pending is not None:
            full = self.pending[2]()
            self.bounds, self.statuses, self.missing = full.bounds, full.statuses, full.missing
            self.pending = None

    def in_missing_row(self, moment: float) -> bool:
        """Whether ``moment`` lies where the roster's cycle shows a shift it lacks."""
        self.resolve()
        index = bisect.bisect_right(self.missing, (moment, float("inf"))) - 1
        return index >= 0 and self.missing[index][0] <= moment < self.missing[index][1]

    def status_at(self, moment: float) -> str:
        index = bisect.bisect_right(self.bounds, moment) - 1
        status = UNKNOWN if index < 0 else self.statuses[index]
        if self.needs(moment, status):
            self.resolve()
            index = bisect.bisect_right(self.bounds, moment) - 1
            status = UNKNOWN if index < 0 else self.statuses[index]
        return status

    def segments(self) -> list[tuple[float, float | None, str]]:
        """``(start, end or None, status)`` for display: the roster lane of a timeline."""
        self.resolve()
        if not self.bounds:  # no roster at all: the caller shows "unknown" throughout
            return []
        ends: list[float | None] = [*self.bounds[1:], None]
        return list(zip(self.bounds, ends, self.statuses, strict=True))


UNKNOWN_TIMELINE = Timeline([], [])


def build_timeline(
    periods: list[RosterPeriod],
    *,
    margin: float,
    max_gap: float,
    team_rhythm: float = 0.0,
    rhythm: float | None = None,
    expected: list[tuple[float, float]] | tuple[()] = (),
    days_off: list[tuple[float, float]] | tuple[()] = (),
) -> Timeline:
    """The duty timeline of one employee's roster periods (see the module docstring).

    ``team_rhythm`` is the break the team's rosters show as routine (:func:`team_rhythm`):
    days off the employee's own roster shows only once in the delivery. ``rhythm``, when
    given, is the longest break to take for days off, worked out by the caller (detection:
    per signal window, so that every run judges a moment alike); else it is read from
    ``periods`` and ``team_rhythm``. ``expected`` are the spans where the roster's own cycle
    shows a shift that the roster lacks (:func:`expected_shifts`, sorted and disjoint):
    there a moment with no roster entry is unknown, not off duty. ``days_off`` are breaks
    the roster's cycle shows as days off next to such a missing row
    (:func:`days_off_beside_missing_rows`): known, however long the break they lie in.
    """
    if not periods:
        return UNKNOWN_TIMELINE
    ordered = sorted(periods, key=lambda p: p.start)
    if rhythm is None:
        rhythm = max(routine_gap(ordered), team_rhythm)
    max_gap = max(max_gap, rhythm)
    # Where the roster is known: the periods themselves, joined across short gaps.
    joined: list[list[float]] = []
    for period in ordered:
        if joined and period.start - joined[-1][1] <= max_gap:
            joined[-1][1] = max(joined[-1][1], period.end)
        else:
            joined.append([period.start, period.end])
    # ... and the days off next to a row missing from a repeating roster (round 12): known
    # as they are, never joined across a gap (beyond them lies the missing row).
    known = [list(span) for span in _merged([(a, b) for a, b in joined] + list(days_off))]
    points = {point for span in known for point in span}
    for low, high in expected:
        points.update((low, high))
    for period in ordered:
        points.update((period.start, period.end))
        if period.kind in _WORK:
            points.update((period.start - margin, period.end + margin))
    bounds_all = sorted(points)
    bounds: list[float] = []
    statuses: list[str] = []
    # One sweep over the moments, in order: the periods that can decide a moment — begun by
    # then and not yet over, each counting the margin — and the known span it may lie in.
    # (Scanning every period for every moment cost a quarter of a night's run.)
    active: list[RosterPeriod] = []
    upcoming = span = missing = 0
    for left, right in zip(bounds_all, [*bounds_all[1:], bounds_all[-1] + 1.0], strict=True):
        moment = (left + right) / 2
        while upcoming < len(ordered) and ordered[upcoming].start <= moment + margin:
            active.append(ordered[upcoming])
            upcoming += 1
        active = [period for period in active if period.end + margin > moment]
        while span < len(known) and known[span][1] <= moment:
            span += 1
        within_known = span < len(known) and known[span][0] <= moment
        status = _status(active, moment, margin, within_known=within_known)
        if status == OFF_DUTY and expected:
            while missing < len(expected) and expected[missing][1] <= moment:
                missing += 1
            if missing < len(expected) and expected[missing][0] <= moment:
                status = UNKNOWN  # a shift missing from the roster: missing data
        if not statuses or statuses[-1] != status:
            bounds.append(left)
            statuses.append(status)
    return Timeline(bounds, statuses, list(expected))


def deciding_periods(
    ordered: list[RosterPeriod], first: float, last: float, margin: float
) -> list[RosterPeriod]:
    """The periods of ``ordered`` (sorted by start) that decide any moment in [first, last].

    A moment's status depends on the periods that cover it, margin included, and — when
    none does — on the gap it lies in: the latest end before it and the next start after
    it. So besides the periods that reach into [first - margin, last + margin], only the
    one that ends latest before that span and the one that starts first after it matter.
    A timeline built from these gives every moment in [first, last] the status the whole
    roster gives (a night's run judges one day with a fortnight's roster loaded for its
    rhythm: the sweep then walks a handful of periods instead of every one).
    """
    low, high = first - margin, last + margin
    before: RosterPeriod | None = None
    after: RosterPeriod | None = None
    kept: list[RosterPeriod] = []
    for period in ordered:
        if period.end <= low:
            if before is None or period.end > before.end:
                before = period
        elif period.start > high:
            after = period
            break  # sorted by start: the first one after the span starts first
        else:
            kept.append(period)
    if before is not None:
        kept.insert(0, before)
    if after is not None:
        kept.append(after)
    return kept


def stitch(parts: list[tuple[float, Timeline]]) -> Timeline:
    """One timeline from several, each holding from its moment until the next one's.

    ``parts`` are sorted by moment; the first holds from the beginning of time.
    """
    if len(parts) == 1:
        return parts[0][1]
    bounds: list[float] = []
    statuses: list[str] = []
    missing: list[tuple[float, float]] = []

    def add(bound: float, status: str) -> None:
        if not statuses or statuses[-1] != status:
            bounds.append(bound)
            statuses.append(status)

    for index, (begin, timeline) in enumerate(parts):
        until = parts[index + 1][0] if index + 1 < len(parts) else float("inf")
        if index:
            add(begin, timeline.status_at(begin))
        for bound, status in zip(timeline.bounds, timeline.statuses, strict=True):
            if (index == 0 or bound > begin) and bound < until:
                add(bound, status)
        low = begin if index else float("-inf")
        missing += [
            (max(a, low), min(b, until)) for a, b in timeline.missing if a < until and b > low
        ]
    return Timeline(bounds, statuses, _merged(missing))


ROUTINE_GAP_CAP = 8 * 86400.0  # a longer "routine" gap is more likely missing weeks


def team_rhythm(longest_breaks: list[float]) -> float:
    """The break a team's rosters show as routine: the median of its members' longest
    breaks (:func:`longest_break`, those whose roster shows one), when at least
    ``TEAM_RHYTHM_MIN_MEMBERS`` do; an hour of slack, as for the own routine.

    A team works one cycle, each member at their own offset; a two-week delivery shows a
    member's longest days off perhaps only once, and a break seen once may be a missing
    roster. The colleagues' rosters tell: when most of the team shows a break that long,
    it is the team's days off. The median, so that a few colleagues' missing weeks do not
    make a rhythm; capped like the own routine.
    """
    shown = sorted(gap for gap in longest_breaks if gap > 0)
    if len(shown) < TEAM_RHYTHM_MIN_MEMBERS:
        return 0.0
    median = shown[(len(shown) - 1) // 2]  # the lower median
    return median + 3600 if median <= ROUTINE_GAP_CAP else 0.0


TEAM_RHYTHM_MIN_MEMBERS = 3  # fewer colleagues with a roster show no team rhythm


def longest_break(ordered: list[RosterPeriod]) -> float:
    """The longest break between the periods of a roster (sorted by start); 0 without."""
    longest = 0.0
    covered = ordered[0].end if ordered else 0.0
    for period in ordered[1:]:
        longest = max(longest, period.start - covered)
        covered = max(covered, period.end)
    return longest


def routine_gap(ordered: list[RosterPeriod]) -> float:
    """The longest break between periods that the roster shows more than once.

    Rhythms differ: a cycle with six days off is days off, not a missing roster, when the
    roster shows it as a routine. The second-longest break is routine by definition (it
    occurs at least twice, or the longest is a one-off such as a missing week); capped, so
    that two missing weeks are never taken for a rhythm. 0 with fewer than three breaks.
    """
    gaps = []
    covered = ordered[0].end
    for period in ordered[1:]:
        if period.start > covered:
            gaps.append(period.start - covered)
        covered = max(covered, period.end)
    if len(gaps) < 3:
        return 0.0
    gaps.sort()
    second = gaps[-2]
    return second + 3600 if second <= ROUTINE_GAP_CAP else 0.0


def _status(periods: list[RosterPeriod], t: float, margin: float, *, within_known: bool) -> str:
    """The status at ``t`` from the periods that can decide it (sorted by start) and whether
    ``t`` lies where the roster is known."""
    working = absent = near = ""
    absences: list[RosterPeriod] = []
    covering: list[RosterPeriod] = []
    for period in periods:
        if period.start > t + margin:
            break
        if period.kind in _WORK:
            if period.start <= t < period.end:
                working = working or _WORK[period.kind]
                if period.kind == "shift":
                    working = ON_DUTY
                covering.append(period)
            elif period.start - margin <= t < period.end + margin:
                near = near or _WORK[period.kind]
                if period.kind == "shift":
                    near = ON_DUTY
                covering.append(period)
        elif period.start <= t < period.end:
            absent = absent or _ABSENT.get(period.kind, LEAVE)
            if period.kind == "sick":
                absent = SICK
            absences.append(period)
    if absent:
        # A shift that had begun when the leave began is worked to its end and handed over
        # (a night shift into a leave day that starts at midnight), with its margin; so is
        # the margin of work that ends where the leave begins (overtime) or starts where it
        # ends (logging in early). A shift that starts *inside* the leave stays overruled:
        # the leave is the more recent word.
        held = [work for work in covering if _holds_beside(work, absences)]
        if held:
            return ON_DUTY if any(work.kind == "shift" for work in held) else ON_CALL
        return absent
    if working:
        return working
    if near:
        return near
    if within_known:
        return OFF_DUTY
    return UNKNOWN


def _holds_beside(work: RosterPeriod, absences: list[RosterPeriod]) -> bool:
    """Whether a work period is not overruled by the absences covering a moment: a shift
    that had begun before each of them began; any work period that ends when or before
    each begins, or starts when or after it ends (its margin). On call into the leave or
    sickness is not worked time: the absence is the later word there."""
    if work.kind == "shift" and all(work.start < gone.start for gone in absences):
        return True
    return all(work.end <= gone.start or work.start >= gone.end for gone in absences)


CYCLE_DAYS = range(5, 15)  # the cycles a roster is tried for (a week, 8-, 10-, 14-day cycles)
CYCLE_MIN_SHARE = 0.8  # the share of shifts a cycle later that a repeating roster shows
CYCLE_MIN_SHIFTS = 4  # fewer shifts to compare show no cycle


def roster_cycle(
    ordered: list[RosterPeriod], tolerance: float, *, unknown_after: float = float("inf")
) -> float:
    """The cycle a roster (sorted by start) repeats itself in, in seconds; 0 without one.

    A roster repeats every ``P`` days when at least ``CYCLE_MIN_SHARE`` of its shifts have a
    shift at the same hours ``P`` days later: starting within ``tolerance`` (the margin,
    which also covers the change of summer time), or covering at least half of the shorter
    of the two (a team leader's day that now and then runs from noon to nine) — counted over
    the shifts whose ``P`` days later the roster still covers and which no leave or sickness
    takes. Of the ``CYCLE_DAYS`` that keep the share, the one that keeps most shifts (then
    the higher share, then the shortest — round 13), or its half where that keeps the
    share too.

    A break longer than ``unknown_after`` (the longest break that is days off: longer is a
    missing roster, unknown) covers nothing either (round 12): a week missing from the
    delivery says nothing about the cycle, as past the roster's edge — counted against it, a
    weekday roster with one week missing in four showed none.
    """
    shifts = [(p.start, p.end) for p in ordered if p.kind == "shift"]
    count = len(shifts)
    if count < CYCLE_MIN_SHIFTS:
        return 0.0
    starts = [start for start, _end in shifts]
    absences = _merged([(p.start, p.end) for p in ordered if p.kind in _ABSENT])
    # The roster's missing stretches (shrunk by half a day: a shift a cycle later that
    # starts at the stretch's edge is still compared), counted out like leave.
    absences = _merged(
        absences
        + [
            (low + _HALF_DAY, high - _HALF_DAY)
            for low, high in _breaks(ordered)
            if high - low > unknown_after
        ]
    )
    last = starts[-1] + tolerance
    shortest, longest = CYCLE_DAYS[0], CYCLE_DAYS[-1]
    kept = [0] * (longest + 1)
    marked = [-1] * (longest + 1)
    # One walk over the pairs of shifts five to fourteen days apart (every run builds this
    # for every employee and window: a bisect per shift and cycle cost seconds at 6,000).
    for index, (start, end) in enumerate(shifts):
        other = bisect.bisect_left(starts, start + shortest * 86400.0 - _HALF_DAY, index + 1)
        reach = start + longest * 86400.0 + _HALF_DAY
        while other < count and starts[other] <= reach:
            later_start, later_end = shifts[other]
            other += 1
            days = int((later_start - start) / 86400.0 + 0.5)
            if not shortest <= days <= longest or marked[days] == index:
                continue
            moved = days * 86400.0
            same = abs(later_start - start - moved) <= tolerance or 2 * (
                min(end + moved, later_end) - max(start + moved, later_start)
            ) >= min(end - start, later_end - later_start)
            if same and not (absences and _absent_at(absences, start + moved)):
                marked[days] = index
                kept[days] += 1
    shares: dict[int, float] = {}
    for days in CYCLE_DAYS:
        cycle = days * 86400.0
        compared = bisect.bisect_right(starts, last - cycle)
        taken = 0
        if absences:
            # The shifts a cycle before each (disjoint) absence: counted by bisection.
            for low, high in absences:
                taken += max(
                    0,
                    min(compared, bisect.bisect_left(starts, high - cycle))
                    - bisect.bisect_left(starts, low - cycle),
                )
        compared -= taken
        if compared >= CYCLE_MIN_SHIFTS:
            shares[days] = kept[days] / compared
    if not shares:
        return 0.0
    # Among the cycles that keep the share, the one that keeps most shifts (round 13):
    # leave carves comparisons out of a roster, and a cycle that happens to compare only
    # the few shifts the leave spares keeps all of them — a weekday roster with a week of
    # leave kept 5 of 5 a 13-day cycle later against 6 of 7 a week later, and its missing
    # Monday, no row one 13-day cycle away, was off duty.
    kept_share = [days for days in shares if shares[days] >= CYCLE_MIN_SHARE]
    if not kept_share:
        return 0.0
    best = max(kept_share, key=lambda days: (kept[days], shares[days], -days))
    # A fortnight is kept wherever a week is, and reaches past the rosters loaded around a
    # window more often (a row missing there counts against the week alone): a cycle whose
    # half keeps the share too is that half.
    while best % 2 == 0 and shares.get(best // 2, 0.0) >= CYCLE_MIN_SHARE:
        best //= 2
    return best * 86400.0


_HALF_DAY = 12 * 3600.0  # how far apart the hours of two shifts "at the same hours" may start


def _breaks(ordered: list[RosterPeriod]) -> list[tuple[float, float]]:
    """The breaks between the periods of a roster (sorted by start): (end, next start)."""
    result = []
    covered = ordered[0].end if ordered else 0.0
    for period in ordered[1:]:
        if period.start > covered:
            result.append((covered, period.start))
        covered = max(covered, period.end)
    return result


def _absent_at(absences: list[tuple[float, float]], moment: float) -> bool:
    return any(start <= moment < end for start, end in absences)


def expected_shifts(
    ordered: list[RosterPeriod], cycle: float, margin: float, *, max_gap: float = float("inf")
) -> list[tuple[float, float]]:
    """Where a roster that repeats every ``cycle`` seconds shows a shift one cycle before and
    one cycle after (each with the margin): sorted, disjoint spans.

    Where the roster does not reach a cycle back (or ahead), or leave or sickness takes
    that day, the shift on the other side is enough: the first and last days of a delivery
    have only one neighbour, and a day next to a leave has only one that says anything. A moment in a
    span that the roster leaves empty is a shift missing from the delivery — a weekday of
    someone who works every weekday, a night of a cycle that has a night there every time.
    Not on a weekday the roster never works (:func:`_free_weekdays`; ``max_gap``: the
    longest break that is days off — in a longer one the roster says nothing; round 12).
    """
    shifts = [p for p in ordered if p.kind == "shift"]
    if not cycle or not shifts:
        return []
    before = _merged([(p.start + cycle - margin, p.end + cycle + margin) for p in shifts])
    after = _merged([(p.start - cycle - margin, p.end - cycle + margin) for p in shifts])
    known_from = ordered[0].start + cycle  # from here on the roster reaches a cycle back
    known_until = max(p.end for p in ordered) - cycle  # ... and up to here a cycle ahead
    # Both sides: the two shifts' hours together where they overlap — a cycle is counted in
    # days, so across the change of summer time one side lies an hour off the other.
    spans = [
        (min(first[0], second[0]), max(first[1], second[1]))
        for first, second in _overlapping(before, after)
    ]
    spans += _intersect(before, [(known_until, float("inf"))])
    spans += _intersect(after, [(float("-inf"), known_from)])
    # So is one side where the other lies in leave or sickness (round 11): the roster
    # does not say what it would have shown there, as past its edge — nor in a break
    # longer than days off (round 12: a week missing from the delivery).
    absences = _merged(
        [(p.start, p.end) for p in ordered if p.kind in _ABSENT]
        + [(low, high) for low, high in _breaks(ordered) if high - low > max_gap]
    )
    if absences:
        spans += _intersect(before, [(low - cycle, high - cycle) for low, high in absences])
        spans += _intersect(after, [(low + cycle, high + cycle) for low, high in absences])
    # Only where the row is missing: a span the roster does have a shift in is that shift
    # (the hours of both neighbours would otherwise stretch its margin by the hour the
    # change of summer time moves one of them).
    # And only within the roster: before its first entry and after its last it is unknown.
    spans = _intersect(_merged(spans), [(ordered[0].start, max(p.end for p in ordered))])
    present = _merged([(p.start, p.end) for p in shifts])
    overlapping = {span for span, _shift in _overlapping(spans, present)}
    free = _free_weekdays(ordered, max_gap)
    return [
        span for span in spans if span not in overlapping and _weekday(span[0] + margin) not in free
    ]


FREE_WEEKDAY_MIN = 3  # a weekday seen this often in a roster and never worked is a day off


def _weekday(moment: float) -> int:
    return datetime.datetime.fromtimestamp(moment, AMSTERDAM).weekday()


def _free_weekdays(ordered: list[RosterPeriod], max_gap: float) -> set[int]:
    """The weekdays a roster (sorted by start) never starts a shift on, though it says
    something on at least ``FREE_WEEKDAY_MIN`` of them between its first and last entry —
    not in leave or sickness, not in a break longer than ``max_gap`` (round 12).

    A part-time officer's free Friday in a ten-day cycle: the cycle says a late shift,
    the person never works Fridays. A cycle that is no whole number of weeks moves its
    shifts over the weekdays, so a full-timer works every weekday within a few weeks; a
    weekday never worked is the person's own day off — and no row is missing there.
    """
    if not ordered:
        return set()
    worked = {_weekday(p.start) for p in ordered if p.kind == "shift"}
    silent = _merged(
        [(low, high) for low, high in _breaks(ordered) if high - low > max_gap]
        + [(p.start, p.end) for p in ordered if p.kind in _ABSENT]
    )
    first = datetime.datetime.fromtimestamp(ordered[0].start, AMSTERDAM).date()
    last = datetime.datetime.fromtimestamp(max(p.end for p in ordered), AMSTERDAM).date()
    seen = [0] * 7
    day = first
    while day <= last:
        noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=AMSTERDAM).timestamp()
        if day.weekday() not in worked and not _overlaps(silent, noon, noon + 1):
            seen[day.weekday()] += 1
        day += datetime.timedelta(days=1)
    return {day for day in range(7) if day not in worked and seen[day] >= FREE_WEEKDAY_MIN}


def days_off_beside_missing_rows(
    ordered: list[RosterPeriod],
    cycle: float,
    expected: list[tuple[float, float]],
    margin: float,
    max_gap: float,
) -> list[tuple[float, float]]:
    """The breaks between a delivered period and a row missing from a repeating roster
    (``expected``) that the roster's cycle shows as days off: sorted spans (round 12).

    A week missing from the delivery makes the break from the last delivered Friday to the
    Monday after it far longer than days off: all of it was unknown, the weekend before the
    missing week too. Where the cycle shows the missing Monday (:func:`expected_shifts`),
    the weekend between the Friday and that Monday is a break like any other — when the
    same break one cycle before and one cycle after holds no work and no missing row
    wherever the delivered roster covers it (at least one side; a side in leave or
    sickness, in a break longer than ``max_gap`` or past the roster's edge says nothing;
    shrunk by the margin, as the two sides of the change of summer time lie an hour
    apart). A part-time officer whose roster misses the rows around a missing week in no
    cycle keeps them unknown: the cycle one side away shows a shift there. Between two
    missing rows nothing was delivered: unknown, as before.
    """
    if not cycle or not expected or not ordered:
        return []
    first, last = ordered[0].start, max(p.end for p in ordered)
    long_breaks = [(low, high) for low, high in _breaks(ordered) if high - low > max_gap]
    busy = _merged([(p.start, p.end) for p in ordered if p.kind in _WORK] + list(expected))
    silent = _merged(long_breaks + [(p.start, p.end) for p in ordered if p.kind in _ABSENT])
    # A cycle that is no whole number of weeks says nothing on a weekday the person never
    # works: their own day off there is no day off of the cycle (a part-time officer's
    # free Friday one cycle before a missing night shift).
    free = set() if cycle % (7 * 86400.0) == 0 else _free_weekdays(ordered, max_gap)
    items = sorted(
        [(p.start, p.end, True) for p in ordered] + [(low, high, False) for low, high in expected]
    )
    result: list[tuple[float, float]] = []
    covered, covered_delivered = items[0][1], items[0][2]
    for low, high, delivered in items[1:]:
        if (
            low > covered
            and delivered != covered_delivered
            and _overlaps(long_breaks, covered, low)  # elsewhere the break is known anyway
        ):
            said = []
            for shift in (-cycle, cycle):
                begin, end = covered + shift + margin, low + shift - margin
                if end <= begin or begin < first or end > last:
                    continue
                if _overlaps(silent, begin, end) or (free and _touches(free, begin, end)):
                    continue
                said.append(not _overlaps(busy, begin, end))
            if said and all(said):
                result.append((covered, low))
        if high >= covered:
            covered_delivered = delivered if high > covered else covered_delivered or delivered
            covered = high
    return result


def _touches(weekdays: set[int], low: float, high: float) -> bool:
    """Whether [low, high) reaches into a day of one of ``weekdays`` (local)."""
    day = datetime.datetime.fromtimestamp(low, AMSTERDAM).date()
    last = datetime.datetime.fromtimestamp(high, AMSTERDAM).date()
    while day <= last:
        if day.weekday() in weekdays:
            return True
        day += datetime.timedelta(days=1)
    return False


def _overlaps(spans: list[tuple[float, float]], low: float, high: float) -> bool:
    """Whether any of sorted, disjoint ``spans`` overlaps [low, high)."""
    index = bisect.bisect_left(spans, (low, float("-inf")))
    if index > 0 and spans[index - 1][1] > low:
        return True
    return index < len(spans) and spans[index][0] < high


def _merged(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    result: list[tuple[float, float]] = []
    for low, high in sorted(spans):
        if high <= low:
            continue
        if result and low <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], high))
        else:
            result.append((low, high))
    return result


def _overlapping(
    first: list[tuple[float, float]], second: list[tuple[float, float]]
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The pairs of spans of two sorted, disjoint lists that overlap."""
    result = []
    i = j = 0
    while i < len(first) and j < len(second):
        if max(first[i][0], second[j][0]) < min(first[i][1], second[j][1]):
            result.append((first[i], second[j]))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return result


def _intersect(
    first: list[tuple[float, float]], second: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """The overlap of two sorted, disjoint lists of spans."""
    result: list[tuple[float, float]] = []
    i = j = 0
    while i < len(first) and j < len(second):
        low = max(first[i][0], second[j][0])
        high = min(first[i][1], second[j][1])
        if low < high:
            result.append((low, high))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return result

"""Phase 2, per day across all units: bursts of curiosity, and the peer groups' usual day.

A **burst** is one subject (or incident file) opened *without a work reason* by many
employees within a sliding window of ``celebrity.window_hours`` (96 by default) — after a
high-profile arrest the look-ups spread over days, one or two per person, across midnight
and the change of summer time, so counting per calendar day would never see them.

Curiosity about a celebrity is spread over parts of the organisation that do not share the
work: **regions**, not teams (employees without a region — national and support units —
form a part per top-level unit). Each part is judged on its own:

* a part where the subject is **busy** is doing its work, not gazing: the subject's own
  region (its registration, or the region of an incident it is a party in) once at least
  ``celebrity.min_employees`` of its employees opened it in the window — unless no more of
  its staff opened it over the reach than of the staff where no work on it reaches (and not
  ``celebrity.factor`` times fewer, per employee) while the openers elsewhere cannot make a
  burst by themselves: curiosity reaches every part in proportion to its staff, work concentrates
  where the work is — and any part where
  far more employees opened it than in the other parts (``celebrity.factor`` × their mean
  + 1) — a wanted person, a local repeat offender, a car sought after a robbery. A region
  is never busy by that comparison in an organisation of one region: national and support
  units do no regional work, so there is nothing like it to compare with; nor with a person
  or vehicle whose case is elsewhere (every incident it is a party in is of other regions)
  unless its staff are on that case (round 12, ``_cases_elsewhere``);
* a part that **normally** opens the subject about as often (its own usual number of openers
  per window over the ``celebrity.baseline_days`` before, × ``celebrity.factor``) is not
  curious either.

What is left are the curious parts. The subject's own region cannot *carry* a burst: its
openers are plausibly its work even when they are fewer than ``celebrity.min_employees`` (a
local car sought by four of its staff), so they count only up to the number of curious
openers elsewhere, and never as a part — in full when at least two openers are in parts no
work on the subject reaches (work spills over only next door), or when they are curiosity
by the comparison above. It is a burst when the curious openers number at
least ``celebrity.min_employees``, at least ``celebrity.factor`` × (their usual number + 1),
and either

* come from at least ``celebrity.min_units`` other parts — or, when the organisation has
  fewer regions a burst could come from (besides the subject's own and the busy ones), from
  as many parts as there are such regions, at least one (in a one-region organisation at
  work on the subject: a national or support unit). When **every** curious region borders
  an incident file's own and the own region's openers of it are not shown to be curiosity
  (round 10: its few patrol opening its own incident are its work), they count together as
  one part: glances across the border at a neighbour's files are shared work, however many
  neighbours look, even when the own region is not busy with it (not for a person or
  vehicle: one that its own region does not open and no incident of the neighbours names
  is nobody's work next door); or
* at least half of them are in regions that neither hold nor border anything of the
  subject: no region's work reaches there, so curiosity landing in one or two regions of a
  small organisation needs no spread.

Spill-over of a region's hot subject into the regions next door (``RegionNeighbour``) is shared work: when every curious part borders a
busy part, they make a burst only if they are not a small fraction of that work (at least
half as many openers as the busy parts). When it is one, every opener in a curious part is
counted — the own region and bordering regions included. A region that turns out busy later
in the burst (the arrest after the first curious look-ups) was at work all along: the bursts
chunk records it even when that day holds no burst, and the signals leave its openers out.

Per employee of each part (round 5 of issue 10; curiosity reaches every part in proportion
to its staff, work stays where the work is): a region with most of a window's openers and
``celebrity.factor`` times the rest's rate is busy, wherever the subject is registered
(``_concentrated``); a national or support unit's look-ups at a busy region's subject are
spill-over unless, per employee, at least half the busy region's rate; the own region's
few openers are left out of a burst the curious elsewhere make by themselves when
``factor`` times more taken with it (``_own_workers``); and the own region's openers are
curiosity, with no spread needed, when as many opened it next door, for the staff there
(``_even_around_home``). What is left of a burst once a region turns out busy later is
judged again as a window is (``still_a_burst``, in the signals phase). Openers where no
work reaches whose own work of the reach opens the region's other subjects anyway
(``_work_reaches_home``: a national unit's detectives; round 13) are left out of the
comparison of the own region's rate with theirs.

The bursts chunk of a day finds the bursts whose window ends on that day, so a burst that
goes on for days is found again on every later day with the openers gathered by then; the
signals of a window take every burst row that overlaps it (a burst straddling two signal
windows belongs to both). Employees with an assignment or the need to know of their function
never count: only unexplained openings are in the input — except that the own region's staff
whose look-ups only their function's scope explained are read for the subjects that make a
burst without them and count as the region's openers when whether it is busy is judged,
never as curious (round 18, ``_scoped_openers``).

The **peer baseline** of a function on a day (median and 90th percentile of accesses per
active employee) is what the volume indicator, and the review screens, compare against.
"""

from __future__ import annotations

import datetime
import math
import statistics
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from monitoring.detection.assess import FUNCTION_SCOPE, SCOPE_ONLY, SCOPED_LOOK, Assessor
from monitoring.detection.config import DetectionConfig
from monitoring.detection.context import (
    incident_regions_for,
    many,
    subjects_for,
)
from monitoring.detection.writer import bulk_insert
from monitoring.models import (
    AccessEvent,
    Assignment,
    DailyActivity,
    PeerBaseline,
    RosterEntry,
    ScopeRule,
    SubjectBurst,
    UnexplainedAccess,
)
from monitoring.periods import AMSTERDAM, day_bounds
from vik.models import Employee, Unit


def span_days(config: DetectionConfig) -> int:
    """Calendar days a burst window can reach back from the end of a day."""
    return max(1, math.ceil(config.number("celebrity.window_hours") / 24))


class _Parts:
    """Which part of the organisation (region) each employee belongs to; cached per process."""

    parts: dict[int, str] | None = None
    staff: dict[str, int] | None = None


def employee_parts() -> dict[int, str]:
    """Employee id -> part: their region, or ``unit:<top-level unit>`` without one."""
    if _Parts.parts is None:
        roots = dict(Unit.objects.values_list("id", "parent_id"))

        def root(unit_id: int) -> int:
            seen = 0
            while roots.get(unit_id) and seen < 50:
                unit_id = roots[unit_id] or unit_id
                seen += 1
            return unit_id

        _Parts.parts = {
            pk: team_region or unit_region or f"unit:{root(unit_id)}"
            for pk, team_region, unit_region, unit_id in Employee.objects.values_list(
                "id", "team__region", "unit__region", "unit_id"
            ).iterator(20_000)
        }
    return _Parts.parts


def part_staff() -> dict[str, int]:
    """Part -> its number of employees (cached with the parts)."""
    if _Parts.staff is None:
        staff: dict[str, int] = defaultdict(int)
        for part in employee_parts().values():
            staff[part] += 1
        _Parts.staff = dict(staff)
    return _Parts.staff


def reset_caches() -> None:
    _Parts.parts = None
    _Parts.staff = None


def _home_parts(targets: list[str]) -> dict[str, set[str]]:
    """The regions where a target is at home: a subject's own and its incidents' regions."""
    subjects = subjects_for({t[2:] for t in targets if t.startswith("s:")})
    incident_refs = {t[2:] for t in targets if t.startswith("i:")}
    for info in subjects.values():
        if info is not None:
            incident_refs.update(info.incidents)
    regions = incident_regions_for(incident_refs)
    homes: dict[str, set[str]] = {}
    for target in targets:
        home: set[str] = set()
        if target.startswith("s:"):
            info = subjects.get(target[2:])
            if info is not None:
                home.add(info.region)
                home.update(regions.get(ref) or "" for ref in info.incidents)
        else:
            home.add(regions.get(target[2:]) or "")
        home.discard("")
        homes[target] = home
    return homes


def home_of(target: str) -> set[str]:
    """The regions where one target is at home (:func:`_home_parts`)."""
    return _home_parts([target])[target]


def find_bursts(*, day: datetime.date, config: DetectionConfig) -> list[tuple[object, ...]]:
    """The bursts whose window ends on ``day``, as SubjectBurst rows (see BURST_FIELDS)."""
    min_employees = config.integer("celebrity.min_employees")
    min_parts = config.integer("celebrity.min_units")
    baseline_days = config.integer("celebrity.baseline_days")
    factor = config.number("celebrity.factor")
    hours = config.number("celebrity.window_hours")
    window = hours * 3600
    reach = span_days(config)
    first_day = day - datetime.timedelta(days=reach)
    # Targets opened on the day itself by someone, and by enough people over the reach.
    # Read first and passed as one array, not as a subquery: the day's rows were written
    # moments ago, so the table's statistics know nothing of them, and planned on "no rows
    # that day" the subquery became a nested loop over the reach — 13 s of a night instead
    # of 0.06 s once the table had been analysed (as autovacuum does) before the day.
    today = set(
        UnexplainedAccess.objects.filter(day=day)
        .exclude(target__startswith="p:")
        .exclude(target__startswith=SCOPED_LOOK)
        .values_list("target", flat=True)
    )
    # Look-ups of the day before inside a working period that ran on into this day: their
    # openers' evidence was not in when that day was judged (``_idle_openers``), so the
    # windows ending at them are judged here, with this day's activity (round 11).
    margin = config.number("off_duty.margin_minutes") * 60
    carried = _carried_over(day - datetime.timedelta(days=1), margin=margin)
    today |= {target for target, _e, _m in carried}
    if not today:
        return []
    candidates = list(
        UnexplainedAccess.objects.filter(
            day__gte=first_day, day__lte=day, target__any=sorted(today)
        )
        .values_list("target")
        .annotate(n=Count("employee_id", distinct=True))
        .filter(n__gte=min_employees)
        .values_list("target", flat=True)
    )
    if not candidates:
        return []
    parts = employee_parts()
    staff = part_staff()
    # target -> employee -> opening moments in the reach
    moments: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for target, employee_id, refs in UnexplainedAccess.objects.filter(
        day__gte=first_day, day__lte=day, target__in=candidates
    ).values_list("target", "employee_id", "refs"):
        moments[target][employee_id].extend(ref[1] for ref in refs)
    day_from, day_to = (moment.timestamp() for moment in day_bounds(day))
    homes = _home_parts(candidates)
    idle, pending = _idle_openers(moments, first_day=first_day, day=day, margin=margin)
    # Openers whose look-up lies in a working period not over by the end of the day and who
    # opened nothing else so far: whether work reaches them shows only on the next day, so
    # they are judged there (the windows ending at their look-ups are carried over), not
    # taken for curiosity — nor for work, which would make their region busy with it.
    for target, employee_id in pending:
        moments[target].pop(employee_id, None)
    judged_at = {target: {m for t, _e, m in carried if t == target} for target in moments}
    bordering = config.neighbours
    organisation = frozenset(parts.values())
    cases_elsewhere = _cases_elsewhere(
        candidates, homes=homes, organisation=organisation, first_day=first_day, day=day
    )
    # The openers where no work on a subject reaches whose own work of the reach opens its
    # region's other subjects anyway: no rate of curiosity there (round 13).
    reaching = _work_reaches_home(
        moments,
        homes=homes,
        bordering=bordering,
        min_employees=min_employees,
        first_day=first_day,
        day=day,
    )

    # ``scoped``: the own region's openers whose look-ups only their function's scope
    # explained: they are the region's openers too when whether it is busy with the subject
    # is judged (round 18), never curious members here (they join a burst others made in
    # the signals phase, round 15).
    def judge_target(
        target: str,
        scoped: dict[int, list[float]],
        found: list[dict[str, Any]],
        busy_only: list[tuple[str, dict[str, int], float]],
    ) -> None:
        """One candidate's windows: a burst into ``found``, or where it is busy only into
        ``busy_only``; ``scoped``: the own region's scoped openers (``_scoped_openers``)."""
        openers = moments[target]
        if len(openers) + len(scoped) < min_employees:
            return
        # The windows judged here end at a look-up of the day, or at one carried over —
        # a look-up of the curious, never a scoped opener's.
        ends = sorted(
            m
            for e, ms in openers.items()
            for m in ms
            if day_from <= m < day_to or m in judged_at[target]
        )
        timeline = sorted(
            [(m, e) for e, ms in openers.items() for m in ms]
            + [(m, e) for e, ms in scoped.items() for m in ms]
        )
        members: set[int] = set()
        busy_any: set[str] = set()
        # Whether the own region's openers are curiosity like that elsewhere, judged over
        # all openers of the reach (the curious far away may come a day later) — asked only
        # when the openers elsewhere cannot make a burst without them: when they can, the
        # own region's many openers keep the benefit of the doubt (the arrest's work).
        reach_counts: dict[str, int] = defaultdict(int)
        for employee_id in [*openers, *scoped]:
            reach_counts[parts.get(employee_id, "")] += 1
        # ... and only when the own region's openers opened it the way curiosity does, a
        # look each: a team at work on its subject comes back to it over the job (round 6;
        # 9904: seven of a region of 814 opened its wanted person two or three times each
        # over an hour, two of a support unit of 186 had looked the day before — per
        # employee alike, but the seven were at work).
        returned = sum(
            1
            for employee_id, times in [*openers.items(), *scoped.items()]
            if parts.get(employee_id, "") in homes[target]
            and max(times) - min(times) >= RETURN_SECONDS
        )
        at_home = sum(n for part, n in reach_counts.items() if part in homes[target])
        away = sum(n for part, n in reach_counts.items() if part not in homes[target])
        home_curious = (
            away < min_employees
            and 2 * returned < at_home
            and (
                _like_curiosity(
                    _without(reach_counts, reaching.get(target, ()), parts=parts),
                    home=homes[target],
                    bordering=bordering,
                    staff=staff,
                    factor=factor,
                )
                # (Not for an incident file: looks next door at a neighbour's file are shared
                # work, so as many of them as of the own region show no curiosity there —
                # round 10; the blind delivery: an ordinary incident opened by four scoped
                # staff next door and two of its own patrol was a burst of six.)
                or (
                    not target.startswith("i:")
                    and _even_around_home(
                        reach_counts,
                        home=homes[target],
                        bordering=bordering,
                        staff=staff,
                        factor=factor,
                    )
                )
                # Openers of the own region whose work of these days opened no other
                # person, vehicle or incident at all: no work on the subject reaches them,
                # like the parts where no work reaches (round 7; 10005: six curious of the
                # only region, nobody elsewhere — with nothing to compare with, the own
                # region's openers were taken for its work). One such look is a glance
                # (the briefing's secretary), two are a pattern.
                or sum(1 for e in idle[target] if parts.get(e, "") in homes[target])
                >= UNRELATED_OPENERS
            )
        )
        # Curious found only by comparison with a burst where no work reaches (round 14):
        # recorded apart, as the signals phase takes the own region out of a whole burst's
        # busy parts on this evidence only.
        beside_a_burst = False
        if not home_curious:
            home_curious = beside_a_burst = _curious_beside_a_burst(
                reach_counts,
                home=homes[target],
                bordering=bordering,
                staff=staff,
                min_employees=min_employees,
                min_parts=min_parts,
                factor=factor,
            )
        # The parts never busy with it by comparison: its case is elsewhere and none of
        # their staff is on it (round 12).
        no_case_here = cases_elsewhere.get(target, frozenset())
        # The home regions none of whose staff opened it over the reach: not at work on it,
        # so nothing of theirs spills over next door (round 12).
        quiet_home = frozenset(
            part for part in homes[target] & organisation if not reach_counts.get(part)
        )
        windows = 0
        # A window (end - hours, end] ending at each look-up of the day, slid along the
        # look-ups in time order (two pointers, a count per employee inside).
        in_window: dict[int, int] = defaultdict(int)
        left = 0
        previous: frozenset[int] = frozenset()
        for moment, employee_id in timeline:
            in_window[employee_id] += 1
            while timeline[left][0] <= moment - window:
                gone = timeline[left][1]
                in_window[gone] -= 1
                if not in_window[gone]:
                    del in_window[gone]
                left += 1
            if len(in_window) < min_employees or employee_id in scoped:
                continue
            inside = frozenset(in_window)
            if inside == previous:
                continue
            previous = inside
            judged = _judge(
                set(inside),
                workers=frozenset(scoped),
                parts=parts,
                home=homes[target],
                bordering=bordering,
                min_employees=min_employees,
                min_parts=min_parts,
                factor=factor,
                organisation=organisation,
                home_curious=home_curious,
                file=target.startswith("i:"),
                staff=staff,
                idle=idle[target],
                no_case_here=no_case_here,
                quiet_home=quiet_home,
            )
            # A part busy with the subject in any window of the reach is at work on it
            # for the whole of it (the arrest on one day, the curious the next).
            busy_any |= judged["busy"]
            if judged["members"] and (day_from <= moment < day_to or moment in judged_at[target]):
                members |= judged["members"]
                windows += 1
        members = {e for e in members if parts.get(e, "") not in busy_any}
        own_workers: set[int] = set()
        if not home_curious:
            own_workers = _own_workers(
                members,
                parts=parts,
                home=homes[target],
                busy=busy_any,
                bordering=bordering,
                staff=staff,
                min_employees=min_employees,
                min_parts=min_parts,
                factor=factor,
                organisation=organisation,
                file=target.startswith("i:"),
            )
            members -= own_workers
        counts: dict[str, int] = defaultdict(int)
        idle_counts: dict[str, int] = defaultdict(int)
        for employee_id in members | {
            e for e in [*openers, *scoped] if parts.get(e, "") in busy_any
        }:
            counts[parts.get(employee_id, "")] += 1
            if employee_id in idle[target]:
                idle_counts[parts.get(employee_id, "")] += 1
        if not windows or not _spread(
            counts,
            busy=busy_any,
            home=homes[target],
            bordering=bordering,
            min_employees=min_employees,
            min_parts=min_parts,
            organisation=organisation,
            home_curious=home_curious,
            file=target.startswith("i:"),
            staff=staff,
            idle=idle_counts,
            quiet_home=quiet_home,
        ):
            if busy_any:
                # No burst, but where the subject is busy matters to the days before: the
                # curious counted there may have been the first of a region at work.
                busy_only.append(
                    (
                        target,
                        {part: reach_counts.get(part, 0) for part in busy_any},
                        min(m for m, e in timeline if e in openers),
                    )
                )
            return
        curious_parts = {parts.get(e, "") for e in members}
        # The burst runs from the first look-up of a member inside one of the windows.
        start = min(m for e in members for m in openers[e] if m > ends[0] - window)
        found.append(
            {
                "target": target,
                "members": members,
                "start": start,
                "end": ends[-1],
                "judged": {
                    "counts": dict(counts),
                    "busy": busy_any,
                    "curious_parts": curious_parts,
                    "home": homes[target],
                    "home_curious": home_curious,
                    "beside_a_burst": beside_a_burst,
                    "idle": len(idle[target] & members),
                    "idle_counts": dict(idle_counts),
                    "idle_members": idle[target] & members,
                    "own_workers": own_workers,
                    "quiet_home": quiet_home,
                },
            }
        )

    # The own region's openers whose look-ups only their function's scope explained are
    # read (round 18) only for the subjects that make a burst without them: they can only
    # take curiosity away — make the own region busy, never a member — and the read is a
    # scan of the reach's partitions, which on the classic delivery at 6,000 employees
    # doubled the bursts phase when it was made for every candidate.
    per_target: dict[str, tuple[list[dict[str, Any]], list[tuple[str, dict[str, int], float]]]] = {}
    for target in candidates:
        per_target[target] = ([], [])
        judge_target(target, {}, *per_target[target])
    suspects = [target for target in candidates if per_target[target][0]]
    workers = (
        _scoped_openers(
            suspects, moments, homes=homes, parts=parts, first_day=first_day, day=day, config=config
        )
        if suspects
        else {}
    )
    for target, scoped in workers.items():
        per_target[target] = ([], [])
        judge_target(target, scoped, *per_target[target])
    found = [burst for target in candidates for burst in per_target[target][0]]
    busy_only = [busy for target in candidates for busy in per_target[target][1]]
    rows: list[tuple[object, ...]] = [
        (
            day,
            datetime.datetime.fromtimestamp(first, AMSTERDAM).date(),
            target,
            0,
            0,
            Decimal(0),
            [],
            # How many opened it in each busy part over the reach: what a burst's rest
            # is judged against when the part turns out busy after its first days.
            {"busy_parts": sorted(busy), "busy_openers": dict(sorted(busy.items()))},
        )
        for target, busy, first in busy_only
    ]
    if not found:
        return rows
    usual = _usual_openers(
        found, parts=parts, day=day, reach=reach, baseline_days=baseline_days, window=window
    )
    for burst in found:
        judged = burst["judged"]
        curious_parts = judged["curious_parts"]
        baseline = sum(usual[burst["target"]].get(p, 0.0) for p in curious_parts)
        members = burst["members"]
        # Parts that normally open this subject about as often are doing their work.
        normal = {
            part
            for part in curious_parts
            if judged["counts"][part] <= factor * usual[burst["target"]].get(part, 0.0)
        }
        members = {e for e in members if parts.get(e) not in normal}
        if len(members) < factor * (baseline + 1) or not _spread(
            {p: n for p, n in judged["counts"].items() if p not in normal},
            busy=judged["busy"],
            home=judged["home"],
            bordering=bordering,
            min_employees=min_employees,
            min_parts=min_parts,
            organisation=organisation - normal,
            home_curious=judged["home_curious"],
            file=burst["target"].startswith("i:"),
            staff=staff,
            idle={p: n for p, n in judged["idle_counts"].items() if p not in normal},
            quiet_home=judged["quiet_home"],
        ):
            continue
        began = datetime.datetime.fromtimestamp(burst["start"], AMSTERDAM)
        ended = datetime.datetime.fromtimestamp(burst["end"], AMSTERDAM)
        details = {
            "start": began.isoformat(timespec="minutes"),
            "end": ended.isoformat(timespec="minutes"),
            "hours": _fmt(hours),
            "parts": len({parts.get(e) for e in members}),
            "busy": {
                part: count
                for part, count in sorted(judged["counts"].items())
                if part in judged["busy"] and not part.startswith("unit:")
            },
            "busy_parts": sorted(judged["busy"]),
        }
        # What the signals phase judges the whole burst with (round 9; not shown): the
        # members whose work opens no subjects and whether the own region's openers are
        # curiosity — the evidence this day's judgement used — and the own region's
        # openers this day left out as its work.
        details["judged"] = {
            "idle_members": sorted(judged["idle_members"] & members),
            "home_curious": bool(judged["home_curious"]),
            "beside_a_burst": bool(judged["beside_a_burst"]),
            "own_workers": sorted(judged["own_workers"]),
        }
        if judged["idle"]:
            # The evidence that openers are curiosity, when it is that some of them have no
            # work on subjects at all (round 7: the own region's; round 8: anywhere).
            details["no_subject_work"] = judged["idle"]
            details["no_subject_work_home"] = bool(judged["home_curious"])
        rows.append(
            (
                day,
                began.date(),
                burst["target"],
                len(members),
                details["parts"],
                Decimal(str(round(baseline, 2))),
                sorted(members),
                details,
            )
        )
    return rows


def _scoped_openers(
    candidates: list[str],
    moments: dict[str, dict[int, list[float]]],
    *,
    homes: dict[str, set[str]],
    parts: dict[int, str],
    first_day: datetime.date,
    day: datetime.date,
    config: DetectionConfig,
) -> dict[str, dict[int, list[float]]]:
    """Per subject or incident file: the staff of its own region (not among its unexplained
    openers) who opened it over the reach with only their function's scope (a ``regional``
    or ``national`` scope rule) as the reason, and the moments they did — round 18.

    The bursts read the unexplained openings only, so a region's staff whose function has a
    scope rule were invisible when whether the region is busy with its own subject was
    judged: a region at work on its wanted person through its intake and information staff
    as much as its patrol was "not busy", its few other openers were counted with a burst
    the curious elsewhere made, and its scoped staff then joined it (round 15's
    ``celebrity.scoped_join`` asks whether their part is at work). A scope rule says the
    function's everyday work is the region's subjects; it says no more than that about one
    subject, so such look-ups count as the region's openers — in its number, its rate and
    its way of opening — and nothing else. Read from the access log of the reach only for
    the subjects that make a burst without them (``find_bursts`` passes those), and only
    where a scope rule with a scope exists; judged with the
    assessment's own ``Assessor.explain``, so a night's run reads what a rerun does.
    """
    wanted = [t for t in candidates if homes.get(t)]
    if not wanted or not (
        ScopeRule.objects.filter(
            scope__in=[ScopeRule.Scope.REGIONAL, ScopeRule.Scope.NATIONAL]
        ).exists()
    ):
        return {}
    refs = {t[2:] for t in wanted if t.startswith("s:")}
    files = {t[2:] for t in wanted if t.startswith("i:")}

    def newcomer(target: str, employee_id: int) -> bool:
        return target in homes and (
            parts.get(employee_id, "") in homes[target]
            and employee_id not in moments.get(target, {})
        )

    start, _ = day_bounds(first_day)
    _, end = day_bounds(day)
    events = [
        (employee_id, occurred_at.timestamp(), subject_ref, incident_ref)
        for employee_id, occurred_at, subject_ref, incident_ref in AccessEvent.objects.filter(
            Q(subject_ref__any=sorted(refs)) | Q(incident_ref__any=sorted(files)),
            occurred_at__gte=start,
            occurred_at__lt=end,
            employee__isnull=False,
        ).values_list("employee_id", "occurred_at", "subject_ref", "incident_ref")
        if (subject_ref in refs and newcomer("s:" + subject_ref, employee_id))
        or (incident_ref in files and newcomer("i:" + incident_ref, employee_id))
    ]
    if not events:
        return {}
    assessor = Assessor.for_lookups(
        employee_ids=(e[0] for e in events),
        start=start,
        end=end,
        config=config,
        subjects=subjects_for({e[2] for e in events if e[2]}),
        incident_regions=incident_regions_for({e[3] for e in events if e[3]}),
    )
    employees = assessor.employees
    found: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for employee_id, moment, subject_ref, incident_ref in events:
        employee = employees.get(employee_id)
        if employee is None:
            continue
        # The event as the assessment judges it: a person opened within a file has the
        # file's reason first (an assigned file explains the person in it).
        _event, subject_reason, incident_reason = assessor.explain(
            employee, moment, subject_ref, incident_ref
        )
        if (
            subject_ref in refs
            and subject_reason in SCOPE_ONLY
            and newcomer("s:" + subject_ref, employee_id)
        ):
            found["s:" + subject_ref][employee_id].append(moment)
        if (
            incident_ref in files
            and incident_reason == FUNCTION_SCOPE
            and newcomer("i:" + incident_ref, employee_id)
        ):
            found["i:" + incident_ref][employee_id].append(moment)
    return {target: dict(openers) for target, openers in found.items()}


def _cases_elsewhere(
    targets: list[str],
    *,
    homes: dict[str, set[str]],
    organisation: frozenset[str],
    first_day: datetime.date,
    day: datetime.date,
) -> dict[str, frozenset[str]]:
    """Per person or vehicle whose case is elsewhere: the parts of the organisation that
    cannot be busy with it by comparison with the others (round 12).

    When a subject is a party in an incident — its case — and every such incident is of
    another region (its own regions, ``homes``, hold them all), the work on it is where its
    case is. A part that holds nothing of it is then at work on it only with its staff on
    the case: assigned, in the reach, to one of those incidents. Otherwise "far more of its
    staff opened it than elsewhere" is curiosity that happens to land mostly there — seven
    of eleven curious about a celebrity arrested in a region the organisation does not
    have were of one region, and the four left were too few for a burst (the blind
    delivery, round 11's 8317 and 8351). Nothing for an incident file (the file is its own
    region's case; glances at it are judged as before) or for a subject that is a party in
    no incident: a car sought after a robbery that the delivery does not link to the
    robbery's incident is still a region's work by comparison (seven of a region's forty
    against two next door). One read of the subjects and one of the assignments for all
    the day's candidates."""
    subjects = subjects_for({t[2:] for t in targets if t.startswith("s:")})
    cases = {
        target: info.incidents
        for target in targets
        if target.startswith("s:")
        and (info := subjects.get(target[2:])) is not None
        and info.incidents
    }
    if not cases:
        return {}
    since, until = day_bounds(first_day)[0], day_bounds(day)[1]
    parts = employee_parts()
    on_case: dict[str, set[str]] = defaultdict(set)
    for employee_id, ref in (
        Assignment.objects.filter(
            incident_ref__in=sorted({ref for refs in cases.values() for ref in refs}),
            start__lt=until,
        )
        .exclude(end__lt=since)
        .values_list("employee_id", "incident_ref")
    ):
        on_case[ref].add(parts.get(employee_id, ""))
    return {
        target: frozenset(
            organisation - homes[target] - {part for ref in refs for part in on_case[ref]}
        )
        for target, refs in cases.items()
    }


def _work_reaches_home(
    moments: dict[str, dict[int, list[float]]],
    *,
    homes: dict[str, set[str]],
    bordering: frozenset[tuple[str, str]],
    min_employees: int,
    first_day: datetime.date,
    day: datetime.date,
) -> dict[str, set[int]]:
    """Per target: its openers in parts where no work on it reaches (neither its home region
    nor one bordering it: far regions, national and support units) whose own work of the
    reach opened, without a work reason, another person, vehicle or incident of its home
    region — the detectives of a national unit without a national scope rule, whose
    searches cover every region all day (round 13).

    Their look at one more of the region's subjects is their work reaching it, not
    curiosity landing where no work reaches: two or three of them beside a handful of the
    region's patrol, opening one of its residents (a party in its open incidents, or in
    none) in their everyday work, made the patrol "no more taken with it than where no
    work reaches" — curiosity by rate (round 12's evaluation, blind delivery at 6,000
    employees: forty-two false alerts on eight such subjects; development seed 8954: five
    on one). Asked only where that comparison is made — the own region opened it, and
    fewer than ``min_employees`` outside it, at least ``UNRELATED_OPENERS`` of them where no
    work reaches; one read of their unexplained openings of the reach."""
    parts = employee_parts()
    wanted: dict[str, set[int]] = {}
    for target, openers in moments.items():
        home = homes[target]
        outside = [e for e in openers if parts.get(e, "") not in home]
        if not home or len(outside) >= min_employees or len(outside) == len(openers):
            continue
        far = {
            employee_id
            for employee_id in outside
            if (part := parts.get(employee_id, "")) not in home
            and not _borders(part, home, bordering)
        }
        if len(far) >= UNRELATED_OPENERS:
            wanted[target] = far
    if not wanted:
        return {}
    everyone = {employee_id for openers in wanted.values() for employee_id in openers}
    opened: dict[int, set[str]] = defaultdict(set)
    for employee_id, target in (
        UnexplainedAccess.objects.filter(
            day__gte=first_day, day__lte=day, employee_id__in=many(sorted(everyone), "bigint")
        )
        .exclude(target__startswith="p:")
        .exclude(target__startswith=SCOPED_LOOK)
        .values_list("employee_id", "target")
        .distinct()
    ):
        opened[employee_id].add(target)
    places = _home_parts(sorted({t for targets in opened.values() for t in targets}))
    return {
        target: {
            employee_id
            for employee_id in openers
            if any(
                places.get(other, set()) & homes[target] for other in opened[employee_id] - {target}
            )
        }
        for target, openers in wanted.items()
    }


def _without(
    counts: dict[str, int], openers: set[int] | tuple[()], *, parts: dict[int, str]
) -> dict[str, int]:
    """``counts`` (openers per part) without ``openers``."""
    if not openers:
        return counts
    left = dict(counts)
    for employee_id in openers:
        left[parts.get(employee_id, "")] -= 1
    return left


def _idle_openers(
    moments: dict[str, dict[int, list[float]]],
    *,
    first_day: datetime.date,
    day: datetime.date,
    margin: float = 0.0,
) -> tuple[dict[str, set[int]], set[tuple[str, int]]]:
    """Per target: its openers whose work over the reach opened nothing but it — no other
    person, vehicle, address or incident, with or without a work reason — wherever they are.

    A region's hot subject is opened by the staff whose work is its subjects (patrol,
    detectives: they open dozens a day); curiosity reaches everyone, also the staff whose
    work never opens a person — in the subject's own region (round 7) and anywhere else, a
    national or support unit included (round 8): no work on the subject reaches them. Read
    from the daily activity of the reach for the openers of the day's candidates (one query,
    not per event); a day counted before ``opened`` existed is unknown and taken as work.

    The evidence is the opener's **working period**, not the calendar day (round 11): a
    look-up inside a rostered shift or on-call period (``margin`` around it, as duty reads
    the roster) that runs on past the end of ``day`` — the first look-up of a night shift
    at 23:05 — has the rest of that shift's work on a day this chunk does not read, so
    nothing yet shows whether work reaches the opener. Such openers who opened nothing else
    so far are returned apart (``pending``, as (target, opener)): the chunk of the next day
    reads that day's activity and judges the windows ending at their look-ups (a full rerun
    reads no more than a nightly run does: the two stay identical).
    """
    everyone = {employee_id for openers in moments.values() for employee_id in openers}
    idle: dict[str, set[int]] = defaultdict(set)
    pending: set[tuple[str, int]] = set()
    if not everyone:
        return idle, pending
    unfinished = {
        (target, employee_id)
        for target, employee_id, _m in _shift_goes_on(
            [
                (target, employee_id, m)
                for target, openers in moments.items()
                for employee_id, times in openers.items()
                for m in times
            ],
            day=day,
            margin=margin,
        )
    }
    opened: dict[int, int] = defaultdict(int)
    unknown: set[int] = set()
    for employee_id, count in DailyActivity.objects.filter(
        day__gte=first_day, day__lte=day, employee_id__in=many(sorted(everyone), "bigint")
    ).values_list("employee_id", "opened"):
        if count is None:
            unknown.add(employee_id)
        else:
            opened[employee_id] += count
    for target, openers in moments.items():
        for employee_id, times in openers.items():
            if employee_id not in unknown and opened[employee_id] <= len(times):
                if (target, employee_id) in unfinished:
                    pending.add((target, employee_id))
                else:
                    idle[target].add(employee_id)
    return idle, pending


def _shift_goes_on(
    lookups: list[tuple[str, int, float]], *, day: datetime.date, margin: float
) -> set[tuple[str, int, float]]:
    """The look-ups (target, opener, moment) of ``day`` inside a rostered working period
    (a shift or on call, from ``margin`` before it) that ends after ``day`` does: the
    opener's work of that period is partly on a day not read yet. One query over the
    roster of their openers."""
    day_from, day_to = (moment.timestamp() for moment in day_bounds(day))
    # A working period containing a look-up and running past midnight begins at most a day
    # before midnight: only the look-ups of the day itself can be in one.
    late: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for target, employee_id, moment in lookups:
        if day_from <= moment < day_to:
            late[employee_id].append((target, moment))
    if not late:
        return set()
    end_of_day = datetime.datetime.fromtimestamp(day_to, datetime.UTC)
    periods: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for employee_id, start, end in RosterEntry.objects.filter(
        employee_id__in=many(sorted(late), "bigint"),
        kind__in=[RosterEntry.Kind.SHIFT, RosterEntry.Kind.ONCALL],
        end__gt=end_of_day,
        start__lt=end_of_day + datetime.timedelta(seconds=margin),
    ).values_list("employee_id", "start", "end"):
        periods[employee_id].append((start.timestamp() - margin, end.timestamp()))
    return {
        (target, employee_id, moment)
        for employee_id, spans in periods.items()
        for target, moment in late[employee_id]
        if any(start <= moment <= end for start, end in spans)
    }


def _carried_over(day: datetime.date, *, margin: float) -> set[tuple[str, int, float]]:
    """The look-ups of ``day`` (not of personal links) inside a working period that ran on
    into the next day (``_shift_goes_on``): the next day's chunk judges the windows ending
    at them. Read for the openers rostered across the end of ``day`` only."""
    end_of_day = day_bounds(day)[1]
    crossing = RosterEntry.objects.filter(
        kind__in=[RosterEntry.Kind.SHIFT, RosterEntry.Kind.ONCALL],
        end__gt=end_of_day,
        start__lt=end_of_day + datetime.timedelta(seconds=margin),
    ).values("employee_id")
    lookups = [
        (target, employee_id, ref[1])
        for target, employee_id, refs in UnexplainedAccess.objects.filter(
            day=day, employee_id__in=crossing
        )
        .exclude(target__startswith="p:")
        .exclude(target__startswith=SCOPED_LOOK)
        .values_list("target", "employee_id", "refs")
        for ref in refs
    ]
    return _shift_goes_on(lookups, day=day, margin=margin)


def _judge(
    inside: set[int],
    *,
    parts: dict[int, str],
    home: set[str],
    bordering: frozenset[tuple[str, str]],
    min_employees: int,
    min_parts: int,
    factor: float,
    organisation: frozenset[str],
    home_curious: bool,
    file: bool,
    staff: dict[str, int] | None = None,
    idle: set[int] | frozenset[int] = frozenset(),
    no_case_here: frozenset[str] = frozenset(),
    quiet_home: frozenset[str] = frozenset(),
    workers: frozenset[int] = frozenset(),
) -> dict[str, Any]:
    """Judge one window's openers part by part: the busy parts, and the curious openers
    when the rest could make a burst (none otherwise). ``idle``: the openers whose work
    opened no other subject over the reach. ``no_case_here``: the parts never busy with it
    by comparison (its case is elsewhere and none of their staff is on it: round 12).
    ``workers``: the own region's openers whose look-ups only their function's scope
    explained (round 18) — counted for whether the own region is busy, never as curious."""
    counts: dict[str, int] = defaultdict(int)
    idle_counts: dict[str, int] = defaultdict(int)
    scoped_counts: dict[str, int] = defaultdict(int)
    for employee_id in inside:
        if employee_id in workers:
            scoped_counts[parts.get(employee_id, "")] += 1
            continue
        counts[parts.get(employee_id, "")] += 1
        if employee_id in idle:
            idle_counts[parts.get(employee_id, "")] += 1
    inside = inside - workers
    busy = set()
    for part in home:
        # The own region is busy with it as work by the number of its staff who opened
        # it, those whose function's scope explained the look-up among them: a region at
        # work on its wanted person is so whichever of its functions open it (round 18).
        if (
            scoped_counts.get(part)
            and counts.get(part, 0) + scoped_counts[part] >= min_employees
            and not home_curious
        ):
            busy.add(part)
    regions = {part for part in organisation if not part.startswith("unit:")}
    staff = staff or {}
    everyone = sum(staff.get(part, 0) for part in organisation)
    openers = sum(counts.values())
    for part, count in counts.items():
        if count < min_employees:
            continue
        if part in home:
            # Busy with it as work — unless as many of its staff opened it as of the staff
            # where no work on it reaches: then it is curiosity, like theirs.
            if not home_curious:
                busy.add(part)
            continue
        if part in no_case_here:
            # Its case is another region's and none of this part's staff is on it: "far
            # more of its staff opened it than elsewhere" is curiosity landing mostly here,
            # not work (round 12; see ``_cases_elsewhere``).
            continue
        if len(organisation) < 2 or (part in regions and len(regions) < 2):
            # One region only: nothing like it to compare with (national and support
            # units do no regional work), so "far more than elsewhere" says nothing; only
            # the subject's own region is busy by itself.
            continue
        others = [n for p, n in counts.items() if p != part]
        mean = sum(others) / len(others) if others else 0.0
        if count >= factor * (mean + 1):
            busy.add(part)
        elif (
            part in regions
            and count > openers - count >= UNRELATED_OPENERS
            and all(
                other.startswith("unit:") or _borders(other, {part}, bordering)
                for other in counts
                if other != part
            )
            and _concentrated(
                count,
                staff.get(part, 0),
                rest=openers - count,
                rest_staff=everyone - staff.get(part, 0),
                factor=factor,
            )
        ):
            # Most of the openers are of this region, far more of its staff than of
            # everyone else's, and the rest are next door or in national and support units
            # (spill-over): curiosity reaches every part in proportion to its staff, a
            # region's work stays in the region (a car sought there but registered
            # elsewhere, opened by seven of its staff and two next door). Five curious in
            # one region and one in a region far from it are curiosity landing there; a
            # region alone says nothing yet (its spill-over may come later), nor does a
            # region with a single look beside it: spill-over of work is a pattern of at
            # least ``UNRELATED_OPENERS`` look-ups, one is a glance like those any subject
            # gets (round 6; 9911: the first five curious happened to be of one region,
            # one of a support unit looked, and the region was taken to be at work).
            busy.add(part)
    members = {e for e in inside if parts.get(e, "") not in busy}
    spread = _spread(
        counts,
        busy=busy,
        home=home,
        bordering=bordering,
        min_employees=min_employees,
        min_parts=min_parts,
        organisation=organisation,
        home_curious=home_curious,
        file=file,
        staff=staff,
        idle=idle_counts,
        quiet_home=quiet_home,
    )
    return {"members": members if spread else set(), "busy": busy}


def _spread(
    counts: dict[str, int],
    *,
    busy: set[str],
    home: set[str],
    bordering: frozenset[tuple[str, str]],
    min_employees: int,
    min_parts: int,
    organisation: frozenset[str],
    home_curious: bool = False,
    file: bool = False,
    staff: dict[str, int] | None = None,
    idle: dict[str, int] | None = None,
    quiet_home: frozenset[str] = frozenset(),
) -> bool:
    """Whether the openers outside the busy parts are curiosity spread over the organisation.

    * The subject's **own** region cannot carry a burst: its openers are plausibly its work
      even when they are fewer than ``min_employees`` (a local car sought by four of its
      staff). They count towards ``min_employees`` only up to the number of curious
      openers elsewhere, and its region never counts towards the parts — in full when at
      least ``UNRELATED_OPENERS`` openers are in parts no work on the subject reaches, or
      when ``home_curious`` (their share of the own staff is like that elsewhere).
    * The curious come from at least ``min_parts`` other parts — in an organisation with
      fewer regions a burst could come from (besides the subject's own and the busy ones),
      from as many parts as there are such regions (at least one part: in a one-region
      organisation whose region is at work on the subject, a national or support unit).
      When every curious part is a region bordering an incident file's own (``file``) and
      the own region's openers are not shown to be curiosity (``home_curious``; round 10:
      a few of them opening their own file are its work), they count as one part (glances
      next door at a neighbour's files, even with the own region not busy).
    * Or at least half of the curious are in regions that neither hold nor border anything
      of the subject: then no spread is needed. Openers whose work opened no other subject
      over the reach (``idle``, per part) are where no work reaches wherever they are — a
      national or support unit, a region next door — and count with them, when with them
      at least half of *all* the counted openers (the own region's included) are there.
    * Glances from the regions around an incident file's own are shared work however many
      look and however few regions the organisation has: alone they are no burst (but for
      the openers among them whose work opens no subjects, as above).
    * Spill-over of a busy region's work into the regions next door is shared work: when
      every curious part borders a busy part, they make a burst only when they are not a
      small fraction of that work (at least half as many openers as the busy parts).
    """
    starters = {p: n for p, n in counts.items() if p not in busy and p not in home}
    curious = sum(starters.values())
    at_home = sum(n for p, n in counts.items() if p in home and p not in busy)
    # Next door to the subject's home *in the organisation*: a home region the organisation
    # does not have does no work here, so nothing of it spills over into the regions around
    # it — curiosity landing next door to a home elsewhere (the national news, the arrest
    # across the border) is curiosity like anywhere else. (Round 6; 9901: four of six
    # curious next door to a home outside the organisation were taken for its work.) Not
    # for an incident file: the file is the organisation's own, whatever region it names.
    # Nor from a home region none of whose staff opened it over the reach (``quiet_home``;
    # round 12, 12020 in development: four of Amsterdam and two of Noord-Holland curious
    # about someone of Den Haag, whose own staff never opened it): a home not at work on
    # it has no work to spill over.
    working_home = home if file else (home & organisation) - quiet_home
    near = {
        part
        for part in organisation
        if part not in home and _borders(part, working_home, bordering)
    }
    # Openers in parts that share no work with the subject: neither its own region nor one
    # bordering it or a busy one (far regions, national and support units). Work on a
    # region's subject spills over only next door; when at least two open it where no work
    # reaches, the own region's few openers (not busy) are that curiosity's too and count
    # in full — otherwise only up to the curious elsewhere.
    unrelated = sum(
        n for p, n in starters.items() if p not in near and not _borders(p, busy, bordering)
    )
    own = at_home if unrelated >= UNRELATED_OPENERS or home_curious else min(at_home, curious)
    if curious + own < min_employees:
        return False
    # Parts a burst could come from besides the subject's own and the busy ones: a small
    # organisation (one to three regions) cannot show curiosity in min_parts of them.
    regions = {part for part in organisation - busy - home if not part.startswith("unit:")}
    far_parts = {p for p in starters if home and p not in near and p in regions}
    far = sum(starters[p] for p in far_parts)
    # Openers whose work opens no subjects are where no work reaches, wherever they are
    # (round 8; 10101: four of a support unit who opened nothing else and two of a far
    # region) — judged against every counted opener, the own region's too: the own
    # region's few workers and the office's look are no curiosity.
    lone = sum(n for p, n in (idle or {}).items() if p in starters and p not in far_parts)
    parts = len(starters)
    if file and not (at_home and home_curious) and all(part in near for part in starters):
        # Every curious region borders the file's own, and the own region shows no
        # curiosity itself: glances across the border at a neighbour's incident files are
        # shared work (incidents near the border), however many neighbours look, like
        # spill-over (even when the own region is not busy with it) — no spread, whatever
        # the organisation's shape: in one whose every region borders the file's own (one
        # region and a national unit) they used to be a burst by themselves (round 8;
        # 10108: five or six of the only region's patrol each opened incident files of two
        # neighbouring regions the organisation does not have, over days — three false
        # bursts). Not for a person or vehicle: one that none of its own region opens and
        # no incident of theirs names is nobody's work next door. Nor do the own region's
        # few openers of its own file turn the glances into a burst, unless they are shown
        # to be curiosity (``home_curious``: staff whose work opens no subjects, or as many
        # where no work reaches) — its patrol opening its own incident is its work (round
        # 10; the blind delivery: four scoped staff next door and two of the own patrol
        # were a burst of six).
        spread = False
    else:
        spread = parts >= min(min_parts, max(1, len(regions)))
    # Curiosity from regions that neither hold nor border anything of the subject needs no
    # spread: no region's work reaches there (a burst landing in one or two regions of a
    # small organisation).
    if (
        not spread
        and 2 * far < curious
        and not (home_curious and at_home)
        and not (lone and 2 * (far + lone) >= curious + own)
    ):
        # (Curiosity of the own region established by comparison — with the parts where no
        # work reaches, or with the regions around it — needs no spread either: the
        # comparison is what tells it from work.)
        return False
    # National and support units do no regional work, but a busy region's subject reaches
    # them as work too (a wanted person is national intelligence, a sought car a matter
    # for the control room): their staff's look-ups at it are judged like spill-over next
    # door — a burst only when they are not a small fraction of the busy region's work.
    # — when, per employee, they are a small fraction of it too (less than half the busy
    # parts' rate): six of a support unit's sixty are more taken with it than a region
    # whose fifteen of two hundred work on it, and that is curiosity.
    staff = staff or {}
    busy_staff = sum(staff.get(part, 0) for part in busy)
    busy_rate = sum(counts.get(part, 0) for part in busy) / busy_staff if busy_staff else 0.0

    # A unit's staff whose work opens no subjects are left out of its rate here: a busy
    # region's subject reaches a unit's office as work (the wanted poster, the press
    # release) — a look from there is no more curiosity than the region's own office's
    # (round 8; 721: twelve of a region at work on its subject, three glances next door and
    # two looks of a support unit's office — two of seventeen, "more taken with it" than
    # the region by rate alone).
    # As many such looks as make a burst by themselves are no office's errand: curiosity.
    office_looks = {p: n for p, n in (idle or {}).items() if p in starters}
    if sum(office_looks.values()) >= min_employees:
        office_looks = {}

    def spill(part: str) -> bool:
        if not part.startswith("unit:"):
            return _borders(part, busy, bordering)
        size = staff.get(part, 0)
        looked = starters[part] - office_looks.get(part, 0)
        return bool(size) and 2 * looked / size < busy_rate

    if any(not spill(part) for part in starters):
        return True
    # ... and so are the looks of staff whose work opens no subjects in the fraction of the
    # busy parts' work (729, development: nine of a region at work, three glances next door
    # and two looks of a unit's office were "half as many").
    office = sum(office_looks.values())
    return 2 * (curious - office) >= sum(counts.get(part, 0) for part in busy)


def _like_curiosity(
    counts: dict[str, int],
    *,
    home: set[str],
    bordering: frozenset[tuple[str, str]],
    staff: dict[str, int],
    factor: float,
) -> bool:
    """Whether the subject's own region opened it no more, for its number of staff, than
    the parts where no work on it reaches (neither its region nor one bordering it: far
    regions, national and support units) — and not ``factor`` times less.

    Curiosity reaches every part alike, in proportion to its staff; work on a subject is
    concentrated where the work is: a region at work on its wanted person has more of its
    staff on it than anywhere else (also when a national analyst or two look too), and a
    region much *less* taken with it than the rest of the organisation is at work on it
    while the others gaze. False when fewer than ``UNRELATED_OPENERS`` opened it where no
    work reaches: then nothing tells the own region's curiosity from its work (one look
    there is a glance, not a rate).
    """
    home_staff = sum(staff.get(part, 0) for part in home)
    if not home_staff:
        return False
    unrelated, unrelated_staff, _parts = _where_no_work_reaches(
        counts, home=home, bordering=bordering, staff=staff
    )
    if unrelated < UNRELATED_OPENERS:
        # One opener where no work reaches is a glance, not a rate (round 12): a national
        # unit's detective whose searches cover every region, beside four of a region's
        # patrol opening one of its residents over four days in their everyday work, made
        # the region's openers "no more taken with it than elsewhere" — forty-two false
        # alerts on one blind delivery of three regions that all border each other.
        return False
    own_rate = sum(counts.get(part, 0) for part in home) / home_staff
    elsewhere = unrelated / unrelated_staff
    return elsewhere <= factor * own_rate and own_rate <= elsewhere


def _where_no_work_reaches(
    counts: dict[str, int],
    *,
    home: set[str],
    bordering: frozenset[tuple[str, str]],
    staff: dict[str, int],
) -> tuple[int, int, int]:
    """(openers, staff, parts with an opener) of the parts where no work on the subject
    reaches: neither its own region nor one bordering it (far regions, national and
    support units)."""
    openers = size_of = parts = 0
    for part, size in staff.items():
        if part not in home and not _borders(part, home, bordering):
            openers += counts.get(part, 0)
            size_of += size
            parts += bool(counts.get(part))
    return openers, size_of, parts


def _curious_beside_a_burst(
    counts: dict[str, int],
    *,
    home: set[str],
    bordering: frozenset[tuple[str, str]],
    staff: dict[str, int],
    min_employees: int,
    min_parts: int,
    factor: float,
) -> bool:
    """Whether the own region's many openers (``counts``: openers per part over the reach;
    at least ``min_employees`` at home, so "busy" by number) are the curiosity of a burst
    that the parts where no work on the subject reaches make by themselves: at least
    ``min_employees`` openers there (neither the own region nor one bordering it: far
    regions, national and support units) from at least ``min_parts`` parts, and per
    employee the own region opened it less than ``factor`` × as often as they did (their
    openers plus one, per employee). Whether its openers came back to it (round 6's sign
    of a team at work) is not asked here: the comparison with a burst where no work reaches
    is the evidence, and curiosity comes back too (round 14 development, blind seed 8955
    at 6,000 employees: nine of the own region's thirteen curious looked again hours or
    days later, three of the sixteen far away).

    Work on a subject concentrates where the work is — a region at work on its wanted
    person or its arrest has far more of its staff on it than anywhere else — while
    curiosity reaches every part in proportion to its staff, the own region included: the
    region's case (its detectives assigned, its intake in scope) explains those at work on
    it, not every one of its staff who looked like everyone else did (round 14, class 2a;
    round 13's evaluation, blind delivery at 6,000 employees: fifteen curious of one
    celebrity's own region — analysts, detectives, patrol — hidden as the region's work
    beside the curious elsewhere). Before round 14 the own region kept the benefit of the
    doubt whenever the curious elsewhere made a burst by themselves. Spill-over next door
    and a unit's looks at a busy region's subject (rounds 5, 8 and 9) are no such burst:
    they are next door, too few, or in one part."""
    at_home = sum(n for part, n in counts.items() if part in home)
    if at_home < min_employees:
        return False
    far, far_staff, far_parts = _where_no_work_reaches(
        counts, home=home, bordering=bordering, staff=staff
    )
    if far < min_employees or far_parts < min_parts:
        return False
    home_staff = sum(staff.get(part, 0) for part in home)
    return not _concentrated(at_home, home_staff, rest=far, rest_staff=far_staff, factor=factor)


def still_a_burst(
    target: str,
    members: set[int],
    *,
    busy: set[str],
    rows: list[dict[str, Any]],
    config: DetectionConfig,
    idle: set[int] | frozenset[int] = frozenset(),
    home_curious: bool = False,
) -> bool:
    """Whether a burst's members, once the parts found busy later in it are left out, are
    still curiosity spread over the organisation — judged as a window is (``_spread``):
    what is left may be only the spill-over next door and a glance from a national or
    support unit at what turned out to be a region's work. ``idle`` (the members whose work
    opens no subjects) and ``home_curious`` are the evidence the days were judged with."""
    min_employees = config.integer("celebrity.min_employees")
    if len(members) < min_employees:
        return False
    parts = employee_parts()
    counts: dict[str, int] = defaultdict(int)
    idle_counts: dict[str, int] = defaultdict(int)
    for employee_id in members:
        counts[parts.get(employee_id, "")] += 1
        if employee_id in idle:
            idle_counts[parts.get(employee_id, "")] += 1
    for part in busy:  # the most that opened it there, in any row of the burst
        counts[part] = max(
            [min_employees]
            + [
                (details.get(key) or {}).get(part, 0)
                for details in rows
                for key in ("busy", "busy_openers")
            ]
        )
    return _spread(
        counts,
        busy=busy,
        home=_home_parts([target])[target],
        bordering=config.neighbours,
        min_employees=min_employees,
        min_parts=config.integer("celebrity.min_units"),
        organisation=frozenset(parts.values()),
        file=target.startswith("i:"),
        staff=part_staff(),
        home_curious=home_curious,
        idle=idle_counts,
    )


def at_work_on(
    target: str,
    *,
    busy: set[str],
    members: set[int],
    home_curious: bool,
    config: DetectionConfig,
) -> frozenset[str]:
    """The parts whose look-ups at a burst's subject after the burst are their work, not
    the burst's curiosity (round 11, the late lone look): the parts busy with it, the
    regions next door to them (spill-over), and the subject's own region — the own region
    cannot carry a burst — unless its openers were curiosity: found so by comparison
    (``home_curious``) or counted among the burst's members."""
    home = _home_parts([target])[target]
    parts = employee_parts()
    organisation = frozenset(parts.values())
    at_work = {part for part in organisation if _borders(part, busy, config.neighbours)}
    if home_curious or any(parts.get(e, "") in home for e in members):
        at_work -= home  # its openers are the burst's curiosity, next door to work or not
    else:
        at_work |= home
    return frozenset(at_work | busy)


def _even_around_home(
    counts: dict[str, int],
    *,
    home: set[str],
    bordering: frozenset[tuple[str, str]],
    staff: dict[str, int],
    factor: float,
) -> bool:
    """Whether the openers are spread evenly over the subject's own region and the regions
    around it, with at least as many next door as at home — and no more, for its staff, at
    home than ``factor`` times next door.

    Work on a region's subject concentrates at home and spills over next door as a small
    fraction of it (a few colleagues across the border); curiosity about someone from the
    region lands next door as often as at home, for the staff each has. Not when nobody
    opened it next door, nor when fewer did than at home (the own region's few workers and
    a glance or two across the border: a local car sought by four of its staff).
    """
    home_staff = sum(staff.get(part, 0) for part in home)
    at_home = sum(counts.get(part, 0) for part in home)
    near = [part for part in staff if part not in home and _borders(part, home, bordering)]
    next_door = sum(counts.get(part, 0) for part in near)
    near_staff = sum(staff.get(part, 0) for part in near)
    if not (home_staff and near_staff and at_home and next_door >= at_home):
        return False
    return at_home / home_staff <= factor * next_door / near_staff


def _concentrated(count: int, size: int, *, rest: int, rest_staff: int, factor: float) -> bool:
    """Whether ``count`` openers of a part of ``size`` staff are ``factor`` times more, per
    employee, than the openers of the rest of the organisation (plus one: a part is not
    concentrated against nobody by chance)."""
    if not size or not rest_staff:
        return False
    return count * rest_staff >= factor * (rest + 1) * size


def _own_workers(
    members: set[int],
    *,
    parts: dict[int, str],
    home: set[str],
    busy: set[str],
    bordering: frozenset[tuple[str, str]],
    staff: dict[str, int],
    min_employees: int,
    min_parts: int,
    factor: float,
    organisation: frozenset[str],
    file: bool,
) -> set[int]:
    """The own region's openers to leave out of a burst: when, for its staff, the own
    region opened it ``factor`` times more than the curious elsewhere did — the few of the
    arrest's region at work on it (fewer than ``min_employees``, so not "busy"), not
    curiosity reaching it like everywhere else — and either the curious elsewhere make the
    burst by themselves, or all of them but a glance are next door (fewer than
    ``UNRELATED_OPENERS`` where no work reaches: a local subject, its spill-over and one
    look from a national or support unit)."""
    own = {e for e in members if parts.get(e, "") in home}
    if len(own) < UNRELATED_OPENERS:
        # One opener of the own region is a glance, not a rate: in a small region one of
        # its twenty-six is "far more per employee" than five of the six hundred elsewhere
        # by arithmetic alone (round 6; 691: the sixth curious of a burst, of the subject's
        # small own region, was left out as its work). Counted with the burst.
        return set()
    counts: dict[str, int] = defaultdict(int)
    for employee_id in members - own:
        counts[parts.get(employee_id, "")] += 1
    near = {part for part in staff if part not in home and _borders(part, home, bordering)}
    unrelated = sum(
        n for part, n in counts.items() if part not in near and not _borders(part, busy, bordering)
    )
    if unrelated >= UNRELATED_OPENERS and not _spread(
        counts,
        busy=busy,
        home=home,
        bordering=bordering,
        min_employees=min_employees,
        min_parts=min_parts,
        organisation=organisation,
        file=file,
        staff=staff,
    ):
        # The own region's openers are needed, and curiosity reaches where no work does:
        # counted as before. (With all but a glance of the rest next door, a concentrated
        # own region is a local subject's work and its spill-over, needed or not.)
        return set()
    elsewhere_staff = sum(
        size for part, size in staff.items() if part not in home and part not in busy
    )
    if _concentrated(
        len(own),
        sum(staff.get(part, 0) for part in home),
        rest=sum(counts.values()) - 1,
        rest_staff=elsewhere_staff,
        factor=factor,
    ):
        return own
    return set()


# An opener who opened a subject again at least this long after the first look came back to
# it: work returns to its subject over the job (a wanted person checked again before the
# next shift's briefing), a curious look is one visit — a page reloaded, a tab opened, the
# photograph and the record a minute apart. Judged over a region's openers together (most of
# them came back), never per employee: some of the curious come back too.
RETURN_SECONDS = 10 * 60

# Openers where no work on the subject reaches that let the own region's count in full: one
# such look-up is a glance (the grey behaviour every delivery has), two are a pattern.
UNRELATED_OPENERS = 2


def _borders(part: str, busy: set[str], bordering: frozenset[tuple[str, str]]) -> bool:
    return any((min(part, b), max(part, b)) in bordering for b in busy)


def _usual_openers(
    found: list[dict[str, Any]],
    *,
    parts: dict[int, str],
    day: datetime.date,
    reach: int,
    baseline_days: int,
    window: float,
) -> dict[str, dict[str, float]]:
    """Per target and part: the usual number of openers per window before the burst."""
    targets = [burst["target"] for burst in found]
    since = day - datetime.timedelta(days=reach + baseline_days)
    until = day - datetime.timedelta(days=reach)
    openers: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for target, employee_id in UnexplainedAccess.objects.filter(
        day__gte=since, day__lt=until, target__in=targets
    ).values_list("target", "employee_id"):
        openers[target][parts.get(employee_id, "")].add(employee_id)
    windows = max(baseline_days * 86400 / window, 1.0)
    return {
        target: {part: len(ids) / windows for part, ids in per_part.items()}
        for target, per_part in openers.items()
    } | {target: {} for target in targets if target not in openers}


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def peer_baselines(*, day: datetime.date) -> list[tuple[object, ...]]:
    """Median and 90th percentile of accesses per active employee, per function, on ``day``."""
    per_function: dict[int | None, list[int]] = defaultdict(list)
    for function, events in DailyActivity.objects.filter(day=day, events__gt=0).values_list(
        "employee__function_id", "events"
    ):
        per_function[function].append(events)
    rows: list[tuple[object, ...]] = []
    for function_id, counts in per_function.items():
        counts.sort()
        median = float(statistics.median(counts))
        p90 = float(counts[min(len(counts) - 1, int(0.9 * len(counts)))])
        rows.append((function_id, day, len(counts), median, p90))
    return rows


BURST_FIELDS = (
    "day",
    "first_day",
    "target",
    "employees",
    "units",
    "baseline",
    "members",
    "details",
)
PEER_FIELDS = ("function_id", "day", "employees", "median", "p90")


def bursts_and_peers_for_day(*, day: datetime.date, config: DetectionConfig) -> dict[str, int]:
    """Phase 2 for one day: replace the day's bursts and peer baselines (idempotent)."""
    bursts = find_bursts(day=day, config=config)
    peers = peer_baselines(day=day)
    with transaction.atomic():
        SubjectBurst.objects.filter(day=day).delete()
        PeerBaseline.objects.filter(day=day).delete()
        bulk_insert(SubjectBurst, BURST_FIELDS, bursts)
        bulk_insert(PeerBaseline, PEER_FIELDS, peers)
    return {"bursts": sum(1 for row in bursts if row[3]), "peer_groups": len(peers)}

"""Everything detection needs to judge an employee's accesses, loaded in a few queries.

For a set of employees (a unit, or the few with a signal) and a time span this loads their
roster timelines, assignments, need-to-know scope, hashed home address and family
addresses; subjects and incidents are looked up as events refer to them and kept in a
small per-process cache, so the chunks of one unit on consecutive days do not load the
same subjects again.
"""

from __future__ import annotations

import bisect
import datetime
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, models
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL

from monitoring.detection.config import DetectionConfig
from monitoring.detection.duty import (
    ROUTINE_GAP_CAP,
    UNKNOWN_TIMELINE,
    RosterPeriod,
    Timeline,
    build_timeline,
    days_off_beside_missing_rows,
    deciding_periods,
    expected_shifts,
    longest_break,
    roster_cycle,
    routine_gap,
    stitch,
    team_rhythm,
)
from monitoring.matching import surname_hash
from monitoring.models import (
    AccessEvent,
    Assignment,
    DailyActivity,
    EmployeeHome,
    EmployeeRelation,
    Incident,
    RosterEntry,
    ScopeRule,
    Subject,
    SubjectIncident,
)
from monitoring.periods import day_start, local_day, windows_overlapping
from vik.models import Employee, Unit, UnitAncestry

NATIONAL = "national"
REGIONAL = "regional"
_DAY = 86400.0
_ONE_DAY = datetime.timedelta(days=1)
_FOREVER = float("inf")


@dataclass(slots=True)
class EmployeeContext:
    """One employee, as detection sees them."""

    id: int
    personnel_number: str
    org_unit_id: int
    function_id: int | None
    region: str
    employment_end: datetime.date | None
    surname: str
    surname_common: bool
    home: str
    street: str
    area: str
    timeline: Timeline = UNKNOWN_TIMELINE
    # incident ref -> [(from, to)] in epoch seconds, grace included
    assignments: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    # scope that always holds (a scope rule without end), else None; need to know beyond
    # assignments comes only from scope rules — a national unit's analysts get theirs from a
    # ``national`` rule, never from the unit's kind
    fixed_scope: str | None = None
    # rules limited in time: (from, to, scope)
    timed_scopes: list[tuple[float, float, str]] = field(default_factory=list)
    # subject ref -> [(from, to)]
    subject_rules: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    # hashed addresses where someone with this employee's uncommon surname lives
    family_addresses: frozenset[str] = frozenset()
    # relations HR knows (relations.csv): hashed address -> the relations' surname hashes
    relation_addresses: dict[str, frozenset[str]] = field(default_factory=dict)
    # sorted starts and ends of the assignment and subject-rule spans, made on first use
    edges: tuple[list[float], list[float]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def steady_between(self, first: float, last: float) -> bool:
        """Whether every assignment, subject rule and scope of the employee holds either
        throughout [first, last] or at no moment of it.

        Then what explains an access in that span does not depend on its moment (except
        through the lives of incidents, which the caller judges apart). Made from the
        context as loaded: call it once the context is complete.
        """
        if self.timed_scopes:
            return False
        if self.edges is None:
            spans = [*self.assignments.values(), *self.subject_rules.values()]
            self.edges = (
                sorted(start for group in spans for start, _end in group),
                sorted(end for group in spans for _start, end in group),
            )
        starts, ends = self.edges
        # A span begins to hold at its start, and stops after its end (both inclusive).
        return bisect.bisect_right(starts, last) == bisect.bisect_right(
            starts, first
        ) and bisect.bisect_left(ends, last) == bisect.bisect_left(ends, first)

    def assigned(self, incident_ref: str, moment: float) -> bool:
        spans = self.assignments.get(incident_ref)
        if spans is not None:
            for start, end in spans:  # a loop, not any(): called for many events
                if start <= moment <= end:
                    return True
        return False

    def scope_at(self, moment: float) -> str | None:
        if self.fixed_scope == NATIONAL or not self.timed_scopes:
            return self.fixed_scope
        scope = self.fixed_scope
        for start, end, kind in self.timed_scopes:
            if start <= moment <= end:
                if kind == NATIONAL:
                    return NATIONAL
                scope = REGIONAL
        return scope

    def may_see_subject(self, subject_ref: str, moment: float) -> bool:
        spans = self.subject_rules.get(subject_ref)
        return spans is not None and any(start <= moment <= end for start, end in spans)


class SubjectInfo(NamedTuple):
    """The hashed, matchable facts of a subject (a tuple: made for every subject of a run,
    a frozen dataclass cost three times as much to build)."""

    kind: str
    surname: str
    address: str
    street: str
    area: str
    region: str
    employee_id: int | None
    incidents: tuple[str, ...]


def _epoch(moment: datetime.datetime | None, default: float) -> float:
    return moment.timestamp() if moment is not None else default


def _date_epoch(day: datetime.date | None, default: float, *, end: bool = False) -> float:
    if day is None:
        return default
    return day_start(day + datetime.timedelta(days=1) if end else day).timestamp()


def load_employees(
    *,
    employee_filter: Q,
    start: datetime.datetime,
    end: datetime.datetime,
    config: DetectionConfig,
) -> dict[int, EmployeeContext]:
    """Contexts for the employees matching ``employee_filter``, valid for [start, end)."""
    rows = list(
        # By id, not the model's order by name: a collated sort of the staff for nothing.
        Employee.objects.filter(employee_filter)
        .order_by("id")
        .values_list(
            "id",
            "personnel_number",
            "last_name",
            "team_id",
            "unit_id",
            "function_id",
            "employment_end",
            "team__region",
            "unit__region",
        )
    )
    if not rows:
        return {}
    ids = [row[0] for row in rows]
    homes = {
        home[0]: home[1:]
        for home in EmployeeHome.objects.filter(employee_id__in=many(ids, "bigint")).values_list(
            "employee_id", "address_hash", "street_hash", "area_hash"
        )
    }
    hashed = _surname_stats(set(), config).of_employee  # every employee's, hashed once a run
    employees: dict[int, EmployeeContext] = {}
    for (
        pk,
        number,
        last_name,
        team_id,
        unit_id,
        function_id,
        employment_end,
        team_region,
        unit_region,
    ) in rows:
        home, street, area = homes.get(pk, ("", "", ""))
        employees[pk] = EmployeeContext(
            id=pk,
            personnel_number=number,
            org_unit_id=team_id or unit_id,
            function_id=function_id,
            region=team_region or unit_region or "",
            employment_end=employment_end,
            surname=hashed[pk] if pk in hashed else surname_hash(last_name),
            surname_common=False,
            home=home,
            street=street,
            area=area,
        )
    _add_rosters(employees, start, end, config)
    _add_assignments(employees, start, end, config)
    _add_scope_rules(employees, start, end)
    _add_relations(employees)
    _add_families(employees, config)
    return employees


def _add_relations(employees: dict[int, EmployeeContext]) -> None:
    """The addresses of the relations HR knows (``relations.csv``), per employee."""
    found: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for employee_id, address, surname in (
        EmployeeRelation.objects.filter(employee_id__in=many(employees, "bigint"))
        .exclude(address_hash="")
        .values_list("employee_id", "address_hash", "surname_hash")
        .iterator(5000)
    ):
        found[employee_id][address].add(surname)
    for employee_id, addresses in found.items():
        employees[employee_id].relation_addresses = {
            address: frozenset(names) for address, names in addresses.items()
        }


def _add_rosters(
    employees: dict[int, EmployeeContext],
    start: datetime.datetime,
    end: datetime.datetime,
    config: DetectionConfig,
) -> None:
    teams = {pk: employee.org_unit_id for pk, employee in employees.items()}
    for employee_id, timeline in roster_timelines(teams, start, end, config).items():
        employees[employee_id].timeline = timeline


def roster_timelines(
    teams: Mapping[int, int | None],
    start: datetime.datetime,
    end: datetime.datetime,
    config: DetectionConfig,
) -> dict[int, Timeline]:
    """The duty timelines of the employees ``teams`` names (employee -> team), for [start, end).

    The rhythm — the longest break that is days off rather than a missing roster, from the
    employee's own roster and their team's — is read per **signal window**, from the
    rosters of the window and ``reach`` around it, never from the span a run happens to
    cover: a night's run and a run over the fortnight then judge every moment alike (a
    night's run used to see five days of roster either side and took a six-day break for a
    missing roster that the fortnight's run knew for days off). A run over several windows
    stitches the windows' timelines together where their rhythms differ.
    """
    margin = config.number("off_duty.margin_minutes") * 60
    max_gap = config.number("off_duty.max_roster_gap_hours") * 3600
    # Wide enough on both sides to tell the longest break a rhythm can make days off from a
    # missing roster: every roster period that can decide a moment's status is loaded.
    reach = datetime.timedelta(seconds=max(max_gap, ROUTINE_GAP_CAP + 3600) + margin + _DAY)
    window_days = config.integer("signal.window_days")
    windows = windows_overlapping(
        local_day(start), local_day(end - datetime.timedelta(microseconds=1)), window_days
    )
    spans = [
        (day_start(first) - reach, day_start(last) + _ONE_DAY + reach) for first, last in windows
    ]
    lower, upper = min(start - reach, spans[0][0]), max(end + reach, spans[-1][1])
    periods = _roster_periods(list(teams), lower, upper)
    # The team's rhythm: days off that an employee's own roster shows only once are the
    # break most colleagues' rosters show too (a team works one cycle). Colleagues not
    # asked for (one employee's timeline for the review screens) are read too, so that
    # every screen judges a moment as detection did.
    team_of: dict[int, int | None] = dict(teams)
    wanted_teams = {team for team in team_of.values() if team is not None}
    others = {
        pk: team or unit
        for pk, team, unit in Employee.objects.filter(
            Q(team_id__in=wanted_teams) | Q(team__isnull=True, unit_id__in=wanted_teams)
        )
        .exclude(id__in=many(teams, "bigint"))
        .order_by("id")
        .values_list("id", "team_id", "unit_id")
        .iterator(5000)
    }
    if others:
        periods.update(_roster_periods(list(others), lower, upper))
        team_of.update(others)
    for employee_periods in periods.values():
        employee_periods.sort(key=lambda p: p.start)
    # Per window: each employee's own routine break and longest break, then the team's.
    rhythm: dict[int, list[float]] = defaultdict(list)
    reaches = [(low.timestamp(), high.timestamp()) for low, high in spans]
    loaded = (lower.timestamp(), upper.timestamp())
    # One window (a night's run) spans everything loaded: no period to leave out.
    wholes = [a <= loaded[0] and b >= loaded[1] for a, b in reaches]
    for (a, b), whole in zip(reaches, wholes, strict=True):
        own: dict[int, float] = {}
        breaks: dict[int | None, list[float]] = defaultdict(list)
        for employee_id, employee_periods in periods.items():
            inside = (
                employee_periods
                if whole
                else [p for p in employee_periods if p.start < b and p.end > a]
            )
            if not inside:
                continue
            own[employee_id] = routine_gap(inside)
            breaks[team_of.get(employee_id)].append(longest_break(inside))
        of_team = {team: team_rhythm(gaps) for team, gaps in breaks.items() if team is not None}
        for employee_id, team in teams.items():
            shared = of_team.get(team, 0.0) if team is not None else 0.0
            rhythm[employee_id].append(max(own.get(employee_id, 0.0), shared))
    # Timelines answer for moments in [start, end) only: built from the periods that can
    # decide those moments (the rhythm above needed the whole reach).
    a, b = start.timestamp(), end.timestamp()
    starts = [day_start(first).timestamp() for first, _last in windows]
    result: dict[int, Timeline] = {}
    for employee_id in teams:
        employee_periods = periods.get(employee_id, [])
        if not employee_periods:
            continue
        near = deciding_periods(employee_periods, a, b, margin)
        rhythms = rhythm[employee_id]
        timeline = _windows_timeline(near, starts, rhythms, None, margin, max_gap)
        if timeline is not UNKNOWN_TIMELINE and any(p.kind == "shift" for p in employee_periods):
            # Where the employee's own repeating roster shows a shift that the delivery
            # lacks (a missing row: unknown, not off duty), per window too — found only
            # for an employee with a moment it can change (the cycle is the dearest part).
            timeline.pending = (
                employee_periods[0].start,
                max(p.end for p in employee_periods),
                functools.partial(
                    _with_missing_rows,
                    employee_periods,
                    near,
                    starts,
                    rhythms,
                    list(zip(reaches, wholes, strict=True)),
                    (a - margin, b + margin),
                    margin,
                    max_gap,
                ),
            )
        result[employee_id] = timeline
    return result


def _with_missing_rows(
    employee_periods: list[RosterPeriod],
    near: list[RosterPeriod],
    starts: list[float],
    rhythms: list[float],
    reaches: list[tuple[tuple[float, float], bool]],
    wanted: tuple[float, float],
    margin: float,
    max_gap: float,
) -> Timeline:
    """The full timeline: per window, the rows missing from the employee's repeating
    roster, read from the rosters in reach of that window (like the rhythm)."""
    missing: list[tuple[tuple[float, float], ...]] = []
    days_off: list[tuple[tuple[float, float], ...]] = []
    for ((low, high), whole), rhythm in zip(reaches, rhythms, strict=True):
        inside = (
            employee_periods
            if whole
            else [p for p in employee_periods if p.start < high and p.end > low]
        )
        gap = max(max_gap, rhythm)
        cycle = roster_cycle(inside, margin, unknown_after=gap)
        spans = expected_shifts(inside, cycle, margin, max_gap=gap)
        missing.append(tuple(span for span in spans if span[1] > wanted[0] and span[0] < wanted[1]))
        off = days_off_beside_missing_rows(inside, cycle, spans, margin, gap)
        days_off.append(tuple(span for span in off if span[1] > wanted[0] and span[0] < wanted[1]))
    return _windows_timeline(near, starts, rhythms, missing, margin, max_gap, days_off)


def _windows_timeline(
    near: list[RosterPeriod],
    starts: list[float],
    rhythms: list[float],
    missing: list[tuple[tuple[float, float], ...]] | None,
    margin: float,
    max_gap: float,
    days_off: list[tuple[tuple[float, float], ...]] | None = None,
) -> Timeline:
    """One timeline over the windows: one build where every window reads the roster
    alike, else each window's from its first day on, stitched."""
    if missing is None:
        missing = [()] * len(rhythms)
    if days_off is None:
        days_off = [()] * len(rhythms)
    if (
        len(set(rhythms)) == 1
        and all(m == missing[0] for m in missing)
        and all(d == days_off[0] for d in days_off)
    ):
        return build_timeline(
            near,
            margin=margin,
            max_gap=max_gap,
            rhythm=rhythms[0],
            expected=list(missing[0]),
            days_off=list(days_off[0]),
        )
    parts = [
        (
            -_FOREVER if index == 0 else begin,
            build_timeline(
                near,
                margin=margin,
                max_gap=max_gap,
                rhythm=rhythms[index],
                expected=list(missing[index]),
                days_off=list(days_off[index]),
            ),
        )
        for index, begin in enumerate(starts)
    ]
    return stitch(parts)


def _roster_periods(
    ids: list[int], start: datetime.datetime, end: datetime.datetime
) -> dict[int, list[RosterPeriod]]:
    """The roster periods of ``ids`` that overlap [start, end), per employee."""
    periods: dict[int, list[RosterPeriod]] = defaultdict(list)
    if connection.vendor == "postgresql":
        # Epoch seconds from the server (date_part: float, as events are fetched): the
        # ORM would build two aware datetimes per entry only to turn them into these.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT employee_id, date_part('epoch', start), date_part('epoch', \"end\"), "
                "kind FROM monitoring_rosterentry WHERE employee_id = ANY(%s::bigint[]) "
                'AND start < %s AND "end" > %s',
                [ids, end, start],
            )
            for employee_id, entry_start, entry_end, kind in cursor.fetchall():
                periods[employee_id].append(RosterPeriod(entry_start, entry_end, kind))
    else:
        entries = RosterEntry.objects.filter(
            employee_id__in=ids, start__lt=end, end__gt=start
        ).values_list("employee_id", "start", "end", "kind")
        for employee_id, entry_start, entry_end, kind in entries.iterator(5000):
            periods[employee_id].append(
                RosterPeriod(entry_start.timestamp(), entry_end.timestamp(), kind)
            )
    return periods


def _add_assignments(
    employees: dict[int, EmployeeContext],
    start: datetime.datetime,
    end: datetime.datetime,
    config: DetectionConfig,
) -> None:
    grace = datetime.timedelta(days=config.integer("explain.assignment_grace_days"))
    seconds = grace.total_seconds()
    if connection.vendor == "postgresql":
        # Epoch seconds from the server, as for rosters: no aware datetimes to build.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT employee_id, incident_ref, date_part('epoch', start), "
                "date_part('epoch', \"end\") FROM monitoring_assignment "
                "WHERE employee_id = ANY(%s::bigint[]) AND start <= %s "
                'AND ("end" IS NULL OR "end" >= %s)',
                [list(employees), end + grace, start - grace],
            )
            rows = cursor.fetchall()
    else:
        rows = [
            (employee_id, incident_ref, begin.timestamp(), _epoch(finish, _FOREVER))
            for employee_id, incident_ref, begin, finish in Assignment.objects.filter(
                Q(end__isnull=True) | Q(end__gte=start - grace),
                employee_id__in=list(employees),
                start__lte=end + grace,
            )
            .values_list("employee_id", "incident_ref", "start", "end")
            .iterator(5000)
        ]
    for employee_id, incident_ref, assignment_start, assignment_end in rows:
        employees[employee_id].assignments.setdefault(incident_ref, []).append(
            (
                assignment_start - seconds,
                (_FOREVER if assignment_end is None else assignment_end) + seconds,
            )
        )


def _add_scope_rules(
    employees: dict[int, EmployeeContext], start: datetime.datetime, end: datetime.datetime
) -> None:
    rules = list(
        ScopeRule.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=end.date()),
            Q(valid_until__isnull=True) | Q(valid_until__gte=start.date()),
        ).values_list(
            "function_id",
            "unit_id",
            "employee_id",
            "scope",
            "subject_ref",
            "valid_from",
            "valid_until",
        )
    )
    if not rules:
        return
    unit_rules = {rule[1] for rule in rules if rule[1]}
    ancestors: dict[int, set[int]] = defaultdict(set)
    if unit_rules:
        for ancestor, descendant in UnitAncestry.objects.filter(
            ancestor_id__in=unit_rules,
            descendant_id__in={e.org_unit_id for e in employees.values()},
        ).values_list("ancestor_id", "descendant_id"):
            ancestors[descendant].add(ancestor)
    by_function: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    by_unit: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    by_employee: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for rule in rules:
        if rule[0]:
            by_function[rule[0]].append(rule)
        elif rule[1]:
            by_unit[rule[1]].append(rule)
        else:
            by_employee[rule[2]].append(rule)
    for employee in employees.values():
        applicable = list(by_employee.get(employee.id, ()))
        if employee.function_id:
            applicable += by_function.get(employee.function_id, [])
        for unit_id in ancestors.get(employee.org_unit_id, ()):
            applicable += by_unit[unit_id]
        for _f, _u, _e, scope, subject_ref, valid_from, valid_until in applicable:
            span = (
                _date_epoch(valid_from, -_FOREVER),
                _date_epoch(valid_until, _FOREVER, end=True),
            )
            if scope == ScopeRule.Scope.SUBJECT:
                employee.subject_rules.setdefault(subject_ref, []).append(span)
            elif valid_from is None and valid_until is None:
                if employee.fixed_scope != NATIONAL:
                    employee.fixed_scope = NATIONAL if scope == NATIONAL else REGIONAL
            else:
                employee.timed_scopes.append((*span, scope))


class _SurnameStats:
    """Surname figures for the whole workforce, computed once per run and process.

    One query for every employee's surname instead of one per unit: a run over one night
    loads every unit's contexts once, and would otherwise scan the subjects once per unit.
    """

    persons: int | None = None
    employees: dict[str, int] | None = None  # surname hash -> employees bearing it
    of_employee: dict[int, str] = {}  # employee id -> surname hash
    subjects: dict[str, int] = {}  # surname hash -> person subjects bearing it
    rare_homes: dict[str, set[str]] = {}  # very rare surname -> addresses of its bearers
    # (``subjects`` holds every surname asked for so far, 0 for none; ``rare_homes`` those
    # of them at most ``relative.family_surname_max``)


def _surname_stats(surnames: set[str], config: DetectionConfig) -> type[_SurnameStats]:
    """The figures, covering ``surnames`` (the first call covers every employee's)."""
    stats = _SurnameStats
    if stats.employees is None or stats.persons is None:
        stats.persons = Subject.objects.filter(kind=Subject.Kind.PERSON).count()
        bearers: dict[str, int] = defaultdict(int)
        of_employee: dict[int, str] = {}
        # A keyed hash per distinct surname, not per employee: a workforce shares its
        # surnames (thousands of hashes a night before round 22).
        hashes: dict[str, str] = {}
        for pk, last_name in (
            Employee.objects.order_by().values_list("id", "last_name").iterator(10000)
        ):
            name = hashes.get(last_name)
            if name is None:
                name = hashes[last_name] = surname_hash(last_name)
            of_employee[pk] = name
            bearers[name] += 1
        stats.of_employee = of_employee
        stats.employees = dict(bearers)
        stats.subjects, stats.rare_homes = {}, {}
        surnames = surnames | {name for name in bearers if name}
    missing = sorted(name for name in surnames if name not in stats.subjects)
    if not missing:
        return stats
    counts = dict.fromkeys(missing, 0)
    # Family addresses only for very rare surnames: see ``relative.family_surname_max``.
    family_max = config.integer("relative.family_surname_max")
    if connection.vendor == "postgresql":
        # Counts and the rare names' addresses in one scan of the subjects.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT surname_hash, count(*), CASE WHEN count(*) <= %s THEN "  # noqa: S608 - our table
                "array_agg(address_hash) FILTER (WHERE address_hash <> '') END "
                f"FROM {Subject._meta.db_table} WHERE kind = %s "
                "AND surname_hash = ANY(%s::text[]) GROUP BY surname_hash",
                [family_max, Subject.Kind.PERSON.value, missing],
            )
            for name, count, addresses in cursor.fetchall():
                counts[name] = count
                if addresses:
                    stats.rare_homes.setdefault(name, set()).update(addresses)
        stats.subjects.update(counts)
        return stats
    step = 500
    for first in range(0, len(missing), step):
        counts.update(
            Subject.objects.filter(
                kind=Subject.Kind.PERSON, surname_hash__in=missing[first : first + step]
            )
            .values_list("surname_hash")
            .annotate(n=Count("id"))
            .values_list("surname_hash", "n")
        )
    stats.subjects.update(counts)
    rare = [name for name in missing if counts[name] <= family_max]
    for first in range(0, len(rare), step):
        for name, address in (
            Subject.objects.filter(
                kind=Subject.Kind.PERSON, surname_hash__in=rare[first : first + step]
            )
            .exclude(address_hash="")
            .values_list("surname_hash", "address_hash")
        ):
            stats.rare_homes.setdefault(name, set()).add(address)
    return stats


def _add_families(employees: dict[int, EmployeeContext], config: DetectionConfig) -> None:
    """Mark common surnames, and collect the homes of bearers of very rare ones."""
    surnames = {e.surname for e in employees.values() if e.surname}
    if not surnames:
        return
    stats = _surname_stats(surnames, config)
    persons = stats.persons or 0
    counts = stats.subjects
    bearers = stats.employees or {}
    threshold = max(
        config.number("relative.common_surname_min"),
        config.number("relative.common_surname_share") * persons,
    )
    common = {name for name in surnames if counts.get(name, 0) >= threshold}
    share = config.number("relative.common_surname_share") * persons
    if share < config.number("relative.common_surname_min"):
        # Too few subjects to tell a common name from a rare one at that share: let the
        # workforce, a sample of the population, tell instead.
        among_staff = config.integer("relative.common_surname_employees")
        common |= {name for name in surnames if bearers.get(name, 0) >= among_staff}
    for employee in employees.values():
        employee.surname_common = employee.surname in common
        if employee.surname and not employee.surname_common:
            family = stats.rare_homes.get(employee.surname, set()) - {employee.home}
            employee.family_addresses = frozenset(family)


def reset_caches() -> None:
    """Forget cached counts and subjects (new reference data, or a new run)."""
    _SurnameStats.persons = None
    _SurnameStats.employees = None
    _SurnameStats.of_employee = {}
    _SurnameStats.subjects = {}
    _SurnameStats.rare_homes = {}
    _Preloaded.done = False
    _Preloaded.subjects = True
    _Preloaded.share = False
    for cache in (SUBJECTS, INCIDENT_REGIONS, INCIDENT_LIVES):
        cache.clear()
        cache.complete = False
    _SHARED.clear()
    _FILES_ELSEWHERE.clear()
    _STORED_ELSEWHERE.clear()
    _ROUTINE.clear()
    _STAFF.clear()
    _STAFF_LOADED[0] = False


class _BoundedCache(dict[str, Any]):
    """A dict that empties itself when it grows past a limit: a cache, not a leak.

    ``complete`` says it holds the whole table, so a miss means "unknown".
    """

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.complete = False

    def add_all(self, items: dict[str, Any]) -> None:
        if len(self) + len(items) > self.limit:
            self.clear()
        self.update(items)


# Whole tables up to this size are loaded once per run (:func:`_preload`): a run over days
# opens nearly every subject, and a table read chunk by chunk — a unit's day at a time, by
# reference — costs about twenty times as much (round 19: at 20,000 employees the 610,000
# subjects did not fit the 400,000 of then, and their chunk-wise reading was a sixth of the
# run). ~450 bytes a subject: the default million is ~430 MiB (``VIK_DETECTION_SUBJECT_CACHE``).
SUBJECTS = _BoundedCache(settings.VIK_DETECTION_SUBJECT_CACHE)
# Above this many subjects they share their repeated values (``_SHARED``): ~450 instead of
# ~940 bytes a subject. Below, the table is small enough to hold as the driver gives it.
SHARE_ABOVE = 250_000
INCIDENT_REGIONS = _BoundedCache(400_000)
# incident ref -> (region, opened, closed) in epoch seconds (±inf where unknown), for the
# few look-ups that need to know whether a subject's incident was open at the time
INCIDENT_LIVES = _BoundedCache(400_000)


_SUBJECT_COLUMNS = (
    "ref",
    "kind",
    "surname_hash",
    "address_hash",
    "street_hash",
    "area_hash",
    "region",
    "employee_id",
    "incident_refs",
)
_SEPARATOR = "\x1f"  # ASCII unit separator: never part of a reference in practice


# One string object per distinct value of the subjects' shared columns: the driver makes a
# new string for every value of every row, and a 32-character hash is an 81-byte object
# repeated in every subject of a street, an area, a surname. The address is left out (mostly
# one household's: a shared copy would cost more in this dict than it saves).
_SHARED: dict[str, str] = {}


def _subject_info(row: tuple[Any, ...]) -> SubjectInfo:
    _ref, kind, surname, address, street, area, region, employee_id, incidents = row
    return SubjectInfo(
        kind,
        surname,
        address,
        street,
        area,
        region,
        employee_id,
        tuple(incidents.split(";")) if incidents else (),
    )


def _subject_infos(rows: Sequence[tuple[Any, ...]]) -> Iterable[tuple[str, SubjectInfo]]:
    """(ref, SubjectInfo) of subject rows (``_SUBJECT_COLUMNS``). Where the subject table is
    large, their repeated values shared (``_SHARED``) and built column by column: sharing
    row by row cost as much again as building the tuples."""
    if not _Preloaded.share:
        return ((row[0], _subject_info(row)) for row in rows)
    if not rows:
        return ()
    refs, kinds, surnames, addresses, streets, areas, regions, employee_ids, incidents = zip(
        *rows, strict=True
    )
    shared = _SHARED.setdefault
    infos = map(
        SubjectInfo,
        map(shared, kinds, kinds),
        map(shared, surnames, surnames),
        addresses,
        map(shared, streets, streets),
        map(shared, areas, areas),
        map(shared, regions, regions),
        employee_ids,
        [tuple(value.split(";")) if value else () for value in incidents],
    )
    return zip(refs, infos, strict=True)


class _Preloaded:
    done = False
    # Whether subjects share their repeated values (``_SHARED``): worth its cost — a third
    # more time to build a subject — only where the table is large (memory, not speed).
    share = False
    # Whether to load the whole subject table: a run over days of events opens most of it,
    # a night's run about a quarter (looked up by reference, that is a fraction of the cost).
    subjects = True


def preload_subjects(*, wanted: bool) -> None:
    """Say whether this run loads the whole subject table when it fits (see ``_Preloaded``)."""
    _Preloaded.subjects = wanted


def _preload() -> None:
    """Load every subject and incident at once when they fit the cache.

    One query per table per run instead of one per chunk. A national subject table (some
    two million at 65,000 employees) does not fit, and is then looked up chunk by chunk.
    """
    if _Preloaded.done:
        return
    _Preloaded.done = True
    # (A night's run looks its quarter of the subjects up by reference: no count, no sharing.)
    subjects = Subject.objects.count() if _Preloaded.subjects else 0
    _Preloaded.share = subjects > SHARE_ABOVE
    if _Preloaded.subjects and subjects <= SUBJECTS.limit:
        SUBJECTS.clear()
        SUBJECTS.complete = True
        # A plain cursor: the ORM's per-row work was a third of loading a whole table. For
        # a large table a server-side one, where the database has them: the driver would
        # otherwise hold the whole result (150 MiB at 20,000 employees) beside the cache.
        columns = ", ".join(
            connection.ops.quote_name(_column(Subject, c)) for c in _SUBJECT_COLUMNS
        )
        cursor_for = connection.chunked_cursor if _Preloaded.share else connection.cursor
        with cursor_for() as cursor:
            cursor.execute(f"SELECT {columns} FROM {Subject._meta.db_table}")  # noqa: S608
            while rows := cursor.fetchmany(20_000):
                SUBJECTS.update(_subject_infos(rows))
    if Incident.objects.count() <= INCIDENT_REGIONS.limit:
        INCIDENT_REGIONS.clear()
        INCIDENT_LIVES.clear()
        INCIDENT_REGIONS.complete = INCIDENT_LIVES.complete = True
        for ref, region, opened, closed in Incident.objects.values_list(
            "ref", "region", "opened_at", "closed_at"
        ).iterator(20_000):
            INCIDENT_REGIONS[ref] = region
            INCIDENT_LIVES[ref] = (region, _epoch(opened, -_FOREVER), _epoch(closed, _FOREVER))


def subjects_for(refs: set[str]) -> dict[str, SubjectInfo | None]:
    """The subjects ``refs`` name (None for an unknown reference), from the cache or the DB."""
    _preload()
    # The answer is taken from the cache before adding to it: adding may empty a full cache.
    result = {ref: SUBJECTS.get(ref) for ref in refs}
    if not SUBJECTS.complete:
        missing = [ref for ref in refs if ref not in SUBJECTS]
        if missing:
            found: dict[str, SubjectInfo | None] = dict.fromkeys(missing)
            found.update(_subject_infos(_rows_by_ref(Subject, _SUBJECT_COLUMNS, missing)))
            SUBJECTS.add_all(found)
            result.update(found)
    return result


def subject_table(refs: Callable[[], set[str]]) -> Mapping[str, SubjectInfo | None]:
    """Subjects to look ``refs()`` up in: the whole table when it is cached in full (a miss
    then means an unknown reference, as with :func:`subjects_for`), else those refs."""
    _preload()
    if SUBJECTS.complete:
        return SUBJECTS
    return subjects_for(refs())


def incident_regions_for(refs: set[str]) -> dict[str, str | None]:
    """The region of each incident (None for an unknown one, "" for nationwide)."""
    _preload()
    result = {ref: INCIDENT_REGIONS.get(ref) for ref in refs}  # before adding: see above
    if not INCIDENT_REGIONS.complete:
        missing = [ref for ref in refs if ref not in INCIDENT_REGIONS]
        if missing:
            found: dict[str, str | None] = dict.fromkeys(missing)
            found.update(
                (row[0], row[1]) for row in _rows_by_ref(Incident, ("ref", "region"), missing)
            )
            INCIDENT_REGIONS.add_all(found)
            result.update(found)
    return result


def incident_region_table(refs: Callable[[], set[str]]) -> Mapping[str, str | None]:
    """Incident regions to look ``refs()`` up in, as :func:`subject_table` for subjects."""
    _preload()
    if INCIDENT_REGIONS.complete:
        return INCIDENT_REGIONS
    return incident_regions_for(refs())


def incident_lives_for(refs: set[str]) -> dict[str, tuple[str, float, float] | None]:
    """(region, opened, closed) of each incident; None for an unknown one."""
    _preload()
    result = {ref: INCIDENT_LIVES.get(ref) for ref in refs}  # before adding: see above
    if not INCIDENT_LIVES.complete:
        missing = [ref for ref in refs if ref not in INCIDENT_LIVES]
        if missing:
            found: dict[str, tuple[str, float, float] | None] = dict.fromkeys(missing)
            for ref, region, opened, closed in _rows_by_ref(
                Incident, ("ref", "region", "opened_at", "closed_at"), missing
            ):
                found[ref] = (region, _epoch(opened, -_FOREVER), _epoch(closed, _FOREVER))
            INCIDENT_LIVES.add_all(found)
            result.update(found)
    return result


def _rows_by_ref(
    model: type[Subject] | type[Incident], columns: tuple[str, ...], refs: list[str]
) -> list[tuple[Any, ...]]:
    """Rows whose ``ref`` is one of ``refs``.

    On PostgreSQL as one text parameter split on the server: adapting thousands of separate
    parameters costs more than the lookup itself.
    """
    if connection.vendor != "postgresql":
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(refs), 500):
            rows += model.objects.filter(ref__in=refs[start : start + 500]).values_list(*columns)
        return rows
    plain = [ref for ref in refs if _SEPARATOR not in ref]
    names = ", ".join(_column(model, c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {names} FROM {model._meta.db_table} "  # noqa: S608 - the model's own columns
            "WHERE ref = ANY(string_to_array(%s, %s))",
            [_SEPARATOR.join(plain), _SEPARATOR],
        )
        rows = list(cursor.fetchall())
    odd = [ref for ref in refs if _SEPARATOR in ref]
    if odd:
        rows += model.objects.filter(ref__in=odd).values_list(*columns)
    return rows


def incidents_of_subjects(refs: set[str]) -> dict[str, set[str]]:
    """Incident references per subject reference (via the link table)."""
    links: dict[str, set[str]] = defaultdict(set)
    ordered = sorted(refs)
    step = 20_000 if connection.vendor == "postgresql" else 500
    for start in range(0, len(ordered), step):
        for subject_ref, incident_ref in SubjectIncident.objects.filter(
            subject__ref__in=ordered[start : start + step]
        ).values_list("subject__ref", "incident_ref"):
            links[subject_ref].add(incident_ref)
    return links


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    column = getattr(field, "column", None)
    if not isinstance(column, str):
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return column


def many(values: Iterable[Any], db_type: str) -> Any:
    """The right-hand side of an ``__in`` lookup over many values (ids, hashes).

    On PostgreSQL one array parameter: Django adapts every value of a list as a parameter
    of its own (a few microseconds each, 15 ms for 5,000 ids), psycopg an array at once.
    """
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT unnest(%s::{db_type}[])", [list(values)])  # noqa: S611 - a type name of ours
    return list(values)


# --- a function's routine work in other regions' incident files (round 14) -----------------

# day -> {employee id: incident files of regions not the employee's own opened that day}
_FILES_ELSEWHERE: dict[datetime.date, dict[int, frozenset[str]]] = {}
# Days a night's run reads from their stored activity instead (``use_stored_elsewhere``)
_STORED_ELSEWHERE: set[datetime.date] = set()
# (day, settings) -> ids of the functions whose staff routinely work other regions' files
_ROUTINE: dict[tuple[Any, ...], frozenset[int]] = {}
# (function id, employment start, employment end) of every employee with a region
_STAFF: list[tuple[int, datetime.date | None, datetime.date | None]] = []
_STAFF_LOADED: list[bool] = [False]


def use_stored_elsewhere(assessed: Iterable[datetime.date]) -> None:
    """Let :func:`routine_elsewhere` read these days from the daily activity rows their
    assessment kept (``DailyActivity.files_elsewhere``) instead of the access log.

    Only for a run that adds days to what earlier, finished runs assessed
    (``runner._only_new_days``): those days' rows were written by the same reckoning from
    the same data, so the answer is the one a full rerun works out — and a night no
    longer scans thirteen day partitions to learn the lookback it judged already. A day
    with a row written before the files were kept is read from the access log.
    """
    _STORED_ELSEWHERE.clear()
    _STORED_ELSEWHERE.update(assessed)


def _load_stored_elsewhere(first: datetime.date, last: datetime.date) -> None:
    """The stored days from ``first`` to ``last`` not known yet: one read of their
    activity rows (those with files, or from before files were kept)."""
    wanted = sorted(
        day for day in _STORED_ELSEWHERE if first <= day <= last and day not in _FILES_ELSEWHERE
    )
    if not wanted:
        return
    _STORED_ELSEWHERE.difference_update(wanted)
    per_day: dict[datetime.date, dict[int, frozenset[str]]] = {day: {} for day in wanted}
    unknown: set[datetime.date] = set()
    # Rows with no files hold "[]": left out here; a null is a row from before they were kept.
    for day, employee_id, refs in (
        DailyActivity.objects.filter(day__in=wanted)
        .exclude(files_elsewhere=[])
        .values_list("day", "employee_id", "files_elsewhere")
    ):
        if refs is None:
            unknown.add(day)
        else:
            per_day[day][employee_id] = frozenset(refs)
    for day, found in per_day.items():
        if day not in unknown:
            _FILES_ELSEWHERE[day] = found


def files_elsewhere_on(day: datetime.date) -> dict[int, frozenset[str]]:
    """Per employee, the incident files of regions other than their own they opened on
    ``day`` (Europe/Amsterdam): one query per day and process, cached for the run.

    Made from the access log and the reference data only — the same for a night's run as
    for a full rerun, whichever of them asks first. A night's run has the days it adds to
    loaded from their stored activity already (:func:`routine_elsewhere`,
    :func:`use_stored_elsewhere`).
    """
    found = _FILES_ELSEWHERE.get(day)
    if found is not None:
        return found
    start = day_start(day)
    end = day_start(day + _ONE_DAY)
    events = AccessEvent._meta.db_table
    incidents = Incident._meta.db_table
    staff = Employee._meta.db_table
    units = Unit._meta.db_table
    # The employee's region as detection knows it: their team's, else their unit's.
    region = "COALESCE(NULLIF(t.region, ''), u.region, '')"
    per_employee: dict[int, set[str]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT e.employee_id, e.incident_ref FROM {events} e "  # noqa: S608 - tables of ours
            f"JOIN {incidents} i ON i.ref = e.incident_ref "
            f"JOIN {staff} s ON s.id = e.employee_id "
            f"JOIN {units} u ON u.id = s.unit_id LEFT JOIN {units} t ON t.id = s.team_id "
            "WHERE e.occurred_at >= %s AND e.occurred_at < %s AND e.incident_ref <> '' "
            f"AND i.region <> '' AND {region} <> '' AND i.region <> {region}",
            [start, end],
        )
        for employee_id, incident_ref in cursor.fetchall():
            per_employee[employee_id].add(incident_ref)
    found = {employee_id: frozenset(refs) for employee_id, refs in per_employee.items()}
    if len(_FILES_ELSEWHERE) > 120:
        _FILES_ELSEWHERE.clear()
    _FILES_ELSEWHERE[day] = found
    return found


def _regional_staff() -> list[tuple[int, datetime.date | None, datetime.date | None]]:
    """(function, employment start, end) of every employee with a region, once a run."""
    if not _STAFF_LOADED[0]:
        _STAFF[:] = list(
            Employee.objects.filter(function__isnull=False)
            .filter(Q(team__region__gt="") | Q(unit__region__gt=""))
            .values_list("function_id", "employment_start", "employment_end")
        )
        _STAFF_LOADED[0] = True
    return _STAFF


def routine_elsewhere(*, day: datetime.date, config: DetectionConfig) -> frozenset[int]:
    """The functions whose staff routinely open incident files of regions not their own,
    learned from the delivery over the ``practice.lookback_days`` ending with ``day``.

    A function qualifies when at least ``practice.min_share`` of its staff with a region
    (employed in the lookback), and at least ``practice.min_staff`` of them, each opened
    incident files of at least ``practice.min_files`` *different* incidents of other
    regions in it. Distinct files per employee, so curiosity about one case — many staff,
    one file each — never makes a practice; and the days before and including ``day``
    only, so a night's run and a full rerun learn the same (round 14: the blind delivery's
    regionally scoped information staff and analysts open other regions' files every few
    days, 99 % of them ten or more in two weeks; patrol, intake and detectives 0–1 %).
    """
    lookback = max(1, config.integer("practice.lookback_days"))
    min_files = max(1, config.integer("practice.min_files"))
    min_share = config.number("practice.min_share")
    min_staff = max(1, config.integer("practice.min_staff"))
    key = (day, lookback, min_files, min_share, min_staff)
    known = _ROUTINE.get(key)
    if known is not None:
        return known
    first = day - datetime.timedelta(days=lookback - 1)
    if _STORED_ELSEWHERE:
        _load_stored_elsewhere(first, day)  # the lookback's stored days in one read
    opened: dict[int, set[str]] = defaultdict(set)
    for offset in range(lookback):
        for employee_id, refs in files_elsewhere_on(
            first + datetime.timedelta(days=offset)
        ).items():
            opened[employee_id] |= refs
    practising = {employee_id for employee_id, refs in opened.items() if len(refs) >= min_files}
    routine: frozenset[int] = frozenset()
    if practising:
        functions = dict(
            Employee.objects.filter(id__in=many(practising, "bigint")).values_list(
                "id", "function_id"
            )
        )
        counts: dict[int, int] = defaultdict(int)
        for function_id in functions.values():
            if function_id is not None:
                counts[function_id] += 1
        headcount: dict[int, int] = defaultdict(int)
        for function_id, started, ended in _regional_staff():
            if (started is None or started <= day) and (ended is None or ended >= first):
                headcount[function_id] += 1
        routine = frozenset(
            function_id
            for function_id, count in counts.items()
            if count >= min_staff and count >= min_share * max(headcount.get(function_id, 0), 1)
        )
    if len(_ROUTINE) > 240:
        _ROUTINE.clear()
    _ROUTINE[key] = routine
    return routine

"""Phase 1, per unit and day: is each access explained, and what does it say?

For every event of the unit's employees on the day (Europe/Amsterdam) this works out,
in this order:

1. **the roster** at that moment (:mod:`.duty`);
2. **the work reason**, per thing opened: an incident is explained by an assignment to it,
   or by need to know for its region (function scope, scope rules); a subject by the
   assignment of the incident it was opened in, by an assignment to an incident it is
   linked to, by a scope rule for that subject, or by need to know for its region;
3. only then, **what is not explained**: the per-event indicators (off duty, after
   employment, self, colleague, relative, neighbour, far-region incident). For the
   personal links (self, colleague, relative, neighbour) only a concrete work reason
   counts — an assignment, a linked incident, a scope rule for that subject — not the
   general need to know of a function.

It writes three kinds of rows for the day: the employee's daily volume, one row per thing
opened without a work reason (for bursts and repeated access), and one row per event that
fired a per-event indicator (with a copy of the event, the evidence of a later signal).
Re-running a chunk replaces exactly these rows: the chunk is idempotent.
"""

from __future__ import annotations

import bisect
import datetime
import io
from collections.abc import Iterable, Mapping
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from monitoring.detection.config import DetectionConfig
from monitoring.detection.context import (
    NATIONAL,
    REGIONAL,
    EmployeeContext,
    SubjectInfo,
    incident_lives_for,
    incident_region_table,
    load_employees,
    many,
    routine_elsewhere,
    subject_table,
)
from monitoring.detection.duty import LEAVE, OFF_DUTY, ON_DUTY, SICK, UNKNOWN
from monitoring.detection.writer import bulk_insert
from monitoring.indicators import Explanation, IndicatorCode
from monitoring.models import AccessEvent, DailyActivity, EventFinding, UnexplainedAccess
from monitoring.periods import AMSTERDAM, day_bounds, day_start
from vik.models import Employee

ASSIGNMENT = Explanation.ASSIGNMENT.value
LINKED = Explanation.LINKED_INCIDENT.value
SCOPE_RULE = Explanation.SCOPE_RULE.value
FUNCTION_SCOPE = Explanation.FUNCTION_SCOPE.value
SCOPED_INCIDENT = Explanation.SCOPED_INCIDENT.value
ROUTINE = Explanation.FUNCTION_ROUTINE.value
NEUTRAL = Explanation.NEUTRAL.value
NONE = Explanation.NONE.value
_WORK_REASONS = {ASSIGNMENT, LINKED}  # concrete work: also explains odd hours
_ABSENT = {LEAVE, SICK}
# subject reasons that leave personal links open
_PERSONAL_OPEN = {NONE, FUNCTION_SCOPE, ROUTINE}
# need to know of a function (or its routine), not a concrete task
_SCOPED = {FUNCTION_SCOPE, SCOPED_INCIDENT, ROUTINE}
# Subject reasons reached after asking whether an incident of the subject's was open at the
# moment (Assessor.in_scope_incident): these depend on the moment itself.
_MOMENT_BOUND = {SCOPED_INCIDENT, NONE}
PERSONAL = "p:"  # a personal link explained only by scope: counted for repeated access
# A subject searched by name and explained by the function's scope alone (round 15): not
# unexplained, but kept so that the signals phase can count it when it joins a burst of
# curiosity about that subject — the scope explains the employee's usual work, not a share
# in everybody's curiosity. Never a burst or a repeated access by itself. Written once a
# run for the subjects of bursts only (round 17, :mod:`.scoped`), not by the assessment.
SCOPED_LOOK = "c:"
# Subject reasons that are the function's scope alone (not a task, not a subject rule).
SCOPE_ONLY = {FUNCTION_SCOPE, SCOPED_INCIDENT}
REFS_KEPT = 50  # events remembered per thing opened per day (evidence)

# An event as judged: [employee id, epoch seconds, event id, subject, incident]. System,
# action and workstation are fetched only for the few events that become findings.
Event = Any
# One employee's events of a chunk, column-wise and in time order:
# (employee id, epoch seconds, event ids, subject refs, incident refs).
EventGroup = tuple[int, list[float], list[str], list[str], list[str]]


_ESCAPES = {
    "\\\\": "\\",
    "\\t": "\t",
    "\\n": "\n",
    "\\r": "\r",
    "\\b": "\b",
    "\\f": "\f",
    "\\v": "\v",
}


def _unescape(text: str) -> str:
    """Undo COPY's text-format escaping (rare: only values with a backslash or control)."""
    result = []
    index = 0
    while index < len(text):
        pair = text[index : index + 2]
        if pair in _ESCAPES:
            result.append(_ESCAPES[pair])
            index += 2
        else:
            result.append(text[index])
            index += 1
    return "".join(result)


def fetch_events(
    *,
    employee_ids: Iterable[int] | None = None,
    unit_id: int | None = None,
    start: datetime.datetime,
    end: datetime.datetime,
) -> list[Event]:
    """Events of a unit's (or some) employees in [start, end), by employee then time."""
    return [
        [employee_id, moment, event_id, subject_ref, incident_ref]
        for employee_id, moments, event_ids, subject_refs, incident_refs in fetch_event_groups(
            employee_ids=employee_ids, unit_id=unit_id, start=start, end=end
        )
        for moment, event_id, subject_ref, incident_ref in zip(
            moments, event_ids, subject_refs, incident_refs, strict=True
        )
    ]


def fetch_event_groups(
    *,
    employee_ids: Iterable[int] | None = None,
    unit_id: int | None = None,
    start: datetime.datetime,
    end: datetime.datetime,
) -> list[EventGroup]:
    """The same events as :func:`fetch_events`, one column-wise group per employee.

    Judging walks an employee's events in time order; columns (moments, event ids,
    subjects, incidents) are built with whole-list operations in C instead of a list per
    event, which is most of what fetching used to cost.
    """
    if connection.vendor == "postgresql":
        if unit_id is not None:
            employee_ids = Employee.objects.filter(unit_id=unit_id).values_list("id", flat=True)
        with connection.cursor() as cursor:
            # An array, not a join: a fresh day partition has no statistics yet, and the
            # planner would pick a nested loop reading the partition once per employee.
            # ::bigint[] — an int[] against the bigint column would not be hashed.
            # date_part gives seconds as a float (extract would give numeric).
            query = cursor.mogrify(
                "SELECT e.employee_id, date_part('epoch', e.occurred_at), e.event_id, "
                "e.subject_ref, e.incident_ref "
                "FROM monitoring_accessevent e WHERE e.occurred_at >= %s AND e.occurred_at < %s "
                "AND e.employee_id = ANY(%s::bigint[]) ORDER BY 1, 2, 3",
                [start, end, list(employee_ids or ())],
            ).decode()
            # COPY TO STDOUT, split into fields at once: several times faster than adapting
            # every value of a hundred thousand rows one by one.
            buffer = io.StringIO()
            cursor.copy_expert(f"COPY ({query}) TO STDOUT", buffer)
        return _groups_from_copy(buffer.getvalue())
    return _groups_from_orm(employee_ids=employee_ids, unit_id=unit_id, start=start, end=end)


def _groups_from_orm(
    *,
    employee_ids: Iterable[int] | None,
    unit_id: int | None,
    start: datetime.datetime,
    end: datetime.datetime,
) -> list[EventGroup]:
    """The events through the ORM, row by row (other databases; the reference in tests)."""
    events = AccessEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    if unit_id is not None:
        events = events.filter(employee__unit_id=unit_id)
    else:
        events = events.filter(employee_id__in=list(employee_ids or ()))
    return group_events(
        [
            (employee_id, moment.timestamp(), *rest)
            for employee_id, moment, *rest in events.order_by(
                "employee_id", "occurred_at", "event_id"
            ).values_list("employee_id", "occurred_at", "event_id", "subject_ref", "incident_ref")
        ]
    )


_COLUMNS = 5  # employee, epoch, event id, subject, incident


def _groups_from_copy(text: str) -> list[EventGroup]:
    """Column-wise groups from COPY's text output (sorted by employee, time, event id)."""
    if not text:
        return []
    if "\\" in text:
        # Rare: a value with a backslash or control character, escaped by COPY (a tab or
        # newline inside a value is escaped too, so splitting is safe otherwise).
        rows: list[list[Any]] = [
            [_unescape(part) for part in line.split("\t")] for line in text.split("\n") if line
        ]
        for row in rows:
            row[0] = int(row[0])
            row[1] = float(row[1])
        return group_events(rows)
    fields = text.replace("\n", "\t").split("\t")
    fields.pop()  # after the last line's newline
    if len(fields) % _COLUMNS:
        raise ValueError("unexpected COPY output: not five columns on every line")
    employees = fields[0::_COLUMNS]
    moments = list(map(float, fields[1::_COLUMNS]))
    event_ids = fields[2::_COLUMNS]
    subject_refs = fields[3::_COLUMNS]
    incident_refs = fields[4::_COLUMNS]
    groups: list[EventGroup] = []
    first = 0
    for employee, run in groupby(employees):
        last = first + len(list(run))
        groups.append(
            (
                int(employee),
                moments[first:last],
                event_ids[first:last],
                subject_refs[first:last],
                incident_refs[first:last],
            )
        )
        first = last
    return groups


def group_events(events: Iterable[Event]) -> list[EventGroup]:
    """Column-wise groups of events given one by one (sorted by employee, then time)."""
    groups: list[EventGroup] = []
    for employee_id, rows in groupby(events, key=itemgetter(0)):
        listed = list(rows)
        groups.append(
            (
                employee_id,
                [row[1] for row in listed],
                [row[2] for row in listed],
                [row[3] for row in listed],
                [row[4] for row in listed],
            )
        )
    return groups


class Assessor:
    """Judges events against the context of their employees (one instance per chunk)."""

    def __init__(
        self,
        *,
        employees: dict[int, EmployeeContext],
        events: list[Event] | None = None,
        config: DetectionConfig,
        groups: list[EventGroup] | None = None,
    ) -> None:
        """Events either one by one (``events``) or column-wise per employee (``groups``)."""
        self.employees = employees
        self.groups = groups if groups is not None else group_events(events or [])
        self.config = config
        groups = self.groups
        # The whole subject and incident tables when this process holds them (one shared
        # dict, nothing built per chunk), else the ones these events name.
        self.subjects: Mapping[str, SubjectInfo | None] = subject_table(
            lambda: {ref for group in groups for ref in group[3] if ref}
        )
        self.incident_regions: Mapping[str, str | None] = incident_region_table(
            lambda: {ref for group in groups for ref in group[4] if ref}
        )
        self.min_street = config.integer("neighbour.min_street_subjects")
        self.incident_grace = config.integer("explain.incident_grace_days") * 86400.0
        # day -> the functions whose staff routinely work other regions' incident files
        self.routine: dict[datetime.date, frozenset[int]] = {}

    @classmethod
    def for_lookups(
        cls,
        *,
        employee_ids: Iterable[int],
        start: datetime.datetime,
        end: datetime.datetime,
        config: DetectionConfig,
        subjects: Mapping[str, SubjectInfo | None],
        incident_regions: Mapping[str, str | None],
    ) -> Assessor:
        """An assessor that judges a few look-ups one by one (:meth:`explain`) outside a
        day's assessment — the second readings of the bursts phase (the own region's scoped
        openers) and of the scoped look-ups at a burst — as the assessment judged them: the
        contexts of just those employees over [start, end), and the subjects and incident
        regions the caller read (``employees`` holds the contexts)."""
        employees = load_employees(
            employee_filter=Q(id__in=many(sorted(set(employee_ids)), "bigint")),
            start=start,
            end=end,
            config=config,
        )
        assessor = cls(employees=employees, config=config, groups=[])
        assessor.subjects = subjects
        assessor.incident_regions = incident_regions
        return assessor

    @property
    def events(self) -> list[Event]:
        """The events judged, one by one (for callers that want them so)."""
        return [
            [employee_id, *event]
            for employee_id, *columns in self.groups
            for event in zip(*columns, strict=True)
        ]

    def in_scope_incident(
        self, employee: EmployeeContext, scope: str | None, subject: SubjectInfo, moment: float
    ) -> bool:
        """Whether the subject is a party in an incident within the employee's need to know
        (their region; every region for national scope) that was open at the time.

        Scoped staff (intake, analysts) open the people of their region's incidents — often
        by searching the person, so the log line does not name the incident. Such a person
        has a work reason through that incident; once the incident is closed (plus
        ``explain.incident_grace_days``) it no longer explains anything.
        """
        if scope is None or not subject.incidents:
            return False
        lives = incident_lives_for(set(subject.incidents))
        grace = self.incident_grace
        for life in lives.values():
            if life is None:
                continue
            region, opened, closed = life
            if scope != NATIONAL and (not region or region != employee.region):
                continue
            if opened - grace <= moment <= closed + grace:
                return True
        return False

    def at_its_incident(
        self, employee: EmployeeContext, subject: SubjectInfo, incident_ref: str, moment: float
    ) -> bool:
        """Whether the subject was opened within an incident file it is a party in (the log
        line names it), of the employee's own region, open at the time (with
        ``explain.incident_grace_days``) — round 13.

        A patrol officer sent to an incident in their own street opens the people of that
        incident from its file: a neighbour met at work, not looked up. Such a look-up is not
        counted among the neighbours in the employee's street (one at their own address
        still is, and so is a neighbour searched by name). The blind delivery at 600
        employees: half of the innocent officers flagged for two neighbours in their street
        had opened one of them this way; no injected neighbour look-up was.
        """
        if not incident_ref or incident_ref not in subject.incidents or not employee.region:
            return False
        life = incident_lives_for({incident_ref}).get(incident_ref)
        if life is None:
            return False
        region, opened, closed = life
        grace = self.incident_grace
        return region == employee.region and opened - grace <= moment <= closed + grace

    def works_elsewhere(self, employee: EmployeeContext, moment: float) -> bool:
        """Whether the employee's function routinely works incident files of other regions
        on the day of ``moment`` (:func:`.context.routine_elsewhere`: learned from the access
        log over the lookback ending that day, one query per day and process) — round 14.

        Regionally scoped information staff and analysts follow other regions' cases as
        their everyday work; their scope rule names their own region only. Where the
        delivery shows most of a function's staff opening files of several other regions,
        an opening of another region's incident file by its regionally scoped staff is
        their function's routine, not curiosity. A person searched outside any such file is
        not: that stays unexplained.
        """
        if employee.function_id is None:
            return False
        day = datetime.datetime.fromtimestamp(moment, AMSTERDAM).date()
        routine = self.routine.get(day)
        if routine is None:
            routine = self.routine[day] = routine_elsewhere(day=day, config=self.config)
        return employee.function_id in routine

    def explain(
        self, employee: EmployeeContext, moment: float, subject_ref: str, incident_ref: str
    ) -> tuple[str, str, str]:
        """(event explanation, subject explanation, incident explanation); "" = not opened."""
        scope = employee.fixed_scope if not employee.timed_scopes else employee.scope_at(moment)
        assignments = employee.assignments
        incident_reason = subject_reason = ""
        # Membership first (a C-level test): most things opened are no assignment or rule
        # of the employee's at all, and the spans need not be looked at.
        if incident_ref:
            if incident_ref in assignments and employee.assigned(incident_ref, moment):
                incident_reason = ASSIGNMENT
            elif scope == NATIONAL or (
                scope == REGIONAL
                and employee.region
                and self.incident_regions.get(incident_ref) == employee.region
            ):
                incident_reason = FUNCTION_SCOPE
            elif (
                scope == REGIONAL
                and employee.region
                and self.incident_regions.get(incident_ref)
                and self.works_elsewhere(employee, moment)
            ):
                # Another region's file, opened by regionally scoped staff of a function
                # whose staff routinely work other regions' files (round 14).
                incident_reason = ROUTINE
            else:
                incident_reason = NONE
        if subject_ref:
            subject = self.subjects.get(subject_ref)
            if incident_reason == ASSIGNMENT:
                subject_reason = ASSIGNMENT  # opened within an assigned incident file
            elif (
                subject is not None
                and assignments
                and not assignments.keys().isdisjoint(subject.incidents)
                and any(employee.assigned(ref, moment) for ref in subject.incidents)
            ):
                subject_reason = LINKED
            elif subject_ref in employee.subject_rules and employee.may_see_subject(
                subject_ref, moment
            ):
                subject_reason = SCOPE_RULE
            elif scope == NATIONAL or (
                scope == REGIONAL
                and subject is not None
                and employee.region
                and subject.region == employee.region
            ):
                subject_reason = FUNCTION_SCOPE
            elif subject is not None and self.in_scope_incident(employee, scope, subject, moment):
                # Registered elsewhere, but a party in an incident of the employee's region.
                subject_reason = SCOPED_INCIDENT
            elif (
                incident_reason == ROUTINE
                and subject is not None
                and incident_ref in subject.incidents
            ):
                # A party opened within that other region's file: the same routine work.
                subject_reason = ROUTINE
            else:
                subject_reason = NONE
        if not incident_reason and not subject_reason:
            return NEUTRAL, "", ""
        if NONE in (incident_reason, subject_reason):
            return NONE, subject_reason, incident_reason
        return subject_reason or incident_reason, subject_reason, incident_reason

    def match_subject(
        self, employee: EmployeeContext, subject: SubjectInfo
    ) -> tuple[str, str] | None:
        """(indicator, how) for a subject opened without a work reason, or None."""
        if subject.employee_id is not None:
            if subject.employee_id == employee.id:
                return IndicatorCode.SELF_LOOKUP.value, "self"
            return IndicatorCode.COLLEAGUE_LOOKUP.value, "colleague"
        if subject.address and employee.relation_addresses:
            # What HR knows comes before any guess from surnames: a relation, or someone
            # living with one (the sister's new partner), whatever the surname.
            surnames = employee.relation_addresses.get(subject.address)
            if surnames is not None:
                if subject.surname and subject.surname in surnames:
                    return IndicatorCode.RELATIVE.value, "relation"
                if subject.address != employee.home:
                    # At the employee's own address the relation's household is the
                    # employee's: someone else there is judged as living at their home.
                    return IndicatorCode.RELATIVE.value, "relation_household"
        same_surname = bool(subject.surname) and subject.surname == employee.surname
        if same_surname and subject.address and subject.address == employee.home:
            return IndicatorCode.RELATIVE.value, "same_surname_home"
        if same_surname and subject.street and subject.street == employee.street:
            return IndicatorCode.RELATIVE.value, "same_surname_street"
        if (
            same_surname
            and not employee.surname_common
            and subject.area
            and subject.area == employee.area
        ):
            return IndicatorCode.RELATIVE.value, "same_surname_area"
        if not same_surname and subject.address and subject.address in employee.family_addresses:
            # Someone else at the home of a bearer of the employee's uncommon surname:
            # "the sister's new partner". The bearer alone (same surname elsewhere) is no
            # sign of family: a shared surname is not a link.
            return IndicatorCode.RELATIVE.value, "family_address"
        if subject.address and subject.address == employee.home:
            return IndicatorCode.NEIGHBOUR.value, "home"
        if subject.street and subject.street == employee.street:
            return IndicatorCode.NEIGHBOUR.value, "street"
        return None

    def run(
        self, day: datetime.date
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[list[Any]]]:
        """Judge every event; returns the rows for the three derived tables.

        The hot loop of detection (every event of the country passes here once), so it is
        written flat with local names; the rare cases call out.
        """
        is_far = self.config.is_far
        explain = self.explain
        subjects = self.subjects
        activity: list[tuple[Any, ...]] = []
        unexplained_rows: list[tuple[Any, ...]] = []
        findings: list[list[Any]] = []
        off_duty_code = IndicatorCode.OFF_DUTY.value
        after_code = IndicatorCode.AFTER_EMPLOYMENT.value
        region_code = IndicatorCode.OUT_OF_REGION_INCIDENT.value
        remember = self._remember
        incident_region = self.incident_regions.get
        for employee_id, moments, event_ids, subject_refs, incident_refs in self.groups:
            employee = self.employees.get(employee_id)
            if employee is None:
                continue
            timeline = employee.timeline
            bounds = timeline.bounds
            statuses = timeline.statuses
            missing = timeline.missing
            last = len(bounds) - 1
            position = -1
            ended = (
                day_start(employee.employment_end + datetime.timedelta(days=1)).timestamp()
                if employee.employment_end
                else float("inf")
            )
            unexplained = off = absent = unknown = touched = 0
            off_first = off_last = 0.0
            opened: dict[str, list[Any]] = {}
            # What a subject must share with the employee for match_subject to find a
            # link: a cheap test first, as most subjects share none of it.
            surname, street = employee.surname, employee.street
            near = {employee.home, *employee.relation_addresses, *employee.family_addresses}
            # An employee opens the same things again and again in a day. When nothing of
            # theirs begins or ends within the day's events, the reasons for a thing are
            # the same all day — except where an incident's life decided (see _MOMENT_BOUND).
            known: dict[tuple[str, str], tuple[str, str, str]] | None = (
                {} if employee.steady_between(moments[0], moments[-1]) else None
            )
            for moment, event_id, subject_ref, incident_ref in zip(
                moments, event_ids, subject_refs, incident_refs, strict=True
            ):
                # Events come in time order: walk the timeline instead of searching it.
                while position < last and bounds[position + 1] <= moment:
                    position += 1
                status = statuses[position] if position >= 0 else UNKNOWN
                if status != ON_DUTY:
                    if timeline.pending is not None and timeline.needs(moment, status):
                        # A moment a row missing from a repeating roster may decide: only
                        # now is the roster's cycle worth finding (the full timeline
                        # differs from the provisional one only at such moments).
                        timeline.resolve()
                        bounds, statuses, missing = (
                            timeline.bounds,
                            timeline.statuses,
                            timeline.missing,
                        )
                        last = len(bounds) - 1
                        position = bisect.bisect_right(bounds, moment) - 1
                        status = statuses[position] if position >= 0 else UNKNOWN
                    if status == OFF_DUTY:
                        off += 1
                        if not off_first:
                            off_first = moment
                        off_last = moment
                    elif status in _ABSENT:
                        absent += 1
                    elif status == UNKNOWN:
                        if missing and timeline.in_missing_row(moment):
                            # A shift missing from a repeating roster: outside the delivered
                            # roster, so with the day's accesses outside it (the unrostered
                            # working day is judged on all of them), but no finding.
                            off += 1
                            if not off_first:
                                off_first = moment
                            off_last = moment
                        else:
                            unknown += 1
                if subject_ref or incident_ref:
                    touched += 1
                    reasons: tuple[str, str, str] | None = None
                    if known is not None:
                        key = (subject_ref, incident_ref)
                        reasons = known.get(key)
                        if reasons is None:
                            reasons = explain(employee, moment, subject_ref, incident_ref)
                            if reasons[1] not in _MOMENT_BOUND:
                                known[key] = reasons
                    else:
                        reasons = explain(employee, moment, subject_ref, incident_ref)
                    explanation, subject_reason, incident_reason = reasons
                else:
                    explanation, subject_reason, incident_reason = NEUTRAL, "", ""
                fired: list[tuple[str, dict[str, Any]]] | None = None
                if moment >= ended:
                    fired = [(after_code, {})]
                if (status == OFF_DUTY or status in _ABSENT) and explanation not in _WORK_REASONS:
                    fired = fired or []
                    fired.append((off_duty_code, {"status": status}))
                if subject_reason in _PERSONAL_OPEN or subject_reason == SCOPED_INCIDENT:
                    # Oneself, a colleague, family, neighbours: the general need to know of a
                    # function does not explain these — otherwise the staff with the widest
                    # access would be exempt. A concrete task does, and so does an incident
                    # within the function's scope that the person is a party in (whether or
                    # not the log line names it); oneself only an assignment.
                    subject = subjects.get(subject_ref)
                    if subject is not None and (
                        subject.employee_id is not None
                        or subject.address in near
                        or (subject.surname and subject.surname == surname)
                        or (subject.street and subject.street == street)
                    ):
                        match = self.match_subject(employee, subject)
                        if match is not None:
                            if (
                                subject_reason == FUNCTION_SCOPE
                                and match[1] != "self"
                                and self.in_scope_incident(
                                    employee, scope_of(employee, moment), subject, moment
                                )
                            ):
                                subject_reason = SCOPED_INCIDENT
                            if subject_reason in _SCOPED:
                                # Explained by scope only: still counted for repeated access
                                # (the same colleague on many days is not intake work).
                                remember(
                                    opened,
                                    PERSONAL + subject_ref,
                                    event_id,
                                    moment,
                                    status,
                                    _within(subject, incident_ref),
                                )
                            if (subject_reason != SCOPED_INCIDENT or match[1] == "self") and not (
                                # A neighbour met at work: opened within an open incident
                                # file of the employee's own region that names them (round 13).
                                match[1] == "street"
                                and self.at_its_incident(employee, subject, incident_ref, moment)
                            ):
                                fired = fired or []
                                fired.append((match[0], {"match": match[1]}))
                if explanation == NONE:
                    unexplained += 1
                    if subject_reason == NONE:
                        remember(
                            opened,
                            "s:" + subject_ref,
                            event_id,
                            moment,
                            status,
                            _within(subjects.get(subject_ref), incident_ref),
                        )
                    if incident_reason == NONE:
                        remember(opened, "i:" + incident_ref, event_id, moment, status)
                        region = self.incident_regions.get(incident_ref)
                        if region and is_far(employee.region, region):
                            fired = fired or []
                            fired.append((region_code, {"region": region}))
                if fired:
                    for code, details in fired:
                        findings.append(
                            _finding(
                                employee_id,
                                day,
                                code,
                                (moment, event_id, subject_ref, incident_ref),
                                status,
                                explanation,
                                details,
                            )
                        )
            activity.append(
                (
                    employee_id,
                    day,
                    len(moments),
                    unexplained,
                    off,
                    absent,
                    unknown,
                    touched,
                    _utc(off_first),
                    _utc(off_last),
                    # The incident files of other regions opened, kept for the nights
                    # that follow (``files_elsewhere``): what ``files_elsewhere_on``
                    # reads from the access log, this employee's part of it.
                    sorted(
                        {
                            ref
                            for ref in set(incident_refs)
                            if ref and incident_region(ref) not in (None, "", employee.region)
                        }
                    )
                    if employee.region
                    else [],
                )
            )
            unexplained_rows.extend(
                (employee_id, day, target, item[0], item[1]) for target, item in opened.items()
            )
        return activity, unexplained_rows, findings

    @staticmethod
    def _remember(
        opened: dict[str, list[Any]],
        target: str,
        event_id: str,
        moment: float,
        status: str,
        within: str = "",
    ) -> None:
        # A person opened within the file of an incident they are a party in keeps that
        # incident with the event (round 13): the case the opening belongs to.
        ref = [event_id, moment, status, within] if within else [event_id, moment, status]
        item = opened.get(target)
        if item is None:
            opened[target] = [1, [ref]]
        else:
            item[0] += 1
            if len(item[1]) < REFS_KEPT:
                item[1].append(ref)


def _within(subject: SubjectInfo | None, incident_ref: str) -> str:
    """The incident whose file a person was opened in, when the log line names one that
    they are a party in; else "" (round 13: which incident network the opening belongs to)."""
    if incident_ref and subject is not None and incident_ref in subject.incidents:
        return incident_ref
    return ""


def scope_of(employee: EmployeeContext, moment: float) -> str | None:
    """The function scope of an employee at a moment (None: none)."""
    return employee.fixed_scope if not employee.timed_scopes else employee.scope_at(moment)


def _finding(
    employee_id: int,
    day: datetime.date,
    code: str,
    event: tuple[float, str, str, str],
    status: str,
    explanation: str,
    details: dict[str, Any],
) -> list[Any]:
    moment, event_id, subject_ref, incident_ref = event
    # System, action and workstation ("") are filled in by _complete_findings.
    return [
        employee_id,
        day,
        code,
        event_id,
        datetime.datetime.fromtimestamp(moment, datetime.UTC),
        "",
        "",
        subject_ref,
        incident_ref,
        "",
        status,
        explanation,
        details,
    ]


def _complete_findings(findings: list[Any], day: datetime.date) -> None:
    """Copy system, action and workstation into the findings (the evidence keeps them)."""
    if not findings:
        return
    start, end = day_bounds(day)
    ids = sorted({finding[3] for finding in findings})
    # The moments as well: the primary key (occurred_at, event_id) then finds the rows
    # directly, where event ids alone meant reading the whole day's partition.
    moments = sorted({finding[4] for finding in findings})
    known = {
        event_id: (system, action, workstation)
        for event_id, system, action, workstation in AccessEvent.objects.filter(
            occurred_at__gte=start, occurred_at__lt=end, occurred_at__in=moments, event_id__in=ids
        ).values_list("event_id", "system", "action", "workstation")
    }
    for finding in findings:
        finding[5], finding[6], finding[9] = known.get(finding[3], ("", "", ""))


ACTIVITY_FIELDS = (
    "employee_id",
    "day",
    "events",
    "unexplained",
    "off_duty",
    "absent",
    "unknown_roster",
    "opened",
    "off_first",
    "off_last",
    "files_elsewhere",
)


def _utc(moment: float) -> datetime.datetime | None:
    return datetime.datetime.fromtimestamp(moment, datetime.UTC) if moment else None


UNEXPLAINED_FIELDS = ("employee_id", "day", "target", "events", "refs")
FINDING_FIELDS = (
    "employee_id",
    "day",
    "indicator",
    "event_id",
    "occurred_at",
    "system",
    "action",
    "subject_ref",
    "incident_ref",
    "workstation",
    "duty_status",
    "explanation",
    "details",
)


def assess_units_day(
    *,
    units: dict[int, dict[int, EmployeeContext]],
    day: datetime.date,
    config: DetectionConfig,
) -> dict[int, dict[str, int]]:
    """Phase 1 for some units on one day: judge their events, replace the day's derived rows.

    The day's partition is read once for all of them (one scan instead of one per unit);
    each unit is judged on its own, so the result is the same as unit by unit.
    """
    start, end = day_bounds(day)
    owner = {employee_id: unit_id for unit_id, staff in units.items() for employee_id in staff}
    groups = fetch_event_groups(employee_ids=list(owner), start=start, end=end)
    per_unit: dict[int, list[EventGroup]] = {unit_id: [] for unit_id in units}
    for group in groups:
        per_unit[owner[group[0]]].append(group)
    # The subjects the day names, looked up once for all the units (a region's hot subjects
    # are opened in many of them); each unit's assessor then finds them cached.
    subject_table(lambda: {ref for group in groups for ref in group[3] if ref})
    activity: list[tuple[Any, ...]] = []
    unexplained: list[tuple[Any, ...]] = []
    findings: list[list[Any]] = []
    stats: dict[int, dict[str, int]] = {}
    for unit_id, unit_groups in per_unit.items():
        rows = Assessor(employees=units[unit_id], groups=unit_groups, config=config).run(day)
        activity += rows[0]
        unexplained += rows[1]
        findings += rows[2]
        stats[unit_id] = {
            "events": sum(len(group[1]) for group in unit_groups),
            "unexplained": len(rows[1]),
            "findings": len(rows[2]),
        }
    _complete_findings(findings, day)
    with transaction.atomic():
        _delete_day(list(units), day)
        bulk_insert(DailyActivity, ACTIVITY_FIELDS, activity)
        bulk_insert(UnexplainedAccess, UNEXPLAINED_FIELDS, unexplained)
        bulk_insert(EventFinding, FINDING_FIELDS, findings)
    return stats


def _delete_day(unit_ids: list[int], day: datetime.date) -> None:
    """Remove the day's derived rows of the units' employees (plain SQL: no ORM collector)."""
    placeholders = ", ".join(["%s"] * len(unit_ids))
    with connection.cursor() as cursor:
        for model in (DailyActivity, UnexplainedAccess, EventFinding):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE day = %s AND employee_id IN "  # noqa: S608 - a model's table
                f"(SELECT id FROM vik_employee WHERE unit_id IN ({placeholders}))",
                [day, *unit_ids],
            )

"""Import of reference data: the context that decides whether an access was work.

``import_reference DIR`` upserts whichever of these files the directory holds (each may
also be gzipped, ``<name>.csv.gz``), each file in its own transaction:

* ``units.csv`` and ``employees.csv`` — through the core's importer
  (:func:`vik.imports.import_organisation`); from ``employees.csv`` this module keeps only
  keyed hashes of the home address (:class:`~monitoring.models.EmployeeHome`);
* ``incidents.csv``, ``subjects.csv``, ``assignments.csv``, ``rosters.csv``;
* ``scope_rules.csv`` (an optional extension of the exchange format:
  ``function,unit_code,employee_id,scope,subject_ref,valid_from,valid_until,reason``) —
  need to know by function, unit or employee, e.g. "intake has regional scope";
* ``relations.csv`` (optional: the relations HR knows, hashed; :mod:`.relations`).

Every bad row is reported with its line number and reason; every good row is kept.
Re-importing the same files changes nothing and writes no history. Rows are written in
bulk with their history rows (simple-history's bulk helpers). A rosters file is
authoritative for the period it covers per employee: an entry it no longer lists there
(a swapped shift, cancelled leave) is removed, with a history row saying so.

Afterwards, events that were flagged because their employee, subject or incident was
unknown are re-linked to what is now known.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from monitoring.imports.batches import running_batch
from monitoring.imports.limits import ImportLimits, import_limits
from monitoring.imports.relations import import_relations
from monitoring.matching import address_hashes, surname_hash
from monitoring.models import (
    Assignment,
    EmployeeHome,
    EventFlag,
    ImportBatch,
    ImportRejection,
    Incident,
    RosterEntry,
    ScopeRule,
    Subject,
    SubjectIncident,
)
from monitoring.periods import parse_moment
from vik.csvio import (
    CsvHeaderError,
    ImportReport,
    column_lengths,
    open_text,
    parse_date,
    read_csv,
)
from vik.history import stamp
from vik.imports import EMPLOYEE_COLUMNS, import_organisation
from vik.models import Employee, Function, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ROSTER_COLUMNS = ("employee_id", "start", "end", "kind")
INCIDENT_COLUMNS = ("incident_ref", "region", "opened_at", "closed_at")
ASSIGNMENT_COLUMNS = ("employee_id", "incident_ref", "start", "end")
SUBJECT_COLUMNS = (
    "subject_ref",
    "kind",
    "last_name",
    "postcode",
    "house_number",
    "region",
    "incident_refs",
    "employee_id",
)
SCOPE_RULE_COLUMNS = (
    "function",
    "unit_code",
    "employee_id",
    "scope",
    "subject_ref",
    "valid_from",
    "valid_until",
    "reason",
)
# The columns stored as they come, bounded by their database columns: a longer value is
# rejected with its line (PostgreSQL would refuse it, and with it the whole file).
INCIDENT_LENGTHS = column_lengths(Incident, incident_ref="ref", region="region")
SUBJECT_LENGTHS = column_lengths(
    Subject, subject_ref="ref", region="region", employee_id="employee_number"
)
ASSIGNMENT_LENGTHS = column_lengths(Assignment, incident_ref="incident_ref")
SCOPE_RULE_LENGTHS = column_lengths(ScopeRule, subject_ref="subject_ref")
REASON = "Import {file}"
CHUNK = 20_000  # rows compared and written at a time: bounds memory for national files


def find_file(directory: Path, stem: str) -> Path | None:
    """``<stem>.csv`` or ``<stem>.csv.gz`` in ``directory``."""
    for candidate in (directory / f"{stem}.csv", directory / f"{stem}.csv.gz"):
        if candidate.exists():
            return candidate
    return None


def import_reference(
    *, directory: Path, acting_user: User | None, limits: ImportLimits | None = None
) -> tuple[ImportReport, ImportBatch]:
    """Upsert every reference file present in ``directory`` and re-link flagged events.

    The batch always ends "done" or "failed": an unexpected error is recorded on it before
    it propagates, and a batch whose process was killed is closed by the next import.
    """
    limits = limits or import_limits()
    with running_batch(
        kind=ImportBatch.Kind.REFERENCE, source=str(directory), acting_user=acting_user
    ) as batch:
        report = import_organisation(directory=directory, acting_user=acting_user)
        steps: list[tuple[str, Callable[..., ImportReport]]] = [
            ("employees", import_employee_homes),
            ("incidents", partial(import_incidents, limits=limits)),
            ("subjects", import_subjects),
            ("assignments", partial(import_assignments, limits=limits)),
            ("rosters", partial(import_rosters, limits=limits)),
            ("scope_rules", import_scope_rules),
            ("relations", import_relations),
        ]
        # The lines of each file the organisation's import refused: the home addresses of
        # ``employees.csv`` must not come from a row whose employee was not stored as written.
        refused = {(rejection.file, rejection.line) for rejection in report.rejections}
        for stem, importer in steps:
            path = find_file(directory, stem)
            if path is None:
                continue
            if importer is import_employee_homes:
                lines = frozenset(line for file, line in refused if file == path.name)
                importer = partial(import_employee_homes, refused_lines=lines)
            report.merge(importer(path=path, acting_user=acting_user))
        relink_events()
        ImportRejection.objects.bulk_create(
            [
                ImportRejection(batch=batch, file=r.file[:255], line=r.line, reason=r.reason[:500])
                for r in report.rejections
            ],
            batch_size=2000,
        )
        batch.imported = report.created
        batch.updated = report.updated
        batch.unchanged = report.unchanged
        batch.rejected = report.rejected
        batch.status = ImportBatch.Status.DONE
        batch.finished_at = timezone.now()
        batch.save()
    return report, batch


# --- helpers ----------------------------------------------------------------------------


def _rows(
    path: Path,
    columns: tuple[str, ...],
    report: ImportReport,
    lengths: dict[str, int] | None = None,
) -> Iterator[Row]:
    """The well-formed rows of a file as (line, values); malformed ones go to the report.

    ``lengths`` bounds the columns stored as they come (:func:`vik.csvio.column_lengths`).
    """
    with open_text(path) as stream:
        try:
            for row in read_csv(stream, required=columns, max_lengths=lengths):
                if row.values is None:
                    report.reject(path.name, row.line, row.problem)
                else:
                    yield Row(row.line, row.values)
        except CsvHeaderError as error:
            report.reject(path.name, 1, str(error))


class Row(NamedTuple):
    line: int
    values: dict[str, str]


def _chunks(rows: Iterator[Row], size: int = CHUNK) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _assign(instance: models.Model, fields: dict[str, Any]) -> bool:
    """Set fields on an instance; True when anything actually changed."""
    changed = False
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _save(
    model: type[models.Model],
    created: list[Any],
    updated: list[Any],
    fields: list[str],
    *,
    acting_user: User | None,
    reason: str,
) -> None:
    if created:
        bulk_create_with_history(
            created, model, batch_size=2000, default_user=acting_user, default_change_reason=reason
        )
    if updated:
        bulk_update_with_history(
            updated,
            model,
            fields,
            batch_size=2000,
            default_user=acting_user,
            default_change_reason=reason,
        )


def _delete_with_history(
    objects: list[Any], model: type[models.Model], *, acting_user: User | None, reason: str
) -> None:
    """Delete one by one, so each history row says who and why (there are few: corrections)."""
    del model
    for obj in objects:
        stamp(obj, acting_user=acting_user, reason=reason).delete()


def _employee_ids() -> dict[str, int]:
    return dict(Employee.objects.values_list("personnel_number", "id"))


# --- employees' homes -------------------------------------------------------------------


@transaction.atomic
def import_employee_homes(
    *, path: Path, acting_user: User | None, refused_lines: frozenset[int] = frozenset()
) -> ImportReport:
    """Keyed hashes of the home address of each employee in ``employees.csv``.

    Rows the core importer rejected (``refused_lines``) are neither reported twice nor
    used: a refused row of an employee stored before (an unknown unit, an end before the
    start) must not change that employee's home either. An employee it did not store is
    skipped here.
    """
    report = ImportReport()
    reason = REASON.format(file=path.name)
    employees = _employee_ids()
    existing = {home.employee_id: home for home in EmployeeHome.objects.all()}
    created: list[EmployeeHome] = []
    updated: list[EmployeeHome] = []
    silent = ImportReport()  # the core importer already reported malformed rows
    for row in _rows(path, EMPLOYEE_COLUMNS, silent):
        if row.line in refused_lines:
            continue
        values = row.values
        employee_id = employees.get(values["employee_id"])
        if employee_id is None:
            continue
        hashes = address_hashes(values["home_postcode"], values["home_house_number"])
        fields = {
            "address_hash": hashes.address,
            "street_hash": hashes.street,
            "area_hash": hashes.area,
        }
        home = existing.get(employee_id)
        if home is None:
            home = EmployeeHome(employee_id=employee_id, **fields)
            existing[employee_id] = home
            created.append(home)
        elif _assign(home, fields):
            home.updated_at = timezone.now()
            updated.append(home)
    _save(
        EmployeeHome,
        created,
        updated,
        ["address_hash", "street_hash", "area_hash", "updated_at"],
        acting_user=acting_user,
        reason=reason,
    )
    # Counted under the core's employees; only changes are worth a mention here.
    report.updated += len(updated)
    return report


# --- incidents --------------------------------------------------------------------------


@transaction.atomic
def import_incidents(
    *, path: Path, acting_user: User | None, limits: ImportLimits | None = None
) -> ImportReport:
    """Upsert incidents by reference; dates later than the accepted period are refused."""
    limits = limits or import_limits()
    report = ImportReport()
    reason = REASON.format(file=path.name)
    for chunk in _chunks(_rows(path, INCIDENT_COLUMNS, report, INCIDENT_LENGTHS)):
        refs = [row.values["incident_ref"] for row in chunk]
        existing = {i.ref: i for i in Incident.objects.filter(ref__in=refs)}
        created: dict[str, Incident] = {}
        updated: dict[str, Incident] = {}
        for row in chunk:
            values = row.values
            ref = values["incident_ref"]
            try:
                if not ref:
                    raise ValueError("incident_ref is required")
                opened = parse_moment(values["opened_at"])
                closed = parse_moment(values["closed_at"], end_of_day=True)
                if opened and closed and closed < opened:
                    raise ValueError("closed_at is before opened_at")
                problem = limits.not_after_problem("opened_at", opened) or (
                    limits.not_after_problem("closed_at", closed)
                )
                if problem:
                    raise ValueError(problem)
            except ValueError as error:
                report.reject(path.name, row.line, str(error))
                continue
            fields = {"region": values["region"], "opened_at": opened, "closed_at": closed}
            incident = existing.get(ref) or created.get(ref)
            if incident is None:
                created[ref] = Incident(ref=ref, **fields)
            elif _assign(incident, fields):
                if incident.pk:
                    updated[ref] = incident
            elif incident.pk:
                report.unchanged += 1
        _save(
            Incident,
            list(created.values()),
            list(updated.values()),
            ["region", "opened_at", "closed_at"],
            acting_user=acting_user,
            reason=reason,
        )
        report.created += len(created)
        report.updated += len(updated)
    return report


# --- subjects ---------------------------------------------------------------------------

_SUBJECT_KINDS = {kind.value for kind in Subject.Kind}
_SUBJECT_FIELDS = [
    "kind",
    "surname_hash",
    "address_hash",
    "street_hash",
    "area_hash",
    "region",
    "incident_refs",
    "employee_number",
    "employee_id",
]


@transaction.atomic
def import_subjects(*, path: Path, acting_user: User | None) -> ImportReport:
    """Upsert subjects by reference, storing keyed hashes instead of names and addresses.

    ``incident_refs`` is ``;``-separated; the subject's incident links are rebuilt when it
    changes. An ``employee_id`` that matches no employee is kept as given and linked when
    the employee appears.
    """
    report = ImportReport()
    reason = REASON.format(file=path.name)
    employees = _employee_ids()
    for chunk in _chunks(_rows(path, SUBJECT_COLUMNS, report, SUBJECT_LENGTHS)):
        refs = [row.values["subject_ref"] for row in chunk]
        existing = {s.ref: s for s in Subject.objects.filter(ref__in=refs)}
        created: dict[str, Subject] = {}
        updated: dict[str, Subject] = {}
        for row in chunk:
            values = row.values
            ref = values["subject_ref"]
            if not ref:
                report.reject(path.name, row.line, "subject_ref is required")
                continue
            if values["kind"] not in _SUBJECT_KINDS:
                report.reject(
                    path.name,
                    row.line,
                    f"unknown kind {values['kind']!r} "
                    f"(expected one of {', '.join(sorted(_SUBJECT_KINDS))})",
                )
                continue
            parts = {part.strip() for part in values["incident_refs"].split(";") if part.strip()}
            if any(len(part) > INCIDENT_LENGTHS["incident_ref"] for part in parts):
                report.reject(
                    path.name,
                    row.line,
                    f"an incident reference in incident_refs is longer than "
                    f"{INCIDENT_LENGTHS['incident_ref']:,} characters",
                )
                continue
            hashes = address_hashes(values["postcode"], values["house_number"])
            incident_refs = ";".join(sorted(parts))
            number = values["employee_id"]
            fields = {
                "kind": values["kind"],
                "surname_hash": surname_hash(values["last_name"]),
                "address_hash": hashes.address,
                "street_hash": hashes.street,
                "area_hash": hashes.area,
                "region": values["region"],
                "incident_refs": incident_refs,
                "employee_number": number,
                "employee_id": employees.get(number) if number else None,
            }
            subject = existing.get(ref) or created.get(ref)
            if subject is None:
                created[ref] = Subject(ref=ref, **fields)
            elif _assign(subject, fields):
                if subject.pk:
                    updated[ref] = subject
            elif subject.pk:
                report.unchanged += 1
        _save(
            Subject,
            list(created.values()),
            list(updated.values()),
            _SUBJECT_FIELDS,
            acting_user=acting_user,
            reason=reason,
        )
        changed = list(created.values()) + list(updated.values())
        if any(subject.pk is None for subject in changed):  # backends without RETURNING
            ids = dict(
                Subject.objects.filter(ref__in=[s.ref for s in changed]).values_list("ref", "id")
            )
            for subject in changed:
                subject.pk = ids[subject.ref]
        SubjectIncident.objects.filter(subject__in=[s.pk for s in updated.values()]).delete()
        SubjectIncident.objects.bulk_create(
            [
                SubjectIncident(subject_id=subject.pk, incident_ref=incident_ref)
                for subject in changed
                for incident_ref in subject.incident_refs.split(";")
                if incident_ref
            ],
            batch_size=5000,
        )
        report.created += len(created)
        report.updated += len(updated)
    return report


# --- assignments ------------------------------------------------------------------------


@transaction.atomic
def import_assignments(
    *, path: Path, acting_user: User | None, limits: ImportLimits | None = None
) -> ImportReport:
    """Upsert assignments by (employee, incident, start); a later file may set the end.

    Start and end must lie in the accepted period and the assignment must not last longer
    than the limit (``monitoring/imports/limits.py``); an empty end is an open assignment.
    """
    limits = limits or import_limits()
    report = ImportReport()
    reason = REASON.format(file=path.name)
    employees = _employee_ids()
    for chunk in _chunks(_rows(path, ASSIGNMENT_COLUMNS, report, ASSIGNMENT_LENGTHS)):
        parsed: list[tuple[int, str, datetime.datetime, datetime.datetime | None]] = []
        for row in chunk:
            values = row.values
            try:
                employee_id = employees.get(values["employee_id"])
                if not values["employee_id"]:
                    raise ValueError("employee_id is required")
                if employee_id is None:
                    raise ValueError(f"unknown employee {values['employee_id']!r}")
                if not values["incident_ref"]:
                    raise ValueError("incident_ref is required")
                start = parse_moment(values["start"])
                if start is None:
                    raise ValueError("start is required")
                end = parse_moment(values["end"], end_of_day=True)
                if end is not None and end < start:
                    raise ValueError("end is before start")
                problem = (
                    limits.reference_problem("start", start)
                    or limits.reference_problem("end", end)
                    or limits.span_problem(start, end, limits.assignment_max)
                )
                if problem:
                    raise ValueError(problem)
            except ValueError as error:
                report.reject(path.name, row.line, str(error))
                continue
            parsed.append((employee_id, values["incident_ref"], start, end))
        existing = {
            (a.employee_id, a.incident_ref, a.start): a
            for a in Assignment.objects.filter(
                employee_id__in={p[0] for p in parsed}, incident_ref__in={p[1] for p in parsed}
            )
        }
        created: dict[tuple[int, str, datetime.datetime], Assignment] = {}
        updated: dict[tuple[int, str, datetime.datetime], Assignment] = {}
        for employee_id, incident_ref, start, end in parsed:
            key = (employee_id, incident_ref, start)
            assignment = existing.get(key) or created.get(key)
            if assignment is None:
                created[key] = Assignment(
                    employee_id=employee_id, incident_ref=incident_ref, start=start, end=end
                )
            elif _assign(assignment, {"end": end}):
                if assignment.pk:
                    updated[key] = assignment
            elif assignment.pk:
                report.unchanged += 1
        _save(
            Assignment,
            list(created.values()),
            list(updated.values()),
            ["end"],
            acting_user=acting_user,
            reason=reason,
        )
        report.created += len(created)
        report.updated += len(updated)
    return report


# --- rosters ----------------------------------------------------------------------------

_ROSTER_KINDS = {kind.value for kind in RosterEntry.Kind}


@transaction.atomic
def import_rosters(
    *, path: Path, acting_user: User | None, limits: ImportLimits | None = None
) -> ImportReport:
    """Upsert roster entries; per employee, the file is authoritative for the span it covers.

    Entries are matched on (employee, kind, start); a changed end is an update. An entry
    stored earlier that lies within the span of an employee's rows in this file but is not
    in the file any more is removed (with a history row). Outside that span nothing is
    touched, so weekly files add up. A row outside the accepted period or longer than the
    limit is refused (``monitoring/imports/limits.py``): it would otherwise widen the span
    and remove the employee's real entries.
    """
    limits = limits or import_limits()
    report = ImportReport()
    reason = REASON.format(file=path.name)
    employees = _employee_ids()
    wanted: dict[tuple[int, str, datetime.datetime], datetime.datetime] = {}
    span: dict[int, list[datetime.datetime]] = {}
    for row in _rows(path, ROSTER_COLUMNS, report):
        values = row.values
        try:
            if not values["employee_id"]:
                raise ValueError("employee_id is required")
            employee_id = employees.get(values["employee_id"])
            if employee_id is None:
                raise ValueError(f"unknown employee {values['employee_id']!r}")
            if values["kind"] not in _ROSTER_KINDS:
                raise ValueError(
                    f"unknown kind {values['kind']!r} "
                    f"(expected one of {', '.join(sorted(_ROSTER_KINDS))})"
                )
            start = parse_moment(values["start"])
            end = parse_moment(values["end"], end_of_day=True)
            if start is None or end is None:
                raise ValueError("start and end are required")
            if end <= start:
                raise ValueError("end is not after start")
            problem = (
                limits.reference_problem("start", start)
                or limits.reference_problem("end", end)
                or limits.span_problem(start, end, limits.roster_max)
            )
            if problem:
                raise ValueError(problem)
        except ValueError as error:
            report.reject(path.name, row.line, str(error))
            continue
        wanted[(employee_id, values["kind"], start)] = end
        bounds = span.setdefault(employee_id, [start, end])
        bounds[0] = min(bounds[0], start)
        bounds[1] = max(bounds[1], end)

    by_employee: dict[int, list[tuple[str, datetime.datetime, datetime.datetime]]] = defaultdict(
        list
    )
    for (employee_id, kind, start), end in wanted.items():
        by_employee[employee_id].append((kind, start, end))
    employee_ids = sorted(by_employee)
    for offset in range(0, len(employee_ids), 2000):
        group = employee_ids[offset : offset + 2000]
        first = min(span[e][0] for e in group)
        last = max(span[e][1] for e in group)
        stored = RosterEntry.objects.filter(employee_id__in=group, start__lt=last, end__gt=first)
        existing = {(r.employee_id, r.kind, r.start): r for r in stored}
        created: list[RosterEntry] = []
        updated: list[RosterEntry] = []
        for employee_id in group:
            for kind, start, end in by_employee[employee_id]:
                entry = existing.pop((employee_id, kind, start), None)
                if entry is None:
                    created.append(
                        RosterEntry(employee_id=employee_id, kind=kind, start=start, end=end)
                    )
                elif _assign(entry, {"end": end}):
                    updated.append(entry)
                else:
                    report.unchanged += 1
        stale = [
            entry
            for entry in existing.values()
            if span[entry.employee_id][0] <= entry.start and entry.end <= span[entry.employee_id][1]
        ]
        _delete_with_history(stale, RosterEntry, acting_user=acting_user, reason=reason)
        _save(RosterEntry, created, updated, ["end"], acting_user=acting_user, reason=reason)
        report.created += len(created)
        report.updated += len(updated) + len(stale)
    return report


# --- scope rules ------------------------------------------------------------------------

_SCOPES = {scope.value for scope in ScopeRule.Scope}


@transaction.atomic
def import_scope_rules(*, path: Path, acting_user: User | None) -> ImportReport:
    """Upsert imported scope rules, matched on (target, scope, subject)."""
    report = ImportReport()
    reason = REASON.format(file=path.name)
    functions = dict(Function.objects.values_list("code", "id"))
    units = dict(Unit.objects.values_list("code", "id"))
    employees = _employee_ids()
    existing = {
        (r.function_id, r.unit_id, r.employee_id, r.scope, r.subject_ref): r
        for r in ScopeRule.objects.filter(source=ScopeRule.Source.IMPORT)
    }
    created: list[ScopeRule] = []
    updated: list[ScopeRule] = []
    for row in _rows(path, SCOPE_RULE_COLUMNS, report, SCOPE_RULE_LENGTHS):
        values = row.values
        try:
            targets = [values["function"], values["unit_code"], values["employee_id"]]
            if sum(1 for target in targets if target) != 1:
                raise ValueError("give exactly one of function, unit_code and employee_id")
            function_id = functions.get(values["function"]) if values["function"] else None
            unit_id = units.get(values["unit_code"]) if values["unit_code"] else None
            employee_id = employees.get(values["employee_id"]) if values["employee_id"] else None
            if values["function"] and function_id is None:
                raise ValueError(f"unknown function {values['function']!r}")
            if values["unit_code"] and unit_id is None:
                raise ValueError(f"unknown unit {values['unit_code']!r}")
            if values["employee_id"] and employee_id is None:
                raise ValueError(f"unknown employee {values['employee_id']!r}")
            if values["scope"] not in _SCOPES:
                raise ValueError(
                    f"unknown scope {values['scope']!r} (expected one of {', '.join(sorted(_SCOPES))})"
                )
            if (values["scope"] == ScopeRule.Scope.SUBJECT) != bool(values["subject_ref"]):
                raise ValueError("subject_ref belongs with the scope 'subject' (and only there)")
            valid_from = parse_date(values["valid_from"])
            valid_until = parse_date(values["valid_until"])
            if valid_from and valid_until and valid_until < valid_from:
                raise ValueError("valid_until is before valid_from")
        except ValueError as error:
            report.reject(path.name, row.line, str(error))
            continue
        key = (function_id, unit_id, employee_id, values["scope"], values["subject_ref"])
        fields = {
            "valid_from": valid_from,
            "valid_until": valid_until,
            "reason": values["reason"] or reason,
        }
        rule = existing.get(key)
        if rule is None:
            rule = ScopeRule(
                function_id=function_id,
                unit_id=unit_id,
                employee_id=employee_id,
                scope=values["scope"],
                subject_ref=values["subject_ref"],
                source=ScopeRule.Source.IMPORT,
                **fields,
            )
            existing[key] = rule
            created.append(rule)
        elif _assign(rule, fields):
            if rule.pk:
                updated.append(rule)
        elif rule.pk:
            report.unchanged += 1
    _save(
        ScopeRule,
        created,
        updated,
        ["valid_from", "valid_until", "reason"],
        acting_user=acting_user,
        reason=reason,
    )
    report.created += len(created)
    report.updated += len(updated)
    return report


# --- re-linking flagged events ----------------------------------------------------------


@transaction.atomic
def relink_events() -> dict[str, int]:
    """Link flagged events (and subjects) to employees, subjects, incidents now known.

    Works only on flagged rows (a partial index on PostgreSQL), so it is cheap when, as
    usual, there are few.
    """
    unknown_employee = int(EventFlag.UNKNOWN_EMPLOYEE)
    unknown_subject = int(EventFlag.UNKNOWN_SUBJECT)
    unknown_incident = int(EventFlag.UNKNOWN_INCIDENT)
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE monitoring_accessevent SET flags = flags - %s, employee_id = "
            "(SELECT e.id FROM vik_employee e WHERE e.personnel_number = employee_number) "
            "WHERE flags > 0 AND (flags & %s) = %s "
            "AND employee_number IN (SELECT personnel_number FROM vik_employee)",
            [unknown_employee, unknown_employee, unknown_employee],
        )
        counts["employees"] = cursor.rowcount
        for column, table, flag, name in (
            ("subject_ref", "monitoring_subject", unknown_subject, "subjects"),
            ("incident_ref", "monitoring_incident", unknown_incident, "incidents"),
        ):
            cursor.execute(
                f"UPDATE monitoring_accessevent SET flags = flags - %s "  # noqa: S608 - fixed names
                f"WHERE flags > 0 AND (flags & %s) = %s AND {column} IN (SELECT ref FROM {table})",
                [flag, flag, flag],
            )
            counts[name] = cursor.rowcount
    employees = _employee_ids()
    orphans = list(
        Subject.objects.filter(employee__isnull=True)
        .exclude(employee_number="")
        .only("id", "employee_number")
    )
    linked = [s for s in orphans if s.employee_number in employees]
    for subject in linked:
        subject.employee_id = employees[subject.employee_number]
    if linked:
        bulk_update_with_history(
            linked,
            Subject,
            ["employee_id"],
            batch_size=2000,
            default_change_reason="Koppeling aan medewerker",
        )
    counts["subjects_linked"] = len(linked)
    return counts

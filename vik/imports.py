"""Import of units and employees from the exchange CSV files (upsert; idempotent).

``units.csv``: ``code,name,parent_code,kind,region``
``employees.csv``: ``employee_id,first_name,last_name,unit_code,team_code,function,
home_postcode,home_house_number,start_date,end_date`` (the home address columns are not
kept by the core; Protective Monitoring stores keyed hashes of them).

Re-importing the same file changes nothing and writes no history. Rows are written in bulk
with their history rows (simple-history's bulk helpers), so a national import of 65,000
employees takes seconds, not an hour.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from vik.csvio import (
    CsvHeaderError,
    ImportReport,
    column_lengths,
    open_text,
    parse_date,
    read_csv,
)
from vik.history import stamp
from vik.models import Employee, Function, Unit
from vik.services import rebuild_unit_ancestry

if TYPE_CHECKING:
    from django.contrib.auth.models import User

UNIT_COLUMNS = ("code", "name", "parent_code", "kind", "region")
EMPLOYEE_COLUMNS = (
    "employee_id",
    "first_name",
    "last_name",
    "unit_code",
    "team_code",
    "function",
    "home_postcode",
    "home_house_number",
    "start_date",
    "end_date",
)
IMPORT_REASON = "Import {file}"
_UNIT_KINDS = {kind.value for kind in Unit.Kind}


def _find(directory: Path, stem: str) -> Path | None:
    for candidate in (directory / f"{stem}.csv", directory / f"{stem}.csv.gz"):
        if candidate.exists():
            return candidate
    return None


def import_organisation(*, directory: Path, acting_user: User | None) -> ImportReport:
    """Upsert ``units.csv`` and ``employees.csv`` from a directory (either may be absent)."""
    report = ImportReport()
    if units := _find(directory, "units"):
        report.merge(import_units(path=units, acting_user=acting_user))
    if employees := _find(directory, "employees"):
        report.merge(import_employees(path=employees, acting_user=acting_user))
    return report


@transaction.atomic
def import_units(*, path: Path, acting_user: User | None) -> ImportReport:
    """Upsert units by code, then link parents (a parent may appear after its child)."""
    report = ImportReport()
    reason = IMPORT_REASON.format(file=path.name)
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    with open_text(path) as stream:
        try:
            lengths = column_lengths(Unit, code="code", name="name", region="region")
            for row in read_csv(stream, required=UNIT_COLUMNS, max_lengths=lengths):
                values = row.values
                if values is None:
                    report.reject(path.name, row.line, row.problem)
                elif not values["code"] or not values["name"]:
                    report.reject(path.name, row.line, "code and name are required")
                elif values["kind"] not in _UNIT_KINDS:
                    report.reject(
                        path.name,
                        row.line,
                        f"unknown kind {values['kind']!r} "
                        f"(expected one of {', '.join(sorted(_UNIT_KINDS))})",
                    )
                else:
                    rows[values["code"]] = (row.line, values)
        except CsvHeaderError as error:
            report.reject(path.name, 1, str(error))
            return report

    existing = {unit.code: unit for unit in Unit.objects.all()}
    known_codes = set(existing) | set(rows)
    for code, (line, values) in list(rows.items()):
        parent = values["parent_code"]
        if parent and parent not in known_codes:
            report.reject(path.name, line, f"unknown parent unit {parent!r}")
            del rows[code]
        elif parent == code:
            report.reject(path.name, line, "a unit cannot be its own parent")
            del rows[code]

    to_create: list[Unit] = []
    to_update: list[Unit] = []
    for code, (_line, values) in rows.items():
        unit = existing.get(code) or Unit(code=code)
        fields = {"name": values["name"], "kind": values["kind"], "region": values["region"]}
        if unit.pk is None:
            _assign(unit, fields)
            to_create.append(unit)
        elif _assign(unit, fields):
            to_update.append(unit)
        else:
            report.unchanged += 1
    if to_create:
        bulk_create_with_history(
            to_create, Unit, default_user=acting_user, default_change_reason=reason
        )
    if to_update:
        bulk_update_with_history(
            to_update,
            Unit,
            ["name", "kind", "region"],
            default_user=acting_user,
            default_change_reason=reason,
        )
    report.created += len(to_create)
    report.updated += len(to_update)

    # Second pass: parents, now that every unit exists.
    by_code = {unit.code: unit for unit in Unit.objects.all()}
    reparented = []
    for code, (_line, values) in rows.items():
        unit = by_code[code]
        parent_id = by_code[values["parent_code"]].pk if values["parent_code"] else None
        if unit.parent_id != parent_id:
            unit.parent_id = parent_id
            reparented.append(unit)
    if reparented:
        bulk_update_with_history(
            reparented, Unit, ["parent"], default_user=acting_user, default_change_reason=reason
        )
    rebuild_unit_ancestry()
    return report


@transaction.atomic
def import_employees(*, path: Path, acting_user: User | None) -> ImportReport:
    """Upsert employees by personnel number; functions are created on first sight.

    The file is read as a stream and written in batches: memory follows the organisation
    (every known employee is held to compare with), never the file, so a delivery of
    gigabytes — a hostile one, or a national one with a fault — cannot exhaust a worker.
    """
    report = ImportReport()
    reason = IMPORT_REASON.format(file=path.name)
    units = {unit.code: unit.pk for unit in Unit.objects.only("id", "code")}
    functions = {function.code: function.pk for function in Function.objects.only("id", "code")}
    batch = _EmployeeBatch(
        existing={employee.personnel_number: employee for employee in Employee.objects.all()},
        acting_user=acting_user,
        reason=reason,
        report=report,
    )
    lengths = {
        **column_lengths(
            Employee,
            employee_id="personnel_number",
            first_name="first_name",
            last_name="last_name",
        ),
        **column_lengths(Function, function="code"),
    }
    lines: dict[str, int] = {}  # personnel number -> its line
    with open_text(path) as stream:
        try:
            for row in read_csv(stream, required=EMPLOYEE_COLUMNS, max_lengths=lengths):
                values = row.values
                if values is None:
                    report.reject(path.name, row.line, row.problem)
                    continue
                if values["function"] and values["function"] not in functions:
                    functions[values["function"]] = _new_function(
                        values["function"], acting_user=acting_user, reason=reason
                    )
                try:
                    fields = _employee_fields(values, units, functions)
                except ValueError as error:
                    report.reject(path.name, row.line, str(error))
                    continue
                number = values["employee_id"]
                if first := lines.get(number):
                    # Which of two rows is the employee is for HR to say, not for a guess:
                    # the first is kept, so a re-import of the same file changes nothing.
                    report.reject(
                        path.name, row.line, f"employee_id {number!r} is already on line {first}"
                    )
                    continue
                lines[number] = row.line
                batch.add(number, fields)
        except CsvHeaderError as error:
            report.reject(path.name, 1, str(error))
            return report
    batch.flush()
    return report


def _new_function(code: str, *, acting_user: User | None, reason: str) -> int:
    """A function seen for the first time, created with its history row."""
    function = stamp(Function(code=code, name=code), acting_user=acting_user, reason=reason)
    function.save()
    return function.pk


class _EmployeeBatch:
    """Employees to create or update, written every ``SIZE`` rows with their history rows."""

    SIZE = 2000

    def __init__(
        self,
        *,
        existing: dict[str, Employee],
        acting_user: User | None,
        reason: str,
        report: ImportReport,
    ) -> None:
        self.existing = existing
        self.acting_user = acting_user
        self.reason = reason
        self.report = report
        self.to_create: dict[str, Employee] = {}
        self.to_update: dict[str, Employee] = {}

    def add(self, number: str, fields: dict[str, Any]) -> None:
        """One employee's row (each personnel number once per file)."""
        employee = self.existing.get(number)
        if employee is None:
            self.to_create[number] = Employee(personnel_number=number, **fields)
        elif _assign(employee, fields):
            self.to_update[number] = employee
        else:
            self.report.unchanged += 1
        if len(self.to_create) + len(self.to_update) >= self.SIZE:
            self.flush()

    def flush(self) -> None:
        """Write what is waiting, with one history row per employee written."""
        if self.to_create:
            bulk_create_with_history(
                list(self.to_create.values()),
                Employee,
                batch_size=self.SIZE,
                default_user=self.acting_user,
                default_change_reason=self.reason,
            )
            self.report.created += len(self.to_create)
        if self.to_update:
            bulk_update_with_history(
                list(self.to_update.values()),
                Employee,
                list(_EMPLOYEE_FIELDS),
                batch_size=self.SIZE,
                default_user=self.acting_user,
                default_change_reason=self.reason,
            )
            self.report.updated += len(self.to_update)
        self.to_create = {}
        self.to_update = {}


_EMPLOYEE_FIELDS = (
    "first_name",
    "last_name",
    "unit_id",
    "team_id",
    "function_id",
    "employment_start",
    "employment_end",
)


def _employee_fields(
    values: dict[str, str], units: dict[str, int], functions: dict[str, int]
) -> dict[str, Any]:
    for required in ("employee_id", "first_name", "last_name", "unit_code"):
        if not values[required]:
            raise ValueError(f"{required} is required")
    if values["unit_code"] not in units:
        raise ValueError(f"unknown unit {values['unit_code']!r}")
    if values["team_code"] and values["team_code"] not in units:
        raise ValueError(f"unknown team {values['team_code']!r}")
    start = parse_date(values["start_date"])
    end = parse_date(values["end_date"])
    if start and end and end < start:
        raise ValueError("end_date is before start_date")
    return {
        "first_name": values["first_name"],
        "last_name": values["last_name"],
        "unit_id": units[values["unit_code"]],
        "team_id": units[values["team_code"]] if values["team_code"] else None,
        "function_id": functions[values["function"]] if values["function"] else None,
        "employment_start": start,
        "employment_end": end,
    }


def _assign(instance: Any, fields: dict[str, Any]) -> bool:
    """Set fields on an instance; True when anything actually changed."""
    changed = False
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed

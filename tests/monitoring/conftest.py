"""Fixtures for Protective Monitoring: exchange files written by hand, imported for real.

:class:`Delivery` builds a delivery the way the police systems would send it — rosters,
incidents, assignments, subjects, homes, events — into a temporary directory, then loads it
through the real importers, so every test exercises the exchange format too.
"""

from __future__ import annotations

import csv
import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from monitoring import services
from monitoring.detection import context, runner
from monitoring.models import DetectionRun, Signal
from monitoring.periods import AMSTERDAM
from tests.conftest import World
from vik.imports import EMPLOYEE_COLUMNS
from vik.models import Employee

WINDOW_START = datetime.date(2026, 10, 19)  # a signal window: 19 Oct – 1 Nov 2026 (DST on 25 Oct)
WINDOW_END = datetime.date(2026, 11, 1)
EVENT_COLUMNS = (
    "event_id",
    "occurred_at",
    "employee_id",
    "system",
    "action",
    "subject_ref",
    "incident_ref",
    "workstation",
)


def at(day: datetime.date | str, clock: str = "12:00", *, fold: int = 0) -> datetime.datetime:
    """A wall-clock moment in Amsterdam (``fold=1``: the second 02:30 of 25 October)."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.datetime.combine(day, datetime.time(hour, minute, fold=fold), tzinfo=AMSTERDAM)


def iso(moment: datetime.datetime | str) -> str:
    return moment if isinstance(moment, str) else moment.isoformat()


@dataclass
class Delivery:
    """One exchange delivery under construction."""

    directory: Path
    rosters: list[list[str]] = field(default_factory=list)
    incidents: list[list[str]] = field(default_factory=list)
    assignments: list[list[str]] = field(default_factory=list)
    subjects: list[list[str]] = field(default_factory=list)
    scope_rules: list[list[str]] = field(default_factory=list)
    homes: dict[str, tuple[str, str]] = field(default_factory=dict)
    events: list[list[str]] = field(default_factory=list)
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # --- reference data -----------------------------------------------------------------

    def shift(
        self,
        employee: Employee,
        start: datetime.datetime,
        end: datetime.datetime,
        kind: str = "shift",
    ) -> None:
        self.rosters.append([employee.personnel_number, iso(start), iso(end), kind])

    def office_weeks(
        self,
        employee: Employee,
        first: datetime.date = WINDOW_START - datetime.timedelta(days=7),
        last: datetime.date = WINDOW_END + datetime.timedelta(days=7),
    ) -> None:
        """Office hours (08:30–17:00) on weekdays from ``first`` to ``last``."""
        day = first
        while day <= last:
            if day.weekday() < 5:
                self.shift(employee, at(day, "08:30"), at(day, "17:00"))
            day += datetime.timedelta(days=1)

    def incident(self, ref: str, region: str = "AM") -> str:
        self.incidents.append([ref, region, iso(at("2026-09-01")), ""])
        return ref

    def assign(
        self,
        employee: Employee,
        incident_ref: str,
        start: datetime.datetime | str = "2026-09-01",
        end: datetime.datetime | str = "",
    ) -> None:
        self.assignments.append([employee.personnel_number, incident_ref, iso(start), iso(end)])

    def subject(
        self,
        ref: str,
        *,
        kind: str = "person",
        last_name: str = "Onbekend",
        postcode: str = "",
        house_number: str = "",
        region: str = "AM",
        incidents: tuple[str, ...] = (),
        employee: Employee | None = None,
    ) -> str:
        self.subjects.append(
            [
                ref,
                kind,
                last_name,
                postcode,
                house_number,
                region,
                ";".join(incidents),
                employee.personnel_number if employee else "",
            ]
        )
        return ref

    def home(self, employee: Employee, postcode: str, house_number: str) -> None:
        self.homes[employee.personnel_number] = (postcode, house_number)

    def scope(
        self,
        *,
        function: str = "",
        unit: str = "",
        employee: str = "",
        scope: str = "regional",
        subject: str = "",
    ) -> None:
        self.scope_rules.append([function, unit, employee, scope, subject, "", "", "test"])

    # --- events -------------------------------------------------------------------------

    def event(
        self,
        employee: Employee | str,
        moment: datetime.datetime | str,
        *,
        subject: str = "",
        incident: str = "",
        action: str = "view",
        system: str = "BVH",
        event_id: str | None = None,
    ) -> str:
        event_id = event_id or f"ev-{next(self.counter):06d}"
        number = employee if isinstance(employee, str) else employee.personnel_number
        self.events.append(
            [event_id, iso(moment), number, system, action, subject, incident, "WS-1"]
        )
        return event_id

    def lookups(
        self, employee: Employee, moment: datetime.datetime, count: int, prefix: str
    ) -> list[str]:
        """``count`` look-ups of fresh strangers, a few minutes apart."""
        ids = []
        for index in range(count):
            ref = self.subject(
                f"{prefix}-{index}",
                last_name=f"Vreemd{prefix}{index}",
                postcode="9999ZZ",
                house_number=str(index + 1),
            )
            ids.append(
                self.event(employee, moment + datetime.timedelta(minutes=5 * index), subject=ref)
            )
        return ids

    # --- loading ------------------------------------------------------------------------

    def write(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        files: dict[str, tuple[tuple[str, ...], list[list[str]]]] = {
            "rosters": (("employee_id", "start", "end", "kind"), self.rosters),
            "incidents": (("incident_ref", "region", "opened_at", "closed_at"), self.incidents),
            "assignments": (("employee_id", "incident_ref", "start", "end"), self.assignments),
            "subjects": (
                (
                    "subject_ref",
                    "kind",
                    "last_name",
                    "postcode",
                    "house_number",
                    "region",
                    "incident_refs",
                    "employee_id",
                ),
                self.subjects,
            ),
            "scope_rules": (
                (
                    "function",
                    "unit_code",
                    "employee_id",
                    "scope",
                    "subject_ref",
                    "valid_from",
                    "valid_until",
                    "reason",
                ),
                self.scope_rules,
            ),
        }
        if self.homes:
            files["employees"] = (EMPLOYEE_COLUMNS, self._employee_rows())
        for name, (header, rows) in files.items():
            if rows:
                _write(self.directory / f"{name}.csv", header, rows)
        _write(self.directory / "events.csv", EVENT_COLUMNS, self.events)

    def _employee_rows(self) -> list[list[str]]:
        """Every employee as the database has them, plus the homes set here."""
        rows = []
        for employee in Employee.objects.select_related("unit", "team", "function"):
            postcode, number = self.homes.get(employee.personnel_number, ("", ""))
            rows.append(
                [
                    employee.personnel_number,
                    employee.first_name,
                    employee.last_name,
                    employee.unit.code,
                    employee.team.code if employee.team else "",
                    employee.function.code if employee.function else "",
                    postcode,
                    number,
                    employee.employment_start.isoformat() if employee.employment_start else "",
                    employee.employment_end.isoformat() if employee.employment_end else "",
                ]
            )
        return rows

    def load(self) -> None:
        """Write the files and import them: reference data first, then the access log."""
        self.write()
        context.reset_caches()
        services.import_reference_data(directory=self.directory, acting_user=None)
        report = services.import_access_logs(
            paths=[self.directory / "events.csv"], acting_user=None
        )
        assert not report.failed, report.failed

    def detect(
        self, start: datetime.date = WINDOW_START, end: datetime.date = WINDOW_END
    ) -> DetectionRun:
        self.load()
        return detect(start, end)


def detect(start: datetime.date = WINDOW_START, end: datetime.date = WINDOW_END) -> DetectionRun:
    runner.reset_caches()
    return services.start_detection(start=start, end=end, acting_user=None, inline=True)


def _write(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)


def indicators_of(employee: Employee) -> dict[str, Any]:
    """The indicator codes of an employee's live signals, with their details."""
    found: dict[str, Any] = {}
    for signal in Signal.objects.filter(employee=employee).exclude(status=Signal.Status.WITHDRAWN):
        for indicator in signal.indicators.all():
            found[indicator.code] = {
                key: value for key, value in indicator.details.items() if key != "window"
            }
    return found


@pytest.fixture
def delivery(tmp_path: Path, world: World) -> Delivery:
    """An empty delivery for the test organisation (the ``world`` fixture)."""
    return Delivery(directory=tmp_path / "delivery")


@pytest.fixture
def make_delivery(tmp_path: Path) -> Callable[[str], Delivery]:
    """More deliveries in one test (e.g. a later one that corrects an earlier one)."""

    def make(name: str) -> Delivery:
        return Delivery(directory=tmp_path / name)

    return make

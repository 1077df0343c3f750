"""Importing reference data: upserts, line-numbered rejections, hashes instead of names."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from monitoring import services
from monitoring.matching import address_hashes, surname_hash
from monitoring.models import (
    Assignment,
    EmployeeHome,
    ImportBatch,
    ImportRejection,
    Incident,
    RosterEntry,
    ScopeRule,
    Subject,
    SubjectIncident,
)
from tests.conftest import World

pytestmark = pytest.mark.django_db


def write(directory: Path, name: str, text: str) -> None:
    directory.mkdir(exist_ok=True)
    (directory / f"{name}.csv").write_text(text, encoding="utf-8")


def load(directory: Path):
    report, _batch = services.import_reference_data(directory=directory, acting_user=None)
    return report


def test_rosters_incidents_assignments_with_every_rejection(world: World, tmp_path: Path) -> None:
    n = world.subject.personnel_number
    write(
        tmp_path,
        "rosters",
        "employee_id,start,end,kind\n"
        f"{n},2026-10-24T23:00:00+02:00,2026-10-25T07:00:00+01:00,shift\n"
        f"{n},2026-10-26,2026-10-27,leave\n"
        "999999,2026-10-26T08:00:00+01:00,2026-10-26T16:00:00+01:00,shift\n"
        f"{n},2026-10-26T08:00:00+01:00,2026-10-26T07:00:00+01:00,shift\n"
        f"{n},2026-10-26T08:00:00+01:00,2026-10-26T16:00:00+01:00,holiday\n"
        f"{n},2026-10-26T08:00:00,2026-10-26T16:00:00+01:00,shift\n",
    )
    write(
        tmp_path,
        "incidents",
        "incident_ref,region,opened_at,closed_at\n"
        "I-1,AM,2026-09-01,\n"
        ",AM,,\n"
        "I-2,DH,2026-09-02,2026-08-30\n",
    )
    write(
        tmp_path,
        "assignments",
        "employee_id,incident_ref,start,end\n"
        f"{n},I-1,2026-09-01,\n"
        f"{n},,2026-09-01,\n"
        "999999,I-1,2026-09-01,\n"
        f"{n},I-1,,\n",
    )
    report = load(tmp_path)
    assert [str(r) for r in report.rejections] == [
        "incidents.csv:3: incident_ref is required",
        "incidents.csv:4: closed_at is before opened_at",
        "assignments.csv:3: incident_ref is required",
        "assignments.csv:4: unknown employee '999999'",
        "assignments.csv:5: start is required",
        "rosters.csv:4: unknown employee '999999'",
        "rosters.csv:5: end is not after start",
        "rosters.csv:6: unknown kind 'holiday' (expected one of leave, oncall, shift, sick)",
        "rosters.csv:7: timestamp '2026-10-26T08:00:00' has no UTC offset",
    ]
    night = RosterEntry.objects.get(kind="shift")
    assert (night.end - night.start).total_seconds() == 9 * 3600  # the night of the DST change
    leave = RosterEntry.objects.get(kind="leave")
    assert (leave.end - leave.start).days == 2  # dates: the end day is inclusive
    assert Incident.objects.get().ref == "I-1"
    assert Assignment.objects.get().end is None
    batch = ImportBatch.objects.get(kind=ImportBatch.Kind.REFERENCE)
    assert batch.rejected == 9
    assert ImportRejection.objects.filter(batch=batch).count() == 9


def test_reimport_changes_nothing_and_writes_no_history(world: World, tmp_path: Path) -> None:
    n = world.subject.personnel_number
    write(
        tmp_path,
        "rosters",
        f"employee_id,start,end,kind\n{n},2026-10-26T08:00:00+01:00,2026-10-26T16:00:00+01:00,shift\n",
    )
    write(
        tmp_path,
        "subjects",
        "subject_ref,kind,last_name,postcode,house_number,region,incident_refs,employee_id\nS-1,person,Jansen,1011AB,1,AM,I-1;I-2,\n",
    )
    load(tmp_path)
    history = (RosterEntry.history.count(), Subject.history.count())
    report = load(tmp_path)
    assert (report.created, report.updated, report.rejected) == (0, 0, 0)
    assert report.unchanged == 2
    assert (RosterEntry.history.count(), Subject.history.count()) == history


def test_a_rosters_file_is_authoritative_for_the_period_it_covers(
    world: World, tmp_path: Path
) -> None:
    n = world.subject.personnel_number
    head = "employee_id,start,end,kind\n"
    first = tmp_path / "first"
    write(
        first,
        "rosters",
        head
        + f"{n},2026-10-26T08:00:00+01:00,2026-10-26T16:00:00+01:00,shift\n"
        + f"{n},2026-10-27T08:00:00+01:00,2026-10-27T16:00:00+01:00,shift\n"
        + f"{n},2026-10-28T08:00:00+01:00,2026-10-28T16:00:00+01:00,shift\n",
    )
    load(first)
    second = tmp_path / "second"  # the 27th became leave: the shift is gone
    write(
        second,
        "rosters",
        head
        + f"{n},2026-10-26T08:00:00+01:00,2026-10-26T16:00:00+01:00,shift\n"
        + f"{n},2026-10-27,2026-10-27,leave\n"
        + f"{n},2026-10-28T08:00:00+01:00,2026-10-28T16:00:00+01:00,shift\n",
    )
    load(second)
    kinds = list(RosterEntry.objects.order_by("start").values_list("kind", flat=True))
    assert kinds == ["shift", "leave", "shift"]
    removed = RosterEntry.history.filter(history_type="-").get()
    assert removed.history_change_reason == "Import rosters.csv"


def test_subjects_are_stored_as_keyed_hashes_only(world: World, tmp_path: Path) -> None:
    write(
        tmp_path,
        "subjects",
        "subject_ref,kind,last_name,postcode,house_number,region,incident_refs,employee_id\n"
        f"S-1,person,van den Berg,1011 ab,12 a,AM,I-1; I-2,{world.colleague.personnel_number}\n"
        "S-2,spaceship,X,,,AM,,\n"
        ",person,X,,,AM,,\n"
        "S-3,vehicle,Kok,1011AB,5,LB,,777777\n",
    )
    report = load(tmp_path)
    assert [str(r) for r in report.rejections] == [
        "subjects.csv:3: unknown kind 'spaceship' (expected one of address, person, vehicle)",
        "subjects.csv:4: subject_ref is required",
    ]
    subject = Subject.objects.get(ref="S-1")
    hashes = address_hashes("1011AB", "12A")
    assert subject.surname_hash == surname_hash("Berg, van den")
    assert (subject.address_hash, subject.street_hash, subject.area_hash) == (
        hashes.address,
        hashes.street,
        hashes.area,
    )
    assert subject.employee == world.colleague
    assert subject.incident_refs == "I-1;I-2"
    assert set(SubjectIncident.objects.values_list("incident_ref", flat=True)) == {"I-1", "I-2"}
    stored = " ".join(str(value) for value in Subject.objects.values_list().first())
    assert "Berg" not in stored
    assert "1011" not in stored
    # An owner who is not (yet) an employee is kept as given, and linked when they appear.
    orphan = Subject.objects.get(ref="S-3")
    assert (orphan.employee_number, orphan.employee) == ("777777", None)


def test_home_addresses_come_from_employees_csv_as_hashes(world: World, tmp_path: Path) -> None:
    s = world.subject
    write(
        tmp_path,
        "employees",
        "employee_id,first_name,last_name,unit_code,team_code,function,home_postcode,home_house_number,start_date,end_date\n"
        f"{s.personnel_number},{s.first_name},{s.last_name},AM,AM-D1-T1,Agent,1011AB,12,,\n",
    )
    load(tmp_path)
    home = EmployeeHome.objects.get(employee=s)
    assert home.address_hash == address_hashes("1011AB", "12").address
    assert home.history.count() == 1


def test_a_refused_employee_row_does_not_change_the_employees_home(
    world: World, tmp_path: Path
) -> None:
    """The organisation's import refuses the row (an unknown unit): the home address of the
    same row must not be taken either — the employee is still the one stored before."""
    s = world.subject
    header = "employee_id,first_name,last_name,unit_code,team_code,function,home_postcode,home_house_number,start_date,end_date\n"
    write(
        tmp_path,
        "employees",
        header
        + f"{s.personnel_number},{s.first_name},{s.last_name},AM,AM-D1-T1,Agent,1011AB,12,,\n",
    )
    load(tmp_path)
    write(
        tmp_path,
        "employees",
        header + f"{s.personnel_number},{s.first_name},{s.last_name},XX,,Agent,9999ZZ,1,,\n",
    )
    report = load(tmp_path)
    assert [(r.file, r.line) for r in report.rejections] == [("employees.csv", 2)]
    home = EmployeeHome.objects.get(employee=s)
    assert home.address_hash == address_hashes("1011AB", "12").address
    assert home.history.count() == 1


def test_scope_rules(world: World, tmp_path: Path) -> None:
    write(
        tmp_path,
        "scope_rules",
        "function,unit_code,employee_id,scope,subject_ref,valid_from,valid_until,reason\n"
        "Agent,,,regional,,,,Intake\n"
        ",AM,,national,,,2026-12-31,Pilot\n"
        f",,{world.subject.personnel_number},subject,S-1,,,Afgehandeld\n"
        "Agent,AM,,regional,,,,twee doelen\n"
        "Onbekend,,,regional,,,,x\n"
        "Agent,,,subject,,,,zonder subject\n",
    )
    report = load(tmp_path)
    assert [str(r) for r in report.rejections] == [
        "scope_rules.csv:5: give exactly one of function, unit_code and employee_id",
        "scope_rules.csv:6: unknown function 'Onbekend'",
        "scope_rules.csv:7: subject_ref belongs with the scope 'subject' (and only there)",
    ]
    assert ScopeRule.objects.count() == 3
    assert load(tmp_path).unchanged == 3


def test_the_command(world: World, tmp_path: Path) -> None:
    write(tmp_path, "incidents", "incident_ref,region,opened_at,closed_at\nI-1,AM,,\n,AM,,\n")
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_reference", str(tmp_path), stdout=stdout, stderr=stderr)
    assert stdout.getvalue().startswith("created=1 updated=0 unchanged=0 rejected=1")
    assert "incidents.csv:3: incident_ref is required" in stderr.getvalue()


def test_a_value_too_long_to_store_costs_only_its_row(world: World, tmp_path: Path) -> None:
    # PostgreSQL refuses a value longer than its column; one such value must not cost the
    # file (the whole transaction) — it is rejected with its line like any other bad row.
    long_ref = "I-" + "9" * 63
    write(
        tmp_path,
        "incidents",
        "incident_ref,region,opened_at,closed_at\n"
        f"{long_ref},AM,2026-10-01,\n"
        "I-1,AMSTERDAM-CENTRUM,2026-10-01,\n"
        "I-2,AM,2026-10-01,\n",
    )
    write(
        tmp_path,
        "subjects",
        "subject_ref,kind,last_name,postcode,house_number,region,incident_refs,employee_id\n"
        f"S-1,person,Kok,,,AM,,{'7' * 33}\n"
        "S-2,person,Kok,,,AM,,\n"
        f"S-3,person,Kok,,,AM,I-2;{long_ref},\n",
    )
    report = load(tmp_path)
    assert [str(r) for r in report.rejections] == [
        "incidents.csv:2: incident_ref is longer than 64 characters",
        "incidents.csv:3: region is longer than 8 characters",
        "subjects.csv:2: employee_id is longer than 32 characters",
        "subjects.csv:4: an incident reference in incident_refs is longer than 64 characters",
    ]
    assert list(Incident.objects.values_list("ref", flat=True)) == ["I-2"]
    assert list(Subject.objects.values_list("ref", flat=True)) == ["S-2"]

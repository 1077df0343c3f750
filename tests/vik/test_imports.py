"""Importing units and employees: idempotent upserts, every bad row reported by line."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.core.management import call_command

from vik.imports import import_organisation
from vik.models import Employee, Unit, UnitAncestry

pytestmark = pytest.mark.django_db

UNITS = """code,name,parent_code,kind,region
AM-D1-T1,Basisteam 1,AM-D1,team,AM
AM,Eenheid Amsterdam,,regional,AM
AM-D1,District 1,AM,district,AM
XX,Bad kind,,planet,
ORPHAN,Orphan,NOPE,team,AM
"""
EMPLOYEES = """employee_id,first_name,last_name,unit_code,team_code,function,home_postcode,home_house_number,start_date,end_date
100001,Anna,de Vries,AM,AM-D1-T1,Agent,1011AB,1,2010-01-01,
100002,Bram,Jansen,AM,,Rechercheur,1011AB,2,2011-02-03,2030-01-01
100003,Carmen,Bakker,ZZ,,Agent,,,2012-01-01,
100004,Daan,Visser,AM,,Agent,,,01-01-2012,
100005,Eva,Smit,AM,,Agent
,Fatima,Meijer,AM,,Agent,,,,
100007,Gijs,Mulder,AM,,Agent,,,2020-01-01,2019-01-01
"""


def write(directory: Path, units: str = UNITS, employees: str = EMPLOYEES) -> Path:
    (directory / "units.csv").write_text(units, encoding="utf-8")
    (directory / "employees.csv").write_text(employees, encoding="utf-8")
    return directory


def test_valid_rows_are_kept_and_bad_rows_reported_by_line(tmp_path: Path) -> None:
    report = import_organisation(directory=write(tmp_path), acting_user=None)
    assert set(Unit.objects.values_list("code", flat=True)) == {"AM", "AM-D1", "AM-D1-T1"}
    assert set(Employee.objects.values_list("personnel_number", flat=True)) == {"100001", "100002"}
    assert [str(r) for r in report.rejections] == [
        "units.csv:5: unknown kind 'planet' (expected one of district, national, regional, support, team)",
        "units.csv:6: unknown parent unit 'NOPE'",
        "employees.csv:4: unknown unit 'ZZ'",
        "employees.csv:5: invalid date '01-01-2012' (expected YYYY-MM-DD)",
        "employees.csv:6: expected 10 columns, found 6",
        "employees.csv:7: employee_id is required",
        "employees.csv:8: end_date is before start_date",
    ]
    team = Unit.objects.get(code="AM-D1-T1")
    assert team.parent.code == "AM-D1"
    assert set(
        UnitAncestry.objects.filter(descendant=team).values_list("ancestor__code", flat=True)
    ) == {"AM", "AM-D1", "AM-D1-T1"}


def test_reimport_changes_nothing_and_writes_no_history(tmp_path: Path) -> None:
    import_organisation(directory=write(tmp_path), acting_user=None)
    history_rows = Employee.history.count()
    second = import_organisation(directory=write(tmp_path), acting_user=None)
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == 5  # 3 units + 2 employees
    assert Employee.history.count() == history_rows


def test_a_change_is_an_update_with_history(tmp_path: Path) -> None:
    import_organisation(directory=write(tmp_path), acting_user=None)
    moved = EMPLOYEES.replace("100001,Anna,de Vries,AM,AM-D1-T1", "100001,Anna,de Vries,AM,AM-D1")
    report = import_organisation(directory=write(tmp_path, employees=moved), acting_user=None)
    assert report.updated == 1
    anna = Employee.objects.get(personnel_number="100001")
    assert anna.team.code == "AM-D1"
    assert anna.history.first().history_change_reason == "Import employees.csv"


def test_missing_columns_are_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "units.csv").write_text("code,name\nAM,Amsterdam\n", encoding="utf-8")
    report = import_organisation(directory=tmp_path, acting_user=None)
    assert [str(r) for r in report.rejections] == [
        "units.csv:1: missing column(s): parent_code, kind, region"
    ]


def test_gzip_and_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with gzip.open(tmp_path / "units.csv.gz", "wt", encoding="utf-8") as stream:
        stream.write(UNITS)
    call_command("import_organisation", str(tmp_path))
    out, err = capsys.readouterr()
    assert out.strip().startswith("created=3 updated=0 unchanged=0 rejected=2 offboarded=0")
    assert "rejected units.csv.gz:5: unknown kind 'planet'" in err


def test_a_column_named_twice_is_one_clear_error(tmp_path: Path) -> None:
    # The last unit_code would silently win: which unit the employee is in must not be a guess.
    header = EMPLOYEES.partition("\n")[0]
    twice = header + ",unit_code\n" + "100001,Anna,de Vries,AM,AM-D1-T1,Agent,1011AB,1,,,DH\n"
    report = import_organisation(directory=write(tmp_path, employees=twice), acting_user=None)
    assert "employees.csv:1: column(s) named more than once: unit_code" in [
        str(r) for r in report.rejections
    ]
    assert not Employee.objects.filter(personnel_number="100001").exists()


def test_a_value_too_long_to_store_costs_only_its_row(tmp_path: Path) -> None:
    units = UNITS + f"AM-LONG,{'N' * 201},AM,team,AM\nAM-D2,District 2,AM,district,AM\n"
    employees = (
        EMPLOYEES.partition("\n")[0] + "\n"
        f"100010,Anna,{'V' * 151},AM,,Agent,,,,\n"
        f"{'1' * 33},Bram,Jansen,AM,,Agent,,,,\n"
        f"100012,Carmen,Bakker,AM,,{'F' * 65},,,,\n"
        "100013,Daan,Visser,AM,,Agent,,,,\n"
    )
    report = import_organisation(
        directory=write(tmp_path, units=units, employees=employees), acting_user=None
    )
    rejected = [str(r) for r in report.rejections]
    assert "units.csv:7: name is longer than 200 characters" in rejected
    assert "employees.csv:2: last_name is longer than 150 characters" in rejected
    assert "employees.csv:3: employee_id is longer than 32 characters" in rejected
    assert "employees.csv:4: function is longer than 64 characters" in rejected
    assert Unit.objects.filter(code="AM-D2").exists()
    assert not Unit.objects.filter(code="AM-LONG").exists()
    assert list(Employee.objects.values_list("personnel_number", flat=True)) == ["100013"]


def test_a_large_file_is_read_as_a_stream_in_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory follows the organisation, not the file: rows are written batch by batch; a
    personnel number met again is refused with the line that has it, also after its batch
    was written, and the file imports again without a change."""
    import vik.imports

    monkeypatch.setattr(vik.imports._EmployeeBatch, "SIZE", 3)
    header = EMPLOYEES.splitlines()[0]
    rows = [f"2000{i:02d},Naam{i},Achternaam,AM,,Functie{i % 2},,,2010-01-01," for i in range(8)]
    rows.append("200001,Naam1,Later,AM,,Functie1,,,2010-01-01,")  # repeats a written row
    rows.append("200009,Naam9,Achternaam,ZZ,,Nieuw,,,2010-01-01,")  # refused: unknown unit
    employees = "\n".join([header, *rows]) + "\n"
    report = import_organisation(directory=write(tmp_path, employees=employees), acting_user=None)
    assert (report.created, report.updated) == (3 + 8, 0)  # 3 units, 8 employees
    assert [str(r) for r in report.rejections] == [
        "units.csv:5: unknown kind 'planet' (expected one of district, national, regional, support, team)",
        "units.csv:6: unknown parent unit 'NOPE'",
        "employees.csv:10: employee_id '200001' is already on line 3",
        "employees.csv:11: unknown unit 'ZZ'",
    ]
    assert Employee.objects.filter(personnel_number__startswith="2000").count() == 8
    assert Employee.objects.get(personnel_number="200001").last_name == "Achternaam"
    assert Employee.objects.get(personnel_number="200003").function.code == "Functie1"

    again = import_organisation(directory=write(tmp_path, employees=employees), acting_user=None)
    assert (again.created, again.updated, again.rejected) == (0, 0, 4)

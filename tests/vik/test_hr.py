"""HR synchronisation: the delivery imported idempotently, and leavers offboarded the same day."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vik import tasks
from vik.account_services import offboard_leavers
from vik.hr import import_hr_delivery
from vik.models import Employee, Function, OrganisationImport, RoleAssignment
from vik.roles import Role

pytestmark = pytest.mark.django_db

FUNCTIONS = "code,name\nAgent,Agent van politie\nRechercheur,Rechercheur\n,Naamloos\n"


def employees_csv(world, *, end: str = "", extra: str = "") -> str:
    """The investigator (a role user of the world) with the given end of employment."""
    investigator = world.employee_of(Role.INVESTIGATOR)
    return (
        "employee_id,first_name,last_name,unit_code,team_code,function,home_postcode,"
        "home_house_number,start_date,end_date\n"
        f"{investigator.personnel_number},{investigator.first_name},{investigator.last_name},"
        f"AM,AM-VIK,Rechercheur,,,2010-01-01,{end}\n" + extra
    )


def deliver(directory: Path, **files: str) -> Path:
    directory.mkdir(exist_ok=True)
    for name, text in files.items():
        (directory / f"{name}.csv").write_text(text, encoding="utf-8")
    return directory


def test_functions_are_upserted_and_bad_rows_reported(world, tmp_path) -> None:
    run = import_hr_delivery(directory=deliver(tmp_path, functions=FUNCTIONS), acting_user=None)
    assert Function.objects.get(code="Agent").name == "Agent van politie"
    assert [str(r) for r in run.rejections.all()] == ["functions.csv:4: code and name are required"]
    again = import_hr_delivery(directory=tmp_path, acting_user=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_leaver_loses_every_role_the_account_and_the_sessions(world, tmp_path) -> None:
    investigator = world.user(Role.INVESTIGATOR)
    client = Client()
    client.force_login(investigator)
    assert client.get(reverse("vik:home")).status_code == 200
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    held = RoleAssignment.objects.filter(user=investigator).count()

    run = import_hr_delivery(
        directory=deliver(tmp_path, employees=employees_csv(world, end=yesterday)),
        acting_user=None,
    )
    assert run.offboarded == 1
    investigator.refresh_from_db()
    assert not investigator.is_active
    assert not investigator.has_usable_password()
    assert not RoleAssignment.objects.filter(user=investigator).exists()
    # The record says so: each revoked role's history, and the employee's own history.
    revoked = RoleAssignment.history.filter(user_id=investigator.pk, history_type="-")
    assert revoked.count() == held
    assert all("Uit dienst per" in r.history_change_reason for r in revoked)
    employee = Employee.objects.get(user=investigator)
    assert "Uit dienst per" in employee.history.first().history_change_reason
    assert f"HR-import {run.pk}" in employee.history.first().history_change_reason
    # The session is gone: the next request is sent to sign in.
    assert not Session.objects.filter(session_key=client.session.session_key).exists()
    assert client.get(reverse("vik:home")).status_code == 302

    # Idempotent: the same delivery again offboards nobody and writes no history.
    history = Employee.history.count()
    again = import_hr_delivery(directory=tmp_path, acting_user=None)
    assert (again.offboarded, again.updated) == (0, 0)
    assert Employee.history.count() == history


def test_a_leaving_date_in_the_future_changes_nothing_until_that_day(world, tmp_path) -> None:
    investigator = world.user(Role.INVESTIGATOR)
    last_day = timezone.localdate()
    import_hr_delivery(
        directory=deliver(tmp_path, employees=employees_csv(world, end=last_day.isoformat())),
        acting_user=None,
    )
    investigator.refresh_from_db()
    assert investigator.is_active  # the end date is the last working day
    assert RoleAssignment.objects.filter(user=investigator).exists()
    # The hourly check, the day after the last working day:
    assert offboard_leavers(
        today=last_day + datetime.timedelta(days=1), acting_user=None, source="t"
    )
    investigator.refresh_from_db()
    assert not investigator.is_active


def test_the_hourly_task(world) -> None:
    employee = world.employee_of(Role.ANALYST)
    employee.employment_end = timezone.localdate() - datetime.timedelta(days=3)
    employee.save()
    assert tasks.offboard_leavers_task() == 1
    assert tasks.offboard_leavers_task() == 0
    assert not RoleAssignment.objects.filter(user=world.user(Role.ANALYST)).exists()


def test_the_command_takes_a_directory_or_files(world, tmp_path, capsys) -> None:
    directory = deliver(tmp_path / "d", functions=FUNCTIONS, employees=employees_csv(world))
    call_command(
        "import_organisation", str(directory / "employees.csv"), str(directory / "functions.csv")
    )
    out, err = capsys.readouterr()
    assert "rejected=1 offboarded=0" in out
    assert "rejected functions.csv:4: code and name are required" in err
    call_command("import_organisation", str(directory))
    out, _err = capsys.readouterr()
    assert out.strip().startswith(
        "created=0 updated=0 unchanged=3 rejected=1 offboarded=0"
    )  # idempotent
    assert OrganisationImport.objects.count() == 2


def test_the_command_refuses_a_file_it_does_not_know(world, tmp_path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("x\n")
    with pytest.raises(Exception, match="units, functions or employees"):
        call_command("import_organisation", str(path))


def test_the_task_imports_a_directory(world, tmp_path) -> None:
    directory = deliver(tmp_path, functions=FUNCTIONS)
    run = OrganisationImport.objects.get(pk=tasks.import_organisation_task(str(directory)))
    assert run.status == OrganisationImport.Status.DONE

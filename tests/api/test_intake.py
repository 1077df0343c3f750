"""Intake from other channels: a report or a complaint in, only the reference out."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import Scope
from cases.models import Case, CaseParty, ReporterIdentity
from complaints.models import Complaint
from vik.roles import Role

pytestmark = pytest.mark.django_db


def post(caller, name: str, payload: dict):
    return caller.post(reverse(name), payload, content_type="application/json")


def test_a_whistleblower_report_answers_only_its_reference(api_caller, world) -> None:
    caller = api_caller(Role.INVESTIGATOR, name="meldpunt")
    response = post(
        caller,
        "api:intake_reports",
        {
            "channel": "whistleblower",
            "summary": "Collega deelt informatie uit de systemen met derden.",
            "concerned": [world.subject.personnel_number],
            "source_reference": "MK-2026-0042",
            "reporter": {"name": "Anoniem Niet", "contact": "via het meldpunt"},
        },
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert response.json() == {"reference": case.reference}
    assert case.channel == "whistleblower"
    assert case.source_reference == "MK-2026-0042"
    assert case.registered_by == caller.account.user
    assert case.parties.get().employee == world.subject
    assert case.parties.get().role == CaseParty.Role.CONCERNED
    assert ReporterIdentity.objects.get(case=case).name == "Anoniem Niet"
    assert case.deadlines.count() == 2  # acknowledgement and feedback terms


def test_an_anonymous_report_about_a_unit(api_caller, world) -> None:
    caller = api_caller(Role.INVESTIGATOR)
    response = post(
        caller,
        "api:intake_reports",
        {"channel": "anonymous", "summary": "Iets in de meldkamer.", "unit": "AM"},
    )
    assert response.status_code == 201
    assert Case.objects.get().unit == world.units["AM"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"channel": "whistleblower", "summary": "x", "concerned": ["999999"]}, "concerned"),
        ({"channel": "monitoring_signal", "summary": "x", "unit": "AM"}, "channel"),
        (
            {"channel": "anonymous", "summary": "x", "unit": "AM", "reporter": {"name": "X"}},
            "reporter",
        ),
        ({"channel": "internal", "summary": "x"}, "unit"),
        ({"channel": "internal", "summary": "x", "unit": "DH"}, "unit"),
    ],
)
def test_bad_reports_are_validation_problems(api_caller, world, payload, field) -> None:
    caller = api_caller(Role.INVESTIGATOR)
    response = post(caller, "api:intake_reports", payload)
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == field
    assert not Case.objects.exists()


def test_an_employee_outside_scope_is_as_unknown_as_one_that_does_not_exist(
    api_caller, world
) -> None:
    caller = api_caller(Role.INVESTIGATOR)
    outside = post(
        caller,
        "api:intake_reports",
        {"channel": "internal", "summary": "x", "concerned": [world.outsider.personnel_number]},
    ).json()
    missing = post(
        caller, "api:intake_reports", {"channel": "internal", "summary": "x", "concerned": ["0"]}
    ).json()
    assert (
        outside["errors"][0]["reason"].split(":")[0] == missing["errors"][0]["reason"].split(":")[0]
    )


def test_reports_need_the_scope_and_the_role(api_caller, world) -> None:
    payload = {"channel": "anonymous", "summary": "x", "unit": "AM"}
    no_scope = api_caller(Role.INVESTIGATOR, scopes=[Scope.INTAKE_COMPLAINTS])
    assert post(no_scope, "api:intake_reports", payload).status_code == 403
    no_role = api_caller(Role.COMPLAINT_HANDLER)
    assert post(no_role, "api:intake_reports", payload).status_code == 403
    assert not Case.objects.exists()


def test_a_complaint_answers_only_its_reference(api_caller, world) -> None:
    caller = api_caller(Role.COMPLAINT_HANDLER, name="klachtenformulier")
    today = timezone.localdate()
    response = post(
        caller,
        "api:intake_complaints",
        {
            "unit": "AM",
            "received_on": today.isoformat(),
            "conduct_on": (today - datetime.timedelta(days=3)).isoformat(),
            "channel": "web_form",
            "summary": "Onheus bejegend bij een verkeerscontrole.",
            "themes": ["bejegening"],
            "employees": [world.subject.personnel_number],
            "complainant": {"name": "J. Klager", "email": "klager@example.org"},
        },
    )
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert response.json() == {"reference": complaint.reference}
    assert complaint.registered_by == caller.account.user
    assert list(complaint.complained_employees.values_list("employee", flat=True)) == [
        world.subject.pk
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unit": "DH"}, "unit"),
        ({"themes": ["geen-thema"]}, "themes"),
        ({"employees": ["000000"]}, "employees"),
        ({"complainant": {"name": "Zonder adres"}}, "complainant"),
    ],
)
def test_bad_complaints_are_validation_problems(api_caller, world, change, field) -> None:
    caller = api_caller(Role.COMPLAINT_HANDLER)
    today = timezone.localdate().isoformat()
    payload = {
        "unit": "AM",
        "received_on": today,
        "conduct_on": today,
        "channel": "web_form",
        "summary": "x",
        "themes": ["bejegening"],
        "complainant": {"name": "J. Klager", "phone": "0612345678"},
        **change,
    }
    response = post(caller, "api:intake_complaints", payload)
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"].split(".")[0] == field
    assert not Complaint.objects.exists()

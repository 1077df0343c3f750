"""Requests for access (GDPR art. 15): the one-month term, its extension, the export."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.conftest import World
from tests.transparency.conftest import at
from vik.models import AccessAction, AccessLogEntry, Notification
from vik.roles import Role
from vik.transparency import services
from vik.transparency.core import ACCESS_LOG_CATEGORY
from vik.transparency.exports import render_export_pdf
from vik.transparency.models import AccessRequest
from vik.transparency.selectors import access_requests_to_handle, own_access_requests

pytestmark = pytest.mark.django_db

D = datetime.date


def submit(world: World, today: D) -> AccessRequest:
    return services.submit_access_request(
        employee=world.employee_of(Role.EMPLOYEE),
        note="Wat staat er over mij?",
        acting_user=world.user(Role.EMPLOYEE),
        today=today,
    )


@pytest.mark.parametrize(
    ("received", "due", "extended"),
    [
        (D(2026, 11, 20), D(2026, 12, 20), D(2027, 2, 20)),
        (D(2026, 1, 31), D(2026, 2, 28), D(2026, 4, 30)),  # a month ends on its last day
        (D(2027, 12, 31), D(2028, 1, 31), D(2028, 3, 31)),
    ],
)
def test_the_term_is_one_month_extendable_to_three(
    world: World, received: D, due: D, extended: D
) -> None:
    request = submit(world, received)
    assert request.due_on == due
    services.extend_access_request(
        request=request,
        reason="Veel gegevens in meerdere systemen",
        acting_user=world.user(Role.PRIVACY_OFFICER),
        today=due,  # the last day of the first month still counts
    )
    request.refresh_from_db()
    assert request.extended_due_on == extended
    assert request.deadline == extended


def test_the_extension_must_be_given_inside_the_first_month_and_once(world: World) -> None:
    request = submit(world, D(2026, 11, 20))
    officer = world.user(Role.PRIVACY_OFFICER)
    with pytest.raises(ValidationError, match="eerste maand"):
        services.extend_access_request(
            request=request, reason="te laat", acting_user=officer, today=D(2026, 12, 21)
        )
    with pytest.raises(ValidationError, match="reden"):
        services.extend_access_request(
            request=request, reason=" ", acting_user=officer, today=D(2026, 12, 1)
        )
    services.extend_access_request(
        request=request, reason="Complex", acting_user=officer, today=D(2026, 12, 1)
    )
    with pytest.raises(ValidationError, match="al verdaagd"):
        services.extend_access_request(
            request=request, reason="nog eens", acting_user=officer, today=D(2026, 12, 2)
        )
    # The employee is told, with the reason.
    notice = Notification.objects.filter(recipient=world.user(Role.EMPLOYEE)).latest("created_at")
    assert notice.body == "Complex"


def test_overdue(world: World) -> None:
    request = submit(world, D(2026, 11, 20))
    assert not request.is_overdue(D(2026, 12, 20))
    assert request.is_overdue(D(2026, 12, 21))
    assert request.days_left(D(2026, 12, 10)) == 10


def test_one_open_request_at_a_time_and_only_for_oneself(world: World) -> None:
    submit(world, D(2026, 11, 20))
    with pytest.raises(ValidationError, match="al een verzoek"):
        submit(world, D(2026, 11, 21))
    with pytest.raises(PermissionDenied):
        services.submit_access_request(
            employee=world.subject, acting_user=world.user(Role.EMPLOYEE)
        )


def test_the_answer_is_an_export_from_every_provider_logged_and_announced(
    world: World, log_entry
) -> None:
    employee = world.employee_of(Role.EMPLOYEE)
    log_entry(role=Role.TEAM_CHIEF, employee=employee, when=at(D(2026, 1, 5)), purpose="Gesprek")
    request = submit(world, D(2026, 11, 20))
    officer = world.user(Role.PRIVACY_OFFICER)
    services.complete_access_request(request=request, acting_user=officer)
    request.refresh_from_db()
    sections = {s["key"]: s for s in request.export["sections"]}
    assert request.export["employee"]["personnel_number"] == employee.personnel_number
    assert set(sections) >= {
        "vik.employee_record",
        "vik.access_log",
        "transparency.access_requests",
    }
    looks = sections["vik.access_log"]["items"]
    assert [f["value"] for f in looks[0]["fields"] if f["key"] == "purpose"] == ["Gesprek"]
    entry = AccessLogEntry.objects.get(action=AccessAction.EXPORT)
    assert (entry.actor, entry.employee_id, entry.actor_role) == (
        officer,
        employee.pk,
        Role.PRIVACY_OFFICER.value,
    )
    assert Notification.objects.filter(
        recipient=world.user(Role.EMPLOYEE), url=reverse("transparency:my_data")
    ).exists()
    assert render_export_pdf(request.export).startswith(b"%PDF")
    with pytest.raises(ValidationError, match="beantwoord"):
        services.complete_access_request(request=request, acting_user=officer)
    # The export is not copied into the history trail (it would outlive retention there).
    assert not hasattr(request.history.first(), "export")


def test_the_export_respects_deferrals(world: World, log_entry) -> None:
    employee = world.employee_of(Role.EMPLOYEE)
    log_entry(role=Role.INVESTIGATOR, employee=employee, when=at(D(2026, 1, 5)))
    services.defer_disclosure(
        employee=employee,
        category=ACCESS_LOG_CATEGORY,
        reason="heimelijk",
        ends_on=D.today() + datetime.timedelta(days=20),
        acting_user=world.user(Role.VIK_HEAD),
    )
    request = submit(world, D(2026, 11, 20))
    services.complete_access_request(request=request, acting_user=world.user(Role.PRIVACY_OFFICER))
    request.refresh_from_db()
    looks = next(s for s in request.export["sections"] if s["key"] == "vik.access_log")
    assert looks["items"] == []


def test_who_handles_and_who_downloads(world: World, client_for) -> None:
    request = submit(world, D(2026, 11, 20))
    officer = world.user(Role.PRIVACY_OFFICER)
    assert request in access_requests_to_handle(user=officer)
    assert not access_requests_to_handle(user=world.user(Role.EMPLOYEE)).exists()
    assert request in own_access_requests(user=world.user(Role.EMPLOYEE))
    assert not own_access_requests(user=officer).exists()
    services.complete_access_request(request=request, acting_user=officer)
    employee = client_for(Role.EMPLOYEE)
    response = employee.get(reverse("transparency:my_export", args=[request.pk, "json"]))
    assert response.status_code == 200
    assert json.loads(response.content)["format"] == "vik-access-export/1"
    response = employee.get(reverse("transparency:my_export", args=[request.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    assert (
        employee.get(reverse("transparency:my_export", args=[request.pk, "xml"])).status_code == 404
    )
    actions = set(
        AccessLogEntry.objects.filter(actor=world.user(Role.EMPLOYEE)).values_list(
            "action", flat=True
        )
    )
    assert actions == {AccessAction.EXPORT, AccessAction.PRINT}


def test_a_privacy_officer_does_not_handle_their_own_request(world: World) -> None:
    officer = world.user(Role.PRIVACY_OFFICER)
    from vik import services as core

    core.assign_role(user=officer, role=Role.EMPLOYEE, acting_user=None, reason="test")
    own = services.submit_access_request(
        employee=world.employee_of(Role.PRIVACY_OFFICER), acting_user=officer
    )
    assert own in own_access_requests(user=officer)
    assert own not in access_requests_to_handle(user=officer)
    with pytest.raises(PermissionDenied):
        services.complete_access_request(request=own, acting_user=officer)


def test_reminders_go_out_once_near_the_deadline(world: World) -> None:
    request = submit(world, D(2026, 11, 20))
    assert services.remind_access_request_deadlines(today=D(2026, 12, 1)) == 0
    assert services.remind_access_request_deadlines(today=D(2026, 12, 16)) == 1
    assert services.remind_access_request_deadlines(today=D(2026, 12, 17)) == 0
    request.refresh_from_db()
    assert request.reminder_sent_at is not None


def test_the_list_query_count_is_bounded(
    world: World, client_for, django_assert_max_num_queries
) -> None:
    submit(world, D(2026, 11, 20))
    client = client_for(Role.PRIVACY_OFFICER)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("transparency:access_request_list"))
    assert response.status_code == 200
    assert world.employee_of(Role.EMPLOYEE).personnel_number in response.content.decode()

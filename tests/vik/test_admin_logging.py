"""The administration screens write the access log for every look at an employee:
the list, the record, its history (list and a historical version), and the autocomplete."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from monitoring.models import Assignment, ScopeRule
from tests.conftest import World
from vik.history import stamp
from vik.models import AccessAction, AccessChannel, AccessLogEntry
from vik.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world: World) -> Client:
    client = Client()
    client.force_login(world.user(Role.ADMINISTRATOR))
    return client


def _looks(employee) -> list[tuple[str, str, str]]:
    return list(
        AccessLogEntry.objects.filter(employee=employee)
        .order_by("id")
        .values_list("action", "object_type", "purpose")
    )


def test_a_historical_version_of_an_employee_is_logged(world: World, admin_client) -> None:
    world.subject.last_name = "Nieuwenaam"
    stamp(world.subject, acting_user=None, reason="Naamswijziging").save()
    version = world.subject.history.earliest("history_date")
    url = reverse("admin:vik_employee_simple_history", args=[world.subject.pk, version.history_id])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert _looks(world.subject) == [(AccessAction.VIEW, "vik.employee", "history")]
    entry = AccessLogEntry.objects.get()
    assert (entry.channel, entry.actor_role) == (AccessChannel.ADMIN, Role.ADMINISTRATOR)


def test_the_history_list_and_the_record_are_logged(world: World, admin_client) -> None:
    admin_client.get(reverse("admin:vik_employee_history", args=[world.subject.pk]))
    admin_client.get(reverse("admin:vik_employee_change", args=[world.subject.pk]))
    assert _looks(world.subject) == [
        (AccessAction.VIEW, "vik.employee", "history"),
        (AccessAction.VIEW, "vik.employee", ""),
    ]


def test_the_staff_autocomplete_is_logged(world: World, admin_client) -> None:
    # The employee field of a scope rule: typing a name lists the matching employees.
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": world.subject.last_name,
            "app_label": "monitoring",
            "model_name": "scoperule",
            "field_name": "employee",
        },
    )
    assert response.status_code == 200
    assert str(world.subject.pk) in response.content.decode()
    entry = AccessLogEntry.objects.get(employee=world.subject)
    assert (entry.action, entry.object_type, entry.channel) == (
        AccessAction.SEARCH,
        "vik.employee",
        AccessChannel.ADMIN,
    )
    assert world.subject.last_name in entry.query


def test_the_account_autocomplete_and_list_are_logged_against_the_employee(
    world: World, admin_client
) -> None:
    analyst = world.user(Role.ANALYST)
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "analyst",
            "app_label": "vik",
            "model_name": "employee",
            "field_name": "user",
        },
    )
    assert response.status_code == 200
    employee = world.employee_of(Role.ANALYST)
    assert _looks(employee) == [(AccessAction.SEARCH, "auth.user", "")]
    admin_client.get(reverse("admin:auth_user_changelist"))
    admin_client.get(reverse("admin:auth_user_change", args=[analyst.pk]))
    assert [look[0] for look in _looks(employee)] == [
        AccessAction.SEARCH,
        AccessAction.SEARCH,
        AccessAction.VIEW,
    ]


def test_the_autocomplete_still_refuses_other_roles(world: World, client_for) -> None:
    response = client_for(Role.ANALYST).get(
        reverse("admin:autocomplete"),
        {"term": "a", "app_label": "vik", "model_name": "employee", "field_name": "user"},
    )
    assert response.status_code == 302
    assert not AccessLogEntry.objects.exists()


def test_monitoring_records_about_one_employee_are_logged(world: World, admin_client) -> None:
    rule = ScopeRule.objects.create(
        employee=world.subject, scope=ScopeRule.Scope.SUBJECT, subject_ref="S-1", reason="x"
    )
    admin_client.get(reverse("admin:monitoring_scoperule_history", args=[rule.pk]))
    assignment = Assignment.objects.create(
        employee=world.subject,
        incident_ref="I-1",
        start="2026-01-01T08:00:00+01:00",
        end="2026-01-01T16:00:00+01:00",
        source=Assignment.Source.REVIEW,
    )
    admin_client.get(reverse("admin:monitoring_assignment_change", args=[assignment.pk]))
    assert _looks(world.subject) == [
        (AccessAction.VIEW, "monitoring.scoperule", "history"),
        (AccessAction.VIEW, "monitoring.assignment", ""),
    ]

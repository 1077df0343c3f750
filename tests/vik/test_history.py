"""The history trail records the acting user and the reason given to the service."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import World
from tests.factories import UserFactory
from vik import services
from vik.history import stamp
from vik.models import ConflictOfInterest, RoleAssignment
from vik.roles import Role

pytestmark = pytest.mark.django_db


def test_role_assignment_history_has_user_and_reason(world: World) -> None:
    admin = world.user(Role.ADMINISTRATOR)
    officer = world.user(Role.PRIVACY_OFFICER)
    newcomer = UserFactory(username="nieuw")
    grant_request = services.request_role_grant(
        user=newcomer,
        role=Role.ANALYST,
        unit=world.units["DH"],
        acting_user=admin,
        reason="Start als analist",
    )
    services.decide_role_request(
        grant_request=grant_request, approve=True, reason="Akkoord", acting_user=officer
    )
    assignment = RoleAssignment.objects.get(user=newcomer)
    assert (assignment.granted_by, assignment.approved_by) == (admin, officer)
    assignment_id = assignment.pk
    services.revoke_role(assignment=assignment, acting_user=admin, reason="Vertrokken")
    records = RoleAssignment.history.filter(id=assignment_id).order_by("history_date")
    assert [(r.history_type, r.history_user, r.history_change_reason) for r in records] == [
        ("+", officer, "Start als analist"),
        ("-", admin, "Vertrokken"),
    ]


def test_conflict_history_is_shown_to_whoever_sees_the_entry(world: World, client_for) -> None:
    investigator = world.user(Role.INVESTIGATOR)
    conflict = services.declare_conflict(
        user=investigator, employee=world.subject, reason="zwager", acting_user=investigator
    )
    services.end_conflict(conflict=conflict, acting_user=investigator, reason="gescheiden")
    record = ConflictOfInterest.history.filter(id=conflict.pk).latest("history_date")
    assert (record.history_user, record.history_change_reason) == (investigator, "gescheiden")

    url = reverse("vik:conflict_history", args=[conflict.pk])
    page = client_for(Role.INVESTIGATOR).get(url)
    assert page.status_code == 200
    assert "gescheiden" in page.content.decode()
    # Someone who cannot see the entry cannot see its history either.
    assert client_for(Role.ANALYST).get(url).status_code == 404


def test_employee_history_page(world: World, client_for) -> None:
    world.subject.last_name = "Nieuwenaam"
    stamp(world.subject, acting_user=world.user(Role.ADMINISTRATOR), reason="Naamswijziging").save()
    page = client_for(Role.VIK_HEAD).get(reverse("vik:employee_history", args=[world.subject.pk]))
    assert page.status_code == 200
    assert "Naamswijziging" in page.content.decode()
    assert "Nieuwenaam" in page.content.decode()

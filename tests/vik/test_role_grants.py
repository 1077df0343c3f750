"""Role grants: nobody grants themself a role, a role that reads personal data needs a
second person, and every grant and revoke is told to the privacy officer and reported."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.factories import EmployeeFactory, UnitFactory, UserFactory
from vik import services
from vik.models import Notification, RoleAssignment, RoleGrantRequest
from vik.roles import Role, reads_personal_data
from vik.transparency.report import Report, report_context

pytestmark = pytest.mark.django_db


def _request(world: World, *, role: Role = Role.ANALYST, unit: str | None = "AM", user=None):
    return services.request_role_grant(
        user=user or UserFactory(username="nieuw"),
        role=role,
        unit=world.units[unit] if unit else None,
        reason="Nieuwe collega bij VIK",
        acting_user=world.user(Role.ADMINISTRATOR),
    )


def _told(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


def test_which_roles_need_a_second_person() -> None:
    # Everything but the works council's aggregates and the employee's own data.
    assert {role for role in Role if not reads_personal_data(role)} == {
        Role.COR_MEMBER,
        Role.EMPLOYEE,
    }


# --- nobody grants themself a role --------------------------------------------------------


def test_the_administrator_cannot_give_themself_a_role_in_the_admin(world: World) -> None:
    admin = world.user(Role.ADMINISTRATOR)
    client = Client()
    client.force_login(admin)
    url = reverse("admin:vik_roleassignment_add")
    response = client.post(
        url, {"user": admin.pk, "role": Role.PRIVACY_OFFICER.value, "reason": "even kijken"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("vik:role_request_create")
    assert not RoleAssignment.objects.filter(user=admin, role=Role.PRIVACY_OFFICER).exists()
    # Nor through the request page, for any role.
    page = client.post(
        reverse("vik:role_request_create"),
        {"username": admin.username, "role": Role.COR_MEMBER.value, "reason": "even kijken"},
    )
    assert page.status_code == 200
    assert "Niemand kan zichzelf een rol geven" in page.content.decode()
    assert not RoleAssignment.objects.filter(user=admin, role=Role.COR_MEMBER).exists()


@pytest.mark.parametrize("role", [Role.PRIVACY_OFFICER, Role.COR_MEMBER])
def test_nobody_grants_themself_a_role_whatever_the_path(world: World, role: Role) -> None:
    officer = world.user(Role.PRIVACY_OFFICER)
    admin = world.user(Role.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="zichzelf"):
        services.assign_role(user=admin, role=role, acting_user=admin, reason="shell")
    with pytest.raises(ValidationError, match="zichzelf"):
        services.request_role_grant(user=admin, role=role, acting_user=admin, reason="shell")
    # The approver cannot approve a request that gives themself a role either.
    grant_request = _request(world, role=Role.VIK_HEAD, unit="DH", user=officer)
    with pytest.raises(PermissionDenied):
        services.decide_role_request(
            grant_request=grant_request, approve=True, reason="ja", acting_user=officer
        )


# --- the second person ----------------------------------------------------------------------


def test_a_person_cannot_grant_a_personal_data_role_without_approval(world: World) -> None:
    newcomer = UserFactory(username="nieuw")
    with pytest.raises(ValidationError, match="persoonsgegevens"):
        services.assign_role(
            user=newcomer,
            role=Role.ANALYST,
            unit=world.units["AM"],
            acting_user=world.user(Role.ADMINISTRATOR),
            reason="shell",
        )
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


def test_request_then_approval_by_the_privacy_officer(world: World) -> None:
    admin, officer, head = (
        world.user(Role.ADMINISTRATOR),
        world.user(Role.PRIVACY_OFFICER),
        world.user(Role.VIK_HEAD),
    )
    grant_request = _request(world)
    assert grant_request.status == RoleGrantRequest.Status.PENDING
    assert not RoleAssignment.objects.filter(user=grant_request.user).exists()
    # Both kinds of approver are asked; the administrator who asked is not.
    assert any("wacht op uw besluit" in s for s in _told(officer))
    assert any("wacht op uw besluit" in s for s in _told(head))
    assert not _told(admin)

    services.decide_role_request(
        grant_request=grant_request, approve=True, reason="Akkoord", acting_user=officer
    )
    grant_request.refresh_from_db()
    assignment = RoleAssignment.objects.get(user=grant_request.user, role=Role.ANALYST)
    assert grant_request.status == RoleGrantRequest.Status.APPROVED
    assert grant_request.assignment == assignment
    assert (assignment.granted_by, assignment.approved_by) == (admin, officer)
    assert any("Rol toegekend" in s for s in _told(officer))
    assert any("goedgekeurd" in s for s in _told(admin))
    with pytest.raises(ValidationError):  # decided once
        services.decide_role_request(
            grant_request=grant_request, approve=False, reason="toch niet", acting_user=head
        )


def test_who_may_not_decide(world: World) -> None:
    admin_head = UserFactory(username="beheerder-hoofd")
    EmployeeFactory(unit=world.units["AM"], user=admin_head)
    services.assign_role(user=admin_head, role=Role.ADMINISTRATOR, acting_user=None, reason="test")
    services.assign_role(
        user=admin_head, role=Role.VIK_HEAD, unit=world.units["AM"], acting_user=None, reason="t"
    )
    grant_request = services.request_role_grant(
        user=UserFactory(username="nieuw"),
        role=Role.ANALYST,
        unit=world.units["AM"],
        reason="x",
        acting_user=admin_head,
    )
    # Not the one who asked, even when they head the unit.
    with pytest.raises(PermissionDenied):
        services.decide_role_request(
            grant_request=grant_request, approve=True, reason="ja", acting_user=admin_head
        )
    # Not an administrator, not an analyst.
    for role in (Role.ADMINISTRATOR, Role.ANALYST):
        with pytest.raises(PermissionDenied):
            services.decide_role_request(
                grant_request=grant_request, approve=True, reason="ja", acting_user=world.user(role)
            )
    # Not a head of VIK of another unit.
    other = _request(world, unit="DH", user=UserFactory(username="elders"))
    with pytest.raises(PermissionDenied):
        services.decide_role_request(
            grant_request=other, approve=True, reason="ja", acting_user=world.user(Role.VIK_HEAD)
        )


def test_refusal_needs_a_reason_and_grants_nothing(world: World) -> None:
    head = world.user(Role.VIK_HEAD)
    grant_request = _request(world)
    with pytest.raises(ValidationError):
        services.decide_role_request(
            grant_request=grant_request, approve=False, reason=" ", acting_user=head
        )
    services.decide_role_request(
        grant_request=grant_request, approve=False, reason="Geen vacature", acting_user=head
    )
    grant_request.refresh_from_db()
    assert grant_request.status == RoleGrantRequest.Status.REFUSED
    assert grant_request.decision_reason == "Geen vacature"
    assert not RoleAssignment.objects.filter(user=grant_request.user).exists()
    assert any("afgewezen" in s for s in _told(world.user(Role.ADMINISTRATOR)))


def test_a_role_without_personal_data_is_granted_at_once(world: World) -> None:
    grant_request = _request(world, role=Role.COR_MEMBER, unit=None)
    assert grant_request.status == RoleGrantRequest.Status.APPROVED
    assert grant_request.decided_by is None
    assert RoleAssignment.objects.filter(user=grant_request.user, role=Role.COR_MEMBER).exists()


def test_every_grant_and_revoke_is_told_to_the_privacy_officer(world: World) -> None:
    officer = world.user(Role.PRIVACY_OFFICER)
    newcomer = UserFactory(username="nieuw")
    # Even a grant by the system (a command, the demo seeding) is told.
    assignment = services.assign_role(
        user=newcomer, role=Role.INVESTIGATOR, unit=world.units["AM"], acting_user=None, reason="x"
    )
    services.revoke_role(
        assignment=assignment, acting_user=world.user(Role.ADMINISTRATOR), reason="Vertrokken"
    )
    told = _told(officer)
    assert any(s.startswith("Rol toegekend: Onderzoeker aan nieuw") for s in told)
    assert any(s.startswith("Rol ingetrokken: Onderzoeker van nieuw") for s in told)
    # The employee role that comes with every linked account is not.
    before = len(told)
    services.assign_role(user=newcomer, role=Role.EMPLOYEE, acting_user=None, reason="koppeling")
    assert len(_told(officer)) == before


def test_revoking_a_privacy_officer_is_told_to_them_too(world: World) -> None:
    officer = world.user(Role.PRIVACY_OFFICER)
    assignment = officer.role_assignments.get(role=Role.PRIVACY_OFFICER)
    services.revoke_role(
        assignment=assignment, acting_user=world.user(Role.ADMINISTRATOR), reason="Vertrokken"
    )
    assert any(s.startswith("Rol ingetrokken: Privacyfunctionaris") for s in _told(officer))


def test_the_grant_role_command_is_the_system(world: World) -> None:
    newcomer = UserFactory(username="eerste-fg")
    call_command("grant_role", "eerste-fg", "privacy_officer", reason="Eerste installatie")
    assignment = RoleAssignment.objects.get(user=newcomer, role=Role.PRIVACY_OFFICER)
    assert assignment.granted_by is None
    record = assignment.history.get()
    assert (record.history_user, record.history_change_reason) == (None, "Eerste installatie")


# --- in the browser ---------------------------------------------------------------------------


def test_the_request_and_approval_pages(world: World, client_for) -> None:
    UserFactory(username="nieuw")
    admin = client_for(Role.ADMINISTRATOR)
    response = admin.post(
        reverse("vik:role_request_create"),
        {
            "username": "nieuw",
            "role": Role.ANALYST.value,
            "unit": world.units["AM"].pk,
            "reason": "Nieuwe analist",
        },
    )
    grant_request = RoleGrantRequest.objects.get()
    detail = reverse("vik:role_request_detail", args=[grant_request.pk])
    assert response["Location"] == detail
    page = admin.get(detail).content.decode()
    assert "Wacht op goedkeuring" in page
    assert "Goedkeuren en toekennen" not in page  # the administrator cannot decide

    officer = client_for(Role.PRIVACY_OFFICER)
    listing = officer.get(reverse("vik:role_request_list")).content.decode()
    assert "uw besluit" in listing
    assert reverse("vik:role_changes") in listing
    # The head of VIK approves but does not audit every grant: no link that would refuse.
    head_listing = client_for(Role.VIK_HEAD).get(reverse("vik:role_request_list"))
    assert reverse("vik:role_changes") not in head_listing.content.decode()
    assert "Goedkeuren en toekennen" in officer.get(detail).content.decode()
    decided = officer.post(
        reverse("vik:role_request_decide", args=[grant_request.pk]),
        {"decision": "approve", "reason": "Akkoord, vacature"},
    )
    assert decided["Location"] == detail
    assert RoleAssignment.objects.filter(user__username="nieuw", role=Role.ANALYST).exists()
    changes = officer.get(reverse("vik:role_changes")).content.decode()
    assert "nieuw" in changes
    assert "Akkoord" in officer.get(detail).content.decode()


def test_the_administrator_can_decide_nothing_and_sees_a_403(world: World, client_for) -> None:
    grant_request = _request(world)
    response = client_for(Role.ADMINISTRATOR).post(
        reverse("vik:role_request_decide", args=[grant_request.pk]),
        {"decision": "approve", "reason": "zelf gedaan"},
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=grant_request.user).exists()


def test_the_role_changes_page_costs_the_same_queries(
    world: World, client_for, django_assert_num_queries
) -> None:
    client = client_for(Role.PRIVACY_OFFICER)
    url = reverse("vik:role_changes")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    unit = UnitFactory(code="EXTRA")
    for index in range(10):
        services.assign_role(
            user=UserFactory(username=f"extra{index}"),
            role=Role.SCREENING_OFFICER,
            unit=unit,
            acting_user=None,
            reason="test",
        )
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# --- the annual logging report -----------------------------------------------------------------


def test_the_logging_report_lists_every_grant_and_revoke(world: World) -> None:
    newcomer = UserFactory(username="nieuw")
    grant_request = _request(world, user=newcomer)
    services.decide_role_request(
        grant_request=grant_request,
        approve=True,
        reason="Akkoord",
        acting_user=world.user(Role.PRIVACY_OFFICER),
    )
    assignment = RoleAssignment.objects.get(user=newcomer)
    services.revoke_role(
        assignment=assignment, acting_user=world.user(Role.ADMINISTRATOR), reason="Vertrokken"
    )
    year = timezone.localdate().year
    detailed = report_context(Report(year=year, detailed=True))
    mine = [c for c in detailed["role_changes"] if c.account == "nieuw"]
    assert [(c.granted, c.requested_by, c.approved_by, c.done_by) for c in mine] == [
        (True, "administrator", "privacy_officer", "privacy_officer"),
        (False, "administrator", "privacy_officer", "administrator"),
    ]
    assert mine[1].reason == "Vertrokken"
    # The works council's version counts per role, without names, 1 to 4 hidden as "×".
    summary = report_context(Report(year=year, detailed=False))["role_change_summary"]
    analyst = next(row for row in summary if row[0] == str(Role.ANALYST.label))
    assert (analyst[1].text, analyst[2].text) == ("×", "×")
    # Last year's report does not list them.
    previous = Report(year=year - 1, detailed=True, today=datetime.date(year, 1, 1))
    assert not [c for c in report_context(previous)["role_changes"] if c.account == "nieuw"]

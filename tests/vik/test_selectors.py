"""The permission spine: who sees which employees, and who never does."""

from __future__ import annotations

import pytest

from tests.conftest import World
from tests.factories import UserFactory
from vik import services
from vik.models import AccessAction, RoleAssignment
from vik.roles import Capability, Role, UnitScope
from vik.selectors import (
    access_log_visible_to,
    conflicts_visible_to,
    employee_ids_in_scope,
    employees_visible_to,
    has_capability,
)

pytestmark = pytest.mark.django_db


def visible(world: World, role: Role) -> set[int]:
    return set(employees_visible_to(user=world.user(role)).values_list("id", flat=True))


def test_unit_grant_covers_every_unit_below_it(world: World) -> None:
    seen = visible(world, Role.INVESTIGATOR)
    assert world.subject.pk in seen  # AM → AM-D1 → AM-D1-T1
    assert world.colleague.pk in seen  # AM → AM-D1 → AM-D1-T2
    assert world.outsider.pk not in seen  # DH


def test_team_grant_covers_only_the_team(world: World) -> None:
    seen = visible(world, Role.TEAM_CHIEF)
    assert world.subject.pk in seen
    assert world.colleague.pk not in seen
    assert world.outsider.pk not in seen


def test_nobody_sees_themselves(world: World) -> None:
    for role in (Role.TEAM_CHIEF, Role.INVESTIGATOR, Role.VIK_HEAD, Role.SCREENING_OFFICER):
        assert world.employee_of(role).pk not in visible(world, role), role


def test_conflict_hides_the_employee_until_it_ends(world: World) -> None:
    investigator = world.user(Role.INVESTIGATOR)
    conflict = services.declare_conflict(
        user=investigator, employee=world.subject, reason="buurman", acting_user=investigator
    )
    assert world.subject.pk not in visible(world, Role.INVESTIGATOR)
    assert world.colleague.pk in visible(world, Role.INVESTIGATOR)

    services.end_conflict(conflict=conflict, acting_user=investigator, reason="verhuisd")
    assert world.subject.pk in visible(world, Role.INVESTIGATOR)


def test_revoking_the_role_removes_the_scope(world: World) -> None:
    assignment = RoleAssignment.objects.get(user=world.user(Role.INVESTIGATOR))
    services.revoke_role(assignment=assignment, acting_user=None, reason="andere functie")
    user = type(world.user(Role.INVESTIGATOR)).objects.get(pk=world.user(Role.INVESTIGATOR).pk)
    assert not has_capability(user, Capability.VIEW_EMPLOYEES)
    assert not employee_ids_in_scope(user=user, scopes=UnitScope.INVESTIGATE).exists()


def test_roles_without_lookup_scope_see_no_employees(world: World) -> None:
    for role in (
        Role.ANALYST,
        Role.COR_MEMBER,
        Role.PRIVACY_OFFICER,
        Role.EMPLOYEE,
        Role.ADMINISTRATOR,
        Role.COMPLAINT_HANDLER,
    ):
        assert visible(world, role) == set(), role


def test_a_superuser_sees_no_need_to_know_data(world: World) -> None:
    services.record_access(
        actor=world.user(Role.VIK_HEAD),
        action=AccessAction.VIEW,
        role=Role.VIK_HEAD,
        employee=world.subject,
        object_type="vik.employee",
    )
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert superuser.has_perm("vik.anything")  # Django's superuser shortcut...
    assert not has_capability(superuser, Capability.AUDIT_ACCESS_LOG)  # ...is not a capability
    assert not employees_visible_to(user=superuser).exists()
    assert not access_log_visible_to(user=superuser).exists()


def test_scope_is_one_subquery(world: World, django_assert_num_queries) -> None:
    user = world.user(Role.VIK_HEAD)
    user._vik_roles = frozenset({Role.VIK_HEAD})  # roles already known for the request
    with django_assert_num_queries(1):
        list(employees_visible_to(user=user))


def test_conflict_register_hides_entries_about_the_viewer(world: World) -> None:
    privacy_officer = world.user(Role.PRIVACY_OFFICER)
    investigator = world.user(Role.INVESTIGATOR)
    about_officer = services.declare_conflict(
        user=investigator,
        employee=world.employee_of(Role.PRIVACY_OFFICER),
        reason="partner",
        acting_user=investigator,
    )
    about_subject = services.declare_conflict(
        user=investigator, employee=world.subject, reason="buurman", acting_user=investigator
    )
    seen = set(conflicts_visible_to(user=privacy_officer).values_list("id", flat=True))
    assert about_subject.pk in seen
    assert about_officer.pk not in seen
    # The declaring user sees their own entries; a colleague without the register sees none.
    assert set(conflicts_visible_to(user=investigator).values_list("id", flat=True)) == {
        about_officer.pk,
        about_subject.pk,
    }
    assert not conflicts_visible_to(user=world.user(Role.ANALYST)).exists()


def test_access_log_hides_entries_about_the_privacy_officer(world: World) -> None:
    officer = world.user(Role.PRIVACY_OFFICER)
    head = world.user(Role.VIK_HEAD)

    services.record_access(
        actor=head,
        action=AccessAction.VIEW,
        role=Role.VIK_HEAD,
        employee=world.employee_of(Role.PRIVACY_OFFICER),
        object_type="x",
    )
    services.record_access(
        actor=head,
        action=AccessAction.VIEW,
        role=Role.VIK_HEAD,
        employee=world.subject,
        object_type="x",
    )
    subjects = set(access_log_visible_to(user=officer).values_list("employee_id", flat=True))
    assert subjects == {world.subject.pk}

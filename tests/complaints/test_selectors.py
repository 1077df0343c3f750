"""Security suite: who sees which complaints, and who never does."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from complaints.selectors import (
    complained_employees_visible_to,
    complaints_visible_to,
    contacts_visible_to,
    decisions_visible_to,
    handlers_for,
    hearings_visible_to,
)
from tests.complaints.helpers import assigned, complaint_in_den_haag, decided, handler, register
from tests.conftest import World
from tests.factories import EmployeeFactory, UserFactory
from vik import services as core_services
from vik.roles import Role

pytestmark = pytest.mark.django_db


def visible(user) -> set[int]:
    return set(complaints_visible_to(user=user).values_list("pk", flat=True))


def test_a_handler_sees_the_complaints_about_their_units_only(world: World) -> None:
    ours = register(world)
    theirs = complaint_in_den_haag(world)
    assert visible(handler(world)) == {ours.pk}
    assert theirs.pk not in visible(handler(world))


@pytest.mark.parametrize("role", [r for r in Role if r != Role.COMPLAINT_HANDLER])
def test_other_roles_see_no_complaints(world: World, role: Role) -> None:
    decided(world)
    user = world.user(role)
    assert not complaints_visible_to(user=user).exists()
    assert not contacts_visible_to(user=user).exists()
    assert not hearings_visible_to(user=user).exists()
    assert not decisions_visible_to(user=user).exists()
    assert not complained_employees_visible_to(user=user).exists()


def test_a_superuser_sees_nothing(world: World) -> None:
    register(world)
    root = get_user_model().objects.create_superuser("root", "root@vik.test", "x" * 16)
    assert not complaints_visible_to(user=root).exists()


def test_nobody_sees_a_complaint_about_themself(world: World) -> None:
    second = UserFactory(username="klachten2")
    EmployeeFactory(unit=world.units["AM"], team=world.units["AM-VIK"], user=second)
    core_services.assign_role(
        user=second,
        role=Role.COMPLAINT_HANDLER,
        unit=world.units["AM"],
        acting_user=None,
        reason="t",
    )
    about_handler = register(
        world,
        unit=world.units["AM-VIK"],
        employees=[world.employee_of(Role.COMPLAINT_HANDLER)],
        acting_user=second,
    )
    assert about_handler.pk not in visible(handler(world))
    assert about_handler.pk in visible(second)


def test_a_complaint_about_several_is_hidden_if_one_of_them_is_conflicted(world: World) -> None:
    colleague_in_team = EmployeeFactory(unit=world.units["AM"], team=world.units["AM-D1-T1"])
    complaint = register(world, employees=[world.subject, colleague_in_team])
    user = handler(world)
    conflict = core_services.declare_conflict(
        user=user, employee=colleague_in_team, reason="neef", acting_user=user
    )
    assert complaint.pk not in visible(user)
    core_services.end_conflict(conflict=conflict, acting_user=user, reason="klaar")
    assert complaint.pk in visible(user)


def test_contact_details_are_for_the_assigned_handler_only(world: World) -> None:
    unassigned = register(world)
    mine = assigned(world)
    assert set(contacts_visible_to(user=handler(world)).values_list("complaint_id", flat=True)) == {
        mine.pk
    }
    assert unassigned.pk in visible(handler(world))  # the complaint itself is visible


def test_candidate_handlers_cover_the_unit_and_leave_out_the_conflicted(world: World) -> None:
    second = UserFactory(username="klachten2")
    core_services.assign_role(
        user=second,
        role=Role.COMPLAINT_HANDLER,
        unit=world.units["AM-D1"],
        acting_user=None,
        reason="t",
    )
    assert set(handlers_for(unit=world.units["AM-D1-T1"])) == {handler(world), second}
    assert set(handlers_for(unit=world.units["AM-VIK"])) == {handler(world)}
    core_services.declare_conflict(
        user=second, employee=world.subject, reason="buur", acting_user=second
    )
    assert set(handlers_for(unit=world.units["AM-D1-T1"], employees=[world.subject])) == {
        handler(world)
    }

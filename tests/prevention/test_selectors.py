"""Who sees what in prevention and advice: the security suite.

Nobody outside the prevention coordinators of a unit sees its requests and advice
questions (the asker sees their own); lessons are seen by nobody but their coordinators and
commissioner until they are approved; a coordinator never sees their own question, one of a
colleague they are conflicted with, or an after-discussion of a case they are a party to.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from prevention import selectors, services
from prevention.models import Dilemma
from tests.conftest import World
from tests.prevention import helpers
from vik import services as core
from vik.roles import Role

pytestmark = pytest.mark.django_db
ALL = list(Role)


def _seeing(world: World, selector, obj) -> set[Role]:
    return {role for role in ALL if selector(user=world.user(role)).filter(pk=obj.pk).exists()}


def test_a_team_chiefs_request_is_seen_by_the_coordinator_and_the_chief(world: World) -> None:
    request = helpers.session_request(world)
    assert _seeing(world, selectors.session_requests_visible_to, request) == {
        Role.PREVENTION_COORDINATOR,
        Role.TEAM_CHIEF,
    }


def test_another_units_coordinator_does_not_see_a_request(
    world: World, dh_coordinator: User
) -> None:
    request = helpers.session_request(world)
    assert (
        not selectors.session_requests_visible_to(user=dh_coordinator)
        .filter(pk=request.pk)
        .exists()
    )
    dh_request = helpers.dh_session_request(world)
    assert (
        selectors.session_requests_visible_to(user=dh_coordinator).filter(pk=dh_request.pk).exists()
    )
    assert _seeing(world, selectors.session_requests_visible_to, dh_request) == set()


def test_a_coordinator_conflicted_with_the_requester_does_not_see_the_request(world: World) -> None:
    request = helpers.session_request(world)
    coordinator = helpers.coordinator(world)
    core.declare_conflict(
        user=coordinator,
        employee=world.employee_of(Role.TEAM_CHIEF),
        reason="zwager",
        acting_user=coordinator,
    )
    assert (
        not selectors.session_requests_visible_to(user=coordinator).filter(pk=request.pk).exists()
    )


def test_the_team_chief_sees_their_teams_sessions_once_planned(world: World) -> None:
    request = helpers.session_request(world, by=Role.EMPLOYEE, team="AM-VIK")
    chief = world.user(Role.TEAM_CHIEF)
    assert not selectors.team_sessions_visible_to(user=chief).exists()
    own_team = helpers.planned_session(world)
    assert list(selectors.team_sessions_visible_to(user=chief)) == [own_team]
    # Another team's session (the VIK team) is not the chief's.
    assert request not in selectors.team_sessions_visible_to(user=chief)


def test_advice_is_seen_by_the_asker_and_the_units_coordinators_only(
    world: World, dh_coordinator: User
) -> None:
    question = helpers.advice(world)
    assert _seeing(world, selectors.advice_requests_visible_to, question) == {
        Role.EMPLOYEE,
        Role.PREVENTION_COORDINATOR,
    }
    assert (
        not selectors.advice_requests_visible_to(user=dh_coordinator)
        .filter(pk=question.pk)
        .exists()
    )


def test_a_coordinator_does_not_handle_their_own_question(world: World) -> None:
    coordinator = helpers.coordinator(world)
    own = helpers.advice(world, by=Role.PREVENTION_COORDINATOR)
    assert not selectors.coordinated_advice_requests(user=coordinator).filter(pk=own.pk).exists()
    # As the asker they see it.
    assert selectors.advice_requests_visible_to(user=coordinator).filter(pk=own.pk).exists()


def test_a_coordinator_conflicted_with_the_asker_does_not_see_the_question(world: World) -> None:
    question = helpers.advice(world)
    coordinator = helpers.coordinator(world)
    core.declare_conflict(
        user=coordinator,
        employee=world.employee_of(Role.EMPLOYEE),
        reason="buurman",
        acting_user=coordinator,
    )
    assert (
        not selectors.advice_requests_visible_to(user=coordinator).filter(pk=question.pk).exists()
    )


def test_after_discussions_are_for_the_commissioner_and_coordinators(world: World) -> None:
    discussion = helpers.after_discussion(world)
    assert _seeing(world, selectors.after_discussions_visible_to, discussion) == {
        Role.VIK_HEAD,
        Role.PREVENTION_COORDINATOR,
    }


def test_a_coordinator_who_is_party_to_the_case_does_not_see_its_after_discussion(
    world: World,
) -> None:
    discussion = helpers.after_discussion(world)
    coordinator = helpers.coordinator(world)
    core.declare_conflict(
        user=coordinator, employee=world.subject, reason="familie", acting_user=coordinator
    )
    assert (
        not selectors.after_discussions_visible_to(user=coordinator)
        .filter(pk=discussion.pk)
        .exists()
    )


def test_a_lesson_is_visible_only_after_approval(world: World) -> None:
    draft = helpers.lesson(world, submit=False)
    assert _seeing(world, selectors.dilemmas_visible_to, draft) == {Role.PREVENTION_COORDINATOR}
    services.submit_lesson(lesson=draft, acting_user=helpers.coordinator(world))
    assert _seeing(world, selectors.dilemmas_visible_to, draft) == {
        Role.PREVENTION_COORDINATOR,
        Role.VIK_HEAD,
    }
    services.approve_lesson(lesson=draft, acting_user=world.user(Role.VIK_HEAD))
    readers = {Role.PREVENTION_COORDINATOR, Role.VIK_HEAD, Role.TEAM_CHIEF, Role.EMPLOYEE}
    assert _seeing(world, selectors.dilemmas_visible_to, draft) == readers
    assert _seeing(world, selectors.published_dilemmas, draft) == readers


def test_a_returned_lesson_goes_back_out_of_sight_of_readers(world: World) -> None:
    lesson = helpers.lesson(world)
    services.return_lesson(
        lesson=lesson, remarks="Te herkenbaar.", acting_user=world.user(Role.VIK_HEAD)
    )
    assert _seeing(world, selectors.dilemmas_visible_to, lesson) == {
        Role.PREVENTION_COORDINATOR,
        Role.VIK_HEAD,
    }


def test_library_drafts_are_the_coordinators(world: World, dh_coordinator: User) -> None:
    draft = helpers.library_dilemma(world, publish=False)
    assert _seeing(world, selectors.dilemmas_visible_to, draft) == {Role.PREVENTION_COORDINATOR}
    assert not selectors.dilemmas_visible_to(user=dh_coordinator).filter(pk=draft.pk).exists()
    published = helpers.library_dilemma(world)
    # Published dilemmas are for every reader, in every unit.
    assert selectors.dilemmas_visible_to(user=dh_coordinator).filter(pk=published.pk).exists()
    assert published.status == Dilemma.Status.PUBLISHED


def test_presenters_and_trends_stay_in_their_unit(world: World, dh_coordinator: User) -> None:
    presenter = helpers.presenter(world)
    mark = helpers.trend_mark(world)
    assert _seeing(world, selectors.presenters_visible_to, presenter) == {
        Role.PREVENTION_COORDINATOR
    }
    assert _seeing(world, selectors.trend_marks_visible_to, mark) == {Role.PREVENTION_COORDINATOR}
    assert not selectors.presenters_visible_to(user=dh_coordinator).exists()


def test_session_evaluations_are_seen_with_their_session(world: World) -> None:
    session = helpers.held_session(world)
    helpers.evaluate(world, session, 2)
    coordinator = helpers.coordinator(world)
    assert selectors.session_evaluations_visible_to(user=coordinator).count() == 2
    assert selectors.session_evaluations_visible_to(user=world.user(Role.TEAM_CHIEF)).count() == 2
    assert selectors.session_evaluations_visible_to(user=world.user(Role.EMPLOYEE)).count() == 0


def test_the_coordinators_of_a_unit_are_told_not_the_conflicted(world: World) -> None:
    coordinator = helpers.coordinator(world)
    employee = world.employee_of(Role.EMPLOYEE)
    assert list(selectors.coordinators_for(unit=world.units["AM-D1-T1"])) == [coordinator]
    core.declare_conflict(user=coordinator, employee=employee, reason="t", acting_user=coordinator)
    assert not selectors.coordinators_for(unit=world.units["AM-VIK"], employee=employee).exists()

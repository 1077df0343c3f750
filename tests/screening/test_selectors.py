"""Security suite: who sees which screening data, and who never does."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from screening import services
from screening.models import EvaluationResponse, ScreeningDossier, SelfReport
from screening.selectors import (
    dossiers_visible_to,
    evaluation_invitations_visible_to,
    evaluation_responses_visible_to,
    hits_visible_to,
    own_screening_status,
    own_self_reports,
    screening_officers_for,
    self_reports_visible_to,
)
from tests.conftest import World
from tests.factories import EmployeeFactory, UserFactory
from tests.screening.helpers import (
    EVALUATION_ANSWERS,
    days_ago,
    dossier_for,
    invitation_for,
    officer,
)
from vik import services as core_services
from vik.roles import Role

pytestmark = pytest.mark.django_db


def visible(user) -> set[int]:
    return set(dossiers_visible_to(user=user).values_list("employee_id", flat=True))


def test_officer_sees_the_units_below_the_grant_and_nothing_outside(world: World) -> None:
    for employee in (world.subject, world.colleague, world.outsider):
        dossier_for(world, employee)
    seen = visible(officer(world))
    assert seen == {world.subject.pk, world.colleague.pk}


def test_officer_never_sees_their_own_dossier(world: World) -> None:
    own = world.employee_of(Role.SCREENING_OFFICER)
    dossier_for(world, own)
    assert own.pk not in visible(officer(world))


def test_a_conflict_hides_the_employee_until_it_ends(world: World) -> None:
    dossier_for(world, world.subject)
    user = officer(world)
    conflict = core_services.declare_conflict(
        user=user, employee=world.subject, reason="zwager", acting_user=user
    )
    assert world.subject.pk not in visible(user)
    core_services.end_conflict(conflict=conflict, acting_user=user, reason="klaar")
    assert world.subject.pk in visible(user)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SCREENING_OFFICER])
def test_other_roles_see_no_dossiers(world: World, role: Role) -> None:
    dossier_for(world, world.subject)
    assert not dossiers_visible_to(user=world.user(role)).exists()
    assert not hits_visible_to(user=world.user(role)).exists()
    assert not self_reports_visible_to(user=world.user(role)).exists()


def test_a_superuser_sees_nothing(world: World) -> None:
    dossier_for(world, world.subject)
    root = get_user_model().objects.create_superuser("root", "root@vik.test", "x" * 16)
    assert not dossiers_visible_to(user=root).exists()
    assert not evaluation_responses_visible_to(user=root).exists()


def test_hits_and_self_reports_follow_the_dossier_scope(world: World) -> None:
    user = officer(world)
    services.register_hit(
        employee=world.subject,
        received_on=days_ago(1),
        source_reference="CS-1",
        reported_by="Eenheid Rotterdam",
        offence="Verdenking van diefstal",
        acting_user=user,
    )
    assert hits_visible_to(user=user).count() == 1
    employee_user = world.user(Role.EMPLOYEE)
    services.submit_self_report(
        category=SelfReport.Category.FINANCES,
        occurred_on=days_ago(3),
        description="Schuldregeling getroffen met de bank.",
        acting_user=employee_user,
    )
    # The employee role user works in AM-VIK: inside the officer's scope.
    assert self_reports_visible_to(user=user).count() == 1
    assert own_self_reports(user=employee_user).count() == 1
    assert not own_self_reports(user=user).exists()


def test_evaluation_answers_are_scoped_by_unit_only(world: World) -> None:
    EvaluationResponse.objects.create(
        unit=world.units["AM"], year=2026, quarter=1, **EVALUATION_ANSWERS
    )
    EvaluationResponse.objects.create(
        unit=world.units["DH"], year=2026, quarter=1, **EVALUATION_ANSWERS
    )
    seen = evaluation_responses_visible_to(user=officer(world))
    assert list(seen.values_list("unit__code", flat=True)) == ["AM"]


def test_only_the_invited_employee_sees_an_invitation(world: World) -> None:
    own = invitation_for(world, world.employee_of(Role.EMPLOYEE))
    invitation_for(world, world.subject)
    assert list(evaluation_invitations_visible_to(user=world.user(Role.EMPLOYEE))) == [own]
    assert not evaluation_invitations_visible_to(user=officer(world)).exists()


def test_screening_officers_of_a_unit_exclude_the_employee_and_the_conflicted(world: World) -> None:
    second = UserFactory(username="screener2")
    EmployeeFactory(unit=world.units["AM"], team=world.units["AM-VIK"], user=second)
    core_services.assign_role(
        user=second,
        role=Role.SCREENING_OFFICER,
        unit=world.units["AM-D1"],
        acting_user=None,
        reason="t",
    )
    assert set(screening_officers_for(employee=world.subject)) == {officer(world), second}
    assert set(screening_officers_for(employee=world.colleague)) == {officer(world), second}
    assert set(screening_officers_for(employee=world.outsider)) == set()
    core_services.declare_conflict(
        user=second, employee=world.subject, reason="buur", acting_user=second
    )
    assert set(screening_officers_for(employee=world.subject)) == {officer(world)}
    # An officer is never told about themself.
    own = world.employee_of(Role.SCREENING_OFFICER)
    assert officer(world) not in set(screening_officers_for(employee=own))


def test_own_status_hides_an_open_hit_until_it_is_closed(world: World) -> None:
    employee_user = world.user(Role.EMPLOYEE)
    employee = world.employee_of(Role.EMPLOYEE)
    dossier = services.register_hit(
        employee=employee,
        received_on=days_ago(2),
        source_reference="CS-2",
        reported_by="Eenheid Den Haag",
        offence="Verdenking van mishandeling",
        acting_user=officer(world),
    )
    status = own_screening_status(user=employee_user)
    assert status is not None
    assert dossier not in status.open_dossiers + status.closed_dossiers

    services.take_dossier(dossier=dossier, acting_user=officer(world))
    services.close_dossier(
        dossier=dossier,
        outcome=ScreeningDossier.Outcome.NO_CONCERNS,
        reason="Zaak geseponeerd; geen risico.",
        acting_user=officer(world),
    )
    status = own_screening_status(user=employee_user)
    assert status is not None
    assert [d.pk for d in status.closed_dossiers] == [dossier.pk]


def test_own_status_is_for_employees_only(world: World) -> None:
    assert own_screening_status(user=officer(world)) is None  # no self-service role in the world
    assert own_screening_status(user=world.user(Role.EMPLOYEE)) is not None

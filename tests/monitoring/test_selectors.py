"""Who sees which signals: the security suite for ``signals_visible_to``.

Personas from the ``world`` fixture: the analyst monitors AM (and everything below it); the
other roles hold no monitoring scope; a superuser has no need to know.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from monitoring.matching import pseudonym_for
from monitoring.models import Signal
from monitoring.selectors import signals_visible_to
from tests.conftest import World
from tests.factories import UserFactory
from vik import services
from vik.models import Employee
from vik.roles import Role

pytestmark = pytest.mark.django_db


def signal_for(employee: Employee) -> Signal:
    return Signal.objects.create(
        employee=employee,
        pseudonym=pseudonym_for(employee.personnel_number),
        window_start=datetime.date(2026, 10, 19),
        window_end=datetime.date(2026, 11, 1),
        score=12,
    )


@pytest.fixture
def signals(world: World) -> dict[str, Signal]:
    return {
        "subject": signal_for(world.subject),  # AM-D1-T1
        "colleague": signal_for(world.colleague),  # AM-D1-T2
        "outsider": signal_for(world.outsider),  # DH
        "analyst": signal_for(world.employee_of(Role.ANALYST)),  # AM-VIK: the analyst themself
        "chief": signal_for(world.employee_of(Role.TEAM_CHIEF)),  # AM-D1-T1
    }


def visible(user) -> set[int]:
    return set(signals_visible_to(user=user).values_list("id", flat=True))


def test_analyst_sees_their_units_but_never_themself(
    world: World, signals: dict[str, Signal]
) -> None:
    expected = {signals[k].pk for k in ("subject", "colleague", "chief")}
    assert visible(world.user(Role.ANALYST)) == expected


def test_units_not_monitored_stay_hidden(world: World, signals: dict[str, Signal]) -> None:
    assert signals["outsider"].pk not in visible(world.user(Role.ANALYST))
    # Monitoring The Hague too brings the outsider in.
    services.assign_role(
        user=world.user(Role.ANALYST),
        role=Role.ANALYST,
        unit=world.units["DH"],
        acting_user=None,
        reason="test",
    )
    assert signals["outsider"].pk in visible(world.user(Role.ANALYST))


def test_a_conflict_of_interest_hides_the_employee(
    world: World, signals: dict[str, Signal]
) -> None:
    analyst = world.user(Role.ANALYST)
    conflict = services.declare_conflict(
        user=analyst, employee=world.subject, reason="buurman", acting_user=analyst
    )
    assert signals["subject"].pk not in visible(analyst)
    services.end_conflict(conflict=conflict, acting_user=analyst, reason="verhuisd")
    assert signals["subject"].pk in visible(analyst)


def test_a_grant_on_a_team_covers_only_that_team(world: World, signals: dict[str, Signal]) -> None:
    user = UserFactory(username="team-analyst")
    services.assign_role(
        user=user, role=Role.ANALYST, unit=world.units["AM-D1-T2"], acting_user=None, reason="t"
    )
    assert visible(user) == {signals["colleague"].pk}


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ANALYST])
def test_other_roles_see_nothing(world: World, signals: dict[str, Signal], role: Role) -> None:
    assert visible(world.user(role)) == set()


def test_superuser_and_anonymous_see_nothing(world: World, signals: dict[str, Signal]) -> None:
    boss = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert visible(boss) == set()
    assert visible(AnonymousUser()) == set()


def test_a_revoked_role_sees_nothing(world: World, signals: dict[str, Signal]) -> None:
    analyst = world.user(Role.ANALYST)
    assignment = analyst.role_assignments.get(role=Role.ANALYST)
    services.revoke_role(assignment=assignment, acting_user=None, reason="weg")
    analyst = type(analyst).objects.get(pk=analyst.pk)
    assert visible(analyst) == set()


def test_the_selector_is_one_query(
    world: World, signals: dict[str, Signal], django_assert_num_queries
) -> None:
    analyst = world.user(Role.ANALYST)
    signals_visible_to(user=analyst)  # warm the per-user role cache
    with django_assert_num_queries(1):
        list(signals_visible_to(user=analyst))

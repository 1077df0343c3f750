"""Shared fixtures: a small organisation ("the world") with one user per role.

The world::

    AM (regional) ── AM-D1 (district) ── AM-D1-T1 (team)   subject, team chief
                 │                   └── AM-D1-T2 (team)   colleague
                 └── AM-VIK (team)                          VIK staff (the role users)
    DH (regional) ── DH-T1 (team)                           outsider

Each role user holds exactly that one role; the unit-scoped ones over AM, the team chief
over AM-D1-T1. Every role user is also an employee, so self-exclusion can be tested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client

from tests.factories import EmployeeFactory, UnitFactory, UserFactory
from vik import services
from vik.models import Employee, Notification, Unit
from vik.roles import ROLE_UNIT_SCOPE, Role


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    del config, items
    # Tests run against PostgreSQL: its trigger, partitions and COPY are part of what is tested.
    if connection.vendor != "postgresql":
        pytest.exit("Tests need PostgreSQL: set DATABASE_URL (make test does).", returncode=2)


@pytest.fixture(autouse=True)
def _clear_caches() -> Iterator[None]:
    """Content types and guardian's lookups are cached per process; start every test clean."""
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@dataclass
class World:
    """The organisation of the tests, with its people and role users."""

    units: dict[str, Unit] = field(default_factory=dict)
    subject: Employee = None  # type: ignore[assignment]
    colleague: Employee = None  # type: ignore[assignment]
    outsider: Employee = None  # type: ignore[assignment]
    users: dict[Role, AbstractBaseUser] = field(default_factory=dict)

    def user(self, role: Role) -> AbstractBaseUser:
        return self.users[role]

    def employee_of(self, role: Role) -> Employee:
        return Employee.objects.get(user=self.users[role])


ROLE_UNITS: dict[Role, str] = {
    role: ("AM-D1-T1" if role == Role.TEAM_CHIEF else "AM") for role in ROLE_UNIT_SCOPE
}


@pytest.fixture
def world(db: None) -> World:
    # The typology's kinds come from a data migration, which a transactional test's flush
    # empties; put back what is missing.
    from vik.typology.kinds import ensure_violation_kinds

    ensure_violation_kinds()
    w = World()
    am = UnitFactory(code="AM", name="Eenheid Amsterdam", kind=Unit.Kind.REGIONAL, region="AM")
    d1 = UnitFactory(code="AM-D1", name="District 1", kind=Unit.Kind.DISTRICT, parent=am)
    w.units = {
        "AM": am,
        "AM-D1": d1,
        "AM-D1-T1": UnitFactory(
            code="AM-D1-T1", name="Basisteam 1", kind=Unit.Kind.TEAM, parent=d1
        ),
        "AM-D1-T2": UnitFactory(
            code="AM-D1-T2", name="Basisteam 2", kind=Unit.Kind.TEAM, parent=d1
        ),
        "AM-VIK": UnitFactory(code="AM-VIK", name="VIK Amsterdam", kind=Unit.Kind.TEAM, parent=am),
    }
    dh = UnitFactory(code="DH", name="Eenheid Den Haag", kind=Unit.Kind.REGIONAL, region="DH")
    w.units["DH"] = dh
    w.units["DH-T1"] = UnitFactory(
        code="DH-T1", name="Basisteam DH", kind=Unit.Kind.TEAM, parent=dh
    )
    services.rebuild_unit_ancestry()

    w.subject = EmployeeFactory(unit=am, team=w.units["AM-D1-T1"], last_name="Subject")
    w.colleague = EmployeeFactory(unit=am, team=w.units["AM-D1-T2"], last_name="Collega")
    w.outsider = EmployeeFactory(unit=dh, team=w.units["DH-T1"], last_name="Buitenstaander")

    for role in Role:
        user = UserFactory(username=role.value)
        team = w.units["AM-D1-T1"] if role == Role.TEAM_CHIEF else w.units["AM-VIK"]
        EmployeeFactory(unit=am, team=team, user=user, last_name=role.label)
        unit = w.units[ROLE_UNITS[role]] if role in ROLE_UNITS else None
        services.assign_role(user=user, role=role, unit=unit, acting_user=None, reason="test")
        w.users[role] = user
    # The grants above are told to the privacy officer; every test starts with empty inboxes.
    Notification.objects.all().delete()
    return w


@pytest.fixture
def client_for(world: World) -> Callable[[Role], Client]:
    """A logged-in test client for a role user."""

    def make(role: Role) -> Client:
        client = Client()
        client.force_login(world.users[role])
        return client

    return make


@pytest.fixture(scope="session")
def runtime_role(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """A role with the grants of scripts/db-roles.sql and nothing else (tests/dbroles.py)."""
    from tests.dbroles import create_runtime_role, drop_runtime_role

    with django_db_blocker.unblock():
        name = create_runtime_role()
        yield name
        drop_runtime_role(name)

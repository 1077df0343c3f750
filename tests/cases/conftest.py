"""Fixtures of the cases tests: a second investigator, private storage in a temp dir, a flow."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from tests.cases.builders import Flow
from tests.conftest import World
from tests.factories import EmployeeFactory, UserFactory
from vik import services as core
from vik.roles import Role


@pytest.fixture(autouse=True)
def _private_storage(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Uploaded evidence and rendered reports go to a throwaway directory."""
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture(autouse=True)
def _punishments(db: None) -> None:
    """The Barp list and the Rijksrecherche criteria come from data migrations, which a
    transactional test's flush empties."""
    from cases.criteria import ensure_criteria
    from cases.punishments import ensure_punishments

    ensure_punishments()
    ensure_criteria()


@pytest.fixture
def second_investigator(world: World) -> User:
    """Interviews need two investigators; the world has one."""
    user = UserFactory(username="investigator2", first_name="Ivo", last_name="Tweede")
    EmployeeFactory(unit=world.units["AM"], team=world.units["AM-VIK"], user=user)
    core.assign_role(
        user=user, role=Role.INVESTIGATOR, unit=world.units["AM"], acting_user=None, reason="test"
    )
    return user


@pytest.fixture
def flow(world: World, second_investigator: User) -> Flow:
    return Flow(world=world, second=second_investigator)


@pytest.fixture
def deputy(world: World) -> User:
    """A head of VIK of Den Haag, appointed deputy commissioner for Amsterdam."""
    from cases.models import CommissionerDeputy

    user = UserFactory(username="deputy", first_name="Dirk", last_name="Plaatsvervanger")
    EmployeeFactory(unit=world.units["DH"], team=world.units["DH-T1"], user=user)
    core.assign_role(
        user=user, role=Role.VIK_HEAD, unit=world.units["DH"], acting_user=None, reason="test"
    )
    CommissionerDeputy.objects.create(unit=world.units["AM"], user=user, note="test")
    return user

"""The menu: an entry shows for the roles whose capabilities it names, once."""

from __future__ import annotations

import pytest

from tests.conftest import World
from vik.navigation import entries_for
from vik.roles import Role

pytestmark = pytest.mark.django_db


def _urls(world: World, role: Role) -> list[str]:
    return [entry.url_name for entry in entries_for(world.user(role))]


def test_an_entry_with_several_capabilities_shows_once_for_each_holder(world: World) -> None:
    # Feedback per indicator: analysts (review) and the administrator (tuning).
    assert _urls(world, Role.ANALYST).count("monitoring:feedback") == 1
    assert _urls(world, Role.ADMINISTRATOR).count("monitoring:feedback") == 1
    assert "monitoring:feedback" not in _urls(world, Role.TEAM_CHIEF)


def test_the_menu_follows_the_capabilities(world: World) -> None:
    assert "monitoring:signal_list" in _urls(world, Role.ANALYST)
    assert "monitoring:signal_list" not in _urls(world, Role.COR_MEMBER)
    assert "monitoring:conversation_list" in _urls(world, Role.TEAM_CHIEF)

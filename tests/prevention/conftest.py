"""Fixtures of the prevention tests: English texts, role clients, a coordinator elsewhere.

The world's prevention coordinator coordinates Eenheid Amsterdam (the unit and everything
below it). A second coordinator works for Den Haag, to show that units stay apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from tests.conftest import World
from tests.prevention import helpers
from vik.roles import Role


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def english_client(user: object) -> Client:
    """A logged-in client that chose English with the language switch."""
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def client_for(world: World) -> Callable[[Role], Client]:
    """A logged-in, English-speaking test client for a role user."""
    return lambda role: english_client(world.users[role])


@pytest.fixture
def coordinator(world: World) -> User:
    return world.user(Role.PREVENTION_COORDINATOR)  # type: ignore[return-value]


@pytest.fixture
def dh_coordinator(world: World) -> User:
    return helpers.dh_coordinator(world)

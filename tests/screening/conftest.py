"""Fixtures for these tests: English texts, so assertions read the source messages.

The Dutch catalogue is exercised by a test of its own (a page rendered in Dutch).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.conftest import World
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

"""Fixtures of the transparency tests: a fixed "today", access-log rows in the past, and
small fake providers."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import pytest
from django.utils import timezone

from tests.conftest import World
from vik.models import AccessAction, AccessLogEntry, Employee
from vik.roles import Role
from vik.transparency.registry import Provider, use_providers

TODAY = datetime.date(2026, 11, 20)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def past_entry(
    *,
    world: World,
    role: Role,
    employee: Employee | None,
    when: datetime.datetime,
    action: AccessAction = AccessAction.VIEW,
    object_type: str = "vik.employee",
    object_id: str = "1",
    purpose: str = "",
) -> AccessLogEntry:
    """An entry as ``record_access`` would have written it at ``when`` (which it cannot)."""
    user = world.user(role)
    return AccessLogEntry.objects.create(
        occurred_at=when,
        actor=user,
        actor_username=user.get_username(),
        actor_role=role.value,
        action=action,
        object_type=object_type,
        object_id=object_id,
        employee=employee,
        purpose=purpose,
    )


@pytest.fixture
def log_entry(world: World) -> Callable[..., AccessLogEntry]:
    def make(**kwargs: object) -> AccessLogEntry:
        return past_entry(world=world, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def only_providers() -> Iterator[Callable[..., object]]:
    """Replace the discovered providers for one test: ``only_providers(fake, ...)``."""
    stack: list = []

    def install(*providers: Provider, planned: bool = False) -> object:
        manager = use_providers(*providers, planned=planned)
        registry = manager.__enter__()
        stack.append(manager)
        return registry

    yield install
    while stack:
        stack.pop().__exit__(None, None, None)

"""Service accounts for the API tests: each with roles granted like anyone's, and a token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from api import services
from api.models import Scope, ServiceAccount
from tests.conftest import ROLE_UNITS, World
from vik import services as core_services
from vik.roles import Role

ALL_SCOPES = list(Scope.values)


@dataclass
class ApiCaller:
    """A service account and a client that sends its token."""

    account: ServiceAccount
    secret: str
    client: Client

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, HTTP_AUTHORIZATION=f"Bearer {self.secret}", **kwargs)

    def post(self, url: str, data: Any = None, **kwargs: Any) -> Any:
        return self.client.post(url, data, HTTP_AUTHORIZATION=f"Bearer {self.secret}", **kwargs)


@pytest.fixture
def api_caller(world: World) -> Callable[..., ApiCaller]:
    """``api_caller(Role.ANALYST, scopes=[...])``: an account holding those roles."""
    counter = iter(range(1000))

    def make(*roles: Role, scopes: list[str] | None = None, name: str = "") -> ApiCaller:
        account = services.create_service_account(
            name=name or f"system-{next(counter)}", description="test", acting_user=None
        )
        for role in roles:
            unit = world.units[ROLE_UNITS[role]] if role in ROLE_UNITS else None
            core_services.assign_role(
                user=account.user, role=role, unit=unit, acting_user=None, reason="test"
            )
        issued = services.issue_token(
            account=account,
            name="test token",
            scopes=ALL_SCOPES if scopes is None else scopes,
            acting_user=None,
        )
        return ApiCaller(account=account, secret=issued.secret, client=Client())

    return make

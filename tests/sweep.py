"""The permission sweep's expectations: every URL × every role → the expected status.

Each app declares its routes in ``tests/<app>/sweep_routes.py`` as a list ``ROUTES`` of
:class:`Route`; :func:`all_routes` gathers them. ``tests/test_permission_sweep.py`` checks
that every named URL pattern has exactly one route here — a new URL without an entry fails.

For each route, roles in ``allowed`` get ``ok`` (200 by default); every other role gets
``denied`` (403: the role lacks the capability) unless ``overrides`` says otherwise (e.g. 404
when the role has the capability but the object is outside its scope). Anonymous users are
always sent to sign in, unless the route is ``public``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vik.roles import Role

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class Route:
    name: str
    allowed: frozenset[Role]
    kwargs: Callable[[Any], dict[str, Any]] = lambda world: {}
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] = lambda world: {}
    ok: int = 200
    denied: int = 403
    overrides: dict[Role, int] = field(default_factory=dict)
    public: bool = False
    query: str = ""
    # An API path: called with a service account's token instead of a session (its own
    # sweep, tests/api/test_sweep.py: roles held by the account, and a token without scope).
    api: bool = False

    def expected(self, role: Role | None) -> int:
        if role is None:
            return self.ok if self.public else 302
        if role in self.overrides:
            return self.overrides[role]
        return self.ok if role in self.allowed else self.denied


SWEEP_MODULES = [
    "tests.vik.sweep_routes",
    "tests.monitoring.sweep_routes",
    "tests.monitoring.consent_sweep_routes",
    "tests.cases.sweep_routes",
    "tests.screening.sweep_routes",
    "tests.complaints.sweep_routes",
    "tests.prevention.sweep_routes",
    "tests.transparency.sweep_routes",
    "tests.api.sweep_routes",
]


def all_routes() -> list[Route]:
    routes: list[Route] = []
    for module_name in SWEEP_MODULES:
        routes.extend(importlib.import_module(module_name).ROUTES)
    return routes

"""The permission sweep for the API: every path × every role, with tokens.

For each API route (``api=True`` in ``tests/api/sweep_routes.py``) and each role, a service
account holding just that role calls the path with a token carrying every scope; the status
must be the route's expectation. Without a token it is 401, and with a token lacking the
path's scope it is 403 — for every role, also those that may.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.urls import reverse

from api.models import Scope
from tests.api.sweep_routes import ROUTES
from tests.sweep import Route
from vik.roles import Role

pytestmark = pytest.mark.django_db

API_ROUTES = [route for route in ROUTES if route.api]
SCOPE_OF = {
    "api:monitoring_access_logs": Scope.MONITORING_IMPORT,
    "api:monitoring_access_log_file": Scope.MONITORING_IMPORT,
    "api:monitoring_reference_deliveries": Scope.MONITORING_IMPORT,
    "api:monitoring_delivery": Scope.MONITORING_IMPORT,
    "api:monitoring_delivery_rejections": Scope.MONITORING_IMPORT,
    "api:detection_runs": Scope.MONITORING_DETECT,
    "api:detection_run": Scope.MONITORING_DETECT,
    "api:signals": Scope.MONITORING_SIGNALS,
    "api:intake_reports": Scope.INTAKE_REPORTS,
    "api:intake_complaints": Scope.INTAKE_COMPLAINTS,
    "api:hr_deliveries": Scope.HR_IMPORT,
    "api:hr_delivery": Scope.HR_IMPORT,
    "api:hr_delivery_rejections": Scope.HR_IMPORT,
}


def call(route: Route, world: Any, url: str, caller: Any | None) -> Any:
    from django.test import Client

    data = route.data(world)
    send = caller.post if caller and route.method == "post" else caller.get if caller else None
    if send is None:
        client = Client()
        send = client.post if route.method == "post" else client.get
    if route.method == "post" and "body" in data:
        body = data["body"]
        if isinstance(body, dict):
            import json

            body = json.dumps(body)
        return send(url, body, content_type=data["content_type"])
    return send(url, data) if route.method == "post" else send(url)


def test_every_api_route_names_its_scope() -> None:
    assert {route.name for route in API_ROUTES} == set(SCOPE_OF)


@pytest.mark.parametrize("route", API_ROUTES, ids=[route.name for route in API_ROUTES])
def test_api_sweep(route: Route, world, api_caller) -> None:
    url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
    with (
        mock.patch("api.tasks.import_delivery.delay"),
        mock.patch("monitoring.tasks.detect_chunk.delay"),
    ):
        response = call(route, world, url, None)
        assert response.status_code == 401, f"{route.name} without a token"
        for role in Role:
            caller = api_caller(role)
            response = call(route, world, url, caller)
            expected = route.expected(role)
            assert response.status_code == expected, (
                f"{route.method.upper()} {url} as a service account with {role.value}: "
                f"got {response.status_code}, expected {expected}: {response.content[:300]!r}"
            )
            without = api_caller(
                role, scopes=[s for s in Scope.values if s != SCOPE_OF[route.name]]
            )
            response = call(route, world, url, without)
            assert response.status_code == 403, f"{route.name} as {role.value} without its scope"

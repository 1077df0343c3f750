"""Every URL × every role (and anonymous) → the expected status. See tests/sweep.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import World
from tests.sweep import Route, all_routes
from vik.roles import Role

ROUTES = all_routes()


def named_patterns(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[str]:
    """Every named URL pattern of the project, as ``namespace:name``."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_a_sweep_entry() -> None:
    # The admin is swept separately below (its URLs are generated per registered model).
    names = {name for name in named_patterns() if not name.startswith("admin:")}
    covered = {route.name for route in ROUTES}
    assert names - covered == set(), "URLs without a permission-sweep entry"
    assert covered - names == set(), "sweep entries for URLs that do not exist"


def _case_id(route: Route, role: Role | None) -> str:
    return f"{route.name}{'+' if route.kwargs else ''}-{role.value if role else 'anonymous'}"


# API paths are swept with tokens instead of sessions (tests/api/test_sweep.py).
CASES = [(route, role) for route in ROUTES if not route.api for role in [None, *Role]]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), CASES, ids=[_case_id(r, role) for r, role in CASES])
def test_sweep(world: World, route: Route, role: Role | None) -> None:
    client = Client()
    if role is not None:
        client.force_login(world.user(role))
    url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
    response = getattr(client, route.method)(url, route.data(world))
    expected = route.expected(role)
    assert response.status_code == expected, (
        f"{route.method.upper()} {url} as {role or 'anonymous'}: "
        f"got {response.status_code}, expected {expected}"
    )
    if role is None and not route.public:
        assert response["Location"].startswith(reverse("vik:login"))


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anonymous")
def test_admin_is_for_administrators_only(world: World, role: Role | None) -> None:
    client = Client()
    if role is not None:
        client.force_login(world.user(role))
    for url in admin_urls():
        response = client.get(url)
        if role == Role.ADMINISTRATOR:
            assert response.status_code in {200, 403}, url  # 403: a model it may not manage
        else:
            assert response.status_code == 302, url
    if role is not None and role != Role.ADMINISTRATOR:
        # Signed in but no administrator: a clear refusal, not a loop between two logins.
        response = client.get(reverse("admin:index"), follow=True)
        assert response.status_code == 403
        assert len(response.redirect_chain) == 1
    if role == Role.ADMINISTRATOR:
        assert client.get(reverse("admin:vik_employee_changelist")).status_code == 200
        # Adding a role assignment is a request, approved by a second person, in VIK itself.
        assert client.get(reverse("admin:vik_roleassignment_add"))["Location"] == reverse(
            "vik:role_request_create"
        )

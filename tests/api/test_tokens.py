"""Tokens: stored hashed, shown once, scoped, expiring, revocable, rotatable, rate-limited."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api import services
from api.models import ApiToken, Scope
from vik.roles import Role

pytestmark = pytest.mark.django_db

DELIVERY = "api:monitoring_delivery"


def test_only_a_digest_is_stored(api_caller) -> None:
    caller = api_caller(Role.ADMINISTRATOR)
    token = ApiToken.objects.get(account=caller.account)
    assert caller.secret.startswith(f"vik_{token.prefix}_")
    secret_part = caller.secret.split("_", 2)[2]
    assert secret_part not in token.secret_hash
    assert token.secret_hash == services.digest(secret_part)
    history = token.history.first()
    assert secret_part not in str(history.__dict__)


def test_a_valid_token_gets_in_and_is_noted(api_caller) -> None:
    caller = api_caller(Role.ADMINISTRATOR)
    response = caller.get(reverse(DELIVERY, args=[999]))
    assert response.status_code == 404  # authenticated and permitted: no such delivery
    assert response["Content-Type"] == "application/problem+json"
    assert ApiToken.objects.get(account=caller.account).last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer nonsense", "Bearer vik_abc_def", "Basic dXNlcjpwYXNz", "Bearer a b"],
)
def test_no_or_a_bad_token_is_401_problem(world, header: str) -> None:
    client = Client()
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(reverse(DELIVERY, args=[1]), **extra)
    assert response.status_code == 401
    body = response.json()
    assert body["status"] == 401
    assert body["type"] == "about:blank"
    assert body["instance"] == reverse(DELIVERY, args=[1])
    assert body["request_id"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_secret_with_a_real_prefix_is_refused(api_caller) -> None:
    caller = api_caller(Role.ADMINISTRATOR)
    caller.secret = caller.secret[:-3] + "xyz"
    assert caller.get(reverse(DELIVERY, args=[1])).status_code == 401


def test_expired_and_revoked_tokens_are_refused(api_caller) -> None:
    caller = api_caller(Role.ADMINISTRATOR)
    token = ApiToken.objects.get(account=caller.account)
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert caller.get(reverse(DELIVERY, args=[1])).status_code == 401

    other = api_caller(Role.ADMINISTRATOR)
    services.revoke_token(
        token=ApiToken.objects.get(account=other.account), acting_user=None, reason="leaked"
    )
    assert other.get(reverse(DELIVERY, args=[1])).status_code == 401


def test_switching_the_account_off_stops_every_token(api_caller) -> None:
    caller = api_caller(Role.ADMINISTRATOR)
    caller.account.is_active = False
    caller.account.save()
    assert caller.get(reverse(DELIVERY, args=[1])).status_code == 401


def test_rotation_replaces_the_token(api_caller) -> None:
    caller = api_caller(Role.ADMINISTRATOR)
    old = ApiToken.objects.get(account=caller.account)
    issued = services.rotate_token(token=old, acting_user=None)
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert old.replaced_by == issued.token
    assert issued.token.scopes == old.scopes
    assert caller.get(reverse(DELIVERY, args=[1])).status_code == 401
    caller.secret = issued.secret
    assert caller.get(reverse(DELIVERY, args=[1])).status_code == 404


def test_a_token_without_the_scope_is_403(api_caller) -> None:
    caller = api_caller(Role.ADMINISTRATOR, scopes=[Scope.HR_IMPORT])
    response = caller.get(reverse(DELIVERY, args=[1]))
    assert response.status_code == 403
    assert response.json()["status"] == 403


def test_a_scope_without_the_roles_capability_is_403(api_caller) -> None:
    # Every scope on the token, but an analyst may not import: the roles decide too.
    caller = api_caller(Role.ANALYST)
    assert caller.get(reverse(DELIVERY, args=[1])).status_code == 403


def test_rate_limit_per_token(api_caller, settings) -> None:
    settings.VIK_API_RATE_PER_MINUTE = 3
    limited = api_caller(Role.ADMINISTRATOR)
    other = api_caller(Role.ADMINISTRATOR)
    statuses = [limited.get(reverse(DELIVERY, args=[1])).status_code for _ in range(4)]
    assert statuses[:3] == [404, 404, 404]
    assert statuses[3] == 429
    response = limited.get(reverse(DELIVERY, args=[1]))
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 60
    assert response.json()["status"] == 429
    # Another token has its own budget.
    assert other.get(reverse(DELIVERY, args=[1])).status_code == 404


def test_unknown_api_paths_are_problems(world) -> None:
    response = Client().get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_service_account_cannot_sign_in_with_a_password(api_caller) -> None:
    caller = api_caller(Role.ADMINISTRATOR)
    user = caller.account.user
    user.set_password("a-long-password-2026")
    user.save()
    response = Client().post(
        reverse("vik:login"), {"username": user.username, "password": "a-long-password-2026"}
    )
    assert response.status_code == 200  # the form again, not signed in
    assert "_auth_user_id" not in Client().session


def test_issue_refuses_nonsense(world) -> None:
    account = services.create_service_account(name="x", description="", acting_user=None)
    with pytest.raises(Exception, match="scope"):
        services.issue_token(account=account, name="t", scopes=["everything"], acting_user=None)
    with pytest.raises(Exception, match="future"):
        services.issue_token(
            account=account,
            name="t",
            scopes=[Scope.HR_IMPORT],
            expires_at=timezone.now() - datetime.timedelta(days=1),
            acting_user=None,
        )

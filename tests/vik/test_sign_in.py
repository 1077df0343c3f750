"""Sign-in without a provider: the local switch, break-glass accounts, the security log,
and the single sign-on rules that need no browser (claims, groups, refusals)."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.factories import EmployeeFactory, UserFactory
from vik import oidc
from vik.account_services import SignInRefused, account_for_sign_in, remove_roles_outside_groups
from vik.models import RoleAssignment
from vik.roles import Role

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-2026"


def local_user(username: str):
    user = UserFactory(username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(username: str) -> Client:
    client = Client()
    client.post(reverse("vik:login"), {"username": username, "password": PASSWORD})
    return client


def test_local_sign_in_and_out_are_in_the_security_log(world, caplog) -> None:
    local_user("lokaal")
    with caplog.at_level(logging.INFO, logger="vik.security"):
        client = sign_in("lokaal")
        assert "_auth_user_id" in client.session
        client.post(reverse("vik:logout"))
        Client().post(reverse("vik:login"), {"username": "lokaal", "password": "wrong"})
    events = [
        (r.security["event"], r.security.get("method"))
        for r in caplog.records
        if r.name == "vik.security"
    ]
    assert events == [
        ("sign_in", "password"),
        ("sign_out", "password"),
        ("sign_in_refused", "password"),
    ]


def test_local_sign_in_switched_off_except_break_glass(world, settings) -> None:
    settings.VIK_LOCAL_LOGIN = False
    settings.VIK_BREAK_GLASS_USERS = frozenset({"nood"})
    local_user("gewoon")
    local_user("nood")
    refused = Client().post(reverse("vik:login"), {"username": "gewoon", "password": PASSWORD})
    assert refused.status_code == 200
    assert "Inloggen met een wachtwoord is uitgeschakeld" in refused.content.decode()
    assert "_auth_user_id" in sign_in("nood").session


def test_the_sign_in_page_offers_the_provider_when_configured(world, settings) -> None:
    page = Client().get(reverse("vik:login")).content.decode()
    assert "politie-account" not in page
    settings.VIK_OIDC_ENABLED = True
    settings.VIK_OIDC_ISSUER = "https://sso.example"
    settings.VIK_LOCAL_LOGIN = False
    page = Client().get(reverse("vik:login")).content.decode()
    assert "Inloggen met uw politie-account" in page
    assert "Noodtoegang voor beheerders" in page


def test_the_provider_views_do_not_exist_while_it_is_off(world) -> None:
    assert Client().get(reverse("vik:oidc_authenticate")).status_code == 404
    assert Client().get(reverse("vik:oidc_callback") + "?code=x&state=y").status_code == 404


def test_an_unreachable_provider_is_a_clear_page(world, settings) -> None:
    settings.VIK_OIDC_ENABLED = True
    settings.VIK_OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens there
    settings.OIDC_TIMEOUT = 1
    from django.core.cache import cache

    cache.clear()
    response = Client().get(reverse("vik:oidc_authenticate"))
    assert response.status_code == 503
    assert "niet bereikbaar" in response.content.decode()


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"amr": ["pwd", "otp"]}, True),
        ({"amr": "mfa"}, True),
        ({"amr": ["pwd"]}, False),
        ({"acr": "gold"}, True),
        ({"acr": "silver"}, False),
        ({}, False),
    ],
)
def test_second_factor_from_acr_or_amr(settings, claims, expected) -> None:
    settings.VIK_OIDC_SECOND_FACTOR_AMR = frozenset({"otp", "mfa"})
    settings.VIK_OIDC_SECOND_FACTOR_ACR = frozenset({"gold"})
    assert oidc.second_factor_claimed(claims) is expected


def test_id_tokens_of_another_issuer_or_client_are_refused(settings) -> None:
    settings.VIK_OIDC_ISSUER = "https://sso.example/realms/politie"
    settings.OIDC_RP_CLIENT_ID = "vik"
    backend = oidc.OIDCBackend()
    backend._check_issuer_and_audience(
        {"iss": "https://sso.example/realms/politie", "aud": ["vik", "x"]}
    )
    with pytest.raises(SuspiciousOperation):
        backend._check_issuer_and_audience({"iss": "https://evil.example", "aud": "vik"})
    with pytest.raises(SuspiciousOperation):
        backend._check_issuer_and_audience(
            {"iss": "https://sso.example/realms/politie", "aud": "other"}
        )


def test_first_sign_in_links_an_account_with_only_the_employee_role(world) -> None:
    employee = EmployeeFactory(unit=world.units["AM"], personnel_number="555001")
    user = account_for_sign_in(employee=employee, email="a@politie.example")
    assert user.username == "555001"
    assert not user.has_usable_password()
    assert list(RoleAssignment.objects.filter(user=user).values_list("role", flat=True)) == [
        Role.EMPLOYEE
    ]
    assert account_for_sign_in(employee=employee) == user  # the same account next time


def test_leavers_and_blocked_accounts_are_refused(world) -> None:
    left = EmployeeFactory(
        unit=world.units["AM"], employment_end=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(SignInRefused) as refusal:
        account_for_sign_in(employee=left)
    assert refusal.value.code == "left"
    blocked = world.employee_of(Role.ANALYST)
    blocked.user.is_active = False
    blocked.user.save()
    with pytest.raises(SignInRefused) as refusal:
        account_for_sign_in(employee=blocked)
    assert refusal.value.code == "blocked"


def test_groups_only_take_roles_away(world) -> None:
    user = world.user(Role.ANALYST)
    assert remove_roles_outside_groups(user=user, groups=["vik"], role_groups={"*": "vik"}) == []
    assert remove_roles_outside_groups(
        user=user, groups=["vik"], role_groups={"*": "vik", "analyst": "pm"}
    ) == [Role.ANALYST]
    assert not RoleAssignment.objects.filter(user=user).exists()
    # Nothing configured: nothing happens, and never a grant.
    assert remove_roles_outside_groups(user=user, groups=["pm"], role_groups={}) == []
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_a_token_without_the_groups_claim_counts_as_no_groups(world) -> None:
    user = world.user(Role.INVESTIGATOR)
    assert remove_roles_outside_groups(user=user, groups=None, role_groups={"*": "vik"}) == [
        Role.INVESTIGATOR
    ]


def test_provider_logout_only_after_single_sign_on(settings) -> None:
    settings.VIK_OIDC_ENABLED = True
    settings.VIK_OIDC_ISSUER = "https://sso.example"
    request = RequestFactory().post("/accounts/logout/")
    request.session = {oidc.SESSION_METHOD_KEY: "password"}
    assert oidc.provider_logout_url(request) is None


def test_the_openid_callback_is_never_a_lockout_attempt(rf) -> None:
    from vik.backends import not_a_password_attempt

    assert not_a_password_attempt(rf.get(reverse("vik:oidc_callback")), {})
    assert not not_a_password_attempt(rf.post(reverse("vik:login")), {"username": "x"})

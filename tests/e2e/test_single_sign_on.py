"""Single sign-on against a real OpenID provider, in the browser.

The provider (``scripts/oidc-test-provider``, the certified ``oidc-provider`` for Node.js)
runs on 127.0.0.1:8152; VIK runs in the live server. Each journey goes through the real
redirect, the provider's sign-in and consent pages and VIK's callback.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.oidc_provider import RunningProvider, running_provider
from tests.factories import EmployeeFactory, UnitFactory
from vik import services
from vik.models import Employee, RoleAssignment, Unit
from vik.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "provider-password"
ACCOUNTS = {
    "astrid": {  # an analyst in VIK; the provider asked for a second factor
        "password": PASSWORD,
        "mfa": True,
        "claims": {"employee_number": "910001", "name": "Astrid Analist", "groups": ["vik"]},
    },
    "olga": {  # an investigator; password only at the provider
        "password": PASSWORD,
        "claims": {"employee_number": "910002", "name": "Olga Onderzoeker", "groups": ["vik"]},
    },
    "lars": {  # has left the police
        "password": PASSWORD,
        "mfa": True,
        "claims": {"employee_number": "910003", "name": "Lars Vertrokken", "groups": ["vik"]},
    },
    "nora": {  # known to the provider, not an employee in VIK
        "password": PASSWORD,
        "mfa": True,
        "claims": {"employee_number": "999999", "name": "Nora Onbekend"},
    },
    "tim": {  # the analyst's colleague, moved out of the integrity department's group
        "password": PASSWORD,
        "mfa": True,
        "claims": {"employee_number": "910004", "name": "Tim Teamchef", "groups": []},
    },
}


@pytest.fixture
def provider(live_server, settings, tmp_path) -> Iterator[RunningProvider]:
    with running_provider(
        accounts=ACCOUNTS,
        redirect_uri=f"{live_server.url}/oidc/callback/",
        post_logout_uri=f"{live_server.url}/accounts/login/",
        workdir=tmp_path,
    ) as running:
        settings.VIK_OIDC_ENABLED = True
        settings.VIK_OIDC_ISSUER = running.issuer
        settings.OIDC_RP_CLIENT_ID = running.client_id
        settings.OIDC_RP_CLIENT_SECRET = running.client_secret
        settings.OIDC_RP_SCOPES = "openid profile vik"
        settings.VIK_OIDC_SECOND_FACTOR_AMR = frozenset({"otp"})
        settings.VIK_OIDC_ROLE_GROUPS = {"*": "vik"}
        cache.clear()
        yield running
        cache.clear()


@pytest.fixture
def people(transactional_db: None) -> dict[str, Employee]:
    am = UnitFactory(code="AM", name="Eenheid Amsterdam", kind=Unit.Kind.REGIONAL, region="AM")
    team = UnitFactory(code="AM-T1", name="Basisteam 1", kind=Unit.Kind.TEAM, parent=am)
    services.rebuild_unit_ancestry()
    make = lambda number, first, last, **kw: EmployeeFactory(  # noqa: E731
        personnel_number=number, first_name=first, last_name=last, unit=am, team=team, **kw
    )
    people = {
        "astrid": make("910001", "Astrid", "Analist"),
        "olga": make("910002", "Olga", "Onderzoeker"),
        "lars": make(
            "910003",
            "Lars",
            "Vertrokken",
            employment_end=timezone.localdate() - datetime.timedelta(days=2),
        ),
        "tim": make("910004", "Tim", "Teamchef"),
    }
    return people


def grant(employee: Employee, role: Role, unit_code: str | None = "AM") -> None:
    """Give the linked account a role, as the administrator does (before first sign-in)."""
    user = employee.user
    if user is None:
        user = get_user_model().objects.create(
            username=employee.personnel_number,
            first_name=employee.first_name,
            last_name=employee.last_name,
        )
        user.set_unusable_password()
        user.save()
        services.link_account(employee=employee, user=user, acting_user=None, reason="test")
    unit = Unit.objects.get(code=unit_code) if unit_code else None
    services.assign_role(user=user, role=role, unit=unit, acting_user=None, reason="test")


def sign_in_at_provider(page: Page, base: str, login: str, *, consent: bool = True) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="Inloggen met uw politie-account").click()
    expect(page.get_by_role("heading", name="Sign in at the test provider")).to_be_visible()
    page.get_by_label("User name").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if consent:
        expect(page.get_by_role("heading", name="Allow access")).to_be_visible()
        page.get_by_role("button", name="Allow").click()


def test_sign_in_lands_on_own_work_and_sign_out_ends_both_sessions(
    page: Page, live_server, provider: RunningProvider, people: dict[str, Employee]
) -> None:
    base = live_server.url
    grant(people["astrid"], Role.ANALYST)

    sign_in_at_provider(page, base, "astrid")
    page.wait_for_url(f"{base}/")
    expect(page.get_by_role("heading", name="Mijn werk")).to_be_visible()
    expect(page.get_by_role("navigation", name="Hoofdnavigatie")).to_contain_text("Astrid Analist")
    # Roles stay VIK's: the analyst's menu, nothing granted by the provider.
    expect(page.get_by_role("navigation", name="Hoofdnavigatie")).to_contain_text("Monitoring")

    # Sign out: VIK's session ends, then the provider's (RP-initiated logout).
    page.get_by_role("button", name="Astrid Analist").click()
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{base}/accounts/login/")
    page.goto(f"{base}/")
    page.wait_for_url(f"{base}/accounts/login/?next=/")

    # The provider forgot the person too: it asks to sign in again.
    page.get_by_role("link", name="Inloggen met uw politie-account").click()
    expect(page.get_by_role("heading", name="Sign in at the test provider")).to_be_visible()


def test_a_first_sign_in_links_the_employee_and_gets_only_the_employee_role(
    page: Page, live_server, provider: RunningProvider, people: dict[str, Employee]
) -> None:
    base = live_server.url
    sign_in_at_provider(page, base, "astrid")
    page.wait_for_url(f"{base}/")
    employee = Employee.objects.get(personnel_number="910001")
    assert employee.user is not None
    assert set(
        RoleAssignment.objects.filter(user=employee.user).values_list("role", flat=True)
    ) == {Role.EMPLOYEE}
    assert not employee.user.has_usable_password()


@pytest.mark.parametrize(
    ("login", "message"),
    [
        ("lars", "niet meer in dienst"),
        ("nora", "geen medewerker met uw personeelsnummer"),
    ],
)
def test_a_leaver_or_an_unknown_person_gets_no_account_and_a_clear_page(
    page: Page, live_server, provider: RunningProvider, people: dict[str, Employee], login, message
) -> None:
    base = live_server.url
    users_before = get_user_model().objects.count()
    sign_in_at_provider(page, base, login)
    expect(page.get_by_role("heading", name="U kunt niet inloggen bij VIK")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(message)
    assert get_user_model().objects.count() == users_before
    page.goto(f"{base}/")
    page.wait_for_url(f"{base}/accounts/login/?next=/")


def test_the_second_factor_rule_holds_for_single_sign_on(
    page: Page, live_server, provider: RunningProvider, people: dict[str, Employee], settings
) -> None:
    settings.VIK_REQUIRE_2FA = True
    base = live_server.url
    grant(people["olga"], Role.INVESTIGATOR)
    # Password only at the provider: VIK asks for its own second factor.
    sign_in_at_provider(page, base, "olga")
    page.wait_for_url(f"{base}/accounts/2fa/setup/**")
    page.goto(f"{base}/cases/")
    page.wait_for_url(f"{base}/accounts/2fa/setup/**")

    # The provider asked for a second factor (amr "otp"): straight to work.
    page.context.clear_cookies()
    grant(people["astrid"], Role.ANALYST)
    sign_in_at_provider(page, base, "astrid")
    page.wait_for_url(f"{base}/")


def test_a_group_missing_at_the_provider_takes_roles_away_never_gives_them(
    page: Page, live_server, provider: RunningProvider, people: dict[str, Employee]
) -> None:
    base = live_server.url
    grant(people["tim"], Role.TEAM_CHIEF, "AM-T1")
    sign_in_at_provider(page, base, "tim")
    page.wait_for_url(f"{base}/")
    user = Employee.objects.get(personnel_number="910004").user
    assert set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True)) == {
        Role.EMPLOYEE
    }
    revoked = RoleAssignment.history.filter(user_id=user.pk, history_type="-").get()
    assert "groep 'vik'" in revoked.history_change_reason
    expect(page.get_by_role("navigation", name="Hoofdnavigatie")).not_to_contain_text(
        "Mijn gesprekken"
    )


def test_denying_consent_is_a_clear_refusal(
    page: Page, live_server, provider: RunningProvider, people: dict[str, Employee]
) -> None:
    base = live_server.url
    sign_in_at_provider(page, base, "astrid", consent=False)
    page.get_by_role("button", name="Deny").click()
    expect(page.get_by_role("heading", name="U kunt niet inloggen bij VIK")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("afgebroken")

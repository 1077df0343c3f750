"""Signing in: passwords, throttling, the second factor, the idle timeout."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import World
from vik.roles import Role

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def analyst(world: World):
    user = world.user(Role.ANALYST)
    user.set_password(PASSWORD)
    user.save()
    return user


def reset_throttle(device: TOTPDevice) -> None:
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.last_t = -1  # the same code may be used again in this test
    device.save()


def login(client: Client, username: str, password: str):
    return client.post(reverse("vik:login"), {"username": username, "password": password})


def test_anonymous_users_are_sent_to_sign_in(db: None) -> None:
    response = Client().get(reverse("vik:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("vik:login"))


def test_sign_in_and_out(analyst) -> None:
    client = Client()
    assert login(client, "analyst", PASSWORD)["Location"] == reverse("vik:home")
    assert client.get(reverse("vik:home")).status_code == 200
    client.post(reverse("vik:logout"))
    assert client.get(reverse("vik:home")).status_code == 302


def test_repeated_failures_lock_the_account(analyst) -> None:
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "analyst", "wrong").status_code == 200
    assert login(client, "analyst", "wrong").status_code == 429  # the limit is reached
    locked = login(client, "analyst", PASSWORD)  # even the right password is refused now
    assert locked.status_code == 429
    assert "Te veel mislukte inlogpogingen" in locked.content.decode()  # Dutch by default


@override_settings(VIK_LOGIN_ADDRESS_FAILURE_LIMIT=12)
def test_password_spraying_from_one_address_locks_the_address(analyst) -> None:
    """A few guesses per user name never reach the pair's limit; the address's limit stops it."""
    client = Client()
    names = [f"guessed-name-{number}" for number in range(6)]
    for name in names:  # two guesses each: 12 failures, no pair over its limit of 5
        for _guess in range(2):
            login(client, name, "Welkom01!")
    locked = login(client, "analyst", PASSWORD)  # the right password of a real account
    assert locked.status_code == 429
    # Another address (another station behind its own NAT) is not affected.
    other = Client(REMOTE_ADDR="192.0.2.77")
    assert login(other, "analyst", PASSWORD)["Location"] == reverse("vik:home")


@override_settings(VIK_LOGIN_ADDRESS_FAILURE_LIMIT=12)
def test_a_stations_occasional_typos_do_not_lock_the_station(analyst) -> None:
    client = Client()
    for number in range(11):  # one typo each for eleven colleagues behind one address
        login(client, f"colleague-{number}", "typo")
    assert login(client, "analyst", PASSWORD)["Location"] == reverse("vik:home")


@override_settings(VIK_LOGIN_ADDRESS_FAILURE_LIMIT=0)
def test_the_address_limit_can_be_switched_off(analyst) -> None:
    client = Client()
    for number in range(30):
        login(client, f"guessed-name-{number}", "Welkom01!")
    assert login(client, "analyst", PASSWORD)["Location"] == reverse("vik:home")


def test_the_session_expires_when_idle() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request restarts the idle clock


@override_settings(VIK_REQUIRE_2FA=True)
def test_second_factor_enrolment_then_verification(analyst) -> None:
    client = Client()
    login(client, "analyst", PASSWORD)
    # No device yet: every page leads to enrolment.
    response = client.get(reverse("vik:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("vik:two_factor_setup"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "data:image/svg+xml" in page.content.decode()

    device = TOTPDevice.objects.get(user=analyst, confirmed=False)
    assert client.post(reverse("vik:two_factor_setup"), {"token": "000000"}).status_code == 200
    reset_throttle(device)  # a failure makes the device wait before the next attempt
    code = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("vik:two_factor_setup"), {"token": code, "next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("vik:home")).status_code == 200

    # Next sign-in: the enrolled device must be verified first.
    other = Client()
    login(other, "analyst", PASSWORD)
    response = other.get(reverse("vik:home"))
    assert response["Location"].startswith(reverse("vik:two_factor_verify"))
    assert other.post(reverse("vik:two_factor_verify"), {"token": "123456"}).status_code == 200
    reset_throttle(device)
    code = f"{totp(device.bin_key):06d}"
    assert other.post(reverse("vik:two_factor_verify"), {"token": code}).status_code == 302
    assert other.get(reverse("vik:home")).status_code == 200


@override_settings(VIK_REQUIRE_2FA=True)
def test_before_the_second_factor_the_page_shows_nothing_of_the_account(
    world: World, analyst
) -> None:
    from vik import services

    analyst.first_name, analyst.last_name = "Anna", "Lijst"
    analyst.save()
    services.notify(recipient=analyst, subject="Geheim", acting_user=None, send_email=False)
    device = TOTPDevice.objects.create(user=analyst, name="app", confirmed=True)
    client = Client()
    login(client, "analyst", PASSWORD)
    for name in ("vik:two_factor_verify", "vik:two_factor_setup"):
        page = client.get(reverse(name), follow=True).content.decode()
        assert "Anna Lijst" not in page  # the full name
        assert "Signalen" not in page  # the role's menu
        assert "Berichten" not in page  # the messages link and its unread count
        assert "Uitloggen" in page  # but a way out
    # Once verified, the menu, the name and the count are there.
    reset_throttle(device)
    client.post(reverse("vik:two_factor_verify"), {"token": f"{totp(device.bin_key):06d}"})
    page = client.get(reverse("vik:home")).content.decode()
    assert "Anna Lijst" in page
    assert "Signalen" in page
    assert "Berichten" in page


def test_a_signed_in_user_who_is_no_administrator_gets_a_clear_answer(
    world: World, client_for
) -> None:
    client = client_for(Role.ANALYST)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert response.redirect_chain == [(f"{reverse('admin:login')}?next=/admin/", 302)]
    assert "alleen voor beheerders" in response.content.decode()
    # An administrator who lands on the admin's sign-in page goes on to the admin.
    admin = client_for(Role.ADMINISTRATOR).get(f"{reverse('admin:login')}?next=/admin/")
    assert admin["Location"] == "/admin/"
    # Signed out, the admin leads to VIK's own sign-in (with its second factor).
    anonymous = Client().get(reverse("admin:index"), follow=True)
    assert anonymous.redirect_chain[-1][0].startswith(reverse("vik:login"))
    assert anonymous.status_code == 200


def test_an_administrator_cannot_take_over_an_account_without_an_authenticator(
    world: World, client_for
) -> None:
    # The vik_head signs in through single sign-on (a second factor at the provider) and
    # never enrolled an authenticator in VIK. Setting their password in the administration
    # screens and signing in as them would lead to *enrolling* a new authenticator: the
    # second factor would not stop the administrator. So the password cannot be set there.
    head = world.user(Role.VIK_HEAD)
    url = reverse("admin:auth_user_password_change", args=[head.pk])
    admin = client_for(Role.ADMINISTRATOR)
    refused = admin.get(url)
    assert refused.status_code == 403
    assert "nog geen authenticator-app" in refused.content.decode()  # Dutch by default
    form = {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"}
    assert admin.post(url, form).status_code == 403
    head.refresh_from_db()
    assert not head.check_password(PASSWORD)
    with override_settings(VIK_REQUIRE_2FA=True):
        thief = Client()
        login(thief, head.username, PASSWORD)
        assert thief.get(reverse("vik:home"))["Location"].startswith(reverse("vik:login"))

    # An account with a confirmed authenticator keeps the help desk's reset: the second
    # factor stays the account holder's.
    TOTPDevice.objects.create(user=head, name="authenticator", confirmed=True)
    response = admin.post(url, form)
    assert response.status_code == 302
    head.refresh_from_db()
    assert head.check_password(PASSWORD)
    with override_settings(VIK_REQUIRE_2FA=True):
        thief = Client()
        login(thief, head.username, PASSWORD)
        assert thief.get(reverse("vik:home"))["Location"].startswith(
            reverse("vik:two_factor_verify")
        )

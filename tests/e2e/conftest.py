"""End-to-end tests in headless Chromium, driven by Playwright for Python.

Playwright drives the system's Chromium (``/usr/bin/chromium``, installed by
``scripts/ensure-system.sh``): no browser download, which a closed network would refuse.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Iterator
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "e2e-demo-password-2026"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are
    # synchronous and safe. Only for as long as the browser runs: other tests start
    # subprocesses that must not inherit the flag.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The demo organisation and logins of ``seed_demo``, each with a known password."""
    from monitoring.services import ensure_detection_settings
    from vik import demo

    # An earlier transactional test's flush empties the rows that data migrations seeded;
    # put back what the journeys need, as an upgrade would (only what is missing).
    ensure_detection_settings()
    demo.seed(stdout=StringIO(), rng=random.Random("e2e"))
    for user in get_user_model().objects.all():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base_url}/")

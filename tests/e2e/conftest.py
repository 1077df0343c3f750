"""End-to-end tests in headless Chromium, driven by Playwright for Python.

Playwright drives the system's Chromium (``/usr/bin/chromium``, installed by
``scripts/ensure-system.sh``): no browser download, which a closed network would refuse.

A journey records its steps with the ``journey`` fixture: ``journey.step("signal opened")``
saves a screenshot of the page as it is (``test-artifacts/screenshots/<test>/NN-<step>.png``,
or under ``E2E_SCREENSHOT_DIR``; CI keeps the folder as its artefact) and checks the page at
1280 × 800 and at 1024 px: no horizontal scroll bar, and no word broken over two lines.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "e2e-demo-password-2026"
# Where the journeys' screenshots go: kept after the run (CI's artefact), one folder per test.
SCREENSHOT_DIR = Path(
    os.environ.get("E2E_SCREENSHOT_DIR")
    or Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
)
# The widths every step is checked at: a laptop (1280 × 800) and a tablet in landscape.
WIDTHS = [(1280, 800), (1024, 768)]
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Words (four letters or more) whose letters sit on two lines: a label broken mid-word, as
# "herhalingsonderz/oek" was. Hyphenated and slashed compounds may break at their hyphen.
BROKEN_WORDS = r"""
() => {
  const broken = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const word = /[A-Za-zÀ-ÖØ-öø-ÿ]{4,}/g;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, template, .visually-hidden")) continue;
    if (!parent.getClientRects().length) continue;  // not shown
    for (const match of node.textContent.matchAll(word)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()]
        .filter((rect) => rect.width > 0).map((rect) => Math.round(rect.bottom)));
      if (lines.size > 1) broken.add(match[0]);
    }
  }
  return [...broken];
}
"""


def page_problems(page: Page) -> list[str]:
    """What is wrong with the page's layout at each width (the viewport is put back)."""
    original = page.viewport_size
    problems: list[str] = []
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            problems.append(f"at {width}px the page is {overflow}px too wide")
        if broken := page.evaluate(BROKEN_WORDS):
            problems.append(f"at {width}px words broken over two lines: {', '.join(broken)}")
    if original:
        page.set_viewport_size(original)
    return problems


class Journey:
    """The steps of one role's journey: a screenshot each, and the layout checked."""

    def __init__(self, page: Page, name: str) -> None:
        self.page = page
        self.folder = SCREENSHOT_DIR / re.sub(r"[^\w.-]+", "-", name).strip("-")
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.steps: list[str] = []

    def step(self, name: str) -> Path:
        """Record the page as the step left it; fail if it scrolls sideways or breaks a word."""
        self.page.wait_for_load_state()
        self.steps.append(name)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        path = self.folder / f"{len(self.steps):02d}-{slug}.png"
        self.page.screenshot(path=path, full_page=True)
        problems = page_problems(self.page)
        assert problems == [], f"step {len(self.steps)} ({name}, {self.page.url}): {problems}"
        return path


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
def journey(page: Page, request: pytest.FixtureRequest) -> Journey:
    """Screenshots per step, at the window size of the issue (1280 × 800)."""
    page.set_viewport_size({"width": WIDTHS[0][0], "height": WIDTHS[0][1]})
    return Journey(page, request.node.name)


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

"""No page scrolls sideways: every page in each demo role's menu, at 1280 × 800 and 1024 px.

A table may scroll inside its own box (``.table-responsive``); the page itself may not. For
each role the test signs in, collects the links of the main navigation (its home and every
menu entry) and opens each, checking at both widths that the document is no wider than the
window and that no word is broken over two lines (``page_problems``, as every journey step
does). Pages that fail are named with their width, so the fix is easy to find.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import page_problems, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = [
    "analist",
    "teamchef",
    "onderzoeker",
    "hoofdvik",
    "screener",
    "klachten",
    "cor",
    "privacy",
    "medewerker",
    "beheerder",
    "preventie",
]


def test_no_page_in_any_menu_scrolls_sideways(browser: Browser, live_server, demo) -> None:
    too_wide: list[str] = []
    visited = 0
    for username in ROLES:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, live_server.url, username)
        hrefs = page.eval_on_selector_all(
            "header nav a[href]", "links => links.map(link => link.getAttribute('href'))"
        )
        paths = sorted(
            {
                href
                for href in hrefs
                if href.startswith("/") and not urlsplit(href).path.startswith("/admin")
            }
        )
        for path in ["/", *paths]:
            page.goto(f"{live_server.url}{path}")
            visited += 1
            too_wide.extend(f"{username} {path} {problem}" for problem in page_problems(page))
        context.close()
    assert visited > 4 * len(ROLES), "the menus were not found"
    assert too_wide == []

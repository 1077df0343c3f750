"""Every demo role signs in through the real login form and lands on its own home page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What each role must see on "Mijn werk" (tile titles), and what it must not.
EXPECTED_TILES = {
    "teamchef": ["Medewerkers", "Belangenconflicten"],
    "onderzoeker": ["Medewerkers", "Belangenconflicten"],
    "hoofdvik": ["Medewerkers", "Belangenconflicten"],
    "screener": ["Medewerkers"],
    "privacy": ["Toegangslog", "Belangenconflicten"],
    "beheerder": ["Beheer"],
    "analist": ["Belangenconflicten"],
    "preventie": ["Preventiewerklijst", "Trends in soorten schending", "Belangenconflicten"],
}
NEVER_FOR = {
    "cor": ["Medewerkers", "Toegangslog"],
    "medewerker": ["Medewerkers", "Toegangslog", "Beheer"],
    "analist": ["Medewerkers", "Toegangslog"],
    "preventie": ["Medewerkers", "Toegangslog", "Beheer"],
}


@pytest.mark.parametrize(
    "username",
    [
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
    ],
)
def test_each_role_signs_in_and_sees_its_home(page: Page, live_server, demo, username: str) -> None:
    sign_in(page, live_server.url, username)
    expect(page.get_by_role("heading", name="Mijn werk")).to_be_visible()
    tiles = page.locator(".tile h2")
    for title in EXPECTED_TILES.get(username, []):
        expect(tiles.filter(has_text=title)).to_have_count(1)
    for title in NEVER_FOR.get(username, []):
        expect(tiles.filter(has_text=title)).to_have_count(0)

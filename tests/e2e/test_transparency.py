"""Transparency in a real browser: the works council's dashboard, and an employee who sees
who looked at their data.

Still to come with the monitoring UI (issue 5): an employee who sees a closed signal about
them, with its outcome, in "Mijn gegevens". That needs monitoring's transparency provider;
add it here when it lands.
"""

from __future__ import annotations

import random
from io import StringIO

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def transparency_demo(demo: None) -> None:
    """The core's demo plus this app's: a year and more of access log, published figures."""
    from vik.transparency import demo as transparency_demo

    transparency_demo.seed(stdout=StringIO(), rng=random.Random("e2e"))


def test_a_works_council_member_sees_the_dashboard(
    page: Page, live_server, transparency_demo: None
) -> None:
    sign_in(page, live_server.url, "cor")
    page.get_by_role("button", name="Ondernemingsraad").click()
    page.get_by_role("link", name="Dashboard ondernemingsraad", exact=True).click()
    expect(page.get_by_role("heading", name="Dashboard ondernemingsraad")).to_be_visible()
    expect(page.get_by_role("img", name="Inzage in persoonsgegevens, per rol")).to_be_visible()
    page.get_by_role("link", name="Inzage in persoonsgegevens, per rol").first.click()
    expect(page.get_by_role("heading", name="Verloop over de kwartalen")).to_be_visible()
    table = page.locator("#quarter table")
    expect(table).to_contain_text("Eenheid Amsterdam")
    expect(table).to_contain_text("< 5")
    # Another quarter through the form (an htmx fragment swap).
    earlier = page.locator("#quarter-select option").nth(1).inner_text()
    page.locator("#quarter-select").select_option(index=1)
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator("#quarter-heading")).to_have_text(f"Per eenheid: {earlier}")
    # Never a name: the demo employee who was looked at does not appear.
    expect(page.locator("main")).not_to_contain_text("Mila")


def test_an_employee_sees_who_looked_at_their_data(
    page: Page, live_server, transparency_demo: None
) -> None:
    sign_in(page, live_server.url, "medewerker")
    page.get_by_role("button", name="Mijn gegevens").click()
    page.get_by_role("link", name="Mijn gegevens", exact=True).click()
    expect(page.get_by_role("heading", name="Wie uw gegevens inzag")).to_be_visible()
    looks = page.get_by_role("table", name="Inzage in uw gegevens")
    expect(looks).to_contain_text("Teamchef")
    expect(looks).to_contain_text("Analist Protective Monitoring")
    # Older looks, outside any open matter, show the name; today's only the role.
    expect(looks).to_contain_text("Tobias Teamchef")
    expect(looks).to_contain_text("nog niet getoond")
    expect(page.get_by_role("heading", name="Uw personeelsgegevens")).to_be_visible()

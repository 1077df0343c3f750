"""Issue 11, point 3 in headless Chromium: a protocol change waits for the works council.

On the demo (one consented proposal, one awaiting the council): the works council member
reads both without a name; the head of VIK records the council's consent to the pending
longer retention period, and the period is in force at once.
"""

from __future__ import annotations

from io import StringIO

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_head_of_vik_records_the_councils_consent(page: Page, live_server, demo: None) -> None:
    from monitoring.demo import seed_protocol_changes
    from vik.transparency.models import RetentionPolicy

    seed_protocol_changes(stdout=StringIO())
    base = live_server.url

    sign_in(page, base, "cor")
    page.goto(f"{base}/monitoring/protocol-changes/")
    expect(page.get_by_role("heading", name="Ligt bij de ondernemingsraad")).to_be_visible()
    expect(page.get_by_text("Ingestemd en ingegaan")).to_be_visible()
    page.get_by_role("link", name="1 okt 2026").click()
    expect(page.get_by_text("COR/2026/047")).to_be_visible()
    expect(page.get_by_text("Bert Beheerder")).to_have_count(0)  # roles, not names
    page.context.clear_cookies()

    sign_in(page, base, "hoofdvik")
    page.goto(f"{base}/monitoring/protocol-changes/")
    page.locator("table").first.get_by_role("link").first.click()
    expect(page.get_by_text("Deze wijziging is niet ingegaan")).to_be_visible()
    page.get_by_label("Instemming verleend").check()
    page.get_by_label("Kenmerk van de brief van de ondernemingsraad").fill("COR/2026/061")
    page.get_by_role("button", name="Het besluit vastleggen").click()
    expect(page.get_by_text("De instemming van de ondernemingsraad is vastgelegd")).to_be_visible()
    expect(page.get_by_text("COR/2026/061")).to_be_visible()
    policy = RetentionPolicy.objects.get(category="monitoring.conversation_records")
    assert policy.period_months == 18

"""Transparency in a real browser: the works council's dashboard, and an employee who sees
a closed monitoring signal about them, with its outcome, and who looked at their data.
"""

from __future__ import annotations

import datetime
import random
from io import StringIO

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Journey, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def transparency_demo(demo: None) -> None:
    """The core's demo plus this app's: a year and more of access log, published figures."""
    from vik.transparency import demo as transparency_demo

    _dismissed_signal_of_the_demo_employee()
    transparency_demo.seed(stdout=StringIO(), rng=random.Random("e2e"))


def _dismissed_signal_of_the_demo_employee() -> None:
    """A signal about "medewerker", dismissed forty days ago: what monitoring's own demo
    (too slow here: it generates and detects two weeks of logs) would leave after review."""
    from decimal import Decimal

    from django.utils import timezone

    from monitoring.models import Signal, SignalIndicator
    from vik.models import Employee

    mila = Employee.objects.get(user__username="medewerker")
    decided = timezone.now() - datetime.timedelta(days=40)
    window_start = timezone.localdate(decided) - datetime.timedelta(days=20)
    signal = Signal.objects.create(
        employee=mila,
        pseudonym="PM-E2E0-0001",
        unit=mila.team,
        window_start=window_start,
        window_end=window_start + datetime.timedelta(days=13),
        score=Decimal(12),
        status=Signal.Status.DISMISSED,
        disposition=Signal.Disposition.WORK_REASON,
        disposition_note="Nadienst na een melding; opdracht ontbrak in de levering.",
        decided_at=decided,
        detected_at=decided - datetime.timedelta(days=2),
    )
    SignalIndicator.objects.create(
        signal=signal,
        code="off_duty",
        weight=Decimal(12),
        severity=Decimal(1),
        occurrences=3,
        score=Decimal(12),
        details={"off_duty": 3, "margin_minutes": 90},
    )


def test_a_works_council_member_sees_the_dashboard(
    page: Page, live_server, transparency_demo: None, journey: Journey
) -> None:
    sign_in(page, live_server.url, "cor")
    journey.step("cor home")
    page.get_by_role("button", name="Ondernemingsraad").click()
    page.get_by_role("link", name="Dashboard ondernemingsraad", exact=True).click()
    expect(page.get_by_role("heading", name="Dashboard ondernemingsraad")).to_be_visible()
    expect(page.get_by_role("img", name="Inzage in persoonsgegevens, per rol")).to_be_visible()
    journey.step("dashboard ondernemingsraad")
    page.get_by_role("link", name="Inzage in persoonsgegevens, per rol").first.click()
    expect(page.get_by_role("heading", name="Verloop over de kwartalen")).to_be_visible()
    table = page.locator("#quarter table")
    expect(table).to_contain_text("Eenheid Amsterdam")
    expect(table).to_contain_text("×")  # hidden figures, small or not, print alike
    journey.step("inzage per rol")
    # Another quarter through the form (an htmx fragment swap).
    earlier = page.locator("#quarter-select option").nth(1).inner_text()
    page.locator("#quarter-select").select_option(index=1)
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator("#quarter-heading")).to_have_text(f"Per eenheid: {earlier}")
    journey.step("ander kwartaal")
    # Never a name: the demo employee who was looked at does not appear.
    expect(page.locator("main")).not_to_contain_text("Mila")


def test_an_employee_sees_who_looked_at_their_data(
    page: Page, live_server, transparency_demo: None, journey: Journey
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
    # The dismissed signal, with its outcome; never the analyst's own note.
    held = page.locator("#held")
    expect(
        held.get_by_role("heading", name="Signalen van Protective Monitoring over u")
    ).to_be_visible()
    expect(held).to_contain_text("Geen verwijt: de analist vond een werkreden.")
    expect(held).to_contain_text("Buiten het rooster")
    expect(held).not_to_contain_text("Nadienst na een melding")
    journey.step("mijn gegevens")

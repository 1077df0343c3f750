"""The review journey in headless Chromium, through the real pages, on the demo organisation.

The analyst opens the top signal (about the demo employee "medewerker"), reveals the name
with a kind of reason and a written one, and asks the team chief for a conversation; the
team chief finds it under "Gesprekken" and records the conversation; the employee
reads the outcome — cleared — in their messages. Along the way: the queue shows a
pseudonym, never the name; the reveal is in the access log, with its kind of reason.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Journey, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_to(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base_url, username)


def test_signal_to_conversation_to_outcome(
    page: Page, live_server, demo: None, journey: Journey
) -> None:
    from monitoring.models import FollowUp, Signal
    from tests.monitoring.review_factories import make_signal
    from vik.models import AccessAction, AccessLogEntry, Employee

    base = live_server.url
    mila = Employee.objects.get(user__username="medewerker")
    colleague = Employee.objects.filter(unit__code="AM", user__isnull=True).first()
    assert colleague is not None
    signal = make_signal(mila, score=33, codes=("off_duty", "neighbour"))
    make_signal(colleague, score=12)

    # --- The analyst: the queue, the signal, the reveal, the escalation ---------------------
    sign_in(page, base, "analist")
    journey.step("analist home")
    page.goto(f"{base}/monitoring/signals/")
    expect(page.get_by_role("heading", name="Signalen", level=1)).to_be_visible()
    queue = page.get_by_role("table", name="Signalen")
    expect(queue).not_to_contain_text(mila.last_name)
    journey.step("analist wachtrij")
    queue.get_by_role("row").nth(1).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(signal.pseudonym)
    expect(page.get_by_role("strong").filter(has_text="Buiten het rooster")).to_be_visible()
    expect(page.get_by_test_id("revealed-name")).to_have_count(0)
    journey.step("analist signaal")

    kinds = page.get_by_role("group", name="Soort reden")
    expect(kinds.get_by_role("radio")).to_have_count(5)  # "automatic at escalation" is not chosen
    kinds.get_by_label("Werkreden nagaan bij de lijn (rooster of inzet onduidelijk)").check()
    page.get_by_label("Waarom moet u de naam zien?").fill(
        "Nagaan of de medewerker die nachten ingeroosterd was; navraag bij de teamchef."
    )
    page.get_by_role("button", name="Naam tonen").click()
    expect(page.get_by_test_id("revealed-name")).to_have_text(mila.full_name)
    journey.step("analist naam getoond")
    logged = AccessLogEntry.objects.get(
        action=AccessAction.REVEAL, employee=mila, actor__username="analist"
    )
    assert logged.purpose.startswith(
        "Werkreden nagaan bij de lijn (rooster of inzet onduidelijk): "
    )

    page.get_by_role("link", name="Gesprek door de teamchef aanvragen").click()
    summary = page.get_by_label("Samenvatting voor de teamchef")
    expect(summary).to_have_value(re.compile("Buiten het rooster"))
    summary.fill(
        "Tussen 20 en 21 oktober drie keer 's nachts de systemen geraadpleegd terwijl het "
        "rooster geen dienst aangaf, en een adres in de eigen straat opgezocht."
    )
    page.get_by_role("button", name="Gesprek aanvragen").click()
    expect(page.get_by_text("De teamchef is gevraagd een gesprek te voeren.")).to_be_visible()
    journey.step("analist gesprek aangevraagd")
    signal.refresh_from_db()
    assert signal.status == Signal.Status.ESCALATED

    # --- The team chief: "Mijn gesprekken", the summary, the record -------------------------
    switch_to(page, base, "teamchef")
    page.locator("header nav").get_by_role("button", name="Gesprekken").click()
    page.locator("header nav .dropdown-menu").get_by_role(
        "link", name="Gesprekken", exact=True
    ).click()
    page.get_by_role("link", name=mila.full_name).first.click()
    expect(page.get_by_text("in de eigen straat opgezocht")).to_be_visible()
    expect(page.get_by_text(signal.pseudonym)).to_have_count(0)
    page.get_by_label("Aanwezig").fill("Mila Medewerker, Tobias Teamchef")
    page.get_by_label("Verklaring van de medewerker").fill(
        "Ik had die nachten een dienst geruild; de buurman had aangifte gedaan en ik keek "
        "of de melding was verwerkt."
    )
    page.get_by_label("Verklaard — geen verdere actie").check()
    page.get_by_label("Gemaakte afspraken").fill("Geruilde diensten voortaan in het rooster.")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Het gesprek is vastgelegd.")).to_be_visible()
    assert FollowUp.objects.get(signal=signal).status == FollowUp.Status.RECORDED

    # --- The employee: told that a conversation was requested, then the outcome -------------
    switch_to(page, base, "medewerker")
    page.goto(f"{base}/messages/")
    expect(page.get_by_text("Er is een gesprek aangevraagd")).to_be_visible()
    expect(page.get_by_text("Het gesprek is vastgelegd")).to_be_visible()
    expect(page.get_by_text("U bent vrijgepleit")).to_be_visible()
    journey.step("medewerker uitkomst")
    # Nothing of the evidence reaches the employee's messages.
    expect(page.get_by_text("buurman")).to_have_count(0)
    signal.refresh_from_db()
    assert signal.status == Signal.Status.CLOSED
    assert signal.disposition == Signal.Disposition.EXPLAINED

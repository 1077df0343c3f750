"""The employee's and the privacy officer's journeys, from sign-in to the result, on demo data.

1. The employee (``medewerker``): "Mijn gegevens" (who looked at my data), the monitoring
   protocol confirmed as received, and two changes reported under the duty to report — the
   two open self-reports can be told apart (reference, time submitted, category, first words).
2. The privacy officer (``privacy``): the employee asks for a copy of their data; the
   privacy officer finds the request, produces the export and answers; the employee reads
   that the copy is ready. On the way: the access log, filtered on the employee.

Each step leaves a screenshot (``journey.step``) and is checked at 1280 and 1024 px.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Journey, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_to(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base_url, username)


def menu(page: Page, section: str, entry: str) -> None:
    page.locator(".navbar").get_by_role("button", name=section, exact=True).click()
    page.locator(".dropdown-menu.show").get_by_role("link", name=entry, exact=True).click()


@pytest.fixture
def protocol(demo: None) -> None:
    """Version 1 of the monitoring protocol, published by the administrator (monitoring's demo,
    which would publish it, generates two weeks of logs: too slow here)."""
    from django.contrib.auth import get_user_model

    from monitoring.services.protocol import publish_protocol

    publish_protocol(
        title="Protocol protective monitoring",
        text="Het gebruik van de politiesystemen wordt gecontroleerd op misbruik.",
        acting_user=get_user_model().objects.get(username="beheerder"),
    )


def test_the_employee_sees_their_data_confirms_the_protocol_and_reports_changes(
    page: Page, live_server, protocol: None, journey: Journey
) -> None:
    from screening.models import SelfReport

    base = live_server.url
    sign_in(page, base, "medewerker")
    expect(page.get_by_role("heading", name="Mijn werk")).to_be_visible()
    journey.step("home")

    # --- Mijn gegevens: what VIK holds, and who looked ----------------------------------------
    menu(page, "Mijn gegevens", "Mijn gegevens")
    expect(page.get_by_role("heading", name="Wie uw gegevens inzag")).to_be_visible()
    expect(page.get_by_role("heading", name="Uw personeelsgegevens")).to_be_visible()
    journey.step("mijn gegevens")

    # --- The monitoring protocol, confirmed as received ----------------------------------------
    menu(page, "Mijn gegevens", "Monitoringsprotocol")
    expect(page.get_by_role("heading", name="Protocol protective monitoring")).to_be_visible()
    journey.step("monitoringsprotocol")
    page.get_by_role("button", name="Ik heb dit protocol ontvangen en gelezen").click()
    expect(page.get_by_text("U hebt de ontvangst van deze versie bevestigd op")).to_be_visible()
    journey.step("protocol ontvangen")

    # --- Two changes under the duty to report, in the same category ----------------------------
    today = timezone.localdate()
    for since, text in (
        (today - datetime.timedelta(days=30), "Penningmeester van de voetbalvereniging."),
        (today - datetime.timedelta(days=3), "Bijbaan als beveiliger bij evenementen."),
    ):
        menu(page, "Mijn gegevens", "Een verandering melden (meldplicht)")
        page.get_by_label("Nieuwe betaalde of onbetaalde nevenwerkzaamheden").check()
        page.get_by_label("Sinds wanneer?").fill(since.isoformat())
        page.get_by_label("Beschrijf de verandering").fill(text)
        journey.step("verandering melden")
        page.get_by_role("button", name="Melding versturen").click()
        expect(page.get_by_text("Uw melding is ontvangen")).to_be_visible()
    journey.step("mijn screening met twee meldingen")

    # The two open self-reports do not look alike: each says its reference and when it was
    # submitted, and the table the first words of what was reported.
    reports = list(SelfReport.objects.filter(employee__user__username="medewerker"))
    assert len(reports) == 2
    open_items = page.get_by_test_id("open-dossier").filter(has_text="Melding meldplicht")
    expect(open_items).to_have_count(2)
    texts = open_items.all_inner_texts()
    assert texts[0] != texts[1]
    for report in reports:
        expect(open_items.filter(has_text=report.dossier.reference)).to_have_count(1)
    table = page.get_by_role("table", name="Mijn meldingen (meldplicht)")
    rows = table.locator("tbody tr").all_inner_texts()
    assert len(rows) == 2
    assert rows[0] != rows[1]
    expect(table).to_contain_text("Bijbaan als beveiliger")
    expect(table).to_contain_text("Penningmeester van de voetbalvereniging")


def test_the_privacy_officer_answers_a_request_for_access(
    page: Page, live_server, demo: None, journey: Journey
) -> None:
    from vik.transparency.models import AccessRequest

    base = live_server.url

    # --- The employee asks for a copy of their data --------------------------------------------
    sign_in(page, base, "medewerker")
    menu(page, "Mijn gegevens", "Mijn gegevens")
    page.get_by_role("link", name="Een kopie van mijn gegevens vragen").click()
    page.get_by_label("Uw vraag (niet verplicht)").fill("Wie heeft dit jaar mijn gegevens bekeken?")
    journey.step("inzageverzoek indienen")
    page.get_by_role("button", name="Verzoek versturen").click()
    journey.step("inzageverzoek verstuurd")

    # --- The privacy officer: home, the requests, the answer -----------------------------------
    switch_to(page, base, "privacy")
    journey.step("home privacy")
    page.locator(".tile", has_text="Inzageverzoeken").click()
    expect(page.get_by_role("link", name="Mila Medewerker")).to_be_visible()
    journey.step("inzageverzoeken")
    page.get_by_role("link", name="Mila Medewerker").click()
    expect(page.get_by_text("Wie heeft dit jaar mijn gegevens bekeken?")).to_be_visible()
    journey.step("inzageverzoek")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Export maken en beantwoorden").click()
    expect(page.get_by_text("De kopie staat klaar en de medewerker is ingelicht.")).to_be_visible()
    journey.step("inzageverzoek beantwoord")
    request = AccessRequest.objects.get(employee__user__username="medewerker")
    assert request.completed_at is not None
    export = page.context.request.get(
        f"{base}{page.get_by_role('link', name='Export (PDF)').get_attribute('href')}"
    )
    assert export.body().startswith(b"%PDF")

    # The access log: every look at personal data, here the privacy officer's own.
    menu(page, "Privacy", "Toegangslog")
    expect(page.get_by_role("heading", name="Toegangslog", level=1)).to_be_visible()
    journey.step("toegangslog")

    # --- The employee reads that the copy is ready ---------------------------------------------
    switch_to(page, base, "medewerker")
    page.goto(f"{base}/messages/")
    journey.step("bericht kopie klaar")

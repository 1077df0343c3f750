"""Prevention and advice in headless Chromium, through the real pages, on demo data.

1. From a team's request to the participants' evaluation: the team chief asks for a dilemma
   training, the coordinator accepts, plans and records it, five participants evaluate it
   with their codes, and the team chief reads the totals.
2. From a closed investigation to a lesson in the library: the commissioner asks for the
   after-discussion, the coordinator writes the lesson (and is stopped while it names the
   person concerned), the commissioner approves it, and an employee reads it.
"""

from __future__ import annotations

import datetime
import random
import re

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
def typology(demo: None) -> None:
    """The kinds of violation (a transactional test before may have emptied the table)."""
    from vik.typology.kinds import ensure_violation_kinds

    ensure_violation_kinds()


@pytest.fixture
def presenters(typology: None) -> None:
    from django.contrib.auth import get_user_model

    from prevention import services
    from vik.models import Unit

    services.save_presenter(
        presenter=None,
        name="Vera Vertrouwen",
        organisation="Vertrouwenspersonen",
        email="",
        unit=Unit.objects.get(code="AM"),
        is_active=True,
        acting_user=get_user_model().objects.get(username="preventie"),
    )


def test_from_a_teams_request_to_the_participants_evaluation(
    page: Page, live_server, presenters: None, journey: Journey
) -> None:
    base = live_server.url

    # --- The team chief asks for a dilemma training ---------------------------------------
    sign_in(page, base, "teamchef")
    menu(page, "Mijn gegevens", "Sessie aanvragen")
    page.get_by_label("Dilemmatraining").check()
    page.get_by_label("Leervragen").fill("Hoe gaan we om met informatie in app-groepen?")
    page.get_by_label("Groepsgrootte").fill("12")
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.get_by_text("is verstuurd naar de preventiecoördinatoren")).to_be_visible()
    expect(page.get_by_text("Wacht op antwoord").first).to_be_visible()
    reference = re.search(r"SES-\d{4}-\d{5}", page.title()).group(0)

    # --- The coordinator accepts, plans and records it -------------------------------------
    switch_to(page, base, "preventie")
    journey.step("preventie home")
    page.locator(".tile", has_text="Preventiewerklijst").click()
    journey.step("preventiewerklijst")
    page.get_by_role("link", name=reference).click()
    journey.step("sessieaanvraag")
    page.get_by_role("button", name="Aannemen").click()
    expect(page.get_by_text("De aanvraag is geaccepteerd")).to_be_visible()
    journey.step("aanvraag geaccepteerd")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Datum en tijd").fill(f"{yesterday.isoformat()}T09:30")
    page.get_by_label("Plaats").fill("Bureau, grote vergaderzaal")
    page.get_by_label("Vera Vertrouwen (Vertrouwenspersonen)").check()
    page.get_by_role("button", name="Plannen").click()
    expect(page.get_by_text("De sessie is gepland")).to_be_visible()
    journey.step("sessie gepland")
    page.get_by_label("Gehouden op").fill(yesterday.isoformat())
    page.get_by_label("Wat er is gedaan").fill(
        "Zes dilemma's besproken in groepjes, daarna plenair."
    )
    page.get_by_label("Aantal deelnemers").fill("7")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Deel de evaluatiecodes uit")).to_be_visible()
    journey.step("sessie vastgelegd")
    page.get_by_role("link", name="Evaluatiecodes").click()
    codes = page.locator(".font-monospace").all_inner_texts()
    journey.step("evaluatiecodes")
    assert len(codes) == 7

    # --- Five participants evaluate it with their codes ------------------------------------
    switch_to(page, base, "medewerker")
    for number, code in enumerate(codes[:5]):
        page.goto(f"{base}/prevention/evaluation/")
        page.get_by_label(re.compile(r"^Code\b")).fill(code.lower())
        for question in ("q1_overall", "q2_presenters", "q3_useful"):
            page.locator(f'input[name="{question}"][value="{4 + number % 2}"]').check()
        page.locator('input[name="q4_speak_freely"][value="yes"]').check()
        page.locator('input[name="q5_length"][value="right"]').check()
        page.get_by_label("Wat neemt u mee uit de sessie?").fill(
            "Dat ik een collega mag aanspreken."
        )
        page.get_by_role("button", name="Mijn evaluatie versturen").click()
        expect(page.get_by_text("Dank u wel voor uw evaluatie.")).to_be_visible()
    # A used code is refused.
    page.get_by_label(re.compile(r"^Code\b")).fill(codes[0])
    for question in ("q1_overall", "q2_presenters", "q3_useful"):
        page.locator(f'input[name="{question}"][value="3"]').check()
    page.locator('input[name="q4_speak_freely"][value="no"]').check()
    page.locator('input[name="q5_length"][value="too_long"]').check()
    page.get_by_role("button", name="Mijn evaluatie versturen").click()
    expect(
        page.get_by_text("Deze code is onbekend, al gebruikt of niet meer geldig.")
    ).to_be_visible()

    # --- The team chief reads the record and the totals ------------------------------------
    switch_to(page, base, "teamchef")
    menu(page, "Preventie", "Sessies van ons team")
    page.locator("table").nth(1).get_by_role("link").first.click()  # the sessions given
    expect(page.get_by_text("5 deelnemers hebben geantwoord.")).to_be_visible()
    expect(page.get_by_text("Zes dilemma's besproken")).to_be_visible()
    expect(page.get_by_text("Dat ik een collega mag aanspreken.")).to_have_count(0)


@pytest.fixture
def closed_investigation(typology: None):
    from cases.punishments import ensure_punishments
    from prevention.demo import closed_investigations

    ensure_punishments()
    return closed_investigations(random.Random("e2e"), 1)[0]


def test_from_a_closed_investigation_to_a_lesson_in_the_library(
    page: Page, live_server, closed_investigation, journey: Journey
) -> None:
    from cases.selectors import concerned_employees

    base = live_server.url
    case = closed_investigation
    concerned = concerned_employees(case)[0]

    # --- The commissioner asks for the after-discussion -----------------------------------
    sign_in(page, base, "hoofdvik")
    menu(page, "Onderzoeken", "Nabesprekingen van onderzoeken")
    page.get_by_role("row", name=case.reference).get_by_role(
        "link", name="Om een nabespreking vragen"
    ).click()
    page.get_by_label("Toelichting voor de coördinator").fill(
        "Het onderzoek is afgerond; graag een nabespreking over raadplegen en aanspreken."
    )
    page.get_by_role("button", name="Vraag het de coördinatoren").click()
    expect(page.get_by_text("om de nabespreking gevraagd")).to_be_visible()

    # --- The coordinator accepts and writes the lesson -------------------------------------
    switch_to(page, base, "preventie")
    page.locator(".tile", has_text="Preventiewerklijst").click()
    page.get_by_role("link", name=re.compile(r"NAB-\d{4}-\d{5}")).first.click()
    expect(page.get_by_text(case.reference)).to_have_count(0)  # the coordinator never sees it
    page.get_by_role("button", name="Aannemen").click()
    page.get_by_label("Titel").fill("Nieuwsgierig naar de buurt")
    page.get_by_label("Wat is er gebeurd").fill(
        f"{concerned.full_name} keek zonder dienstelijke reden in de systemen waarom er politie "
        "bij de buren was geweest."
    )
    page.get_by_label("Het dilemma: vragen om uzelf te stellen").fill(
        "Wilde ik het weten voor mijn werk?\nZou ik het mijn teamchef vertellen?"
    )
    page.get_by_label("Wat er is besloten").fill("Plichtsverzuim; een gesprek over de regels.")
    page.get_by_label("Misbruik van informatie (raadplegen, lekken)").check()
    page.get_by_role("button", name="Concept opslaan").click()
    page.get_by_role("button", name="Ter goedkeuring aanbieden").click()
    expect(page.get_by_text(f"De les bevat „{concerned.full_name}”")).to_be_visible()
    page.get_by_label("Wat is er gebeurd").fill(
        "Een medewerker keek zonder dienstelijke reden in de systemen waarom er politie bij de "
        "buren was geweest."
    )
    page.get_by_role("button", name="Concept opslaan").click()
    expect(page.get_by_text("Controle geslaagd")).to_be_visible()
    journey.step("les gecontroleerd")
    page.get_by_role("button", name="Ter goedkeuring aanbieden").click()
    expect(page.get_by_text("De les ligt ter goedkeuring bij de opdrachtgever.")).to_be_visible()
    journey.step("les ter goedkeuring")

    # --- Nobody else sees it yet ------------------------------------------------------------
    switch_to(page, base, "medewerker")
    page.goto(f"{base}/prevention/dilemmas/?q=buurt")
    expect(page.get_by_text("Nieuwsgierig naar de buurt")).to_have_count(0)

    # --- The commissioner approves it -------------------------------------------------------
    switch_to(page, base, "hoofdvik")
    page.locator(".tile", has_text="Nabesprekingen van onderzoeken").click()
    page.get_by_role("link", name=re.compile(r"NAB-\d{4}-\d{5}")).first.click()
    expect(page.get_by_text(case.reference)).to_be_visible()  # the commissioner does see it
    page.get_by_role("button", name="Goedkeuren en publiceren").click()
    expect(page.get_by_text("De les is goedgekeurd en gepubliceerd")).to_be_visible()
    journey.step("hoofdvik les gepubliceerd")

    # --- Every employee reads it in the library ---------------------------------------------
    switch_to(page, base, "medewerker")
    menu(page, "Mijn gegevens", "Dilemmabibliotheek")
    page.get_by_label("Zoeken").fill("buurt")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Nieuwsgierig naar de buurt").click()
    expect(page.get_by_role("heading", name="Nieuwsgierig naar de buurt")).to_be_visible()
    journey.step("medewerker leest de les")
    body = page.locator("main").inner_text()
    assert case.reference not in body
    assert concerned.last_name not in body
    assert concerned.personnel_number not in body

"""A complete investigation in headless Chromium, through the real pages, on demo data.

intake → triage → assignment → notification → interview → report signed → hearing →
outcome → closing → investigation report PDF downloaded. Along the way the protocol refuses
an interview before the person concerned was informed in writing, on the page, in Dutch.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PASSWORD, Journey, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Run the report rendering in the live server's thread: no worker in a test."""
    from vik.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def investigators(demo: None) -> None:
    """The demo's second investigator (an interview needs two), with the e2e password."""
    from cases.demo import ensure_second_investigator

    user = ensure_second_investigator()
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])


def switch_to(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base_url, username)


def tab(page: Page, name: str) -> None:
    """Open one of the case's tabs."""
    page.get_by_role("navigation", name="Onderdelen van de zaak").get_by_role(
        "link", name=name, exact=True
    ).click()


def submit(page: Page, label: str = "Opslaan") -> None:
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()


def confirm(page: Page, what: str = "cannot") -> None:
    """A step that cannot be undone: the page says so, the person confirms."""
    expect(page.get_by_role("note")).to_contain_text("Dit kan niet ongedaan worden gemaakt.")
    page.get_by_role("button", name=re.compile(r"^Ja: ")).click()
    page.wait_for_load_state()


def answer_criteria(page: Page, *, yes: tuple[str, ...] = ()) -> None:
    """Triage answers every Rijksrecherche criterion (fieldsets named by the criterion)."""
    for group in page.locator("fieldset fieldset").all():
        legend = group.locator("legend").inner_text()
        answer = "Ja" if any(word in legend for word in yes) else "Nee"
        group.get_by_label(answer, exact=True).check()


def test_an_investigation_from_intake_to_the_report_pdf(
    page: Page, live_server, investigators: None, eager_celery: None, journey: Journey
) -> None:
    from vik.models import Employee

    base = live_server.url
    subject = Employee.objects.filter(
        unit__code="AM", team__code="AM-D1-T2", user__isnull=True
    ).first()
    witness = Employee.objects.filter(
        unit__code="AM", team__code="AM-D2-T1", user__isnull=True
    ).first()
    assert subject is not None
    assert witness is not None

    # --- Intake by the investigator --------------------------------------------------------
    sign_in(page, base, "onderzoeker")
    journey.step("onderzoeker home")
    page.goto(f"{base}/cases/")
    journey.step("onderzoeker zaken")
    page.get_by_role("link", name="Melding registreren").first.click()
    page.get_by_label("Kanaal").select_option("internal")
    page.get_by_label("Wat is er gemeld").fill(
        "Collega meldt dat een medewerker de registratie van een bekende Nederlander raadpleegde."
    )
    page.get_by_label("Betrokkene(n) (personeelsnummers)").fill(subject.personnel_number)
    page.get_by_label("Andere in de melding genoemde medewerkers (personeelsnummers)").fill(
        witness.personnel_number
    )
    submit(page, "Registreren")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"AM-\d{4}-\d{4}"))
    case_url = page.url
    expect(page.get_by_text("Wacht op triage").first).to_be_visible()
    journey.step("melding geregistreerd")

    # --- Triage, investigators and the written assignment by the head of VIK -----------------
    switch_to(page, base, "hoofdvik")
    page.goto(case_url)
    page.get_by_role("link", name="Triage", exact=True).click()
    answer_criteria(page)
    journey.step("hoofdvik triage")
    page.get_by_label("Disciplinair onderzoek").check()
    page.get_by_label("Motivering").fill("Concrete aanwijzingen van misbruik van politiesystemen.")
    submit(page, "Het besluit vastleggen")
    confirm(page)
    expect(page.get_by_text("Wacht op de schriftelijke opdracht").first).to_be_visible()
    journey.step("hoofdvik triagebesluit")

    for name in ("Olga Onderzoeker", "Otto Onderzoeker"):
        page.get_by_role("link", name="Onderzoeker toewijzen").click()
        page.get_by_label("Onderzoeker").select_option(label=name)
        submit(page, "Toewijzen")

    page.get_by_role("link", name="De opdracht schrijven").click()
    page.get_by_label("Reden", exact=True).fill("Melding van een collega over raadplegingen.")
    page.get_by_label("Doelstelling").fill("Vaststellen of sprake is van plichtsverzuim.")
    page.get_by_label("Onderzoeksvragen").fill(
        "Welke raadplegingen?\nWas er een dienstelijke reden?"
    )
    page.get_by_label(re.compile("stemt in met het gebruik")).check()
    page.get_by_label("Methoden").fill("Verhoren en loggegevens.")
    page.get_by_label("Verantwoording (tussenrapportages)").fill("Tussenrapportage na drie weken.")
    page.get_by_label("Verwachte duur (werkdagen)").fill("30")
    journey.step("hoofdvik opdracht")
    submit(page, "Opslaan en de opdracht verstrekken")
    confirm(page)
    expect(page.get_by_text("In onderzoek").first).to_be_visible()
    journey.step("hoofdvik opdracht verstrekt")
    # The written assignment, to print and sign.
    assignment = page.get_by_role(
        "link", name="De schriftelijke opdracht (PDF, om te ondertekenen)"
    )
    pdf = page.context.request.get(f"{base}{assignment.get_attribute('href')}")
    assert pdf.status == 200
    assert pdf.body().startswith(b"%PDF")
    page.get_by_role("link", name="Vastleggen: vertrouwenspersoon geïnformeerd").click()
    submit(page)

    # --- The investigator: first the written notification, then the interview -----------------
    switch_to(page, base, "onderzoeker")
    page.goto(case_url)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    def schedule_interview() -> None:
        tab(page, "Verhoren")
        page.get_by_role("link", name="Verhoor plannen").click()
        page.get_by_label("De geïnterviewde is").select_option("concerned")
        page.get_by_label("Personeelsnummer (medewerkers)").fill(subject.personnel_number)
        page.get_by_label("Datum en tijd").fill(f"{tomorrow.isoformat()}T10:00")
        page.get_by_label("Locatie").fill("Bureau VIK Amsterdam, kamer 2")
        page.get_by_label("Aard en doel van het verhoor").fill("Verhoor van de betrokkene.")
        page.get_by_label("Eerste onderzoeker").select_option(label="Olga Onderzoeker")
        page.get_by_label("Tweede onderzoeker").select_option(label="Otto Onderzoeker")
        submit(page, "Plannen")

    schedule_interview()
    # The protocol refuses: the person concerned has not been informed in writing yet.
    expect(page.get_by_role("alert")).to_contain_text("nog niet schriftelijk geïnformeerd")
    journey.step("verhoor geweigerd zonder kennisgeving")

    tab(page, "Brieven")
    page.get_by_role("link", name=f"Kennisgeving voor {subject.full_name}").click()
    submit(page, "De brief opstellen")
    expect(page.get_by_label("Tekst")).to_contain_text("protocol integriteitsonderzoeken")
    page.get_by_role("button", name="Als verzonden vastleggen").click()
    page.get_by_label("Verzending").select_option("by_hand")
    submit(page, "Als verzonden vastleggen")
    confirm(page)

    schedule_interview()
    page.get_by_role("link", name="De uitnodiging opstellen").click()
    submit(page, "De brief opstellen")
    page.get_by_role("button", name="Als verzonden vastleggen").click()
    page.get_by_label("Verzending").select_option("internal_mail")
    submit(page, "Als verzonden vastleggen")
    confirm(page)
    tab(page, "Verhoren")
    page.get_by_role("link", name=subject.full_name).click()
    journey.step("verhoor")
    page.get_by_role("link", name="Het verhoor vastleggen").click()
    page.get_by_label("Het verhoor heeft plaatsgevonden").check()
    page.get_by_label("Opname bewaren tot").fill(
        (tomorrow + datetime.timedelta(days=365)).isoformat()
    )
    submit(page)
    confirm(page)

    # --- The report: written, sent, signed with every page initialled ------------------------------
    page.get_by_role("link", name="Het verslag schrijven").click()
    page.get_by_label("Verslag").fill(
        "De betrokkene verklaart de registratie uit nieuwsgierigheid te hebben geraadpleegd."
    )
    submit(page, "Concept opslaan")
    page.get_by_role("link", name="Ter ondertekening verzenden").click()
    submit(page, "Als verzonden vastleggen")
    confirm(page)
    page.get_by_role("link", name="De reactie vastleggen").click()
    page.get_by_label(re.compile("is akkoord en heeft getekend")).check()
    page.get_by_label(re.compile("Iedere pagina is geparafeerd")).check()
    submit(page)
    confirm(page)
    expect(page.get_by_text("Door beiden ondertekend, iedere pagina geparafeerd")).to_be_visible()
    journey.step("verslag ondertekend")

    # --- Findings, hearing, the report to the commissioner ----------------------------------------------
    tab(page, "Wederhoor en uitkomst")
    page.get_by_role("link", name="Veranderen").click()
    page.get_by_label("Bevindingen").fill("De betrokkene raadpleegde zonder dienstelijke reden.")
    page.get_by_label("Conclusie").fill("Een eenmalige misstap, erkend en betreurd.")
    submit(page)
    page.get_by_role("link", name="Het wederhoor aanbieden").click()
    page.get_by_label("Datum en tijd van het wederhoor").fill(f"{tomorrow.isoformat()}T14:00")
    page.get_by_label("Locatie").fill("Bureau VIK Amsterdam, kamer 5")
    submit(page)
    confirm(page)
    # The hearing: in the calendar (the reference and the place only) and an invitation.
    ics = page.context.request.get(
        f"{base}{page.get_by_role('link', name='In de agenda zetten (.ics)').get_attribute('href')}"
    )
    assert "kamer 5" in ics.text()
    assert subject.last_name not in ics.text()
    page.get_by_role("link", name=f"De uitnodiging opstellen voor {subject.full_name}").click()
    submit(page, "De brief opstellen")
    expect(page.get_by_label("Tekst")).to_contain_text("Bureau VIK Amsterdam, kamer 5")
    tab(page, "Wederhoor en uitkomst")
    page.get_by_role("link", name="Het wederhoor vastleggen").click()
    page.get_by_label("Mondeling").check()
    page.get_by_label(re.compile("Alle bevindingen zijn ter inzage gegeven")).check()
    page.get_by_label("De reactie van de betrokkene").fill("Ik erken het en het spijt me.")
    submit(page)
    confirm(page)
    page.get_by_role("link", name="Het rapport aan de opdrachtgever overhandigen").click()
    submit(page, "Overhandigen")
    expect(page.get_by_text("Wacht op de uitkomst").first).to_be_visible()
    journey.step("rapport overhandigd")

    # --- The commissioner decides; the outcome reaches the person concerned; closing ------------------------
    switch_to(page, base, "hoofdvik")
    page.goto(case_url)
    tab(page, "Wederhoor en uitkomst")
    # The report as handed over is the commissioner's to read and download.
    handed_over = page.get_by_role("link", name="Het overhandigde rapport downloaden")
    expect(handed_over).to_be_visible()
    report = page.context.request.get(f"{base}{handed_over.get_attribute('href')}")
    assert report.body().startswith(b"%PDF")
    journey.step("hoofdvik wederhoor en uitkomst")
    page.get_by_role("link", name="Over de uitkomst besluiten").click()
    page.get_by_label("Nee", exact=True).check()
    page.get_by_label("Geen verdere maatregel").check()
    page.get_by_label("Motivering").fill("Eenmalig, erkend; geen verdere maatregel nodig.")
    submit(page, "Besluiten")
    confirm(page)
    tab(page, "Brieven")
    page.get_by_role("link", name=f"Uitkomst voor {subject.full_name}").click()
    submit(page, "De brief opstellen")
    page.get_by_role("button", name="Als verzonden vastleggen").click()
    page.get_by_label("Verzending").select_option("by_hand")
    submit(page, "Als verzonden vastleggen")
    confirm(page)
    tab(page, "Wederhoor en uitkomst")
    page.get_by_role("link", name="Vastleggen", exact=True).click()
    submit(page)
    confirm(page)
    page.get_by_role("link", name="De zaak afsluiten").click()
    expect(page.get_by_role("note")).to_contain_text("kan niet worden heropend")
    submit(page, "De zaak afsluiten")
    expect(page.get_by_text("Afgesloten").first).to_be_visible()
    journey.step("zaak afgesloten")

    # --- The investigation report, rendered in the background, downloaded ------------------------------------
    tab(page, "Wederhoor en uitkomst")
    submit(page, "Het rapport opmaken")
    download = page.get_by_role("link", name="De PDF downloaden")
    expect(download).to_be_visible()
    journey.step("onderzoeksrapport")
    response = page.context.request.get(f"{base}{download.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

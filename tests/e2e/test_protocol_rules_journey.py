"""Issue 12 in headless Chromium, as the people who work with it see it.

A screening officer refers a dossier to VIK's intake; the head of VIK answers the
Rijksrecherche criteria and records a reasoned exception, confirming an irreversible step;
the officer then sees the case reference. A deputy commissioner sees the report naming the
head. An investigator's letter edits survive "record as sent"; a logging extract in CSV is
accepted and a refused file is named; an interview goes into a calendar without a name. A
whistleblower's acknowledgement names the LMM. A complaint handler confirms a decision and
records the letter to the complainant, and prints a hearing invitation.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PASSWORD, Journey, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world12(demo: None) -> dict[str, Any]:
    """The demo logins plus the few objects this journey starts from, made by the services."""
    from django.contrib.auth import get_user_model

    from cases import services as cases
    from cases.criteria import ensure_criteria
    from cases.demo import ensure_deputy, ensure_second_investigator
    from cases.models import Channel, DeliveryMethod, IntervieweeRole, LetterKind
    from cases.punishments import ensure_punishments
    from complaints import services as complaints
    from complaints.models import Complaint, ComplaintTheme, Hearing
    from screening import services as screening
    from screening.models import ScreeningDossier
    from vik.models import Employee

    ensure_criteria()
    ensure_punishments()
    # The uniform classification comes from a data migration, emptied by the flush.
    ComplaintTheme.objects.get_or_create(code="bejegening", defaults={"name": "Bejegening"})
    users = {u.username: u for u in get_user_model().objects.all()}
    second = ensure_second_investigator()
    deputy = ensure_deputy()
    for user in (second, deputy):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    head, investigator = users["hoofdvik"], users["onderzoeker"]
    teamchef_team = Employee.objects.get(user__username="teamchef").team
    people = list(
        Employee.objects.filter(unit__code="AM", user__isnull=True)
        .exclude(team__code="AM-VIK")
        .exclude(team=teamchef_team)
        .order_by("personnel_number")[:6]
    )
    today = timezone.localdate()

    # A screening dossier, taken on by the screener, waiting for its interview.
    dossier = screening.open_dossier(
        employee=people[0],
        kind=ScreeningDossier.Kind.INITIAL,
        opened_on=today - datetime.timedelta(days=20),
        reason="Benoeming",
        acting_user=users["screener"],
    )
    screening.take_dossier(dossier=dossier, acting_user=users["screener"])

    # A report naming the head of VIK: only the deputy can act on it.
    named_head = cases.register_report(
        channel=Channel.INTERNAL,
        summary="Melding over een gift aan het hoofd VIK.",
        concerned_employees=[people[1]],
        named_employees=[Employee.objects.get(user=head)],
        acting_user=investigator,
    )
    # A whistleblower's report awaiting its acknowledgement.
    whistleblower = cases.register_report(
        channel=Channel.WHISTLEBLOWER,
        summary="Vermoeden van een misstand bij aanbestedingen.",
        concerned_employees=[people[2]],
        reporter_identity=cases.ReporterDetails(name="K. Klokkenluider"),
        acting_user=investigator,
    )
    # An investigation under way: the person notified, an interview scheduled, its
    # invitation drafted but not yet sent.
    case = cases.register_report(
        channel=Channel.INTERNAL,
        summary="Raadplegingen zonder dienstelijke reden.",
        concerned_employees=[people[3]],
        acting_user=investigator,
    )
    cases.triage_report(
        case=case,
        decision="disciplinary",
        reasons="Concrete aanwijzingen.",
        criteria={c.code: False for c in cases.active_criteria()},
        acting_user=head,
    )
    for user in (investigator, second):
        cases.assign_investigator(case=case, user=user, acting_user=head)
    cases.save_assignment(
        case=case,
        reason="Melding.",
        objective="Vaststellen of sprake is van plichtsverzuim.",
        research_questions="Welke raadplegingen?",
        employer_powers_consent=True,
        planned_methods="Verhoren.",
        reporting_arrangements="Mondeling.",
        expected_duration_days=20,
        acting_user=head,
    )
    cases.issue_assignment(case=case, acting_user=head)
    cases.record_counsellor_informed(case=case, on=today, acting_user=head)
    notification = cases.draft_letter(
        case=case, kind=LetterKind.NOTIFICATION, recipient=people[3], acting_user=head
    )
    cases.mark_letter_sent(
        letter=notification, sent_on=today, delivery=DeliveryMethod.BY_HAND, acting_user=head
    )
    interview = cases.schedule_interview(
        case=case,
        role=IntervieweeRole.INTERNAL_WITNESS,
        interviewee=people[4],
        scheduled_at=timezone.now() + datetime.timedelta(days=2),
        location="Bureau VIK Amsterdam, spreekkamer 2",
        expected_duration_minutes=60,
        nature_and_purpose="Getuigenverhoor over de raadplegingen.",
        lead_investigator=investigator,
        second_investigator=second,
        acting_user=investigator,
    )
    invitation = cases.draft_letter(
        case=case, kind=LetterKind.INVITATION, interview=interview, acting_user=investigator
    )
    colleague_of_chief = Employee.objects.filter(team=teamchef_team, user__isnull=True).first()
    refusing = cases.schedule_interview(
        case=case,
        role=IntervieweeRole.INTERNAL_WITNESS,
        interviewee=colleague_of_chief,
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
        location="Bureau VIK Amsterdam, spreekkamer 3",
        expected_duration_minutes=45,
        nature_and_purpose="Getuigenverhoor.",
        lead_investigator=investigator,
        second_investigator=second,
        acting_user=investigator,
    )
    # A colleague's report, investigated; the person concerned was informed in writing.
    reported = cases.register_report(
        channel=Channel.INTERNAL,
        summary="Een collega meldt privégebruik van een dienstauto.",
        concerned_employees=[people[5]],
        reporter_identity=cases.ReporterDetails(name="A. Collega"),
        acting_user=investigator,
    )
    cases.triage_report(
        case=reported,
        decision="exploratory",
        reasons="Nagaan.",
        criteria={c.code: False for c in cases.active_criteria()},
        acting_user=head,
    )

    # A complaint heard on both sides, ready for the handler's decision, and one with a
    # hearing planned.
    handler = users["klachten"]
    contact = complaints.ContactDetails(name="Jan Klager", email="jan@voorbeeld.nl")

    def complaint(days: int) -> Complaint:
        received = today - datetime.timedelta(days=days)
        item = complaints.register_complaint(
            unit=people[5].team or people[5].unit,
            received_on=received,
            conduct_on=received - datetime.timedelta(days=2),
            channel=Complaint.Channel.EMAIL,
            summary="Interne samenvatting: agent onbeschoft tijdens verkeerscontrole.",
            themes=[ComplaintTheme.objects.get(code="bejegening")],
            contact=contact,
            acting_user=handler,
        )
        complaints.assign_handler(
            complaint=item, handler=handler, not_involved_confirmed=True, acting_user=handler
        )
        complaints.start_formal(complaint=item, acting_user=handler)
        return item

    to_decide = complaint(20)
    complaints.offer_hearing(
        complaint=to_decide, party=Hearing.Party.COMPLAINANT, acting_user=handler
    )
    complaints.record_hearing(
        hearing=to_decide.hearings.get(),
        status=Hearing.Status.HELD,
        held_on=today,
        report="De klager lichtte de klacht toe.",
        acting_user=handler,
    )
    planned = complaint(10)
    complaints.offer_hearing(
        complaint=planned,
        party=Hearing.Party.COMPLAINANT,
        scheduled_at=timezone.now() + datetime.timedelta(days=5),
        location="Politiebureau Amsterdam, spreekkamer 2",
        acting_user=handler,
    )
    return {
        "dossier": dossier,
        "named_head": named_head,
        "whistleblower": whistleblower,
        "case": case,
        "interview": interview,
        "invitation": invitation,
        "witness": people[4],
        "refusing": refusing,
        "reported": reported,
        "to_decide": to_decide,
        "planned": planned,
    }


def _inform_in_writing(case: Any) -> None:
    """Start the investigation and send the person concerned the notification letter."""
    from django.contrib.auth import get_user_model

    from cases import services
    from cases.models import CaseParty, DeliveryMethod, LetterKind

    users = get_user_model().objects
    head, investigator = users.get(username="hoofdvik"), users.get(username="onderzoeker")
    services.assign_investigator(case=case, user=investigator, acting_user=head)
    services.save_assignment(
        case=case,
        reason="Melding.",
        objective="Nagaan wat er is gebeurd.",
        research_questions="Wat is er gebeurd?",
        employer_powers_consent=True,
        planned_methods="Verhoren.",
        reporting_arrangements="Mondeling.",
        expected_duration_days=10,
        acting_user=head,
    )
    services.issue_assignment(case=case, acting_user=head)
    today = timezone.localdate()
    services.record_counsellor_informed(case=case, on=today, acting_user=head)
    letter = services.draft_letter(
        case=case,
        kind=LetterKind.NOTIFICATION,
        recipient=case.parties.get(role=CaseParty.Role.CONCERNED).employee,
        acting_user=head,
    )
    services.mark_letter_sent(
        letter=letter, sent_on=today, delivery=DeliveryMethod.BY_HAND, acting_user=head
    )


def switch_to(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base_url, username)


def confirm(page: Page) -> None:
    """A step that cannot be undone: the page says so, the person confirms."""
    expect(page.get_by_role("note")).to_contain_text("Dit kan niet ongedaan worden gemaakt.")
    page.get_by_role("button", name=re.compile(r"^Ja: ")).click()
    page.wait_for_load_state()


def test_the_protocol_rules_of_issue_12_in_the_browser(
    page: Page, live_server: Any, world12: dict[str, Any], tmp_path: Path, journey: Journey
) -> None:
    from cases.models import Case

    base = live_server.url
    dossier = world12["dossier"]

    # --- Screening: the interview with notes, then a referral to VIK's intake -------------------
    switch_to(page, base, "screener")
    journey.step("screener home")
    page.goto(f"{base}/screening/")
    journey.step("screener werkvoorraad")
    page.goto(f"{base}/screening/dossiers/{dossier.pk}/")
    journey.step("screener dossier")
    page.get_by_label("Gesprek gehouden op").fill(timezone.localdate().isoformat())
    page.get_by_label("Aantekeningen van het screeningsgesprek").fill("Financiën besproken.")
    page.get_by_role("button", name="Het screeningsgesprek vastleggen").click()
    expect(page.get_by_text("Financiën besproken.")).to_be_visible()
    page.get_by_label(re.compile(r"^Uitkomst\b")).select_option("referred")
    page.get_by_label("Motivering van de uitkomst").fill("Schulden en contacten: vertrouwelijk.")
    page.get_by_role("button", name="Dossier afronden").click()
    # Without the text for intake the referral is refused, at the field.
    expect(
        page.get_by_text("Schrijf op wat de intake van VIK over de doorverwijzing")
    ).to_be_visible()
    page.get_by_label(re.compile("Voor de intake van VIK")).fill(
        "Mogelijk ongewenst contact met een verdachte. Verzoek om beoordeling."
    )
    page.get_by_role("button", name="Dossier afronden").click()
    expect(page.get_by_role("note")).to_contain_text("intake van VIK")
    journey.step("screener bevestigen")
    confirm(page)
    expect(page.get_by_text("wacht op triage door het hoofd VIK")).to_be_visible()
    journey.step("screener dossier afgerond")
    referral = Case.objects.get(channel="screening_hit")
    assert referral.summary.startswith("Mogelijk ongewenst contact")
    assert "Schulden" not in referral.summary

    # --- The head of VIK: every criterion answered; a yes needs a referral or an exception -----
    switch_to(page, base, "hoofdvik")
    page.goto(f"{base}/cases/{referral.pk}/triage/")
    for group in page.locator("fieldset fieldset").all():
        answer = "Ja" if "vuurwapen" in group.locator("legend").inner_text() else "Nee"
        group.get_by_label(answer, exact=True).check()
    page.get_by_label("Disciplinair onderzoek").check()
    page.get_by_label(re.compile(r"^Motivering\b")).fill("Nader onderzoek nodig.")
    page.get_by_role("button", name="Het besluit vastleggen").click()
    expect(page.get_by_role("alert")).to_contain_text("voldoet aan een criterium")
    page.get_by_label(re.compile("Gemotiveerde uitzondering")).fill(
        "Geen letsel door het politieoptreden; de officier van justitie ziet af van de "
        "Rijksrecherche."
    )
    page.get_by_role("button", name="Het besluit vastleggen").click()
    expect(page.get_by_role("note")).to_contain_text("definitief")
    confirm(page)
    expect(
        page.get_by_text("Gemotiveerde uitzondering op de Rijksrecherchecriteria")
    ).to_be_visible()
    journey.step("hoofdvik uitzondering vastgelegd")

    # The screening officer now sees the case reference (not the decision).
    switch_to(page, base, "screener")
    page.goto(f"{base}/screening/dossiers/{dossier.pk}/")
    expect(page.get_by_text(f"Zaak {referral.reference}")).to_be_visible()
    journey.step("screener ziet zaaknummer")

    # --- The deputy commissioner takes the report that names the head ----------------------------
    switch_to(page, base, "hoofdvik2")
    page.goto(f"{base}/cases/{world12['named_head'].pk}/")
    expect(page.get_by_text("U bent plaatsvervangend opdrachtgever")).to_be_visible()
    switch_to(page, base, "hoofdvik")
    response = page.goto(f"{base}/cases/{world12['named_head'].pk}/")
    assert response is not None
    assert response.status == 404

    # --- The whistleblower's acknowledgement names the LMM and the options ------------------
    page.goto(f"{base}/cases/{world12['whistleblower'].pk}/")
    page.get_by_role("link", name="Vastleggen", exact=True).first.click()
    expect(page.get_by_label("Tekst")).to_contain_text("Landelijk Meldpunt Misstanden (LMM)")
    expect(page.get_by_label("Tekst")).to_contain_text("Huis voor Klokkenluiders")
    page.get_by_role("button", name="Vastleggen wat de melder is meegedeeld").click()
    confirm(page)
    expect(page.get_by_text("Ontvangstbevestiging aan de klokkenluider (7 dagen)")).to_be_visible()

    # --- Another reporter hears the report was taken up: never whom it concerns -----------------
    page.goto(f"{base}/cases/{world12['reported'].pk}/")
    taken_up = page.get_by_role("link", name="Vastleggen: De melding is in behandeling genomen")
    expect(taken_up).to_have_count(0)  # not before the person concerned is informed in writing
    _inform_in_writing(world12["reported"])
    page.reload()
    taken_up.click()
    expect(page.get_by_label("Tekst")).to_contain_text("in behandeling")
    expect(page.get_by_label("Tekst")).not_to_contain_text(world12["reported"].summary)
    page.get_by_role("button", name="Vastleggen wat de melder is meegedeeld").click()
    confirm(page)
    expect(
        page.get_by_text(re.compile("De melding is in behandeling genomen · PDF"))
    ).to_be_visible()

    # --- The investigator: an edited letter keeps its text when recorded as sent --------------
    case, invitation = world12["case"], world12["invitation"]
    switch_to(page, base, "onderzoeker")
    page.goto(f"{base}/cases/{case.pk}/letters/{invitation.pk}/")
    text = page.get_by_label("Tekst")
    text.fill(text.input_value() + "\n\nParkeren kan achter het bureau.")
    page.get_by_role("button", name="Als verzonden vastleggen").click()
    expect(page.get_by_text("Parkeren kan achter het bureau.")).to_be_visible()
    page.get_by_label("Verzending").select_option("internal_mail")
    page.get_by_role("button", name="Als verzonden vastleggen").click()
    confirm(page)
    invitation.refresh_from_db()
    assert invitation.sent_on is not None
    assert invitation.body.endswith("Parkeren kan achter het bureau.")

    # --- Evidence: the allowed types before the upload; a CSV extract; a refused file -----------
    page.goto(f"{base}/cases/{case.pk}/evidence/new/")
    expect(page.get_by_text(re.compile(r"Toegestaan: \.csv"))).to_be_visible()
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ\x90\x00binary")
    page.get_by_label("Bestand").set_input_files(str(exe))
    page.get_by_label("Omschrijving").fill("Loggegevens BVH, januari")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text(re.compile(r"tool\.exe is niet opgeslagen"))).to_be_visible()
    expect(page.get_by_label("Omschrijving")).to_have_value("Loggegevens BVH, januari")
    extract = tmp_path / "logging.csv"
    extract.write_text("tijdstip;gebruiker\n2026-03-01 22:14;AB1234\n", encoding="utf-8")
    page.get_by_label("Bestand").set_input_files(str(extract))
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("link", name="logging.csv")).to_be_visible()

    # --- The interview in the calendar: the reference and the place, never the name ------------
    page.goto(f"{base}/cases/{case.pk}/interviews/{world12['interview'].pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="In de agenda zetten (.ics)").click()
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    assert f"SUMMARY:{case.reference}" in ics
    assert "spreekkamer 2" in ics
    assert world12["witness"].last_name not in ics

    # --- A witness from the team chief's team refuses: the team chief is told --------------------
    page.goto(f"{base}/cases/{case.pk}/interviews/{world12['refusing'].pk}/outcome/")
    page.get_by_label("De geïnterviewde weigerde mee te werken").check()
    page.get_by_label("Reden (weigering of afzegging)").fill("Wil niet over een collega verklaren.")
    page.get_by_role("button", name="Opslaan").click()
    confirm(page)
    expect(page.get_by_text("Gemeld aan de leidinggevende")).to_be_visible()

    # --- Observation outside working time needs its reason -----------------------------------
    page.goto(f"{base}/cases/{case.pk}/methods/new/")
    page.get_by_label(re.compile(r"^Methode\b")).select_option("observation")
    page.get_by_label("Wat precies, en waarom").fill("Observatie van de werkplek.")
    page.get_by_label("Proportionaliteit").fill("p")
    page.get_by_label("Subsidiariteit").fill("s")
    page.get_by_label("Observatie ook buiten werktijd").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Observeren daarbuiten vraagt een reden")

    # --- A telecom examination needs a suspicion of misuse --------------------------------------
    page.goto(f"{base}/cases/{case.pk}/methods/new/")
    page.get_by_label(re.compile(r"^Methode\b")).select_option("internet_use")
    page.get_by_label("Wat precies, en waarom").fill("Internetgebruik onderzoeken.")
    page.get_by_label("Proportionaliteit").fill("p")
    page.get_by_label("Subsidiariteit").fill("s")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "oneigenlijk gebruik van telecommunicatiemiddelen"
    )

    switch_to(page, base, "teamchef")
    page.goto(f"{base}/messages/")
    expect(page.get_by_text("Weigering om mee te werken aan een onderzoek").first).to_be_visible()

    # --- The complaint handler: a decision confirmed, then the letter recorded as sent --------
    to_decide = world12["to_decide"]
    switch_to(page, base, "klachten")
    journey.step("klachten home")
    page.goto(f"{base}/complaints/")
    journey.step("klachten overzicht")
    page.goto(f"{base}/complaints/{to_decide.pk}/")
    journey.step("klacht")
    page.get_by_label("Oordeel").select_option("unfounded")
    page.get_by_label(re.compile(r"^Motivering\b")).fill(
        "Uit de verklaringen blijkt dat de agent correct optrad en de klager heeft uitgelegd "
        "waarom de controle nodig was."
    )
    page.locator("form[action$='/decide/']").get_by_role("button").click()
    expect(page.get_by_role("note")).to_contain_text("definitief")
    journey.step("klacht oordeel bevestigen")
    confirm(page)
    expect(page.get_by_text("nog niet als verzonden aan de klager vastgelegd")).to_be_visible()
    journey.step("klacht oordeel")
    page.get_by_role("button", name="Als verzonden vastleggen").click()
    confirm(page)
    expect(page.get_by_text(re.compile("Brief aan de klager verzonden op"))).to_be_visible()
    journey.step("klacht brief verzonden")
    letter = page.context.request.get(f"{base}/complaints/{to_decide.pk}/letter.pdf")
    assert letter.body().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        path = tmp_path / "beslissing.pdf"
        path.write_bytes(letter.body())
        text = subprocess.run(
            [pdftotext, str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert "Nationale ombudsman" in text
        assert "onbeschoft" not in text  # the handler's internal summary stays internal

    # The hearing planned for the other complaint: an invitation letter and a calendar file.
    page.goto(f"{base}/complaints/{world12['planned'].pk}/")
    letter = page.get_by_role("link", name="Uitnodigingsbrief (PDF)")
    expect(letter).to_be_visible()
    pdf = page.context.request.get(f"{base}{letter.get_attribute('href')}")
    assert pdf.status == 200
    assert pdf.body().startswith(b"%PDF")
    ics_link = page.get_by_role("link", name="In de agenda zetten (.ics)")
    calendar = page.context.request.get(f"{base}{ics_link.get_attribute('href')}")
    assert "Jan Klager" not in calendar.text()
    assert world12["planned"].reference in calendar.text()

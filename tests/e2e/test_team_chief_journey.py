"""The team chief's journey in headless Chromium, through the real pages, on the demo data.

The demo team chief ("teamchef", leading Basisteam 1 in Amsterdam) signs in, opens
"Gesprekken" — one list with the conversation an analyst asked for after a signal and the
one the head of VIK sent back to the line — and, for each, plans the conversation (date,
time, place and the invitation, pre-filled with a neutral text), then records it and reads
the result. Each step is a screenshot (a CI artefact), and each page is checked for
sideways scrolling at 1280 × 800 and at 1024 px.

Screenshots go to ``$E2E_SCREENSHOT_DIR`` (default ``test-artifacts/screenshots``), under
``team_chief/NN-step.png`` (1280 px) and ``team_chief/NN-step-1024.png``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Journey, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_conversations(page: Page) -> None:
    """Through the menu: the section "Gesprekken", then its one entry."""
    page.locator("header nav").get_by_role("button", name="Gesprekken").click()
    page.locator("header nav .dropdown-menu").get_by_role(
        "link", name="Gesprekken", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Gesprekken", level=1)).to_be_visible()


def plan(page: Page, *, place: str) -> None:
    moment = timezone.localtime(timezone.now() + datetime.timedelta(days=3)).replace(
        hour=10, minute=0
    )
    page.get_by_label("Datum en tijd").fill(moment.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Plaats").fill(place)
    invitation = page.get_by_label("Uitnodiging aan de medewerker")
    # Pre-filled with a neutral text the chief may edit; the moment is added below it.
    expect(invitation).to_have_value(re.compile(r"^Beste "))
    page.get_by_role("button", name="Plannen en uitnodiging versturen").click()
    expect(page.get_by_role("status").filter(has_text="Het gesprek is gepland.")).to_be_visible()
    expect(page.get_by_text(place).first).to_be_visible()


def free_employee(exclude: int | None = None) -> Any:
    """An employee of the chief's team without an account and no matter with VIK."""
    from cases.models import CaseStatus
    from vik.models import Employee

    return (
        Employee.objects.filter(team__code="AM-D1-T1", user__isnull=True)
        .exclude(case_parties__case__status__in=[s for s in CaseStatus if s != CaseStatus.CLOSED])
        .exclude(pk=exclude)
        .order_by("pk")
        .first()
    )


def sent_back(exclude: int) -> Any:
    """The head of VIK sends a report back to the line (as the full demo does)."""
    from cases.models import Channel, TriageDecision
    from cases.services import register_report, triage_report
    from tests.cases.builders import no_criteria

    head = get_user_model().objects.get(username="hoofdvik")
    case = register_report(
        channel=Channel.TEAM_CHIEF,
        summary="Raadpleegde uit nieuwsgierigheid een registratie uit het nieuws.",
        concerned_employees=[free_employee(exclude)],
        acting_user=head,
    )
    triage_report(
        case=case,
        decision=TriageDecision.LINE,
        reasons="Eenmalig, erkend; een gesprek in de lijn volstaat.",
        line_instruction="Bespreek de regels voor het raadplegen van registraties.",
        criteria=no_criteria(),
        acting_user=head,
    )
    return case.line_referrals.get()


def escalated() -> Any:
    """The analyst asks the team chief for a conversation about an employee of their team
    (the demo does so when detection ran; the e2e demo has no detection run)."""
    from monitoring.services import escalate_to_team_chief
    from tests.monitoring.review_factories import make_signal

    employee = free_employee()
    analyst = get_user_model().objects.get(username="analist")
    return escalate_to_team_chief(
        signal=make_signal(employee),
        summary="Drie raadplegingen buiten het rooster, waaronder een adres in de eigen straat.",
        acting_user=analyst,
    )


def test_team_chief_plans_and_records_both_kinds_of_conversation(
    page: Page, live_server, demo: None, journey: Journey
) -> None:
    from cases.models import CaseStatus, LineReferral
    from monitoring.models import FollowUp

    base = live_server.url
    followup = FollowUp.objects.filter(status=FollowUp.Status.OPEN).first() or escalated()
    referral = LineReferral.objects.filter(conversation_held_on__isnull=True).first() or (
        sent_back(exclude=followup.employee_id)
    )
    step = journey.step  # a screenshot per step, the layout checked at 1280 and 1024 px

    sign_in(page, base, "teamchef")
    step("home")

    # --- The one list: both kinds, to plan ----------------------------------------------------
    open_conversations(page)
    expect(page.get_by_role("cell", name="Na een signaal")).to_be_visible()
    expect(page.get_by_role("cell", name="Zaak terug naar de lijn")).to_be_visible()
    step("conversations")

    # --- After a signal: plan, invite, record -------------------------------------------------
    page.locator("tr", has_text="Na een signaal").get_by_role(
        "link", name=followup.employee.full_name
    ).click()
    expect(page.get_by_role("heading", name="Wat is gevonden")).to_be_visible()
    step("signal-conversation")
    plan(page, place="Spreekkamer 2, bureau Noord")
    step("signal-planned")
    page.get_by_label("Aanwezig").fill(f"{followup.employee.full_name}, teamchef")
    page.get_by_label("Verklaring van de medewerker").fill(
        "Ik had die nachten een dienst geruild; dat stond niet in het rooster."
    )
    page.get_by_label("Verklaard — geen verdere actie").check()
    page.get_by_label("Gemaakte afspraken").fill("Geruilde diensten voortaan in het rooster.")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_role("status").filter(has_text="Het gesprek is vastgelegd.")).to_be_visible()
    expect(page.get_by_role("heading", name="Uw verslag")).to_be_visible()
    step("signal-recorded")
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.RECORDED
    assert followup.planned_at is not None

    # --- A case back to the line: the same form -----------------------------------------------
    open_conversations(page)
    page.locator("tr", has_text="Zaak terug naar de lijn").get_by_role(
        "link", name=referral.employee.full_name
    ).click()
    expect(page.get_by_role("heading", name="Wat te bespreken")).to_be_visible()
    step("line-conversation")
    plan(page, place="Kantoor teamchef")
    step("line-planned")
    page.get_by_label("Samenvatting van het gesprek").fill(
        "De regels voor het raadplegen van registraties besproken; erkend en begrepen."
    )
    page.get_by_label("Gemaakte afspraken").fill("Alleen raadplegen voor het eigen werk.")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_role("status").filter(has_text="Het gesprek is vastgelegd.")).to_be_visible()
    step("line-recorded")
    referral.refresh_from_db()
    referral.case.refresh_from_db()
    assert referral.conversation_held_on is not None
    assert referral.planned_at is not None
    assert referral.case.status == CaseStatus.CLOSED

    # --- The result: both held ------------------------------------------------------------------
    open_conversations(page)
    expect(page.locator("tbody .badge", has_text="Gevoerd")).to_have_count(2)
    step("conversations-held")

"""A screening closed as referred for an integrity investigation reaches VIK's intake, and the
screening interview has notes and a button that says what it records."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cases import services as case_services
from cases.criteria import ensure_criteria
from cases.models import Case, Channel
from screening import services
from screening.models import ScreeningDossier
from tests.conftest import World
from tests.screening.helpers import days_ago, officer, taken_dossier
from vik.models import Notification
from vik.roles import Role

pytestmark = pytest.mark.django_db

INTAKE = "Betrokkene is verdacht van witwassen; gesprek gaf geen bevredigende verklaring."


def _refer(world: World, dossier: ScreeningDossier) -> ScreeningDossier:
    services.record_interview(
        dossier=dossier, held_on=days_ago(2), notes="Besproken.", acting_user=officer(world)
    )
    return services.close_dossier(
        dossier=dossier,
        outcome=ScreeningDossier.Outcome.REFERRED,
        reason="Vertrouwelijke overwegingen van de screening: schulden en contacten.",
        intake_summary=INTAKE,
        acting_user=officer(world),
    )


def test_a_referral_registers_a_report_with_vik_intake(world: World) -> None:
    dossier = _refer(world, taken_dossier(world))
    case = Case.objects.get()
    assert dossier.referral_case == case
    assert case.channel == Channel.SCREENING_HIT
    assert case.source_reference == f"screening.dossier:{dossier.reference}"
    # Nothing of the screening beyond what the officer wrote for intake.
    assert case.summary == INTAKE
    assert "schulden" not in case.summary
    assert list(case.parties.values_list("employee_id", "role")) == [
        (world.subject.pk, "concerned")
    ]
    head = world.user(Role.VIK_HEAD)
    assert Notification.objects.filter(recipient=head, subject__contains=case.reference).exists()


def test_a_referral_needs_the_text_for_intake(world: World) -> None:
    dossier = taken_dossier(world)
    services.record_interview(dossier=dossier, held_on=days_ago(2), acting_user=officer(world))
    with pytest.raises(ValidationError) as refused:
        services.close_dossier(
            dossier=dossier,
            outcome=ScreeningDossier.Outcome.REFERRED,
            reason="Redenen.",
            acting_user=officer(world),
        )
    assert refused.value.code == "no_intake_summary"
    dossier.refresh_from_db()
    assert dossier.is_open
    assert not Case.objects.exists()


def test_the_dossier_shows_the_case_reference_once_it_is_triaged(
    world: World, client_for: Callable[[Role], Client]
) -> None:
    dossier = _refer(world, taken_dossier(world))
    case = Case.objects.get()
    url = reverse("screening:dossier_detail", args=[dossier.pk])
    page = client_for(Role.SCREENING_OFFICER).get(url).content.decode()
    assert case.reference not in page
    assert "awaiting triage" in page
    ensure_criteria()
    case_services.triage_report(
        case=case,
        decision="disciplinary",
        reasons="Concrete aanwijzingen.",
        criteria={c.code: False for c in case_services.active_criteria()},
        acting_user=world.user(Role.VIK_HEAD),
    )
    page = client_for(Role.SCREENING_OFFICER).get(url).content.decode()
    assert case.reference in page
    assert "Disciplinary" not in page  # the reference, not the decision


def test_the_referral_through_the_page_confirms_first(
    world: World, client_for: Callable[[Role], Client]
) -> None:
    dossier = taken_dossier(world)
    services.record_interview(dossier=dossier, held_on=days_ago(2), acting_user=officer(world))
    client = client_for(Role.SCREENING_OFFICER)
    url = reverse("screening:dossier_action", args=[dossier.pk, "close"])
    data = {"close-outcome": "referred", "close-reason": "Redenen.", "close-intake_summary": ""}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "intake" in str(response.context["forms"]["close"].errors["intake_summary"])
    data["close-intake_summary"] = INTAKE
    confirm = client.post(url, data).content.decode()
    assert "registered with VIK&#x27;s intake at once" in confirm or "intake at once" in confirm
    assert not Case.objects.exists()
    assert client.post(url, {**data, "confirmed": "yes"}).status_code == 302
    assert Case.objects.get().summary == INTAKE


def test_the_screening_interview_has_notes_and_says_what_it_records(
    world: World, client_for: Callable[[Role], Client]
) -> None:
    dossier = taken_dossier(world)
    client = client_for(Role.SCREENING_OFFICER)
    page = client.get(reverse("screening:dossier_detail", args=[dossier.pk])).content.decode()
    assert "Record the screening interview" in page
    response = client.post(
        reverse("screening:dossier_action", args=[dossier.pk, "interview"]),
        {"interview-held_on": days_ago(1).isoformat(), "interview-notes": "Financiën besproken."},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.interview_notes == "Financiën besproken."


def test_the_dutch_button_is_not_the_interrogation(world: World) -> None:
    dossier = taken_dossier(world)
    client = Client()
    client.force_login(officer(world))
    page = client.get(reverse("screening:dossier_detail", args=[dossier.pk])).content.decode()
    assert "Het screeningsgesprek vastleggen" in page
    assert "Het verhoor vastleggen" not in page

"""The complainant's letters: no internal summary in the decision letter, the letter recorded as
sent, an invitation to the hearing, calendar files without names, confirmation of the decision."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from complaints import rules, services
from complaints.models import Complaint, Hearing
from tests.complaints.helpers import assigned, decided, handler, heard, planned
from tests.conftest import World
from vik.models import AccessAction, AccessLogEntry
from vik.roles import Role

pytestmark = pytest.mark.django_db
ClientFor = Callable[[Role], Client]


def test_the_decision_letter_does_not_quote_the_internal_summary(world: World) -> None:
    complaint = decided(world)
    context = {
        "complaint": complaint,
        "contact": complaint.contact,
        "decision": complaint.decision,
        "handler": handler(world),
        "rules": rules,
        "eenheid": world.units["AM"],
        "ombudsman_deadline": rules.ombudsman_deadline(complaint.decision.decided_on),
    }
    with translation.override("nl"):
        html = render_to_string("complaints/pdf/decision_letter.html", context)
    assert complaint.summary not in html
    assert "onbeschoft" not in html  # the handler's words, not the complainant's letter
    assert "Uw klacht gaat over bejegening" in html


def test_the_letter_to_the_complainant_is_recorded_as_sent(world: World) -> None:
    complaint = decided(world)
    with pytest.raises(ValidationError):
        services.record_letter_sent(
            complaint=complaint,
            sent_on=complaint.decision.decided_on - datetime.timedelta(days=1),
            acting_user=handler(world),
        )
    decision = services.record_letter_sent(complaint=complaint, acting_user=handler(world))
    assert decision.letter_sent_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.record_letter_sent(complaint=complaint, acting_user=handler(world))


def test_the_letter_sent_step_is_on_the_page_and_confirms_first(
    world: World, client_for: ClientFor
) -> None:
    complaint = decided(world)
    client = client_for(Role.COMPLAINT_HANDLER)
    page = client.get(reverse("complaints:complaint_detail", args=[complaint.pk]))
    assert "letter_sent" in {s["name"] for s in page.context["primary_steps"]}
    assert "not been recorded as sent" in page.content.decode()
    url = reverse("complaints:complaint_action", args=[complaint.pk, "letter_sent"])
    confirm = client.post(url, {"letter_sent-sent_on": ""})
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    complaint.decision.refresh_from_db()
    assert complaint.decision.letter_sent_on == timezone.localdate()


def test_deciding_asks_for_confirmation_and_a_refusal_shows_at_once(
    world: World, client_for: ClientFor
) -> None:
    complaint = heard(world)
    client = client_for(Role.COMPLAINT_HANDLER)
    url = reverse("complaints:complaint_action", args=[complaint.pk, "decide"])
    data = {"decide-outcome": "unfounded", "decide-reasoning": "Het optreden was juist. " * 3}
    confirm = client.post(url, data)
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "cannot be undone" in body
    assert "Unfounded" in body  # the values read back
    complaint.refresh_from_db()
    assert complaint.phase == Complaint.Phase.FORMAL
    assert client.post(url, {**data, "back": "1"}).status_code == 200
    assert client.post(url, {**data, "confirmed": "yes"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.phase == Complaint.Phase.CLOSED


def test_a_hearing_is_planned_with_time_and_place_or_neither(world: World) -> None:
    complaint = assigned(world)
    services.start_formal(complaint=complaint, acting_user=handler(world))
    with pytest.raises(ValidationError):
        services.offer_hearing(
            complaint=complaint,
            party=Hearing.Party.COMPLAINANT,
            scheduled_at=timezone.now() + datetime.timedelta(days=2),
            acting_user=handler(world),
        )


@pytest.mark.parametrize("party", ["complainant", "employee"])
def test_the_hearing_invitation_is_a_letter(
    world: World, client_for: ClientFor, party: str
) -> None:
    hearing = planned(world, party=party)
    response = client_for(Role.COMPLAINT_HANDLER).get(
        reverse("complaints:hearing_invitation", args=[hearing.complaint_id, hearing.pk])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(action=AccessAction.PRINT).exists()
    context = {
        "complaint": hearing.complaint,
        "hearing": hearing,
        "contact": hearing.complaint.contact,
        "handler": handler(world),
        "eenheid": world.units["AM"],
        "rules": rules,
    }
    with translation.override("nl"):
        html = render_to_string("complaints/pdf/hearing_invitation.html", context)
    assert "Bureau Amsterdam-Centrum, spreekkamer 4" in html
    assert hearing.complaint.summary not in html
    if party == "employee":
        assert "Jan Klager" not in html  # the employee is never told who complained


def test_a_hearing_in_the_calendar_says_only_the_reference_and_the_place(
    world: World, client_for: ClientFor
) -> None:
    hearing = planned(world, party="employee")
    response = client_for(Role.COMPLAINT_HANDLER).get(
        reverse("complaints:hearing_calendar", args=[hearing.complaint_id, hearing.pk])
    )
    assert response.status_code == 200
    ics = response.content.decode()
    assert f"SUMMARY:{hearing.complaint.reference}" in ics
    assert "LOCATION:Bureau Amsterdam-Centrum\\, spreekkamer 4" in ics
    for secret in (world.subject.full_name, world.subject.last_name, "Jan Klager", "onbeschoft"):
        assert secret not in ics
    assert "\r\n" in ics  # iCalendar lines end in CRLF

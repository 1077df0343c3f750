"""Intake from every channel and the head's triage."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases import selectors, services
from cases.models import (
    Case,
    CaseParty,
    CaseStatus,
    Channel,
    Deadline,
    DeadlineKind,
    LineReferral,
    ReporterIdentity,
    TriageDecision,
)
from tests.cases.builders import Flow, no_criteria
from vik.models import Notification

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize("channel", list(Channel))
def test_every_channel_registers_through_one_service(flow: Flow, channel: Channel) -> None:
    """Other apps (monitoring, screening) call the same service with a generic reference."""
    case = services.register_report(
        channel=channel,
        summary="Melding",
        concerned_employees=[flow.world.subject],
        named_employees=[],
        source_reference="monitoring.signal:42",
        acting_user=None,
    )
    assert case.channel == channel
    assert case.status == CaseStatus.REGISTERED
    assert case.unit == flow.world.units["AM"]
    assert case.reference.startswith(f"AM-{timezone.localdate().year}-")
    assert case.registered_by is None
    # The commissioner hears of it, with no details.
    message = Notification.objects.get(recipient=flow.head)
    assert case.reference in message.subject
    assert "Melding" not in message.subject + message.body


def test_references_count_up_per_unit_and_year(flow: Flow) -> None:
    first = flow.reported()
    second = flow.reported()
    assert int(second.reference.rsplit("-", 1)[1]) == int(first.reference.rsplit("-", 1)[1]) + 1


def test_people_named_are_listed_and_the_reporter_kept_apart(flow: Flow) -> None:
    case = flow.reported(
        reporter_identity=services.ReporterDetails(name="A. Melder", contact="06-1")
    )
    roles = dict(case.parties.values_list("employee_id", "role"))
    assert roles == {
        flow.world.subject.pk: CaseParty.Role.CONCERNED,
        flow.world.colleague.pk: CaseParty.Role.NAMED,
    }
    identity = ReporterIdentity.objects.get(case=case)
    assert identity.name == "A. Melder"
    assert "Melder" not in case.summary


def test_an_anonymous_report_has_no_reporter(flow: Flow) -> None:
    with pytest.raises(ValidationError) as refused:
        flow.reported(
            channel=Channel.ANONYMOUS, reporter_identity=services.ReporterDetails(name="X")
        )
    assert refused.value.code == "anonymous_with_identity"


def test_a_report_without_a_known_person_needs_a_unit(flow: Flow) -> None:
    with pytest.raises(ValidationError) as refused:
        flow.reported(concerned_employees=[], named_employees=[])
    assert refused.value.code == "no_unit"
    case = flow.reported(concerned_employees=[], named_employees=[], unit=flow.world.units["AM"])
    assert case.unit.code == "AM"


def test_whistleblower_terms_run_from_receipt(flow: Flow) -> None:
    received = datetime.datetime(2026, 3, 20, 9, 0, tzinfo=AMSTERDAM)
    case = flow.reported(channel=Channel.WHISTLEBLOWER, received_at=received)
    terms = dict(Deadline.objects.filter(case=case).values_list("kind", "due_on"))
    assert terms[DeadlineKind.WHISTLEBLOWER_ACK] == datetime.date(2026, 3, 27)  # 7 days
    assert terms[DeadlineKind.WHISTLEBLOWER_FEEDBACK] == datetime.date(2026, 6, 20)  # 3 months
    services.acknowledge_whistleblower_report(
        case=case, on=datetime.date(2026, 3, 24), acting_user=flow.head
    )
    services.record_whistleblower_feedback(
        case=case, on=datetime.date(2026, 5, 1), acting_user=flow.head
    )
    assert not Deadline.objects.filter(case=case, met_on__isnull=True).exists()


def test_feedback_comes_after_acknowledgement(flow: Flow) -> None:
    case = flow.reported(channel=Channel.WHISTLEBLOWER)
    with pytest.raises(ValidationError):
        services.record_whistleblower_feedback(case=case, on=flow.today, acting_user=flow.head)


def test_only_the_commissioner_triages(flow: Flow) -> None:
    case = flow.reported()
    with pytest.raises(PermissionDenied):
        services.triage_report(
            case=case,
            decision=TriageDecision.NO_ACTION,
            reasons="x",
            criteria=no_criteria(),
            acting_user=flow.investigator,
        )


def test_triage_needs_reasons_and_happens_once(flow: Flow) -> None:
    case = flow.reported()
    with pytest.raises(ValidationError) as refused:
        services.triage_report(
            case=case,
            decision=TriageDecision.NO_ACTION,
            reasons=" ",
            criteria=no_criteria(),
            acting_user=flow.head,
        )
    assert refused.value.code == "no_reasons"
    flow.triaged(TriageDecision.NO_ACTION)
    with pytest.raises(ValidationError) as refused:
        flow.triaged(TriageDecision.NO_ACTION)
    assert refused.value.code == "triaged"


@pytest.mark.parametrize(
    "criterion", ["vuurwapen", "confrontatie", "arrestant", "corruptie", "openbaar-ministerie"]
)
def test_rijksrecherche_criteria_allow_only_that_referral(flow: Flow, criterion: str) -> None:
    flow.reported()
    with pytest.raises(ValidationError) as refused:
        flow.triaged(TriageDecision.DISCIPLINARY, criteria=no_criteria(**{criterion: True}))
    assert refused.value.code == "rijksrecherche_required"
    case = flow.triaged(
        TriageDecision.RIJKSRECHERCHE,
        referral_reference="RR-1",
        criteria=no_criteria(**{criterion: True}),
    )
    assert case.status == CaseStatus.CLOSED
    assert case.rijksrecherche_criteria_met
    assert case.criterion_answers.get(criterion__code=criterion).applies


def test_a_firearm_incident_with_any_injury_belongs_to_the_rijksrecherche() -> None:
    # Seed 002: "Gebruik vuurwapen > dood of enig letsel" — any injury, not only serious.
    from cases.models import RijksrechercheCriterion

    firearm = RijksrechercheCriterion.objects.get(code="vuurwapen")
    assert "enig letsel" in firearm.question
    assert firearm.is_active


def test_triage_answers_every_criterion(flow: Flow) -> None:
    flow.reported()
    answers = no_criteria()
    answers.pop("vuurwapen")
    with pytest.raises(ValidationError) as refused:
        flow.triaged(TriageDecision.NO_ACTION, criteria=answers)
    assert refused.value.code == "criteria_unanswered"
    assert "vuurwapen" in str(refused.value.messages).lower()


def test_a_reasoned_exception_is_recorded_and_counted(flow: Flow) -> None:
    from cases.selectors import triage_statistics

    flow.reported()
    case = flow.triaged(
        TriageDecision.DISCIPLINARY,
        criteria=no_criteria(corruptie=True),
        rijksrecherche_exception="De OvJ ziet af van onderzoek door de Rijksrecherche.",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.COMMISSIONED
    assert case.rijksrecherche_exception.startswith("De OvJ")
    assert case.investigation.journal.filter(text__contains="De OvJ").exists()
    stats = triage_statistics(
        user=flow.head, since=flow.today - datetime.timedelta(days=1), until=flow.today
    )
    assert stats["rijksrecherche"] == {"met": 1, "referred": 0, "exceptions": 1}


def test_no_exception_is_kept_where_none_is_needed(flow: Flow) -> None:
    flow.reported()
    case = flow.triaged(
        TriageDecision.NO_ACTION, criteria=no_criteria(), rijksrecherche_exception="Overbodig."
    )
    case.refresh_from_db()
    assert case.rijksrecherche_exception == ""


@pytest.mark.parametrize(
    ("decision", "status"),
    [
        (TriageDecision.NO_ACTION, CaseStatus.CLOSED),
        (TriageDecision.PROSECUTOR, CaseStatus.CLOSED),
        (TriageDecision.NATIONAL_TEAM, CaseStatus.CLOSED),
        (TriageDecision.EXPLORATORY, CaseStatus.COMMISSIONED),
        (TriageDecision.DISCIPLINARY, CaseStatus.COMMISSIONED),
        (TriageDecision.CRIMINAL, CaseStatus.COMMISSIONED),
    ],
)
def test_triage_decisions_move_the_case(flow: Flow, decision: TriageDecision, status: str) -> None:
    case = flow.triaged(decision)
    assert case.status == status
    assert hasattr(Case.objects.get(pk=case.pk), "investigation") == (
        status == CaseStatus.COMMISSIONED
    )


def test_an_investigation_needs_an_identified_person_concerned(flow: Flow) -> None:
    flow.reported(concerned_employees=[], named_employees=[], unit=flow.world.units["AM"])
    with pytest.raises(ValidationError) as refused:
        flow.triaged(TriageDecision.DISCIPLINARY)
    assert refused.value.code == "no_person_concerned"


def test_back_to_the_line_reaches_the_team_chief_and_closes_after_the_conversation(
    flow: Flow,
) -> None:
    from vik.roles import Role

    chief = flow.world.user(Role.TEAM_CHIEF)
    with pytest.raises(ValidationError):
        flow.triaged(TriageDecision.LINE)  # without an instruction
    case = flow.triaged(TriageDecision.LINE, line_instruction="Bespreek het gebruik van BVH.")
    assert Notification.objects.filter(recipient=chief).exists()
    referral = selectors.line_referrals_visible_to(user=chief).get()
    services.record_line_conversation(
        referral=referral, held_on=flow.today, summary="Besproken.", acting_user=chief
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    with pytest.raises(LineReferral.DoesNotExist):  # not visible to an investigator at all
        services.record_line_conversation(
            referral=referral, held_on=flow.today, summary="x", acting_user=flow.investigator
        )

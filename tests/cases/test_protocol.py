"""Every step of the protocol that the software enforces, refused when taken out of order.

The services refuse — not just the pages — so the same holds for commands, tasks and other
apps. Refusals carry a code for the tests and a message for the person at the keyboard.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from cases import services
from cases.models import (
    TELECOM_METHODS,
    AssignmentExtension,
    CaseStatus,
    DeliveryMethod,
    IntervieweeRole,
    InvestigationMethod,
    JournalEntry,
    LetterKind,
    MethodKind,
    OutcomeRoute,
    Punishment,
    TriageDecision,
)
from tests.cases.builders import Flow
from vik.workdays import add_working_days

pytestmark = pytest.mark.django_db


def code_of(error: pytest.ExceptionInfo[ValidationError]) -> str | None:
    return error.value.code


# --- The written assignment ----------------------------------------------------------------


def test_the_assignment_must_be_complete_with_powers_consent(flow: Flow) -> None:
    case = flow.triaged()
    services.assign_investigator(case=case, user=flow.investigator, acting_user=flow.head)
    with pytest.raises(ValidationError) as error:
        services.issue_assignment(case=case, acting_user=flow.head)
    assert code_of(error) == "incomplete"
    services.save_assignment(
        case=case,
        reason="r",
        objective="o",
        research_questions="q",
        employer_powers_consent=False,
        planned_methods="m",
        reporting_arrangements="a",
        expected_duration_days=10,
        acting_user=flow.head,
    )
    with pytest.raises(ValidationError) as error:
        services.issue_assignment(case=case, acting_user=flow.head)
    assert code_of(error) == "no_powers_consent"


def test_issuing_starts_the_investigation_with_its_end_in_working_days(flow: Flow) -> None:
    case = flow.issued()
    assert case.status == CaseStatus.INVESTIGATING
    investigation = case.investigation
    assert investigation.due_on == add_working_days(timezone.localdate(), 30)
    with pytest.raises(ValidationError) as error:
        services.save_assignment(
            case=case,
            reason="x",
            objective="x",
            research_questions="x",
            employer_powers_consent=True,
            planned_methods="x",
            reporting_arrangements="x",
            expected_duration_days=1,
            acting_user=flow.head,
        )
    assert code_of(error) == "issued"


def test_a_criminal_investigation_needs_the_prosecutor_consulted(flow: Flow) -> None:
    case = flow.triaged(TriageDecision.CRIMINAL)
    flow.case = case
    for user in (flow.investigator, flow.second):
        services.assign_investigator(case=case, user=user, acting_user=flow.head)
    services.save_assignment(
        case=case,
        reason="r",
        objective="o",
        research_questions="q",
        employer_powers_consent=True,
        planned_methods="m",
        reporting_arrangements="a",
        expected_duration_days=10,
        acting_user=flow.head,
    )
    with pytest.raises(ValidationError) as error:
        services.issue_assignment(case=case, acting_user=flow.head)
    assert code_of(error) == "prosecutor"


def test_an_extension_of_time_is_written_and_moves_the_end(flow: Flow) -> None:
    case = flow.issued()
    before = case.investigation.due_on
    extension = services.extend_assignment(
        case=case,
        kind=AssignmentExtension.Kind.TIME,
        description="Extra getuigen",
        extra_working_days=10,
        acting_user=flow.head,
    )
    case.investigation.refresh_from_db()
    assert case.investigation.due_on == add_working_days(before, 10) == extension.new_due_on
    with pytest.raises(PermissionError):
        extension.save()


# --- Counsellor and the written notification -------------------------------------------------


def test_no_interview_before_the_counsellor_is_informed(flow: Flow) -> None:
    flow.issued()
    with pytest.raises(ValidationError) as error:
        flow.scheduled()
    assert code_of(error) == "counsellor_not_informed"


def test_no_witness_interview_before_the_person_concerned_is_informed_in_writing(
    flow: Flow,
) -> None:
    case = flow.issued()
    services.record_counsellor_informed(case=case, on=flow.today, acting_user=flow.investigator)
    letter = flow.notification()  # drafted, not sent: does not count
    with pytest.raises(ValidationError) as error:
        flow.scheduled()
    assert code_of(error) == "subject_not_notified"
    assert error.value.messages == [
        "De betrokkene is nog niet schriftelijk geïnformeerd. Leg de verzonden kennisgevingsbrief "
        "vast voordat u iemand om informatie vraagt."
    ]
    services.mark_letter_sent(
        letter=letter, sent_on=flow.today, delivery=DeliveryMethod.BY_HAND, acting_user=flow.head
    )
    assert flow.scheduled().pk


def test_no_information_request_before_the_written_notification(flow: Flow) -> None:
    case = flow.issued()
    services.record_counsellor_informed(case=case, on=flow.today, acting_user=flow.investigator)
    with pytest.raises(ValidationError) as error:
        services.request_documents(
            case=case,
            requested_from=None,
            requested_from_name="Beheer",
            description="Logs",
            requested_on=flow.today,
            acting_user=flow.investigator,
        )
    assert code_of(error) == "subject_not_notified"


def test_nobody_is_asked_before_the_date_of_the_notification(flow: Flow) -> None:
    flow.started()
    with pytest.raises(ValidationError) as error:
        flow.scheduled(scheduled_at=timezone.now() - datetime.timedelta(days=3))
    assert code_of(error) == "before_subject_notified"


def test_every_person_concerned_is_notified(flow: Flow) -> None:
    flow.reported(
        concerned_employees=[flow.world.subject, flow.world.colleague], named_employees=[]
    )
    flow.started()  # notifies only the subject
    with pytest.raises(ValidationError) as error:
        flow.scheduled(
            role=IntervieweeRole.EXTERNAL_WITNESS, interviewee=None, interviewee_name="Buurman"
        )
    assert code_of(error) == "subject_not_notified"


def test_the_notification_goes_to_a_person_concerned(flow: Flow) -> None:
    case = flow.issued()
    with pytest.raises(ValidationError) as error:
        services.draft_letter(
            case=case,
            kind=LetterKind.NOTIFICATION,
            recipient=flow.world.colleague,
            acting_user=flow.head,
        )
    assert code_of(error) == "not_concerned"


def test_a_sent_letter_is_on_record(flow: Flow) -> None:
    flow.started()
    letter = flow.case.investigation.letters.get()  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as error:
        services.update_letter(letter=letter, subject="x", body="y", acting_user=flow.head)
    assert code_of(error) == "sent"
    letter.body = "Gewijzigd"
    with pytest.raises(PermissionError):
        letter.save()


# --- Interviews ------------------------------------------------------------------------------


def test_two_different_assigned_investigators_conduct_an_interview(flow: Flow) -> None:
    flow.started()
    with pytest.raises(ValidationError) as error:
        flow.scheduled(second_investigator=flow.investigator)
    assert code_of(error) == "two_needed"
    with pytest.raises(ValidationError) as error:
        flow.scheduled(second_investigator=flow.head)
    assert code_of(error) == "not_assigned"


def test_an_interview_is_held_only_after_a_written_invitation(flow: Flow) -> None:
    interview = flow.scheduled()
    with pytest.raises(ValidationError) as error:
        services.record_interview_held(
            interview=interview,
            held_at=timezone.now(),
            counsel_present=False,
            recording_retain_until=flow.today,
            acting_user=flow.investigator,
        )
    assert code_of(error) == "not_invited"


def test_the_invitation_states_what_the_protocol_requires(flow: Flow) -> None:
    interview = flow.scheduled()
    assert flow.case is not None
    letter = services.draft_letter(
        case=flow.case,
        kind=LetterKind.INVITATION,
        interview=interview,
        acting_user=flow.investigator,
    )
    body = letter.body
    assert interview.nature_and_purpose in body
    assert "60 minuten" in body  # expected duration
    assert "raadsman" in body  # right to bring counsel
    assert "opgenomen" in body  # that it is recorded
    assert letter.recipient == flow.world.colleague


def test_a_recorded_interview_says_how_long_the_recording_is_kept(flow: Flow) -> None:
    interview = flow.scheduled()
    assert flow.case is not None
    letter = services.draft_letter(
        case=flow.case,
        kind=LetterKind.INVITATION,
        interview=interview,
        acting_user=flow.investigator,
    )
    services.mark_letter_sent(
        letter=letter,
        sent_on=flow.today,
        delivery=DeliveryMethod.BY_HAND,
        acting_user=flow.investigator,
    )
    with pytest.raises(ValidationError) as error:
        services.record_interview_held(
            interview=interview,
            held_at=timezone.now(),
            counsel_present=False,
            acting_user=flow.investigator,
        )
    assert code_of(error) == "retention"


def test_destroying_the_recording_is_told_to_the_interviewee(flow: Flow) -> None:
    interview = flow.interviewed()
    assert flow.case is not None
    with pytest.raises(ValidationError):
        services.draft_letter(
            case=flow.case,
            kind=LetterKind.RECORDING_DESTROYED,
            interview=interview,
            acting_user=flow.investigator,
        )
    services.record_recording_destroyed(
        interview=interview, on=flow.today, acting_user=flow.investigator
    )
    letter = services.draft_letter(
        case=flow.case,
        kind=LetterKind.RECORDING_DESTROYED,
        interview=interview,
        acting_user=flow.investigator,
    )
    key = f"interview:{interview.pk}:recording"
    assert flow.case.deadlines.get(key=key).met_on is None
    services.mark_letter_sent(
        letter=letter,
        sent_on=flow.today,
        delivery=DeliveryMethod.POST,
        acting_user=flow.investigator,
    )
    assert flow.case.deadlines.get(key=key).met_on == flow.today


def test_a_witness_refusal_is_reported_to_the_commissioner(flow: Flow) -> None:
    from vik.models import Notification

    interview = flow.scheduled()
    services.record_interview_refused(
        interview=interview, reason="Wil niet", acting_user=flow.investigator
    )
    assert Notification.objects.filter(
        recipient=flow.head, subject__contains=flow.case.reference
    ).exists()  # type: ignore[union-attr]


# --- Methods ---------------------------------------------------------------------------------


def _method(flow: Flow, kind: MethodKind, **kwargs: Any) -> InvestigationMethod:
    """A proposed method; telecommunication on suspected misuse, the employee told in advance."""
    case = flow.case or flow.started()
    if kind in TELECOM_METHODS:
        kwargs.setdefault("suspected_telecom_misuse", "Vermoeden van misbruik van de e-mail.")
    method = services.propose_method(
        case=case,
        kind=kind,
        description="d",
        proportionality="p",
        subsidiarity="s",
        acting_user=flow.investigator,
        **kwargs,
    )
    if kind in TELECOM_METHODS:
        services.record_method_notices(
            method=method,
            works_council_chair_informed_on=None,
            prior_notice_on=flow.today,
            prior_notice_how="Gedragscode e-mail en internet, ondertekend.",
            acting_user=flow.investigator,
        )
    return method


def test_a_method_needs_proportionality_and_subsidiarity(flow: Flow) -> None:
    case = flow.started()
    with pytest.raises(ValidationError) as error:
        services.propose_method(
            case=case,
            kind=MethodKind.SYSTEM_LOGS,
            description="d",
            proportionality="p",
            subsidiarity=" ",
            acting_user=flow.investigator,
        )
    assert code_of(error) == "no_justification"


def test_a_method_starts_only_with_the_commissioners_consent(flow: Flow) -> None:
    flow.started()
    method = _method(flow, MethodKind.SYSTEM_LOGS)
    with pytest.raises(ValidationError) as error:
        services.start_method(method=method, on=flow.today, acting_user=flow.investigator)
    assert code_of(error) == "no_consent"
    with pytest.raises(PermissionDenied):  # the investigator cannot consent
        services.decide_method(method=method, consent=True, acting_user=flow.investigator)
    services.decide_method(method=method, consent=True, acting_user=flow.head)
    assert services.start_method(
        method=method, on=flow.today, acting_user=flow.investigator
    ).started_on


@pytest.mark.parametrize("kind", [MethodKind.OBSERVATION, MethodKind.WORKPLACE_SEARCH])
def test_observation_and_workplace_search_need_the_works_council_chair(
    flow: Flow, kind: MethodKind
) -> None:
    flow.started()
    method = _method(flow, kind)
    with pytest.raises(ValidationError) as error:
        services.decide_method(method=method, consent=True, acting_user=flow.head)
    assert code_of(error) == "works_council"
    services.record_method_notices(
        method=method,
        works_council_chair_informed_on=flow.today,
        works_council_chair_name="Voorzitter OR",
        acting_user=flow.investigator,
    )
    assert (
        services.decide_method(method=method, consent=True, acting_user=flow.head).decision
        == "granted"
    )


def test_a_covert_method_needs_prior_notice_to_the_dpa(flow: Flow) -> None:
    flow.started()
    method = _method(flow, MethodKind.SYSTEM_LOGS, covert=True)
    with pytest.raises(ValidationError) as error:
        services.decide_method(method=method, consent=True, acting_user=flow.head)
    assert code_of(error) == "dpa"


def test_telecommunication_goes_up_stage_by_decision(flow: Flow) -> None:
    flow.started()
    method = _method(flow, MethodKind.TELECOM_MESSAGES)
    services.decide_method(method=method, consent=True, acting_user=flow.head)
    with pytest.raises(ValidationError) as error:
        services.start_method(method=method, on=flow.today, acting_user=flow.investigator)
    assert code_of(error) == "no_stage"
    with pytest.raises(ValidationError) as error:
        services.decide_telecom_stage(
            method=method, stage=5, justification="racistische teksten", acting_user=flow.head
        )
    assert code_of(error) == "later_start"
    services.decide_telecom_stage(
        method=method,
        stage=5,
        justification="Concrete aanwijzingen van racistische teksten.",
        later_start_justification="Taal is waar het vermoeden over gaat.",
        acting_user=flow.head,
    )
    with pytest.raises(ValidationError) as error:
        services.decide_telecom_stage(
            method=method, stage=4, justification="terug", acting_user=flow.head
        )
    assert code_of(error) == "not_further"
    services.decide_telecom_stage(
        method=method, stage=6, justification="inhoud", acting_user=flow.head
    )
    assert list(method.stage_decisions.values_list("stage", flat=True)) == [5, 6]


def test_the_person_is_told_afterwards_about_telecommunication(flow: Flow) -> None:
    case = flow.started()
    method = _method(flow, MethodKind.PHONE_RECORDS)
    services.decide_method(method=method, consent=True, acting_user=flow.head)
    services.start_method(method=method, on=flow.today, acting_user=flow.investigator)
    with pytest.raises(ValidationError) as error:
        services.draft_letter(
            case=case,
            kind=LetterKind.TELECOM_NOTICE,
            recipient=flow.world.subject,
            method=method,
            acting_user=flow.investigator,
        )
    assert code_of(error) == "telecom_running"
    services.end_method(method=method, on=flow.today, acting_user=flow.investigator)
    letter = services.draft_letter(
        case=case,
        kind=LetterKind.TELECOM_NOTICE,
        recipient=flow.world.subject,
        method=method,
        acting_user=flow.investigator,
    )
    assert "nooit afgeluisterd" in letter.body
    services.mark_letter_sent(
        letter=letter,
        sent_on=flow.today,
        delivery=DeliveryMethod.POST,
        acting_user=flow.investigator,
    )
    method.refresh_from_db()
    assert method.subject_informed_on == flow.today


# --- Hearing, outcome, closing ----------------------------------------------------------------


def test_the_hearing_waits_for_the_gathering_to_be_complete(flow: Flow) -> None:
    case = flow.started()
    method = _method(flow, MethodKind.INTERNET_USE)
    services.decide_method(method=method, consent=True, acting_user=flow.head)
    services.start_method(method=method, on=flow.today, acting_user=flow.investigator)
    flow.sent_version()
    with pytest.raises(ValidationError) as error:
        services.offer_hearing(case=case, offered_on=flow.today, acting_user=flow.investigator)
    assert code_of(error) == "not_ready_for_hearing"
    # One message, in Dutch, naming everything still to do.
    message = error.value.messages[0]
    assert message.startswith("Het wederhoor kan nog niet worden aangeboden.")
    for missing in ("bevindingen", "gespreksverslagen", "telecommunicatie"):
        assert missing in message


def test_the_disciplinary_route_in_order_and_never_heavier(flow: Flow) -> None:
    case = flow.decided(OutcomeRoute.DISCIPLINARY, dereliction=True)
    reprimand = Punishment.objects.get(code="schriftelijke-berisping")
    fine = Punishment.objects.get(code="geldboete")
    with pytest.raises(ValidationError):
        services.decide_punishment(
            case=case,
            punishment=reprimand,
            decided_on=flow.today,
            reasons="r",
            acting_user=flow.head,
        )
    services.intend_punishment(
        case=case, punishment=reprimand, intended_on=flow.today, reasons="r", acting_user=flow.head
    )
    with pytest.raises(ValidationError) as error:
        services.decide_punishment(
            case=case,
            punishment=reprimand,
            decided_on=flow.today,
            reasons="r",
            acting_user=flow.head,
        )
    assert code_of(error) == "no_response"
    services.record_disciplinary_response(
        case=case, response_on=flow.today, response="Spijt", acting_user=flow.head
    )
    with pytest.raises(ValidationError) as error:
        services.decide_punishment(
            case=case, punishment=fine, decided_on=flow.today, reasons="r", acting_user=flow.head
        )
    assert code_of(error) == "heavier"
    services.decide_punishment(
        case=case, punishment=reprimand, decided_on=flow.today, reasons="r", acting_user=flow.head
    )
    with pytest.raises(ValidationError):
        services.close_case(case=case, acting_user=flow.head)  # no receipt, no outcome letter yet
    services.record_receipt(case=case, signed_on=flow.today, acting_user=flow.head)
    assert case.investigation.disciplinary.is_complete


def test_the_disciplinary_route_needs_dereliction(flow: Flow) -> None:
    with pytest.raises(ValidationError) as error:
        flow.decided(OutcomeRoute.DISCIPLINARY, dereliction=False)
    assert code_of(error) == "no_dereliction"


def test_punishments_are_the_barp_list_lightest_first(db: None) -> None:
    names = list(Punishment.objects.values_list("name", flat=True))
    assert len(names) == 10
    assert names[0] == "Schriftelijke berisping"
    assert names[-1] == "Ontslag"


def test_closing_needs_the_outcome_and_the_report_to_reach_the_person(flow: Flow) -> None:
    case = flow.decided()
    with pytest.raises(ValidationError) as error:
        services.close_case(case=case, acting_user=flow.head)
    assert code_of(error) == "not_ready_to_close"
    letter = services.draft_letter(
        case=case, kind=LetterKind.OUTCOME, recipient=flow.world.subject, acting_user=flow.head
    )
    services.mark_letter_sent(
        letter=letter, sent_on=flow.today, delivery=DeliveryMethod.BY_HAND, acting_user=flow.head
    )
    with pytest.raises(ValidationError):  # the report has not reached the person yet
        services.close_case(case=case, acting_user=flow.head)
    services.record_report_provided(case=case, on=flow.today, acting_user=flow.head)
    assert services.close_case(case=case, acting_user=flow.head).status == CaseStatus.CLOSED


def test_back_to_the_line_after_the_investigation(flow: Flow) -> None:
    from cases.models import LineReferral

    flow.decided(OutcomeRoute.LINE, dereliction=True)
    assert LineReferral.objects.filter(employee=flow.world.subject).count() == 1


def test_a_complaint_about_the_investigation_is_answered_within_six_weeks(flow: Flow) -> None:
    case = flow.issued()
    complaint = services.register_complaint(
        case=case,
        received_on=datetime.date(2026, 3, 2),
        complainant="Raadsman",
        summary="s",
        acting_user=flow.head,
    )
    deadline = case.deadlines.get(key=f"complaint:{complaint.pk}")
    assert deadline.due_on == datetime.date(2026, 4, 13)
    services.answer_complaint(
        complaint=complaint,
        answered_on=datetime.date(2026, 4, 1),
        answer_summary="Ongegrond",
        acting_user=flow.head,
    )
    deadline.refresh_from_db()
    assert deadline.met_on == datetime.date(2026, 4, 1)


# --- The journal ---------------------------------------------------------------------------------


def test_the_journal_records_each_step_and_is_append_only(flow: Flow) -> None:
    case = flow.started()
    entries = JournalEntry.objects.filter(investigation_id=case.pk)
    assert entries.filter(is_automatic=True).count() >= 5
    entry = services.add_journal_entry(
        case=case, text="Overleg met opdrachtgever.", acting_user=flow.investigator
    )
    assert entry.author == flow.investigator
    entry.text = "Anders"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entries.update(text="x")
    with pytest.raises(PermissionError):
        entry.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_rewrite_the_journal(flow: Flow) -> None:
    from django.db import DatabaseError, transaction

    case = flow.started()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_journalentry SET text = 'x' WHERE investigation_id = %s", [case.pk]
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_journalentry WHERE investigation_id = %s", [case.pk])

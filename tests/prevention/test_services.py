"""The workflows of prevention and advice, through the services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prevention import rules, services
from prevention.models import (
    AdviceRequest,
    AfterDiscussion,
    PreventionSettings,
    SessionEvaluationCode,
    SessionEvaluationResponse,
    SessionKind,
    SessionRequest,
    TrendMark,
)
from tests.conftest import World
from tests.prevention import helpers
from vik.models import Notification
from vik.roles import Role
from vik.workdays import add_working_days

pytestmark = pytest.mark.django_db


def _subjects(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


# --- Session requests ------------------------------------------------------------------


def test_a_request_goes_to_the_coordinators_with_a_working_day_term(world: World) -> None:
    request = helpers.session_request(world)
    assert request.status == SessionRequest.Status.SUBMITTED
    assert request.requester == world.employee_of(Role.TEAM_CHIEF)
    assert request.answer_due_on == add_working_days(timezone.localdate(), 10)
    notification = Notification.objects.get(recipient=helpers.coordinator(world))
    assert notification.subject == "New session request"
    assert notification.body == ""  # nothing of the request leaves VIK


def test_the_term_is_configurable(world: World) -> None:
    PreventionSettings.objects.filter(pk=1).update(first_answer_working_days=3)
    assert rules.first_answer_due(datetime.date(2026, 4, 24)) == datetime.date(2026, 4, 30)


def test_a_request_is_for_ones_own_team_or_a_team_one_leads(world: World) -> None:
    with pytest.raises(ValidationError, match="own team"):
        helpers.session_request(world, by=Role.EMPLOYEE, team="AM-D1-T1")
    assert helpers.session_request(world, by=Role.EMPLOYEE, team="AM-VIK")
    with pytest.raises(PermissionDenied):
        helpers.session_request(world, by=Role.ANALYST, team="AM-VIK")


def test_an_after_discussion_session_is_not_requested_by_a_team(world: World) -> None:
    with pytest.raises(ValidationError, match="commissioner"):
        helpers.session_request(world, kind=SessionKind.AFTER_DISCUSSION)


def test_bad_input_gives_a_specific_reason(world: World) -> None:
    with pytest.raises(ValidationError, match="what kind"):
        helpers.session_request(world, kind=SessionKind.OTHER)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="past"):
        helpers.session_request(world, preferred_from=yesterday)
    with pytest.raises(ValidationError, match="ends before"):
        helpers.session_request(
            world,
            preferred_from=timezone.localdate() + datetime.timedelta(days=9),
            preferred_until=timezone.localdate() + datetime.timedelta(days=2),
        )


def test_the_requester_is_told_at_each_step(world: World) -> None:
    request = helpers.session_request(world)
    coordinator = helpers.coordinator(world)
    services.accept_session_request(request=request, acting_user=coordinator)
    presenter = helpers.presenter(world)
    services.plan_session(
        request=request,
        planned_start=timezone.now() + datetime.timedelta(days=3),
        place="Teamruimte",
        presenters=[presenter],
        acting_user=coordinator,
    )
    services.plan_session(
        request=request,
        planned_start=timezone.now() + datetime.timedelta(days=4),
        place="Teamruimte",
        presenters=[presenter],
        acting_user=coordinator,
    )
    assert _subjects(world.user(Role.TEAM_CHIEF)) == [
        "Your session was moved",
        "Your session is planned",
        "Your session request was accepted",
    ]
    request.refresh_from_db()
    assert request.status == SessionRequest.Status.PLANNED
    assert request.coordinator == coordinator
    assert [r.history_change_reason for r in request.history.order_by("history_date")][-1] == (
        "Sessie verzet"
    )


def test_declining_needs_a_reason_the_requester_reads(world: World) -> None:
    request = helpers.session_request(world)
    coordinator = helpers.coordinator(world)
    with pytest.raises(ValidationError):
        services.decline_session_request(request=request, reason=" ", acting_user=coordinator)
    services.decline_session_request(
        request=request, reason="Valt buiten ons aanbod.", acting_user=coordinator
    )
    request.refresh_from_db()
    assert request.status == SessionRequest.Status.DECLINED
    assert request.closed_at is not None
    assert "Your session request was declined" in _subjects(world.user(Role.TEAM_CHIEF))


def test_only_coordinators_of_the_unit_handle_a_request(world: World, dh_coordinator) -> None:
    request = helpers.session_request(world)
    with pytest.raises(PermissionDenied):
        services.accept_session_request(request=request, acting_user=dh_coordinator)
    with pytest.raises(PermissionDenied):
        services.accept_session_request(request=request, acting_user=world.user(Role.TEAM_CHIEF))


def test_presenters_come_from_the_units_list(world: World) -> None:
    request = helpers.session_request(world)
    den_haag = helpers.presenter(world, unit="DH", name="Iemand uit Den Haag")
    with pytest.raises(ValidationError, match="your unit's list"):
        services.plan_session(
            request=request,
            planned_start=timezone.now(),
            place="Teamruimte",
            presenters=[den_haag],
            acting_user=helpers.coordinator(world),
        )


def test_recording_makes_one_code_per_participant_and_names_nobody(world: World) -> None:
    session = helpers.held_session(world, attendance=7)
    assert session.status == SessionRequest.Status.HELD
    codes = list(
        SessionEvaluationCode.objects.filter(session=session).values_list("code", flat=True)
    )
    assert len(codes) == len(set(codes)) == 7
    assert all(len(code) == services.CODE_LENGTH for code in codes)


def test_a_session_is_not_recorded_before_it_was_held(world: World) -> None:
    session = helpers.planned_session(world)
    with pytest.raises(ValidationError, match="before it was held"):
        services.record_session(
            request=session,
            held_on=timezone.localdate() + datetime.timedelta(days=1),
            what_was_done="Dilemma's besproken.",
            attendance=5,
            follow_up="",
            acting_user=helpers.coordinator(world),
        )


def test_the_requester_may_withdraw_an_open_request(world: World) -> None:
    request = helpers.session_request(world)
    with pytest.raises(PermissionDenied):
        services.withdraw_session_request(request=request, acting_user=world.user(Role.EMPLOYEE))
    services.withdraw_session_request(request=request, acting_user=world.user(Role.TEAM_CHIEF))
    request.refresh_from_db()
    assert request.status == SessionRequest.Status.WITHDRAWN


# --- Evaluations ---------------------------------------------------------------------


def test_a_code_is_used_once_and_the_answer_keeps_no_trace_of_it(world: World) -> None:
    session = helpers.held_session(world, attendance=2)
    code = session.evaluation_codes.first().code
    services.submit_session_evaluation(
        code=code.lower()[:4] + "-" + code.lower()[4:],  # as typed from the slip
        answers=helpers.ANSWERS,
        acting_user=world.user(Role.EMPLOYEE),
    )
    with pytest.raises(ValidationError, match="unknown, has been used"):
        services.submit_session_evaluation(
            code=code, answers=helpers.ANSWERS, acting_user=world.user(Role.EMPLOYEE)
        )
    response = SessionEvaluationResponse.objects.get()
    assert response.session == session
    assert response.unit == world.units["AM"]
    assert (response.year, response.quarter) == (
        session.held_on.year,
        (session.held_on.month - 1) // 3 + 1,
    )
    # The code knows it was used, not by whom; its claim wrote no history.
    assert SessionEvaluationCode.objects.get(code=code).answered
    assert not hasattr(SessionEvaluationCode, "history")


def test_an_unknown_or_late_code_is_refused_alike(world: World) -> None:
    session = helpers.held_session(world, attendance=1)
    with pytest.raises(ValidationError, match="unknown"):
        services.submit_session_evaluation(
            code="NOPE1234", answers=helpers.ANSWERS, acting_user=world.user(Role.EMPLOYEE)
        )
    SessionRequest.objects.filter(pk=session.pk).update(
        held_on=timezone.localdate() - datetime.timedelta(days=45)
    )
    with pytest.raises(ValidationError, match="no longer valid"):
        services.submit_session_evaluation(
            code=session.evaluation_codes.get().code,
            answers=helpers.ANSWERS,
            acting_user=world.user(Role.EMPLOYEE),
        )
    assert not SessionEvaluationResponse.objects.exists()


# --- Advice ------------------------------------------------------------------------------


def test_advice_is_taken_answered_with_kinds_and_closed(world: World) -> None:
    question = helpers.advice(world)
    coordinator = helpers.coordinator(world)
    assert question.answer_due_on == add_working_days(timezone.localdate(), 10)
    assert "New advice question" in _subjects(coordinator)
    with pytest.raises(ValidationError, match="Take the question on"):
        services.answer_advice_request(
            request=question, answer="x" * 30, kinds=[helpers.kind()], acting_user=coordinator
        )
    services.take_advice_request(request=question, acting_user=coordinator)
    services.answer_advice_request(
        request=question,
        answer="Je raadpleegt niets en deelt niets met de familie.",
        kinds=[helpers.kind()],
        acting_user=coordinator,
    )
    question.refresh_from_db()
    assert question.status == AdviceRequest.Status.ANSWERED
    assert [row.kind.code for row in question.violation_kinds.all()] == ["misbruik-informatie"]
    assert "Your advice question was answered" in _subjects(world.user(Role.EMPLOYEE))
    services.close_advice_request(request=question, acting_user=coordinator)
    question.refresh_from_db()
    assert question.status == AdviceRequest.Status.CLOSED


def test_only_the_assigned_coordinator_answers(world: World) -> None:
    question = helpers.advice(world)
    colleague = helpers.coordinator(world)
    services.take_advice_request(request=question, acting_user=colleague)
    from tests.factories import EmployeeFactory, UserFactory
    from vik import services as core

    other = UserFactory(username="preventie-2")
    EmployeeFactory(unit=world.units["AM"], team=world.units["AM-VIK"], user=other)
    core.assign_role(
        user=other,
        role=Role.PREVENTION_COORDINATOR,
        unit=world.units["AM"],
        acting_user=None,
        reason="t",
    )
    with pytest.raises(ValidationError, match="Take it over"):
        services.answer_advice_request(
            request=question, answer="x" * 30, kinds=[helpers.kind()], acting_user=other
        )
    services.take_advice_request(request=question, acting_user=other)
    question.refresh_from_db()
    assert question.assigned_to == other
    assert question.history.first().history_change_reason.startswith("Overgenomen van")


def test_an_account_without_an_employee_record_cannot_ask(world: World) -> None:
    from tests.factories import UserFactory
    from vik import services as core

    user = UserFactory(username="los-account")
    core.assign_role(user=user, role=Role.EMPLOYEE, acting_user=None, reason="t")
    with pytest.raises(ValidationError, match="not linked"):
        services.ask_advice(kind="case", subject="Vraag", question="x" * 40, acting_user=user)


# --- After-discussions --------------------------------------------------------------------


def test_the_commissioner_asks_for_closed_investigations_only(world: World) -> None:
    from tests.cases.builders import Flow

    flow = Flow(world=world, second=helpers.second_investigator(world))
    open_case = flow.issued()
    with pytest.raises(PermissionDenied):
        services.request_after_discussion(
            case_id=open_case.pk,
            team=world.units["AM-D1-T1"],
            brief="x" * 30,
            acting_user=world.user(Role.VIK_HEAD),
        )


def test_an_after_discussion_is_asked_once_per_case_and_the_coordinator_told(world: World) -> None:
    case = helpers.closed_case(world)
    discussion = helpers.after_discussion(world, case=case)
    assert discussion.unit == world.units["AM"]
    assert "An after-discussion of an investigation was asked for" in _subjects(
        helpers.coordinator(world)
    )
    with pytest.raises(ValidationError, match="already"):
        helpers.after_discussion(world, case=case)
    with pytest.raises(ValidationError, match="within the unit"):
        services.request_after_discussion(
            case_id=helpers.closed_case(world).pk,
            team=world.units["DH-T1"],
            brief="x" * 30,
            acting_user=world.user(Role.VIK_HEAD),
        )


def test_accepting_opens_the_session_with_the_team(world: World) -> None:
    discussion = helpers.after_discussion(world)
    services.accept_after_discussion(
        after_discussion=discussion, acting_user=helpers.coordinator(world)
    )
    session = discussion.sessions.get()
    assert session.kind == SessionKind.AFTER_DISCUSSION
    assert session.status == SessionRequest.Status.ACCEPTED
    assert session.team == world.units["AM-D1-T1"]
    assert "The after-discussion was accepted" in _subjects(world.user(Role.VIK_HEAD))


def test_a_declined_after_discussion_may_be_asked_again(world: World) -> None:
    case = helpers.closed_case(world)
    first = helpers.after_discussion(world, case=case)
    services.decline_after_discussion(
        after_discussion=first,
        reason="Het team wordt opgeheven.",
        acting_user=helpers.coordinator(world),
    )
    assert helpers.after_discussion(world, case=case).status == AfterDiscussion.Status.REQUESTED


# --- Library and trends --------------------------------------------------------------------


def test_a_library_dilemma_is_drafted_published_and_withdrawn(world: World) -> None:
    dilemma = helpers.library_dilemma(world, publish=False)
    assert dilemma.status == "draft"
    dilemma = services.save_dilemma(
        dilemma=dilemma,
        title=dilemma.title,
        situation=dilemma.situation,
        questions=dilemma.questions,
        rules_text=dilemma.rules,
        kinds=[],
        unit=world.units["AM"],
        publish=True,
        acting_user=helpers.coordinator(world),
    )
    assert dilemma.is_published
    assert dilemma.published_at
    services.withdraw_dilemma(
        dilemma=dilemma,
        reason="Vervangen door een betere casus.",
        acting_user=helpers.coordinator(world),
    )
    dilemma.refresh_from_db()
    assert dilemma.status == "withdrawn"


def test_a_lesson_cannot_be_edited_as_a_library_dilemma(world: World) -> None:
    lesson = helpers.lesson(world)
    with pytest.raises(PermissionDenied):
        services.save_dilemma(
            dilemma=lesson,
            title="Anders",
            situation="Een andere tekst die niemand goedkeurde.",
            questions="Mag dit?",
            rules_text="",
            kinds=[],
            unit=world.units["AM"],
            publish=True,
            acting_user=helpers.coordinator(world),
        )


def test_a_trend_is_marked_in_a_unit_and_closed_with_what_was_done(world: World) -> None:
    mark = helpers.trend_mark(world)
    assert mark.status == TrendMark.Status.OPEN
    with pytest.raises(ValidationError, match="not a single team"):
        services.mark_trend(
            unit=world.units["AM-D1-T1"],
            kind=helpers.kind(),
            year=2026,
            quarter=1,
            note="Steeds meer meldingen.",
            acting_user=helpers.coordinator(world),
        )
    services.close_trend(
        mark=mark,
        action_taken="Dilemmatraining voor alle basisteams gegeven.",
        acting_user=helpers.coordinator(world),
    )
    mark.refresh_from_db()
    assert mark.status == TrendMark.Status.CLOSED

"""Screening services: every rule they enforce, and the terms they compute."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from screening import rules, services
from screening.models import (
    ContinuousScreeningHit,
    EvaluationInvitation,
    EvaluationResponse,
    ScreeningDossier,
    ScreeningPolicy,
    SelfReport,
)
from tests.conftest import World
from tests.factories import EmployeeFactory, FunctionFactory, UserFactory
from tests.screening.helpers import (
    EVALUATION_ANSWERS,
    days_ago,
    five_year_policy,
    invitation_for,
    officer,
    taken_dossier,
)
from vik import services as core_services
from vik.models import Notification
from vik.roles import Role
from vik.workdays import add_months

pytestmark = pytest.mark.django_db

D = datetime.date


# --- Policy and terms -----------------------------------------------------------------


def test_the_default_policy_is_installed_and_unique(world: World) -> None:
    default = ScreeningPolicy.objects.get(is_default=True)
    assert default.interval_years == 8
    with pytest.raises(IntegrityError), transaction.atomic():
        ScreeningPolicy.objects.create(is_default=True, interval_years=5)


def test_a_policy_is_either_the_default_or_for_one_function(world: World) -> None:
    with pytest.raises(ValidationError):
        services.save_policy(
            policy=ScreeningPolicy(is_default=False, function=None),
            acting_user=None,
            reason="t",
        )
    with pytest.raises(ValidationError):
        services.save_policy(
            policy=ScreeningPolicy(interval_years=12, function=FunctionFactory(code="X", name="X")),
            acting_user=None,
            reason="t",
        )


def test_policy_per_function_else_default(world: World) -> None:
    detective = FunctionFactory(code="Rechercheur", name="Rechercheur")
    five_year_policy(detective)
    world.subject.function = detective
    assert rules.policy_for(world.subject).interval_years == 5
    assert rules.policy_for(world.colleague).interval_years == 8  # Agent: the default


def test_the_policy_change_is_in_the_history_with_reason(world: World) -> None:
    policy = ScreeningPolicy.objects.get(is_default=True)
    policy.interval_years = 5
    services.save_policy(policy=policy, acting_user=world.user(Role.ADMINISTRATOR), reason="wet")
    latest = policy.history.first()
    assert latest.history_change_reason == "wet"
    assert latest.history_user == world.user(Role.ADMINISTRATOR)


def test_next_due_counts_whole_years_from_the_last_passed_screening() -> None:
    terms = rules.PolicyTerms(5, 3, is_default=False)
    assert rules.next_due_on(D(2024, 2, 29), terms) == D(2029, 2, 28)
    assert rules.opens_on(D(2029, 2, 28), terms) == D(2028, 11, 28)
    assert rules.next_due_on(None, terms) is None


def test_handling_terms_are_in_working_days_with_dutch_holidays() -> None:
    # Friday 24 April 2026 + 10 working days: King's Day (Mon 27 April) and Liberation Day
    # (Tue 5 May) do not count; + 20 working days: nor do Ascension Day (Thu 14 May) and
    # Whit Monday (25 May).
    assert rules.handling_term(ScreeningDossier.Kind.CONTINUOUS_HIT, D(2026, 4, 24)) == D(
        2026, 5, 12
    )
    assert rules.handling_term(ScreeningDossier.Kind.SELF_REPORT, D(2026, 4, 24)) == D(2026, 5, 28)
    with pytest.raises(ValueError, match="re-screening"):
        rules.handling_term(ScreeningDossier.Kind.PERIODIC, D(2026, 4, 24))


def test_last_screened_is_the_latest_passed_full_screening(world: World) -> None:
    world.subject.employment_start = D(2010, 3, 1)
    world.subject.save()
    assert rules.last_screened_on(world.subject) == D(2010, 3, 1)
    for kind, outcome, closed in (
        (ScreeningDossier.Kind.PERIODIC, ScreeningDossier.Outcome.NO_CONCERNS, D(2019, 5, 1)),
        (ScreeningDossier.Kind.PERIODIC, ScreeningDossier.Outcome.OBJECTION, D(2021, 5, 1)),
        (ScreeningDossier.Kind.SELF_REPORT, ScreeningDossier.Outcome.NO_CONCERNS, D(2022, 5, 1)),
    ):
        ScreeningDossier.objects.create(
            employee=world.subject,
            kind=kind,
            status=ScreeningDossier.Status.CLOSED,
            opened_on=closed - datetime.timedelta(days=30),
            due_on=closed,
            outcome=outcome,
            outcome_reason="t",
            closed_on=closed,
        )
    # Neither a failed screening nor a self-report restarts the clock.
    assert rules.last_screened_on(world.subject) == D(2019, 5, 1)


# --- Opening dossiers -----------------------------------------------------------------


def test_a_re_screening_is_due_by_the_policy(world: World) -> None:
    world.subject.employment_start = D(2020, 6, 15)
    world.subject.save()
    dossier = services.open_dossier(
        employee=world.subject,
        kind=ScreeningDossier.Kind.PERIODIC,
        reason="vervroegd",
        acting_user=officer(world),
    )
    assert dossier.due_on == D(2028, 6, 15)
    assert dossier.history.first().history_change_reason == "vervroegd"


def test_only_one_open_re_screening_per_employee(world: World) -> None:
    services.open_dossier(
        employee=world.subject,
        kind=ScreeningDossier.Kind.PERIODIC,
        reason="t",
        acting_user=officer(world),
    )
    with pytest.raises(ValidationError, match="already has an open re-screening"):
        services.open_dossier(
            employee=world.subject,
            kind=ScreeningDossier.Kind.PERIODIC,
            reason="t",
            acting_user=officer(world),
        )


def test_an_officer_cannot_open_a_dossier_outside_their_units_or_about_themself(
    world: World,
) -> None:
    for employee in (world.outsider, world.employee_of(Role.SCREENING_OFFICER)):
        with pytest.raises(PermissionDenied):
            services.open_dossier(
                employee=employee,
                kind=ScreeningDossier.Kind.INITIAL,
                reason="t",
                acting_user=officer(world),
            )


def test_hits_and_self_reports_are_not_opened_by_hand(world: World) -> None:
    with pytest.raises(ValidationError):
        services.open_dossier(
            employee=world.subject,
            kind=ScreeningDossier.Kind.CONTINUOUS_HIT,
            reason="t",
            acting_user=officer(world),
        )


# --- The daily task's service ---------------------------------------------------------


def test_re_screenings_open_when_the_lead_time_begins_and_only_once(world: World) -> None:
    world.subject.employment_start = D(2018, 9, 1)  # due 1 Sept 2026 (8 years)
    world.subject.save()
    ScreeningDossier.objects.all().delete()
    assert services.open_due_rescreenings(today=D(2026, 5, 31)) == []  # lead time: 3 months
    opened = services.open_due_rescreenings(today=D(2026, 6, 1))
    assert len(opened) == 1
    dossier = ScreeningDossier.objects.get(pk=opened[0])
    assert dossier.employee == world.subject
    assert dossier.kind == ScreeningDossier.Kind.PERIODIC
    assert dossier.due_on == D(2026, 9, 1)
    assert dossier.history.first().history_user is None  # the task, not a person
    assert world.subject.pk not in {
        ScreeningDossier.objects.get(pk=pk).employee_id
        for pk in services.open_due_rescreenings(today=D(2026, 6, 2))
    }


def test_the_task_follows_the_function_policy_and_skips_leavers(world: World) -> None:
    detective = FunctionFactory(code="Rechercheur", name="Rechercheur")
    five_year_policy(detective)  # 5 years, dossier 6 months ahead
    ScreeningDossier.objects.all().delete()
    leaver = EmployeeFactory(
        unit=world.units["AM"], employment_start=D(2000, 1, 1), employment_end=D(2025, 12, 31)
    )
    world.subject.function = detective
    world.subject.employment_start = D(2021, 12, 1)  # due 1 Dec 2026, opens 1 June 2026
    world.subject.save()
    opened = {
        ScreeningDossier.objects.get(pk=pk).employee_id
        for pk in services.open_due_rescreenings(today=D(2026, 6, 1))
    }
    assert world.subject.pk in opened
    assert leaver.pk not in opened


def test_the_task_restarts_the_clock_after_a_passed_screening(world: World) -> None:
    ScreeningDossier.objects.all().delete()
    world.subject.employment_start = D(2010, 1, 1)
    world.subject.save()
    ScreeningDossier.objects.create(
        employee=world.subject,
        kind=ScreeningDossier.Kind.PERIODIC,
        status=ScreeningDossier.Status.CLOSED,
        opened_on=D(2024, 1, 1),
        due_on=D(2024, 3, 1),
        interview_held_on=D(2024, 2, 1),
        outcome=ScreeningDossier.Outcome.AGREEMENTS,
        outcome_reason="t",
        closed_on=D(2024, 2, 15),
    )
    opened = services.open_due_rescreenings(today=D(2026, 6, 1))
    assert world.subject.pk not in {
        ScreeningDossier.objects.get(pk=pk).employee_id for pk in opened
    }


# --- Continuous screening and self-reports --------------------------------------------


def test_a_hit_opens_a_dossier_and_tells_the_other_officers_without_details(world: World) -> None:
    second = UserFactory(username="screener2")
    core_services.assign_role(
        user=second,
        role=Role.SCREENING_OFFICER,
        unit=world.units["AM"],
        acting_user=None,
        reason="t",
    )
    dossier = services.register_hit(
        employee=world.subject,
        received_on=D(2026, 4, 24),
        source_reference=" CS-2026-1 ",
        reported_by="Eenheid Rotterdam",
        offence="Verdenking van witwassen",
        acting_user=officer(world),
    )
    assert dossier.kind == ScreeningDossier.Kind.CONTINUOUS_HIT
    assert dossier.due_on == D(2026, 5, 12)
    assert dossier.hit.source_reference == "CS-2026-1"
    # (The second officer's role grant was told to the privacy officer: not about the hit.)
    messages = Notification.objects.filter(url__contains="/screening/")
    assert [m.recipient for m in messages] == [second]  # not the officer who registered it
    message = messages[0]
    for detail in (world.subject.last_name, world.subject.personnel_number, "witwassen"):
        assert detail not in message.subject
        assert detail not in message.body
    assert message.url.endswith(f"/screening/dossiers/{dossier.pk}/")


def test_a_hit_number_is_registered_once(world: World) -> None:
    kwargs = {
        "employee": world.subject,
        "received_on": days_ago(1),
        "source_reference": "CS-9",
        "reported_by": "LE",
        "offence": "x",
        "acting_user": officer(world),
    }
    services.register_hit(**kwargs)
    with pytest.raises(ValidationError, match="already registered"):
        services.register_hit(**kwargs)
    assert ContinuousScreeningHit.objects.count() == 1


def test_a_hit_cannot_be_dated_in_the_future_or_be_outside_the_scope(world: World) -> None:
    with pytest.raises(ValidationError, match="future"):
        services.register_hit(
            employee=world.subject,
            received_on=days_ago(-1),
            source_reference="CS-F",
            reported_by="LE",
            offence="x",
            acting_user=officer(world),
        )
    with pytest.raises(PermissionDenied):
        services.register_hit(
            employee=world.outsider,
            received_on=days_ago(1),
            source_reference="CS-O",
            reported_by="LE",
            offence="x",
            acting_user=officer(world),
        )


def test_a_self_report_opens_a_dossier_for_the_unit_s_officers(world: World) -> None:
    employee_user = world.user(Role.EMPLOYEE)
    report = services.submit_self_report(
        category=SelfReport.Category.SIDE_ACTIVITIES,
        occurred_on=days_ago(10),
        description="  Ik werk in het weekend als beveiliger.  ",
        acting_user=employee_user,
    )
    assert report.description == "Ik werk in het weekend als beveiliger."
    assert report.dossier.kind == ScreeningDossier.Kind.SELF_REPORT
    assert report.dossier.employee == world.employee_of(Role.EMPLOYEE)
    assert report.dossier.due_on == rules.handling_term(
        ScreeningDossier.Kind.SELF_REPORT, report.dossier.opened_on
    )
    assert [n.recipient for n in Notification.objects.all()] == [officer(world)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"occurred_on": days_ago(-2)}, "future"),
        ({"description": "kort"}, "sentence"),
        ({"category": "holiday"}, "categories"),
    ],
)
def test_a_self_report_must_be_complete(world: World, changes: dict, message: str) -> None:
    kwargs = {
        "category": SelfReport.Category.FINANCES,
        "occurred_on": days_ago(3),
        "description": "Een lening afgesloten voor een huis.",
        "acting_user": world.user(Role.EMPLOYEE),
    } | changes
    with pytest.raises(ValidationError, match=message):
        services.submit_self_report(**kwargs)


def test_only_employees_report_under_the_duty_to_report(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.submit_self_report(
            category=SelfReport.Category.FINANCES,
            occurred_on=days_ago(3),
            description="Een lening afgesloten voor een huis.",
            acting_user=officer(world),
        )


# --- Working on a dossier -------------------------------------------------------------


def test_work_needs_the_dossier_to_be_taken_on(world: World) -> None:
    dossier = services.open_dossier(
        employee=world.subject,
        kind=ScreeningDossier.Kind.INITIAL,
        reason="t",
        acting_user=officer(world),
    )
    with pytest.raises(ValidationError, match="Take this dossier on first"):
        services.record_interview(dossier=dossier, held_on=days_ago(0), acting_user=officer(world))
    dossier = services.take_dossier(dossier=dossier, acting_user=officer(world))
    assert dossier.status == ScreeningDossier.Status.IN_PROGRESS
    assert dossier.assigned_to == officer(world)


def test_a_colleague_takes_over_and_it_is_recorded(world: World) -> None:
    dossier = taken_dossier(world)
    second = UserFactory(username="screener2")
    core_services.assign_role(
        user=second,
        role=Role.SCREENING_OFFICER,
        unit=world.units["AM"],
        acting_user=None,
        reason="t",
    )
    with pytest.raises(ValidationError, match="assigned to"):
        services.record_interview(dossier=dossier, held_on=days_ago(1), acting_user=second)
    services.take_dossier(dossier=dossier, acting_user=second)
    assert dossier.history.first().history_change_reason.startswith("Overgenomen van")


def test_the_interview_invites_the_employee_to_evaluate(world: World) -> None:
    employee = world.employee_of(Role.EMPLOYEE)
    dossier = taken_dossier(world, employee)
    services.record_interview(dossier=dossier, held_on=days_ago(1), acting_user=officer(world))
    invitation = EvaluationInvitation.objects.get(dossier=dossier)
    assert not invitation.answered
    message = Notification.objects.get(recipient=world.user(Role.EMPLOYEE))
    assert message.url.endswith(f"/screening/mine/evaluation/{invitation.pk}/")
    # Recording it again (a correction) does not invite twice.
    services.record_interview(dossier=dossier, held_on=days_ago(2), acting_user=officer(world))
    assert EvaluationInvitation.objects.filter(dossier=dossier).count() == 1


def test_the_interview_date_must_be_plausible(world: World) -> None:
    dossier = taken_dossier(world)
    with pytest.raises(ValidationError, match="precede"):
        services.record_interview(dossier=dossier, held_on=days_ago(60), acting_user=officer(world))
    with pytest.raises(ValidationError, match="future"):
        services.record_interview(dossier=dossier, held_on=days_ago(-1), acting_user=officer(world))


def test_a_screening_passes_only_after_the_interview(world: World) -> None:
    dossier = taken_dossier(world)
    with pytest.raises(ValidationError, match="without the screening interview"):
        services.close_dossier(
            dossier=dossier,
            outcome=ScreeningDossier.Outcome.NO_CONCERNS,
            reason="Geen risico's.",
            acting_user=officer(world),
        )
    # Lapsed needs no interview (e.g. the employee left before it).
    services.close_dossier(
        dossier=dossier,
        outcome=ScreeningDossier.Outcome.LAPSED,
        reason="Uit dienst getreden.",
        acting_user=officer(world),
    )
    dossier.refresh_from_db()
    assert dossier.status == ScreeningDossier.Status.CLOSED


def test_closing_needs_reasons_and_tells_the_employee(world: World) -> None:
    employee = world.employee_of(Role.EMPLOYEE)
    dossier = taken_dossier(world, employee)
    services.record_interview(dossier=dossier, held_on=days_ago(2), acting_user=officer(world))
    with pytest.raises(ValidationError, match="reasons"):
        services.close_dossier(
            dossier=dossier,
            outcome=ScreeningDossier.Outcome.NO_CONCERNS,
            reason="  ",
            acting_user=officer(world),
        )
    services.close_dossier(
        dossier=dossier,
        outcome=ScreeningDossier.Outcome.AGREEMENTS,
        reason="Afspraak over nevenwerk.",
        closed_on=days_ago(1),
        acting_user=officer(world),
    )
    assert Notification.objects.filter(
        recipient=world.user(Role.EMPLOYEE), subject="News about your screening"
    ).exists()
    assert rules.last_screened_on(employee) == days_ago(1)
    with pytest.raises(ValidationError, match="closed"):
        services.close_dossier(
            dossier=dossier,
            outcome=ScreeningDossier.Outcome.NO_CONCERNS,
            reason="x",
            acting_user=officer(world),
        )


def test_a_conflict_declared_after_opening_stops_the_work(world: World) -> None:
    dossier = taken_dossier(world)
    core_services.declare_conflict(
        user=officer(world), employee=world.subject, reason="familie", acting_user=officer(world)
    )
    with pytest.raises(PermissionDenied):
        services.record_interview(dossier=dossier, held_on=days_ago(1), acting_user=officer(world))


# --- The evaluation -------------------------------------------------------------------


def test_an_evaluation_is_stored_without_a_link_to_the_person(world: World) -> None:
    invitation = invitation_for(world, world.employee_of(Role.EMPLOYEE))
    history_before = invitation.history.count()
    services.submit_evaluation(
        invitation=invitation, answers=EVALUATION_ANSWERS, acting_user=world.user(Role.EMPLOYEE)
    )
    response = EvaluationResponse.objects.get()
    interview = invitation.dossier.interview_held_on
    assert (response.year, response.quarter) == (interview.year, (interview.month - 1) // 3 + 1)
    assert response.unit == world.units["AM"]
    field_names = {f.name for f in EvaluationResponse._meta.get_fields()}
    assert not field_names & {"invitation", "dossier", "employee", "created_at", "submitted_at"}
    assert not hasattr(EvaluationResponse, "history")
    invitation.refresh_from_db()
    assert invitation.answered
    # The claim writes no history row: it would timestamp the answer.
    assert invitation.history.count() == history_before


def test_an_evaluation_is_answered_once_and_only_by_the_invited(world: World) -> None:
    invitation = invitation_for(world, world.employee_of(Role.EMPLOYEE))
    with pytest.raises(PermissionDenied):
        services.submit_evaluation(
            invitation=invitation, answers=EVALUATION_ANSWERS, acting_user=officer(world)
        )
    services.submit_evaluation(
        invitation=invitation, answers=EVALUATION_ANSWERS, acting_user=world.user(Role.EMPLOYEE)
    )
    with pytest.raises(ValidationError, match="already been answered"):
        services.submit_evaluation(
            invitation=invitation, answers=EVALUATION_ANSWERS, acting_user=world.user(Role.EMPLOYEE)
        )
    assert EvaluationResponse.objects.count() == 1


def test_an_evaluation_refuses_unknown_or_invalid_answers(world: World) -> None:
    invitation = invitation_for(world, world.employee_of(Role.EMPLOYEE))
    with pytest.raises(ValidationError, match="Unknown questions"):
        services.submit_evaluation(
            invitation=invitation,
            answers={**EVALUATION_ANSWERS, "unit_id": 1},
            acting_user=world.user(Role.EMPLOYEE),
        )
    invitation.refresh_from_db()
    assert not invitation.answered  # the refusal rolled the claim back
    with pytest.raises(ValidationError):
        services.submit_evaluation(
            invitation=invitation,
            answers={**EVALUATION_ANSWERS, "q1_overall": 9},
            acting_user=world.user(Role.EMPLOYEE),
        )


def test_add_months_clamps_the_day() -> None:
    # The policy's interval arithmetic relies on it.
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)

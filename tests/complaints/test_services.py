"""Complaints services: every rule of the procedure they enforce, and its terms."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from complaints import rules, services
from complaints.models import ComplainantContact, Complaint, Hearing
from tests.complaints.helpers import (
    CONTACT,
    assigned,
    days_ago,
    decided,
    handler,
    heard,
    register,
    theme,
)
from tests.conftest import World
from tests.factories import EmployeeFactory, UserFactory
from vik import services as core_services
from vik.models import Notification
from vik.roles import Role

pytestmark = pytest.mark.django_db

D = datetime.date
W = datetime.timedelta(weeks=1)


def second_handler(world: World, *, team: str = "AM-VIK", unit: str = "AM"):
    user = UserFactory(username=f"klachten-{team.lower()}")
    EmployeeFactory(unit=world.units["AM"], team=world.units[team], user=user)
    core_services.assign_role(
        user=user, role=Role.COMPLAINT_HANDLER, unit=world.units[unit], acting_user=None, reason="t"
    )
    return user


# --- The terms ------------------------------------------------------------------------


def test_the_decision_terms(world: World) -> None:
    complaint = Complaint(received_on=D(2026, 3, 2))
    assert rules.decision_deadline(complaint) == D(2026, 5, 11)  # 10 weeks
    complaint.committee_requested_on = D(2026, 3, 20)
    assert rules.decision_deadline(complaint) == D(2026, 6, 8)  # 14 weeks
    complaint.extended_on = D(2026, 6, 1)
    assert rules.decision_deadline(complaint) == D(2026, 7, 6)  # + 4 weeks
    complaint.consent_deadline = D(2026, 9, 1)
    assert rules.decision_deadline(complaint) == D(2026, 9, 1)  # with written consent
    assert rules.statutory_deadline(complaint) == D(2026, 7, 6)


def test_conduct_more_than_a_year_old() -> None:
    received = D(2026, 3, 15)
    assert not rules.conduct_is_too_old(conduct_on=D(2025, 3, 15), received_on=received)
    assert rules.conduct_is_too_old(conduct_on=D(2025, 3, 14), received_on=received)
    assert rules.not_taken_up_letter_due(Complaint(received_on=received)) == D(2026, 4, 12)
    assert rules.ombudsman_deadline(D(2026, 5, 31)) == D(2027, 5, 31)


# --- Registration ---------------------------------------------------------------------


def test_registration_keeps_the_contact_apart_and_sets_the_term(world: World) -> None:
    complaint = register(world, received_on=D(2026, 3, 2))
    assert complaint.deadline == D(2026, 5, 11)
    assert complaint.phase == Complaint.Phase.INTAKE
    assert ComplainantContact.objects.get(complaint=complaint).postcode == "1011 AB"
    assert "name" not in {f.name for f in Complaint._meta.fields}
    assert list(complaint.themes.all()) == [theme()]
    assert complaint.history.first().history_user == handler(world)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # Callables: dates are read when the test runs, not at import (a run may cross midnight).
        (lambda: {"conduct_on": days_ago(1), "received_on": days_ago(2)}, "after the complaint"),
        (lambda: {"received_on": days_ago(-1)}, "future"),
        (lambda: {"themes": []}, "at least one theme"),
        (lambda: {"summary": "  "}, "what the complaint is about"),
        (lambda: {"contact": services.ContactDetails(name=" ")}, "name"),
    ],
)
def test_registration_refuses_incomplete_complaints(
    world: World, changes: Callable[[], dict], message: str
) -> None:
    kwargs = {
        "unit": world.units["AM-D1-T1"],
        "received_on": days_ago(5),
        "conduct_on": days_ago(6),
        "channel": Complaint.Channel.LETTER,
        "summary": "Onbeschoft.",
        "themes": [theme()],
        "contact": CONTACT,
        "acting_user": handler(world),
    } | changes()
    with pytest.raises(ValidationError, match=message):
        services.register_complaint(**kwargs)


def test_an_inactive_theme_cannot_be_chosen(world: World) -> None:
    old = theme("overig")
    old.is_active = False
    old.save()
    with pytest.raises(ValidationError, match="in use"):
        services.register_complaint(
            unit=world.units["AM-D1-T1"],
            received_on=days_ago(5),
            conduct_on=days_ago(6),
            channel=Complaint.Channel.LETTER,
            summary="x",
            themes=[old],
            contact=CONTACT,
            acting_user=handler(world),
        )


def test_registration_outside_the_scope_is_refused(world: World) -> None:
    with pytest.raises(PermissionDenied):
        register(world, unit=world.units["DH-T1"], employees=[])


def test_named_employees_must_work_in_the_unit(world: World) -> None:
    with pytest.raises(ValidationError, match="Only employees of"):
        register(world, employees=[world.outsider])
    with pytest.raises(ValidationError, match="Only employees of"):
        register(world, employees=[world.colleague])  # AM-D1-T2, not the subject's team


def test_nobody_registers_a_complaint_about_themself_or_a_conflict(world: World) -> None:
    with pytest.raises(ValidationError, match="yourself"):
        register(
            world, unit=world.units["AM-VIK"], employees=[world.employee_of(Role.COMPLAINT_HANDLER)]
        )
    core_services.declare_conflict(
        user=handler(world), employee=world.subject, reason="buur", acting_user=handler(world)
    )
    with pytest.raises(ValidationError, match="conflict of interest"):
        register(world)


# --- The handler ----------------------------------------------------------------------


def test_the_handler_must_confirm_not_being_involved(world: World) -> None:
    complaint = register(world)
    with pytest.raises(ValidationError, match="not involved"):
        services.assign_handler(
            complaint=complaint,
            handler=handler(world),
            not_involved_confirmed=False,
            acting_user=handler(world),
        )


def test_a_handler_complained_about_is_refused(world: World) -> None:
    second = second_handler(world)
    complaint = register(
        world,
        unit=world.units["AM-VIK"],
        employees=[world.employee_of(Role.COMPLAINT_HANDLER)],
        acting_user=second,
    )
    with pytest.raises(ValidationError, match="is one of the employees complained about"):
        services.assign_handler(
            complaint=complaint,
            handler=handler(world),
            not_involved_confirmed=True,
            acting_user=second,
        )


def test_a_handler_in_the_same_team_is_refused(world: World) -> None:
    teammate = second_handler(world, team="AM-D1-T1")
    complaint = register(world)
    with pytest.raises(ValidationError, match="works in the same team as"):
        services.assign_handler(
            complaint=complaint,
            handler=teammate,
            not_involved_confirmed=True,
            acting_user=handler(world),
        )


def test_a_handler_who_leads_the_team_is_refused(world: World) -> None:
    chief = world.user(Role.TEAM_CHIEF)
    core_services.assign_role(
        user=chief,
        role=Role.COMPLAINT_HANDLER,
        unit=world.units["AM"],
        acting_user=None,
        reason="t",
    )
    # The chief's own employee record is in the subject's team too; move it out to test the
    # chain on its own.
    chief.employee.team = world.units["AM-VIK"]
    chief.employee.save()
    complaint = register(world)
    with pytest.raises(ValidationError, match="leads the team of"):
        services.assign_handler(
            complaint=complaint,
            handler=chief,
            not_involved_confirmed=True,
            acting_user=handler(world),
        )


def test_a_handler_led_by_the_employee_complained_about_is_refused(world: World) -> None:
    boss = UserFactory(username="subject-login")
    world.subject.user = boss
    world.subject.save()
    core_services.assign_role(
        user=boss, role=Role.TEAM_CHIEF, unit=world.units["AM-VIK"], acting_user=None, reason="t"
    )
    complaint = register(world)
    with pytest.raises(ValidationError, match="leads the team of"):
        services.assign_handler(
            complaint=complaint,
            handler=handler(world),
            not_involved_confirmed=True,
            acting_user=handler(world),
        )


def test_a_conflicted_handler_is_refused_and_outsiders_too(world: World) -> None:
    second = second_handler(world)
    complaint = register(world)
    core_services.declare_conflict(
        user=second, employee=world.subject, reason="buur", acting_user=second
    )
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.assign_handler(
            complaint=complaint,
            handler=second,
            not_involved_confirmed=True,
            acting_user=handler(world),
        )
    den_haag = UserFactory(username="klachten-dh")
    core_services.assign_role(
        user=den_haag,
        role=Role.COMPLAINT_HANDLER,
        unit=world.units["DH"],
        acting_user=None,
        reason="t",
    )
    with pytest.raises(ValidationError, match="does not handle complaints about"):
        services.assign_handler(
            complaint=complaint,
            handler=den_haag,
            not_involved_confirmed=True,
            acting_user=handler(world),
        )


def test_assignment_by_a_colleague_notifies_the_handler(world: World) -> None:
    second = second_handler(world)
    complaint = register(world)
    services.assign_handler(
        complaint=complaint, handler=second, not_involved_confirmed=True, acting_user=handler(world)
    )
    message = Notification.objects.get(recipient=second)
    assert world.subject.last_name not in message.subject + message.body
    assert complaint.history.first().history_change_reason.startswith("Behandelaar toegewezen")


def test_naming_an_employee_the_handler_may_not_handle_is_refused(world: World) -> None:
    teammate_of_handler = EmployeeFactory(unit=world.units["AM"], team=world.units["AM-VIK"])
    complaint = assigned(world, unit=world.units["AM"], employees=[])
    with pytest.raises(ValidationError, match="Assign another handler"):
        services.add_employee(
            complaint=complaint, employee=teammate_of_handler, acting_user=handler(world)
        )
    services.add_employee(complaint=complaint, employee=world.subject, acting_user=handler(world))
    with pytest.raises(ValidationError, match="already named"):
        services.add_employee(
            complaint=complaint, employee=world.subject, acting_user=handler(world)
        )


def test_only_the_handler_works_on_an_assigned_complaint(world: World) -> None:
    second = second_handler(world)
    complaint = assigned(world)
    with pytest.raises(PermissionDenied):
        services.start_formal(complaint=complaint, acting_user=second)
    with pytest.raises(ValidationError, match="Assign a handler"):
        services.start_formal(complaint=register(world), acting_user=handler(world))


# --- Phases ---------------------------------------------------------------------------


def test_an_informal_resolution_closes_the_complaint(world: World) -> None:
    complaint = assigned(world)
    services.start_informal(complaint=complaint, started_on=days_ago(8), acting_user=handler(world))
    with pytest.raises(ValidationError, match="how the informal resolution went"):
        services.finish_informal(
            complaint=complaint,
            outcome=Complaint.InformalOutcome.RESOLVED,
            note="",
            acting_user=handler(world),
        )
    services.finish_informal(
        complaint=complaint,
        outcome=Complaint.InformalOutcome.RESOLVED,
        note="Gesprek met teamchef; klager tevreden.",
        finished_on=days_ago(2),
        acting_user=handler(world),
    )
    complaint.refresh_from_db()
    assert (complaint.phase, complaint.closure) == (
        Complaint.Phase.CLOSED,
        Complaint.Closure.RESOLVED_INFORMALLY,
    )


def test_an_unresolved_informal_phase_goes_on_formally(world: World) -> None:
    complaint = assigned(world)
    services.start_informal(complaint=complaint, started_on=days_ago(8), acting_user=handler(world))
    services.finish_informal(
        complaint=complaint,
        outcome=Complaint.InformalOutcome.NOT_RESOLVED,
        note="Klager wil een oordeel.",
        finished_on=days_ago(2),
        acting_user=handler(world),
    )
    complaint.refresh_from_db()
    assert complaint.phase == Complaint.Phase.FORMAL
    assert complaint.formal_started_on == days_ago(2)


def test_a_decision_needs_every_party_heard(world: World) -> None:
    complaint = assigned(world)
    user = handler(world)
    services.start_formal(complaint=complaint, acting_user=user)
    decide = lambda: services.decide(  # noqa: E731
        complaint=complaint,
        outcome="unfounded",
        reasoning="Zorgvuldig onderzocht en ongegrond bevonden.",
        acting_user=user,
    )
    with pytest.raises(ValidationError, match=r"offer a hearing to: the complainant, .*Subject"):
        decide()
    services.offer_hearing(complaint=complaint, party=Hearing.Party.COMPLAINANT, acting_user=user)
    services.offer_hearing(
        complaint=complaint, party=Hearing.Party.EMPLOYEE, employee=world.subject, acting_user=user
    )
    with pytest.raises(ValidationError, match="Record how these hearings went"):
        decide()
    complainant, employee = complaint.hearings.order_by("party")
    with pytest.raises(ValidationError, match="report"):
        services.record_hearing(
            hearing=complainant, status=Hearing.Status.HELD, held_on=days_ago(0), acting_user=user
        )
    with pytest.raises(ValidationError, match="always be given the opportunity"):
        services.record_hearing(
            hearing=employee,
            status=Hearing.Status.WAIVED,
            note="kennelijk ongegrond",
            acting_user=user,
        )
    services.record_hearing(
        hearing=complainant,
        status=Hearing.Status.WAIVED,
        note="Kennelijk ongegrond: camerabeelden.",
        acting_user=user,
    )
    services.record_hearing(hearing=employee, status=Hearing.Status.DECLINED, acting_user=user)
    decision = decide()
    complaint.refresh_from_db()
    assert complaint.closure == Complaint.Closure.DECIDED
    assert decision.decided_by == user


def test_a_hearing_is_offered_once_per_party(world: World) -> None:
    complaint = heard(world)
    with pytest.raises(ValidationError, match="already been offered"):
        services.offer_hearing(
            complaint=complaint, party=Hearing.Party.COMPLAINANT, acting_user=handler(world)
        )
    with pytest.raises(ValidationError, match="one of the employees complained about"):
        services.offer_hearing(
            complaint=complaint,
            party=Hearing.Party.EMPLOYEE,
            employee=world.colleague,
            acting_user=handler(world),
        )


def test_a_decision_gives_its_reasons(world: World) -> None:
    complaint = heard(world)
    with pytest.raises(ValidationError, match="gives its reasons"):
        services.decide(
            complaint=complaint, outcome="founded", reasoning="Gegrond.", acting_user=handler(world)
        )


def test_the_committee_makes_it_14_weeks_and_its_advice_is_awaited(world: World) -> None:
    complaint = heard(world, received_on=D(2026, 3, 2))
    user = handler(world)
    services.request_committee_advice(
        complaint=complaint, requested_on=D(2026, 3, 20), acting_user=user
    )
    complaint.refresh_from_db()
    assert complaint.deadline == D(2026, 6, 8)
    with pytest.raises(ValidationError, match="advice has not been recorded"):
        services.decide(
            complaint=complaint, outcome="founded", reasoning="x" * 30, acting_user=user
        )
    services.record_committee_advice(
        complaint=complaint,
        advice="Gegrond verklaren.",
        received_on=D(2026, 5, 1),
        acting_user=user,
    )
    with pytest.raises(ValidationError, match="why the decision departs"):
        services.decide(
            complaint=complaint,
            outcome="unfounded",
            reasoning="x" * 30,
            departs_from_advice=True,
            acting_user=user,
        )
    decision = services.decide(
        complaint=complaint,
        outcome="unfounded",
        reasoning="De beelden tonen een rustig optreden.",
        departs_from_advice=True,
        departure_reason="De commissie kende de camerabeelden niet.",
        decided_on=D(2026, 5, 20),
        acting_user=user,
    )
    assert decision.departs_from_advice


def test_the_committee_is_asked_before_the_term_ends(world: World) -> None:
    complaint = heard(world, received_on=D(2026, 1, 5))  # 10 weeks: 16 March
    with pytest.raises(ValidationError, match="before the term ends"):
        services.request_committee_advice(
            complaint=complaint, requested_on=D(2026, 3, 17), acting_user=handler(world)
        )


def test_departing_from_advice_needs_advice(world: World) -> None:
    complaint = heard(world)
    with pytest.raises(ValidationError, match="no committee advice"):
        services.decide(
            complaint=complaint,
            outcome="founded",
            reasoning="x" * 30,
            departs_from_advice=True,
            departure_reason="x",
            acting_user=handler(world),
        )


# --- Terms ----------------------------------------------------------------------------


def test_the_term_is_extended_once_by_four_weeks_before_it_ends(world: World) -> None:
    complaint = assigned(world, received_on=D(2026, 3, 2))  # due 11 May
    user = handler(world)
    with pytest.raises(ValidationError, match="expired term"):
        services.extend_term(
            complaint=complaint, reason="drukte", extended_on=D(2026, 5, 12), acting_user=user
        )
    with pytest.raises(ValidationError, match="reason"):
        services.extend_term(
            complaint=complaint, reason=" ", extended_on=D(2026, 5, 11), acting_user=user
        )
    services.extend_term(
        complaint=complaint,
        reason="Getuige op vakantie.",
        extended_on=D(2026, 5, 11),
        acting_user=user,
    )
    complaint.refresh_from_db()
    assert complaint.deadline == D(2026, 6, 8)
    with pytest.raises(ValidationError, match="written consent"):
        services.extend_term(
            complaint=complaint, reason="nog eens", extended_on=D(2026, 5, 20), acting_user=user
        )


def test_longer_only_with_the_complainant_s_written_consent(world: World) -> None:
    complaint = assigned(world, received_on=D(2026, 3, 2))
    user = handler(world)
    consent = {
        "consent_received_on": D(2026, 6, 1),
        "new_deadline": D(2026, 7, 15),
        "note": "Klager stemt per brief in met uitstel tot 15 juli.",
        "acting_user": user,
    }
    with pytest.raises(ValidationError, match="extension of 4 weeks first"):
        services.record_consent(complaint=complaint, **consent)
    services.extend_term(
        complaint=complaint, reason="Getuige ziek.", extended_on=D(2026, 5, 1), acting_user=user
    )
    with pytest.raises(ValidationError, match="later than the current one"):
        services.record_consent(complaint=complaint, **{**consent, "new_deadline": D(2026, 6, 8)})
    services.record_consent(complaint=complaint, **consent)
    complaint.refresh_from_db()
    assert complaint.deadline == D(2026, 7, 15)
    assert complaint.consent_received_on == D(2026, 6, 1)


# --- Not taken up, withdrawn, the copy ------------------------------------------------


def test_old_conduct_need_not_be_handled_if_the_letter_goes_within_four_weeks(world: World) -> None:
    complaint = assigned(world, received_on=D(2026, 3, 15), conduct_on=D(2025, 3, 1))
    user = handler(world)
    with pytest.raises(ValidationError, match=r"within 4 weeks of receipt \(by 12-04-2026\)"):
        services.not_taken_up(
            complaint=complaint, reason="Te oud.", letter_on=D(2026, 4, 13), acting_user=user
        )
    services.not_taken_up(
        complaint=complaint, reason="Te oud.", letter_on=D(2026, 4, 12), acting_user=user
    )
    complaint.refresh_from_db()
    assert complaint.closure == Complaint.Closure.NOT_TAKEN_UP


def test_recent_conduct_must_be_handled(world: World) -> None:
    complaint = assigned(world, received_on=D(2026, 3, 15), conduct_on=D(2025, 3, 15))
    with pytest.raises(ValidationError, match="more than a year"):
        services.not_taken_up(
            complaint=complaint, reason="x", letter_on=D(2026, 3, 20), acting_user=handler(world)
        )


def test_a_withdrawn_complaint_is_closed_with_what_was_said(world: World) -> None:
    complaint = assigned(world)
    with pytest.raises(ValidationError, match="complainant said"):
        services.withdraw(complaint=complaint, reason="", acting_user=handler(world))
    services.withdraw(
        complaint=complaint, reason="Per telefoon ingetrokken.", acting_user=handler(world)
    )
    complaint.refresh_from_db()
    assert complaint.closure == Complaint.Closure.WITHDRAWN
    with pytest.raises(ValidationError, match="closed"):
        services.start_formal(complaint=complaint, acting_user=handler(world))


def test_the_copy_for_the_person_complained_about_follows_the_decision(world: World) -> None:
    complaint = heard(world)
    complained = complaint.complained_employees.get()
    with pytest.raises(ValidationError, match="no decision yet"):
        services.note_copy_sent(complained=complained, acting_user=handler(world))
    complaint = decided(world)
    complained = complaint.complained_employees.get()
    with pytest.raises(ValidationError, match="cannot be before"):
        services.note_copy_sent(
            complained=complained, sent_on=complaint.received_on, acting_user=handler(world)
        )
    services.note_copy_sent(complained=complained, acting_user=handler(world))
    complained.refresh_from_db()
    assert complained.copy_sent_on is not None


def test_a_wrongly_named_employee_is_removed_before_the_hearing_only(world: World) -> None:
    complaint = assigned(world)
    complained = complaint.complained_employees.get()
    with pytest.raises(ValidationError, match="reason"):
        services.remove_employee(complained=complained, reason="", acting_user=handler(world))
    services.remove_employee(
        complained=complained, reason="Verkeerde agent.", acting_user=handler(world)
    )
    assert not complaint.complained_employees.exists()
    heard_complaint = heard(world)
    with pytest.raises(ValidationError, match="stays named"):
        services.remove_employee(
            complained=heard_complaint.complained_employees.get(),
            reason="x",
            acting_user=handler(world),
        )


# --- Reminders ------------------------------------------------------------------------


def test_reminders_go_once_per_deadline(world: World) -> None:
    complaint = assigned(world, received_on=D(2026, 3, 2))  # due 11 May
    assert services.send_deadline_reminders(today=D(2026, 5, 3)) == 0
    assert services.send_deadline_reminders(today=D(2026, 5, 4)) == 1
    assert services.send_deadline_reminders(today=D(2026, 5, 5)) == 0
    message = Notification.objects.get(recipient=handler(world))
    assert message.subject == "A complaint's decision term ends within a week"
    assert complaint.reference not in message.subject
    services.extend_term(
        complaint=complaint,
        reason="Getuige ziek.",
        extended_on=D(2026, 5, 5),
        acting_user=handler(world),
    )
    assert (
        services.send_deadline_reminders(today=D(2026, 6, 9)) == 1
    )  # a new deadline: 8 June, passed
    assert (
        Notification.objects.filter(subject="A complaint's decision term has passed").count() == 1
    )


def test_an_unassigned_complaint_reminds_every_handler_who_could_take_it(world: World) -> None:
    second = second_handler(world, unit="AM-D1")
    register(world, received_on=D(2026, 3, 2))
    assert services.send_deadline_reminders(today=D(2026, 5, 10)) == 2
    # (The second handler's role grant was told to the privacy officer: not a reminder.)
    reminders = Notification.objects.filter(url__contains="/complaints/")
    assert {n.recipient for n in reminders} == {handler(world), second}


def test_closed_complaints_get_no_reminder(world: World) -> None:
    decided(world, received_on=D(2026, 3, 2))
    assert services.send_deadline_reminders(today=D(2026, 5, 10)) == 0

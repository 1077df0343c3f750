"""The review workflow's services: decisions with history, reveals logged, people told."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import Case, CaseParty, Channel
from monitoring import services
from monitoring.models import (
    Assignment,
    FollowUp,
    IdentityReveal,
    MonitoringParameter,
    ScopeRule,
    Signal,
)
from tests.conftest import World
from tests.factories import UserFactory
from tests.monitoring.review_factories import make_signal
from vik import services as core
from vik.models import AccessAction, AccessLogEntry, Notification
from vik.roles import Role
from vik.workdays import add_working_days

pytestmark = pytest.mark.django_db

NOTE = "Werkzaamheden voor een lopend onderzoek, navraag gedaan."
KIND = IdentityReveal.ReasonCategory.WORK_REASON
# What the access log says: the kind of reason in Dutch, then the written reason.
LOGGED = f"Werkreden nagaan bij de lijn (rooster of inzet onduidelijk): {NOTE}"


@pytest.fixture
def subject_user(world: World):
    """The world's subject gets a login account, so they can be told."""
    user = UserFactory(username="subject")
    core.link_account(employee=world.subject, user=user, acting_user=None, reason="test")
    return user


@pytest.fixture
def analyst(world: World):
    return world.user(Role.ANALYST)


@pytest.fixture
def second_analyst(world: World):
    user = UserFactory(username="analyst2")
    core.assign_role(
        user=user, role=Role.ANALYST, unit=world.units["AM"], acting_user=None, reason="test"
    )
    return user


def four_eyes(on: bool) -> None:
    MonitoringParameter.objects.filter(key="review.four_eyes_reveal").update(value=int(on))


def reveals_logged(signal: Signal) -> list[AccessLogEntry]:
    return list(
        AccessLogEntry.objects.filter(
            action=AccessAction.REVEAL, object_type="monitoring.signal", object_id=str(signal.pk)
        )
    )


# --- claim ------------------------------------------------------------------------------


def test_claiming_puts_the_signal_in_review_with_history(world: World, analyst) -> None:
    signal = make_signal(world.subject)
    services.claim_signal(signal=signal, acting_user=analyst)
    signal.refresh_from_db()
    assert signal.status == Signal.Status.IN_REVIEW
    assert signal.assigned_to == analyst
    assert signal.history.first().history_user == analyst


def test_an_analyst_cannot_act_on_a_signal_outside_their_units(world: World, analyst) -> None:
    signal = make_signal(world.outsider)
    with pytest.raises(PermissionDenied):
        services.claim_signal(signal=signal, acting_user=analyst)
    with pytest.raises(PermissionDenied):
        services.dismiss_signal(signal=signal, category="other", note=NOTE, acting_user=analyst)


def test_nobody_acts_on_a_signal_about_themself(world: World, analyst) -> None:
    signal = make_signal(world.employee_of(Role.ANALYST))
    with pytest.raises(PermissionDenied):
        services.request_reveal(
            signal=signal, reason_category=KIND, reason=NOTE, acting_user=analyst
        )


# --- reveal -----------------------------------------------------------------------------


def test_a_reveal_without_four_eyes_is_shown_at_once_and_logged(world: World, analyst) -> None:
    four_eyes(False)
    signal = make_signal(world.subject)
    reveal = services.request_reveal(
        signal=signal, reason_category=KIND, reason=NOTE, acting_user=analyst
    )
    assert reveal.status == IdentityReveal.Status.APPROVED
    assert reveal.revealed_at is not None
    [entry] = reveals_logged(signal)
    assert entry.actor == analyst
    assert entry.employee_id == world.subject.pk
    assert entry.purpose == LOGGED
    assert reveal.reason_category == KIND
    assert reveal.revealed_at == entry.occurred_at  # counted in the same quarter as the log
    # Asking again shows the same reveal; the log is not written twice.
    assert (
        services.request_reveal(
            signal=signal, reason_category=KIND, reason=NOTE, acting_user=analyst
        )
        == reveal
    )
    assert len(reveals_logged(signal)) == 1


@pytest.mark.parametrize("kind", ["", "unknown", IdentityReveal.ReasonCategory.ESCALATION])
def test_a_reveal_needs_a_kind_of_reason_the_analyst_may_choose(
    world: World, analyst, kind: str
) -> None:
    signal = make_signal(world.subject)
    with pytest.raises(ValidationError) as refused:
        services.request_reveal(
            signal=signal, reason_category=kind, reason=NOTE, acting_user=analyst
        )
    assert refused.value.code == "reason_category"
    assert not IdentityReveal.objects.exists()
    assert reveals_logged(signal) == []


def test_a_long_reason_is_cut_to_fit_the_access_log(world: World, analyst) -> None:
    four_eyes(False)
    signal = make_signal(world.subject)
    reason = "Nagaan van de werkzaamheden. " * 30
    reveal = services.request_reveal(
        signal=signal, reason_category=KIND, reason=reason, acting_user=analyst
    )
    [entry] = reveals_logged(signal)
    assert len(entry.purpose) == 500
    assert entry.purpose.startswith("Werkreden nagaan bij de lijn")
    assert reveal.reason == reason.strip()  # the reveal keeps all of it


def test_a_reveal_needs_a_written_reason(world: World, analyst) -> None:
    signal = make_signal(world.subject)
    with pytest.raises(ValidationError):
        services.request_reveal(
            signal=signal, reason_category=KIND, reason="  kort ", acting_user=analyst
        )
    assert not IdentityReveal.objects.exists()
    assert reveals_logged(signal) == []


def test_four_eyes_needs_a_second_analyst(world: World, analyst, second_analyst) -> None:
    four_eyes(True)
    signal = make_signal(world.subject)
    reveal = services.request_reveal(
        signal=signal, reason_category=KIND, reason=NOTE, acting_user=analyst
    )
    assert reveal.status == IdentityReveal.Status.REQUESTED
    assert reveals_logged(signal) == []
    # The second analyst is told; the requester cannot approve their own request.
    assert Notification.objects.filter(recipient=second_analyst).exists()
    with pytest.raises(ValidationError):
        services.decide_reveal(reveal=reveal, approve=True, acting_user=analyst)
    with pytest.raises(ValidationError):
        services.reveal_identity(reveal=reveal, acting_user=analyst)
    services.decide_reveal(reveal=reveal, approve=True, acting_user=second_analyst)
    reveal.refresh_from_db()
    assert reveal.approved_by == second_analyst
    # Approving does not show the approver the name.
    assert reveals_logged(signal) == []
    with pytest.raises(PermissionDenied):
        services.reveal_identity(reveal=reveal, acting_user=second_analyst)
    services.reveal_identity(reveal=reveal, acting_user=analyst)
    [entry] = reveals_logged(signal)
    assert entry.actor == analyst


def test_a_refusal_needs_a_reason_and_reveals_nothing(
    world: World, analyst, second_analyst
) -> None:
    four_eyes(True)
    signal = make_signal(world.subject)
    reveal = services.request_reveal(
        signal=signal, reason_category=KIND, reason=NOTE, acting_user=analyst
    )
    with pytest.raises(ValidationError):
        services.decide_reveal(reveal=reveal, approve=False, note="", acting_user=second_analyst)
    services.decide_reveal(
        reveal=reveal,
        approve=False,
        note="Niet nodig voor de beoordeling.",
        acting_user=second_analyst,
    )
    reveal.refresh_from_db()
    assert reveal.status == IdentityReveal.Status.REFUSED
    with pytest.raises(ValidationError):
        services.reveal_identity(reveal=reveal, acting_user=analyst)
    assert reveals_logged(signal) == []


def test_a_second_analyst_who_cannot_see_the_signal_cannot_decide(world: World, analyst) -> None:
    four_eyes(True)
    outsider_analyst = UserFactory(username="analyst-dh")
    core.assign_role(
        user=outsider_analyst,
        role=Role.ANALYST,
        unit=world.units["DH"],
        acting_user=None,
        reason="test",
    )
    signal = make_signal(world.subject)
    reveal = services.request_reveal(
        signal=signal, reason_category=KIND, reason=NOTE, acting_user=analyst
    )
    with pytest.raises(PermissionDenied):
        services.decide_reveal(reveal=reveal, approve=True, acting_user=outsider_analyst)


# --- dismiss ----------------------------------------------------------------------------


def test_dismissing_records_category_text_and_history(world: World, analyst) -> None:
    signal = make_signal(world.subject)
    services.dismiss_signal(signal=signal, category="work_reason", note=NOTE, acting_user=analyst)
    signal.refresh_from_db()
    assert signal.status == Signal.Status.DISMISSED
    assert signal.disposition == "work_reason"
    assert signal.disposition_note == NOTE
    assert signal.decided_by == analyst
    assert signal.decided_at is not None
    assert signal.employee_notified_at is None  # listed in the employee's overview instead
    assert signal.history.first().history_change_reason == "Signaal afgedaan"
    with pytest.raises(ValidationError):
        services.dismiss_signal(signal=signal, category="other", note=NOTE, acting_user=analyst)


def test_a_dismissal_needs_a_known_category_and_an_explanation(world: World, analyst) -> None:
    signal = make_signal(world.subject)
    with pytest.raises(ValidationError):
        services.dismiss_signal(signal=signal, category="explained", note=NOTE, acting_user=analyst)
    with pytest.raises(ValidationError):
        services.dismiss_signal(signal=signal, category="other", note="ok", acting_user=analyst)


def test_a_dismissal_records_the_missing_assignment(world: World, analyst) -> None:
    signal = make_signal(world.subject)
    until = timezone.localdate() + datetime.timedelta(days=30)
    services.dismiss_signal(
        signal=signal,
        category="work_reason",
        note=NOTE,
        rule=services.FeedbackRule(kind="assignment", incident_ref="INC-1", valid_until=until),
        acting_user=analyst,
    )
    assignment = Assignment.objects.get(employee=world.subject, incident_ref="INC-1")
    assert assignment.source == Assignment.Source.REVIEW
    assert assignment.end is not None
    assert assignment.created_by == analyst
    assert str(signal.pk) in assignment.reason


def test_a_dismissal_records_an_authorisation_for_one_subject(world: World, analyst) -> None:
    signal = make_signal(world.subject)
    until = timezone.localdate() + datetime.timedelta(days=90)
    services.dismiss_signal(
        signal=signal,
        category="authorised",
        note=NOTE,
        rule=services.FeedbackRule(kind="subject", subject_ref="SUBJ-0", valid_until=until),
        acting_user=analyst,
    )
    rule = ScopeRule.objects.get(employee=world.subject)
    assert rule.source == ScopeRule.Source.REVIEW
    assert rule.scope == ScopeRule.Scope.SUBJECT
    assert rule.subject_ref == "SUBJ-0"
    assert rule.valid_until == until


def test_a_rule_names_only_what_the_evidence_shows_and_expires(world: World, analyst) -> None:
    signal = make_signal(world.subject)
    soon = timezone.localdate() + datetime.timedelta(days=30)
    with pytest.raises(ValidationError):
        services.dismiss_signal(
            signal=signal,
            category="authorised",
            note=NOTE,
            rule=services.FeedbackRule(
                kind="subject", subject_ref="SOMEONE-ELSE", valid_until=soon
            ),
            acting_user=analyst,
        )
    with pytest.raises(ValidationError):
        services.dismiss_signal(
            signal=signal,
            category="authorised",
            note=NOTE,
            rule=services.FeedbackRule(
                kind="subject",
                subject_ref="SUBJ-0",
                valid_until=timezone.localdate() + datetime.timedelta(days=400),
            ),
            acting_user=analyst,
        )
    signal.refresh_from_db()
    assert signal.status == Signal.Status.NEW
    assert not ScopeRule.objects.filter(employee=world.subject).exists()


def test_bulk_dismiss_touches_only_visible_open_signals_of_the_group(world: World, analyst) -> None:
    key = "burst:s:CELEB-1:2026-10-20"
    mine = [
        make_signal(world.subject, codes=("celebrity_burst",), group_key=key),
        make_signal(world.colleague, codes=("celebrity_burst",), group_key=key),
    ]
    hidden = make_signal(world.outsider, codes=("celebrity_burst",), group_key=key)
    other = make_signal(world.subject, codes=("off_duty",), window_start=datetime.date(2026, 11, 2))
    count = services.bulk_dismiss(
        group_key=key,
        category="other",
        note="Nieuwsgierigheid na nieuwsbericht, besproken.",
        acting_user=analyst,
    )
    assert count == 2
    for signal in mine:
        signal.refresh_from_db()
        assert signal.status == Signal.Status.DISMISSED
    hidden.refresh_from_db()
    other.refresh_from_db()
    assert hidden.status == Signal.Status.NEW
    assert other.status == Signal.Status.NEW
    with pytest.raises(ValidationError):
        services.bulk_dismiss(group_key=key, category="other", note=NOTE, acting_user=analyst)


# --- escalate to the team chief ---------------------------------------------------------


def test_escalation_creates_the_followup_reveals_and_tells_chief_and_employee(
    world: World, analyst, subject_user
) -> None:
    signal = make_signal(world.subject)
    followup = services.escalate_to_team_chief(
        signal=signal, summary="Drie raadplegingen buiten het rooster.", acting_user=analyst
    )
    signal.refresh_from_db()
    assert signal.status == Signal.Status.ESCALATED
    assert followup.team == world.units["AM-D1-T1"]
    assert followup.employee == world.subject
    assert followup.due_on == add_working_days(timezone.localdate(), 10)
    # The name is revealed at the latest now, and logged, as "automatic at escalation".
    reveal = IdentityReveal.objects.get(signal=signal, requested_by=analyst)
    assert reveal.revealed_at
    assert reveal.reason_category == IdentityReveal.ReasonCategory.ESCALATION
    [entry] = reveals_logged(signal)
    assert entry.purpose == "Automatisch bij escalatie: Doorgezet naar de teamchef"
    chief = world.user(Role.TEAM_CHIEF)
    [to_chief] = Notification.objects.filter(recipient=chief)
    assert "gesprek" in to_chief.subject.lower()
    assert "Drie" not in to_chief.subject + to_chief.body  # no details
    [to_employee] = Notification.objects.filter(recipient=subject_user)
    assert "raadplegingen" not in to_employee.body
    assert signal.employee_notified_at is not None


def test_a_name_revealed_before_the_escalation_keeps_its_kind(world: World, analyst) -> None:
    four_eyes(False)
    signal = make_signal(world.subject)
    services.request_reveal(
        signal=signal,
        reason_category=IdentityReveal.ReasonCategory.FOLLOW_UP,
        reason=NOTE,
        acting_user=analyst,
    )
    services.escalate_to_team_chief(signal=signal, summary=NOTE, acting_user=analyst)
    [reveal] = IdentityReveal.objects.filter(signal=signal)
    assert reveal.reason_category == IdentityReveal.ReasonCategory.FOLLOW_UP
    assert len(reveals_logged(signal)) == 1


def test_escalation_without_a_team_chief_is_refused(world: World, analyst) -> None:
    signal = make_signal(world.colleague)  # AM-D1-T2 has no chief
    with pytest.raises(ValidationError):
        services.escalate_to_team_chief(signal=signal, summary=NOTE, acting_user=analyst)
    signal.refresh_from_db()
    assert signal.status == Signal.Status.NEW
    assert not FollowUp.objects.exists()


def test_a_conflicted_chief_is_not_asked(world: World, analyst) -> None:
    chief = world.user(Role.TEAM_CHIEF)
    core.declare_conflict(user=chief, employee=world.subject, reason="zwager", acting_user=chief)
    signal = make_signal(world.subject)
    with pytest.raises(ValidationError):
        services.escalate_to_team_chief(signal=signal, summary=NOTE, acting_user=analyst)


def open_case_about(world: World) -> Case:
    """A report about the subject, open with VIK (registered by the system)."""
    from cases.services import register_report

    return register_report(
        channel=Channel.INTERNAL,
        summary="Vermoeden van lekken.",
        concerned_employees=[world.subject],
        acting_user=None,
    )


def nobody_told(world: World, subject_user) -> bool:
    chief = world.user(Role.TEAM_CHIEF)
    return not Notification.objects.filter(recipient__in=[chief, subject_user]).exists()


def test_a_matter_with_vik_refuses_the_team_chief_and_tells_nobody(
    world: World, analyst, subject_user
) -> None:
    open_case_about(world)
    signal = make_signal(world.subject)
    with pytest.raises(ValidationError) as refused:
        services.escalate_to_team_chief(signal=signal, summary=NOTE, acting_user=analyst)
    assert refused.value.code == "matter_with_vik"
    assert not FollowUp.objects.filter(signal=signal).exists()
    assert nobody_told(world, subject_user)


def test_a_deferred_disclosure_alone_refuses_the_team_chief_too(
    world: World, analyst, subject_user
) -> None:
    from vik.transparency.models import DisclosureDeferral

    DisclosureDeferral.objects.create(
        employee=world.subject,
        category="monitoring.signals",
        reason="Heimelijk onderzoek.",
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    signal = make_signal(world.subject)
    with pytest.raises(ValidationError) as refused:
        services.escalate_to_team_chief(signal=signal, summary=NOTE, acting_user=analyst)
    assert refused.value.code == "matter_with_vik"
    # Nothing to forward to: intake (which tells nobody) is the way.
    with pytest.raises(ValidationError) as no_case:
        services.forward_to_commissioner(signal=signal, summary=NOTE, acting_user=analyst)
    assert no_case.value.code == "no_case"
    assert nobody_told(world, subject_user)


def test_forwarding_reaches_only_the_commissioner_and_logs_the_reveal(
    world: World, analyst, subject_user
) -> None:
    from cases.models import ForwardedSignal

    case = open_case_about(world)
    signal = make_signal(world.subject)
    services.forward_to_commissioner(signal=signal, summary=NOTE, acting_user=analyst)
    signal.refresh_from_db()
    assert signal.status == Signal.Status.REFERRED
    assert signal.case == case
    forwarded = ForwardedSignal.objects.get(case=case)
    assert forwarded.source_reference == f"monitoring.signal:{signal.pk}"
    assert forwarded.decision == ForwardedSignal.Decision.PENDING
    assert Notification.objects.filter(recipient=world.user(Role.VIK_HEAD)).exists()
    assert nobody_told(world, subject_user)
    assert reveals_logged(signal)
    assert signal.history.first().history_change_reason == "Doorgestuurd naar de opdrachtgever"
    # Forwarding again changes nothing (a double click).
    with pytest.raises(ValidationError):
        services.forward_to_commissioner(signal=signal, summary=NOTE, acting_user=analyst)
    assert ForwardedSignal.objects.filter(case=case).count() == 1


def test_the_commissioner_sends_the_signal_back_only_once_the_case_is_closed(
    world: World, analyst
) -> None:
    from cases import services as case_services
    from cases.models import CaseStatus, ForwardedSignal

    case = open_case_about(world)
    signal = make_signal(world.subject)
    services.forward_to_commissioner(signal=signal, summary=NOTE, acting_user=analyst)
    forwarded = ForwardedSignal.objects.get(case=case)
    head = world.user(Role.VIK_HEAD)
    with pytest.raises(ValidationError) as refused:
        case_services.return_forwarded_signal(forwarded=forwarded, note="Klaar.", acting_user=head)
    assert refused.value.code == "case_open"
    with pytest.raises(PermissionDenied):
        case_services.attach_forwarded_signal(forwarded=forwarded, note="", acting_user=analyst)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=timezone.now())
    case_services.return_forwarded_signal(
        forwarded=forwarded, note="Zaak gesloten, geen verband.", acting_user=head
    )
    signal.refresh_from_db()
    assert signal.status == Signal.Status.IN_REVIEW
    assert signal.case is None
    assert Notification.objects.filter(recipient=analyst, subject__icontains="terug").exists()
    # With the case closed, the conversation is possible again.
    services.escalate_to_team_chief(signal=signal, summary=NOTE, acting_user=analyst)


def test_no_message_reaches_the_employee_while_a_case_is_open(
    world: World, analyst, subject_user
) -> None:
    """A conversation requested before the case opened: its outcome is not sent while open."""
    followup = escalated(world, analyst)
    Notification.objects.filter(recipient=subject_user).delete()
    open_case_about(world)
    services.record_conversation(
        followup=followup,
        held_on=timezone.localdate(),
        present="Medewerker, teamchef",
        employee_account="Uitleg over het gebruik van de systemen.",
        outcome="explained",
        acting_user=world.user(Role.TEAM_CHIEF),
    )
    assert not Notification.objects.filter(recipient=subject_user).exists()


# --- escalate to case intake ------------------------------------------------------------


def test_referral_to_intake_registers_a_case_and_tells_nobody(
    world: World, analyst, subject_user
) -> None:
    signal = make_signal(world.subject)
    case = services.escalate_to_case_intake(
        signal=signal, summary="Vermoeden van lekken van informatie.", acting_user=analyst
    )
    signal.refresh_from_db()
    assert signal.status == Signal.Status.REFERRED
    assert signal.case == case
    assert case.channel == Channel.MONITORING_SIGNAL
    assert case.source_reference == f"monitoring.signal:{signal.pk}"
    assert CaseParty.objects.filter(case=case, employee=world.subject).exists()
    [entry] = reveals_logged(signal)
    assert entry.purpose == "Automatisch bij escalatie: Doorverwezen naar de intake"
    assert IdentityReveal.objects.get(signal=signal).reason_category == "escalation"
    # A covert investigation must not be tipped off.
    assert not Notification.objects.filter(recipient=subject_user).exists()
    assert signal.employee_notified_at is None


# --- the conversation -------------------------------------------------------------------


def escalated(world: World, analyst) -> FollowUp:
    signal = make_signal(world.subject)
    return services.escalate_to_team_chief(
        signal=signal, summary="Drie raadplegingen buiten het rooster.", acting_user=analyst
    )


@pytest.mark.parametrize(
    ("outcome", "disposition", "text"),
    [
        ("explained", "explained", "vrij"),
        ("unintended_awareness", "unintended", "onbedoeld"),
    ],
)
def test_recording_the_conversation_closes_the_signal_and_tells_the_outcome(
    world: World, analyst, subject_user, outcome: str, disposition: str, text: str
) -> None:
    followup = escalated(world, analyst)
    chief = world.user(Role.TEAM_CHIEF)
    services.record_conversation(
        followup=followup,
        held_on=timezone.localdate(),
        present="Medewerker, teamchef",
        employee_account="Ik zocht mijn eigen dienst op, per ongeluk een ander dossier.",
        outcome=outcome,
        agreed_actions="Uitleg over doelbinding.",
        acting_user=chief,
    )
    followup.refresh_from_db()
    signal = followup.signal
    signal.refresh_from_db()
    assert followup.status == FollowUp.Status.RECORDED
    assert followup.recorded_by == chief
    assert signal.status == Signal.Status.CLOSED
    assert signal.disposition == disposition
    latest = Notification.objects.filter(recipient=subject_user).order_by("-id").first()
    assert text in latest.body.lower()
    assert Notification.objects.filter(recipient=analyst, subject__icontains="gesprek").exists()


def test_a_referral_after_the_conversation_creates_a_case_intake(
    world: World, analyst, subject_user
) -> None:
    followup = escalated(world, analyst)
    services.record_conversation(
        followup=followup,
        held_on=timezone.localdate(),
        present="Medewerker, teamchef",
        employee_account="Geen verklaring voor de raadplegingen gegeven.",
        outcome="refer_investigation",
        acting_user=world.user(Role.TEAM_CHIEF),
    )
    followup.refresh_from_db()
    assert followup.case is not None
    assert followup.signal.case == followup.case
    assert followup.signal.disposition == Signal.Disposition.INVESTIGATION
    assert (
        Case.objects.filter(source_reference=f"monitoring.signal:{followup.signal_id}").count() == 1
    )


def test_only_the_teams_chief_records_and_only_once(world: World, analyst) -> None:
    followup = escalated(world, analyst)
    kwargs = {
        "held_on": timezone.localdate(),
        "present": "Medewerker, teamchef",
        "employee_account": "Uitleg gegeven over het gebruik.",
        "outcome": "explained",
    }
    with pytest.raises(PermissionDenied):
        services.record_conversation(followup=followup, acting_user=analyst, **kwargs)
    with pytest.raises(ValidationError):
        services.record_conversation(
            followup=followup,
            acting_user=world.user(Role.TEAM_CHIEF),
            **{**kwargs, "held_on": timezone.localdate() + datetime.timedelta(days=1)},
        )
    services.record_conversation(
        followup=followup, acting_user=world.user(Role.TEAM_CHIEF), **kwargs
    )
    with pytest.raises(ValidationError):
        services.record_conversation(
            followup=followup, acting_user=world.user(Role.TEAM_CHIEF), **kwargs
        )


# --- kinds of violation (the shared typology) --------------------------------------------


def test_the_conversation_records_the_kinds_of_an_outcome_that_points_at_something(
    world: World, analyst
) -> None:
    from monitoring.models import FollowUpViolationKind
    from vik.models import ViolationKind
    from vik.models.typology import UNCLASSIFIED_CODE

    kind = ViolationKind.objects.filter(is_active=True).exclude(code=UNCLASSIFIED_CODE).first()
    followup = escalated(world, analyst)
    chief = world.user(Role.TEAM_CHIEF)
    base = {
        "held_on": timezone.localdate(),
        "present": "Medewerker, teamchef",
        "employee_account": "Uit nieuwsgierigheid gekeken, begrijpt de regels nu.",
    }
    with pytest.raises(ValidationError) as refused:
        services.record_conversation(
            followup=followup, outcome="explained", kinds=[kind], acting_user=chief, **base
        )
    assert refused.value.code == "kinds"
    services.record_conversation(
        followup=followup,
        outcome="unintended_awareness",
        kinds=[kind],
        acting_user=chief,
        **base,
    )
    rows = FollowUpViolationKind.objects.filter(subject=followup)
    assert [(row.kind, row.stage, row.recorded_by) for row in rows] == [(kind, "outcome", chief)]

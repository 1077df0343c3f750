"""The monitoring app's transparency provider: the works council's figures, what an employee
sees of signals about them and when, closed matters, retention with legal holds, and the
changes to detection thresholds for the annual logging report."""

from __future__ import annotations

import datetime
import itertools
import random
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import (
    Case,
    CaseParty,
    CaseStatus,
    Channel,
    Investigation,
    InvestigationKind,
    Letter,
    LetterKind,
    TriageDecision,
)
from monitoring import services as monitoring_services
from monitoring.indicators import IndicatorCode
from monitoring.models import (
    AccessEvent,
    FollowUp,
    HeldAccessEvent,
    IdentityReveal,
    IndicatorSetting,
    MonitoringParameter,
    RetentionRun,
    Signal,
    SignalEvidence,
    SignalIndicator,
)
from monitoring.parameters import PARAMETER_SPECS
from monitoring.partitions import ensure_partitions
from monitoring.periods import day_start
from monitoring.services.review import cite_evidence
from monitoring.transparency import (
    DISCLOSURE_CATEGORY,
    PROVIDER,
    closed_matters,
    count_conversations,
    count_decisions,
    count_raised,
    count_reveal_reasons,
    own_data,
    purge_access_events,
    purge_conversation_records,
    purge_dismissed_signals,
    purge_uncited_evidence,
    purge_unreviewed_signals,
    threshold_changes,
)
from tests.conftest import World
from tests.monitoring.review_factories import make_reveal
from tests.transparency.conftest import at, past_entry
from vik.models import Employee
from vik.roles import Role
from vik.transparency import services as transparency
from vik.transparency.models import Publication, PurgeRecord, RetentionPolicy
from vik.transparency.registry import (
    Audience,
    DeferralSet,
    ObjectRef,
    OwnDataRequest,
    OwnDataSection,
    PurgeRequest,
    Quarter,
    get_registry,
)
from vik.transparency.retention import PLANNED_CATEGORIES
from vik.transparency.selectors import describe_accesses

pytestmark = pytest.mark.django_db

Status = Signal.Status
Q4 = Quarter(2026, 4)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
Kind = IdentityReveal.ReasonCategory
PAST_WINDOW = datetime.date(2026, 10, 19)  # 19 Oct – 1 Nov 2026: over
NOTE = "INTERNE NOTITIE van de analist"
SUBJECT_REF = "PERSOON-4711"
_windows = itertools.count()


def make_signal(
    employee: Employee,
    *,
    status: str = Status.NEW,
    window_start: datetime.date | None = None,
    detected_at: datetime.datetime | None = None,
    decided_at: datetime.datetime | None = None,
    updated_at: datetime.datetime | None = None,
    disposition: str = "",
    case: Case | None = None,
    indicators: tuple[tuple[str, dict, str], ...] = (
        ("off_duty", {"off_duty": 3, "margin_minutes": 90}, "12"),
    ),
) -> Signal:
    """A signal as review left it (the ORM: the review services are tested elsewhere)."""
    start = window_start or PAST_WINDOW - datetime.timedelta(days=14 * (1 + next(_windows)))
    detected = detected_at or at(start + datetime.timedelta(days=14), 5)
    signal = Signal.objects.create(
        employee=employee,
        pseudonym="PM-TEST-0001",
        unit=employee.team,
        window_start=start,
        window_end=start + datetime.timedelta(days=13),
        score=Decimal(12),
        status=status,
        disposition=disposition,
        disposition_note=NOTE,
        decided_at=decided_at,
        detected_at=detected,
        updated_at=updated_at or detected,
        case=case,
    )
    for code, details, score in indicators:
        SignalIndicator.objects.create(
            signal=signal,
            code=code,
            weight=Decimal(score),
            severity=Decimal(1),
            occurrences=3,
            score=Decimal(score),
            details=details,
        )
        SignalEvidence.objects.create(
            signal=signal,
            indicator=code,
            event_id=f"ev-{signal.pk}-{code}",
            occurred_at=at(start + datetime.timedelta(days=2), 22),
            system="BVH",
            action="view",
            subject_ref=SUBJECT_REF,
            incident_ref="INC-0815",
            duty_status="off_duty",
            explanation="none",
        )
    return signal


def make_followup(
    world: World,
    signal: Signal,
    *,
    requested_at: datetime.datetime,
    outcome: str = "",
    held_on: datetime.date | None = None,
    case: Case | None = None,
) -> FollowUp:
    recorded = bool(outcome)
    return FollowUp.objects.create(
        signal=signal,
        employee=signal.employee,
        team=signal.employee.team,
        requested_by=world.user(Role.ANALYST),
        requested_at=requested_at,
        summary="Drie raadplegingen buiten het rooster op 21 oktober.",
        due_on=timezone.localdate(requested_at) + datetime.timedelta(days=14),
        status=FollowUp.Status.RECORDED if recorded else FollowUp.Status.OPEN,
        held_on=held_on if recorded else None,
        present="Teamchef en medewerker" if recorded else "",
        employee_account="Ik deed een nadienst." if recorded else "",
        outcome=outcome,
        agreed_actions="Regels nog eens doorgenomen." if recorded else "",
        recorded_by=world.user(Role.TEAM_CHIEF) if recorded else None,
        recorded_at=at(held_on, 16) if recorded and held_on else None,
        case=case,
    )


def make_case(world: World, employee: Employee, **fields: object) -> Case:
    case = Case.objects.create(
        reference=f"AM-2026-{Case.objects.count() + 1:04d}",
        unit=world.units["AM"],
        channel=Channel.MONITORING_SIGNAL,
        summary="Doorverwezen signaal",
        **fields,
    )
    CaseParty.objects.create(case=case, employee=employee, role=CaseParty.Role.CONCERNED)
    return case


def sections(
    employee: Employee,
    *,
    audience: Audience = Audience.OVERVIEW,
    deferrals: DeferralSet | None = None,
) -> dict[str, OwnDataSection]:
    with translation.override("nl"):
        found = own_data(OwnDataRequest(employee, audience, deferrals or DeferralSet()))
        # Render the lazy texts while Dutch is active.
        return {section.key: section for section in found}


def fields_of(section: OwnDataSection) -> list[dict[str, object]]:
    return [{f.key: f.value for f in item.fields} for item in section.items]


def shown_refs(employee: Employee, **kwargs: object) -> set[ObjectRef]:
    section = sections(employee, **kwargs)["monitoring.signals"]  # type: ignore[arg-type]
    return {item.object_ref for item in section.items if item.object_ref}


def ref(signal: Signal) -> ObjectRef:
    return ObjectRef("monitoring.signal", str(signal.pk))


# --- The provider in the registry ----------------------------------------------------


def test_the_provider_is_registered_and_takes_over_the_planned_categories() -> None:
    registry = get_registry()
    assert PROVIDER in registry.providers
    for key in (
        "monitoring.signals_by_indicator",
        "monitoring.signal_decisions",
        "monitoring.conversation_outcomes",
    ):
        assert registry.measure(key).section
    for object_type in ("monitoring.signal", "monitoring.followup", "monitoring.identityreveal"):
        category = registry.category_of_object_type(object_type)
        assert category is not None
        assert category.key == DISCLOSURE_CATEGORY
    keys = (
        "monitoring.access_events",
        "monitoring.dismissed_signals",
        "monitoring.conversation_records",
    )
    for key in keys:
        assert registry.retention_category(key).purge is not None
        assert key not in {c.key for c in PLANNED_CATEGORIES}  # declared once
    assert registry.has_threshold_source


# --- Measures -------------------------------------------------------------------------


def test_signals_raised_are_counted_once_under_their_main_indicator(world: World) -> None:
    make_signal(
        world.subject,
        detected_at=at(datetime.date(2026, 11, 2)),
        indicators=(
            ("off_duty", {"off_duty": 3, "margin_minutes": 90}, "12"),
            ("neighbour", {"home": 1, "street": 0}, "15"),
        ),
    )
    make_signal(
        world.colleague,
        detected_at=at(datetime.date(2026, 10, 5)),
        indicators=(("self_lookup", {"events": 2}, "20"),),
    )
    # Withdrawn later: it was raised all the same.
    make_signal(world.outsider, status=Status.WITHDRAWN, detected_at=at(datetime.date(2026, 11, 3)))
    make_signal(world.subject, detected_at=at(datetime.date(2026, 9, 30)))  # the quarter before
    counts = Counter({(c.unit_id, c.category): c.value for c in count_raised(Q4)})
    am, dh = world.units["AM"].pk, world.units["DH"].pk
    assert counts == Counter({(am, "neighbour"): 1, (am, "self_lookup"): 1, (dh, "off_duty"): 1})


def test_what_became_of_signals_counts_each_signal_once(world: World) -> None:
    am, dh = world.units["AM"].pk, world.units["DH"].pk
    make_signal(
        world.subject,
        status=Status.DISMISSED,
        disposition="work_reason",
        decided_at=at(datetime.date(2026, 11, 5)),
    )
    make_signal(
        world.subject,
        status=Status.REFERRED,
        disposition="investigation",
        decided_at=at(datetime.date(2026, 10, 10)),
    )
    make_signal(world.outsider, status=Status.WITHDRAWN, updated_at=at(datetime.date(2026, 11, 3)))
    # Escalated in the quarter, closed after the conversation: one escalation, no more.
    escalated = make_signal(
        world.colleague,
        status=Status.CLOSED,
        disposition="unintended",
        decided_at=at(datetime.date(2026, 11, 10)),
    )
    make_followup(
        world,
        escalated,
        requested_at=at(datetime.date(2026, 11, 6)),
        outcome=FollowUp.Outcome.UNINTENDED,
        held_on=datetime.date(2026, 11, 10),
    )
    # Escalated in the quarter before, closed in this one: not a decision of this quarter.
    earlier = make_signal(
        world.colleague,
        status=Status.CLOSED,
        disposition="explained",
        decided_at=at(datetime.date(2026, 10, 2)),
    )
    make_followup(
        world,
        earlier,
        requested_at=at(datetime.date(2026, 9, 29)),
        outcome=FollowUp.Outcome.EXPLAINED,
        held_on=datetime.date(2026, 10, 2),
    )
    make_signal(
        world.subject, status=Status.DISMISSED, decided_at=at(datetime.date(2026, 9, 30), 23)
    )
    make_signal(world.subject, status=Status.IN_REVIEW)
    counts = Counter({(c.unit_id, c.category): c.value for c in count_decisions(Q4)})
    assert counts == Counter(
        {(am, "dismissed"): 1, (am, "referred"): 1, (am, "escalated"): 1, (dh, "withdrawn"): 1}
    )
    conversations = Counter({(c.unit_id, c.category): c.value for c in count_conversations(Q4)})
    assert conversations == Counter(
        {(am, FollowUp.Outcome.UNINTENDED): 1, (am, FollowUp.Outcome.EXPLAINED): 1}
    )
    assert count_conversations(Quarter(2026, 3)) == []


def test_the_measures_publish_as_protected_tables(world: World) -> None:
    signal = make_signal(
        world.subject,
        status=Status.DISMISSED,
        detected_at=at(datetime.date(2026, 10, 3)),
        decided_at=at(datetime.date(2026, 10, 5)),
    )
    make_followup(
        world,
        make_signal(world.colleague, status=Status.ESCALATED),
        requested_at=at(datetime.date(2026, 11, 1)),
    )
    registry = get_registry()
    for measure in registry.measures():
        if not measure.key.startswith("monitoring."):
            continue
        publication = transparency.publish_quarter(measure=measure, quarter=Q4)
        assert publication.payload["cols"] == [c.key for c in measure.category_list()]
    assert signal.pseudonym not in str([p.payload for p in Publication.objects.all()])


# --- Own data: what the employee sees, and when ---------------------------------------


def test_a_signal_under_review_is_never_shown(world: World) -> None:
    make_signal(world.subject, status=Status.NEW)
    make_signal(world.subject, status=Status.IN_REVIEW)
    for audience in Audience:
        found = sections(world.subject, audience=audience)
        assert found["monitoring.signals"].items == ()
        assert "Niets te tonen" in str(found["monitoring.signals"].empty_text)
    assert (
        sections(world.subject, audience=Audience.ACCESS_REQUEST)[
            "monitoring.signal_evidence"
        ].items
        == ()
    )


def test_a_dismissed_signal_is_shown_as_cleared_without_the_analysts_note(world: World) -> None:
    signal = make_signal(
        world.subject,
        status=Status.DISMISSED,
        disposition="work_reason",
        decided_at=at(datetime.date(2026, 11, 4)),
        indicators=(("off_duty", {"off_duty": 3, "margin_minutes": 90}, "12"),),
    )
    section = sections(world.subject)["monitoring.signals"]
    (item,) = section.items
    assert item.object_ref == ref(signal)
    values = fields_of(section)[0]
    assert values["outcome"] == "Geen verwijt: de analist vond een werkreden."
    assert values["decided_on"] == datetime.date(2026, 11, 4)
    assert "Buiten het rooster: 3 raadplegingen buiten het rooster" in str(values["noticed"])
    assert str(values["period"]).startswith(f"{signal.window_start.day} ")  # "9 mrt 2026 – …"
    everything = str(fields_of(section)) + str(item.title)
    assert NOTE not in everything
    assert "PM-TEST" not in everything  # never the pseudonym


def test_withdrawn_signals_are_shown_once_their_window_is_over(world: World) -> None:
    today = timezone.localdate()
    over = make_signal(world.subject, status=Status.WITHDRAWN)
    make_signal(
        world.subject,
        status=Status.WITHDRAWN,
        window_start=today - datetime.timedelta(days=3),  # detection may still revive it
    )
    assert shown_refs(world.subject) == {ref(over)}
    (values,) = fields_of(sections(world.subject)["monitoring.signals"])
    assert values["outcome"] == (
        "Geen verwijt: latere gegevens verklaarden het, voordat iemand het beoordeelde."
    )


def test_an_escalated_signal_is_shown_and_then_its_outcome(world: World) -> None:
    signal = make_signal(
        world.subject, status=Status.ESCALATED, decided_at=at(datetime.date(2026, 11, 4))
    )
    followup = make_followup(world, signal, requested_at=at(datetime.date(2026, 11, 4)))
    (values,) = fields_of(sections(world.subject)["monitoring.signals"])
    assert values["outcome"] == "Doorgezet naar uw teamchef voor een gesprek; de uitkomst volgt."
    assert values["conversation_due_on"] == followup.due_on
    assert values["conversation_held_on"] is None

    followup.status = FollowUp.Status.RECORDED
    followup.outcome = FollowUp.Outcome.EXPLAINED
    followup.held_on = datetime.date(2026, 11, 9)
    followup.recorded_at = at(datetime.date(2026, 11, 9))
    followup.present = "Teamchef en medewerker"
    followup.employee_account = "Ik deed een nadienst."
    followup.agreed_actions = "Geen."
    followup.save()
    Signal.objects.filter(pk=signal.pk).update(
        status=Status.CLOSED, disposition="explained", decided_at=at(datetime.date(2026, 11, 9))
    )
    (item,) = sections(world.subject)["monitoring.signals"].items
    values = {f.key: f.value for f in item.fields}
    assert values["outcome"] == "Geen verwijt: in het gesprek verklaard."
    assert values["conversation_held_on"] == datetime.date(2026, 11, 9)
    assert values["agreed_actions"] == "Geen."
    assert item.date == datetime.date(2026, 11, 9)
    assert "your_account" not in values  # the overview; the export has it

    exported = sections(world.subject, audience=Audience.ACCESS_REQUEST)
    (full,) = fields_of(exported["monitoring.signals"])
    assert full["your_account"] == "Ik deed een nadienst."
    assert full["present"] == "Teamchef en medewerker"
    assert full["summary"] == followup.summary
    # Every item has the same fields in the same order (the PDF reads many as a table).
    assert list(full) == [
        "period",
        "noticed",
        "outcome",
        "decided_on",
        "conversation_due_on",
        "conversation_held_on",
        "agreed_actions",
        "summary",
        "present",
        "your_account",
        "violation_kinds",
        "informed_at",
    ]


@pytest.mark.parametrize(
    ("outcome", "text"),
    [
        (
            FollowUp.Outcome.UNINTENDED,
            "Onbedoeld: in het gesprek is bewustwording gegeven; geen verdere maatregel.",
        ),
        (FollowUp.Outcome.REFER, "Na het gesprek voorgelegd aan VIK voor onderzoek."),
    ],
)
def test_conversation_outcomes_in_plain_dutch(world: World, outcome: str, text: str) -> None:
    signal = make_signal(world.subject, status=Status.CLOSED)
    make_followup(
        world,
        signal,
        requested_at=at(datetime.date(2026, 11, 2)),
        outcome=outcome,
        held_on=datetime.date(2026, 11, 5),
    )
    (values,) = fields_of(sections(world.subject)["monitoring.signals"])
    assert values["outcome"] == text


def test_a_signal_referred_to_intake_waits_for_what_the_protocol_allows(world: World) -> None:
    """A referral may start a covert investigation: shown only once the employee was
    informed in writing, or the head of VIK closed it with no action; never while it runs
    unannounced, nor when it went on to the public prosecutor."""
    employee = world.subject
    case = make_case(world, employee)
    referred = make_signal(
        employee,
        status=Status.REFERRED,
        disposition="investigation",
        decided_at=at(datetime.date(2026, 11, 2)),
        case=case,
    )
    no_case = make_signal(
        employee, status=Status.REFERRED, decided_at=at(datetime.date(2026, 11, 2))
    )
    assert shown_refs(employee) == set()

    # Triaged into an investigation: still hidden until the notification letter is sent.
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.INVESTIGATING,
        triage_decision=TriageDecision.EXPLORATORY,
        triaged_at=at(datetime.date(2026, 11, 3)),
    )
    investigation = Investigation.objects.create(case=case, kind=InvestigationKind.EXPLORATORY)
    letter = Letter.objects.create(
        investigation=investigation,
        kind=LetterKind.NOTIFICATION,
        recipient=employee,
        recipient_name=employee.full_name,
        subject="Kennisgeving",
        body="U wordt ingelicht.",
    )
    assert shown_refs(employee) == set()
    Letter.objects.filter(pk=letter.pk).update(sent_on=datetime.date(2026, 11, 10))
    assert shown_refs(employee) == {ref(referred)}
    (values,) = fields_of(sections(employee)["monitoring.signals"])
    assert "er volgde een onderzoek" in str(values["outcome"])
    # The case's own deferral hides the signal that led to it.
    case_deferred = DeferralSet(
        objects=frozenset({("cases.investigations", ObjectRef("cases.case", str(case.pk)))})
    )
    assert shown_refs(employee, deferrals=case_deferred) == set()
    assert no_case.pk not in {int(r.object_id) for r in shown_refs(employee)}


@pytest.mark.parametrize(
    ("decision", "shown"),
    [(TriageDecision.NO_ACTION, True), (TriageDecision.PROSECUTOR, False)],
)
def test_a_referral_closed_at_triage(world: World, decision: str, *, shown: bool) -> None:
    case = make_case(
        world,
        world.subject,
        status=CaseStatus.CLOSED,
        triage_decision=decision,
        triaged_at=at(datetime.date(2026, 11, 5)),
        closed_at=at(datetime.date(2026, 11, 5)),
    )
    signal = make_signal(world.subject, status=Status.REFERRED, case=case)
    assert shown_refs(world.subject) == ({ref(signal)} if shown else set())


def test_deferrals_hide_signals(world: World) -> None:
    dismissed = make_signal(world.subject, status=Status.DISMISSED)
    escalated = make_signal(world.subject, status=Status.ESCALATED)
    followup = make_followup(world, escalated, requested_at=at(datetime.date(2026, 11, 4)))
    assert shown_refs(world.subject) == {ref(dismissed), ref(escalated)}
    whole = DeferralSet(categories=frozenset({DISCLOSURE_CATEGORY}))
    found = sections(world.subject, deferrals=whole, audience=Audience.ACCESS_REQUEST)
    assert found["monitoring.signals"].items == ()  # the section stays: its absence would tell
    assert found["monitoring.signal_evidence"].items == ()
    one = DeferralSet(objects=frozenset({(DISCLOSURE_CATEGORY, ref(dismissed))}))
    assert shown_refs(world.subject, deferrals=one) == {ref(escalated)}
    by_followup = DeferralSet(
        objects=frozenset(
            {(DISCLOSURE_CATEGORY, ObjectRef("monitoring.followup", str(followup.pk)))}
        )
    )
    assert shown_refs(world.subject, deferrals=by_followup) == {ref(dismissed)}


def test_the_export_lists_the_logged_actions_without_whom_or_what_was_opened(
    world: World,
) -> None:
    signal = make_signal(
        world.subject,
        status=Status.DISMISSED,
        indicators=(
            ("off_duty", {"off_duty": 3, "margin_minutes": 90}, "12"),
            ("neighbour", {"home": 1, "street": 0}, "15"),
        ),
    )
    make_signal(world.subject, status=Status.IN_REVIEW)  # its evidence is not listed
    assert "monitoring.signal_evidence" not in sections(world.subject)  # the overview
    evidence = sections(world.subject, audience=Audience.ACCESS_REQUEST)[
        "monitoring.signal_evidence"
    ]
    assert {item.object_ref for item in evidence.items} == {ref(signal)}
    rows = fields_of(evidence)
    assert len(rows) == 2
    assert rows[0]["roster"] == "Buiten dienst"
    assert rows[0]["work_reason"] == "Geen werkreden gevonden"
    assert SUBJECT_REF not in str(rows)
    assert "INC-0815" not in str(rows)


def test_mijn_gegevens_shows_a_closed_signal_with_its_outcome(world: World, client_for) -> None:
    employee = world.employee_of(Role.EMPLOYEE)
    make_signal(
        employee,
        status=Status.DISMISSED,
        disposition="data_error",
        decided_at=at(datetime.date(2026, 11, 4)),
    )
    make_signal(employee, status=Status.IN_REVIEW, window_start=datetime.date(2026, 11, 2))
    response = client_for(Role.EMPLOYEE).get(reverse("transparency:my_data"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Signalen van Protective Monitoring over u" in page
    assert "Geen verwijt: het signaal berustte op een fout in de gegevens." in page
    assert NOTE not in page
    assert "2 nov 2026" not in page  # the signal in review (its window start)


# --- Closed matters: names of those who looked ----------------------------------------


def test_closed_matters(world: World) -> None:
    employee = world.subject
    dismissed = make_signal(employee, status=Status.DISMISSED)
    in_review = make_signal(employee, status=Status.IN_REVIEW)
    escalated = make_signal(employee, status=Status.ESCALATED)
    open_followup = make_followup(world, escalated, requested_at=at(datetime.date(2026, 11, 4)))
    open_case = make_case(world, employee, status=CaseStatus.INVESTIGATING)
    conversation_referred = make_signal(employee, status=Status.CLOSED, case=open_case)
    make_followup(
        world,
        conversation_referred,
        requested_at=at(datetime.date(2026, 11, 1)),
        outcome=FollowUp.Outcome.REFER,
        held_on=datetime.date(2026, 11, 3),
        case=open_case,
    )
    closed_case = make_case(world, employee, status=CaseStatus.CLOSED)
    referred_closed = make_signal(employee, status=Status.REFERRED, case=closed_case)
    others = make_signal(world.colleague, status=Status.DISMISSED)
    reveal = IdentityReveal.objects.create(
        signal=dismissed,
        requested_by=world.user(Role.ANALYST),
        reason_category="other",
        reason="Escalatie",
    )
    refs = {
        ref(dismissed),
        ref(in_review),
        ref(escalated),
        ObjectRef("monitoring.followup", str(open_followup.pk)),
        ref(conversation_referred),
        ref(referred_closed),
        ref(others),
        ObjectRef("monitoring.identityreveal", str(reveal.pk)),
        ObjectRef("monitoring.signal", "999999"),  # purged: only closed signals are
        ObjectRef("monitoring.signal", ""),  # a search of the queue that listed them
    }
    assert closed_matters(employee, refs) == {
        ref(dismissed),
        ref(referred_closed),
        ObjectRef("monitoring.identityreveal", str(reveal.pk)),
        ObjectRef("monitoring.signal", "999999"),
    }
    # Once none of their signals is open, a search that listed them is closed too.
    Signal.objects.filter(employee=employee).update(status=Status.DISMISSED)
    assert ObjectRef("monitoring.signal", "") in closed_matters(employee, refs)


def test_the_name_of_the_analyst_is_shown_once_the_signal_is_closed(world: World) -> None:
    dismissed = make_signal(world.subject, status=Status.DISMISSED)
    in_review = make_signal(world.subject, status=Status.IN_REVIEW)
    entries = [
        past_entry(
            world=world,
            role=Role.ANALYST,
            employee=world.subject,
            when=at(datetime.date(2026, 11, 1)),
            object_type="monitoring.signal",
            object_id=str(signal.pk),
            purpose="Beoordeling signaal",
        )
        for signal in (dismissed, in_review)
    ]
    looks = describe_accesses(entries, employee=world.subject)
    assert [look.name for look in looks] == [world.user(Role.ANALYST).get_username(), None]


# --- Retention ------------------------------------------------------------------------


def test_dismissed_and_withdrawn_signals_go_with_everything_of_them(world: World) -> None:
    cutoff = datetime.date(2026, 5, 22)
    old = make_signal(
        world.subject, status=Status.DISMISSED, decided_at=at(datetime.date(2026, 5, 1))
    )
    IdentityReveal.objects.create(
        signal=old,
        requested_by=world.user(Role.ANALYST),
        reason_category="other",
        reason="Controle",
    )
    Signal.objects.get(pk=old.pk).save()  # a history row
    withdrawn = make_signal(
        world.colleague, status=Status.WITHDRAWN, updated_at=at(datetime.date(2026, 4, 1))
    )
    recent = make_signal(
        world.subject, status=Status.DISMISSED, decided_at=at(datetime.date(2026, 6, 1))
    )
    held = make_signal(
        world.outsider, status=Status.DISMISSED, decided_at=at(datetime.date(2026, 1, 1))
    )
    escalated = make_signal(
        world.subject, status=Status.CLOSED, decided_at=at(datetime.date(2026, 1, 1))
    )
    make_followup(world, escalated, requested_at=at(datetime.date(2025, 12, 20)))
    request = PurgeRequest("monitoring.dismissed_signals", cutoff, frozenset({world.outsider.pk}))
    assert purge_dismissed_signals(request) == 2
    gone = [old.pk, withdrawn.pk]
    assert set(Signal.objects.values_list("pk", flat=True)) == {
        recent.pk,
        held.pk,
        escalated.pk,
    }
    assert not SignalIndicator.objects.filter(signal_id__in=gone).exists()
    assert not SignalEvidence.objects.filter(signal_id__in=gone).exists()
    assert not IdentityReveal.objects.filter(signal_id__in=gone).exists()
    assert not Signal.history.filter(id__in=gone).exists()
    assert not SignalIndicator.history.filter(signal_id__in=gone).exists()
    assert not IdentityReveal.history.filter(signal_id__in=gone).exists()
    assert Signal.history.filter(id=recent.pk).exists()
    assert purge_dismissed_signals(request) == 0


def test_a_referred_signal_goes_once_its_case_has_gone(world: World) -> None:
    """The case is the record of a referred matter: its removal empties the link (SET_NULL),
    and the signal follows at the next purge. While the case exists, the signal stays."""
    cutoff = datetime.date(2026, 5, 22)
    case = make_case(world, world.subject)
    with_case = make_signal(
        world.subject, status=Status.REFERRED, decided_at=at(datetime.date(2026, 1, 5)), case=case
    )
    orphan = make_signal(
        world.subject, status=Status.REFERRED, decided_at=at(datetime.date(2026, 1, 5)), case=case
    )
    Signal.objects.filter(pk=orphan.pk).update(case=None)  # as the case's purge leaves it
    request = PurgeRequest("monitoring.dismissed_signals", cutoff)
    assert purge_dismissed_signals(request) == 1
    assert list(Signal.objects.values_list("pk", flat=True)) == [with_case.pk]
    field = Signal._meta.get_field("case")
    assert field.remote_field.on_delete.__name__ == "SET_NULL"


def test_conversations_go_with_their_signal_unless_they_led_to_a_case(world: World) -> None:
    cutoff = datetime.date(2025, 11, 22)
    old = make_signal(world.subject, status=Status.CLOSED)
    old_followup = make_followup(
        world,
        old,
        requested_at=at(datetime.date(2025, 10, 1)),
        outcome=FollowUp.Outcome.UNINTENDED,
        held_on=datetime.date(2025, 10, 10),
    )
    recent = make_signal(world.subject, status=Status.CLOSED)
    make_followup(
        world,
        recent,
        requested_at=at(datetime.date(2025, 11, 20)),
        outcome=FollowUp.Outcome.EXPLAINED,
        held_on=datetime.date(2025, 11, 25),
    )
    case = make_case(world, world.colleague)
    referred = make_signal(world.colleague, status=Status.CLOSED, case=case)
    make_followup(
        world,
        referred,
        requested_at=at(datetime.date(2025, 9, 1)),
        outcome=FollowUp.Outcome.REFER,
        held_on=datetime.date(2025, 9, 3),
        case=case,
    )
    held = make_signal(world.outsider, status=Status.CLOSED)
    make_followup(
        world,
        held,
        requested_at=at(datetime.date(2025, 9, 1)),
        outcome=FollowUp.Outcome.EXPLAINED,
        held_on=datetime.date(2025, 9, 3),
    )
    never_held = make_signal(world.outsider, status=Status.ESCALATED)
    make_followup(world, never_held, requested_at=at(datetime.date(2025, 1, 1)))
    request = PurgeRequest(
        "monitoring.conversation_records", cutoff, frozenset({world.outsider.pk})
    )
    assert purge_conversation_records(request) == 1
    assert not Signal.objects.filter(pk=old.pk).exists()
    assert not FollowUp.objects.filter(pk=old_followup.pk).exists()
    assert not FollowUp.history.filter(id=old_followup.pk).exists()
    assert not Signal.history.filter(id=old.pk).exists()
    assert set(Signal.objects.values_list("pk", flat=True)) == {
        recent.pk,
        referred.pk,
        held.pk,
        never_held.pk,
    }


def _event(employee: Employee, moment: datetime.datetime, number: int) -> None:
    ensure_partitions({timezone.localdate(moment)})
    AccessEvent.objects.create(
        occurred_at=moment,
        event_id=f"ev-{number}",
        employee_number=employee.personnel_number,
        employee=employee,
        system="BVH",
        action="view",
    )


def test_access_events_are_dropped_by_monitorings_purge_at_this_categorys_cutoff(
    world: World,
) -> None:
    """The category's period decides the cutoff; monitoring's purge does the dropping."""
    _event(world.subject, at(datetime.date(2026, 8, 1)), 1)
    _event(world.colleague, at(datetime.date(2026, 9, 15)), 2)
    # A period of twelve months keeps both.
    keep = PurgeRequest("monitoring.access_events", datetime.date(2025, 11, 22))
    assert purge_access_events(keep) is None
    # Three months: the August day goes, with a record in monitoring's own log. (The
    # database refuses a cut-off younger than the period it knows: set it.)
    RetentionPolicy.objects.create(category="monitoring.access_events", period_months=3)
    three = PurgeRequest("monitoring.access_events", datetime.date(2026, 8, 22))
    record = purge_access_events(three)
    assert record is not None
    assert (record.purged, record.kept_for_hold) == (1, 0)
    assert list(AccessEvent.objects.values_list("event_id", flat=True)) == ["ev-2"]
    run = RetentionRun.objects.order_by("-ran_at").first()
    assert run is not None
    assert run.cutoff == day_start(datetime.date(2026, 8, 22))


def test_a_legal_hold_copies_the_held_employees_events_and_the_days_go_on_time(
    world: World,
) -> None:
    """Issue 11: a hold on one employee no longer keeps whole days of everyone's events."""
    _event(world.subject, at(datetime.date(2026, 4, 1)), 1)
    _event(world.colleague, at(datetime.date(2026, 4, 1)), 2)
    _event(world.colleague, at(datetime.date(2026, 4, 2)), 3)
    hold = transparency.place_legal_hold(
        employee=world.subject, reason="Rechtszaak", acting_user=world.user(Role.PRIVACY_OFFICER)
    )
    cutoff = datetime.date(2026, 5, 22)
    record = purge_access_events(
        PurgeRequest("monitoring.access_events", cutoff, frozenset({world.subject.pk}))
    )
    assert record is not None
    assert (record.purged, record.kept_for_hold) == (2, 1)
    assert not AccessEvent.objects.exists()
    assert list(HeldAccessEvent.objects.values_list("hold_id", "event_id")) == [(hold.pk, "ev-1")]
    run = RetentionRun.objects.get()
    assert (run.events_removed, run.events_held) == (3, 1)


def test_the_employee_sees_what_a_legal_hold_keeps_of_them(world: World) -> None:
    """What the hold store keeps about an employee is theirs to see (counts and period in
    the overview, every action without its subject in the export) — never the hold's reason,
    and nothing at all while a disclosure about them is deferred."""
    _event(world.subject, at(datetime.date(2026, 4, 1)), 1)
    _event(world.subject, at(datetime.date(2026, 4, 2)), 2)
    _event(world.colleague, at(datetime.date(2026, 4, 1)), 3)
    assert fields_of(sections(world.subject)["monitoring.held_events"]) == []
    transparency.place_legal_hold(
        employee=world.subject,
        reason="Rechtszaak van een collega",
        acting_user=world.user(Role.PRIVACY_OFFICER),
    )
    purge_access_events(
        PurgeRequest(
            "monitoring.access_events", datetime.date(2026, 5, 22), frozenset({world.subject.pk})
        )
    )
    overview = sections(world.subject)["monitoring.held_events"]
    [hold] = fields_of(overview)
    assert hold["kept"] == 2
    assert hold["released_at"] is None
    assert timezone.localdate(hold["first"]) == datetime.date(2026, 4, 1)  # type: ignore[arg-type]
    assert timezone.localdate(hold["last"]) == datetime.date(2026, 4, 2)  # type: ignore[arg-type]
    assert "Rechtszaak" not in repr(overview)
    export = sections(world.subject, audience=Audience.ACCESS_REQUEST)["monitoring.held_events"]
    actions = fields_of(export)[1:]
    assert [sorted(action) for action in actions] == [["action", "system", "when"]] * 2
    assert fields_of(sections(world.colleague)["monitoring.held_events"]) == []
    deferred = DeferralSet(categories=frozenset({"cases.investigations"}))
    assert "monitoring.held_events" not in sections(world.subject, deferrals=deferred)


def test_the_nightly_run_purges_monitoring_and_records_the_hold_store(world: World) -> None:
    _event(world.subject, at(datetime.date(2026, 4, 1)), 1)
    _event(world.colleague, at(datetime.date(2026, 4, 1)), 2)
    make_signal(world.colleague, status=Status.DISMISSED, decided_at=at(datetime.date(2026, 4, 1)))
    transparency.place_legal_hold(
        employee=world.subject,
        category="monitoring.access_events",
        reason="Rechtszaak",
        acting_user=world.user(Role.PRIVACY_OFFICER),
    )
    transparency.run_retention(today=datetime.date(2026, 11, 22))
    records = {r.category: r for r in PurgeRecord.objects.filter(category__startswith="monitoring")}
    assert records["monitoring.dismissed_signals"].outcome == PurgeRecord.Outcome.PURGED
    assert records["monitoring.dismissed_signals"].purged == 1
    events = records["monitoring.access_events"]
    assert (events.outcome, events.purged, events.kept_for_hold) == (
        PurgeRecord.Outcome.PURGED,
        1,
        1,
    )
    assert not AccessEvent.objects.exists()
    assert HeldAccessEvent.objects.count() == 1


def _evidence(signal: Signal, moment: datetime.datetime, number: int, **fields: object) -> None:
    SignalEvidence.objects.create(
        signal=signal,
        indicator="off_duty",
        event_id=f"extra-{signal.pk}-{number}",
        occurred_at=moment,
        system="BVH",
        action="view",
        duty_status="off_duty",
        explanation=fields.pop("explanation", "none"),
        **fields,
    )


def test_signals_nobody_reviewed_go_with_the_events_they_rest_on(world: World) -> None:
    """New, in review, and escalated without a recorded conversation: gone with their
    evidence once their events have expired; the rest stays."""
    old = datetime.date(2026, 3, 2)
    cutoff = datetime.date(2026, 5, 22)
    new = make_signal(world.colleague, window_start=old)
    in_review = make_signal(world.colleague, status=Status.IN_REVIEW, window_start=old + DAY * 14)
    escalated = make_signal(world.colleague, status=Status.ESCALATED, window_start=old + DAY * 28)
    make_followup(world, escalated, requested_at=at(datetime.date(2026, 4, 20)))
    # Kept: a window that reaches past the cutoff, evidence added after the cutoff, a held
    # employee, a recorded conversation, a dismissal (its own period).
    recent = make_signal(world.colleague, window_start=cutoff - DAY * 3)
    late_evidence = make_signal(world.colleague, window_start=old - DAY * 14)
    _evidence(late_evidence, at(cutoff + DAY), 1)
    held = make_signal(world.subject, window_start=old)
    recorded = make_signal(world.outsider, status=Status.CLOSED, window_start=old)
    make_followup(
        world,
        recorded,
        requested_at=at(datetime.date(2026, 3, 20)),
        outcome=FollowUp.Outcome.EXPLAINED,
        held_on=datetime.date(2026, 3, 25),
    )
    dismissed = make_signal(
        world.outsider,
        status=Status.DISMISSED,
        window_start=old + DAY * 14,
        decided_at=at(datetime.date(2026, 4, 1)),
    )
    request = PurgeRequest("monitoring.unreviewed_signals", cutoff, frozenset({world.subject.pk}))
    assert purge_unreviewed_signals(request) == 3
    assert set(Signal.objects.values_list("pk", flat=True)) == {
        recent.pk,
        late_evidence.pk,
        held.pk,
        recorded.pk,
        dismissed.pk,
    }
    assert not SignalEvidence.objects.filter(signal_id__in=[new.pk, in_review.pk]).exists()
    assert not FollowUp.objects.filter(signal_id=escalated.pk).exists()
    assert not Signal.history.filter(id__in=[new.pk, in_review.pk, escalated.pk]).exists()


def test_a_recorded_signals_evidence_is_cut_to_what_its_record_cites(world: World) -> None:
    cutoff = datetime.date(2026, 5, 22)
    signal = make_signal(
        world.colleague, status=Status.CLOSED, window_start=datetime.date(2026, 3, 2)
    )
    make_followup(
        world,
        signal,
        requested_at=at(datetime.date(2026, 3, 20)),
        outcome=FollowUp.Outcome.UNINTENDED,
        held_on=datetime.date(2026, 3, 25),
    )
    _evidence(signal, at(datetime.date(2026, 3, 4), 10), 1, explanation="assignment")
    # At escalation the events without a work reason are cited (the record is about them).
    assert cite_evidence(signal) == 1
    cited = set(signal.evidence.filter(cited_at__isnull=False).values_list("pk", flat=True))
    _evidence(signal, at(cutoff + DAY), 2)  # newer than the cutoff: stays for now
    dismissed = make_signal(
        world.colleague,
        status=Status.DISMISSED,
        window_start=datetime.date(2026, 3, 16),
        decided_at=at(datetime.date(2026, 4, 1)),
    )
    request = PurgeRequest("monitoring.evidence_copies", cutoff)
    assert purge_uncited_evidence(request) == 1
    assert set(signal.evidence.values_list("event_id", flat=True)) == {
        f"ev-{signal.pk}-off_duty",
        f"extra-{signal.pk}-2",
    }
    assert cited <= set(signal.evidence.values_list("pk", flat=True))
    # A dismissed signal keeps its copy until its own period ends.
    assert dismissed.evidence.count() == 1


def test_evidence_is_cited_when_a_signal_is_escalated(world: World) -> None:
    """Escalation marks the evidence its record rests on (all when all had a work reason)."""
    signal = make_signal(world.colleague, status=Status.IN_REVIEW)
    SignalEvidence.objects.filter(signal=signal).update(explanation="assignment")
    assert cite_evidence(signal) == 1
    assert cite_evidence(signal) == 0  # idempotent


# --- Threshold changes ----------------------------------------------------------------


def test_threshold_changes_from_the_history_of_the_settings(world: World) -> None:
    start = timezone.now()
    admin = world.user(Role.ADMINISTRATOR)
    parameter = MonitoringParameter.objects.get(key="off_duty.min_events")
    parameter.value = Decimal(4)
    monitoring_services.save_parameter(
        parameter=parameter, acting_user=admin, reason="Minder vals alarm"
    )
    setting = IndicatorSetting.objects.get(code="volume_spike")
    old_weight = setting.weight
    setting.weight = Decimal("8.5")
    setting.enabled = False
    # Switching an indicator off is a protocol change: it waits for the works council, and
    # the head of VIK records its consent (issue 11, point 3); the weight is tuning.
    (proposal,) = monitoring_services.save_indicator_setting(
        setting=setting,
        acting_user=admin,
        reason="Proef",
        rationale="Te veel signalen zonder misbruik; de COR wordt om instemming gevraagd.",
    )
    head = world.user(Role.VIK_HEAD)
    monitoring_services.record_council_decision(
        change=proposal,
        decided_on=timezone.localdate(),
        consented=True,
        letter_reference="COR/1",
        acting_user=head,
    )
    unchanged = IndicatorSetting.objects.get(code="neighbour")
    monitoring_services.save_indicator_setting(setting=unchanged, acting_user=admin, reason="-")
    end = timezone.now() + datetime.timedelta(seconds=1)
    with translation.override("nl"):
        changes = threshold_changes(start, end)
        label = str(PARAMETER_SPECS["off_duty.min_events"].label)
        volume = str(IndicatorCode.VOLUME_SPIKE.label)
        weight, enabled = (
            str(IndicatorSetting._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
            for name in ("weight", "enabled")
        )
    assert [(c.setting, c.old_value, c.new_value, c.reason) for c in changes] == [
        (f"{label} (off_duty.min_events)", "3", "4", "Minder vals alarm"),
        (f"{volume} — {weight}", f"{old_weight.normalize():f}", "8.5", "Proef"),
        (f"{volume} — {enabled}", "ja", "nee", changes[2].reason),
    ]
    assert "COR/1" in changes[2].reason
    assert all(c.changed_by == admin.get_username() for c in changes[:2])
    assert all(c.role == "Beheerder" for c in changes[:2])
    assert changes[2].changed_by == head.get_username()
    # The period is half open, and what came before is not in it.
    assert threshold_changes(changes[0].changed_at + datetime.timedelta(microseconds=1), end) == [
        c for c in changes if c.changed_at > changes[0].changed_at
    ]
    assert get_registry().threshold_changes(start, end) == changes


# --- Reveal reasons -------------------------------------------------------------------


def test_reveals_are_counted_by_kind_of_reason_when_the_name_was_shown(world: World) -> None:
    analyst = world.user(Role.ANALYST)
    signals = [make_signal(world.subject) for _ in range(6)]
    make_reveal(signals[0], analyst, reason_category=Kind.FOLLOW_UP, revealed_at=at(Q4.start))
    make_reveal(signals[1], analyst, reason_category=Kind.FOLLOW_UP, revealed_at=at(Q4.start, 23))
    make_reveal(signals[2], analyst, reason_category=Kind.ESCALATION, revealed_at=at(Q4.start))
    # Before the period, and requests that showed no name, are not counted.
    make_reveal(signals[3], analyst, reason_category=Kind.OTHER, revealed_at=Q4.start_at - HOUR)
    make_reveal(signals[4], analyst, reason_category=Kind.OTHER, status="requested")
    make_reveal(signals[5], analyst, reason_category=Kind.OTHER, status="refused")
    with translation.override("nl"):
        counted = [
            (c.key, str(c.label), n) for c, n in count_reveal_reasons(Q4.start_at, Q4.end_at)
        ]
    # Every kind, in a fixed order, zeros included.
    assert counted == [
        ("follow_up", "Gesprek met de teamchef voorbereiden", 2),
        ("work_reason", "Werkreden nagaan bij de lijn (rooster of inzet onduidelijk)", 0),
        ("data_error", "Vermoedelijke datafout controleren (verkeerde persoon of account)", 0),
        ("serious_suspicion", "Ernstig vermoeden: doorverwijzen naar de intake", 0),
        ("escalation", "Automatisch bij escalatie", 1),
        ("other", "Anders", 0),
    ]
    # Half open: the first moment of the next period is not in this one.
    assert {c.key: n for c, n in count_reveal_reasons(Q4.start_at - HOUR, Q4.start_at)} == {
        "follow_up": 0,
        "work_reason": 0,
        "data_error": 0,
        "serious_suspicion": 0,
        "escalation": 0,
        "other": 1,
    }
    assert PROVIDER.reveal_reasons is count_reveal_reasons
    assert get_registry().reveal_reason_providers() == [PROVIDER]


# --- The demo -------------------------------------------------------------------------


def test_the_demo_looks_at_the_demo_employees_real_signal(db: None) -> None:
    from vik import demo as core_demo
    from vik.models import AccessLogEntry
    from vik.transparency import demo

    core_demo.seed(stdout=StringIO(), rng=random.Random("t"))
    mila = Employee.objects.get(user__username="medewerker")
    signal = make_signal(
        mila,
        status=Status.DISMISSED,
        disposition="work_reason",
        decided_at=timezone.now() - datetime.timedelta(days=40),
    )
    demo.seed(stdout=StringIO(), rng=random.Random("t"))
    count = AccessLogEntry.objects.count()
    demo.seed(stdout=StringIO(), rng=random.Random("t"))  # idempotent
    assert AccessLogEntry.objects.count() == count
    assert not AccessLogEntry.objects.filter(object_type="monitoring.accessevent").exists()
    looks = AccessLogEntry.objects.filter(employee=mila, object_type__startswith="monitoring.")
    assert set(looks.values_list("object_id", flat=True)) == {str(signal.pk)}
    assert all(look.occurred_at <= timezone.now() for look in looks)
    assert get_user_model().objects.filter(username="analist").exists()

"""The cases app's transparency provider: measures, own data, deferrals, closed matters,
retention past the append-only triggers, and the works council's dashboard."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from cases import services
from cases.models import (
    AssignmentExtension,
    Case,
    CaseParty,
    CaseStatus,
    Deadline,
    DeadlineKind,
    DeliveryMethod,
    DisciplinaryProcedure,
    Evidence,
    Interview,
    InterviewReportVersion,
    Investigation,
    InvestigationMethod,
    JournalEntry,
    Letter,
    LetterKind,
    LineReferral,
    MethodKind,
    OutcomeRoute,
    Punishment,
    TelecomStageDecision,
    TriageDecision,
)
from cases.transparency import (
    DISCLOSURE_CATEGORY,
    OBJECT_TYPES,
    PROVIDER,
    closed_matters,
    count_closed,
    count_punishments,
    count_terms,
    count_triage,
    own_data,
    purge_cases,
    purge_closed_with_dereliction,
    purge_closed_without_dereliction,
)
from tests.cases.builders import Flow
from tests.cases.sweep_routes import ROUTES
from tests.cases.sweep_routes import _case as sweep_case
from tests.conftest import World
from tests.factories import UserFactory
from tests.transparency.conftest import TODAY, at, past_entry
from vik import services as core
from vik.models import AccessLogEntry, Employee
from vik.roles import Role
from vik.transparency import services as transparency
from vik.transparency.models import PurgeRecord
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
from vik.transparency.selectors import describe_accesses, disclosed_access_log

pytestmark = pytest.mark.django_db

D = datetime.date
Q1, Q2, Q3 = Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3)
_numbers = itertools.count(1)


# --- Building blocks ----------------------------------------------------------------------


def _case(
    world: World,
    *,
    when: datetime.datetime,
    decision: TriageDecision = TriageDecision.DISCIPLINARY,
    concerned: tuple[Employee, ...] = (),
    unit: str = "AM",
    status: CaseStatus = CaseStatus.INVESTIGATING,
    closed_at: datetime.datetime | None = None,
) -> Case:
    """A triaged case straight in the database (the protocol has its own tests)."""
    case = Case.objects.create(
        reference=f"T-{next(_numbers):04d}",
        unit=world.units[unit],
        channel="internal",
        summary="Melding",
        received_at=when - datetime.timedelta(days=2),
        status=status,
        triage_decision=decision,
        triaged_at=when,
        closed_at=closed_at,
    )
    for employee in concerned:
        _add(case, employee, when - datetime.timedelta(days=1))
    return case


def _add(
    case: Case,
    employee: Employee,
    added_at: datetime.datetime,
    role: CaseParty.Role = CaseParty.Role.CONCERNED,
) -> None:
    party = CaseParty.objects.create(case=case, employee=employee, role=role)
    CaseParty.objects.filter(pk=party.pk).update(added_at=added_at)  # auto_now_add otherwise


def _investigation(case: Case, **fields: Any) -> Investigation:
    return Investigation.objects.create(
        case=case, kind=case.triage_decision, employer_powers_consent=True, **fields
    )


def _counts(rows) -> set[tuple[int | None, str, int]]:
    return {(c.unit_id, c.category, c.value) for c in rows}


def _request(employee, audience=Audience.OVERVIEW, deferrals=None) -> OwnDataRequest:
    return OwnDataRequest(
        employee=employee, audience=audience, deferrals=deferrals or DeferralSet()
    )


def _sections(employee, **kwargs: Any) -> dict[str, OwnDataSection]:
    return {section.key: section for section in own_data(_request(employee, **kwargs))}


def _text(sections: dict[str, OwnDataSection]) -> str:
    return " ".join(
        str(value)
        for section in sections.values()
        for item in section.items
        for value in (item.title, *(f.value for f in item.fields))
    )


def _fields(item) -> dict[str, Any]:
    return {f.key: f.value for f in item.fields}


def _send(flow: Flow, letter: Letter) -> Letter:
    return services.mark_letter_sent(
        letter=letter, sent_on=flow.today, delivery=DeliveryMethod.BY_HAND, acting_user=flow.head
    )


def _closed(flow: Flow) -> Case:
    """An investigation through the whole protocol: witness interview, hearing, closed."""
    case = flow.ready_to_close()
    return services.close_case(case=case, acting_user=flow.head)


# --- The provider -------------------------------------------------------------------------


def test_the_provider_is_registered_without_clashes(world: World) -> None:
    registry = get_registry()
    assert PROVIDER in registry.providers
    assert (
        registry.retention_category("cases.closed_no_violation").purge
        is purge_closed_without_dereliction
    )
    assert registry.retention_category("cases.closed_violation").purge is (
        purge_closed_with_dereliction
    )
    for object_type in OBJECT_TYPES:
        assert registry.category_of_object_type(object_type).key == DISCLOSURE_CATEGORY
    for measure in PROVIDER.measures:
        keys = [c.key for c in measure.category_list()]
        assert keys
        assert len(keys) == len(set(keys))
    assert len({m.population for m in PROVIDER.measures}) == len(PROVIDER.measures)


def test_every_object_type_the_case_pages_log_belongs_to_the_category(
    world: World, second_investigator
) -> None:
    """Open every case page the sweep knows as a role allowed to, and read the access log."""
    with_term = sweep_case(world)
    Deadline.objects.create(
        case=with_term,
        kind=DeadlineKind.DOCUMENTS,
        key="documents:1",
        label="Documenten",
        due_on=timezone.localdate(),
    )
    for route in ROUTES:
        if route.method != "get" or not route.allowed:
            continue
        client = Client()
        client.force_login(world.user(min(route.allowed)))
        response = client.get(reverse(route.name, kwargs=route.kwargs(world)) + route.query)
        assert response.status_code == route.ok, route.name
    logged = set(
        AccessLogEntry.objects.filter(object_type__startswith="cases.").values_list(
            "object_type", flat=True
        )
    )
    assert logged >= {
        "cases.case",
        "cases.deadline",
        "cases.letter",
        "cases.interviewreportversion",
        "cases.evidence",
        "cases.reportrender",
    }
    # A case sent back to the line is shown on the team chief's conversation page
    # (monitoring), which logs it as "cases.linereferral": tests/monitoring/test_conversations.py.
    assert "cases.linereferral" in OBJECT_TYPES
    assert logged <= set(OBJECT_TYPES)
    assert "cases.reporteridentity" in OBJECT_TYPES  # the reveal (a POST) logs the identity


# --- Measures -------------------------------------------------------------------------------


def test_triage_counts_once_per_unit_in_the_quarter_it_applied(world: World) -> None:
    am, dh = world.units["AM"].pk, world.units["DH"].pk
    # Two persons concerned of one unit: once for that unit.
    both_am = _case(world, when=at(D(2026, 4, 10)), concerned=(world.subject, world.colleague))
    # Persons concerned of two units: once for each.
    _case(
        world,
        when=at(D(2026, 5, 4)),
        decision=TriageDecision.EXPLORATORY,
        concerned=(world.subject, world.outsider),
    )
    # A report naming no one: the unit it is about (a lower unit is mapped up by the framework).
    _case(
        world,
        when=at(D(2026, 6, 1)),
        decision=TriageDecision.NO_ACTION,
        unit="AM-D1",
        status=CaseStatus.CLOSED,
        closed_at=at(D(2026, 6, 1)),
    )
    assert _counts(count_triage(Q2)) == {
        (am, "disciplinary", 1),
        (am, "exploratory", 1),
        (dh, "exploratory", 1),
        (world.units["AM-D1"].pk, "no_action", 1),
    }
    # A colleague of another unit added to the running investigation in Q3 counts then, for
    # their unit; Q2 does not change.
    _add(both_am, world.outsider, at(D(2026, 8, 3)))
    assert _counts(count_triage(Q3)) == {(dh, "disciplinary", 1)}
    assert len(list(count_triage(Q2))) == 4
    assert list(count_triage(Q1)) == []


def test_closed_investigations_by_outcome(world: World) -> None:
    am, dh = world.units["AM"].pk, world.units["DH"].pk
    outcomes = [
        (True, OutcomeRoute.DISCIPLINARY, (world.subject,)),
        (True, OutcomeRoute.LINE, (world.subject, world.colleague)),
        (False, OutcomeRoute.NONE, (world.outsider,)),
        (None, OutcomeRoute.NONE, (world.subject, world.outsider)),
    ]
    for dereliction, route, concerned in outcomes:
        case = _case(
            world,
            when=at(D(2026, 1, 5)),
            concerned=concerned,
            status=CaseStatus.CLOSED,
            closed_at=at(D(2026, 5, 20)),
        )
        _investigation(case, dereliction=dereliction, outcome_route=route)
    # Still open, and closed at triage (no investigation): not counted here.
    _investigation(_case(world, when=at(D(2026, 4, 1)), concerned=(world.subject,)))
    _case(
        world,
        when=at(D(2026, 4, 1)),
        decision=TriageDecision.RIJKSRECHERCHE,
        status=CaseStatus.CLOSED,
        closed_at=at(D(2026, 4, 1)),
    )
    assert _counts(count_closed(Q2)) == {
        (am, "dereliction_disciplinary", 1),
        (am, "dereliction_line", 1),
        (dh, "no_dereliction", 1),
        (am, "no_judgement", 1),
        (dh, "no_judgement", 1),
    }
    assert list(count_closed(Q1)) == []


def test_disciplinary_decisions_by_punishment(world: World) -> None:
    berisping = Punishment.objects.get(code="schriftelijke-berisping")
    ontslag = Punishment.objects.get(code="ontslag")
    for decided, punishment in ((berisping, berisping), (None, ontslag)):
        case = _case(world, when=at(D(2026, 1, 5)), concerned=(world.subject,))
        DisciplinaryProcedure.objects.create(
            investigation=_investigation(case, dereliction=True, outcome_route="disciplinary"),
            intended_punishment=punishment,
            intended_on=D(2026, 2, 2),
            intended_reasons="Voornemen.",
            response_on=D(2026, 2, 9),
            response="Reactie.",
            decided_punishment=decided,
            no_punishment=decided is None,
            decided_on=D(2026, 3, 31),
            decision_reasons="Besluit.",
        )
    am = world.units["AM"].pk
    assert _counts(count_punishments(Q1)) == {
        (am, "schriftelijke-berisping", 1),
        (am, "none", 1),
    }
    keys = [c.key for c in PROVIDER.measures[2].category_list()]
    assert keys[0] == "schriftelijke-berisping"  # lightest first
    assert keys[-2:] == ["ontslag", "none"]
    assert list(count_punishments(Q2)) == []


def test_terms_met_in_time_or_late(world: World) -> None:
    case = _case(world, when=at(D(2026, 1, 5)), concerned=(world.outsider,))
    for n, (kind, due, met) in enumerate(
        [
            (DeadlineKind.DOCUMENTS, D(2026, 4, 10), D(2026, 4, 10)),  # on the day: in time
            (DeadlineKind.DOCUMENTS, D(2026, 4, 10), D(2026, 4, 13)),
            (DeadlineKind.INTERVIEW_REPORT, D(2026, 5, 1), D(2026, 4, 28)),
            (DeadlineKind.COMPLAINT_ANSWER, D(2026, 6, 1), None),  # still open
        ]
    ):
        Deadline.objects.create(
            case=case, kind=kind, key=f"t:{n}", label="Termijn", due_on=due, met_on=met
        )
    dh = world.units["DH"].pk
    assert _counts(count_terms(Q2)) == {
        (dh, "documents_in_time", 1),
        (dh, "documents_late", 1),
        (dh, "interview_report_in_time", 1),
    }
    keys = {c.key for c in PROVIDER.measures[3].category_list()}
    assert {"wb_ack_in_time", "wb_ack_late", "complaint_answer_late"} <= keys


def test_a_case_through_the_protocol_is_counted_once_in_each_measure(flow: Flow) -> None:
    case = _closed(flow)
    quarter = Quarter.containing(flow.today)
    am = flow.world.units["AM"].pk
    assert _counts(count_triage(quarter)) == {(am, "disciplinary", 1)}
    assert _counts(count_closed(quarter)) == {(am, "no_dereliction", 1)}
    terms = _counts(count_terms(quarter))
    assert terms
    assert all(unit == am and value >= 1 for unit, _category, value in terms)
    # Every category a count names is one of the measure's fixed columns.
    for measure in PROVIDER.measures:
        keys = {c.key for c in measure.category_list()}
        assert {c.category for c in measure.count(quarter)} <= keys
    assert case.status == CaseStatus.CLOSED


# --- Own data -------------------------------------------------------------------------------


def test_an_investigation_is_shown_only_after_the_written_notification(flow: Flow) -> None:
    subject = flow.world.subject
    case = flow.issued()
    assert _sections(subject)["cases.about_me"].items == ()
    with translation.override("en"):
        assert "informed of it in writing" in str(_sections(subject)["cases.about_me"].empty_text)
    letter = flow.notification()
    assert _sections(subject)["cases.about_me"].items == ()  # drafted is not sent
    _send(flow, letter)
    (item,) = _sections(subject)["cases.about_me"].items
    fields = _fields(item)
    assert item.object_ref == ObjectRef("cases.case", str(case.pk))
    assert fields["reference"] == case.reference
    assert fields["notified_on"] == flow.today
    assert "outcome" not in fields
    # The colleague is named in the report, but the protocol tells them nothing.
    assert all(s.items == () for s in _sections(flow.world.colleague).values())


def test_the_outcome_follows_the_letter_and_the_export_never_names_the_reporter(
    flow: Flow,
) -> None:
    flow.reported(
        reporter_identity=services.ReporterDetails(name="Jan Melder", contact="06-12345678")
    )
    case = flow.decided(OutcomeRoute.NONE, dereliction=False)
    subject = flow.world.subject
    (item,) = _sections(subject)["cases.about_me"].items
    assert "outcome" not in _fields(item)  # decided, but the letter has not gone yet
    letter = services.draft_letter(
        case=case, kind=LetterKind.OUTCOME, recipient=subject, acting_user=flow.head
    )
    _send(flow, letter)
    services.record_report_provided(case=case, on=flow.today, acting_user=flow.head)
    services.close_case(case=case, acting_user=flow.head)

    overview = _sections(subject)
    fields = _fields(overview["cases.about_me"].items[0])
    assert fields["outcome"] == gettext("No dereliction of duty")
    assert fields["closed_on"] == flow.today
    assert "findings" not in fields  # the overview is brief; the export is complete

    export = _sections(subject, audience=Audience.ACCESS_REQUEST)
    text = _text(export)
    assert "zonder dienstelijke reden" in text  # the findings: the report was given to them
    assert "Afweging van de opdrachtgever." in text  # the outcome's rationale
    assert "erkent de raadplegingen" in text  # their own reaction at the hearing
    assert "Kennisgeving van een integriteitsonderzoek" in text  # the letters they were sent
    assert "Jan Melder" not in text
    assert "06-12345678" not in text
    assert "privédoeleinden" not in text  # what the witness said
    assert flow.world.colleague.last_name not in text


def test_a_witness_sees_their_own_interview_and_nothing_of_the_case(flow: Flow) -> None:
    flow.signed_version()
    witness = flow.world.colleague
    overview = _sections(witness)
    assert overview["cases.about_me"].items == ()
    (interview,) = overview["cases.involvement"].items
    assert _fields(interview)["reference"] == flow.case.reference
    assert "report" not in _fields(interview)
    export = _sections(witness, audience=Audience.ACCESS_REQUEST)
    text = _text(export)
    assert "privédoeleinden" in text  # their own statement, as signed
    assert "Uitnodiging voor een verhoor" in text  # the invitation they were sent
    assert flow.world.subject.last_name not in text
    assert "raadpleegde de gegevens" not in text  # what was reported


def test_a_referral_to_the_line_is_shown_once_the_conversation_was_held(flow: Flow) -> None:
    case = flow.triaged(TriageDecision.LINE, line_instruction="Bespreek het gebruik van systemen.")
    subject = flow.world.subject
    assert _sections(subject)["cases.about_me"].items == ()
    referral = LineReferral.objects.get(case=case)
    services.record_line_conversation(
        referral=referral,
        held_on=flow.today,
        summary="Besproken; betrokkene begrijpt het.",
        agreements="Geen privéraadplegingen meer.",
        acting_user=flow.world.user(Role.TEAM_CHIEF),
    )
    (item,) = _sections(subject)["cases.about_me"].items
    assert item.object_ref == ObjectRef("cases.linereferral", str(referral.pk))
    assert _fields(item)["held_on"] == flow.today
    assert "agreements" not in _fields(item)
    (item,) = _sections(subject, audience=Audience.ACCESS_REQUEST)["cases.about_me"].items
    assert _fields(item)["agreements"] == "Geen privéraadplegingen meer."


def test_a_reporter_sees_their_report_not_what_became_of_it(flow: Flow) -> None:
    reporter = flow.world.employee_of(Role.EMPLOYEE)
    flow.reported(
        reporter_identity=services.ReporterDetails(name=reporter.full_name, employee=reporter)
    )
    flow.triaged()
    (item,) = _sections(reporter)["cases.involvement"].items
    fields = _fields(item)
    assert fields["consent_to_disclose"] == gettext("no")
    assert "reference" not in fields
    assert "status" not in fields
    assert flow.world.subject.last_name not in _text(
        _sections(reporter, audience=Audience.ACCESS_REQUEST)
    )


def test_own_data_honours_deferrals(flow: Flow) -> None:
    flow.interviewed(role="concerned", interviewee=flow.world.subject)
    case = flow.case
    subject = flow.world.subject
    full = _sections(subject, audience=Audience.ACCESS_REQUEST)["cases.about_me"]
    assert len(full.items) > 2  # the investigation, the interview, the letters
    whole = DeferralSet(categories=frozenset({DISCLOSURE_CATEGORY}))
    assert own_data(_request(subject, deferrals=whole)) == []
    for ref in (
        ObjectRef("cases.case", str(case.pk)),
        ObjectRef("cases.investigation", str(case.pk)),
    ):
        deferred = DeferralSet(objects=frozenset({(DISCLOSURE_CATEGORY, ref)}))
        for audience in Audience:
            sections = _sections(subject, audience=audience, deferrals=deferred)
            assert sections["cases.about_me"].items == ()
            assert sections["cases.involvement"].items == ()
    # One letter only.
    letter = Letter.objects.get(investigation=case.investigation, kind=LetterKind.NOTIFICATION)
    one = DeferralSet(
        objects=frozenset({(DISCLOSURE_CATEGORY, ObjectRef("cases.letter", str(letter.pk)))})
    )
    items = _sections(subject, audience=Audience.ACCESS_REQUEST, deferrals=one)["cases.about_me"]
    assert len(items.items) == len(full.items) - 1


def test_mijn_gegevens_shows_the_investigation_and_hides_deferred_looks(
    flow: Flow, client_for
) -> None:
    world = flow.world
    subject = world.subject
    user = UserFactory(username="betrokkene")
    Employee.objects.filter(pk=subject.pk).update(user=user)
    core.assign_role(user=user, role=Role.EMPLOYEE, unit=None, acting_user=None, reason="test")
    client = Client()
    client.force_login(user)
    url = reverse("transparency:my_data")
    case = flow.issued()
    assert case.reference not in client.get(url).content.decode()
    _send(flow, flow.notification())
    client_for(Role.INVESTIGATOR).get(reverse("cases:case_detail", args=[case.pk]))
    page = client.get(url)
    assert case.reference in page.content.decode()
    assert len(page.context["looks"]) == 1
    # The commissioner defers this investigation: the case and the looks at it disappear.
    transparency.defer_disclosure(
        employee=subject,
        category=DISCLOSURE_CATEGORY,
        object_ref=ObjectRef("cases.case", str(case.pk)),
        reason="Heimelijk onderzoek",
        ends_on=flow.today + datetime.timedelta(days=30),
        acting_user=flow.head,
    )
    page = client.get(url)
    assert case.reference not in page.content.decode()
    assert page.context["looks"] == []


# --- Closed matters -------------------------------------------------------------------------


def test_closed_matters(flow: Flow, world: World) -> None:
    closed = _closed(flow)
    letter = Letter.objects.filter(investigation_id=closed.pk).first()
    version = InterviewReportVersion.objects.filter(interview__investigation_id=closed.pk).first()
    open_case = _case(world, when=timezone.now(), concerned=(world.subject,))
    _investigation(open_case)
    other = _case(
        world,
        when=timezone.now(),
        concerned=(world.outsider,),
        status=CaseStatus.CLOSED,
        closed_at=timezone.now(),
    )
    refs = {
        ObjectRef("cases.case", str(closed.pk)),
        ObjectRef("cases.letter", str(letter.pk)),
        ObjectRef("cases.interviewreportversion", str(version.pk)),
        ObjectRef("cases.case", str(open_case.pk)),
        ObjectRef("cases.case", str(other.pk)),  # closed, but not about the subject
        ObjectRef("cases.case", "not-a-number"),
    }
    assert closed_matters(world.subject, refs) == {
        ObjectRef("cases.case", str(closed.pk)),
        ObjectRef("cases.letter", str(letter.pk)),
        ObjectRef("cases.interviewreportversion", str(version.pk)),
    }
    # The witness's view of the same case: closed for them too.
    assert ObjectRef("cases.case", str(closed.pk)) in closed_matters(world.colleague, refs)


def test_names_of_those_who_looked_are_shown_once_the_case_is_closed(
    flow: Flow, world: World
) -> None:
    closed = _closed(flow)
    open_case = _case(world, when=timezone.now(), concerned=(world.subject,))
    for case in (closed, open_case):
        past_entry(
            world=world,
            role=Role.INVESTIGATOR,
            employee=world.subject,
            when=timezone.now() - datetime.timedelta(hours=1),
            object_type="cases.case",
            object_id=str(case.pk),
        )
    looks = describe_accesses(
        list(disclosed_access_log(employee=world.subject).order_by("object_id")),
        employee=world.subject,
    )
    names = {look.name for look in looks}
    assert names == {world.user(Role.INVESTIGATOR).get_username(), None}


# --- Retention ------------------------------------------------------------------------------


def _with_append_only_rows(case: Case) -> str:
    """Add an extension, a telecom stage decision and an evidence file; returns the file."""
    investigation = case.investigation
    AssignmentExtension.objects.create(
        investigation=investigation, kind="time", description="Meer tijd.", extra_working_days=5
    )
    method = InvestigationMethod.objects.create(
        investigation=investigation,
        kind=MethodKind.TELECOM_MESSAGES,
        description="E-mail",
        proportionality="Ja",
        subsidiarity="Ja",
    )
    TelecomStageDecision.objects.create(method=method, stage=1, justification="Volume.")
    name = default_storage.save(f"cases/{case.pk}/bewijs.txt", ContentFile(b"bewijs"))
    Evidence.objects.create(
        investigation=investigation,
        file=name,
        original_name="bewijs.txt",
        content_type="text/plain",
        size=6,
        sha256="0" * 64,
        description="Bewijs",
    )
    return name


def _age(case: Case, *, years: int) -> None:
    Case.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=366 * years)
    )


def _gone(case_id: int, interview_ids: list[int]) -> None:
    assert not Case.objects.filter(pk=case_id).exists()
    assert not Case.history.filter(id=case_id).exists()
    assert not Investigation.history.filter(case_id=case_id).exists()
    for model in (JournalEntry, AssignmentExtension, Letter, Interview, Evidence):
        assert not model.objects.filter(investigation_id=case_id).exists(), model
    for model in (Letter, Interview, Evidence, InvestigationMethod):
        assert not model.history.filter(investigation_id=case_id).exists(), model
    for model in (CaseParty, Deadline):
        assert not model.history.filter(case_id=case_id).exists(), model
    assert not TelecomStageDecision.objects.filter(method__investigation_id=case_id).exists()
    assert not InterviewReportVersion.objects.filter(interview_id__in=interview_ids).exists()
    assert not InterviewReportVersion.history.filter(interview_id__in=interview_ids).exists()


def test_the_purge_passes_the_append_only_tables_and_honours_a_legal_hold(
    flow: Flow, django_capture_on_commit_callbacks
) -> None:
    case = _closed(flow)
    evidence = _with_append_only_rows(case)
    interview_ids = list(
        Interview.objects.filter(investigation_id=case.pk).values_list("id", flat=True)
    )
    assert InterviewReportVersion.objects.filter(state="signed").exists()  # frozen
    assert JournalEntry.objects.filter(investigation_id=case.pk).exists()
    assert Letter.objects.filter(investigation_id=case.pk, sent_on__isnull=False).exists()
    _age(case, years=2)
    cutoff = timezone.localdate() - datetime.timedelta(days=366)
    # The witness is under a legal hold: the whole case stays.
    held = PurgeRequest("cases.closed_no_violation", cutoff, frozenset({flow.world.colleague.pk}))
    assert purge_closed_without_dereliction(held) == 0
    assert Case.objects.filter(pk=case.pk).exists()
    # Without dereliction of duty it is not the other category's.
    five = timezone.localdate() - datetime.timedelta(days=5 * 366)
    assert purge_closed_with_dereliction(PurgeRequest("cases.closed_violation", five)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            record = purge_closed_without_dereliction(
                PurgeRequest("cases.closed_no_violation", cutoff)
            )
        assert default_storage.exists(evidence)  # only once committed
    # The database function wrote the purge record itself.
    assert isinstance(record, PurgeRecord)
    assert (record.category, record.purged, record.cutoff) == (
        "cases.closed_no_violation",
        1,
        cutoff,
    )
    _gone(case.pk, interview_ids)
    assert not default_storage.exists(evidence)


def test_the_database_function_checks_the_rules_itself(flow: Flow, world: World) -> None:
    """Whatever ids it is given: a case that has not expired, or that is linked to an employee
    under a legal hold, makes the database refuse the whole purge."""
    case = flow.issued()  # has journal entries; not closed
    recent = _case(world, when=timezone.now(), status=CaseStatus.CLOSED, closed_at=timezone.now())
    cutoff = timezone.localdate() - datetime.timedelta(days=366)
    request = PurgeRequest("cases.closed_no_violation", cutoff)
    for ids in ([case.pk], [recent.pk]):
        with pytest.raises(DatabaseError, match="may not be purged"), transaction.atomic():
            purge_cases(request, ids)
    # A cut-off younger than the retention period (twelve months).
    young = PurgeRequest("cases.closed_no_violation", timezone.localdate())
    with (
        pytest.raises(DatabaseError, match="younger than the retention period"),
        transaction.atomic(),
    ):
        purge_cases(young, [recent.pk])
    _age(recent, years=2)
    transparency.place_legal_hold(
        employee=world.subject,
        category="",
        reason="Rechtszaak",
        acting_user=world.user(Role.PRIVACY_OFFICER),
    )
    CaseParty.objects.create(case=recent, employee=world.subject, role=CaseParty.Role.CONCERNED)
    with pytest.raises(DatabaseError, match="may not be purged"), transaction.atomic():
        purge_cases(request, [recent.pk])
    assert Case.objects.filter(pk=recent.pk).exists()
    # Outside the function the triggers refuse even the owner, flag or no flag.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL vik.retention_purge = 'on'")
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute("DELETE FROM cases_journalentry")
    with pytest.raises(PermissionError):
        JournalEntry.objects.filter(investigation_id=case.pk).delete()
    with pytest.raises(PermissionError):
        InterviewReportVersion.objects.all().delete()
    assert JournalEntry.objects.filter(investigation_id=case.pk).exists()


def test_what_is_kept(world: World) -> None:
    long_ago = timezone.now() - datetime.timedelta(days=3 * 366)
    cutoff = timezone.localdate() - datetime.timedelta(days=366)
    recent = _case(world, when=timezone.now(), status=CaseStatus.CLOSED, closed_at=timezone.now())
    still_open = _case(world, when=long_ago, concerned=(world.subject,))
    with_line_open = _case(
        world,
        when=long_ago,
        decision=TriageDecision.LINE,
        concerned=(world.subject,),
        status=CaseStatus.CLOSED,
        closed_at=long_ago,
    )
    LineReferral.objects.create(case=with_line_open, employee=world.subject, instruction="x")
    violation = _case(
        world,
        when=long_ago,
        concerned=(world.subject,),
        status=CaseStatus.CLOSED,
        closed_at=long_ago,
    )
    _investigation(violation, dereliction=True, outcome_route=OutcomeRoute.DISCIPLINARY)
    no_action = _case(
        world,
        when=long_ago,
        decision=TriageDecision.NO_ACTION,
        status=CaseStatus.CLOSED,
        closed_at=long_ago,
    )
    record = purge_closed_without_dereliction(PurgeRequest("cases.closed_no_violation", cutoff))
    assert record.purged == 1
    assert set(Case.objects.values_list("pk", flat=True)) == {
        recent.pk,
        still_open.pk,
        with_line_open.pk,
        violation.pk,
    }
    assert not Case.objects.filter(pk=no_action.pk).exists()
    # Dereliction of duty: five years, not three.
    five = timezone.localdate() - datetime.timedelta(days=5 * 366)
    assert purge_closed_with_dereliction(PurgeRequest("cases.closed_violation", five)) == 0
    Case.objects.filter(pk=violation.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=6 * 366)
    )
    record = purge_closed_with_dereliction(PurgeRequest("cases.closed_violation", five))
    assert (record.category, record.purged) == ("cases.closed_violation", 1)


def test_the_nightly_run_writes_a_purge_record(world: World) -> None:
    long_ago = timezone.now() - datetime.timedelta(days=2 * 366)
    _case(
        world,
        when=long_ago,
        decision=TriageDecision.NO_ACTION,
        status=CaseStatus.CLOSED,
        closed_at=long_ago,
    )
    records = transparency.run_retention(today=timezone.localdate())
    assert [(r.category, r.purged, r.outcome) for r in records] == [
        ("cases.closed_no_violation", 1, PurgeRecord.Outcome.PURGED)
    ]


# --- The works council's dashboard ----------------------------------------------------------


def test_the_dashboard_shows_cases_figures_with_small_cells_suppressed(
    world: World, client_for
) -> None:
    """Cases in Amsterdam only: Den Haag is a unit with none, and still a row."""
    for n in range(7):
        _case(world, when=at(D(2026, 5, 4 + n)), concerned=(world.subject,))
    for n in range(2):
        _case(
            world,
            when=at(D(2026, 5, 20 + n)),
            decision=TriageDecision.EXPLORATORY,
            concerned=(world.colleague,),
        )
    past_entry(world=world, role=Role.INVESTIGATOR, employee=world.subject, when=at(Q2.start))
    transparency.publish_due(today=TODAY)
    client = client_for(Role.COR_MEMBER)
    assert client.get(reverse("transparency:dashboard")).status_code == 200
    response = client.get(
        reverse("transparency:measure", args=["cases.triage_decisions"]), {"quarter": Q2.key}
    )
    assert response.status_code == 200
    table = response.context["page"].table
    assert table is not None
    assert [key for key, _label in table.columns][:3] == ["no_action", "line", "exploratory"]
    assert "Eenheid Den Haag" in [row.label for row in table.rows]
    for row in table.rows:
        for figure in (*row.figures, row.total):
            assert figure.value is None or figure.value == 0 or figure.value >= 5
    body = response.content.decode()
    assert "×" in body  # hidden figures, small or not, print alike
    assert "&lt; 5" not in body
    main = body.split("<main", 1)[1].split("</main>", 1)[0]
    for secret in ("T-0", world.subject.last_name, world.colleague.last_name):
        assert secret not in main
    for key in ("cases.investigations_closed", "cases.disciplinary_decisions", "cases.terms_met"):
        page = client.get(reverse("transparency:measure", args=[key]), {"quarter": Q2.key})
        assert page.status_code == 200

"""The cases app's transparency provider (see ``vik.transparency.registry``).

It contributes

* four measures over disjoint populations, each event counted once for every top-level
  unit of the persons concerned in the case (a report that names no one: the unit it is
  about), at the moment it happened:

  - reports *triaged*, by the head of VIK's decision — the investigations opened, by kind,
    are three of its columns (a person concerned added to a running investigation later is
    counted, for their unit, when they were added);
  - investigations *closed*, by outcome (dereliction of duty and the route that followed);
  - disciplinary *decisions*, by the punishment imposed;
  - protocol *terms met*, by term and whether in time or late — the lead times against
    the protocol's deadlines;

* for the employee, what the protocol lets them know: an investigation concerning them from
  the moment their written notification was sent (the outcome once the outcome letter was,
  the findings once the report was given to them); a referral to the line once the
  conversation was held; their own interviews, requests for documents, letters and the
  reports they made. Never who reported them, and never what witnesses said;
* the disclosure category "investigations" with every object type the cases app writes to
  the access log, and which of those objects belong to a closed matter;
* the retention of closed cases by outcome, with every part, file and history row — past
  the append-only tables through the database's retention function
  ``cases_purge_closed_cases`` (the runtime role may not delete from them).

Limitation: a deferral of one case (``cases.case``/``cases.investigation`` and its number)
hides the case and everything of it from the overview and the export, and the access-log
entries naming the case; but the framework hides access-log entries by exact object type
and number, so looks at the case's letters, report versions, evidence and rendered reports
(logged under their own types) stay listed. During a covert investigation the commissioner
defers the whole category, or "who looked at your data".
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cases.models import (
    AssignmentExtension,
    Case,
    CaseParty,
    CaseStatus,
    DeadlineKind,
    DisciplinaryProcedure,
    DocumentRequest,
    Evidence,
    Hearing,
    Interview,
    InterviewReportVersion,
    InterviewStatus,
    Investigation,
    InvestigationComplaint,
    InvestigationMethod,
    InvestigationViolationKind,
    InvestigatorAssignment,
    JournalEntry,
    Letter,
    LetterKind,
    LineReferral,
    OutcomeRoute,
    Punishment,
    ReporterIdentity,
    ReporterNotice,
    ReportRender,
    TelecomStageDecision,
    TriageCriterionAnswer,
    TriageDecision,
    VersionState,
)
from cases.models import Deadline as Term
from vik.models import ClassificationStage, Employee
from vik.transparency.models import PurgeRecord
from vik.transparency.registry import (
    Audience,
    Category,
    Count,
    DisclosureCategory,
    Measure,
    ObjectRef,
    OwnDataField,
    OwnDataItem,
    OwnDataRequest,
    OwnDataSection,
    Provider,
    PurgeRefusedError,
    PurgeRequest,
    Quarter,
    RetentionCategory,
)
from vik.transparency.services import check_purge_allowed

DISCLOSURE_CATEGORY = "cases.investigations"
SECTION = _("Investigations")

CASE = Case._meta.label_lower
INVESTIGATION = Investigation._meta.label_lower
INTERVIEW = Interview._meta.label_lower
LINE_REFERRAL = LineReferral._meta.label_lower
# Every object type under which the cases app (or its demo history) names something in the
# access log, and the path from that model to its case.
CASE_OF_OBJECT_TYPE: dict[str, tuple[Any, str]] = {
    CASE: (Case, "pk"),
    INVESTIGATION: (Investigation, "pk"),  # shares its key with the case
    INTERVIEW: (Interview, "investigation_id"),
    InterviewReportVersion._meta.label_lower: (
        InterviewReportVersion,
        "interview__investigation_id",
    ),
    Letter._meta.label_lower: (Letter, "investigation_id"),
    Evidence._meta.label_lower: (Evidence, "investigation_id"),
    ReportRender._meta.label_lower: (ReportRender, "case_id"),
    ReporterIdentity._meta.label_lower: (ReporterIdentity, "case_id"),
    ReporterNotice._meta.label_lower: (ReporterNotice, "case_id"),
    Term._meta.label_lower: (Term, "case_id"),
    LINE_REFERRAL: (LineReferral, "case_id"),
}
OBJECT_TYPES = tuple(CASE_OF_OBJECT_TYPE)


def _case_refs(case_id: int) -> tuple[ObjectRef, ...]:
    """The refs that name a whole case (a deferral may use either)."""
    return (ObjectRef(CASE, str(case_id)), ObjectRef(INVESTIGATION, str(case_id)))


def _end_of(day: datetime.date) -> datetime.datetime:
    """Midnight after ``day``, in the project's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


# --- Measures -------------------------------------------------------------------------
#
# Every measure counts (event, top-level unit of a person concerned) pairs: a case about
# two employees of one unit counts once for that unit, a case about employees of two units
# once for each. Who was concerned is read as it stood when the event happened (the
# party's ``added_at``), so a completed quarter does not change.

type Parties = dict[int, list[tuple[int, datetime.datetime]]]


def _concerned(case_ids: Iterable[int]) -> Parties:
    """Per case: (top-level unit, added at) of every person concerned."""
    parties: Parties = defaultdict(list)
    rows = (
        CaseParty.objects.filter(case_id__in=set(case_ids), role=CaseParty.Role.CONCERNED)
        .order_by()
        .values_list("case_id", "employee__unit_id", "added_at")
    )
    for case_id, unit_id, added_at in rows:
        parties[case_id].append((unit_id, added_at))
    return parties


def _units_at(
    parties: list[tuple[int, datetime.datetime]], when: datetime.datetime, fallback: int
) -> set[int]:
    """The units of the persons concerned before ``when``; the case's unit if there are none."""
    return {unit_id for unit_id, added_at in parties if added_at < when} or {fallback}


def _counts(tally: Counter[tuple[int, str]]) -> list[Count]:
    return [Count(unit_id, category, n) for (unit_id, category), n in tally.items()]


def triage_categories() -> list[Category]:
    return [Category(value, label) for value, label in TriageDecision.choices]


def count_triage(quarter: Quarter) -> list[Count]:
    """Reports triaged, by decision: once per unit of a person concerned, when it applied.

    A unit counts from the triage, or from when its first person concerned was added to the
    case if that was later (an investigation can widen to a colleague).
    """
    start, end = quarter.start_at, quarter.end_at
    widened = CaseParty.objects.filter(
        role=CaseParty.Role.CONCERNED, added_at__gte=start, added_at__lt=end
    ).values("case_id")
    cases = list(
        Case.objects.exclude(triage_decision="")
        .filter(triaged_at__lt=end)
        .filter(Q(triaged_at__gte=start) | Q(id__in=widened))
        .order_by()
        .values_list("id", "unit_id", "triage_decision", "triaged_at")
    )
    parties = _concerned(case_id for case_id, *_rest in cases)
    tally: Counter[tuple[int, str]] = Counter()
    for case_id, unit_id, decision, triaged_at in cases:
        if triaged_at is None:  # excluded by the filter; for the type checker
            continue
        first_added: dict[int, datetime.datetime] = {}
        for party_unit, added_at in parties.get(case_id, []):
            first_added[party_unit] = min(first_added.get(party_unit, added_at), added_at)
        events = {u: max(added, triaged_at) for u, added in first_added.items()} or {
            unit_id: triaged_at
        }
        for event_unit, when in events.items():
            if start <= when < end:
                tally[(event_unit, decision)] += 1
    return _counts(tally)


RIJKSRECHERCHE_EXCEPTION = "exception"
RIJKSRECHERCHE_EXCEPTION_CATEGORIES = (
    Category(RIJKSRECHERCHE_EXCEPTION, _("Kept by VIK despite a Rijksrecherche criterion")),
)


def count_rijksrecherche_exceptions(quarter: Quarter) -> list[Count]:
    """Reports that met a Rijksrecherche criterion but were not referred there, because the
    head of VIK recorded a reasoned exception: once per unit of a person concerned, in the
    quarter of the triage. One category only, so that it cannot be subtracted from the triage
    decisions' columns."""
    cases = list(
        Case.objects.exclude(rijksrecherche_exception="")
        .filter(triaged_at__gte=quarter.start_at, triaged_at__lt=quarter.end_at)
        .order_by()
        .values_list("id", "unit_id", "triaged_at")
    )
    parties = _concerned(case_id for case_id, *_rest in cases)
    tally: Counter[tuple[int, str]] = Counter()
    for case_id, unit_id, triaged_at in cases:
        if triaged_at is None:  # excluded by the filter; for the type checker
            continue
        for event_unit in _units_at(parties.get(case_id, []), triaged_at, unit_id):
            tally[(event_unit, RIJKSRECHERCHE_EXCEPTION)] += 1
    return _counts(tally)


DERELICTION_DISCIPLINARY = "dereliction_disciplinary"
DERELICTION_LINE = "dereliction_line"
DERELICTION_NONE = "dereliction_none"
NO_DERELICTION = "no_dereliction"
NO_JUDGEMENT = "no_judgement"

CLOSURE_CATEGORIES = (
    Category(DERELICTION_DISCIPLINARY, _("Dereliction of duty, disciplinary route")),
    Category(DERELICTION_LINE, _("Dereliction of duty, back to the line")),
    Category(DERELICTION_NONE, _("Dereliction of duty, no further measure")),
    Category(NO_DERELICTION, _("No dereliction of duty")),
    Category(NO_JUDGEMENT, _("No judgement on dereliction of duty")),
)


def closure_category(*, dereliction: bool | None, route: str) -> str:
    """The outcome column of a closed investigation."""
    if dereliction is None:
        return NO_JUDGEMENT
    if not dereliction:
        return NO_DERELICTION
    if route == OutcomeRoute.DISCIPLINARY:
        return DERELICTION_DISCIPLINARY
    return DERELICTION_LINE if route == OutcomeRoute.LINE else DERELICTION_NONE


def count_closed(quarter: Quarter) -> list[Count]:
    """Investigations closed in the quarter, by outcome, per unit of a person concerned."""
    rows = list(
        Case.objects.filter(
            status=CaseStatus.CLOSED,
            investigation__isnull=False,
            closed_at__gte=quarter.start_at,
            closed_at__lt=quarter.end_at,
        )
        .order_by()
        .values_list(
            "id",
            "unit_id",
            "closed_at",
            "investigation__dereliction",
            "investigation__outcome_route",
        )
    )
    parties = _concerned(row[0] for row in rows)
    tally: Counter[tuple[int, str]] = Counter()
    for case_id, unit_id, closed_at, dereliction, route in rows:
        if closed_at is None:
            continue
        category = closure_category(dereliction=dereliction, route=route)
        for event_unit in _units_at(parties.get(case_id, []), closed_at, unit_id):
            tally[(event_unit, category)] += 1
    return _counts(tally)


NO_PUNISHMENT = "none"


def punishment_categories() -> list[Category]:
    """Every punishment of the list, lightest first (inactive ones too), then none."""
    return [
        *(Category(code, name) for code, name in Punishment.objects.values_list("code", "name")),
        Category(NO_PUNISHMENT, _("No punishment after all")),
    ]


def count_punishments(quarter: Quarter) -> list[Count]:
    """Disciplinary decisions taken in the quarter, by the punishment imposed."""
    rows = list(
        DisciplinaryProcedure.objects.filter(
            decided_on__gte=quarter.start, decided_on__lt=quarter.end
        )
        .order_by()
        .values_list(
            "investigation_id",
            "investigation__case__unit_id",
            "decided_on",
            "decided_punishment__code",
        )
    )
    parties = _concerned(row[0] for row in rows)
    tally: Counter[tuple[int, str]] = Counter()
    for case_id, unit_id, decided_on, code in rows:
        if decided_on is None:
            continue
        for event_unit in _units_at(parties.get(case_id, []), _end_of(decided_on), unit_id):
            tally[(event_unit, code or NO_PUNISHMENT)] += 1
    return _counts(tally)


IN_TIME = "in_time"
LATE = "late"


def term_category(kind: str, *, late: bool) -> str:
    return f"{kind}_{LATE if late else IN_TIME}"


def term_categories() -> list[Category]:
    """Per term of the protocol: met in time, met late."""
    categories = []
    for kind in DeadlineKind:
        categories += [
            Category(
                term_category(kind.value, late=False),
                gettext("%(term)s: in time") % {"term": kind.label},
            ),
            Category(
                term_category(kind.value, late=True),
                gettext("%(term)s: late") % {"term": kind.label},
            ),
        ]
    return categories


def count_terms(quarter: Quarter) -> list[Count]:
    """Terms met in the quarter, by term and whether on or before the day they were due."""
    rows = list(
        Term.objects.filter(met_on__gte=quarter.start, met_on__lt=quarter.end)
        .order_by()
        .values_list("case_id", "case__unit_id", "kind", "due_on", "met_on")
    )
    parties = _concerned(row[0] for row in rows)
    tally: Counter[tuple[int, str]] = Counter()
    for case_id, unit_id, kind, due_on, met_on in rows:
        if met_on is None:
            continue
        category = term_category(kind, late=met_on > due_on)
        for event_unit in _units_at(parties.get(case_id, []), _end_of(met_on), unit_id):
            tally[(event_unit, category)] += 1
    return _counts(tally)


# --- Own data -------------------------------------------------------------------------


def _yes_no(*, value: bool | None) -> str:
    if value is None:
        return ""
    return str(_("yes") if value else _("no"))


def _dereliction_text(*, dereliction: bool | None) -> str:
    if dereliction is None:
        return str(_("No judgement on dereliction of duty"))
    return str(_("Dereliction of duty") if dereliction else _("No dereliction of duty"))


class _Disclosure:
    """What the protocol lets ``employee`` know, read once for all of their items."""

    def __init__(self, request: OwnDataRequest) -> None:
        employee = request.employee
        self.employee = employee
        self.deferrals = request.deferrals
        self.full = request.audience is Audience.ACCESS_REQUEST
        self.letters: dict[int, list[Letter]] = defaultdict(list)
        for letter in Letter.objects.filter(recipient=employee, sent_on__isnull=False).order_by(
            "sent_on", "id"
        ):
            self.letters[letter.investigation_id].append(letter)
        self.concerned = set(
            CaseParty.objects.filter(employee=employee, role=CaseParty.Role.CONCERNED).values_list(
                "case_id", flat=True
            )
        )
        # An investigation concerning them is disclosed once their notification letter went.
        self.notified_on: dict[int, datetime.date] = {}
        for case_id, letters in self.letters.items():
            for letter in letters:  # in the order they were sent
                if (
                    case_id in self.concerned
                    and letter.kind == LetterKind.NOTIFICATION
                    and letter.sent_on is not None
                ):
                    self.notified_on.setdefault(case_id, letter.sent_on)

    def deferred(self, case_id: int, *extra: ObjectRef) -> bool:
        return any(
            self.deferrals.covers(DISCLOSURE_CATEGORY, ref)
            for ref in (*_case_refs(case_id), *extra)
        )

    def hidden(self, case_id: int) -> bool:
        """A case that concerns them but has not been disclosed to them yet, or is deferred."""
        if case_id in self.concerned and case_id not in self.notified_on:
            return True
        return self.deferred(case_id)

    def sent_letter(self, case_id: int, kind: LetterKind) -> Letter | None:
        return next((item for item in self.letters.get(case_id, []) if item.kind == kind), None)


def _investigation_item(investigation: Investigation, seen: _Disclosure) -> OwnDataItem:
    case = investigation.case
    outcome_letter = seen.sent_letter(case.pk, LetterKind.OUTCOME)
    hearing: Hearing | None = getattr(investigation, "hearing", None)
    procedure: DisciplinaryProcedure | None = getattr(investigation, "disciplinary", None)
    report_given = investigation.report_provided_to_subject_on
    fields = [
        OwnDataField("reference", _("Reference"), case.reference),
        OwnDataField("kind", _("Kind"), investigation.get_kind_display()),
        OwnDataField("unit", _("Commissioned by the head of VIK of"), str(case.unit)),
        OwnDataField(
            "notified_on", _("You were informed in writing on"), seen.notified_on[case.pk]
        ),
        OwnDataField("status", _("Status"), case.get_status_display()),
        OwnDataField(
            "hearing_offered_on", _("Hearing offered on"), hearing.offered_on if hearing else None
        ),
        OwnDataField("hearing_held_on", _("Hearing held on"), hearing.held_on if hearing else None),
    ]
    if outcome_letter is not None:  # the outcome as the letter told it
        fields += [
            OwnDataField(
                "outcome", _("Outcome"), _dereliction_text(dereliction=investigation.dereliction)
            ),
            OwnDataField("route", _("Route"), investigation.get_outcome_route_display()),
            OwnDataField(
                "outcome_letter_sent_on", _("Outcome letter sent on"), outcome_letter.sent_on
            ),
        ]
    if procedure is not None:
        fields += [
            OwnDataField(
                "intended_punishment", _("Intended punishment"), procedure.intended_punishment.name
            ),
            OwnDataField(
                "intended_on", _("Intended decision made known on"), procedure.intended_on
            ),
        ]
        if procedure.decided_on is not None:
            punishment = procedure.decided_punishment
            fields += [
                OwnDataField(
                    "punishment",
                    _("Punishment imposed"),
                    punishment.name if punishment else str(_("No punishment after all")),
                ),
                OwnDataField("decided_on", _("Decided on"), procedure.decided_on),
            ]
    fields += [
        OwnDataField("report_provided_on", _("Report given to you on"), report_given),
        OwnDataField(
            "closed_on",
            _("Closed on"),
            timezone.localdate(case.closed_at) if case.closed_at else None,
        ),
    ]
    if seen.full:
        # Complete about the employee: their own words, and what the protocol gave them.
        if hearing is not None and hearing.is_recorded:
            fields += [
                OwnDataField("hearing_form", _("Your response"), hearing.get_form_display()),
                OwnDataField(
                    "hearing_reaction", _("Your reaction at the hearing"), hearing.reaction
                ),
            ]
        if outcome_letter is not None:
            fields.append(
                OwnDataField(
                    "rationale", _("Rationale of the outcome"), investigation.outcome_rationale
                )
            )
            fields.append(
                OwnDataField(
                    "violation_kinds",
                    _("Kinds of violation recorded"),
                    ", ".join(
                        str(row.kind)
                        for row in case.violation_kinds.all()
                        if row.stage == ClassificationStage.OUTCOME
                    ),
                )
            )
        if report_given is not None:
            fields += [
                OwnDataField("findings", _("Findings"), investigation.findings),
                OwnDataField("conclusion", _("Conclusion"), investigation.conclusion),
            ]
        methods = _methods_told(investigation, report_given=report_given is not None)
        if methods:
            fields.append(OwnDataField("methods", _("Investigative methods used"), methods))
        if procedure is not None:
            fields += [
                OwnDataField(
                    "intended_reasons",
                    _("Reasons for the intended decision"),
                    procedure.intended_reasons,
                ),
                OwnDataField(
                    "response", _("Your response to the intended decision"), procedure.response
                ),
                OwnDataField(
                    "decision_reasons", _("Reasons for the decision"), procedure.decision_reasons
                ),
                OwnDataField(
                    "receipt_signed_on", _("Receipt signed on"), procedure.receipt_signed_on
                ),
            ]
    return OwnDataItem(
        title=f"{investigation.get_kind_display()} {case.reference}",
        date=seen.notified_on[case.pk],
        object_ref=ObjectRef(CASE, str(case.pk)),
        fields=tuple(fields),
    )


def _methods_told(investigation: Investigation, *, report_given: bool) -> str:
    """The methods used, once the report (with its register) was given to the employee;
    an examination of telecommunication as soon as they were told of it afterwards."""
    used = []
    for method in investigation.methods.all():
        if method.started_on is None:
            continue
        if report_given or (method.is_telecom and method.subject_informed_on is not None):
            period = f"{method.started_on:%d-%m-%Y}"
            if method.ended_on is not None:
                period += f" – {method.ended_on:%d-%m-%Y}"
            used.append(f"{method.get_kind_display()} ({period})")
    return "; ".join(used)


def _referral_item(referral: LineReferral, seen: _Disclosure) -> OwnDataItem:
    fields = [
        OwnDataField("reference", _("Reference"), referral.case.reference),
        OwnDataField("referred_on", _("Referred on"), timezone.localdate(referral.referred_at)),
        OwnDataField("held_on", _("Conversation held on"), referral.conversation_held_on),
    ]
    if seen.full:
        fields += [
            OwnDataField(
                "summary", _("Summary of the conversation"), referral.conversation_summary
            ),
            OwnDataField("agreements", _("Agreements made"), referral.agreements),
        ]
    return OwnDataItem(
        title=_("Conversation with your team chief"),
        date=referral.conversation_held_on,
        object_ref=ObjectRef(LINE_REFERRAL, str(referral.pk)),
        fields=tuple(fields),
    )


def _interview_item(interview: Interview, seen: _Disclosure) -> OwnDataItem:
    fields: list[OwnDataField] = [
        OwnDataField("reference", _("Reference"), interview.investigation.case.reference),
        OwnDataField("role", _("You were heard as"), interview.get_role_display()),
        OwnDataField("scheduled_at", _("Date and time"), interview.scheduled_at),
        OwnDataField("status", _("Status"), interview.get_status_display()),
        OwnDataField(
            "counsel_present", _("Counsel present"), _yes_no(value=interview.counsel_present)
        ),
        OwnDataField(
            "recording_destroyed_on", _("Recording destroyed on"), interview.recording_destroyed_on
        ),
    ]
    if seen.full:
        # Only a version they were given: never a draft.
        given = [v for v in interview.versions.all() if v.state != VersionState.DRAFT]
        version = max(given, key=lambda v: v.number, default=None)
        if version is not None:
            fields += [
                OwnDataField("report_version", _("Version of the report"), version.number),
                OwnDataField("report_state", _("State of the report"), version.get_state_display()),
                OwnDataField("report", _("Report of your interview"), version.content),
                OwnDataField("your_comments", _("Your comments"), version.interviewee_comments),
            ]
        if interview.refusal_reason:
            fields.append(
                OwnDataField("refusal", _("Refusal to cooperate"), interview.refusal_reason)
            )
    return OwnDataItem(
        title=_("Interview"),
        date=interview.held_at or interview.scheduled_at,
        object_ref=ObjectRef(INTERVIEW, str(interview.pk)),
        fields=tuple(fields),
    )


def _document_request_item(request: DocumentRequest, seen: _Disclosure) -> OwnDataItem:
    fields = [
        OwnDataField("reference", _("Reference"), request.investigation.case.reference),
        OwnDataField("requested_on", _("Requested and agreed on"), request.requested_on),
        OwnDataField("due_on", _("Due on"), request.due_on),
        OwnDataField("received_on", _("Received on"), request.received_on),
        OwnDataField("refused_on", _("Refused on"), request.refused_on),
    ]
    if seen.full:
        fields += [
            OwnDataField("description", _("Documents or goods requested"), request.description),
            OwnDataField(
                "refusal_reason", _("Reason given for the refusal"), request.refusal_reason
            ),
        ]
    return OwnDataItem(
        title=_("Request to hand over documents"),
        date=request.requested_on,
        object_ref=ObjectRef(CASE, str(request.investigation_id)),
        fields=tuple(fields),
    )


def _letter_item(letter: Letter, reference: str) -> OwnDataItem:
    return OwnDataItem(
        title=letter.get_kind_display(),
        date=letter.sent_on,
        object_ref=ObjectRef(Letter._meta.label_lower, str(letter.pk)),
        fields=(
            OwnDataField("reference", _("Reference"), reference),
            OwnDataField("subject", pgettext_lazy("letter", "Subject"), letter.subject),
            OwnDataField("sent_on", _("Sent on"), letter.sent_on),
            OwnDataField("delivery", _("Delivery"), letter.get_delivery_display()),
            OwnDataField("text", _("Text"), letter.body),
        ),
    )


def _report_item(identity: ReporterIdentity, seen: _Disclosure) -> OwnDataItem:
    case = identity.case
    fields = [
        OwnDataField("received_on", _("Received on"), case.received_on),
        OwnDataField("channel", _("Channel"), case.get_channel_display()),
        OwnDataField(
            "consent_to_disclose",
            _("You consent to disclosure of your identity"),
            _yes_no(value=identity.consent_to_disclose),
        ),
    ]
    if case.is_whistleblower_report:
        fields += [
            OwnDataField("acknowledged_on", _("Acknowledged on"), case.acknowledged_on),
            OwnDataField("feedback_given_on", _("Feedback given on"), case.feedback_given_on),
        ]
    if seen.full:
        fields += [
            OwnDataField("name", _("Name"), identity.name),
            OwnDataField("contact", _("Contact details"), identity.contact),
        ]
    return OwnDataItem(
        title=_("A report you made"),
        date=case.received_on,
        object_ref=ObjectRef(CASE, str(case.pk)),
        fields=tuple(fields),
    )


def own_data(request: OwnDataRequest) -> list[OwnDataSection]:
    """What the cases app holds about the employee, as far as the protocol lets them know.

    About them: an investigation once their written notification was sent, a referral to
    the line once the conversation was held. Their own part elsewhere: interviews once they
    were invited in writing, requests for documents, the reports they made. The export adds
    their own words, the letters they were sent and what the protocol gave them (the
    outcome's rationale after the outcome letter, the findings after the report); never the
    reporter, nor what witnesses said.
    """
    if request.deferrals.covers(DISCLOSURE_CATEGORY):
        return []
    employee = request.employee
    about: list[OwnDataItem] = []
    involved: list[OwnDataItem] = []
    # Most employees have nothing to do with any case: one query tells.
    if Case.objects.filter(_linked_case_ids([employee.pk])).exists():
        _collect(request, about, involved)
    return _sections(about, involved)


def _collect(
    request: OwnDataRequest, about: list[OwnDataItem], involved: list[OwnDataItem]
) -> None:
    seen = _Disclosure(request)
    employee = request.employee

    investigations = (
        Investigation.objects.filter(pk__in=list(seen.notified_on))
        .select_related(
            "case__unit",
            "hearing",
            "disciplinary__intended_punishment",
            "disciplinary__decided_punishment",
        )
        .prefetch_related("methods")
        .order_by("-case__received_at")
    )
    for investigation in investigations:
        if not seen.deferred(investigation.pk):
            about.append(_investigation_item(investigation, seen))
    referrals = (
        LineReferral.objects.filter(employee=employee, conversation_held_on__isnull=False)
        .select_related("case")
        .order_by("-conversation_held_on", "-id")
    )
    for referral in referrals:
        if not seen.deferred(referral.case_id, ObjectRef(LINE_REFERRAL, str(referral.pk))):
            about.append(_referral_item(referral, seen))

    def place(case_id: int, item: OwnDataItem) -> None:
        (about if case_id in seen.notified_on else involved).append(item)

    invited = Letter.objects.filter(
        kind=LetterKind.INVITATION, sent_on__isnull=False, interview__interviewee=employee
    ).values("interview_id")
    interviews = (
        Interview.objects.filter(interviewee=employee)
        .filter(Q(id__in=invited) | Q(status__in=[InterviewStatus.HELD, InterviewStatus.REFUSED]))
        .select_related("investigation__case")
        .prefetch_related("versions")
        .order_by("-scheduled_at")
    )
    for interview in interviews:
        case_id = interview.investigation_id
        if not (
            seen.hidden(case_id) or seen.deferred(case_id, ObjectRef(INTERVIEW, str(interview.pk)))
        ):
            place(case_id, _interview_item(interview, seen))
    for document_request in (
        DocumentRequest.objects.filter(requested_from=employee)
        .select_related("investigation__case")
        .order_by("-requested_on")
    ):
        if not seen.hidden(document_request.investigation_id):
            place(document_request.investigation_id, _document_request_item(document_request, seen))
    if seen.full:
        references = dict(
            Case.objects.filter(pk__in=list(seen.letters)).values_list("pk", "reference")
        )
        for case_id, letters in seen.letters.items():
            if seen.hidden(case_id):
                continue
            for letter in letters:
                if not seen.deferred(case_id, ObjectRef(Letter._meta.label_lower, str(letter.pk))):
                    place(case_id, _letter_item(letter, references[case_id]))
    for identity in ReporterIdentity.objects.filter(employee=employee).select_related("case"):
        if not seen.deferred(identity.case_id):
            involved.append(_report_item(identity, seen))


def _sections(about: list[OwnDataItem], involved: list[OwnDataItem]) -> list[OwnDataSection]:
    return [
        OwnDataSection(
            key="cases.about_me",
            category=DISCLOSURE_CATEGORY,
            title=_("Investigations concerning you"),
            description=_(
                "An integrity investigation concerning you is shown from the moment you were "
                "informed of it in writing, with its progress; the outcome once the outcome "
                "letter was sent to you. A conversation with your team chief after a referral "
                "to the line is shown once it was held. Kept twelve months after closing, or "
                "five years when dereliction of duty was found. Who reported is never shown, "
                "nor what witnesses said: the investigation report you were given contains "
                "what the protocol lets you know."
            ),
            items=tuple(about),
            empty_text=_(
                "Nothing to show. An investigation concerning you is shown here from the "
                "moment you are informed of it in writing."
            ),
            order=35,
        ),
        OwnDataSection(
            key="cases.involvement",
            category=DISCLOSURE_CATEGORY,
            title=_("Your part in other matters"),
            description=_(
                "Interviews you were invited to and requests for documents made to you in "
                "investigations that are not about you, and reports you made. Who else is "
                "involved, and what others said, is not shown."
            ),
            items=tuple(involved),
            empty_text=_("Nothing of this kind to show."),
            order=36,
        ),
    ]


# --- Closed matters -------------------------------------------------------------------


def _linked_case_ids(employee_ids: Collection[int]) -> Q:
    """Cases about or involving any of ``employee_ids``: as a party, the reporter, an
    interviewee, asked for documents, sent a letter, or referred to the line."""
    ids = set(employee_ids)
    return (
        Q(id__in=CaseParty.objects.filter(employee_id__in=ids).values("case_id"))
        | Q(id__in=ReporterIdentity.objects.filter(employee_id__in=ids).values("case_id"))
        | Q(id__in=LineReferral.objects.filter(employee_id__in=ids).values("case_id"))
        | Q(id__in=Interview.objects.filter(interviewee_id__in=ids).values("investigation_id"))
        | Q(
            id__in=DocumentRequest.objects.filter(requested_from_id__in=ids).values(
                "investigation_id"
            )
        )
        | Q(id__in=Letter.objects.filter(recipient_id__in=ids).values("investigation_id"))
    )


def closed_matters(employee: Employee, refs: Collection[ObjectRef]) -> set[ObjectRef]:
    """Which of the given refs belong to a closed matter involving ``employee``.

    A case is closed when its status is; a referral to the line when the conversation was
    held (it may outlive the investigation that led to it).
    """
    ids_by_type: dict[str, set[int]] = defaultdict(set)
    for ref in refs:
        if ref.object_type in CASE_OF_OBJECT_TYPE and ref.object_id.isdigit():
            ids_by_type[ref.object_type].add(int(ref.object_id))
    closed: set[ObjectRef] = set()
    referral_ids = ids_by_type.pop(LINE_REFERRAL, set())
    if referral_ids:
        held = LineReferral.objects.filter(
            pk__in=referral_ids, employee=employee, conversation_held_on__isnull=False
        ).values_list("pk", flat=True)
        closed |= {ObjectRef(LINE_REFERRAL, str(pk)) for pk in held}
    case_of: dict[ObjectRef, int] = {}
    for object_type, ids in ids_by_type.items():
        model, path = CASE_OF_OBJECT_TYPE[object_type]
        for pk, case_id in model.objects.filter(pk__in=ids).values_list("pk", path):
            case_of[ObjectRef(object_type, str(pk))] = case_id
    if case_of:
        closed_cases = set(
            Case.objects.filter(pk__in=set(case_of.values()), status=CaseStatus.CLOSED)
            .filter(_linked_case_ids([employee.pk]))
            .values_list("pk", flat=True)
        )
        closed |= {ref for ref, case_id in case_of.items() if case_id in closed_cases}
    return closed


# --- Retention ------------------------------------------------------------------------

# The models whose history rows hold a case's data, by the field that names the case.
HISTORY_BY_CASE: tuple[tuple[Any, str], ...] = (
    (CaseParty, "case_id"),
    (ReporterIdentity, "case_id"),
    (ReporterNotice, "case_id"),
    (TriageCriterionAnswer, "case_id"),
    (LineReferral, "case_id"),
    (InvestigationComplaint, "case_id"),
    (Term, "case_id"),
    (InvestigatorAssignment, "investigation_id"),
    (InvestigationMethod, "investigation_id"),
    (Letter, "investigation_id"),
    (DocumentRequest, "investigation_id"),
    (Evidence, "investigation_id"),
    (Interview, "investigation_id"),
    (Hearing, "investigation_id"),
    (DisciplinaryProcedure, "investigation_id"),
    (Investigation, "case_id"),
    (InvestigationViolationKind, "subject_id"),
    (Case, "id"),
)


def expired_cases(request: PurgeRequest, *, dereliction: bool) -> QuerySet[Case]:
    """Cases closed before the cutoff, with or without a finding of dereliction of duty.

    Kept: cases involving an employee under a legal hold, cases whose referral to the line
    still waits for its conversation, and cases with an unanswered complaint.
    """
    cases = Case.objects.filter(status=CaseStatus.CLOSED, closed_at__lt=request.cutoff_at)
    if dereliction:
        cases = cases.filter(investigation__dereliction=True)
    else:
        cases = cases.exclude(investigation__dereliction=True)
    if request.held_employee_ids:
        cases = cases.exclude(_linked_case_ids(request.held_employee_ids))
    return cases.exclude(
        id__in=LineReferral.objects.filter(conversation_held_on__isnull=True).values("case_id")
    ).exclude(
        id__in=InvestigationComplaint.objects.filter(answered_on__isnull=True).values("case_id")
    )


def purge_cases(request: PurgeRequest, case_ids: Collection[int]) -> Any:
    """Remove the cases with every part, stored file and history row.

    On PostgreSQL the database function ``cases_purge_closed_cases`` goes first: it checks
    every case against the retention rules of ``request.category`` itself (and refuses the
    whole purge if one fails), removes what the runtime role may not delete — the journal,
    extensions, telecommunication stage decisions, interview-report versions and letters,
    with their history — and writes the purge record, which is returned. The rest goes
    through the ORM in the same transaction: the deletes would add "deleted" history rows
    holding the data, so the history goes after the objects. On SQLite (the demo) the same
    rules are checked in Python and the count is returned. Files are removed once the
    transaction has committed.
    """
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    files = [
        *Evidence.objects.filter(investigation_id__in=ids).values_list("file", flat=True),
        *ReportRender.objects.filter(case_id__in=ids)
        .exclude(file="")
        .values_list("file", flat=True),
    ]
    interview_ids = list(
        Interview.history.filter(investigation_id__in=ids).values_list("id", flat=True).distinct()
    )
    record: PurgeRecord | None = None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT cases_purge_closed_cases(%s, %s::date, %s::integer, %s::bigint[])",
                    [request.category, request.cutoff, request.run_by_id, ids],
                )
                record = PurgeRecord.objects.get(pk=cursor.fetchone()[0])
        else:
            check_purge_allowed(request.category, request.cutoff)
            expired = set(
                expired_cases(request, dereliction=request.category == CLOSED_WITH_DERELICTION)
                .filter(pk__in=ids)
                .values_list("pk", flat=True)
            )
            if expired != set(ids):
                raise PurgeRefusedError(f"{len(set(ids) - expired)} case(s) may not be purged yet")
            # SQLite has no roles: past the models' append-only guards on purpose.
            for queryset in (
                JournalEntry.objects.filter(investigation_id__in=ids),
                AssignmentExtension.objects.filter(investigation_id__in=ids),
                TelecomStageDecision.objects.filter(method__investigation_id__in=ids),
                InterviewReportVersion.objects.filter(interview_id__in=interview_ids),
            ):
                queryset._raw_delete(queryset.db)
            Letter.objects.filter(investigation_id__in=ids).delete()
        Case.objects.filter(pk__in=ids).delete()  # cascades to every other part
        for model, field in HISTORY_BY_CASE:
            model.history.filter(**{f"{field}__in": ids}).delete()
        InterviewReportVersion.history.filter(interview_id__in=interview_ids).delete()
    transaction.on_commit(lambda: _delete_files(files))
    return record if record is not None else len(ids)


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


CLOSED_WITHOUT_DERELICTION = "cases.closed_no_violation"
CLOSED_WITH_DERELICTION = "cases.closed_violation"


def purge_closed_without_dereliction(request: PurgeRequest) -> Any:
    return purge_cases(
        request, list(expired_cases(request, dereliction=False).values_list("pk", flat=True))
    )


def purge_closed_with_dereliction(request: PurgeRequest) -> Any:
    return purge_cases(
        request, list(expired_cases(request, dereliction=True).values_list("pk", flat=True))
    )


PROVIDER = Provider(
    app_label="cases",
    measures=(
        Measure(
            key="cases.triage_decisions",
            population="cases.triage_decisions",
            section=SECTION,
            title=_("Reports triaged, by decision"),
            description=_(
                "Reports by the decision of the head of VIK: the investigations opened, by "
                "kind, the referrals back to the line or elsewhere, and no action. Counted "
                "once for each unit of a person concerned (a report naming no one: the unit "
                "it is about), in the quarter of the decision; a colleague added to a running "
                "investigation later counts for their unit when added."
            ),
            categories=triage_categories,
            count=count_triage,
            order=30,
        ),
        Measure(
            key="cases.investigations_closed",
            population="cases.investigations_closed",
            section=SECTION,
            title=_("Investigations closed, by outcome"),
            description=_(
                "Whether the commissioner found dereliction of duty and the route that "
                "followed, counted once for each unit of a person concerned, in the quarter "
                "the investigation was closed."
            ),
            categories=CLOSURE_CATEGORIES,
            count=count_closed,
            order=31,
        ),
        Measure(
            key="cases.disciplinary_decisions",
            population="cases.disciplinary_decisions",
            section=SECTION,
            title=_("Disciplinary decisions, by punishment"),
            description=_(
                "The punishment imposed (Barp art. 77) or none after all, counted once for "
                "each unit of a person concerned, in the quarter of the decision."
            ),
            categories=punishment_categories,
            count=count_punishments,
            order=32,
        ),
        Measure(
            key="cases.terms_met",
            population="cases.terms_met",
            section=SECTION,
            title=_("Protocol terms met, in time or late"),
            description=_(
                "The lead times against the protocol's deadlines: each term (acknowledging a "
                "whistleblower, the expected end of an investigation, interview reports, "
                "comments, documents, complaints) in the quarter it was met, by whether that "
                "was on or before the day it was due. Counted once for each unit of a person "
                "concerned."
            ),
            categories=term_categories,
            count=count_terms,
            order=33,
        ),
        Measure(
            key="cases.rijksrecherche_exceptions",
            population="cases.rijksrecherche_exceptions",
            section=SECTION,
            title=_("Exceptions to the Rijksrecherche criteria"),
            description=_(
                "Reports that met a criterion for the Rijksrecherche (seed 002: a firearm with "
                "death or any injury, other confrontations or an arrestee with death or serious "
                "injury, corruption, or at the public prosecutor's request) but were kept by "
                "VIK because the head of VIK recorded a reasoned exception. Counted once for "
                "each unit of a person concerned, in the quarter of the triage."
            ),
            categories=RIJKSRECHERCHE_EXCEPTION_CATEGORIES,
            count=count_rijksrecherche_exceptions,
            order=34,
        ),
    ),
    disclosure_categories=(
        DisclosureCategory(
            key=DISCLOSURE_CATEGORY,
            label=_("Investigations"),
            description=_(
                "Investigations and reports concerning the employee, their part in other "
                "investigations, and every look at those in the access log."
            ),
            object_types=OBJECT_TYPES,
        ),
    ),
    own_data=own_data,
    closed_matters=closed_matters,
    retention=(
        RetentionCategory(
            key=CLOSED_WITHOUT_DERELICTION,
            label=_("Closed investigations without dereliction of duty"),
            default_months=12,
            rationale=_(
                "The employee was cleared, no judgement was given, or the matter went back to "
                "the line; reports closed at triage count here too. Twelve months after "
                "closing covers a complaint about the investigation (6 weeks) and any "
                "objection or appeal; after that the file must not count against the employee."
            ),
            purge=purge_closed_without_dereliction,
        ),
        RetentionCategory(
            key=CLOSED_WITH_DERELICTION,
            label=_("Closed investigations with dereliction of duty"),
            default_months=60,
            rationale=_(
                "Dereliction of duty was found, usually followed by a disciplinary decision. "
                "Five years after closing, covering objection, court proceedings and the "
                "weighing of a repeat offence; to be confirmed against the police archive "
                "selection list."
            ),
            purge=purge_closed_with_dereliction,
        ),
    ),
)

"""Reads of the cases app: the only place where cases and their parts are scoped to a user.

Who sees a case:

* the **commissioner** — a head of VIK (``triage_reports``) whose ``head_unit`` grant covers
  the case's unit; when every such head is excluded from the case (a party, the reporter,
  or conflicted), a **deputy commissioner** appointed for the unit (or a unit above it)
  takes their place, for that case only;
* the **assigned investigators** (``conduct_investigations``) — a per-case guardian grant
  (:mod:`cases.permissions`);
* the **registrar** (``register_reports``) — the report they registered, until it is triaged;

and never anyone who is a party to the case (concerned, named in the intake, heard as a
witness), its reporter, or conflicted with any of them — whatever their role. A team chief
sees no case at all, only the :class:`~cases.models.LineReferral` addressed to their team.

Every part of a case (journal, methods, letters, interviews, ...) is scoped by one
``case__in``/``investigation__in`` subquery on :func:`cases_visible_to`, so all list,
detail, PDF and history paths share exactly one rule.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from statistics import median
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone

from cases.models import (
    COMMISSIONER_DEADLINES,
    Case,
    CaseParty,
    CaseStatus,
    CommissionerDeputy,
    Deadline,
    DocumentRequest,
    Evidence,
    ForwardedSignal,
    Interview,
    InterviewReportVersion,
    Investigation,
    InvestigationComplaint,
    InvestigationMethod,
    InvestigatorAssignment,
    JournalEntry,
    Letter,
    LetterKind,
    LineReferral,
    ReporterIdentity,
    ReporterNotice,
    ReportRender,
    TriageDecision,
)
from cases.permissions import granted_case_ids
from vik.models import ConflictOfInterest, Employee, UnitAncestry
from vik.permissions import UnitUserObjectPermission
from vik.roles import Capability, Role, UnitScope
from vik.selectors import (
    active_conflicts_about,
    capabilities_of,
    employee_ids_in_scope,
    employees_visible_to,
    excluded_employee_ids,
    unit_ids_in_scope,
)
from vik.workdays import working_days_between

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


# --- Cases ----------------------------------------------------------------------------


def excluded_case_ids(*, user: AnyUser) -> QuerySet[Any]:
    """Cases ``user`` must never see: a party or the reporter is themself or a conflict."""
    excluded = excluded_employee_ids(user=user)
    return Case.objects.filter(
        Q(id__in=CaseParty.objects.filter(employee_id__in=excluded).values("case_id"))
        | Q(id__in=ReporterIdentity.objects.filter(employee_id__in=excluded).values("case_id"))
    ).values("id")


def _regular_commissioner_exists() -> Exists:
    """Correlated on a case: a head of VIK over its unit who is not excluded from it.

    Excluded, as :func:`users_excluded_from` says: a party to the case, its reporter, or
    conflicted with any of them. One subquery, so the deputy's scope stays a single filter.
    """
    case_pk = OuterRef(OuterRef("pk"))

    def involved_ids(case_ref: OuterRef) -> Q:
        return Q(id__in=CaseParty.objects.filter(case_id=case_ref).values("employee_id")) | Q(
            id__in=ReporterIdentity.objects.filter(case_id=case_ref, employee__isnull=False).values(
                "employee_id"
            )
        )

    # A conflict is recorded against the employee or, before HR delivered them, against the
    # personnel number (as :func:`vik.selectors.active_conflicts_about` matches).
    involved_numbers = Employee.objects.filter(involved_ids(OuterRef(OuterRef(case_pk)))).values(
        "personnel_number"
    )
    involved = (
        Q(employee_id__in=CaseParty.objects.filter(case_id=OuterRef(case_pk)).values("employee_id"))
        | Q(
            employee_id__in=ReporterIdentity.objects.filter(
                case_id=OuterRef(case_pk), employee__isnull=False
            ).values("employee_id")
        )
        | Q(personnel_number__in=involved_numbers)
    )
    heads = (
        UnitUserObjectPermission.objects.filter(
            permission__codename=UnitScope.HEAD.value,
            content_object_id__in=UnitAncestry.objects.filter(
                descendant_id=OuterRef(OuterRef("unit_id"))
            ).values("ancestor_id"),
            user__is_active=True,
        )
        .exclude(
            Exists(CaseParty.objects.filter(case_id=case_pk, employee__user_id=OuterRef("user_id")))
        )
        .exclude(
            Exists(
                ReporterIdentity.objects.filter(
                    case_id=case_pk, employee__user_id=OuterRef("user_id")
                )
            )
        )
        .exclude(
            Exists(
                ConflictOfInterest.objects.filter(
                    involved, user_id=OuterRef("user_id"), ended_at__isnull=True
                )
            )
        )
    )
    return Exists(heads)


def deputy_unit_ids(*, user: AnyUser) -> QuerySet[Any]:
    """Units (and every unit below them) for which ``user`` is an active deputy commissioner."""
    if user.pk is None:
        return UnitAncestry.objects.none().values("descendant_id")
    return UnitAncestry.objects.filter(
        ancestor_id__in=CommissionerDeputy.objects.filter(user_id=user.pk, is_active=True).values(
            "unit_id"
        )
    ).values("descendant_id")


def _commissioner_scope(user: AnyUser) -> Q:
    """The cases a head of VIK is commissioner of, before exclusions: their units' cases,
    and — as a deputy — the cases of the deputised units that no regular head can take."""
    # One filter, no extra query: for a head who is no deputy the second clause is empty.
    return Q(unit_id__in=unit_ids_in_scope(user=user, scopes=UnitScope.HEAD)) | Q(
        Q(unit_id__in=deputy_unit_ids(user=user)), ~_regular_commissioner_exists()
    )


def cases_visible_to(*, user: AnyUser) -> QuerySet[Case]:
    """The cases ``user`` may see: as commissioner, as assigned investigator, as registrar."""
    if not user.is_authenticated:
        return Case.objects.none()
    held = capabilities_of(user)
    scope = Q()
    if Capability.TRIAGE_REPORTS in held:
        scope |= _commissioner_scope(user)
    if Capability.CONDUCT_INVESTIGATIONS in held:
        scope |= Q(id__in=granted_case_ids(user))
    if Capability.REGISTER_REPORTS in held:
        scope |= Q(registered_by=user, status=CaseStatus.REGISTERED)
    if not scope:
        return Case.objects.none()
    return (
        Case.objects.filter(scope)
        .exclude(id__in=excluded_case_ids(user=user))
        .select_related("unit")
    )


def cases_as_commissioner(*, user: AnyUser) -> QuerySet[Case]:
    """The visible cases of which ``user`` is the commissioner (head of VIK of the unit)."""
    if Capability.TRIAGE_REPORTS not in capabilities_of(user):
        return Case.objects.none()
    return cases_visible_to(user=user).filter(_commissioner_scope(user))


def cases_as_investigator(*, user: AnyUser) -> QuerySet[Case]:
    """The visible cases assigned to ``user`` as investigator."""
    if Capability.CONDUCT_INVESTIGATIONS not in capabilities_of(user):
        return Case.objects.none()
    return cases_visible_to(user=user).filter(id__in=granted_case_ids(user))


@dataclass(frozen=True)
class CaseRoles:
    """A user's part in one case: what :func:`with_roles_of` read with the case.

    ``commissioner``: the case is among :func:`cases_as_commissioner`; ``deputy``: and only as
    a deputy — no head of VIK whose grant covers the case's unit can act (they are excluded);
    ``investigator``: the case is among :func:`cases_as_investigator`.
    """

    commissioner: bool
    deputy: bool
    investigator: bool


_ROLE_FIELDS = {
    "commissioner": "_roles_commissioner",
    "deputy": "_roles_deputy",
    "investigator": "_roles_investigator",
}


def _flag(condition: Q | None) -> ExpressionWrapper | Value:
    """A boolean column: ``condition`` on each row, or False when the role is not held."""
    if condition is None:
        return Value(value=False, output_field=BooleanField())
    return ExpressionWrapper(condition, output_field=BooleanField())


def with_roles_of(cases: QuerySet[Case], *, user: AnyUser) -> QuerySet[Case]:
    """``cases`` with ``user``'s part in each read in the same query (see :func:`roles_in`).

    The same rules as :func:`cases_as_commissioner` and :func:`cases_as_investigator`, as
    columns instead of one ``EXISTS`` query per role: a page about a case knows them for free.
    """
    held = capabilities_of(user)
    not_excluded = ~Q(id__in=excluded_case_ids(user=user))
    commissioner = deputy = investigator = None
    if Capability.TRIAGE_REPORTS in held:
        commissioner = _commissioner_scope(user) & not_excluded
        # A deputy: commissioner though no regular head can act. Being commissioner implies
        # not excluded, so "a head over the unit, not excluded" is "a head over the unit".
        deputy = commissioner & ~Q(unit_id__in=unit_ids_in_scope(user=user, scopes=UnitScope.HEAD))
    if Capability.CONDUCT_INVESTIGATIONS in held:
        investigator = Q(id__in=granted_case_ids(user)) & not_excluded
    roles = {"commissioner": commissioner, "deputy": deputy, "investigator": investigator}
    return cases.annotate(**{_ROLE_FIELDS[role]: _flag(q) for role, q in roles.items()})


def roles_in(case: Case) -> CaseRoles:
    """The user's part in ``case``, as read by :func:`with_roles_of` (no query)."""
    return CaseRoles(**{role: bool(getattr(case, field)) for role, field in _ROLE_FIELDS.items()})


def investigations_visible_to(*, user: AnyUser) -> QuerySet[Investigation]:
    """The investigations of the visible cases."""
    return Investigation.objects.filter(case__in=cases_visible_to(user=user).values("id"))


def _visible_investigation_ids(user: AnyUser) -> QuerySet[Any]:
    return cases_visible_to(user=user).values("id")


def parties_visible_to(*, user: AnyUser) -> QuerySet[CaseParty]:
    """The people listed on the visible cases."""
    return CaseParty.objects.filter(case__in=_visible_investigation_ids(user)).select_related(
        "employee", "employee__unit", "employee__team"
    )


def reporter_identities_visible_to(*, user: AnyUser) -> QuerySet[ReporterIdentity]:
    """The commissioner's; investigators only where the reporter consented to disclosure."""
    commissioner = cases_as_commissioner(user=user).values("id")
    consented = cases_visible_to(user=user).values("id")
    return ReporterIdentity.objects.filter(
        Q(case__in=commissioner) | Q(case__in=consented, consent_to_disclose=True)
    )


def reporter_notices_visible_to(*, user: AnyUser) -> QuerySet[ReporterNotice]:
    """What the reporter was told: the commissioner's, like the reporter's identity."""
    return ReporterNotice.objects.filter(case__in=cases_as_commissioner(user=user).values("id"))


def journal_entries_visible_to(*, user: AnyUser) -> QuerySet[JournalEntry]:
    """Journal lines of the visible investigations."""
    return JournalEntry.objects.filter(
        investigation__in=_visible_investigation_ids(user)
    ).select_related("author")


def methods_visible_to(*, user: AnyUser) -> QuerySet[InvestigationMethod]:
    """The methods registers of the visible investigations."""
    return InvestigationMethod.objects.filter(investigation__in=_visible_investigation_ids(user))


def letters_visible_to(*, user: AnyUser) -> QuerySet[Letter]:
    """Letters of the visible investigations."""
    return Letter.objects.filter(investigation__in=_visible_investigation_ids(user))


def document_requests_visible_to(*, user: AnyUser) -> QuerySet[DocumentRequest]:
    """Requests for documents of the visible investigations."""
    return DocumentRequest.objects.filter(investigation__in=_visible_investigation_ids(user))


def evidence_visible_to(*, user: AnyUser) -> QuerySet[Evidence]:
    """Stored evidence of the visible investigations."""
    return Evidence.objects.filter(investigation__in=_visible_investigation_ids(user))


def interviews_visible_to(*, user: AnyUser) -> QuerySet[Interview]:
    """Interviews of the visible investigations."""
    return Interview.objects.filter(
        investigation__in=_visible_investigation_ids(user)
    ).select_related("lead_investigator", "second_investigator", "interviewee")


def report_versions_visible_to(*, user: AnyUser) -> QuerySet[InterviewReportVersion]:
    """Interview-report versions of the visible investigations."""
    return InterviewReportVersion.objects.filter(
        interview__investigation__in=_visible_investigation_ids(user)
    ).select_related("interview")


def deadlines_visible_to(*, user: AnyUser) -> QuerySet[Deadline]:
    """Terms of the visible cases; the commissioner's own terms only to the commissioner.

    A complaint about an investigation, or a whistleblower's terms, are not the business of
    the investigators (or of the registrar).
    """
    return Deadline.objects.filter(
        Q(case__in=cases_as_commissioner(user=user).values("id"))
        | (
            Q(case__in=_visible_investigation_ids(user))
            & ~Q(kind__in=[kind.value for kind in COMMISSIONER_DEADLINES])
        )
    ).select_related("case")


def report_renders_visible_to(*, user: AnyUser) -> QuerySet[ReportRender]:
    """Rendered investigation reports of the visible cases."""
    return ReportRender.objects.filter(case__in=_visible_investigation_ids(user))


def investigator_assignments_visible_to(*, user: AnyUser) -> QuerySet[InvestigatorAssignment]:
    """Who is (and was) assigned to the visible investigations."""
    return InvestigatorAssignment.objects.filter(
        investigation__in=_visible_investigation_ids(user)
    ).select_related("user")


def complaints_visible_to(*, user: AnyUser) -> QuerySet[InvestigationComplaint]:
    """Complaints about an investigation go to the commissioner, not to its investigators."""
    return InvestigationComplaint.objects.filter(
        case__in=cases_as_commissioner(user=user).values("id")
    )


def line_referrals_visible_to(*, user: AnyUser) -> QuerySet[LineReferral]:
    """What a team chief sees of a case: the referrals about the employees of their teams."""
    if Capability.HOLD_CONVERSATIONS not in capabilities_of(user):
        return LineReferral.objects.none()
    return (
        LineReferral.objects.filter(
            employee_id__in=employee_ids_in_scope(user=user, scopes=UnitScope.LEAD)
        )
        .exclude(case_id__in=excluded_case_ids(user=user))
        .select_related("employee", "employee__team", "case")
    )


# --- Helpers for forms and services ----------------------------------------------------


def concerned_employees(case: Case) -> list[Employee]:
    """The persons concerned of a case (for letters, checks and the access log)."""
    return [
        party.employee
        for party in case.parties.filter(role=CaseParty.Role.CONCERNED).select_related("employee")
    ]


def case_employee_ids(case: Case) -> QuerySet[Any]:
    """Every employee a case is about or involves, the reporter included."""
    return Employee.objects.filter(
        Q(id__in=case.parties.values("employee_id"))
        | Q(id__in=ReporterIdentity.objects.filter(case=case).values("employee_id"))
    ).values("id")


def users_excluded_from(case: Case) -> QuerySet[Any]:
    """Ids of users who must never see ``case``: its parties, reporter and their conflicts."""
    involved = case_employee_ids(case)
    return (
        get_user_model()
        .objects.filter(
            Q(employee__id__in=involved)
            | Q(id__in=active_conflicts_about(employee_ids=involved).values("user_id"))
        )
        .values("id")
    )


def _users_with_scope_over(unit_id: int, scope: UnitScope) -> QuerySet[Any]:
    ancestors = UnitAncestry.objects.filter(descendant_id=unit_id).values("ancestor_id")
    return UnitUserObjectPermission.objects.filter(
        permission__codename=scope.value, content_object_id__in=ancestors
    ).values("user_id")


def eligible_investigators(case: Case) -> QuerySet[User]:
    """Investigators who may be assigned: ``investigate_unit`` over the case's unit, not excluded."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True, id__in=_users_with_scope_over(case.unit_id, UnitScope.INVESTIGATE)
        )
        .exclude(id__in=users_excluded_from(case))
        .order_by("last_name", "first_name", "username")
    )


def commissioners_of(case: Case) -> QuerySet[User]:
    """Who acts as commissioner: the heads of VIK whose grant covers the case's unit, minus
    anyone excluded from it; if that leaves nobody, the unit's deputy commissioners."""
    users = get_user_model().objects.filter(is_active=True)
    regular = users.filter(id__in=_users_with_scope_over(case.unit_id, UnitScope.HEAD)).exclude(
        id__in=users_excluded_from(case)
    )
    if regular.exists():
        return regular
    ancestors = UnitAncestry.objects.filter(descendant_id=case.unit_id).values("ancestor_id")
    return (
        users.filter(
            id__in=CommissionerDeputy.objects.filter(unit_id__in=ancestors, is_active=True).values(
                "user_id"
            ),
            role_assignments__role=Role.VIK_HEAD,
        )
        .exclude(id__in=users_excluded_from(case))
        .distinct()
    )


def team_chiefs_of(employee: Employee, case: Case) -> QuerySet[User]:
    """The team chiefs who lead ``employee``'s team (for a referral back to the line)."""
    unit_id = employee.team_id or employee.unit_id
    return (
        get_user_model()
        .objects.filter(is_active=True, id__in=_users_with_scope_over(unit_id, UnitScope.LEAD))
        .exclude(id__in=users_excluded_from(case))
    )


def active_investigators(investigation: Investigation) -> QuerySet[User]:
    """The investigators currently assigned to an investigation."""
    return (
        get_user_model()
        .objects.filter(
            case_assignments__investigation=investigation,
            case_assignments__ended_at__isnull=True,
        )
        .order_by("last_name", "first_name")
    )


# --- Overviews --------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRow:
    """One open deadline as the overview shows it."""

    deadline: Deadline
    working_days_left: int
    investigators: tuple[str, ...]

    @property
    def is_overdue(self) -> bool:
        return self.working_days_left < 0 or (
            self.working_days_left == 0 and self.deadline.due_on < timezone.localdate()
        )


def deadline_overview(*, user: AnyUser, today: datetime.date | None = None) -> list[DeadlineRow]:
    """Open deadlines of the cases ``user`` sees, soonest first, with who carries them.

    Two queries whatever the number of rows: the deadlines, and the active investigators of
    their cases.
    """
    today = today or timezone.localdate()
    deadlines = list(deadlines_visible_to(user=user).filter(met_on__isnull=True))
    names: dict[int, list[str]] = defaultdict(list)
    assignments = InvestigatorAssignment.objects.filter(
        investigation_id__in={d.case_id for d in deadlines}, ended_at__isnull=True
    ).select_related("user")
    for assignment in assignments:
        names[assignment.investigation_id].append(
            assignment.user.get_full_name() or assignment.user.get_username()
        )
    return [
        DeadlineRow(
            deadline=deadline,
            working_days_left=working_days_between(today, deadline.due_on),
            investigators=tuple(sorted(names.get(deadline.case_id, []))),
        )
        for deadline in deadlines
    ]


def cases_waiting_for(user: AnyUser) -> int:
    """The "Mijn werk" counter on *Zaken*: reports to triage (head), open investigations (investigator)."""
    held = capabilities_of(user)
    if Capability.TRIAGE_REPORTS in held:
        return cases_as_commissioner(user=user).filter(status=CaseStatus.REGISTERED).count()
    if Capability.CONDUCT_INVESTIGATIONS in held:
        return (
            cases_as_investigator(user=user)
            .filter(
                status__in=[CaseStatus.COMMISSIONED, CaseStatus.INVESTIGATING, CaseStatus.HEARING]
            )
            .count()
        )
    return 0


def deadlines_due_for(user: AnyUser) -> int:
    """The counter on *Termijnen*: open terms due within a week, or already passed."""
    horizon = timezone.localdate() + datetime.timedelta(days=7)
    return deadlines_visible_to(user=user).filter(met_on__isnull=True, due_on__lte=horizon).count()


def open_referrals_for(user: AnyUser) -> int:
    """The team chief's counter: referrals waiting for their conversation."""
    return line_referrals_visible_to(user=user).filter(conversation_held_on__isnull=True).count()


@dataclass(frozen=True)
class TriageFigure:
    decision: str
    label: str
    count: int
    median_working_days: float | None


def triage_statistics(
    *, user: AnyUser, since: datetime.date, until: datetime.date
) -> dict[str, Any]:
    """Triage outcomes and lead times (received → triaged, in working days): figures only."""
    cases = cases_as_commissioner(user=user).filter(
        received_at__date__gte=since, received_at__date__lte=until
    )
    lead_times: dict[str, list[int]] = defaultdict(list)
    for decision, received_at, triaged_at in cases.exclude(triage_decision="").values_list(
        "triage_decision", "received_at", "triaged_at"
    ):
        lead_times[decision].append(
            working_days_between(timezone.localdate(received_at), timezone.localdate(triaged_at))
        )
    figures = [
        TriageFigure(
            decision=choice.value,
            label=str(choice.label),
            count=len(lead_times.get(choice.value, [])),
            median_working_days=(
                float(median(lead_times[choice.value])) if lead_times.get(choice.value) else None
            ),
        )
        for choice in TriageDecision
    ]
    everything = [days for values in lead_times.values() for days in values]
    by_channel = {
        row["channel"]: row["n"]
        for row in cases.order_by().values("channel").annotate(n=Count("id"))
    }
    met = cases.filter(criterion_answers__applies=True).distinct()
    return {
        "figures": figures,
        "triaged": len(everything),
        "median_working_days": float(median(everything)) if everything else None,
        "awaiting": cases.filter(status=CaseStatus.REGISTERED).count(),
        "by_channel": by_channel,
        # Reports that met a Rijksrecherche criterion: referred, or kept with a reasoned
        # exception (the yearly report counts the exceptions).
        "rijksrecherche": {
            "met": met.count(),
            "referred": met.filter(triage_decision=TriageDecision.RIJKSRECHERCHE).count(),
            "exceptions": cases.exclude(rijksrecherche_exception="").count(),
        },
    }


# --- For other apps -------------------------------------------------------------------
# Other apps ask about cases through these functions instead of reading the cases models
# themselves, so the rules of what a case's state means stay in this app.

CASE_OBJECT_TYPES = (Case._meta.label_lower, Investigation._meta.label_lower)


def closed_case_ids(case_ids: set[int]) -> set[int]:
    """Which of ``case_ids`` are closed."""
    if not case_ids:
        return set()
    return set(
        Case.objects.filter(pk__in=case_ids, status=CaseStatus.CLOSED).values_list("pk", flat=True)
    )


class ReferralKnowledge:
    """What the person concerned may know of a case a matter was referred to."""

    NOTIFIED = "notified"  # informed in writing of an investigation
    NO_ACTION = "no_action"  # closed by the head of VIK without further action
    LINE = "line"  # sent back to the team chief, who held the conversation


def referrals_known_to(*, employee: Employee, case_ids: set[int]) -> dict[int, str]:
    """For the cases matters about ``employee`` were referred to: what they may know of each.

    Known once they were informed in writing of an investigation (the protocol's moment),
    once the team chief held the conversation after the case went back to the line, or
    once the head of VIK closed it with no action. A case referred on to the Rijksrecherche,
    the public prosecutor or a national team is not: an investigation may run there.
    Values are :class:`ReferralKnowledge` constants; unknown cases are absent.
    """
    if not case_ids:
        return {}
    known: dict[int, str] = {}
    closed_without_action = Case.objects.filter(
        pk__in=case_ids, status=CaseStatus.CLOSED, triage_decision=TriageDecision.NO_ACTION
    ).values_list("pk", flat=True)
    known.update(dict.fromkeys(closed_without_action, ReferralKnowledge.NO_ACTION))
    held = LineReferral.objects.filter(
        case_id__in=case_ids, employee=employee, conversation_held_on__isnull=False
    ).values_list("case_id", flat=True)
    known.update(dict.fromkeys(held, ReferralKnowledge.LINE))
    notified = Letter.objects.filter(
        investigation_id__in=case_ids,
        recipient=employee,
        kind=LetterKind.NOTIFICATION,
        sent_on__isnull=False,
    ).values_list("investigation_id", flat=True)
    known.update(dict.fromkeys(notified, ReferralKnowledge.NOTIFIED))
    return known


# --- For prevention and advice (after-discussions of closed investigations) --------------


def closed_investigations_as_commissioner(*, user: AnyUser) -> QuerySet[Case]:
    """Closed investigations ``user`` was the commissioner of (for an after-discussion)."""
    return cases_as_commissioner(user=user).filter(
        status=CaseStatus.CLOSED, investigation__isnull=False
    )


def concerned_employee_ids(case_ids: set[int]) -> dict[int, list[int]]:
    """Per case, the ids of its persons concerned (for the access log of other apps)."""
    result: dict[int, list[int]] = defaultdict(list)
    for case_id, employee_id in CaseParty.objects.filter(
        case_id__in=case_ids, role=CaseParty.Role.CONCERNED
    ).values_list("case_id", "employee_id"):
        result[case_id].append(employee_id)
    return dict(result)


def concerned_teams(case: Case) -> list[int]:
    """The teams (or units) of the persons concerned: where an after-discussion would be held."""
    return list(
        dict.fromkeys(
            employee.team_id or employee.unit_id for employee in concerned_employees(case)
        )
    )


def identifying_terms(case_id: int) -> set[str]:
    """Words that identify a case or its people, which an anonymised text must not contain.

    The case's references, and the names and personnel numbers of everyone it involves:
    parties, the reporter, interviewees and investigators. For a check on a lesson written
    about the case; never shown to anyone who may not see the case.
    """
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return set()
    terms = {case.reference, case.source_reference, case.referral_reference}
    employees = Employee.objects.filter(
        Q(id__in=case_employee_ids(case))
        | Q(id__in=Interview.objects.filter(investigation_id=case_id).values("interviewee_id"))
    )
    for first, last, number in employees.values_list("first_name", "last_name", "personnel_number"):
        terms |= {first, last, f"{first} {last}", number}
    for interviewee, counsel in Interview.objects.filter(investigation_id=case_id).values_list(
        "interviewee_name", "counsel_name"
    ):
        terms |= {interviewee, counsel}
    terms |= set(ReporterIdentity.objects.filter(case_id=case_id).values_list("name", flat=True))
    investigators = (
        get_user_model()
        .objects.filter(case_assignments__investigation_id=case_id)
        .values_list("first_name", "last_name")
    )
    for first, last in investigators:
        terms |= {first, last, f"{first} {last}".strip()}
    return {term.strip() for term in terms if term and term.strip()}


def triaged_reference(case_id: int | None) -> str | None:
    """The reference of a case registered from another app, once the head of VIK triaged it.

    Before triage the registering app says only that the report awaits triage; the decision
    itself is never told (a referral elsewhere must not leak through another app's page).
    """
    if case_id is None:
        return None
    return (
        Case.objects.filter(pk=case_id, triaged_at__isnull=False)
        .values_list("reference", flat=True)
        .first()
    )


def employees_for_case_forms(*, user: AnyUser) -> QuerySet[Employee]:
    """Employees a user may name by personnel number in the cases forms.

    Those of :func:`vik.selectors.employees_visible_to`, and for a deputy commissioner also
    the employees of the units they deputise for (minus themself and their conflicts): a
    deputy must be able to add a person to a case they took over.
    """
    deputised = Employee.objects.filter(
        Q(unit_id__in=deputy_unit_ids(user=user)) | Q(team_id__in=deputy_unit_ids(user=user))
    ).exclude(id__in=excluded_employee_ids(user=user))
    return Employee.objects.filter(
        Q(id__in=employees_visible_to(user=user).values("id")) | Q(id__in=deputised.values("id"))
        if Capability.TRIAGE_REPORTS in capabilities_of(user)
        else Q(id__in=employees_visible_to(user=user).values("id"))
    ).select_related("unit", "team", "function")


def open_case_about(employee_id: int, *, excluding: int | None = None) -> Case | None:
    """The most recent open case in which the employee is a party (concerned or named).

    For other apps that must not tip off a matter VIK holds (protective monitoring): they
    learn *that* a matter is open and where to forward, never its kind or content.
    ``excluding`` leaves out one case: the one a conversation back to the line is about.
    """
    cases = Case.objects.filter(parties__employee_id=employee_id).exclude(status=CaseStatus.CLOSED)
    if excluding is not None:
        cases = cases.exclude(pk=excluding)
    return cases.order_by("-received_at", "-pk").first()


def forwarded_signals_visible_to(*, user: AnyUser) -> QuerySet[ForwardedSignal]:
    """Forwarded monitoring signals: for the commissioners of their case only."""
    return ForwardedSignal.objects.filter(case__in=cases_as_commissioner(user=user))

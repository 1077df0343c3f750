"""The prevention app's transparency provider (see ``vik.transparency.registry``).

It contributes

* measures over disjoint populations for the works council: the **kinds of integrity
  violation** across the apps (each matter once, under its main kind — the typology's
  first — so no figure can be subtracted from another; see ``vik.typology.selectors``),
  sessions requested and given, advice questions, and lessons approved;
* for the employee: their own session requests and advice questions (the export adds the
  texts, the answer and the kinds of violation recorded on the question);
* the disclosure categories of those, and of the after-discussions (whose access-log
  entries are about the persons concerned of the case), and which of them are closed;
* retention: session requests 5 years, advice questions 2 years, the commissioner's brief
  of an after-discussion 1 year — each after closing. The anonymous evaluations and the
  approved lessons hold no personal data and stay.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django.db.models import Count as CountOf
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from prevention.models import (
    AdviceKind,
    AdviceRequest,
    AdviceRequestViolationKind,
    AfterDiscussion,
    Dilemma,
    SessionKind,
    SessionRequest,
)
from vik.models import Employee, ViolationKind
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
    PurgeRequest,
    Quarter,
    RetentionCategory,
)
from vik.typology.selectors import main_kind_counts

REQUESTS = "prevention.requests"
AFTER_DISCUSSIONS = "prevention.after_discussions"
SESSION_TYPE = SessionRequest._meta.label_lower
ADVICE_TYPE = AdviceRequest._meta.label_lower
AFTER_DISCUSSION_TYPE = AfterDiscussion._meta.label_lower
SECTION = _("Prevention and advice")
APPROVED = "approved"


# --- Measures -------------------------------------------------------------------------


def kind_categories() -> list[Category]:
    """Every kind ever in the typology (switched-off ones too: past quarters keep them)."""
    return [Category(kind.code, kind.name) for kind in ViolationKind.objects.all()]


def count_kinds(quarter: Quarter) -> list[Count]:
    """Investigations at their outcome, complaints, screening and monitoring outcomes."""
    codes = dict(ViolationKind.objects.values_list("pk", "code"))
    return [
        Count(unit_id, codes[kind_id], n)
        for unit_id, kind_id, n in main_kind_counts(start=quarter.start, end=quarter.end)
    ]


def _by_kind(queryset: QuerySet[Any], field: str) -> list[Count]:
    rows = queryset.order_by().values_list(field, "kind").annotate(n=CountOf("id"))
    return [Count(unit_id, kind, n) for unit_id, kind, n in rows]


def count_requested(quarter: Quarter) -> list[Count]:
    sessions = SessionRequest.objects.filter(
        submitted_at__gte=quarter.start_at, submitted_at__lt=quarter.end_at
    )
    return _by_kind(sessions, "team_id")


def count_held(quarter: Quarter) -> list[Count]:
    sessions = SessionRequest.objects.filter(
        status=SessionRequest.Status.HELD, held_on__gte=quarter.start, held_on__lt=quarter.end
    )
    return _by_kind(sessions, "team_id")


def count_advice(quarter: Quarter) -> list[Count]:
    questions = AdviceRequest.objects.filter(
        asked_at__gte=quarter.start_at, asked_at__lt=quarter.end_at
    )
    return _by_kind(questions, "asker__unit_id")


def count_lessons(quarter: Quarter) -> list[Count]:
    rows = (
        Dilemma.objects.filter(
            source=Dilemma.Source.LESSON,
            published_at__gte=quarter.start_at,
            published_at__lt=quarter.end_at,
        )
        .order_by()
        .values_list("unit_id")
        .annotate(n=CountOf("id"))
    )
    return [Count(unit_id, APPROVED, n) for unit_id, n in rows]


def _choices(choices: Iterable[tuple[str, Any]]) -> list[Category]:
    return [Category(value, label) for value, label in choices]


# --- Own data -------------------------------------------------------------------------


def own_data(request: OwnDataRequest) -> list[OwnDataSection]:
    """The employee's own session requests and advice questions."""
    if request.deferrals.covers(REQUESTS):
        return []
    full = request.audience is Audience.ACCESS_REQUEST
    employee = request.employee
    sessions = []
    for session in SessionRequest.objects.filter(requester=employee).select_related("team"):
        ref = ObjectRef(SESSION_TYPE, str(session.pk))
        if request.deferrals.covers(REQUESTS, ref):
            continue
        fields = [
            OwnDataField("reference", _("Reference"), session.reference),
            OwnDataField("kind", _("Kind of session"), session.kind_label),
            OwnDataField("team", _("Team"), str(session.team)),
            OwnDataField("status", _("Status"), str(session.get_status_display())),
            OwnDataField("held_on", _("Held on"), session.held_on),
        ]
        if full:
            fields += [
                OwnDataField(
                    "learning_questions", _("Learning questions"), session.learning_questions
                ),
                OwnDataField("prompt", _("What prompted the request"), session.prompt),
                OwnDataField("decline_reason", _("Reason for declining"), session.decline_reason),
            ]
        sessions.append(
            OwnDataItem(
                title=session.kind_label,
                date=session.submitted_at,
                object_ref=ref,
                fields=tuple(fields),
            )
        )
    kinds: dict[int, list[str]] = {}
    if full:  # the kinds recorded are for the export, not the overview
        for advice_id, name in AdviceRequestViolationKind.objects.filter(
            subject__asker=employee
        ).values_list("subject_id", "kind__name"):
            kinds.setdefault(advice_id, []).append(name)
    questions = []
    for advice in AdviceRequest.objects.filter(asker=employee):
        ref = ObjectRef(ADVICE_TYPE, str(advice.pk))
        if request.deferrals.covers(REQUESTS, ref):
            continue
        fields = [
            OwnDataField("reference", _("Reference"), advice.reference),
            OwnDataField("subject", pgettext_lazy("advice question", "Subject"), advice.subject),
            OwnDataField("status", _("Status"), str(advice.get_status_display())),
            OwnDataField("answered_at", _("Answered at"), advice.answered_at),
        ]
        if full:
            fields += [
                OwnDataField("question", _("Question"), advice.question),
                OwnDataField("answer", _("Answer"), advice.answer),
                OwnDataField(
                    "violation_kinds",
                    _("Kinds of violation recorded"),
                    ", ".join(kinds.get(advice.pk, [])),
                ),
            ]
        questions.append(
            OwnDataItem(
                title=advice.subject, date=advice.asked_at, object_ref=ref, fields=tuple(fields)
            )
        )
    return [
        OwnDataSection(
            key="prevention.session_requests",
            category=REQUESTS,
            title=_("Your session requests"),
            description=_(
                "Sessions you asked for your team. Kept five years after the session or the answer."
            ),
            items=tuple(sessions),
            order=60,
        ),
        OwnDataSection(
            key="prevention.advice",
            category=REQUESTS,
            title=_("Your advice questions"),
            description=_(
                "Questions you asked prevention and advice, with the answers. Kept two years "
                "after the question was closed."
            ),
            items=tuple(questions),
            order=61,
        ),
    ]


def closed_matters(employee: Employee, refs: Collection[ObjectRef]) -> set[ObjectRef]:
    """Which of the given requests, questions and after-discussions are closed."""
    ids: dict[str, list[int]] = {}
    for ref in refs:
        ids.setdefault(ref.object_type, []).append(int(ref.object_id))
    closed: set[ObjectRef] = set()
    for pk in SessionRequest.objects.filter(
        pk__in=ids.get(SESSION_TYPE, []), status__in=SessionRequest.CLOSED_STATUSES
    ).values_list("pk", flat=True):
        closed.add(ObjectRef(SESSION_TYPE, str(pk)))
    for pk in AdviceRequest.objects.filter(
        pk__in=ids.get(ADVICE_TYPE, []), status=AdviceRequest.Status.CLOSED
    ).values_list("pk", flat=True):
        closed.add(ObjectRef(ADVICE_TYPE, str(pk)))
    for pk in AfterDiscussion.objects.filter(
        pk__in=ids.get(AFTER_DISCUSSION_TYPE, []),
        status__in=[AfterDiscussion.Status.COMPLETED, AfterDiscussion.Status.DECLINED],
    ).values_list("pk", flat=True):
        closed.add(ObjectRef(AFTER_DISCUSSION_TYPE, str(pk)))
    return closed


# --- Retention ------------------------------------------------------------------------


def purge_session_requests(request: PurgeRequest) -> int:
    """Ended session requests, with their codes and history; evaluations stay (anonymous)."""
    expired = list(
        SessionRequest.objects.filter(
            status__in=SessionRequest.CLOSED_STATUSES, closed_at__lt=request.cutoff_at
        )
        .exclude(requester_id__in=request.held_employee_ids)
        .values_list("pk", flat=True)
    )
    if not expired:
        return 0
    SessionRequest.objects.filter(pk__in=expired).delete()
    SessionRequest.history.filter(id__in=expired).delete()
    return len(expired)


def purge_advice_requests(request: PurgeRequest) -> int:
    """Closed advice questions, with their kinds of violation and history."""
    expired = list(
        AdviceRequest.objects.filter(
            status=AdviceRequest.Status.CLOSED, closed_at__lt=request.cutoff_at
        )
        .exclude(asker_id__in=request.held_employee_ids)
        .values_list("pk", flat=True)
    )
    if not expired:
        return 0
    AdviceRequest.objects.filter(pk__in=expired).delete()  # cascades to the kinds
    AdviceRequestViolationKind.history.filter(subject_id__in=expired).delete()
    AdviceRequest.history.filter(id__in=expired).delete()
    return len(expired)


def purge_after_discussions(request: PurgeRequest) -> int:
    """The commissioner's briefs, once the lesson is approved or the request declined.

    The approved lesson stays in the library: anonymised, and no longer linked.
    """
    from cases.selectors import concerned_employee_ids

    candidates = list(
        AfterDiscussion.objects.filter(
            status__in=[AfterDiscussion.Status.COMPLETED, AfterDiscussion.Status.DECLINED],
            closed_at__lt=request.cutoff_at,
        ).values_list("pk", "case_id")
    )
    held = request.held_employee_ids
    concerned = concerned_employee_ids({case_id for _pk, case_id in candidates if case_id})
    expired = [
        pk for pk, case_id in candidates if not held.intersection(concerned.get(case_id, []))
    ]
    if not expired:
        return 0
    AfterDiscussion.objects.filter(pk__in=expired).delete()
    AfterDiscussion.history.filter(id__in=expired).delete()
    return len(expired)


PROVIDER = Provider(
    app_label="prevention",
    measures=(
        Measure(
            key="prevention.violation_kinds",
            population="typology.matters",
            section=SECTION,
            title=_("Kinds of integrity violation"),
            description=_(
                "Investigations at their outcome, citizens' complaints, screening outcomes and "
                "follow-up conversations after a monitoring signal, each counted once under its "
                "main kind of violation, by unit and quarter. What was not (yet) classified "
                "counts as such."
            ),
            categories=kind_categories,
            count=count_kinds,
            order=60,
        ),
        Measure(
            key="prevention.sessions_requested",
            population="prevention.session_requests",
            section=SECTION,
            title=_("Prevention sessions requested, by kind"),
            description=_("Requests from teams, by the unit of the team and the quarter asked."),
            categories=lambda: _choices(SessionKind.choices),
            count=count_requested,
            order=61,
        ),
        Measure(
            key="prevention.sessions_held",
            population="prevention.sessions_held",
            section=SECTION,
            title=_("Prevention sessions given, by kind"),
            description=_("Sessions given to teams, by the unit of the team and the quarter held."),
            categories=lambda: _choices(SessionKind.choices),
            count=count_held,
            order=62,
        ),
        Measure(
            key="prevention.advice_requests",
            population="prevention.advice_requests",
            section=SECTION,
            title=_("Advice questions, by kind"),
            description=_("Questions to prevention and advice, by the unit of the asker."),
            categories=lambda: _choices(AdviceKind.choices),
            count=count_advice,
            order=63,
        ),
        Measure(
            key="prevention.lessons",
            population="prevention.lessons_approved",
            section=SECTION,
            title=_("Lessons from closed investigations"),
            description=_(
                "Anonymised lessons approved by the commissioner for the dilemma library."
            ),
            categories=[Category(APPROVED, _("Approved"))],
            count=count_lessons,
            order=64,
        ),
    ),
    disclosure_categories=(
        DisclosureCategory(
            key=REQUESTS,
            label=_("Prevention: your requests and questions"),
            description=_("Session requests and advice questions."),
            object_types=(SESSION_TYPE, ADVICE_TYPE),
        ),
        DisclosureCategory(
            key=AFTER_DISCUSSIONS,
            label=_("Prevention: after-discussions of investigations"),
            description=_("The commissioner's brief for the after-discussion with a team."),
            object_types=(AFTER_DISCUSSION_TYPE,),
        ),
    ),
    own_data=own_data,
    closed_matters=closed_matters,
    retention=(
        RetentionCategory(
            key="prevention.session_requests",
            label=_("Session requests and their records"),
            default_months=60,
            rationale=_(
                "Who asked for which session for a team, and the record of the session (never "
                "the participants' names). Five years after the session or the answer: long "
                "enough to see what a team had and plan what follows."
            ),
            purge=purge_session_requests,
        ),
        RetentionCategory(
            key="prevention.advice_requests",
            label=_("Advice questions"),
            default_months=24,
            rationale=_(
                "An employee's question and the written answer. Two years after closing, for a "
                "follow-up question; the anonymous counts stay."
            ),
            purge=purge_advice_requests,
        ),
        RetentionCategory(
            key="prevention.after_discussions",
            label=_("Briefs for after-discussions of investigations"),
            default_months=12,
            rationale=_(
                "The commissioner's brief about a closed investigation, for the coordinator. One "
                "year after the lesson was approved or the request declined; the approved "
                "lesson itself is anonymous and stays in the library."
            ),
            purge=purge_after_discussions,
        ),
    ),
)

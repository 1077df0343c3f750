"""Reads of prevention and advice: the only place its rows are scoped by who asks.

Who sees what:

* **prevention coordinators** (``COORDINATE_PREVENTION``) — the session requests for the
  teams of the units they coordinate (``UnitScope.PREVENT``, the unit and every unit below
  it), the advice questions of those units' employees, the after-discussions of their
  units' cases, their presenters and trend marks; never a question they asked themselves,
  nor one of an employee they are conflicted with, nor an after-discussion of a case they
  are a party to;
* **the asker** (``USE_PREVENTION``) — their own session requests and advice questions;
* **team chiefs** (``VIEW_TEAM_SESSIONS``) — the record of the sessions planned for and
  given to the teams they lead: not the request (who asked, and what prompted it);
* **the commissioner** (``APPROVE_LESSONS``) — the after-discussions of the units they head,
  and the lessons submitted for their approval;
* **everyone with the library** — published dilemmas, lessons only once approved.

Everything else answers 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from prevention.models import (
    AdviceRequest,
    AfterDiscussion,
    Dilemma,
    Presenter,
    SessionEvaluationResponse,
    SessionRequest,
    TrendMark,
)
from vik.evaluations import summarise_answers
from vik.models import ConflictOfInterest, Employee, Unit, UnitAncestry, UnitUserObjectPermission
from vik.roles import Capability, UnitScope
from vik.selectors import (
    capabilities_of,
    employee_ids_in_scope,
    employee_of,
    excluded_employee_ids,
    unit_ids_in_scope,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

C = Capability


def _coordinated_unit_ids(user: AnyUser) -> QuerySet[Any]:
    return unit_ids_in_scope(user=user, scopes=UnitScope.PREVENT)


def _is_coordinator(user: AnyUser) -> bool:
    return C.COORDINATE_PREVENTION in capabilities_of(user)


# --- Session requests -----------------------------------------------------------------


def coordinated_session_requests(*, user: AnyUser) -> QuerySet[SessionRequest]:
    """The requests a coordinator handles: teams of their units, minus conflicted requesters."""
    if not _is_coordinator(user):
        return SessionRequest.objects.none()
    return SessionRequest.objects.filter(team_id__in=_coordinated_unit_ids(user)).exclude(
        requester_id__in=excluded_employee_ids(user=user)
    )


def session_requests_visible_to(*, user: AnyUser) -> QuerySet[SessionRequest]:
    """Requests the user handles as coordinator, and the ones they made themselves."""
    if not user.is_authenticated:
        return SessionRequest.objects.none()
    scope = Q(id__in=coordinated_session_requests(user=user).values("id"))
    if C.USE_PREVENTION in capabilities_of(user):
        scope |= Q(requested_by=user)
    return SessionRequest.objects.filter(scope).select_related(
        "team", "requester", "coordinator", "prompt_kind"
    )


def team_sessions_visible_to(*, user: AnyUser) -> QuerySet[SessionRequest]:
    """The planned and held sessions of the teams a team chief leads (the record only)."""
    if C.VIEW_TEAM_SESSIONS not in capabilities_of(user):
        return SessionRequest.objects.none()
    return SessionRequest.objects.filter(
        team_id__in=unit_ids_in_scope(user=user, scopes=UnitScope.LEAD),
        status__in=[SessionRequest.Status.PLANNED, SessionRequest.Status.HELD],
    ).select_related("team")


def requestable_teams(*, user: AnyUser) -> QuerySet[Unit]:
    """The teams ``user`` may ask a session for: their own, and the teams they lead."""
    if C.USE_PREVENTION not in capabilities_of(user):
        return Unit.objects.none()
    scope = Q(id__in=unit_ids_in_scope(user=user, scopes=UnitScope.LEAD))
    employee = employee_of(user)
    if employee is not None:
        scope |= Q(id=employee.team_id or employee.unit_id)
    return Unit.objects.filter(scope, is_active=True).order_by("name")


def session_evaluations_visible_to(*, user: AnyUser) -> QuerySet[SessionEvaluationResponse]:
    """Anonymous evaluation answers of the sessions the user sees (shown only as totals)."""
    sessions = Q(session__in=coordinated_session_requests(user=user).values("id"))
    if C.VIEW_TEAM_SESSIONS in capabilities_of(user):
        sessions |= Q(session__in=team_sessions_visible_to(user=user).values("id"))
    return SessionEvaluationResponse.objects.filter(sessions)


def session_evaluation_summary(
    *, session: SessionRequest, user: AnyUser, with_texts: bool
) -> dict[str, Any]:
    """The participants' answers about one session: totals from five answers on.

    Open answers only ``with_texts`` (the coordinators): a team chief knows the team's
    words too well to read them anonymously.
    """
    responses = session_evaluations_visible_to(user=user).filter(session=session)
    summary = summarise_answers(responses)
    if not with_texts:
        summary.pop("texts", None)
    summary["codes"] = session.evaluation_codes.count()
    return summary


# --- Advice ---------------------------------------------------------------------------


def coordinated_advice_requests(*, user: AnyUser) -> QuerySet[AdviceRequest]:
    """Questions of the employees of the coordinator's units, minus self and conflicts."""
    if not _is_coordinator(user):
        return AdviceRequest.objects.none()
    return AdviceRequest.objects.filter(
        asker_id__in=employee_ids_in_scope(user=user, scopes=UnitScope.PREVENT)
    )


def advice_requests_visible_to(*, user: AnyUser) -> QuerySet[AdviceRequest]:
    """Questions the user handles as coordinator, and the ones they asked themselves."""
    if not user.is_authenticated:
        return AdviceRequest.objects.none()
    scope = Q(id__in=coordinated_advice_requests(user=user).values("id"))
    if C.USE_PREVENTION in capabilities_of(user):
        scope |= Q(asked_by=user)
    return AdviceRequest.objects.filter(scope).select_related(
        "asker", "asker__unit", "asker__team", "assigned_to"
    )


# --- After-discussions and lessons ------------------------------------------------------


def _cases_excluded_for(user: AnyUser) -> QuerySet[Any]:
    from cases.selectors import excluded_case_ids

    return excluded_case_ids(user=user)


def coordinated_after_discussions(*, user: AnyUser) -> QuerySet[AfterDiscussion]:
    """After-discussions of the coordinator's units, minus cases they must not see."""
    if not _is_coordinator(user):
        return AfterDiscussion.objects.none()
    return AfterDiscussion.objects.filter(unit_id__in=_coordinated_unit_ids(user)).exclude(
        case_id__in=_cases_excluded_for(user)
    )


def commissioned_after_discussions(*, user: AnyUser) -> QuerySet[AfterDiscussion]:
    """After-discussions of the units the commissioner heads, minus cases they must not see."""
    if C.APPROVE_LESSONS not in capabilities_of(user):
        return AfterDiscussion.objects.none()
    return AfterDiscussion.objects.filter(
        unit_id__in=unit_ids_in_scope(user=user, scopes=UnitScope.HEAD)
    ).exclude(case_id__in=_cases_excluded_for(user))


def after_discussions_visible_to(*, user: AnyUser) -> QuerySet[AfterDiscussion]:
    """The coordinators' and the commissioner's after-discussions (nobody else's)."""
    if not user.is_authenticated:
        return AfterDiscussion.objects.none()
    return AfterDiscussion.objects.filter(
        Q(id__in=coordinated_after_discussions(user=user).values("id"))
        | Q(id__in=commissioned_after_discussions(user=user).values("id"))
    ).select_related("unit", "team", "requested_by", "coordinator")


def dilemmas_visible_to(*, user: AnyUser) -> QuerySet[Dilemma]:
    """Published dilemmas for every reader; drafts for their coordinators; lessons for review.

    A lesson is seen by nobody but the coordinators of its after-discussion until it is
    submitted, and by nobody else but its commissioner until it is approved.
    """
    held = capabilities_of(user)
    scope = Q()
    if held & {C.USE_PREVENTION, C.COORDINATE_PREVENTION, C.APPROVE_LESSONS}:
        scope |= Q(status=Dilemma.Status.PUBLISHED)
    if C.COORDINATE_PREVENTION in held:
        scope |= Q(source=Dilemma.Source.LIBRARY, unit_id__in=_coordinated_unit_ids(user))
        scope |= Q(
            source=Dilemma.Source.LESSON,
            after_discussion__in=coordinated_after_discussions(user=user).values("id"),
        )
    if C.APPROVE_LESSONS in held:
        scope |= Q(
            source=Dilemma.Source.LESSON,
            status__in=[
                Dilemma.Status.SUBMITTED,
                Dilemma.Status.RETURNED,
                Dilemma.Status.PUBLISHED,
            ],
            after_discussion__in=commissioned_after_discussions(user=user).values("id"),
        )
    if not scope:
        return Dilemma.objects.none()
    return Dilemma.objects.filter(scope)


def published_dilemmas(*, user: AnyUser) -> QuerySet[Dilemma]:
    """The library as every reader sees it."""
    return dilemmas_visible_to(user=user).filter(status=Dilemma.Status.PUBLISHED)


def lessons_awaiting_approval(*, user: AnyUser) -> QuerySet[Dilemma]:
    """Lessons submitted to this commissioner."""
    if C.APPROVE_LESSONS not in capabilities_of(user):
        return Dilemma.objects.none()
    return Dilemma.objects.filter(
        source=Dilemma.Source.LESSON,
        status=Dilemma.Status.SUBMITTED,
        after_discussion__in=commissioned_after_discussions(user=user).values("id"),
    )


# --- Presenters, trends -----------------------------------------------------------------


def presenters_visible_to(*, user: AnyUser) -> QuerySet[Presenter]:
    """The presenters kept by the coordinators of the user's units."""
    if not _is_coordinator(user):
        return Presenter.objects.none()
    return Presenter.objects.filter(unit_id__in=_coordinated_unit_ids(user)).select_related("unit")


def trend_marks_visible_to(*, user: AnyUser) -> QuerySet[TrendMark]:
    """The trends marked in the coordinator's units."""
    if not _is_coordinator(user):
        return TrendMark.objects.none()
    return TrendMark.objects.filter(unit_id__in=_coordinated_unit_ids(user)).select_related(
        "unit", "kind", "created_by"
    )


def trend_units(*, user: AnyUser) -> QuerySet[Unit]:
    """Units a coordinator may follow trends of and mark a trend in (not single teams)."""
    if not _is_coordinator(user):
        return Unit.objects.none()
    return Unit.objects.filter(id__in=_coordinated_unit_ids(user)).exclude(kind=Unit.Kind.TEAM)


# --- The worklist -----------------------------------------------------------------------


def worklist_counters(*, user: AnyUser) -> dict[str, int]:
    """What waits for a coordinator, one query per kind of work."""
    now = timezone.now()
    status = SessionRequest.Status
    sessions = coordinated_session_requests(user=user).aggregate(
        to_answer=Count("id", filter=Q(status=status.SUBMITTED)),
        to_plan=Count("id", filter=Q(status=status.ACCEPTED)),
        to_record=Count("id", filter=Q(status=status.PLANNED, planned_start__lt=now)),
    )
    advice = coordinated_advice_requests(user=user).aggregate(
        advice=Count(
            "id",
            filter=Q(status__in=[AdviceRequest.Status.SUBMITTED, AdviceRequest.Status.ASSIGNED]),
        )
    )
    discussions = coordinated_after_discussions(user=user).aggregate(
        discussions=Count(
            "id",
            filter=Q(status=AfterDiscussion.Status.REQUESTED)
            | (
                Q(status=AfterDiscussion.Status.ACCEPTED)
                & (
                    Q(lesson__isnull=True)
                    | Q(lesson__status__in=[Dilemma.Status.DRAFT, Dilemma.Status.RETURNED])
                )
            ),
        )
    )
    trends = trend_marks_visible_to(user=user).filter(status=TrendMark.Status.OPEN).count()
    counters = {**sessions, **advice, **discussions, "trends": trends}
    counters["total"] = sum(counters.values())
    return counters


# --- Who to tell ------------------------------------------------------------------------


def coordinators_for(*, unit: Unit, employee: Employee | None = None) -> QuerySet[User]:
    """The active coordinators whose grant covers ``unit`` — minus ``employee`` and conflicts."""
    ancestors = UnitAncestry.objects.filter(descendant_id=unit.pk).values("ancestor_id")
    holders = UnitUserObjectPermission.objects.filter(
        permission__codename=UnitScope.PREVENT.value,
        permission__content_type__app_label="vik",
        content_object_id__in=ancestors,
    ).values("user_id")
    users = get_user_model().objects.filter(is_active=True, id__in=holders)
    if employee is not None:
        users = users.exclude(employee=employee).exclude(
            id__in=ConflictOfInterest.objects.filter(
                employee=employee, ended_at__isnull=True
            ).values("user_id")
        )
    return users.order_by("username")

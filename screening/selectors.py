"""Reads of the screening app: the only place its rows are scoped by who asks.

Two kinds of reader:

* **screening officers** (``HANDLE_SCREENING``) see the dossiers, hits and self-reports of
  the employees of the units they screen (``UnitScope.SCREEN``), never their own and never
  those of an employee they are conflicted with — the ``*_visible_to`` selectors;
* **the employee** sees their own screening status, own self-reports and own evaluation
  invitations — the ``own_*`` selectors, which can only ever return the asking user's rows.
  Continuous-screening hits appear there only once their dossier is closed, so that a
  running criminal inquiry is not disclosed through this application.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from screening import rules
from screening.models import (
    ContinuousScreeningHit,
    EvaluationInvitation,
    EvaluationResponse,
    ScreeningDossier,
    SelfReport,
)
from vik.models import Employee, UnitAncestry, UnitUserObjectPermission
from vik.roles import Capability, UnitScope
from vik.selectors import (
    active_conflicts_about,
    employee_ids_in_scope,
    employee_of,
    has_capability,
    unit_ids_in_scope,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


def _screened_employee_ids(user: AnyUser) -> QuerySet[Employee, Any]:
    return employee_ids_in_scope(user=user, scopes=UnitScope.SCREEN)


# --- Screening officers ---------------------------------------------------------------


def dossiers_visible_to(*, user: AnyUser) -> QuerySet[ScreeningDossier]:
    """Dossiers of the employees in the officer's screening scope, minus self and conflicts."""
    if not has_capability(user, Capability.HANDLE_SCREENING):
        return ScreeningDossier.objects.none()
    return ScreeningDossier.objects.filter(
        employee_id__in=_screened_employee_ids(user)
    ).select_related("employee", "employee__unit", "employee__team", "assigned_to")


def hits_visible_to(*, user: AnyUser) -> QuerySet[ContinuousScreeningHit]:
    """Continuous-screening notifications, for the officers who may see their dossier."""
    if not has_capability(user, Capability.HANDLE_SCREENING):
        return ContinuousScreeningHit.objects.none()
    return ContinuousScreeningHit.objects.filter(
        dossier__employee_id__in=_screened_employee_ids(user)
    )


def self_reports_visible_to(*, user: AnyUser) -> QuerySet[SelfReport]:
    """Self-reports, for the officers who may see their dossier (the author: ``own_*``)."""
    if not has_capability(user, Capability.HANDLE_SCREENING):
        return SelfReport.objects.none()
    return SelfReport.objects.filter(employee_id__in=_screened_employee_ids(user))


def evaluation_responses_visible_to(*, user: AnyUser) -> QuerySet[EvaluationResponse]:
    """Anonymous evaluation answers of the units the officer screens (aggregated by views)."""
    if not has_capability(user, Capability.HANDLE_SCREENING):
        return EvaluationResponse.objects.none()
    return EvaluationResponse.objects.filter(
        unit_id__in=unit_ids_in_scope(user=user, scopes=UnitScope.SCREEN)
    )


def evaluation_invitations_visible_to(*, user: AnyUser) -> QuerySet[EvaluationInvitation]:
    """Only the invited employee ever sees an invitation (and may answer it once)."""
    if not has_capability(user, Capability.USE_SELF_SERVICE) or user.pk is None:
        return EvaluationInvitation.objects.none()
    return EvaluationInvitation.objects.filter(dossier__employee__user_id=user.pk).select_related(
        "dossier"
    )


def screening_officers_for(*, employee: Employee) -> QuerySet[User]:
    """The active users who screen ``employee``'s unit — minus the employee and the conflicted.

    A grant on any unit above the employee's team covers them (the closure table), exactly
    as :func:`vik.selectors.employee_ids_in_scope` decides from the officer's side.
    """
    user_model = get_user_model()
    ancestors = UnitAncestry.objects.filter(
        descendant_id__in=[unit for unit in (employee.unit_id, employee.team_id) if unit]
    ).values("ancestor_id")
    holders = UnitUserObjectPermission.objects.filter(
        permission__codename=UnitScope.SCREEN.value,
        permission__content_type__app_label="vik",
        content_object_id__in=ancestors,
    ).values("user_id")
    return (
        user_model.objects.filter(is_active=True, id__in=holders)
        .exclude(employee=employee)
        .exclude(id__in=active_conflicts_about(employee_ids=[employee.pk]).values("user_id"))
        .order_by("username")
    )


# --- The employee's own data ----------------------------------------------------------


@dataclass(frozen=True)
class ScreeningStatus:
    """What the employee's own overview shows about their screening."""

    employee: Employee
    interval_years: int
    last_screened_on: datetime.date | None
    last_screening_recorded: bool
    next_due_on: datetime.date | None
    open_dossiers: list[ScreeningDossier] = field(default_factory=list)
    closed_dossiers: list[ScreeningDossier] = field(default_factory=list)
    pending_evaluations: list[EvaluationInvitation] = field(default_factory=list)

    @property
    def is_overdue(self) -> bool:
        return self.next_due_on is not None and self.next_due_on < timezone.localdate()


def own_screening_status(*, user: AnyUser) -> ScreeningStatus | None:
    """The signed-in employee's screening status (``None`` without an employee record).

    Used by the self-service page. Open continuous-screening dossiers are left out (see the
    module docstring).
    """
    if not has_capability(user, Capability.USE_SELF_SERVICE):
        return None
    employee = employee_of(user)
    if employee is None:
        return None
    return screening_status_of(employee=employee)


def screening_status_of(*, employee: Employee) -> ScreeningStatus:
    """What may be disclosed to ``employee`` about their own screening.

    No access check: for the employee's own page (through :func:`own_screening_status`) and
    for the transparency provider, which answers only about the employee who asks.
    """
    terms = rules.policy_for(employee)
    dossiers = list(
        ScreeningDossier.objects.filter(employee=employee)
        .exclude(
            kind=ScreeningDossier.Kind.CONTINUOUS_HIT,
            status__in=[ScreeningDossier.Status.NEW, ScreeningDossier.Status.IN_PROGRESS],
        )
        .select_related("self_report")
        .order_by("-opened_on", "-id")
    )
    recorded = any(
        d.kind in ScreeningDossier.FULL_SCREENING_KINDS
        and d.status == ScreeningDossier.Status.CLOSED
        and d.outcome in ScreeningDossier.PASSING_OUTCOMES
        for d in dossiers
    )
    last = rules.last_screened_on(employee)
    return ScreeningStatus(
        employee=employee,
        interval_years=terms.interval_years,
        last_screened_on=last,
        last_screening_recorded=recorded,
        next_due_on=rules.next_due_on(last, terms),
        open_dossiers=[d for d in dossiers if d.is_open],
        closed_dossiers=[d for d in dossiers if not d.is_open],
        pending_evaluations=list(
            EvaluationInvitation.objects.filter(
                dossier__employee=employee, answered=False
            ).select_related("dossier")
        ),
    )


def own_self_reports(*, user: AnyUser) -> QuerySet[SelfReport]:
    """The signed-in employee's own self-reports, newest first, with their dossier's status."""
    if not has_capability(user, Capability.USE_SELF_SERVICE) or not user.is_authenticated:
        return SelfReport.objects.none()
    return SelfReport.objects.filter(employee__user=user).select_related("dossier")

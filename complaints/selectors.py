"""Reads of the complaints app: the only place its rows are scoped by who asks.

A complaint handler (``HANDLE_COMPLAINTS``) sees the complaints about the units they handle
complaints for (``UnitScope.COMPLAINTS``, which covers every unit below), except complaints
about themselves and about any employee they are conflicted with — whoever else the
complaint is about. The complainant's contact details are narrower still: only the handler
assigned to the complaint sees them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from complaints.models import (
    ComplainantContact,
    ComplainedEmployee,
    Complaint,
    Decision,
    Hearing,
)
from vik.models import Employee, Unit, UnitAncestry, UnitUserObjectPermission
from vik.roles import Capability, UnitScope
from vik.selectors import (
    active_conflicts_about,
    excluded_employee_ids,
    has_capability,
    unit_ids_in_scope,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


def complaints_visible_to(*, user: AnyUser) -> QuerySet[Complaint]:
    """Complaints about the handler's units, minus those about themself or their conflicts."""
    if not has_capability(user, Capability.HANDLE_COMPLAINTS):
        return Complaint.objects.none()
    return (
        Complaint.objects.filter(
            unit_id__in=unit_ids_in_scope(user=user, scopes=UnitScope.COMPLAINTS)
        )
        # One NOT IN subquery: a complaint about several people is hidden if any one of
        # them is the user or someone the user is conflicted with.
        .exclude(complained_employees__employee_id__in=excluded_employee_ids(user=user))
        .select_related("unit", "handler")
    )


def _visible_complaint_ids(user: AnyUser) -> QuerySet[Complaint, Any]:
    return complaints_visible_to(user=user).values("id")


def contacts_visible_to(*, user: AnyUser) -> QuerySet[ComplainantContact]:
    """The complainant's contact details: for the assigned handler of a visible complaint only."""
    if not user.is_authenticated:
        return ComplainantContact.objects.none()
    return ComplainantContact.objects.filter(
        complaint_id__in=complaints_visible_to(user=user).filter(handler=user).values("id")
    )


def complained_employees_visible_to(*, user: AnyUser) -> QuerySet[ComplainedEmployee]:
    """The employees complained about, on the complaints the user may see."""
    return ComplainedEmployee.objects.filter(
        complaint_id__in=_visible_complaint_ids(user)
    ).select_related("employee", "employee__team", "employee__unit")


def hearings_visible_to(*, user: AnyUser) -> QuerySet[Hearing]:
    """Hearings (and their reports), on the complaints the user may see."""
    return Hearing.objects.filter(complaint_id__in=_visible_complaint_ids(user)).select_related(
        "employee"
    )


def decisions_visible_to(*, user: AnyUser) -> QuerySet[Decision]:
    """Decisions, on the complaints the user may see."""
    return Decision.objects.filter(complaint_id__in=_visible_complaint_ids(user))


def handlers_for(*, unit: Unit, employees: list[Employee] | None = None) -> QuerySet[User]:
    """Active complaint handlers whose scope covers ``unit`` — the candidates to assign.

    Handlers with a registered conflict of interest with one of ``employees`` are left out
    without saying why: the register is confidential. The other reasons a handler cannot
    take a complaint (being complained about, the team chain) are checked and explained by
    :func:`complaints.services.assign_handler`.
    """
    ancestors = UnitAncestry.objects.filter(descendant=unit).values("ancestor_id")
    holders = UnitUserObjectPermission.objects.filter(
        permission__codename=UnitScope.COMPLAINTS.value,
        permission__content_type__app_label="vik",
        content_object_id__in=ancestors,
    ).values("user_id")
    handlers = get_user_model().objects.filter(is_active=True, id__in=holders)
    if employees:
        conflicted = active_conflicts_about(
            employee_ids=[employee.pk for employee in employees]
        ).values("user_id")
        handlers = handlers.exclude(Q(id__in=conflicted) | Q(employee__in=employees))
    return handlers.order_by("last_name", "first_name", "username")

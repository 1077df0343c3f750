"""Reads of the shared core, and the building blocks every app's selectors use.

Row scoping is written here and in each app's ``selectors.py`` — nowhere else. Each
protected model has exactly one ``<model>_visible_to(*, user)`` selector, used by list,
detail, export, PDF and history paths alike. Two rules hold for every one of them:

* **nobody sees an object about themselves**, and
* **nobody sees an object about an employee they are conflicted with**
  (:class:`vik.models.ConflictOfInterest`),

both through :func:`excluded_employee_ids`. Scoped selectors express their scope as a single
``id__in`` subquery (:func:`employee_ids_in_scope`), never as OR-ed querysets and never as
per-row permission checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from vik.models import (
    AccessLogEntry,
    ConflictOfInterest,
    Employee,
    Notification,
    RoleAssignment,
    UnitAncestry,
)
from vik.permissions import units_granted
from vik.roles import EMPLOYEE_LOOKUP_SCOPES, ROLE_CAPABILITIES, Capability, Role, UnitScope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


def roles_of(user: AnyUser) -> frozenset[Role]:
    """The roles a user holds (cached on the user object for the request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_vik_roles", None)
    if cached is None:
        cached = frozenset(
            Role(value)
            for value in RoleAssignment.objects.filter(user=user).values_list("role", flat=True)
        )
        setattr(user, "_vik_roles", cached)  # noqa: B010 - a per-request cache on the user
    return cached


def capabilities_of(user: AnyUser) -> frozenset[Capability]:
    """What the user's roles let them do.

    Deliberately not ``user.has_perm``: Django answers True to every permission for a
    superuser, and a superuser is no reason to see need-to-know data.
    """
    cached: frozenset[Capability] | None = getattr(user, "_vik_capabilities", None)
    if cached is None:
        cached = frozenset().union(*(ROLE_CAPABILITIES[role] for role in roles_of(user)))
        if user.is_authenticated:
            setattr(user, "_vik_capabilities", cached)  # noqa: B010
    return cached


def has_capability(user: AnyUser, capability: Capability) -> bool:
    """Whether the user's roles give them ``capability``."""
    return capability in capabilities_of(user)


def employee_of(user: AnyUser) -> Employee | None:
    """The employee record linked to a login account, if any."""
    if not user.is_authenticated:
        return None
    try:
        return user.employee
    except Employee.DoesNotExist:
        return None


def excluded_employee_ids(*, user: AnyUser) -> QuerySet[Employee, Any]:
    """Employees whose data ``user`` must never see: themself and active conflicts.

    Returned as a ``values("id")`` queryset, to be used as a subquery.
    """
    if not user.is_authenticated:
        return Employee.objects.none().values("id")
    active_conflicts = ConflictOfInterest.objects.filter(user=user, ended_at__isnull=True)
    return Employee.objects.filter(
        Q(user=user) | Q(id__in=active_conflicts.values("employee_id"))
    ).values("id")


def unit_ids_in_scope(*, user: AnyUser, scopes: UnitScope | tuple[UnitScope, ...]) -> QuerySet:
    """Ids of the units ``user`` holds ``scopes`` on, and every unit below them."""
    return UnitAncestry.objects.filter(ancestor__in=units_granted(user, scopes)).values(
        "descendant_id"
    )


def employee_ids_in_scope(
    *, user: AnyUser, scopes: UnitScope | tuple[UnitScope, ...]
) -> QuerySet[Employee, Any]:
    """Ids of the employees in ``user``'s unit scope, minus self and conflicts.

    The one subquery every unit-scoped selector filters on: ``employee_id__in=...``.
    """
    unit_ids = unit_ids_in_scope(user=user, scopes=scopes)
    return (
        Employee.objects.filter(Q(unit_id__in=unit_ids) | Q(team_id__in=unit_ids))
        .exclude(id__in=excluded_employee_ids(user=user))
        .values("id")
    )


# --- Visible-to selectors of the core's protected models ------------------------------


def notifications_visible_to(*, user: AnyUser) -> QuerySet[Notification]:
    """A user's own messages; nobody reads another's."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def employees_visible_to(*, user: AnyUser) -> QuerySet[Employee]:
    """Employees ``user`` may look up: those of the units they lead, investigate, head or screen."""
    if not has_capability(user, Capability.VIEW_EMPLOYEES):
        return Employee.objects.none()
    return Employee.objects.filter(
        id__in=employee_ids_in_scope(user=user, scopes=EMPLOYEE_LOOKUP_SCOPES)
    ).select_related("unit", "team", "function")


def access_log_visible_to(*, user: AnyUser) -> QuerySet[AccessLogEntry]:
    """Access-log entries for the privacy officer, except those about themself or conflicts."""
    if not has_capability(user, Capability.AUDIT_ACCESS_LOG):
        return AccessLogEntry.objects.none()
    return AccessLogEntry.objects.exclude(employee_id__in=excluded_employee_ids(user=user))


def conflicts_visible_to(*, user: AnyUser) -> QuerySet[ConflictOfInterest]:
    """The register for those who keep it; otherwise only the user's own declarations.

    A user always sees their own declarations. Entries about the viewer themself stay
    hidden (a person must not learn who recused from them), and so do other people's
    entries about an employee the viewer is conflicted with.
    """
    if not user.is_authenticated:
        return ConflictOfInterest.objects.none()
    entries = ConflictOfInterest.objects.select_related("employee", "user", "registered_by")
    if has_capability(user, Capability.MANAGE_CONFLICTS):
        entries = entries.filter(
            Q(user=user) | ~Q(employee_id__in=excluded_employee_ids(user=user))
        )
    else:
        entries = entries.filter(user=user)
    return entries.exclude(employee__user=user)

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

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from vik.models import (
    AccessLogEntry,
    ConflictOfInterest,
    Employee,
    Notification,
    RoleAssignment,
    RoleGrantRequest,
    UnitAncestry,
)
from vik.permissions import units_granted
from vik.roles import (
    EMPLOYEE_LOOKUP_SCOPES,
    ROLE_CAPABILITIES,
    Capability,
    Role,
    UnitScope,
)

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


def acting_role(user: AnyUser, capability: Capability) -> Role | None:
    """The role under which ``user`` uses ``capability`` (recorded in the access log)."""
    held = roles_of(user)
    return next(
        (role for role in Role if role in held and capability in ROLE_CAPABILITIES[role]), None
    )


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
    # By the employee it matched when declared, and by the number as typed: an entry about
    # a number nobody had then also covers the employee imported with it later.
    return Employee.objects.filter(
        Q(user=user)
        | Q(id__in=active_conflicts.values("employee_id"))
        | Q(personnel_number__in=active_conflicts.values("personnel_number"))
    ).values("id")


def active_conflicts_about(*, employee_ids: Any) -> QuerySet[ConflictOfInterest]:
    """Active conflict entries about any of ``employee_ids`` (ids or an ``id`` subquery).

    Matches on the employee and on the personnel number, like :func:`excluded_employee_ids`:
    the one way to ask "who is conflicted with this employee".
    """
    numbers = Employee.objects.filter(id__in=employee_ids).values("personnel_number")
    return ConflictOfInterest.objects.filter(ended_at__isnull=True).filter(
        Q(employee_id__in=employee_ids) | Q(personnel_number__in=numbers)
    )


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


# Parts of VIK that show data about an employee under a pseudonym (monitoring's signals)
# register a counter here: how many such items about an employee a user can see now. A
# recusal hides them, and the declarer could notice which pseudonymous item vanished.
PseudonymisedCounter = Callable[[Any, int], int]
_PSEUDONYMISED_COUNTERS: list[PseudonymisedCounter] = []


def register_pseudonymised_items(counter: PseudonymisedCounter) -> None:
    """Let an app say how many pseudonymised items about an employee a user can see."""
    if counter not in _PSEUDONYMISED_COUNTERS:
        _PSEUDONYMISED_COUNTERS.append(counter)


def pseudonymised_items_about(*, user: AnyUser, employee_id: int) -> int:
    """How many items about the employee ``user`` sees under a pseudonym, across VIK."""
    return sum(counter(user, employee_id) for counter in _PSEUDONYMISED_COUNTERS)


def may_end_conflict(*, user: AnyUser, conflict: ConflictOfInterest) -> bool:
    """Whether ``user`` may end ``conflict`` (the caller has checked that they can see it).

    A self-declared recusal is ended by the person who declared it or a keeper of the
    register. An entry registered by someone else — the privacy officer or head of VIK about
    this user — only by a keeper, and never by the conflicted user themself, keeper or not:
    otherwise the person it protects against could lift it.
    """
    if not user.is_authenticated:
        return False
    keeper = has_capability(user, Capability.MANAGE_CONFLICTS)
    if conflict.source == ConflictOfInterest.Source.SELF_DECLARED:
        return conflict.user_id == user.pk or keeper
    return keeper and conflict.user_id != user.pk


def may_set_password(*, user: AnyUser, account: Any) -> bool:
    """Whether ``user`` may set ``account``'s password in the administration screens.

    Only where the second factor stays the account holder's: an account with a confirmed
    authenticator, which a new password alone does not open. An account without one (it
    signs in through single sign-on, or never enrolled) would, on a sign-in with the new
    password, be led to *enrol* an authenticator — whoever set the password would own the
    account. Its holder changes their own password; an operator on the server can run
    ``manage.py changepassword``.
    """
    from django_otp import user_has_device

    if not user.is_authenticated:
        return False
    return bool(account.pk == user.pk or user_has_device(account, confirmed=True))


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
        excluded = excluded_employee_ids(user=user)
        entries = entries.filter(
            Q(user=user)
            | ~(
                Q(employee_id__in=excluded)
                | Q(
                    personnel_number__in=Employee.objects.filter(id__in=excluded).values(
                        "personnel_number"
                    )
                )
            )
        )
    else:
        entries = entries.filter(user=user)
    own = employee_of(user)
    if own is not None:
        entries = entries.exclude(Q(employee=own) | Q(personnel_number=own.personnel_number))
    return entries


def conflict_names_visible_to(
    *, user: AnyUser, conflicts: list[ConflictOfInterest]
) -> dict[int, str]:
    """The names the register may print next to ``conflicts``: conflict pk → full name.

    Only where ``user`` could look the employee up anyway (:func:`employees_visible_to`);
    every other entry shows the personnel number as it was typed. A declarer is conflicted
    with the employee, so never sees the name through the register: declaring tells them
    nothing they did not know.
    """
    employee_ids = {c.employee_id for c in conflicts if c.employee_id is not None}
    if not employee_ids:
        return {}
    names = {
        employee.pk: employee.full_name
        for employee in employees_visible_to(user=user)
        .filter(id__in=employee_ids)
        .select_related(None)
        .only("id", "first_name", "last_name")
    }
    return {
        c.pk: names[c.employee_id]
        for c in conflicts
        if c.employee_id is not None and c.employee_id in names
    }


# --- Role requests and grants -----------------------------------------------------------


def privacy_officers() -> QuerySet[Any]:
    """The active users who hold the privacy officer role (told of every grant and revoke)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, role_assignments__role=Role.PRIVACY_OFFICER)
        .distinct()
        .order_by("pk")
    )


def _decides_everywhere(user: AnyUser) -> bool:
    """The privacy officer approves grants over any unit; a head of VIK only over theirs."""
    return Role.PRIVACY_OFFICER in roles_of(user)


def role_requests_visible_to(*, user: AnyUser) -> QuerySet[RoleGrantRequest]:
    """Role requests: the administrators and privacy officers see all of them; a head of
    VIK those over the units they head (and below) and those for roles without a unit."""
    requests = RoleGrantRequest.objects.select_related("user", "unit", "requested_by", "decided_by")
    if has_capability(user, Capability.MANAGE_ORGANISATION) or (
        has_capability(user, Capability.APPROVE_ROLE_GRANTS) and _decides_everywhere(user)
    ):
        return requests
    if has_capability(user, Capability.APPROVE_ROLE_GRANTS):
        return requests.filter(
            Q(unit__isnull=True)
            | Q(unit_id__in=unit_ids_in_scope(user=user, scopes=UnitScope.HEAD))
        )
    return RoleGrantRequest.objects.none()


def may_decide_role_request(*, user: AnyUser, grant_request: RoleGrantRequest) -> bool:
    """Whether ``user`` may approve or refuse ``grant_request``: the second person.

    They must hold the approval capability and cover the request's unit, and be neither the
    person who asked nor the person who would get the role.
    """
    if not has_capability(user, Capability.APPROVE_ROLE_GRANTS):
        return False
    if user.pk in {grant_request.user_id, grant_request.requested_by_id}:
        return False
    return role_requests_visible_to(user=user).filter(pk=grant_request.pk).exists()


def role_requests_to_decide(*, user: AnyUser) -> QuerySet[RoleGrantRequest]:
    """Pending requests waiting for ``user``'s decision (not their own, not for themself)."""
    if not user.is_authenticated or not has_capability(user, Capability.APPROVE_ROLE_GRANTS):
        return RoleGrantRequest.objects.none()
    return (
        role_requests_visible_to(user=user)
        .filter(status=RoleGrantRequest.Status.PENDING)
        .exclude(user_id=user.pk)
        .exclude(requested_by_id=user.pk)
    )


def pending_role_request_count(user: AnyUser) -> int:
    """The home page's figure: for an approver the requests waiting for them, for an
    administrator every request still waiting."""
    if has_capability(user, Capability.APPROVE_ROLE_GRANTS):
        return role_requests_to_decide(user=user).count()
    return (
        role_requests_visible_to(user=user).filter(status=RoleGrantRequest.Status.PENDING).count()
    )


def role_approvers(*, grant_request: RoleGrantRequest) -> QuerySet[Any]:
    """Everyone who may decide ``grant_request``: privacy officers, and heads of VIK over its
    unit (any head of VIK for a role without a unit); never the requester or the grantee."""
    heads = RoleAssignment.objects.filter(role=Role.VIK_HEAD)
    if grant_request.unit_id is not None:
        above = UnitAncestry.objects.filter(descendant_id=grant_request.unit_id).values(
            "ancestor_id"
        )
        heads = heads.filter(unit_id__in=above)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(role_assignments__role=Role.PRIVACY_OFFICER) | Q(id__in=heads.values("user_id")))
        .exclude(id__in=[grant_request.user_id, grant_request.requested_by_id])
        .distinct()
        .order_by("pk")
    )


def role_changes_visible_to(*, user: AnyUser) -> QuerySet[Any]:
    """Every grant and revoke of a role, from the assignments' history trail.

    For the privacy officer (who audits them) and the administrators (who ask for them).
    The employee role, which every linked account holds, is left out. Read from the history
    rather than from the assignments so that a grant made outside the services (an ORM
    write in a shell) is listed as well.
    """
    if not (
        has_capability(user, Capability.AUDIT_ACCESS_LOG)
        or has_capability(user, Capability.MANAGE_ORGANISATION)
    ):
        return RoleAssignment.history.none()
    return role_changes()


def role_changes() -> QuerySet[Any]:
    """All grants (``+``) and revokes (``-``) of roles other than the employee role."""
    return (
        RoleAssignment.history.filter(history_type__in=("+", "-"))
        .exclude(role=Role.EMPLOYEE)
        .select_related("user", "unit", "granted_by", "approved_by", "history_user")
        .order_by("-history_date", "-history_id")
    )

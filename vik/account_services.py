"""Services for login accounts: single sign-on linking, and offboarding people who left.

Writes only, keyword arguments, an explicit ``acting_user`` (``None`` for the system: the
HR synchronisation and the hourly leaver check). Roles are only ever taken away here, and
always through :func:`vik.services.revoke_role`, so the record of who held what, until when
and why stays in one place (its history), whatever the rules for granting become.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vik import services
from vik.history import stamp
from vik.models import Employee, RoleAssignment
from vik.roles import Role
from vik.security_log import SecurityEvent, log_security_event

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

SSO_REASON = "Eerste aanmelding via single sign-on (OpenID Connect)"
EVERY_ROLE = "*"


class SignInRefused(PermissionDenied):
    """Single sign-on found the person but may not let them in; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def has_left(employee: Employee, *, today: datetime.date) -> bool:
    """Employment ended before ``today`` (the end date is the last working day)."""
    return employee.employment_end is not None and employee.employment_end < today


@transaction.atomic
def account_for_sign_in(
    *, employee: Employee, email: str = "", groups: Iterable[str] | None = None
) -> User:
    """The login account of an employee who signed in through the identity provider.

    Creates and links the account at the first sign-in (with the employee role, like every
    linked account); never grants another role. Refuses a person who has left or whose
    account was blocked. With ``VIK_OIDC_ROLE_GROUPS`` configured, ``groups`` (the groups
    claim; ``None`` when the token carried none) can only take roles away.
    """
    employee = (
        Employee.objects.select_for_update(of=("self",)).select_related("user").get(pk=employee.pk)
    )
    if has_left(employee, today=timezone.localdate()):
        raise SignInRefused("left")
    user = employee.user
    if user is None:
        user = _new_account(employee, email=email)
        services.link_account(employee=employee, user=user, acting_user=None, reason=SSO_REASON)
    elif not user.is_active:
        raise SignInRefused("blocked")
    remove_roles_outside_groups(user=user, groups=groups)
    return user


def _new_account(employee: Employee, *, email: str) -> User:
    user_model = get_user_model()
    username = employee.personnel_number
    if user_model.objects.filter(username=username).exists():
        username = f"sso-{employee.personnel_number}"
    user = user_model(
        username=username,
        first_name=employee.first_name,
        last_name=employee.last_name,
        email=email or employee.email,
    )
    # Signs in through the provider only; a password can be set for break-glass use.
    user.set_unusable_password()
    user.save()
    return user


def remove_roles_outside_groups(
    *,
    user: User,
    groups: Iterable[str] | None,
    role_groups: Mapping[str, str] | None = None,
) -> list[Role]:
    """Revoke each role whose required group (``VIK_OIDC_ROLE_GROUPS``) the person lacks.

    A role's own entry wins over the ``*`` entry; the employee role is never removed here.
    A token without the groups claim counts as no groups: fail closed.
    """
    from django.conf import settings

    required = dict(settings.VIK_OIDC_ROLE_GROUPS if role_groups is None else role_groups)
    if not required:
        return []
    member_of = set(groups or ())
    removed: list[Role] = []
    for assignment in RoleAssignment.objects.filter(user=user).select_related("unit", "user"):
        role = Role(assignment.role)
        group = required.get(role.value) or (
            required.get(EVERY_ROLE) if role != Role.EMPLOYEE else None
        )
        if group and group not in member_of:
            services.revoke_role(
                assignment=assignment,
                acting_user=None,
                reason=f"Niet (meer) in groep {group!r} bij de identiteitsprovider",
            )
            log_security_event(
                SecurityEvent.ROLE_REMOVED_BY_GROUPS,
                username=user.get_username(),
                role=role.value,
                unit=assignment.unit.code if assignment.unit else "",
                group=group,
            )
            removed.append(role)
    return removed


# --- Leavers ----------------------------------------------------------------------------


@transaction.atomic
def offboard_employee(*, employee: Employee, acting_user: AnyUser | None, reason: str) -> bool:
    """Take every role away from a leaver, block the account and end its sessions.

    Idempotent: an employee without an account, or whose account is already blocked and
    holds no role, is left alone (and gets no history row). Returns whether anything
    changed. The employee's own history records that it happened and why.
    """
    employee = (
        Employee.objects.select_for_update(of=("self",)).select_related("user").get(pk=employee.pk)
    )
    user = employee.user
    if user is None:
        return False
    assignments = list(RoleAssignment.objects.filter(user=user).select_related("unit", "user"))
    if not user.is_active and not assignments:
        return False
    for assignment in assignments:
        services.revoke_role(assignment=assignment, acting_user=acting_user, reason=reason)
    user.is_active = False
    user.set_unusable_password()  # also invalidates every session's auth hash
    user.save(update_fields=["is_active", "password"])
    ended = end_sessions(user_ids=[user.pk])
    # A history row on the employee: "the record says so".
    stamp(employee, acting_user=acting_user, reason=reason).save()
    log_security_event(
        SecurityEvent.LEAVER_OFFBOARDED,
        username=user.get_username(),
        personnel_number=employee.personnel_number,
        roles_removed=len(assignments),
        sessions_ended=ended,
    )
    return True


def leavers_to_offboard(*, today: datetime.date) -> list[Employee]:
    """Employees who have left but still have an active account or a role."""
    return list(
        Employee.objects.filter(employment_end__lt=today, user__isnull=False)
        .filter(Q(user__is_active=True) | Q(user__role_assignments__isnull=False))
        .distinct()
        .order_by("personnel_number")
    )


def offboard_leavers(
    *, today: datetime.date, acting_user: AnyUser | None, source: str
) -> list[Employee]:
    """Offboard every employee whose employment ended before ``today`` (idempotent).

    ``source`` says what found them (an HR delivery, the hourly check) and goes into the
    reason recorded on each revoked role and on the employee.
    """
    offboarded = []
    for employee in leavers_to_offboard(today=today):
        if employee.employment_end is None:  # for the type checker; filtered above
            continue
        reason = (
            f"Uit dienst per {employee.employment_end:%d-%m-%Y}: rollen ingetrokken, "
            f"account geblokkeerd, sessies beëindigd ({source})"
        )
        if offboard_employee(employee=employee, acting_user=acting_user, reason=reason):
            offboarded.append(employee)
    return offboarded


def end_sessions(*, user_ids: Iterable[int]) -> int:
    """Delete the live sessions of these users; returns how many.

    Sessions are not indexed by user, so the live ones are decoded once (with the idle
    timeout they are few: those used in the last half hour). Deleting through the session
    engine also drops a cached copy. Django would refuse these sessions anyway — the
    password hash they were signed with has changed — but this ends them now.
    """
    from importlib import import_module

    from django.conf import settings

    wanted = {str(user_id) for user_id in user_ids}
    if not wanted:
        return 0
    engine = import_module(settings.SESSION_ENGINE)
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") in wanted:
            engine.SessionStore(session_key=session.session_key).delete()
            ended += 1
    return ended

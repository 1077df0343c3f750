"""Writes of the shared core. Every function takes keyword arguments and an ``acting_user``.

Each service runs in one transaction and records who did it and why in the history trail
(:func:`vik.history.stamp`); views, forms, commands and tasks call these and nothing else
to change core data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.history import stamp
from vik.models import (
    AccessAction,
    AccessChannel,
    AccessLogEntry,
    ConflictOfInterest,
    Employee,
    Notification,
    RoleAssignment,
    Unit,
    UnitAncestry,
)
from vik.permissions import grant_unit_scope, revoke_unit_scope
from vik.request_context import current_request_context
from vik.roles import ROLE_UNIT_SCOPE, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.db.models import Model

    AnyUser = User | AnonymousUser


# --- Roles ----------------------------------------------------------------------------


@transaction.atomic
def assign_role(
    *,
    user: User,
    role: Role,
    unit: Unit | None = None,
    acting_user: AnyUser | None,
    reason: str,
) -> RoleAssignment:
    """Give ``user`` a role (over ``unit`` for unit-scoped roles). Idempotent.

    Writes the :class:`RoleAssignment` record and the guardian object permission derived
    from it; an administrator also gets staff status for the admin screens.
    """
    scope = ROLE_UNIT_SCOPE.get(role)
    if scope and unit is None:
        raise ValidationError(_("The role %(role)s needs a unit.") % {"role": role.label})
    if not scope and unit is not None:
        raise ValidationError(_("The role %(role)s is not tied to a unit.") % {"role": role.label})

    assignment = RoleAssignment.objects.filter(user=user, role=role, unit=unit).first()
    if assignment is None:
        assignment = stamp(
            RoleAssignment(
                user=user, role=role, unit=unit, granted_by=_real(acting_user), reason=reason
            ),
            acting_user=acting_user,
            reason=reason,
        )
        assignment.save()
    if scope and unit is not None:
        grant_unit_scope(user=user, unit=unit, scope=scope)
    if role == Role.ADMINISTRATOR and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    _forget_cached_permissions(user)
    return assignment


@transaction.atomic
def revoke_role(*, assignment: RoleAssignment, acting_user: AnyUser | None, reason: str) -> None:
    """Take a role assignment away, with the guardian permission and staff status it gave."""
    user = assignment.user
    role = Role(assignment.role)
    scope = ROLE_UNIT_SCOPE.get(role)
    if scope and assignment.unit is not None:
        revoke_unit_scope(user=user, unit=assignment.unit, scope=scope)
    stamp(assignment, acting_user=acting_user, reason=reason).delete()
    if role == Role.ADMINISTRATOR and user.is_staff:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    _forget_cached_permissions(user)


def _forget_cached_permissions(user: User) -> None:
    for attribute in ("_vik_roles", "_vik_role_perm_cache", "_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(attribute, None)


def _real(user: AnyUser | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


# --- People ---------------------------------------------------------------------------


@transaction.atomic
def link_account(
    *, employee: Employee, user: User, acting_user: AnyUser | None, reason: str
) -> Employee:
    """Link a login account to an employee; every linked account holds the employee role."""
    employee.user = user
    stamp(employee, acting_user=acting_user, reason=reason).save(update_fields=["user"])
    assign_role(user=user, role=Role.EMPLOYEE, acting_user=acting_user, reason=reason)
    return employee


@transaction.atomic
def declare_conflict(
    *,
    user: User,
    employee: Employee,
    reason: str,
    acting_user: AnyUser,
) -> ConflictOfInterest:
    """Register that ``user`` must not see anything about ``employee``. Idempotent.

    When ``acting_user`` is ``user`` it is a self-declared recusal; otherwise the register's
    keeper (privacy officer or head of VIK) records it.
    """
    if employee.user_id == user.pk:
        raise ValidationError(_("Objects about oneself are always hidden; no entry is needed."))
    existing = ConflictOfInterest.objects.filter(
        user=user, employee=employee, ended_at__isnull=True
    ).first()
    if existing:
        return existing
    source = (
        ConflictOfInterest.Source.SELF_DECLARED
        if acting_user.pk == user.pk
        else ConflictOfInterest.Source.REGISTERED
    )
    conflict = ConflictOfInterest(
        user=user, employee=employee, source=source, reason=reason, registered_by=_real(acting_user)
    )
    stamp(conflict, acting_user=acting_user, reason=reason).save()
    return conflict


@transaction.atomic
def end_conflict(
    *, conflict: ConflictOfInterest, acting_user: AnyUser, reason: str
) -> ConflictOfInterest:
    """End a conflict-of-interest entry; the user may see the employee's objects again."""
    if conflict.ended_at is None:
        conflict.ended_at = timezone.now()
        stamp(conflict, acting_user=acting_user, reason=reason).save(update_fields=["ended_at"])
    return conflict


# --- Organisation ---------------------------------------------------------------------


@transaction.atomic
def save_unit(*, unit: Unit, acting_user: AnyUser | None, reason: str) -> Unit:
    """Create or change a unit, keeping the closure table of the tree in step."""
    stamp(unit, acting_user=acting_user, reason=reason).save()
    rebuild_unit_ancestry()
    return unit


@transaction.atomic
def rebuild_unit_ancestry() -> int:
    """Recompute the closure table of the unit tree; returns the number of pairs.

    Cheap (a few hundred units nationally) and called after every import or tree edit.
    Refuses a cycle rather than looping.
    """
    parents = dict(Unit.objects.values_list("id", "parent_id"))
    pairs: list[UnitAncestry] = []
    for unit_id in parents:
        ancestor: int | None = unit_id
        depth = 0
        seen: set[int] = set()
        while ancestor is not None:
            if ancestor in seen:
                raise ValidationError(
                    _("The unit tree has a cycle at unit %(id)s.") % {"id": unit_id}
                )
            seen.add(ancestor)
            pairs.append(UnitAncestry(ancestor_id=ancestor, descendant_id=unit_id, depth=depth))
            ancestor = parents.get(ancestor)
            depth += 1
    UnitAncestry.objects.all().delete()
    UnitAncestry.objects.bulk_create(pairs, batch_size=1000)
    return len(pairs)


# --- The access log -------------------------------------------------------------------


def _object_label(obj: Model | None, object_type: str | None) -> str:
    if object_type:
        return object_type
    if obj is None:
        raise ValueError("record_access needs an object or an object_type")
    return obj._meta.label_lower


def record_access(
    *,
    actor: AnyUser,
    action: AccessAction,
    role: Role | None,
    employee: Employee | int | None,
    obj: Model | None = None,
    object_type: str | None = None,
    object_id: str = "",
    purpose: str = "",
    query: str = "",
    channel: AccessChannel | None = None,
) -> AccessLogEntry:
    """Append one entry to the access log for a look at ``employee``'s data.

    The request id, client address and channel come from the request being served (or say
    ``command``/``task`` outside one). Runs inside the caller's transaction, so a view that
    fails after logging leaves no half-truth; for reads there is no transaction to roll back.
    """
    return AccessLogEntry.objects.create(
        **_entry_fields(
            actor=actor,
            action=action,
            role=role,
            employee=employee,
            obj=obj,
            object_type=object_type,
            object_id=object_id,
            purpose=purpose,
            query=query,
            channel=channel,
        )
    )


def record_access_many(
    *,
    actor: AnyUser,
    action: AccessAction,
    role: Role | None,
    employees: Iterable[Employee | int],
    object_type: str,
    query: str = "",
    purpose: str = "",
    channel: AccessChannel | None = None,
) -> int:
    """One entry per employee shown on a list, search result or export, in one INSERT."""
    entries = [
        AccessLogEntry(
            **_entry_fields(
                actor=actor,
                action=action,
                role=role,
                employee=employee,
                obj=None,
                object_type=object_type,
                object_id="",
                purpose=purpose,
                query=query,
                channel=channel,
            )
        )
        for employee in employees
    ]
    AccessLogEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def _entry_fields(
    *,
    actor: AnyUser,
    action: AccessAction,
    role: Role | None,
    employee: Employee | int | None,
    obj: Model | None,
    object_type: str | None,
    object_id: str,
    purpose: str,
    query: str,
    channel: AccessChannel | None,
) -> dict[str, object]:
    context = current_request_context()
    if channel is None:
        channel = AccessChannel(context.channel) if context else AccessChannel.COMMAND
    employee_id = employee.pk if isinstance(employee, Employee) else employee
    return {
        "actor": _real(actor),
        "actor_username": actor.get_username() if actor.is_authenticated else "",
        "actor_role": role.value if role else "",
        "action": action,
        "channel": channel,
        "object_type": _object_label(obj, object_type),
        "object_id": str(obj.pk) if obj is not None and not object_id else object_id,
        "employee_id": employee_id,
        "purpose": purpose[:500],
        "query": query[:500],
        "request_id": context.request_id if context else "",
        "client_address": context.client_address if context else None,
    }


def purge_access_log(
    *, older_than: datetime.datetime, keep_employee_ids: Iterable[int] = ()
) -> int:
    """Delete access-log entries older than the retention period; the only delete allowed.

    On PostgreSQL the append-only trigger lets a DELETE through only while the transaction
    has ``vik.retention_purge`` on. The flag is switched off again straight after, because a
    transaction-local setting would otherwise outlive this function when a caller's
    transaction encloses it. Entries about ``keep_employee_ids`` (a legal hold) stay. The
    caller writes the purge record (what, how many, when).
    """
    kept = sorted(set(keep_employee_ids))
    placeholders = ", ".join(["%s"] * len(kept))
    keep_clause = (
        f"AND (employee_id IS NULL OR employee_id NOT IN ({placeholders}))" if kept else ""
    )
    params: list[Any] = [older_than, *kept]
    table = AccessLogEntry._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        is_postgresql = connection.vendor == "postgresql"
        if is_postgresql:
            cursor.execute("SELECT set_config('vik.retention_purge', 'on', true)")
        try:
            cursor.execute(
                f"DELETE FROM {table} WHERE occurred_at < %s {keep_clause}",  # noqa: S608
                params,
            )
            return cursor.rowcount
        finally:
            if is_postgresql:
                cursor.execute("SELECT set_config('vik.retention_purge', 'off', true)")


# --- Notifications --------------------------------------------------------------------


@transaction.atomic
def notify(
    *,
    recipient: User,
    subject: str,
    body: str = "",
    url: str = "",
    acting_user: AnyUser | None,
    send_email: bool = True,
) -> Notification:
    """Leave a message for ``recipient`` in VIK and, after commit, e-mail that it is there."""
    from vik.tasks import email_notification

    notification = Notification(recipient=recipient, subject=subject, body=body, url=url)
    stamp(notification, acting_user=acting_user, reason="notify").save()
    if send_email and recipient.email:
        transaction.on_commit(lambda: email_notification.delay(notification.pk))
    return notification


def mark_notification_read(*, notification: Notification, acting_user: User) -> None:
    """Mark a message as read by its recipient (idempotent)."""
    if notification.recipient_id != acting_user.pk or notification.read_at is not None:
        return
    notification.read_at = timezone.now()
    stamp(notification, acting_user=acting_user, reason="read").save(update_fields=["read_at"])

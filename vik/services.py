"""Writes of the shared core. Every function takes keyword arguments and an ``acting_user``.

Each service runs in one transaction and records who did it and why in the history trail
(:func:`vik.history.stamp`); views, forms, commands and tasks call these and nothing else
to change core data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
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
    RoleGrantRequest,
    Unit,
    UnitAncestry,
)
from vik.permissions import grant_unit_scope, revoke_unit_scope
from vik.request_context import current_request_context
from vik.roles import ROLE_UNIT_SCOPE, Capability, Role, reads_personal_data
from vik.selectors import (
    acting_role,
    employee_of,
    has_capability,
    may_decide_role_request,
    may_end_conflict,
    privacy_officers,
    pseudonymised_items_about,
    role_approvers,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.db.models import Model, QuerySet

    from vik.transparency.models import PurgeRecord

    AnyUser = User | AnonymousUser


# --- Roles ----------------------------------------------------------------------------
#
# Who may give whom a role (docs/permissions.md, "Role grants"):
# * nobody gives themselves a role, whatever the path (a page, the admin, the shell);
# * a role that reads personal data (``vik.roles.reads_personal_data``) needs a second
#   person: an administrator files a :class:`RoleGrantRequest` and the head of VIK (over the
#   units they head) or the privacy officer approves it; granted by a real user, such a role
#   is only ever written through an approved request;
# * ``acting_user=None`` is VIK itself, on an operator's command (``manage.py grant_role``
#   for the first accounts, the demo seeding, the HR import linking accounts): recorded as
#   the system, and told and listed like every other grant;
# * every grant and revoke (the employee role aside) is told to the privacy officers and is
#   listed in the annual logging report, read from the assignments' history trail.


def _check_scope(role: Role, unit: Unit | None) -> None:
    scope = ROLE_UNIT_SCOPE.get(role)
    if scope and unit is None:
        raise ValidationError(_("The role %(role)s needs a unit.") % {"role": role.label})
    if not scope and unit is not None:
        raise ValidationError(_("The role %(role)s is not tied to a unit.") % {"role": role.label})


def _refuse_self_grant(*, user: User, acting_user: AnyUser | None) -> None:
    actor = _real(acting_user)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(
            _("Nobody can give themselves a role. Another administrator must ask for it.")
        )


def _is_valid_approval(
    approval: RoleGrantRequest | None, *, user: User, role: Role, unit: Unit | None
) -> bool:
    """An approved request for exactly this grant, decided by a second person."""
    return (
        approval is not None
        and approval.status == RoleGrantRequest.Status.APPROVED
        and approval.user_id == user.pk
        and approval.role == role
        and approval.unit_id == (unit.pk if unit is not None else None)
        and approval.decided_by_id is not None
        and approval.decided_by_id not in {user.pk, approval.requested_by_id}
    )


@transaction.atomic
def assign_role(
    *,
    user: User,
    role: Role,
    unit: Unit | None = None,
    acting_user: AnyUser | None,
    reason: str,
    approval: RoleGrantRequest | None = None,
) -> RoleAssignment:
    """Give ``user`` a role (over ``unit`` for unit-scoped roles). Idempotent.

    Writes the :class:`RoleAssignment` record and the guardian object permission derived
    from it; an administrator also gets staff status for the admin screens. Refuses a grant
    to oneself, and — when a person grants a role that reads personal data — a grant without
    an ``approval`` (an approved :class:`RoleGrantRequest`; see :func:`request_role_grant`).
    ``acting_user=None`` is the system (see the rules above). A new grant is told to the
    privacy officers.
    """
    _check_scope(role, unit)
    _refuse_self_grant(user=user, acting_user=acting_user)
    scope = ROLE_UNIT_SCOPE.get(role)
    if (
        _real(acting_user) is not None
        and reads_personal_data(role)
        and not _is_valid_approval(approval, user=user, role=role, unit=unit)
    ):
        raise ValidationError(
            _(
                "The role %(role)s reads personal data: it is granted only after the head of "
                "VIK or the privacy officer approves a role request."
            )
            % {"role": role.label}
        )

    assignment = RoleAssignment.objects.filter(user=user, role=role, unit=unit).first()
    if assignment is None:
        assignment = stamp(
            RoleAssignment(
                user=user,
                role=role,
                unit=unit,
                granted_by=approval.requested_by if approval else _real(acting_user),
                approved_by=approval.decided_by if approval else None,
                reason=reason,
            ),
            acting_user=acting_user,
            reason=reason,
        )
        assignment.save()
        _tell_privacy_officers(assignment, granted=True, acting_user=acting_user, reason=reason)
    if scope and unit is not None:
        grant_unit_scope(user=user, unit=unit, scope=scope)
    if role == Role.ADMINISTRATOR and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    _forget_cached_permissions(user)
    return assignment


@transaction.atomic
def revoke_role(*, assignment: RoleAssignment, acting_user: AnyUser | None, reason: str) -> None:
    """Take a role assignment away, with the guardian permission and staff status it gave.

    Needs no second person (it narrows access), but is told to the privacy officers.
    """
    user = assignment.user
    role = Role(assignment.role)
    # Taken before the revoke: revoking a privacy officer's role is told to them as well.
    officers = list(privacy_officers())
    scope = ROLE_UNIT_SCOPE.get(role)
    if scope and assignment.unit is not None:
        revoke_unit_scope(user=user, unit=assignment.unit, scope=scope)
    stamp(assignment, acting_user=acting_user, reason=reason).delete()
    if role == Role.ADMINISTRATOR and user.is_staff:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    _forget_cached_permissions(user)
    _tell_privacy_officers(
        assignment, granted=False, acting_user=acting_user, reason=reason, officers=officers
    )


def _tell_privacy_officers(
    assignment: RoleAssignment,
    *,
    granted: bool,
    acting_user: AnyUser | None,
    reason: str,
    officers: list[User] | None = None,
) -> None:
    """Every grant and revoke of a role (the employee role aside) reaches the privacy officers.

    The employee role is given to every linked account and opens only the holder's own data;
    telling it would bury the grants that matter.
    """
    if assignment.role == Role.EMPLOYEE:
        return

    actor = _real(acting_user)
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "role": Role(assignment.role).label,
            "user": assignment.user.get_username(),
            "unit": f" ({assignment.unit})" if assignment.unit_id else "",
            # Who asked (the administrator) and who approved (the second person); the grants
            # of VIK itself name the system.
            "actor": (
                assignment.granted_by.get_username()
                if granted and assignment.granted_by
                else actor.get_username()
                if actor
                else _("VIK (system)")
            ),
            "approver": assignment.approved_by.get_username() if assignment.approved_by else "–",
            "reason": reason,
        }
        if granted:
            subject = _("Role granted: %(role)s to %(user)s") % values
            body = (
                _(
                    "%(user)s now holds the role %(role)s%(unit)s. Asked for by: %(actor)s. "
                    "Approved by: %(approver)s. Reason: %(reason)s"
                )
                % values
            )
        else:
            subject = _("Role revoked: %(role)s from %(user)s") % values
            body = (
                _(
                    "%(user)s no longer holds the role %(role)s%(unit)s. By: %(actor)s. Reason: %(reason)s"
                )
                % values
            )
        for officer in officers if officers is not None else privacy_officers():
            notify(
                recipient=officer,
                subject=Truncator(subject).chars(200),
                body=body,
                url=reverse("vik:role_changes"),
                acting_user=acting_user,
            )


@transaction.atomic
def request_role_grant(
    *, user: User, role: Role, unit: Unit | None = None, reason: str, acting_user: User
) -> RoleGrantRequest:
    """An administrator asks for ``role`` for ``user``: the first of the two persons.

    A role that reads personal data waits for :func:`decide_role_request`; the approvers are
    told. A role that does not (the works council's, the employee's) is granted at once and
    the request records that no second person was needed.
    """

    if not has_capability(acting_user, Capability.MANAGE_ORGANISATION):
        raise PermissionDenied
    _check_scope(role, unit)
    _refuse_self_grant(user=user, acting_user=acting_user)
    if not reason.strip():
        raise ValidationError(_("Say why the role is needed."))
    if not user.is_active:
        raise ValidationError(_("This account is switched off."))
    if RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
        raise ValidationError(_("%(user)s holds this role already.") % {"user": user})
    if RoleGrantRequest.objects.filter(
        user=user, role=role, unit=unit, status=RoleGrantRequest.Status.PENDING
    ).exists():
        raise ValidationError(_("A request for this role is waiting for approval already."))
    grant_request = RoleGrantRequest(
        user=user, role=role, unit=unit, reason=reason.strip(), requested_by=acting_user
    )
    stamp(grant_request, acting_user=acting_user, reason=reason).save()
    if not reads_personal_data(role):
        grant_request.status = RoleGrantRequest.Status.APPROVED
        grant_request.decided_at = timezone.now()
        grant_request.assignment = assign_role(
            user=user, role=role, unit=unit, acting_user=acting_user, reason=reason
        )
        stamp(grant_request, acting_user=acting_user, reason=reason).save()
        return grant_request
    url = reverse("vik:role_request_detail", args=[grant_request.pk])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("A role request waits for your decision: %(role)s for %(user)s") % {
            "role": role.label,
            "user": user.get_username(),
        }
        for approver in role_approvers(grant_request=grant_request):
            notify(
                recipient=approver,
                subject=Truncator(subject).chars(200),
                url=url,
                acting_user=acting_user,
            )
    return grant_request


@transaction.atomic
def decide_role_request(
    *, grant_request: RoleGrantRequest, approve: bool, reason: str, acting_user: User
) -> RoleGrantRequest:
    """The second person approves (and so grants) or refuses a role request, saying why.

    Only a privacy officer, or a head of VIK over the request's unit, who is neither the
    requester nor the person who would get the role (:func:`vik.selectors.may_decide_role_request`).
    The requester is told; a grant is also told to the privacy officers.
    """

    grant_request = RoleGrantRequest.objects.select_for_update().get(pk=grant_request.pk)
    if not may_decide_role_request(user=acting_user, grant_request=grant_request):
        raise PermissionDenied
    if not grant_request.is_pending:
        raise ValidationError(_("This request has been decided already."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for your decision."))
    grant_request.status = (
        RoleGrantRequest.Status.APPROVED if approve else RoleGrantRequest.Status.REFUSED
    )
    grant_request.decided_by = acting_user
    grant_request.decided_at = timezone.now()
    grant_request.decision_reason = reason.strip()
    if approve:
        grant_request.assignment = assign_role(
            user=grant_request.user,
            role=Role(grant_request.role),
            unit=grant_request.unit,
            acting_user=acting_user,
            reason=grant_request.reason,
            approval=grant_request,
        )
    stamp(grant_request, acting_user=acting_user, reason=reason).save()
    requester = grant_request.requested_by
    if requester is not None and requester.is_active:
        with translation.override(settings.LANGUAGE_CODE):
            values = {"role": Role(grant_request.role).label, "user": grant_request.user}
            subject = (
                _("Role request approved: %(role)s for %(user)s")
                if approve
                else _("Role request refused: %(role)s for %(user)s")
            ) % values
            notify(
                recipient=requester,
                subject=Truncator(subject).chars(200),
                url=reverse("vik:role_request_detail", args=[grant_request.pk]),
                acting_user=acting_user,
            )
    return grant_request


@transaction.atomic
def withdraw_role_request(
    *, grant_request: RoleGrantRequest, reason: str, acting_user: User
) -> RoleGrantRequest:
    """An administrator withdraws a request that is still waiting."""

    grant_request = RoleGrantRequest.objects.select_for_update().get(pk=grant_request.pk)
    if not has_capability(acting_user, Capability.MANAGE_ORGANISATION):
        raise PermissionDenied
    if not grant_request.is_pending:
        raise ValidationError(_("This request has been decided already."))
    grant_request.status = RoleGrantRequest.Status.WITHDRAWN
    grant_request.decided_by = acting_user
    grant_request.decided_at = timezone.now()
    grant_request.decision_reason = reason.strip()
    stamp(grant_request, acting_user=acting_user, reason=reason or "withdrawn").save()
    return grant_request


def _forget_cached_permissions(user: User) -> None:
    for attribute in (
        "_vik_roles",
        "_vik_capabilities",
        "_vik_role_perm_cache",
        "_perm_cache",
        "_user_perm_cache",
    ):
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
    employee: Employee | None = None,
    personnel_number: str = "",
    reason: str,
    acting_user: AnyUser,
) -> ConflictOfInterest:
    """Register that ``user`` must not see anything about an employee. Idempotent.

    The employee is named by ``personnel_number`` (as typed; or by ``employee``). When
    ``acting_user`` is ``user`` it is a self-declared recusal; otherwise a keeper of the
    register (privacy officer or head of VIK) records it.

    The register is no directory and no pseudonym oracle (docs/permissions.md): the entry is
    stored and the answer is the same whether or not the number belongs to anyone, and no
    name is returned. Every declaration is a look-up of that employee and is written to the
    access log (the typed number as the search terms). A recusal that hides pseudonymised
    data the declarer could see (a monitoring signal) lets them work out which pseudonym
    vanished: it is logged as an identity reveal, and the privacy officers are told.
    """

    number = (employee.personnel_number if employee is not None else personnel_number).strip()
    if not number:
        raise ValidationError(_("Give the personnel number of the employee."))
    if not reason.strip():
        raise ValidationError(_("Give a reason."))
    recusal = acting_user.pk == user.pk
    capability = Capability.DECLARE_CONFLICT if recusal else Capability.MANAGE_CONFLICTS
    if not has_capability(acting_user, capability):
        raise PermissionDenied
    own = employee_of(user)
    if recusal and own is not None and own.personnel_number == number:
        raise ValidationError(_("Objects about oneself are always hidden; no entry is needed."))
    matched = (
        employee
        if employee is not None
        else Employee.objects.filter(personnel_number=number).first()
    )
    conflict = ConflictOfInterest.objects.filter(
        user=user, personnel_number=number, ended_at__isnull=True
    ).first()
    hidden = 0
    if conflict is None:
        # Counted before the entry exists: afterwards the items are hidden already.
        if recusal and matched is not None:
            hidden = pseudonymised_items_about(user=user, employee_id=matched.pk)
        conflict = ConflictOfInterest(
            user=user,
            personnel_number=number,
            employee=matched,
            source=ConflictOfInterest.Source.SELF_DECLARED
            if recusal
            else ConflictOfInterest.Source.REGISTERED,
            reason=reason,
            registered_by=_real(acting_user),
        )
        stamp(conflict, acting_user=acting_user, reason=reason).save()
    with translation.override(settings.LANGUAGE_CODE):
        purpose = (
            _("%(count)s pseudonymised item(s) hidden from the declarer. Reason: %(reason)s")
            % {"count": hidden, "reason": reason}
            if hidden
            else reason
        )
    record_access(
        actor=acting_user,
        action=AccessAction.REVEAL if hidden else AccessAction.SEARCH,
        role=acting_role(acting_user, capability),
        employee=matched,
        obj=conflict,
        query=number,
        purpose=Truncator(purpose).chars(500),
    )
    if hidden:
        _tell_privacy_officers_of_hidden_items(conflict, acting_user=acting_user)
    return conflict


def _tell_privacy_officers_of_hidden_items(
    conflict: ConflictOfInterest, *, acting_user: AnyUser
) -> None:

    with translation.override(settings.LANGUAGE_CODE):
        subject = _("A conflict-of-interest declaration hid pseudonymised data from %(user)s") % {
            "user": conflict.user.get_username()
        }
        url = f"{reverse('vik:access_log')}?{urlencode({'actor': conflict.user.get_username()})}"
        for officer in privacy_officers().exclude(pk=conflict.user_id):
            notify(
                recipient=officer,
                subject=Truncator(subject).chars(200),
                url=url,
                acting_user=acting_user,
            )


@transaction.atomic
def end_conflict(
    *, conflict: ConflictOfInterest, acting_user: AnyUser, reason: str
) -> ConflictOfInterest:
    """End a conflict-of-interest entry; the user may see the employee's objects again.

    A recusal is ended by its declarer or a keeper of the register; an entry registered by
    a keeper only by a keeper other than the conflicted user (:func:`vik.selectors.may_end_conflict`).
    """

    if not may_end_conflict(user=acting_user, conflict=conflict):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Give a reason for ending the entry."))
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
    employees: Iterable[Employee | int | None],
    object_type: str | None = None,
    obj: Model | None = None,
    query: str = "",
    purpose: str = "",
    channel: AccessChannel | None = None,
) -> int:
    """One entry per employee shown on a list, search result or export, in one INSERT.

    With ``obj`` (one record shown about several people, e.g. a case page) every entry
    names that record, exactly as ``record_access`` would one entry at a time.
    """
    entries = [
        AccessLogEntry(
            **_entry_fields(
                actor=actor,
                action=action,
                role=role,
                employee=employee,
                obj=obj,
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
    *,
    cutoff: datetime.date,
    keep_employee_ids: Iterable[int] = (),
    acting_user: AnyUser | None = None,
) -> PurgeRecord | None:
    """Delete access-log entries dated before ``cutoff``; the only delete the log allows.

    On PostgreSQL this is the database function ``vik_purge_access_log`` (SECURITY DEFINER,
    owned by the migration role): the runtime role has no DELETE on the log. The function
    refuses a cut-off younger than the retention period and a category under legal hold,
    keeps the entries of employees under a legal hold (and ``keep_employee_ids``), writes the
    purge record and records the removed runs of the hash chain. On SQLite (the demo) the same
    rules are checked here. Returns the purge record, or ``None`` when nothing was removed.
    """
    from vik.transparency.models import PurgeRecord
    from vik.transparency.services import check_purge_allowed

    run_by = _real(acting_user)
    kept = sorted(set(keep_employee_ids))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT vik_purge_access_log(%s::date, %s::integer, %s::integer[])",
                    [cutoff, run_by.pk if run_by else None, kept],
                )
                record_id = cursor.fetchone()[0]
            return PurgeRecord.objects.get(pk=record_id) if record_id else None
        held = sorted(check_purge_allowed(ACCESS_LOG_CATEGORY, cutoff) | set(kept))
        placeholders = ", ".join(["%s"] * len(held))
        keep_clause = (
            f"AND (employee_id IS NULL OR employee_id NOT IN ({placeholders}))" if held else ""
        )
        cutoff_at = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
        table = AccessLogEntry._meta.db_table
        with connection.cursor() as cursor:
            # Past the model's guard on purpose: SQLite has no roles and no trigger.
            cursor.execute(
                f"DELETE FROM {table} WHERE occurred_at < %s {keep_clause}",  # noqa: S608
                [cutoff_at, *held],
            )
            removed = cursor.rowcount
        if not removed:
            return None
        return PurgeRecord.objects.create(
            category=ACCESS_LOG_CATEGORY,
            cutoff=cutoff,
            purged=removed,
            outcome=PurgeRecord.Outcome.PURGED,
            run_by=run_by,
        )


# The access log's retention category (``vik.transparency.core``).
ACCESS_LOG_CATEGORY = "vik.access_log"


def raise_integrity_alarm(
    *,
    subject: str,
    body: str,
    url: str = "",
    obj: Model | None = None,
    object_type: str | None = None,
    object_id: str = "",
    employee: Employee | int | None = None,
    acting_user: AnyUser | None,
) -> None:
    """Something stored was changed past VIK: tell the privacy officers at once.

    A warning in the security log (for the SOC), an entry in the access log when a user's
    action found it (who tried to see what), and a notification with e-mail to every
    privacy officer. Committed on its own, so the alarm stays even when the request fails.
    """
    from vik.security_log import SecurityEvent, log_security_event

    with transaction.atomic():
        label = _object_label(obj, object_type) if obj is not None or object_type else ""
        log_security_event(
            SecurityEvent.INTEGRITY_ALARM,
            username=acting_user.get_username()
            if acting_user is not None and acting_user.is_authenticated
            else "",
            warning=True,
            object_type=label,
            object_id=str(obj.pk) if obj is not None and not object_id else object_id,
            subject=subject,
        )
        if acting_user is not None and acting_user.is_authenticated:
            record_access(
                actor=acting_user,
                action=AccessAction.PRINT,
                role=None,
                employee=employee,
                obj=obj,
                object_type=object_type,
                object_id=object_id,
                purpose="refused: integrity check failed",
            )
        for officer in privacy_officers():
            notify(
                recipient=officer,
                subject=Truncator(subject).chars(200),
                body=body,
                url=url,
                acting_user=None,
            )


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
        # robust: with Redis down the message is in VIK all the same; only its e-mail is lost
        # (logged), and the action that caused it does not fail.
        transaction.on_commit(lambda: email_notification.delay(notification.pk), robust=True)
    return notification


@transaction.atomic
def mark_notifications_read(*, notifications: QuerySet[Notification], acting_user: User) -> int:
    """Mark the recipient's own unread messages among ``notifications`` read, at once.

    Only ``acting_user``'s own messages are touched, whatever the queryset holds. One UPDATE
    and one insert of history rows (who marked them, and why), however many there are.
    """
    from simple_history.utils import bulk_update_with_history

    unread = list(notifications.filter(recipient=acting_user, read_at__isnull=True))
    now = timezone.now()
    for notification in unread:
        notification.read_at = now
    bulk_update_with_history(
        unread,
        Notification,
        ["read_at"],
        default_user=acting_user,
        default_change_reason="read (all at once)",
    )
    return len(unread)


def mark_notification_read(*, notification: Notification, acting_user: User) -> None:
    """Mark a message as read by its recipient (idempotent)."""
    if notification.recipient_id != acting_user.pk or notification.read_at is not None:
        return
    notification.read_at = timezone.now()
    stamp(notification, acting_user=acting_user, reason="read").save(update_fields=["read_at"])

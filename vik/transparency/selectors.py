"""Reads of the transparency app that depend on who asks.

Each protected model has one ``*_visible_to(*, user)`` selector. The employee's view of the
access log about themself is a separate read (:func:`disclosed_access_log`): the core's
``access_log_visible_to`` is the privacy officer's audit, which shows everything; this one
is the employee's right of access, which hides their own looks and what is deferred.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vik import names
from vik.models import AccessLogEntry, ConflictOfInterest, Employee
from vik.roles import Capability, Role, UnitScope
from vik.selectors import employee_ids_in_scope, employee_of, excluded_employee_ids, has_capability
from vik.transparency.core import ACCESS_LOG_CATEGORY, part_label, part_of
from vik.transparency.disclosure import deferral_set
from vik.transparency.models import (
    AccessRequest,
    DisclosureDeferral,
    LegalHold,
    LoggingReportRender,
    PrivacySettings,
    Publication,
)
from vik.transparency.registry import DeferralSet, ObjectRef, get_registry

CONFLICT_OBJECT_TYPE = ConflictOfInterest._meta.label_lower

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


# --- Visible-to selectors -------------------------------------------------------------


def publications_visible_to(*, user: AnyUser) -> QuerySet[Publication]:
    """Aggregate publications: for whoever may see aggregate figures (no individuals)."""
    if not has_capability(user, Capability.VIEW_AGGREGATES):
        return Publication.objects.none()
    return Publication.objects.all()


def deferrals_visible_to(*, user: AnyUser) -> QuerySet[DisclosureDeferral]:
    """The privacy officer sees every deferral; a commissioner those in the units they head.

    Never one about the user themself or an employee they are conflicted with; the employee
    concerned never sees theirs (that is the point of it).
    """
    deferrals = DisclosureDeferral.objects.select_related("employee", "created_by", "lifted_by")
    if has_capability(user, Capability.AUDIT_ACCESS_LOG):
        return deferrals.exclude(employee_id__in=excluded_employee_ids(user=user))
    if has_capability(user, Capability.DEFER_DISCLOSURE):
        return deferrals.filter(
            employee_id__in=employee_ids_in_scope(user=user, scopes=UnitScope.HEAD)
        )
    return DisclosureDeferral.objects.none()


def deferrable_employees(*, user: AnyUser) -> QuerySet[Any]:
    """Ids of the employees a commissioner may defer disclosure for: those they head."""
    if not has_capability(user, Capability.DEFER_DISCLOSURE):
        return Employee.objects.none().values("id")
    return employee_ids_in_scope(user=user, scopes=UnitScope.HEAD)


def access_requests_visible_to(*, user: AnyUser) -> QuerySet[AccessRequest]:
    """The privacy officer sees the requests they handle; an employee sees their own.

    A privacy officer's own request is visible to them as an employee only, and is handled
    by a colleague (:func:`access_requests_to_handle`).
    """
    conditions = []
    if has_capability(user, Capability.AUDIT_ACCESS_LOG):
        conditions.append(~Q(employee_id__in=excluded_employee_ids(user=user)))
    if has_capability(user, Capability.USE_SELF_SERVICE):
        conditions.append(Q(employee__user_id=user.pk))
    if not conditions:
        return AccessRequest.objects.none()
    condition = conditions[0]
    for extra in conditions[1:]:
        condition |= extra
    return AccessRequest.objects.filter(condition).select_related("employee")


def access_requests_to_handle(*, user: AnyUser) -> QuerySet[AccessRequest]:
    """The requests a privacy officer handles: never their own or a conflicted colleague's."""
    if not has_capability(user, Capability.AUDIT_ACCESS_LOG):
        return AccessRequest.objects.none()
    return access_requests_visible_to(user=user).exclude(
        employee_id__in=excluded_employee_ids(user=user)
    )


def own_access_requests(*, user: AnyUser) -> QuerySet[AccessRequest]:
    """An employee's own requests."""
    employee = employee_of(user)
    if employee is None or not has_capability(user, Capability.USE_SELF_SERVICE):
        return AccessRequest.objects.none()
    return access_requests_visible_to(user=user).filter(employee=employee)


def legal_holds_visible_to(*, user: AnyUser) -> QuerySet[LegalHold]:
    """Legal holds name employees: for the privacy officer only, never about themself."""
    if not has_capability(user, Capability.AUDIT_ACCESS_LOG):
        return LegalHold.objects.none()
    return LegalHold.objects.exclude(
        employee_id__in=excluded_employee_ids(user=user)
    ).select_related("employee", "placed_by")


# --- Who looked at my data -------------------------------------------------------------


def disclosed_access_log(
    *, employee: Employee, deferrals: DeferralSet | None = None
) -> QuerySet[AccessLogEntry]:
    """The access-log entries about ``employee`` that the employee may see.

    Their own looks are left out (they are not "someone looked"), so are looks in the
    conflict-of-interest register (they would say who recused), and so is everything a
    disclosure deferral covers: the whole log while "who looked at your data" is deferred,
    the object types of a deferred category, and a deferred object's own entries.
    """
    if deferrals is None:
        deferrals = deferral_set(employee)
    if ACCESS_LOG_CATEGORY in deferrals.categories:
        return AccessLogEntry.objects.none()
    # Looks in the conflict-of-interest register are never shown to the employee concerned:
    # they would tell them who recused from them.
    entries = AccessLogEntry.objects.filter(employee=employee).exclude(
        object_type=CONFLICT_OBJECT_TYPE
    )
    if employee.user_id is not None:
        entries = entries.exclude(actor_id=employee.user_id)
    registry = get_registry()
    hidden_types = {
        object_type
        for category in deferrals.categories
        if category in {c.key for c in registry.disclosure_categories()}
        for object_type in registry.disclosure_category(category).object_types
    }
    if hidden_types:
        entries = entries.exclude(object_type__in=hidden_types)
    for _category, ref in deferrals.objects:
        entries = entries.exclude(object_type=ref.object_type, object_id=ref.object_id)
    return entries.select_related("actor")


def own_access_log(*, user: AnyUser) -> QuerySet[AccessLogEntry]:
    """ "Who looked at my data" for the signed-in employee."""
    employee = employee_of(user)
    if employee is None or not has_capability(user, Capability.USE_SELF_SERVICE):
        return AccessLogEntry.objects.none()
    return disclosed_access_log(employee=employee)


@dataclass(frozen=True)
class Look:
    """One look at the employee's data, as the employee is shown it."""

    occurred_at: datetime.datetime
    role_label: str
    action_label: str
    part_label: str
    name: str | None  # None: the role only (the matter is open, or the settings say so)
    purpose: str | None


def describe_accesses(
    entries: list[AccessLogEntry],
    *,
    employee: Employee,
    settings: PrivacySettings | None = None,
    now: datetime.datetime | None = None,
) -> list[Look]:
    """What the employee is told about each entry: always the role, the name when allowed.

    The name (and the recorded purpose) is given as the privacy officer configured: never,
    always, or once the matter is closed. Whether a matter is closed is asked of the app that
    owns the object, in one call per app for the whole page; a look that belongs to no
    matter counts as closed after the configured number of days.
    """
    settings = settings or PrivacySettings.current()
    now = now or timezone.now()
    policy = PrivacySettings.NameDisclosure(settings.name_disclosure)
    refs = {ObjectRef(e.object_type, e.object_id) for e in entries if e.object_id}
    closed: set[ObjectRef] = set()
    claimed: set[ObjectRef] = set()
    if policy is PrivacySettings.NameDisclosure.WHEN_CLOSED and refs:
        closed, claimed = get_registry().closed_matters(employee, refs)
    grace = datetime.timedelta(days=settings.unclaimed_after_days)
    looks = []
    for entry in entries:
        ref = ObjectRef(entry.object_type, entry.object_id)
        if policy is PrivacySettings.NameDisclosure.ALWAYS:
            disclosed = True
        elif policy is PrivacySettings.NameDisclosure.ROLE_ONLY:
            disclosed = False
        elif entry.object_id and ref in claimed:
            disclosed = ref in closed
        else:
            disclosed = entry.occurred_at <= now - grace
        looks.append(
            Look(
                occurred_at=entry.occurred_at,
                role_label=str(Role(entry.actor_role).label)
                if entry.actor_role
                else _("Automatic processing"),
                action_label=entry.get_action_display(),
                part_label=part_label(part_of(entry.object_type)),
                name=_actor_name(entry) if disclosed else None,
                # VIK's own purpose codes ("name shown") in words, in the reader's language.
                purpose=names.purpose(entry.purpose).label if disclosed else None,
            )
        )
    return looks


def _actor_name(entry: AccessLogEntry) -> str:
    if entry.actor is not None:
        return entry.actor.get_full_name() or entry.actor.get_username()
    return entry.actor_username or _("VIK (automatic)")


# The capability each version of the logging report needs (also to download a rendering).
REPORT_AUDIENCE_CAPABILITY = {
    LoggingReportRender.Audience.COR: Capability.VIEW_AGGREGATES,
    LoggingReportRender.Audience.PRIVACY: Capability.AUDIT_ACCESS_LOG,
}


def logging_report_renders_visible_to(*, user: AnyUser) -> QuerySet[LoggingReportRender]:
    """The renderings of the logging report this user asked for, of the versions they may
    still see (a privacy officer who lost the role no longer downloads the detailed one)."""
    if not user.is_authenticated:
        return LoggingReportRender.objects.none()
    audiences = [
        audience
        for audience, capability in REPORT_AUDIENCE_CAPABILITY.items()
        if has_capability(user, capability)
    ]
    return LoggingReportRender.objects.filter(requested_by=user, audience__in=audiences)

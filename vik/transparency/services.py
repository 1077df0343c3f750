"""Writes of the transparency app. Keyword arguments, an explicit ``acting_user``, one
transaction each, and the acting user and reason in the history trail
(:func:`vik.history.stamp`). Views, commands and tasks call these and nothing else.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.history import stamp
from vik.models import AccessAction, AccessLogEntry, Employee
from vik.roles import Capability, Role
from vik.selectors import active_conflicts_about, has_capability
from vik.services import notify, record_access
from vik.transparency import figures, reveal_reasons
from vik.transparency.exports import build_export
from vik.transparency.models import (
    AccessRequest,
    DisclosureDeferral,
    LegalHold,
    LoggingReportRender,
    PrivacySettings,
    Publication,
    PurgeRecord,
    RetentionPolicy,
)
from vik.transparency.registry import (
    Measure,
    ObjectRef,
    PurgeRefusedError,
    PurgeRequest,
    Quarter,
    get_registry,
)
from vik.transparency.retention import retention_period, validate_retention_period
from vik.transparency.selectors import (
    access_requests_to_handle,
    deferrable_employees,
    deferrals_visible_to,
    legal_holds_visible_to,
)
from vik.transparency.suppression import protect_table, protect_year
from vik.workdays import add_months

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

logger = logging.getLogger(__name__)

# Figures are published for at most this many completed quarters back.
LOOKBACK_QUARTERS = 8
# Reminders go out this many days before a deadline.
DEFERRAL_REMINDER_DAYS = 7
ACCESS_REQUEST_REMINDER_DAYS = 5


# --- Publications ---------------------------------------------------------------------


def publish_quarter(*, measure: Measure, quarter: Quarter) -> Publication:
    """Protect and freeze one measure's table for a completed quarter. Idempotent.

    The counts are asked once; the result is never recomputed, so data that changes or is
    purged later cannot make two versions of a figure that could be subtracted.
    """
    existing = Publication.objects.filter(
        key=measure.key, year=quarter.year, quarter=quarter.number
    ).first()
    if existing is not None:
        return existing
    rows = figures.unit_rows()
    table = figures.table_from_counts(measure, measure.count(quarter), rows)
    payload = figures.table_payload(protect_table(table), dict(rows))
    return _freeze(key=measure.key, year=quarter.year, quarter=quarter.number, payload=payload)


def publish_year(*, measure: Measure, year: int) -> Publication | None:
    """The year's totals across its four published quarters; ``None`` until all four are.

    Protected together with the quarters as published, so that no small figure of a quarter
    can be worked out from the year. When the categories changed during the year the sums
    would not line up; the year's totals are then withheld.
    """
    existing = Publication.objects.filter(key=measure.key, year=year, quarter=0).first()
    if existing is not None:
        return existing
    quarters = list(
        Publication.objects.filter(key=measure.key, year=year, quarter__gte=1).order_by("quarter")
    )
    if len(quarters) < 4:
        return None
    parts = [figures.protected_table(q.payload) for q in quarters]
    if any(part.table.cols != parts[0].table.cols for part in parts):
        payload = {"withheld": True, "reason": "categories changed during the year"}
    else:
        payload = figures.totals_payload(protect_year(parts))
    return _freeze(key=measure.key, year=year, quarter=0, payload=payload)


def _freeze(*, key: str, year: int, quarter: int, payload: dict) -> Publication:
    try:
        with transaction.atomic():
            return Publication.objects.create(key=key, year=year, quarter=quarter, payload=payload)
    except IntegrityError:
        # Another worker published it first; theirs stands.
        return Publication.objects.get(key=key, year=year, quarter=quarter)


def publish_reveal_reasons(*, quarter: Quarter) -> Publication | None:
    """Count, protect and freeze the kinds of identity reveal of a completed quarter.

    Idempotent; ``None`` while there is nothing to publish (see
    :func:`vik.transparency.reveal_reasons.quarter_payload`). Counted once, so a reveal
    record removed later by retention still counts under its kind.
    """
    key = reveal_reasons.KEY
    existing = Publication.objects.filter(key=key, year=quarter.year, quarter=quarter.number)
    if (found := existing.first()) is not None:
        return found
    payload = reveal_reasons.quarter_payload(quarter)
    if payload is None:
        return None
    return _freeze(key=key, year=quarter.year, quarter=quarter.number, payload=payload)


def publish_reveal_reasons_year(*, year: int) -> Publication | None:
    """The year's kinds of identity reveal, once its quarters are in. Idempotent."""
    key = reveal_reasons.KEY
    if (found := Publication.objects.filter(key=key, year=year, quarter=0).first()) is not None:
        return found
    payload = reveal_reasons.year_payload(year)
    if payload is None:
        return None
    return _freeze(key=key, year=year, quarter=0, payload=payload)


def first_quarter_in_use() -> Quarter | None:
    """The quarter VIK came into use: that of the first access-log entry."""
    first = AccessLogEntry.objects.order_by("occurred_at").values_list("occurred_at", flat=True)
    when = first.first()
    return Quarter.containing(timezone.localdate(when)) if when else None


def publish_due(*, today: datetime.date | None = None, since: Quarter | None = None) -> int:
    """Publish every measure for the completed quarters not yet published, then their years;
    then the identity reveals by kind of reason, which are protected with the published
    reveals (see :mod:`vik.transparency.reveal_reasons`).

    From the quarter VIK came into use (or ``since``), at most ``LOOKBACK_QUARTERS`` back.
    Returns how many publications were written. Idempotent; run daily by Celery beat.
    """
    today = today or timezone.localdate()
    last = Quarter.containing(today).previous()
    start = since or first_quarter_in_use()
    if start is None:
        return 0
    quarters = [last]
    while len(quarters) < LOOKBACK_QUARTERS and quarters[-1] > start:
        quarters.append(quarters[-1].previous())
    quarters = sorted(q for q in quarters if q >= start)
    before = Publication.objects.count()
    years = sorted({q.year for q in quarters if q.number == 4})
    for measure in get_registry().measures():
        for quarter in quarters:
            publish_quarter(measure=measure, quarter=quarter)
        for year in years:
            publish_year(measure=measure, year=year)
    for quarter in quarters:
        publish_reveal_reasons(quarter=quarter)
    for year in years:
        publish_reveal_reasons_year(year=year)
    return Publication.objects.count() - before


# --- Privacy settings -------------------------------------------------------------------


@transaction.atomic
def update_privacy_settings(
    *,
    name_disclosure: str,
    unclaimed_after_days: int,
    max_deferral_days: int,
    acting_user: AnyUser,
    reason: str,
) -> PrivacySettings:
    """Change what employees are shown about who looked at their data (privacy officer)."""
    _require(acting_user, Capability.AUDIT_ACCESS_LOG)
    current = PrivacySettings.current()
    current.name_disclosure = PrivacySettings.NameDisclosure(name_disclosure)
    current.unclaimed_after_days = unclaimed_after_days
    current.max_deferral_days = max_deferral_days
    current.full_clean()
    stamp(current, acting_user=acting_user, reason=reason).save()
    return current


# --- Disclosure deferrals ---------------------------------------------------------------


@transaction.atomic
def defer_disclosure(
    *,
    employee: Employee,
    category: str,
    object_ref: ObjectRef | None = None,
    reason: str,
    ends_on: datetime.date,
    acting_user: AnyUser,
    today: datetime.date | None = None,
) -> DisclosureDeferral:
    """Defer showing ``employee`` part of their data while a covert investigation runs.

    Only a commissioner, only for an employee of the units they head (never themself or a
    conflicted colleague), with a reason and an end date no further than the privacy
    officer's maximum. The privacy officers are told that a deferral was registered.
    """
    _require(acting_user, Capability.DEFER_DISCLOSURE)
    if not deferrable_employees(user=acting_user).filter(id=employee.pk).exists():
        raise PermissionDenied
    registry = get_registry()
    try:
        disclosure = registry.disclosure_category(category)
    except KeyError:
        raise ValidationError(_("Unknown category.")) from None
    if object_ref is not None and object_ref.object_type not in disclosure.object_types:
        raise ValidationError(_("That kind of object does not belong to this category."))
    today = today or timezone.localdate()
    _check_deferral(reason=reason, ends_on=ends_on, today=today)
    deferral = DisclosureDeferral(
        employee=employee,
        category=category,
        object_type=object_ref.object_type if object_ref else "",
        object_id=object_ref.object_id if object_ref else "",
        reason=reason.strip(),
        ends_on=ends_on,
        created_by=_real(acting_user),
    )
    stamp(deferral, acting_user=acting_user, reason=reason).save()
    for officer in _privacy_officers(employee=employee):
        notify(
            recipient=officer,
            subject=_("A disclosure deferral was registered"),
            url=reverse("transparency:deferral_list"),
            acting_user=acting_user,
        )
    return deferral


def _check_deferral(*, reason: str, ends_on: datetime.date, today: datetime.date) -> None:
    if not reason.strip():
        raise ValidationError(_("Give the reason for deferring disclosure."))
    if ends_on <= today:
        raise ValidationError(_("The end date must lie in the future."))
    longest = PrivacySettings.current().max_deferral_days
    if ends_on > today + datetime.timedelta(days=longest):
        raise ValidationError(
            _("A deferral may last at most %(days)s days at a time.") % {"days": longest}
        )


def _visible_deferral(deferral: DisclosureDeferral, acting_user: AnyUser) -> DisclosureDeferral:
    """Re-read the deferral, locked, through the commissioner's selector (404 otherwise)."""
    _require(acting_user, Capability.DEFER_DISCLOSURE)
    found = (
        deferrals_visible_to(user=acting_user)
        .select_for_update(of=("self",))
        .filter(pk=deferral.pk)
        .first()
    )
    if found is None:
        raise PermissionDenied
    if not found.is_active():
        raise ValidationError(_("This deferral has ended."))
    return found


@transaction.atomic
def extend_deferral(
    *,
    deferral: DisclosureDeferral,
    ends_on: datetime.date,
    reason: str,
    acting_user: AnyUser,
    today: datetime.date | None = None,
) -> DisclosureDeferral:
    """Move the end date later, with a reason (the history keeps every extension)."""
    deferral = _visible_deferral(deferral, acting_user)
    today = today or timezone.localdate()
    if ends_on <= deferral.ends_on:
        raise ValidationError(_("An extension must end later than the deferral does now."))
    _check_deferral(reason=reason, ends_on=ends_on, today=today)
    deferral.ends_on = ends_on
    deferral.reminder_sent_at = None
    stamp(deferral, acting_user=acting_user, reason=reason).save()
    return deferral


@transaction.atomic
def lift_deferral(
    *, deferral: DisclosureDeferral, reason: str, acting_user: AnyUser
) -> DisclosureDeferral:
    """End a deferral before its end date; the employee is told there is new information."""
    deferral = _visible_deferral(deferral, acting_user)
    if not reason.strip():
        raise ValidationError(_("Give the reason for ending the deferral."))
    _end_deferral(deferral, reason=reason.strip(), acting_user=acting_user)
    return deferral


def _end_deferral(
    deferral: DisclosureDeferral, *, reason: str, acting_user: AnyUser | None
) -> None:
    deferral.lifted_at = timezone.now()
    deferral.lifted_by = _real(acting_user)
    deferral.lift_reason = reason
    stamp(deferral, acting_user=acting_user, reason=reason).save()
    recipient = deferral.employee.user
    if recipient is not None:
        notify(
            recipient=recipient,
            subject=_("There is new information about you in Mijn gegevens"),
            url=reverse("transparency:my_data"),
            acting_user=acting_user,
        )


@transaction.atomic
def end_expired_deferrals(*, today: datetime.date | None = None) -> int:
    """End the deferrals whose end date has passed (idempotent; daily by Celery beat)."""
    today = today or timezone.localdate()
    expired = (
        DisclosureDeferral.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("employee__user")
        .filter(lifted_at__isnull=True, ends_on__lt=today)
    )
    count = 0
    for deferral in expired:
        _end_deferral(deferral, reason=_("The end date has passed."), acting_user=None)
        count += 1
    return count


@transaction.atomic
def remind_deferrals_ending(*, today: datetime.date | None = None) -> int:
    """Tell each commissioner, once, that a deferral of theirs ends within a week."""
    today = today or timezone.localdate()
    ending = DisclosureDeferral.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        lifted_at__isnull=True,
        reminder_sent_at__isnull=True,
        ends_on__gte=today,
        ends_on__lte=today + datetime.timedelta(days=DEFERRAL_REMINDER_DAYS),
        created_by__isnull=False,
    )
    count = 0
    for deferral in ending.select_related("created_by"):
        deferral.reminder_sent_at = timezone.now()
        stamp(deferral, acting_user=None, reason="reminder").save(
            update_fields=["reminder_sent_at"]
        )
        assert deferral.created_by is not None  # noqa: S101 - filtered above
        notify(
            recipient=deferral.created_by,
            subject=_("A disclosure deferral ends on %(date)s") % {"date": deferral.ends_on},
            url=reverse("transparency:deferral_history", args=[deferral.pk]),
            acting_user=None,
        )
        count += 1
    return count


# --- Data-access requests (GDPR art. 15) -------------------------------------------------


@transaction.atomic
def submit_access_request(
    *, employee: Employee, note: str = "", acting_user: AnyUser, today: datetime.date | None = None
) -> AccessRequest:
    """An employee asks for a copy of their data; due one month after receipt.

    One open request at a time; the privacy officers are told.
    """
    _require(acting_user, Capability.USE_SELF_SERVICE)
    if employee.user_id != acting_user.pk:
        raise PermissionDenied
    if (
        AccessRequest.objects.select_for_update()
        .filter(employee=employee, completed_at__isnull=True)
        .exists()
    ):
        raise ValidationError(_("You already have a request that has not been answered yet."))
    today = today or timezone.localdate()
    request = AccessRequest(
        employee=employee,
        submitted_by=_real(acting_user),
        received_on=today,
        note=note.strip(),
        due_on=add_months(today, 1),
    )
    stamp(request, acting_user=acting_user, reason="submitted").save()
    for officer in _privacy_officers(employee=employee):
        notify(
            recipient=officer,
            subject=_("A new request for access (GDPR art. 15)"),
            url=reverse("transparency:access_request_detail", args=[request.pk]),
            acting_user=acting_user,
        )
    return request


def _handled_request(request: AccessRequest, acting_user: AnyUser) -> AccessRequest:
    found = (
        access_requests_to_handle(user=acting_user)
        .select_for_update(of=("self",))
        .filter(pk=request.pk)
        .first()
    )
    if found is None:
        raise PermissionDenied
    if not found.is_open:
        raise ValidationError(_("This request has been answered."))
    return found


@transaction.atomic
def extend_access_request(
    *,
    request: AccessRequest,
    reason: str,
    acting_user: AnyUser,
    today: datetime.date | None = None,
) -> AccessRequest:
    """Extend the term by two months (GDPR art. 12(3)), telling the employee why.

    Allowed once, and only inside the first month: the notice must reach the employee
    before the original term ends.
    """
    request = _handled_request(request, acting_user)
    today = today or timezone.localdate()
    if request.extended_due_on is not None:
        raise ValidationError(_("The term has already been extended."))
    if today > request.due_on:
        raise ValidationError(
            _("The term can only be extended within the first month, before %(date)s.")
            % {"date": request.due_on}
        )
    if not reason.strip():
        raise ValidationError(_("Give the reason for the extension; the employee is told."))
    request.extended_due_on = add_months(request.received_on, 3)
    request.extension_reason = reason.strip()
    request.extended_at = timezone.now()
    stamp(request, acting_user=acting_user, reason=reason).save()
    if request.employee.user is not None:
        notify(
            recipient=request.employee.user,
            subject=_("Your request for access will be answered by %(date)s")
            % {"date": request.extended_due_on},
            body=request.extension_reason,
            url=reverse("transparency:my_data"),
            acting_user=acting_user,
        )
    return request


@transaction.atomic
def complete_access_request(*, request: AccessRequest, acting_user: AnyUser) -> AccessRequest:
    """Produce the export from every provider, keep it, log it and tell the employee."""
    request = _handled_request(request, acting_user)
    request.completed_at = timezone.now()
    request.completed_by = _real(acting_user)
    # Built after the answer is dated, so the export lists this request as answered too.
    request.export = build_export(employee=request.employee, request=request)
    stamp(request, acting_user=acting_user, reason="answered").save()
    record_access(
        actor=acting_user,
        action=AccessAction.EXPORT,
        role=Role.PRIVACY_OFFICER,
        employee=request.employee,
        obj=request,
        purpose=_("Answer to a request for access (GDPR art. 15)"),
    )
    if request.employee.user is not None:
        notify(
            recipient=request.employee.user,
            subject=_("The copy of your data is ready"),
            url=reverse("transparency:my_data"),
            acting_user=acting_user,
        )
    return request


@transaction.atomic
def remind_access_request_deadlines(*, today: datetime.date | None = None) -> int:
    """Tell the privacy officers, once per request, that its deadline is close or passed."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=ACCESS_REQUEST_REMINDER_DAYS)
    due = AccessRequest.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        Q(extended_due_on__isnull=True, due_on__lte=horizon) | Q(extended_due_on__lte=horizon),
        completed_at__isnull=True,
        reminder_sent_at__isnull=True,
    )
    count = 0
    for request in due.select_related("employee"):
        request.reminder_sent_at = timezone.now()
        stamp(request, acting_user=None, reason="reminder").save(update_fields=["reminder_sent_at"])
        for officer in _privacy_officers(employee=request.employee):
            notify(
                recipient=officer,
                subject=_("A request for access is due on %(date)s") % {"date": request.deadline},
                url=reverse("transparency:access_request_detail", args=[request.pk]),
                acting_user=None,
            )
        count += 1
    return count


# --- Retention ----------------------------------------------------------------------------


@transaction.atomic
def set_retention_policy(
    *,
    category: str,
    period_months: int,
    legal_hold: bool,
    legal_hold_reason: str = "",
    acting_user: AnyUser,
    reason: str,
) -> RetentionPolicy:
    """Set a category's retention period and legal hold (administrator).

    A period beyond the category's maximum is refused with the reason
    (:func:`vik.transparency.retention.validate_retention_period`: the union's conditions
    cap access events and dismissed signals at six months). A category that follows another
    has no period of its own.
    """
    _require(acting_user, Capability.MANAGE_ORGANISATION)
    try:
        retention_category = get_registry().retention_category(category)
    except KeyError:
        raise ValidationError(_("Unknown category.")) from None
    if retention_category.follows:
        raise ValidationError(
            _("This category is kept as long as the category it follows; set that one.")
        )
    validate_retention_period(category, period_months)
    policy = RetentionPolicy.objects.select_for_update().filter(category=category).first()
    policy = policy or RetentionPolicy(category=category)
    current = policy.period_months or get_registry().retention_category(category).default_months
    if period_months > current:
        # A longer period is a protocol change: proposed to the works council; the period
        # in force stays until it consents (monitoring.services.consent).
        from monitoring.services.consent import propose_longer_retention

        propose_longer_retention(
            category=category,
            current_months=current,
            months=period_months,
            rationale=reason,
            acting_user=acting_user,
        )
        period_months = current
    policy.period_months = period_months
    policy.legal_hold = legal_hold
    policy.legal_hold_reason = legal_hold_reason.strip() if legal_hold else ""
    if legal_hold and not policy.legal_hold_reason:
        raise ValidationError(_("Give the reason for the legal hold."))
    policy.full_clean()
    stamp(policy, acting_user=acting_user, reason=reason).save()
    return policy


@transaction.atomic
def place_legal_hold(
    *, employee: Employee, category: str = "", reason: str, acting_user: AnyUser
) -> LegalHold:
    """Keep everything (or one category) about ``employee`` past its retention period."""
    _require(acting_user, Capability.AUDIT_ACCESS_LOG)
    if employee.user_id == acting_user.pk:
        raise PermissionDenied
    if category:
        try:
            get_registry().retention_category(category)
        except KeyError:
            raise ValidationError(_("Unknown category.")) from None
    if not reason.strip():
        raise ValidationError(_("Give the reason for the legal hold."))
    hold = LegalHold(
        employee=employee, category=category, reason=reason.strip(), placed_by=_real(acting_user)
    )
    stamp(hold, acting_user=acting_user, reason=reason).save()
    return hold


@transaction.atomic
def release_legal_hold(*, hold: LegalHold, reason: str, acting_user: AnyUser) -> LegalHold:
    """Release a legal hold; what it kept that has expired is purged right after.

    A retention run is queued once the release is committed (idempotent, the same as the
    nightly one): the events the hold kept in monitoring's hold store leave it through the
    database's purge function, and other held records go at their category's purge.
    """
    found = (
        legal_holds_visible_to(user=acting_user)
        .select_for_update(of=("self",))
        .filter(pk=hold.pk)
        .first()
    )
    if found is None:
        raise PermissionDenied
    hold = found
    if hold.released_at is None:
        if not reason.strip():
            raise ValidationError(_("Give the reason for releasing the hold."))
        hold.released_at = timezone.now()
        hold.released_by = _real(acting_user)
        hold.release_reason = reason.strip()
        stamp(hold, acting_user=acting_user, reason=reason).save()
        from vik.transparency.tasks import purge_expired_data  # tasks import this module

        transaction.on_commit(purge_expired_data.delay)
    return hold


def run_retention(
    *, today: datetime.date | None = None, acting_user: AnyUser | None = None
) -> list[PurgeRecord]:
    """Purge what has expired in every category with a purge function. Idempotent.

    Each category runs in its own transaction, together with its purge record, so a failure
    in one neither stops the others nor leaves a purge without its record. A category under
    legal hold is skipped and the stop recorded (once a day); employees under a legal hold
    are passed to the purge function, which keeps their records.
    """
    today = today or timezone.localdate()
    policies = {p.category: p for p in RetentionPolicy.objects.all()}
    holds: dict[str, set[int]] = {}
    for held_category, employee_id in LegalHold.objects.filter(
        released_at__isnull=True
    ).values_list("category", "employee_id"):
        holds.setdefault(held_category, set()).add(employee_id)
    records: list[PurgeRecord] = []
    registry = get_registry()
    for category in registry.retention_categories():
        if category.purge is None:
            continue  # its app has not landed yet
        # A following category takes the period and the category-wide hold of the one it
        # follows (e.g. unreviewed signals go when the access events they rest on go).
        source = registry.retention_category(category.follows) if category.follows else category
        policy = policies.get(source.key)
        months = policy.period_months if policy else source.default_months
        cutoff = add_months(today, -months)
        record = PurgeRecord(category=category.key, cutoff=cutoff, run_by=_real(acting_user))
        if policy is not None and policy.legal_hold:
            if _held_today(category.key, today):
                continue
            record.outcome = PurgeRecord.Outcome.HELD
            record.note = _("Legal hold on the category.")
            record.save()
            records.append(record)
            continue
        held = frozenset(
            holds.get("", set()) | holds.get(category.key, set()) | holds.get(source.key, set())
        )
        run_by = _real(acting_user)
        try:
            with transaction.atomic():
                purged = category.purge(
                    PurgeRequest(category.key, cutoff, held, run_by.pk if run_by else None)
                )
                if isinstance(purged, PurgeRecord):
                    records.append(purged)  # written by the database's retention function
                elif purged:
                    record.purged = purged
                    record.outcome = PurgeRecord.Outcome.PURGED
                    record.save()
                    records.append(record)
        except PurgeRefusedError as refusal:
            if not _held_today(category.key, today):
                record.outcome = PurgeRecord.Outcome.HELD
                record.note = str(refusal)[:200]
                record.save()
                records.append(record)
        except Exception:
            logger.exception("retention purge of %s failed", category.key)
            record.outcome = PurgeRecord.Outcome.FAILED
            record.note = "see the server log"
            record.save()
            records.append(record)
    return records


def latest_cutoff(category: str, *, today: datetime.date | None = None) -> datetime.date:
    """The latest cut-off the retention rules allow: today minus the category's period.

    The database's retention functions compute the same (``vik_retention_limit``) and
    refuse anything younger; this is the check for the demo on SQLite.
    """
    months, _policy = retention_period(category)
    return add_months(today or timezone.localdate(), -months)


def check_purge_allowed(category: str, cutoff: datetime.date) -> frozenset[int]:
    """Refuse a purge the retention rules do not allow; returns the employees under a hold.

    A cut-off younger than the retention period, or a category under legal hold, raises
    :class:`PurgeRefusedError`. What the database functions check, for SQLite.
    """
    if cutoff > latest_cutoff(category):
        raise PurgeRefusedError(
            f"cut-off {cutoff} is younger than the retention period of {category}"
        )
    if RetentionPolicy.objects.filter(category=category, legal_hold=True).exists():
        raise PurgeRefusedError(f"legal hold on the category {category}")
    return frozenset(
        LegalHold.objects.filter(released_at__isnull=True, category__in=("", category))
        .values_list("employee_id", flat=True)
        .distinct()
    )


def _held_today(category: str, today: datetime.date) -> bool:
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return PurgeRecord.objects.filter(
        category=category, outcome=PurgeRecord.Outcome.HELD, ran_at__gte=start
    ).exists()


# --- Helpers --------------------------------------------------------------------------------


def _require(user: AnyUser, capability: Capability) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


def _real(user: AnyUser | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def _privacy_officers(*, employee: Employee) -> list[User]:
    """The privacy officers who may handle matters about ``employee``: not the employee,
    and not one who is conflicted with them."""
    conflicted = active_conflicts_about(employee_ids=[employee.pk])
    officers = (
        get_user_model()
        .objects.filter(role_assignments__role=Role.PRIVACY_OFFICER, is_active=True)
        .exclude(pk__in=conflicted.values("user_id"))
        .distinct()
        .order_by("pk")
    )
    if employee.user_id is not None:
        officers = officers.exclude(pk=employee.user_id)
    return list(officers)


# --- The annual logging report, rendered in the background ------------------------------


@transaction.atomic
def request_logging_report(
    *, year: int, audience: str, acting_user: AnyUser
) -> LoggingReportRender:
    """Queue a rendering of the year's logging report; the task starts after commit.

    Refused without the capability of the version asked for, or for a year VIK was not in
    use. A rendering of the same version already waiting or running for this user is
    reused, so a double click does not render twice.
    """
    from vik.transparency.report import available_years
    from vik.transparency.selectors import REPORT_AUDIENCE_CAPABILITY
    from vik.transparency.tasks import render_logging_report

    if audience not in LoggingReportRender.Audience.values:
        raise ValidationError(_("Unknown version of the report."))
    capability = REPORT_AUDIENCE_CAPABILITY[LoggingReportRender.Audience(audience)]
    if not acting_user.is_authenticated or not has_capability(acting_user, capability):
        raise PermissionDenied
    if year not in available_years():
        raise ValidationError(_("VIK has no logged use in that year."))
    running = LoggingReportRender.objects.filter(
        year=year,
        audience=audience,
        requested_by=acting_user,
        status__in=[LoggingReportRender.Status.QUEUED, LoggingReportRender.Status.RUNNING],
    ).first()
    if running is not None:
        return running
    render = LoggingReportRender.objects.create(
        year=year, audience=audience, requested_by=acting_user
    )
    # robust: with Redis away the job is committed and stays "waiting" (the page says so);
    # requeue_waiting_logging_reports sends it again once Redis is back.
    transaction.on_commit(lambda: render_logging_report.delay(render.pk), robust=True)
    return render


def requeue_waiting_logging_reports(*, older_than: datetime.timedelta) -> list[int]:
    """Send the task again for renderings still waiting after ``older_than`` (idempotent:
    the task claims the job before it works, so a second message does nothing)."""
    from vik.transparency.tasks import render_logging_report

    ids = list(
        LoggingReportRender.objects.filter(
            status=LoggingReportRender.Status.QUEUED,
            requested_at__lte=timezone.now() - older_than,
        ).values_list("pk", flat=True)
    )
    for render_id in ids:
        render_logging_report.delay(render_id)
    return ids


def render_logging_report_job(render_id: int) -> bool:
    """Render a queued logging report once (the task's body). Claims the job first.

    Progress is written outside any transaction so the polling page sees it at once. A
    failure is recorded on the job and logged, not retried: the user can ask again. When
    the PDF is ready, the requester gets a message (and an e-mail that one waits).
    """
    from vik import render_jobs
    from vik.transparency.report import Report, render_report_in_steps

    if not render_jobs.claim(LoggingReportRender, render_id):
        return False
    render = LoggingReportRender.objects.select_related("requested_by").get(pk=render_id)
    try:
        pdf, pages = render_report_in_steps(
            Report(year=render.year, detailed=render.is_detailed),
            progress=render_jobs.progress_reporter(LoggingReportRender, render_id),
        )
        render_jobs.store_pdf(
            render, name=f"logging-reports/{render.year}/{render.pk}-{render.audience}.pdf", pdf=pdf
        )
    except Exception as error:
        logger.exception("rendering logging report %s failed", render_id)
        render_jobs.failed(LoggingReportRender, render_id, error)
        return False
    render_jobs.done(render, pdf=pdf, pages=pages)
    if render.requested_by is not None:
        notify(
            recipient=render.requested_by,
            subject=_("The logging report %(year)s is ready") % {"year": render.year},
            url=reverse("transparency:report_render", args=[render.pk]),
            acting_user=None,
        )
    return True

"""Shared plumbing of the cases services: acting-user checks, journal, deadlines, messages."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import Case, CaseParty, Deadline, DeadlineKind, Investigation, JournalEntry
from cases.selectors import cases_as_commissioner, cases_as_investigator, cases_visible_to
from vik import services as core
from vik.history import stamp

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.utils.functional import Promise

    from vik.models import Employee

    AnyUser = User | AnonymousUser


class Acting(enum.Enum):
    """In which capacity a user acts on a case."""

    COMMISSIONER = "commissioner"
    INVESTIGATOR = "investigator"
    CASE_STAFF = "case_staff"  # either of the two


def actor(user: AnyUser | None) -> User | None:
    """The acting user as a value for a ``..._by`` field: ``None`` for the system."""
    return user if user is not None and user.is_authenticated else None


def lock_case(case: Case, *, user: AnyUser | None, acting: Acting) -> Case:
    """Re-check inside the transaction that ``user`` may act on ``case`` as ``acting``; lock it.

    Views already fetched the case through a selector, but a service is also called from
    commands and tasks, and access may have changed since the page was loaded.
    """
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Only a signed-in user can do this."))
    if acting is Acting.COMMISSIONER:
        allowed = cases_as_commissioner(user=user)
    elif acting is Acting.INVESTIGATOR:
        allowed = cases_as_investigator(user=user)
    else:
        allowed = cases_visible_to(user=user).filter(
            Q(id__in=cases_as_commissioner(user=user).values("id"))
            | Q(id__in=cases_as_investigator(user=user).values("id"))
        )
    if not allowed.filter(pk=case.pk).exists():
        raise PermissionDenied(_("You may not do this in this case."))
    return Case.objects.select_for_update().get(pk=case.pk)


def investigation_of(case: Case) -> Investigation:
    """The investigation of a (locked) case, fresh from the database."""
    try:
        return Investigation.objects.select_related("case").get(pk=case.pk)
    except Investigation.DoesNotExist:
        raise ValidationError(_("This case is not an investigation.")) from None


def system_text(message: str | Promise, **params: Any) -> str:
    """A text the system writes into the record (journal, messages): in the site language."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
        return text % params if params else text


def journal(
    investigation: Investigation,
    message: str | Promise,
    *,
    author: AnyUser | None,
    **params: Any,
) -> JournalEntry:
    """Write an automatic journal line for a protocol step."""
    entry = JournalEntry(
        investigation=investigation,
        author=actor(author),
        text=system_text(message, **params),
        is_automatic=True,
    )
    entry.save()
    return entry


def open_deadline(
    case: Case,
    *,
    kind: DeadlineKind,
    key: str,
    label: str,
    due_on: datetime.date,
    acting_user: AnyUser | None,
) -> Deadline:
    """Start (or move) a term. Moving it forgets earlier reminders about the old date."""
    deadline = Deadline.objects.filter(case=case, key=key).first()
    if deadline is None:
        deadline = Deadline(case=case, kind=kind, key=key, label=label[:200], due_on=due_on)
    elif deadline.due_on != due_on or deadline.met_on is not None:
        deadline.due_on = due_on
        deadline.met_on = None
        deadline.reminded_on = None
        deadline.overdue_notified_on = None
    else:
        return deadline
    stamp(deadline, acting_user=acting_user, reason=kind.value).save()
    return deadline


def meet_deadline(
    case: Case, *, key: str, on: datetime.date | None = None, acting_user: AnyUser | None
) -> None:
    """Mark a term as met (idempotent; a term that was never opened is simply absent)."""
    deadline = Deadline.objects.filter(case=case, key=key, met_on__isnull=True).first()
    if deadline is not None:
        deadline.met_on = on or timezone.localdate()
        stamp(deadline, acting_user=acting_user, reason="met").save(update_fields=["met_on"])


def case_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def tell(
    recipients: Iterable[User],
    message: str | Promise,
    *,
    url: str,
    acting_user: AnyUser | None,
    **params: Any,
) -> int:
    """Leave a message for each recipient (never the acting user themself). No case details."""
    sent = 0
    subject = system_text(message, **params)
    for recipient in recipients:
        if acting_user is not None and recipient.pk == acting_user.pk:
            continue
        core.notify(recipient=recipient, subject=subject, url=url, acting_user=acting_user)
        sent += 1
    return sent


def require_not_future(day: datetime.date | datetime.datetime, what: str | Promise) -> None:
    today = timezone.localdate()
    value = timezone.localdate(day) if isinstance(day, datetime.datetime) else day
    if value > today:
        raise ValidationError(
            _("%(what)s cannot be in the future.") % {"what": str(what)}, code="future_date"
        )


def list_party(case: Case, employee: Employee, role: str, *, acting_user: AnyUser | None) -> bool:
    """List an employee on a case once (the first role given stays); False if already listed.

    Being listed is what excludes an employee from seeing the case, whatever their role.
    """
    if case.parties.filter(employee=employee).exists():
        return False
    party = CaseParty(case=case, employee=employee, role=role)
    stamp(party, acting_user=acting_user, reason=f"party:{role}").save()
    return True

"""Writes of the review workflow: analysts decide on signals, team chiefs record conversations.

Every service takes keyword arguments and an explicit ``acting_user``, runs in one
transaction, re-checks inside it that the user may act on the object (through the
visible-to selectors, with the row locked), and stamps the history with who did it and why.

The flow (docs/monitoring.md, "The review workflow")::

    new ─ claim ─► in review ─┬─ dismiss (category, text, optional rule) ─► dismissed
                              ├─ escalate to the team chief ─► escalated ─ record ─► closed
                              └─ escalate to case intake ─────────────────────────► referred

Revealing the name behind the pseudonym is a separate act (:func:`request_reveal`,
:func:`decide_reveal`, :func:`reveal_identity`), with a kind of reason (counted in the
annual logging report) and a written reason, both logged in the access log; an escalation
reveals it at the latest, under the kind "automatic at escalation".

Who is told what:

* the team chiefs leading the employee's team, when a conversation is requested;
* the employee, when a conversation is requested and when it is recorded (with the
  outcome, "cleared" included) — unless disclosure is deferred for a covert investigation;
* nobody, when a signal goes to case intake: the investigation protocol decides when the
  person concerned is informed (in writing, before anyone else is asked), so the
  monitoring app must not tip off a covert investigation;
* nobody at once, when a signal is dismissed: it is listed in the employee's own overview
  (see :func:`monitoring.selectors.signals_disclosable_to`).

Notification texts say only that something waits in VIK; the e-mail says even less.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from monitoring.filters import OPEN_STATUSES
from monitoring.indicators import Explanation
from monitoring.models import (
    Assignment,
    EmployeeNotice,
    FollowUp,
    IdentityReveal,
    ProtocolChange,
    ScopeRule,
    Signal,
    SignalIndicator,
)
from monitoring.periods import day_start
from monitoring.selectors.review import (
    DISMISS_CATEGORIES,
    four_eyes_required,
    matter_with_vik,
    parameter,
    team_chiefs_for,
    team_of,
)
from monitoring.selectors.scoping import followups_visible_to, signals_visible_to
from monitoring.services import consent
from vik.history import stamp
from vik.models import AccessAction, AccessLogEntry, ClassificationStage, Employee, ViolationKind
from vik.roles import Capability, Role
from vik.selectors import has_capability
from vik.services import notify, record_access
from vik.typology.services import record_step_kinds
from vik.workdays import add_working_days

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from cases.models import Case

    AnyUser = User | AnonymousUser

# A rule recorded by a dismissal expires within a year: policy changes, and a rule that
# silences detection must be looked at again.
MAX_RULE_DAYS = 366
MIN_REASON_LENGTH = 10
SIGNAL_OBJECT = "monitoring.signal"
RevealReason = IdentityReveal.ReasonCategory
# The kinds of reason an analyst chooses; "automatic at escalation" is the services' own.
CHOSEN_REVEAL_REASONS = tuple(c for c in RevealReason if c != RevealReason.ESCALATION)
PURPOSE_MAX_LENGTH = AccessLogEntry._meta.get_field("purpose").max_length or 500


def _user(user: AnyUser) -> User:
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Only a signed-in user can do this."))
    return user


def _lock_signal(signal: Signal, *, user: AnyUser) -> Signal:
    """Re-check that ``user`` may review ``signal`` and lock its row for this transaction."""
    locked = (
        signals_visible_to(user=user)
        .select_for_update(of=("self",))
        .select_related("employee")
        .filter(pk=signal.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You may not review this signal."))
    return locked


def _require_open(signal: Signal) -> None:
    if signal.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This signal was already decided (%(status)s).")
            % {"status": signal.get_status_display()},
            code="decided",
        )


def _require_reason(text: str, label: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_REASON_LENGTH:
        raise ValidationError(
            _("%(label)s: write at least %(n)s characters.")
            % {"label": label, "n": MIN_REASON_LENGTH},
            code="too_short",
        )
    return text


def _require_reveal_reason(category: str) -> RevealReason:
    if category not in CHOSEN_REVEAL_REASONS:
        raise ValidationError(
            _("Choose the kind of reason for revealing the name."), code="reason_category"
        )
    # A kind a later release adds is used only once the works council consented to it.
    consent.require_in_protocol(ProtocolChange.Kind.NEW_REVEAL_REASON, category)
    return RevealReason(category)


def reveal_purpose(reveal: IdentityReveal) -> str:
    """The access log's purpose of a reveal: the kind of reason, then the written reason.

    In the application's language (Dutch), like the reason itself: the privacy officer and
    the employee read it, not the analyst.
    """
    with _in_app_language():
        label = str(RevealReason(reveal.reason_category).label)
    return Truncator(f"{label}: {reveal.reason}").chars(PURPOSE_MAX_LENGTH)


def _decide(
    signal: Signal, *, status: Signal.Status, disposition: str, note: str, user: User
) -> None:
    signal.status = status
    signal.disposition = disposition
    signal.disposition_note = note
    signal.decided_by = user
    signal.decided_at = timezone.now()
    if signal.assigned_to_id is None:
        signal.assigned_to = user


def _require_no_matter_with_vik(signal: Signal) -> None:
    if matter_with_vik(signal) is not None:
        raise ValidationError(
            _(
                "A matter about this employee is with VIK: the team chief may not be asked "
                "for a conversation. Forward the signal to its commissioner."
            ),
            code="matter_with_vik",
        )


def _in_app_language() -> translation.override:
    """Messages are written in the application's language (Dutch): the reader is not the
    actor, so the actor's language choice must not decide."""
    return translation.override(settings.LANGUAGE_CODE)


def _tell_employee(signal: Signal, *, subject: str, body: str, acting_user: AnyUser) -> bool:
    """Notify the employee (in VIK, and an e-mail that a message waits), unless a matter
    about them is with VIK — an open case or a disclosure deferral (covert investigation)."""
    employee = signal.employee
    if employee.user is None or not employee.user.is_active:
        return False
    if matter_with_vik(signal) is not None:
        return False  # a message now could tip off a covert investigation
    url = ""
    try:
        url = reverse("transparency:my_data")
    except Exception:  # noqa: BLE001 - the overview is optional; the message is not
        url = ""
    notify(recipient=employee.user, subject=subject, body=body, url=url, acting_user=acting_user)
    signal.employee_notified_at = timezone.now()
    return True


# --- telling the employee, actively (after the protocol's delay) --------------------------


def queue_employee_notice(
    signal: Signal, *, kind: EmployeeNotice.Kind, reveal: IdentityReveal | None = None
) -> EmployeeNotice:
    """Plan the message that tells the employee, ``review.employee_notice_delay_days`` from
    now (once per signal and kind, or per reveal). :func:`send_due_employee_notices` sends it."""
    delay = parameter("review.employee_notice_delay_days", 5)
    notice, _created = EmployeeNotice.objects.get_or_create(
        signal=signal,
        kind=kind,
        reveal=reveal,
        defaults={"due_at": timezone.now() + datetime.timedelta(days=delay)},
    )
    return notice


def _notice_text(notice: EmployeeNotice) -> tuple[str, str]:
    """Subject and body, written now: what was looked at, by which role, why, the result —
    never who."""
    signal = notice.signal
    period = {
        "start": f"{signal.window_start:%d-%m-%Y}",
        "end": f"{signal.window_end:%d-%m-%Y}",
    }
    if notice.kind == EmployeeNotice.Kind.DISMISSED:
        return (
            _("A signal about your use of the police systems was dismissed"),
            _(
                "The automatic check of the logs of the police information systems noticed "
                "a pattern in your use of them between %(start)s and %(end)s. An analyst of "
                "VIK looked at it and dismissed it (%(reason)s): no blame attaches to you. "
                "In 'My data' you can see which of your data was consulted and why."
            )
            % {**period, "reason": signal.get_disposition_display().lower()},
        )
    reveal = notice.reveal
    return (
        _("Your name was shown to an analyst of VIK"),
        _(
            "For a signal about your use of the police information systems between %(start)s "
            "and %(end)s, an analyst of VIK (role: analyst) saw your name instead of a "
            "pseudonym. The reason given: %(reason)s. Where it stands now: %(result)s. In "
            "'My data' you can see who looked at your data, by role, and why."
        )
        % {
            **period,
            "reason": reveal.get_reason_category_display() if reveal else "",
            "result": signal.get_status_display().lower(),
        },
    )


def send_due_employee_notices(*, now: datetime.datetime | None = None) -> int:
    """Send the notices that are due; returns how many reached an employee.

    Idempotent (each notice is claimed under a row lock and sent once). A notice about an
    employee with a matter at VIK, or whose disclosure is deferred, waits: it goes out on
    the first run after that ends. An employee without an active account is not messaged
    (the notice is closed as not delivered); their own overview shows the signal.
    """
    now = now or timezone.now()
    # All that are due, not a batch: notices that wait (a matter with VIK) must not keep
    # later ones from going out.
    due = list(
        EmployeeNotice.objects.filter(sent_at__isnull=True, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)
    )
    sent = 0
    for notice_id in due:
        with transaction.atomic():
            notice = (
                EmployeeNotice.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("signal__employee__user", "reveal")
                .filter(pk=notice_id, sent_at__isnull=True)
                .first()
            )
            if notice is None:
                continue
            signal = notice.signal
            if matter_with_vik(signal) is not None:  # an open case, or a deferral
                continue  # waits: telling now could tip off an investigation
            user = signal.employee.user
            notice.sent_at = now
            if user is not None and user.is_active:
                with _in_app_language():
                    subject, body = _notice_text(notice)
                    notify(
                        recipient=user,
                        subject=subject,
                        body=body,
                        url=reverse("transparency:my_data"),
                        acting_user=None,
                    )
                notice.delivered = True
                Signal.objects.filter(pk=signal.pk).update(employee_notified_at=now)
                sent += 1
            notice.save(update_fields=["sent_at", "delivered"])
    return sent


# --- claiming ---------------------------------------------------------------------------


@transaction.atomic
def claim_signal(*, signal: Signal, acting_user: AnyUser) -> Signal:
    """Take a signal into review: detection stops rewriting it; the analyst is named on it.

    Taking over a signal another analyst claimed is allowed (absence, workload) and shows
    in the history.
    """
    user = _user(acting_user)
    signal = _lock_signal(signal, user=user)
    _require_open(signal)
    if signal.status == Signal.Status.IN_REVIEW and signal.assigned_to_id == user.pk:
        return signal
    signal.status = Signal.Status.IN_REVIEW
    signal.assigned_to = user
    stamp(signal, acting_user=user, reason="Signaal in behandeling genomen").save()
    return signal


# --- revealing the identity -------------------------------------------------------------


@transaction.atomic
def request_reveal(
    *, signal: Signal, reason_category: str, reason: str, acting_user: AnyUser
) -> IdentityReveal:
    """Ask to see the name behind the pseudonym, with a kind of reason and a written one.

    ``reason_category`` is one of :data:`CHOSEN_REVEAL_REASONS` ("automatic at escalation"
    is not chosen: the escalation services record it). Without four eyes the request is
    approved at once and the name shown (logged). With four eyes
    (``review.four_eyes_reveal`` = 1) it waits for a second analyst.
    """
    user = _user(acting_user)
    if not has_capability(user, Capability.REVEAL_IDENTITY):
        raise PermissionDenied(_("Your role may not reveal identities."))
    signal = _lock_signal(signal, user=user)
    category = _require_reveal_reason(reason_category)
    reason = _require_reason(reason, _("Reason"))
    existing = (
        IdentityReveal.objects.filter(signal=signal, requested_by=user)
        .exclude(status=IdentityReveal.Status.REFUSED)
        .first()
    )
    if existing is not None:
        if existing.status == IdentityReveal.Status.REQUESTED:
            raise ValidationError(
                _("Your request is already waiting for a second analyst."), code="pending"
            )
        return existing
    four_eyes = four_eyes_required()
    reveal = IdentityReveal(
        signal=signal,
        requested_by=user,
        reason_category=category,
        reason=reason,
        four_eyes=four_eyes,
    )
    if not four_eyes:
        reveal.status = IdentityReveal.Status.APPROVED
        reveal.decided_at = timezone.now()
    stamp(reveal, acting_user=user, reason="Verzoek identiteit tonen").save()
    if four_eyes:
        _ask_second_analysts(reveal, acting_user=user)
        return reveal
    return reveal_identity(reveal=reveal, acting_user=user)


def _ask_second_analysts(reveal: IdentityReveal, *, acting_user: User) -> None:
    """Tell the analysts who could approve (they see the signal too) that a request waits."""
    from django.contrib.auth import get_user_model

    from vik.models import RoleAssignment

    analysts = (
        get_user_model()
        .objects.filter(
            is_active=True,
            id__in=RoleAssignment.objects.filter(role=Role.ANALYST).values("user_id"),
        )
        .exclude(pk=acting_user.pk)
    )
    url = reverse("monitoring:reveal_list")
    with _in_app_language():
        for analyst in analysts:
            if signals_visible_to(user=analyst).filter(pk=reveal.signal_id).exists():
                notify(
                    recipient=analyst,
                    subject=_("A request to reveal an identity waits for a second analyst"),
                    url=url,
                    acting_user=acting_user,
                )


@transaction.atomic
def decide_reveal(
    *, reveal: IdentityReveal, approve: bool, note: str = "", acting_user: AnyUser
) -> IdentityReveal:
    """A second analyst approves or refuses a reveal request (four eyes).

    The second analyst must be able to review the signal themself and must not be the one
    who asked. Approving does not show *them* the name; it lets the requester see it.
    """
    user = _user(acting_user)
    if not has_capability(user, Capability.REVEAL_IDENTITY):
        raise PermissionDenied(_("Your role may not decide on reveals."))
    _lock_signal(reveal.signal, user=user)
    reveal = IdentityReveal.objects.select_for_update().get(pk=reveal.pk)
    if reveal.requested_by_id == user.pk:
        raise ValidationError(
            _("A second analyst must decide: not the one who asked."), code="four_eyes"
        )
    if reveal.status != IdentityReveal.Status.REQUESTED:
        raise ValidationError(_("This request was already decided."), code="decided")
    if not approve:
        _require_reason(note, _("Reason for refusing"))
    reveal.status = IdentityReveal.Status.APPROVED if approve else IdentityReveal.Status.REFUSED
    reveal.approved_by = user
    reveal.decided_at = timezone.now()
    reveal.decision_note = (note or "").strip()
    stamp(
        reveal,
        acting_user=user,
        reason="Tweede analist: goedgekeurd" if approve else "Tweede analist: geweigerd",
    ).save()
    with _in_app_language():
        notify(
            recipient=reveal.requested_by,
            subject=_("Your request to reveal an identity was approved")
            if approve
            else _("Your request to reveal an identity was refused"),
            url=reverse("monitoring:signal_detail", args=[reveal.signal_id]),
            acting_user=user,
        )
    return reveal


@transaction.atomic
def reveal_identity(*, reveal: IdentityReveal, acting_user: AnyUser) -> IdentityReveal:
    """Show the requester the name: one ``reveal`` entry in the access log, with the kind of
    reason and the reason as its purpose (:func:`reveal_purpose`).

    Only for the analyst who asked, only once approved, and only while they may still
    review the signal. The first time sets ``revealed_at``; later page views are ordinary
    ``view`` entries.
    """
    user = _user(acting_user)
    signal = _lock_signal(reveal.signal, user=user)
    reveal = IdentityReveal.objects.select_for_update().get(pk=reveal.pk)
    if reveal.requested_by_id != user.pk:
        raise PermissionDenied(_("Only the analyst who asked sees the name."))
    if reveal.status != IdentityReveal.Status.APPROVED:
        raise ValidationError(_("This request is not approved."), code="not_approved")
    if reveal.revealed_at is None:
        entry = record_access(
            actor=user,
            action=AccessAction.REVEAL,
            role=Role.ANALYST,
            employee=signal.employee_id,
            object_type=SIGNAL_OBJECT,
            object_id=str(signal.pk),
            purpose=reveal_purpose(reveal),
        )
        # The same moment as the log's: the logging report counts reveals by category from
        # here and checks them against the log's count for the same quarter.
        reveal.revealed_at = entry.occurred_at
        stamp(reveal, acting_user=user, reason="Identiteit getoond").save(
            update_fields=["revealed_at"]
        )
        queue_employee_notice(signal, kind=EmployeeNotice.Kind.REVEALED, reveal=reveal)
    return reveal


def _reveal_for_escalation(signal: Signal, *, user: User, reason: str) -> None:
    """The name is revealed at the latest on escalation: approve and log it if not yet.

    The reveal recorded here has the kind "automatic at escalation"; a reveal the analyst
    asked for earlier keeps its own.
    """
    reveal = (
        IdentityReveal.objects.select_for_update()
        .filter(signal=signal, requested_by=user, status=IdentityReveal.Status.APPROVED)
        .first()
    )
    if reveal is None:
        reveal = IdentityReveal(
            signal=signal,
            requested_by=user,
            reason_category=RevealReason.ESCALATION,
            reason=reason,
            status=IdentityReveal.Status.APPROVED,
            decided_at=timezone.now(),
        )
        stamp(reveal, acting_user=user, reason="Identiteit bij escalatie").save()
    reveal_identity(reveal=reveal, acting_user=user)


# --- dismissing -------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackRule:
    """What a dismissal records so detection stops flagging the same thing.

    ``kind`` is ``assignment`` (the employee worked on ``incident_ref``: a missing
    assignment) or ``subject`` (the employee may open ``subject_ref``: a scope rule for that
    subject). Either ends on ``valid_until``; both are visible to administrators.
    """

    kind: str
    valid_until: datetime.date
    incident_ref: str = ""
    subject_ref: str = ""


def _record_rule(signal: Signal, rule: FeedbackRule, *, note: str, user: User) -> object:
    today = timezone.localdate()
    if rule.valid_until < signal.window_start:
        raise ValidationError(
            _("The rule must run at least to the start of the signal window."), code="rule_end"
        )
    if rule.valid_until > today + datetime.timedelta(days=MAX_RULE_DAYS):
        raise ValidationError(
            _("A rule may run at most a year; record a new one when it is still needed."),
            code="rule_end",
        )
    reason = f"{_('Signal')} {signal.pk} ({signal.window_start}–{signal.window_end}): {note}"
    if rule.kind == "assignment":
        refs = set(signal.evidence.exclude(incident_ref="").values_list("incident_ref", flat=True))
        if rule.incident_ref not in refs:
            raise ValidationError(
                _("Choose an incident from this signal's evidence."), code="rule_ref"
            )
        assignment = Assignment(
            employee=signal.employee,
            incident_ref=rule.incident_ref,
            start=day_start(signal.window_start),
            end=day_start(rule.valid_until + datetime.timedelta(days=1)),
            source=Assignment.Source.REVIEW,
            reason=reason,
            created_by=user,
        )
        assignment.full_clean(validate_unique=False)
        existing = Assignment.objects.filter(
            employee=signal.employee, incident_ref=rule.incident_ref, start=assignment.start
        ).first()
        if existing is not None:
            existing.end = max(existing.end or assignment.end, assignment.end)  # type: ignore[type-var]
            existing.reason = reason
            stamp(existing, acting_user=user, reason="Beoordeling signaal").save()
            return existing
        stamp(assignment, acting_user=user, reason="Beoordeling signaal").save()
        return assignment
    if rule.kind == "subject":
        refs = set(signal.evidence.exclude(subject_ref="").values_list("subject_ref", flat=True))
        if rule.subject_ref not in refs:
            raise ValidationError(
                _("Choose a subject from this signal's evidence."), code="rule_ref"
            )
        scope_rule = ScopeRule(
            employee=signal.employee,
            scope=ScopeRule.Scope.SUBJECT,
            subject_ref=rule.subject_ref,
            valid_from=signal.window_start,
            valid_until=rule.valid_until,
            reason=reason,
            source=ScopeRule.Source.REVIEW,
            created_by=user,
        )
        scope_rule.full_clean()
        stamp(scope_rule, acting_user=user, reason="Beoordeling signaal").save()
        return scope_rule
    raise ValidationError(_("Unknown kind of rule."), code="rule_kind")


@transaction.atomic
def dismiss_signal(
    *,
    signal: Signal,
    category: str,
    note: str,
    acting_user: AnyUser,
    rule: FeedbackRule | None = None,
) -> Signal:
    """Dismiss with the logical explanation: a category and a text; optionally a rule.

    The employee is told after the protocol's delay (:func:`queue_employee_notice`), with
    the category in plain words; their own overview lists it as well.
    """
    user = _user(acting_user)
    signal = _lock_signal(signal, user=user)
    _require_open(signal)
    if category not in DISMISS_CATEGORIES:
        raise ValidationError(_("Choose an explanation category."), code="category")
    note = _require_reason(note, _("Explanation"))
    if rule is not None:
        _record_rule(signal, rule, note=note, user=user)
    _decide(signal, status=Signal.Status.DISMISSED, disposition=category, note=note, user=user)
    signal.has_new_evidence = False
    stamp(signal, acting_user=user, reason="Signaal afgedaan").save()
    queue_employee_notice(signal, kind=EmployeeNotice.Kind.DISMISSED)
    return signal


@transaction.atomic
def bulk_dismiss(*, group_key: str, category: str, note: str, acting_user: AnyUser) -> int:
    """Dismiss every open signal of one burst group the user may see, with one reason.

    Signals the user may not see are untouched (and not counted), whatever the group.
    """
    user = _user(acting_user)
    if not group_key:
        raise ValidationError(_("Choose a group."), code="group")
    if category not in DISMISS_CATEGORIES:
        raise ValidationError(_("Choose an explanation category."), code="category")
    note = _require_reason(note, _("Explanation"))
    signals = list(
        signals_visible_to(user=user)
        .filter(
            status__in=OPEN_STATUSES,
            id__in=SignalIndicator.objects.filter(group_key=group_key).values("signal_id"),
        )
        .select_for_update(of=("self",))
        .order_by("id")
    )
    if not signals:
        raise ValidationError(_("No open signals in this group."), code="empty")
    for signal in signals:
        _decide(signal, status=Signal.Status.DISMISSED, disposition=category, note=note, user=user)
        signal.has_new_evidence = False
        stamp(signal, acting_user=user, reason="Signalen van een golf samen afgedaan").save()
        queue_employee_notice(signal, kind=EmployeeNotice.Kind.DISMISSED)
    return len(signals)


# --- escalating -------------------------------------------------------------------------


def draft_summary(signal: Signal) -> str:
    """A plain-language starting point for the team chief's summary (the analyst edits it)."""
    lines = [
        _(
            "In the period %(start)s to %(end)s the following was found in the use of the police systems:"
        )
        % {"start": f"{signal.window_start:%d-%m-%Y}", "end": f"{signal.window_end:%d-%m-%Y}"}
    ]
    for indicator in signal.indicators.order_by("-score"):
        lines.append(f"- {indicator.get_code_display()}: {indicator.explanation}")
    return "\n".join(lines)


def cite_evidence(signal: Signal, evidence_ids: Collection[int] | None = None) -> int:
    """Mark the evidence rows the record of this escalation rests on; returns how many.

    The analyst chooses them on the escalation form (``evidence_ids``, rows of this signal;
    at least one). Without a choice the record is taken to be about the events for which no
    work reason was found; when every event had one (a volume spike, say), about all of
    them. When the access events' period ends, the signal keeps only these rows and they
    follow the record's retention; the rest of the copy goes with the events
    (``monitoring.transparency.purge_uncited_evidence``).
    """
    rows = signal.evidence.filter(cited_at__isnull=True)
    if evidence_ids is not None:
        chosen = signal.evidence.filter(pk__in=list(evidence_ids))
        if not chosen.exists() and signal.evidence.exists():
            raise ValidationError(
                _("Choose at least one event the record cites."), code="no_cited_events"
            )
        return rows.filter(pk__in=chosen.values("pk")).update(cited_at=timezone.now())
    unexplained = rows.filter(explanation=Explanation.NONE)
    return (unexplained if unexplained.exists() else rows).update(cited_at=timezone.now())


@transaction.atomic
def escalate_to_team_chief(
    *,
    signal: Signal,
    summary: str,
    acting_user: AnyUser,
    cited_evidence_ids: Collection[int] | None = None,
) -> FollowUp:
    """Ask the team chief for a conversation with the employee.

    Reveals the name to the analyst (logged) if not yet, creates the follow-up with its
    deadline in working days, and tells the team chief(s) and the employee that a
    conversation is requested — nothing more.
    """
    user = _user(acting_user)
    signal = _lock_signal(signal, user=user)
    _require_open(signal)
    summary = _require_reason(summary, _("Summary for the team chief"))
    _require_no_matter_with_vik(signal)
    employee: Employee = signal.employee
    chiefs = list(team_chiefs_for(employee))
    if not chiefs:
        raise ValidationError(
            _(
                "Nobody leads this employee's team in VIK. Ask the administrator to assign "
                "the team chief, or refer the signal to case intake."
            ),
            code="no_chief",
        )
    with _in_app_language():
        reason = _("Escalation to the team chief")
    _reveal_for_escalation(signal, user=user, reason=reason)
    cite_evidence(signal, cited_evidence_ids)
    today = timezone.localdate()
    followup = FollowUp(
        signal=signal,
        employee=employee,
        team_id=team_of(employee),
        requested_by=user,
        summary=summary,
        due_on=add_working_days(today, parameter("review.followup_working_days", 10)),
    )
    stamp(followup, acting_user=user, reason="Gesprek aangevraagd").save()
    _decide(signal, status=Signal.Status.ESCALATED, disposition="", note=summary, user=user)
    url = reverse("monitoring:followup_detail", args=[followup.pk])
    with _in_app_language():
        for chief in chiefs:
            notify(
                recipient=chief,
                subject=_("A follow-up conversation is requested"),
                body=_("Please hold the conversation by %(date)s.")
                % {"date": f"{followup.due_on:%d-%m-%Y}"},
                url=url,
                acting_user=user,
            )
        _tell_employee(
            signal,
            subject=_("A follow-up conversation is requested"),
            body=_(
                "Your team chief will invite you for a conversation about your use of the police "
                "information systems. In 'My data' you can see which of your data was consulted."
            ),
            acting_user=user,
        )
    stamp(signal, acting_user=user, reason="Geëscaleerd naar de teamchef").save()
    return followup


@transaction.atomic
def escalate_to_case_intake(
    *,
    signal: Signal,
    summary: str,
    acting_user: AnyUser,
    cited_evidence_ids: Collection[int] | None = None,
) -> Case:
    """Serious (e.g. a suspected mole): register a report with VIK's intake straight away.

    The employee is *not* told here: the investigation protocol decides when the person
    concerned is informed, and a covert investigation must not be tipped off.
    """
    from cases.models import Channel
    from cases.services import register_report

    user = _user(acting_user)
    signal = _lock_signal(signal, user=user)
    _require_open(signal)
    summary = _require_reason(summary, _("Summary for the intake"))
    with _in_app_language():
        reason = _("Escalation to case intake")
    _reveal_for_escalation(signal, user=user, reason=reason)
    cite_evidence(signal, cited_evidence_ids)
    case = register_report(
        channel=Channel.MONITORING_SIGNAL,
        summary=summary,
        concerned_employees=[signal.employee],
        source_reference=f"{SIGNAL_OBJECT}:{signal.pk}",
        unit=signal.employee.unit,
        acting_user=user,
    )
    _decide(
        signal,
        status=Signal.Status.REFERRED,
        disposition=Signal.Disposition.INVESTIGATION,
        note=summary,
        user=user,
    )
    signal.case = case
    stamp(signal, acting_user=user, reason="Doorverwezen naar de intake van VIK").save()
    return case


@transaction.atomic
def forward_to_commissioner(
    *,
    signal: Signal,
    summary: str,
    acting_user: AnyUser,
    cited_evidence_ids: Collection[int] | None = None,
) -> Signal:
    """A matter about the employee is with VIK: forward the signal to its commissioner.

    Instead of a conversation (which would tip off a covert investigation): the name is
    revealed to the analyst (logged) as for any escalation, the signal leaves the queue as
    *referred*, and the case's commissioners are told that a signal waits. Nobody else is
    told anything. The commissioner attaches it to the case, or sends it back once the case
    is closed (then it returns to review: :func:`reopen_returned_signal`).
    """
    from cases.models import Case
    from cases.services import forward_signal_to_case

    user = _user(acting_user)
    signal = _lock_signal(signal, user=user)
    _require_open(signal)
    summary = _require_reason(summary, _("Summary for the commissioner"))
    matter = matter_with_vik(signal)
    if matter is None:
        raise ValidationError(
            _("No matter about this employee is with VIK: review the signal as usual."),
            code="no_matter",
        )
    if matter.case_id is None:
        raise ValidationError(
            _(
                "Disclosure about this employee is deferred, but no case is open to forward "
                "to: refer the signal to case intake (nobody is told)."
            ),
            code="no_case",
        )
    with _in_app_language():
        reason = _("Forwarded to the commissioner of a matter with VIK")
    _reveal_for_escalation(signal, user=user, reason=reason)
    cite_evidence(signal, cited_evidence_ids)
    case = Case.objects.get(pk=matter.case_id)
    forward_signal_to_case(
        case=case,
        source_reference=f"{SIGNAL_OBJECT}:{signal.pk}",
        summary=summary,
        acting_user=user,
    )
    _decide(
        signal,
        status=Signal.Status.REFERRED,
        disposition=Signal.Disposition.INVESTIGATION,
        note=summary,
        user=user,
    )
    signal.case = case
    stamp(signal, acting_user=user, reason="Doorgestuurd naar de opdrachtgever").save()
    return signal


@transaction.atomic
def reopen_returned_signal(*, reference: str, acting_user: AnyUser | None) -> Signal | None:
    """The commissioner sent a forwarded signal back (the case is closed): review it again.

    Idempotent: a signal that is no longer *referred* (or no longer exists — purged) is left
    alone. The analyst who forwarded it is told it is back.
    """
    prefix = f"{SIGNAL_OBJECT}:"
    if not reference.startswith(prefix) or not reference[len(prefix) :].isdigit():
        return None
    signal = (
        Signal.objects.select_for_update()
        .filter(pk=int(reference[len(prefix) :]), status=Signal.Status.REFERRED)
        .first()
    )
    if signal is None:
        return None
    forwarded_by = signal.decided_by
    signal.status = Signal.Status.IN_REVIEW
    signal.disposition = ""
    signal.case = None
    signal.decided_at = None
    stamp(signal, acting_user=acting_user, reason="Teruggestuurd door de opdrachtgever").save()
    if forwarded_by is not None:
        with _in_app_language():
            notify(
                recipient=forwarded_by,
                subject=_("A forwarded signal is back for review"),
                url=reverse("monitoring:signal_detail", args=[signal.pk]),
                acting_user=acting_user,
            )
    return signal


# --- the conversation -------------------------------------------------------------------

OUTCOME_DISPOSITION = {
    FollowUp.Outcome.EXPLAINED: Signal.Disposition.EXPLAINED,
    FollowUp.Outcome.UNINTENDED: Signal.Disposition.UNINTENDED,
    FollowUp.Outcome.REFER: Signal.Disposition.INVESTIGATION,
}


def outcome_message(outcome: str) -> str:
    """What the employee reads about the outcome (no details of the signal)."""
    if outcome == FollowUp.Outcome.EXPLAINED:
        return _(
            "Outcome: your use of the systems was explained. You are cleared; the matter is "
            "closed and is not held against you."
        )
    if outcome == FollowUp.Outcome.UNINTENDED:
        return _(
            "Outcome: the use was unintended. You discussed the rules with your team chief; "
            "the matter is closed."
        )
    return _(
        "Outcome: the matter has been passed to VIK for further examination. VIK will inform "
        "you as the investigation protocol prescribes."
    )


@transaction.atomic
def record_conversation(
    *,
    followup: FollowUp,
    held_on: datetime.date,
    present: str,
    employee_account: str,
    outcome: str,
    agreed_actions: str = "",
    kinds: Iterable[ViolationKind] | None = None,
    acting_user: AnyUser,
) -> FollowUp:
    """The team chief records the conversation; the signal closes with its outcome.

    An outcome that points at something (unintended use, referral) records the ``kinds`` of
    integrity violation of the shared typology; "explained" takes none.

    A referral registers a case intake. The employee learns the outcome — cleared included —
    and the analyst who asked learns that the conversation is recorded.
    """
    user = _user(acting_user)
    locked = (
        followups_visible_to(user=user)
        .select_for_update(of=("self",))
        .filter(pk=followup.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You do not lead this employee's team."))
    followup = locked
    if followup.status != FollowUp.Status.OPEN:
        raise ValidationError(_("This conversation is already recorded."), code="recorded")
    if outcome not in FollowUp.Outcome.values:
        raise ValidationError(_("Choose an outcome."), code="outcome")
    today = timezone.localdate()
    if held_on > today:
        raise ValidationError(_("The conversation cannot be in the future."), code="future")
    if held_on < timezone.localdate(followup.requested_at):
        raise ValidationError(
            _("The conversation cannot be before it was requested."), code="too_early"
        )
    present = (present or "").strip()
    if not present:
        raise ValidationError(_("Say who was present."), code="present")
    employee_account = _require_reason(employee_account, _("The employee's account"))
    signal = (
        Signal.objects.select_for_update().select_related("employee").get(pk=followup.signal_id)
    )
    followup.held_on = held_on
    followup.present = present
    followup.employee_account = employee_account
    followup.outcome = outcome
    followup.agreed_actions = (agreed_actions or "").strip()
    followup.recorded_by = user
    followup.recorded_at = timezone.now()
    followup.status = FollowUp.Status.RECORDED
    if outcome == FollowUp.Outcome.REFER:
        from cases.models import Channel
        from cases.services import register_report

        case = register_report(
            channel=Channel.MONITORING_SIGNAL,
            summary=_("Referred by the team chief after a follow-up conversation.")
            + "\n\n"
            + followup.summary
            + "\n\n"
            + _("The employee's account:")
            + "\n"
            + employee_account,
            concerned_employees=[signal.employee],
            source_reference=f"{SIGNAL_OBJECT}:{signal.pk}",
            unit=signal.employee.unit,
            acting_user=user,
        )
        followup.case = case
        signal.case = case
    stamp(followup, acting_user=user, reason="Gesprek vastgelegd").save()
    record_step_kinds(
        subject=followup,
        kinds=kinds,
        stage=ClassificationStage.OUTCOME,
        acting_user=user,
        reason="Gesprek vastgelegd",
        applies=outcome in FollowUp.CLASSIFIED_OUTCOMES,
    )
    _decide(
        signal,
        status=Signal.Status.CLOSED,
        disposition=OUTCOME_DISPOSITION[FollowUp.Outcome(outcome)],
        note=signal.disposition_note,
        user=user,
    )
    with _in_app_language():
        _tell_employee(
            signal,
            subject=_("The follow-up conversation is recorded"),
            body=outcome_message(outcome),
            acting_user=user,
        )
        notify(
            recipient=followup.requested_by,
            subject=_("A follow-up conversation was recorded"),
            url=reverse("monitoring:signal_detail", args=[signal.pk]),
            acting_user=user,
        )
    stamp(signal, acting_user=user, reason="Gesprek vastgelegd, signaal gesloten").save()
    return followup

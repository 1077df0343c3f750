"""What the reporter is told: the whistleblower's acknowledgement and feedback, and for every
other known reporter that the report was taken up and how it ended.

The texts are standard letters (``cases/templates/cases/reporter/*.txt``) the commissioner may
adjust before recording them. They never name the person concerned. When a notice is given
is the rule here: a reporter is not told that a report was taken up while the person
concerned has not yet been informed in writing, nor while disclosure is deferred for a
covert investigation — a reporter who talks could tip the person off.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    Case,
    CaseParty,
    CaseStatus,
    Investigation,
    ReporterIdentity,
    ReporterNotice,
)
from cases.protocol import subject_notification_date
from cases.services._base import (
    Acting,
    actor,
    journal,
    lock_case,
    meet_deadline,
    require_not_future,
)
from vik.history import stamp

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

WB_ACK_KEY = "whistleblower:ack"
WB_FEEDBACK_KEY = "whistleblower:feedback"
WHISTLEBLOWER_KINDS = {ReporterNotice.Kind.WB_ACKNOWLEDGEMENT, ReporterNotice.Kind.WB_FEEDBACK}
DEADLINE_KEYS = {
    ReporterNotice.Kind.WB_ACKNOWLEDGEMENT: WB_ACK_KEY,
    ReporterNotice.Kind.WB_FEEDBACK: WB_FEEDBACK_KEY,
}


def draft_notice_text(case: Case, kind: ReporterNotice.Kind | str) -> str:
    """The standard text of a notice of ``kind`` for this case's reporter (Dutch)."""
    kind = ReporterNotice.Kind(kind)
    identity = ReporterIdentity.objects.filter(case=case).first()
    name = identity.name if identity is not None else "melder"
    with translation.override("nl"):
        text = render_to_string(
            f"cases/reporter/{kind.value}.txt", {"case": case, "reporter_name": name}
        )
    paragraphs = [" ".join(part.split()) for part in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _would_tip_off(case: Case) -> bool:
    """Whether telling the reporter now could warn a person concerned of what is going on.

    Before every person concerned was informed in writing of an investigation, or while
    the commissioner defers disclosure to any of them (a covert investigation).
    """
    from cases.transparency import CASE, DISCLOSURE_CATEGORY, INVESTIGATION
    from vik.transparency.disclosure import deferral_set
    from vik.transparency.registry import ObjectRef

    # The persons concerned, read once: for the written notification and for the deferrals.
    concerned = list(case.parties.filter(role=CaseParty.Role.CONCERNED).select_related("employee"))
    investigation = Investigation.objects.filter(pk=case.pk).first()
    if investigation is not None:
        investigation.case = case  # already loaded: no query to reach it again
        notified_on = subject_notification_date(
            investigation, concerned_ids=[party.employee_id for party in concerned]
        )
        if notified_on is None:
            return True
    # Deferred for the case or for its investigation (one number, two object types): each
    # person's deferrals in force are read once and asked about both.
    refs = (ObjectRef(CASE, str(case.pk)), ObjectRef(INVESTIGATION, str(case.pk)))
    for party in concerned:
        deferrals = deferral_set(party.employee)
        if any(deferrals.covers(DISCLOSURE_CATEGORY, ref) for ref in refs):
            return True
    return False


def check_notice_allowed(
    case: Case,
    kind: ReporterNotice.Kind,
    *,
    recorded: Collection[str] | None = None,
    has_reporter: bool | None = None,
) -> None:
    """Raise when a notice of ``kind`` may not (or no longer) be given now.

    ``recorded`` (the kinds of the case's notices) and ``has_reporter`` (whether a reporter
    is known) come from a caller that has read them already; otherwise they are read here.
    """
    if recorded is not None:
        already = kind in recorded
    else:
        already = ReporterNotice.objects.filter(case=case, kind=kind).exists()
    if already:
        raise ValidationError(_("This has already been recorded."), code="recorded")
    if kind in WHISTLEBLOWER_KINDS:
        if not case.is_whistleblower_report:
            raise ValidationError(
                _("Only whistleblower reports are acknowledged and given feedback this way."),
                code="not_whistleblower",
            )
        if kind == ReporterNotice.Kind.WB_FEEDBACK and case.acknowledged_on is None:
            raise ValidationError(
                _("Acknowledge the report before giving feedback."), code="not_acknowledged"
            )
        return
    if case.is_whistleblower_report:
        raise ValidationError(
            _("A whistleblower is acknowledged and given feedback within 3 months instead."),
            code="whistleblower",
        )
    if has_reporter is None:
        has_reporter = ReporterIdentity.objects.filter(case=case).exists()
    if not has_reporter:
        raise ValidationError(
            _("This report has no known reporter to tell anything."), code="no_reporter"
        )
    if kind == ReporterNotice.Kind.TAKEN_UP:
        if case.status == CaseStatus.REGISTERED:
            raise ValidationError(_("Triage the report first."), code="not_triaged")
        if case.status == CaseStatus.CLOSED:
            raise ValidationError(
                _("The handling has ended: tell the reporter how it ended instead."),
                code="closed",
            )
    if kind == ReporterNotice.Kind.OUTCOME and case.status != CaseStatus.CLOSED:
        raise ValidationError(
            _("The reporter is told how it ended once the case is closed."), code="not_closed"
        )
    if _would_tip_off(case):
        raise ValidationError(
            _(
                "Not now: telling the reporter could warn the person concerned. Wait until every "
                "person concerned has been informed in writing, and until disclosure is no "
                "longer deferred."
            ),
            code="would_tip_off",
        )


def notices_due(
    case: Case,
    *,
    kinds: Iterable[ReporterNotice.Kind] = tuple(ReporterNotice.Kind),
    recorded: Collection[str] | None = None,
    has_reporter: bool | None = None,
) -> list[ReporterNotice.Kind]:
    """The notices of ``kinds`` the commissioner may record now (for the case page's buttons).

    The case page passes what it has read already (``recorded``, ``has_reporter``; see
    :func:`check_notice_allowed`), so the check asks the database only what it does not know.
    """
    due = []
    for kind in kinds:
        try:
            check_notice_allowed(case, kind, recorded=recorded, has_reporter=has_reporter)
        except ValidationError:
            continue
        due.append(kind)
    return due


@transaction.atomic
def record_reporter_notice(
    *,
    case: Case,
    kind: ReporterNotice.Kind | str,
    sent_on: datetime.date,
    text: str = "",
    acting_user: AnyUser,
) -> ReporterNotice:
    """Record what the reporter was told and when; the text is on record from then on.

    ``text`` defaults to the standard text. A whistleblower's acknowledgement and feedback
    also meet their 7-day and 3-month terms.
    """
    case = lock_case(case, user=acting_user, acting=Acting.COMMISSIONER)
    kind = ReporterNotice.Kind(kind)
    check_notice_allowed(case, kind)
    require_not_future(sent_on, gettext_lazy("The date"))
    if sent_on < case.received_on:
        raise ValidationError(_("The reporter cannot be told anything before the report came in."))
    # Told that it was taken up after the triage, how it ended after the closing.
    since = {
        ReporterNotice.Kind.TAKEN_UP: case.triaged_at,
        ReporterNotice.Kind.OUTCOME: case.closed_at,
    }.get(kind)
    if since is not None and sent_on < timezone.localdate(since):
        raise ValidationError(
            _("The reporter cannot have been told this before %(date)s.")
            % {"date": timezone.localdate(since).strftime("%d-%m-%Y")},
            code="too_early",
        )
    text = text.strip() or draft_notice_text(case, kind)
    notice = ReporterNotice(
        case=case, kind=kind, text=text, sent_on=sent_on, sent_by=actor(acting_user)
    )
    stamp(notice, acting_user=acting_user, reason=f"reporter told: {kind.value}").save()
    if kind == ReporterNotice.Kind.WB_ACKNOWLEDGEMENT:
        case.acknowledged_on = sent_on
        stamp(case, acting_user=acting_user, reason="whistleblower acknowledged").save(
            update_fields=["acknowledged_on"]
        )
    elif kind == ReporterNotice.Kind.WB_FEEDBACK:
        case.feedback_given_on = sent_on
        stamp(case, acting_user=acting_user, reason="whistleblower feedback").save(
            update_fields=["feedback_given_on"]
        )
    if kind in DEADLINE_KEYS:
        meet_deadline(case, key=DEADLINE_KEYS[kind], on=sent_on, acting_user=acting_user)
    investigation = Investigation.objects.filter(pk=case.pk).first()
    if investigation is not None:
        journal(
            investigation,
            gettext_lazy("The reporter was told on %(date)s: %(kind)s."),
            author=actor(acting_user),
            date=sent_on.strftime("%d-%m-%Y"),
            kind=kind.label,
        )
    return notice


def acknowledge_whistleblower_report(
    *, case: Case, on: datetime.date, text: str = "", acting_user: AnyUser
) -> ReporterNotice:
    """Acknowledge a whistleblower's report (within 7 days), naming their options and the LMM."""
    return record_reporter_notice(
        case=case,
        kind=ReporterNotice.Kind.WB_ACKNOWLEDGEMENT,
        sent_on=on,
        text=text,
        acting_user=acting_user,
    )


def record_whistleblower_feedback(
    *, case: Case, on: datetime.date, text: str = "", acting_user: AnyUser
) -> ReporterNotice:
    """Tell the whistleblower what was done with the report (within 3 months)."""
    return record_reporter_notice(
        case=case,
        kind=ReporterNotice.Kind.WB_FEEDBACK,
        sent_on=on,
        text=text,
        acting_user=acting_user,
    )

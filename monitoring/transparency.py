"""The monitoring app's transparency provider (see ``vik.transparency.registry``).

It contributes

* three measures over disjoint populations, each counted by the top-level unit of the
  employee concerned and the quarter the event happened — never a name, pseudonym or
  reference:

  - signals *raised*, by their main indicator (the one with the largest share of the
    score), in the quarter they were first detected;
  - the analyst's *decisions*, by what was decided: dismissed, escalated to the team chief
    for a conversation, referred straight to case intake — or withdrawn by detection,
    because later data explained the signal before anyone decided;
  - *conversations* the team chief recorded, by outcome;

* for the employee, the signals about them that are no longer under review: dismissed or
  withdrawn (with the outcome, "geen verwijt"), passed to their team chief for a
  conversation, closed after it, and — when the analyst referred it straight to VIK's
  intake — only once the protocol lets them know of what followed (see :func:`own_data`);
* the disclosure category "monitoring signals" with the object types the monitoring pages
  write to the access log, and which of those objects belong to a closed matter;
* three retention categories: the imported access events (monitoring's own purge of day
  partitions does the work), dismissed and withdrawn signals, and follow-up conversations
  with the signal they were about;
* the changes to the detection thresholds and indicator weights, from their history, for
  the annual logging report;
* the identity reveals by the kind of reason the analyst chose (or "automatic at
  escalation"), for the same report.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Collection
from decimal import Decimal

from django.db.models import Count as CountOf
from django.db.models import Exists, Field, Max, Min, OuterRef, Q, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from cases.selectors import (
    CASE_OBJECT_TYPES,
    ReferralKnowledge,
    closed_case_ids,
    referrals_known_to,
)
from monitoring.indicators import IndicatorCode
from monitoring.models import (
    FollowUp,
    FollowUpViolationKind,
    HeldAccessEvent,
    IdentityReveal,
    IndicatorSetting,
    MonitoringParameter,
    Signal,
    SignalEvidence,
    SignalIndicator,
)
from monitoring.parameters import PARAMETER_SPECS
from vik.models import Employee, RoleAssignment
from vik.roles import ROLE_CAPABILITIES, Capability, Role
from vik.transparency.models import PurgeRecord
from vik.transparency.registry import (
    Audience,
    Category,
    Count,
    DisclosureCategory,
    Measure,
    ObjectRef,
    OwnDataField,
    OwnDataItem,
    OwnDataRequest,
    OwnDataSection,
    ProtocolChangeRow,
    Provider,
    PurgeRequest,
    Quarter,
    RetentionCategory,
    Text,
    ThresholdChange,
)

DISCLOSURE_CATEGORY = "monitoring.signals"
SECTION = _("Protective Monitoring")

SIGNAL = Signal._meta.label_lower
FOLLOWUP = FollowUp._meta.label_lower
REVEAL = IdentityReveal._meta.label_lower
OBJECT_TYPES = (SIGNAL, FOLLOWUP, REVEAL)
# The cases app's category: a deferral of the case a signal led to hides the signal too.
CASES_CATEGORY = "cases.investigations"

Status = Signal.Status


def _signal_ref(signal_id: int) -> ObjectRef:
    return ObjectRef(SIGNAL, str(signal_id))


def _case_refs(case_id: int) -> tuple[ObjectRef, ...]:
    return tuple(ObjectRef(object_type, str(case_id)) for object_type in CASE_OBJECT_TYPES)


# --- Measures -------------------------------------------------------------------------


def indicator_categories() -> list[Category]:
    return [Category(code, label) for code, label in IndicatorCode.choices]


def count_raised(quarter: Quarter) -> list[Count]:
    """Signals first detected in the quarter, by unit and main indicator (one each).

    Withdrawn signals are counted too: they were raised, and the decisions measure shows
    how many were withdrawn.
    """
    main = (
        SignalIndicator.objects.filter(signal=OuterRef("pk"))
        .order_by("-score", "code")
        .values("code")[:1]
    )
    rows = list(
        Signal.objects.filter(detected_at__gte=quarter.start_at, detected_at__lt=quarter.end_at)
        .annotate(main=Subquery(main))
        .order_by()  # the default ordering would split the groups
        .values_list("employee__unit_id", "main")
        .annotate(n=CountOf("id"))
    )
    return [Count(unit_id, code, n) for unit_id, code, n in rows if code]


DISMISSED = "dismissed"
ESCALATED = "escalated"
REFERRED = "referred"
WITHDRAWN = "withdrawn"

DECISION_CATEGORIES = (
    Category(DISMISSED, _("Dismissed: explained")),
    Category(ESCALATED, _("Escalated to the team chief for a conversation")),
    Category(REFERRED, _("Referred straight to VIK's case intake")),
    Category(WITHDRAWN, _("Withdrawn: explained by later data before review")),
)


def count_decisions(quarter: Quarter) -> list[Count]:
    """What became of signals, once each: when escalated (the follow-up was requested),
    dismissed or referred (the analyst's decision), or withdrawn by detection."""
    start, end = quarter.start_at, quarter.end_at
    tally: Counter[tuple[int, str]] = Counter()
    escalations = (
        FollowUp.objects.filter(requested_at__gte=start, requested_at__lt=end)
        .order_by()
        .values_list("signal__employee__unit_id")
        .annotate(n=CountOf("id"))
    )
    for unit_id, n in escalations:
        tally[(unit_id, ESCALATED)] += n
    # A signal with a follow-up is counted as escalated above, whatever its status now.
    decided = (
        Signal.objects.filter(followup__isnull=True)
        .filter(
            Q(
                status__in=[Status.DISMISSED, Status.REFERRED],
                decided_at__gte=start,
                decided_at__lt=end,
            )
            | Q(status=Status.WITHDRAWN, updated_at__gte=start, updated_at__lt=end)
        )
        .order_by()
        .values_list("employee__unit_id", "status")
        .annotate(n=CountOf("id"))
    )
    for unit_id, status, n in decided:
        tally[(unit_id, status)] += n  # the category keys are the status values
    return [Count(unit_id, category, n) for (unit_id, category), n in tally.items()]


def conversation_categories() -> list[Category]:
    return [Category(value, label) for value, label in FollowUp.Outcome.choices]


def count_conversations(quarter: Quarter) -> list[Count]:
    """Conversations recorded in the quarter, by outcome."""
    rows = (
        FollowUp.objects.filter(
            status=FollowUp.Status.RECORDED,
            recorded_at__gte=quarter.start_at,
            recorded_at__lt=quarter.end_at,
        )
        .order_by()
        .values_list("signal__employee__unit_id", "outcome")
        .annotate(n=CountOf("id"))
    )
    return [Count(unit_id, outcome, n) for unit_id, outcome, n in rows]


# --- Own data -------------------------------------------------------------------------

# Statuses a signal may be shown in; new and in-review signals never are.
SHOWN = (Status.DISMISSED, Status.WITHDRAWN, Status.ESCALATED, Status.CLOSED, Status.REFERRED)

DISMISSAL_TEXT: dict[str, Text] = {
    Signal.Disposition.WORK_REASON: _("Cleared: the analyst found a work reason."),
    Signal.Disposition.DATA_ERROR: _("Cleared: the signal rested on an error in the data."),
    Signal.Disposition.AUTHORISED: _("Cleared: you were authorised to do this."),
}
CONVERSATION_TEXT: dict[str, Text] = {
    FollowUp.Outcome.EXPLAINED: _("Cleared: explained in the conversation."),
    FollowUp.Outcome.UNINTENDED: _(
        "Unintended: awareness was given in the conversation; no further action."
    ),
    FollowUp.Outcome.REFER: _("Referred to VIK for investigation after the conversation."),
}
CONVERSATION_BY_DISPOSITION: dict[str, str] = {
    Signal.Disposition.EXPLAINED: FollowUp.Outcome.EXPLAINED,
    Signal.Disposition.UNINTENDED: FollowUp.Outcome.UNINTENDED,
    Signal.Disposition.INVESTIGATION: FollowUp.Outcome.REFER,
}
# What the employee is told of a signal referred straight to case intake, once they may be.
NOTIFIED = ReferralKnowledge.NOTIFIED
NO_ACTION = ReferralKnowledge.NO_ACTION
LINE = ReferralKnowledge.LINE
REFERRAL_TEXT: dict[str, Text] = {
    NOTIFIED: _(
        "Referred to VIK's intake; an investigation followed (see Investigations concerning you)."
    ),
    NO_ACTION: _("Referred to VIK's intake; VIK took no further action."),
    LINE: _(
        "Referred to VIK's intake; VIK sent it back to your team chief, who discussed it with you."
    ),
}


def _followup(signal: Signal) -> FollowUp | None:
    return getattr(signal, "followup", None)  # the reverse one-to-one raises when absent


def _date(value: datetime.date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _outcome(signal: Signal, followup: FollowUp | None, referral: str | None) -> str:
    if signal.status == Status.DISMISSED:
        return str(
            DISMISSAL_TEXT.get(signal.disposition, _("Cleared: the analyst found an explanation."))
        )
    if signal.status == Status.WITHDRAWN:
        return str(_("Cleared: later data explained it before anyone reviewed it."))
    if signal.status == Status.REFERRED:
        return str(REFERRAL_TEXT[referral or NO_ACTION])
    outcome = (
        followup.outcome
        if followup is not None and followup.outcome
        else CONVERSATION_BY_DISPOSITION.get(signal.disposition)
    )
    if signal.status == Status.CLOSED and outcome:
        return str(CONVERSATION_TEXT[outcome])
    if signal.status == Status.CLOSED:
        return str(_("Closed."))
    return str(_("Passed to your team chief for a conversation; the outcome follows."))


def _decided_on(signal: Signal) -> datetime.date | None:
    moment = signal.updated_at if signal.status == Status.WITHDRAWN else signal.decided_at
    return timezone.localdate(moment) if moment else None


def _signal_item(signal: Signal, *, full: bool, referral: str | None) -> OwnDataItem:
    followup = _followup(signal)
    recorded = followup is not None and followup.status == FollowUp.Status.RECORDED
    period = f"{_date(signal.window_start)} – {_date(signal.window_end)}"
    noticed = " ".join(
        f"{indicator.get_code_display()}: {indicator.explanation}"
        for indicator in signal.indicators.all()
    )
    # Every item has the same fields in the same order: many read as one table in the PDF.
    fields = [
        OwnDataField("period", _("Period"), period),
        OwnDataField("noticed", _("What was noticed"), noticed),
        OwnDataField("outcome", _("Outcome"), _outcome(signal, followup, referral)),
        OwnDataField("decided_on", _("Decided on"), _decided_on(signal)),
        OwnDataField(
            "conversation_due_on",
            _("Conversation to be held by"),
            followup.due_on if followup is not None and not recorded else None,
        ),
        OwnDataField(
            "conversation_held_on",
            _("Conversation held on"),
            followup.held_on if followup is not None and recorded else None,
        ),
        OwnDataField(
            "agreed_actions",
            _("What was agreed"),
            followup.agreed_actions if followup is not None and recorded else "",
        ),
    ]
    if full:
        fields += [
            OwnDataField(
                "summary",
                _("What your team chief was told"),
                followup.summary if followup is not None else "",
            ),
            OwnDataField(
                "present",
                _("Present at the conversation"),
                followup.present if followup is not None and recorded else "",
            ),
            OwnDataField(
                "your_account",
                _("Your account in the conversation"),
                followup.employee_account if followup is not None and recorded else "",
            ),
            OwnDataField(
                "violation_kinds",
                _("Kinds of violation recorded"),
                ", ".join(str(row.kind) for row in followup.violation_kinds.all())
                if followup is not None and recorded
                else "",
            ),
            OwnDataField(
                "informed_at",
                _("You were informed on"),
                timezone.localdate(signal.employee_notified_at)
                if signal.employee_notified_at
                else None,
            ),
        ]
    dates = [
        day
        for day in (_decided_on(signal), followup.held_on if recorded and followup else None)
        if day is not None
    ]
    return OwnDataItem(
        title=str(_("Signal over %(period)s")) % {"period": period},
        date=max(dates) if dates else signal.window_end,
        object_ref=_signal_ref(signal.pk),
        fields=tuple(fields),
    )


def _evidence_items(signals: list[Signal]) -> list[OwnDataItem]:
    """The logged actions the signals cite, without which person or file was opened."""
    period = {s.pk: f"{_date(s.window_start)} – {_date(s.window_end)}" for s in signals}
    items = []
    for event in SignalEvidence.objects.filter(signal_id__in=list(period)).order_by(
        "signal__window_start", "occurred_at", "id"
    ):
        when = timezone.localtime(event.occurred_at)
        items.append(
            OwnDataItem(
                title=formats.date_format(when, "SHORT_DATETIME_FORMAT"),
                date=when,
                object_ref=_signal_ref(event.signal_id),
                fields=(
                    OwnDataField("signal", _("Signal over"), period[event.signal_id]),
                    OwnDataField("when", _("When"), when),
                    OwnDataField("indicator", _("Indicator"), event.get_indicator_display()),
                    OwnDataField("system", _("System"), event.system),
                    OwnDataField("action", _("Action"), event.action),
                    OwnDataField("roster", _("Your roster"), event.get_duty_status_display()),
                    OwnDataField("work_reason", _("Work reason"), event.get_explanation_display()),
                ),
            )
        )
    return items


def _held_event_items(request: OwnDataRequest) -> tuple[OwnDataItem, ...] | None:
    """The employee's actions copied to the hold store, per legal hold; ``None`` while any
    disclosure about them is deferred.

    A hold is placed for a court case or an inquiry, and an inquiry may be the covert
    investigation a deferral protects: so while a deferral is in force the section is left
    out altogether (an empty section would be a false "nothing held"). The hold's reason is
    not shown: the privacy officer's words may name others. The full export adds every kept
    action, without the subject or the file opened (someone else's data).
    """
    deferrals = request.deferrals
    if deferrals.categories or deferrals.objects:
        return None
    employee = request.employee
    per_hold = (
        HeldAccessEvent.objects.filter(employee=employee)
        .values("hold_id", "hold__placed_at", "hold__released_at")
        .annotate(kept=CountOf("id"), first=Min("occurred_at"), last=Max("occurred_at"))
        .order_by("hold_id")
    )
    items: list[OwnDataItem] = []
    for row in per_hold:
        placed = timezone.localtime(row["hold__placed_at"])
        released = row["hold__released_at"]
        items.append(
            OwnDataItem(
                title=_("Legal hold since %(date)s") % {"date": formats.date_format(placed)},
                date=placed,
                fields=(
                    OwnDataField("placed_at", _("Placed"), placed),
                    OwnDataField(
                        "released_at",
                        _("Lifted"),
                        timezone.localtime(released) if released else None,
                    ),
                    OwnDataField("kept", _("Logged actions kept"), row["kept"]),
                    OwnDataField("first", _("First kept action"), timezone.localtime(row["first"])),
                    OwnDataField("last", _("Last kept action"), timezone.localtime(row["last"])),
                ),
            )
        )
    if request.audience is Audience.ACCESS_REQUEST:
        for event in HeldAccessEvent.objects.filter(employee=employee).order_by(
            "occurred_at", "id"
        ):
            when = timezone.localtime(event.occurred_at)
            items.append(
                OwnDataItem(
                    title=formats.date_format(when, "SHORT_DATETIME_FORMAT"),
                    date=when,
                    fields=(
                        OwnDataField("when", _("When"), when),
                        OwnDataField("system", _("System"), event.system),
                        OwnDataField("action", _("Action"), event.action),
                    ),
                )
            )
    return tuple(items)


def _deferred(request: OwnDataRequest, signal: Signal) -> bool:
    deferrals = request.deferrals
    refs = [_signal_ref(signal.pk)]
    followup = _followup(signal)
    if followup is not None:
        refs.append(ObjectRef(FOLLOWUP, str(followup.pk)))
    if any(deferrals.covers(DISCLOSURE_CATEGORY, ref) for ref in refs):
        return True
    case_ids = [signal.case_id, followup.case_id if followup is not None else None]
    return any(
        deferrals.covers(CASES_CATEGORY, ref)
        for case_id in case_ids
        if case_id is not None
        for ref in _case_refs(case_id)
    )


def shown_signals(request: OwnDataRequest) -> list[tuple[Signal, str | None]]:
    """The employee's signals they may see now, each with what they may know of a referral.

    Never a signal that is new or in review. Dismissed: once dismissed — it is closed, and
    the employee learns the result, "cleared" included. Withdrawn (explained by later data
    before review): once its window is over, so that a signal detection may still revive
    does not come and go. Escalated: from the escalation, when the employee is told of the
    conversation; closed after it: with the outcome. Referred straight to case intake:
    only once the protocol lets the employee know of what followed (see
    :func:`cases.selectors.referrals_known_to`), because a covert investigation may run. Deferred: not at all.
    """
    today = timezone.localdate()
    signals = list(
        Signal.objects.filter(employee=request.employee, status__in=SHOWN)
        .exclude(status=Status.WITHDRAWN, window_end__gte=today)
        .select_related("followup")
        .prefetch_related("indicators")
        .order_by("-window_start", "-id")
    )
    referred_cases = {s.case_id for s in signals if s.status == Status.REFERRED and s.case_id}
    known = referrals_known_to(employee=request.employee, case_ids=referred_cases)
    shown = []
    for signal in signals:
        referral = None
        if signal.status == Status.REFERRED:
            referral = known.get(signal.case_id) if signal.case_id else None
            if referral is None:
                continue
        if not _deferred(request, signal):
            shown.append((signal, referral))
    return shown


def own_data(request: OwnDataRequest) -> list[OwnDataSection]:
    """The employee's signals that are no longer under review; the export adds the
    logged actions each one cites. The analyst's own notes are not part of it."""
    full = request.audience is Audience.ACCESS_REQUEST
    shown = shown_signals(request)
    sections = [
        OwnDataSection(
            key="monitoring.signals",
            category=DISCLOSURE_CATEGORY,
            title=_("Protective Monitoring signals about you"),
            description=_(
                "A signal means that the automatic check of the police systems' logs found a "
                "pattern in your use of them that an analyst had to look at. A signal is "
                "shown here once it was dealt with: dismissed (cleared), passed to your team "
                "chief for a conversation, with the outcome once it was held, or referred to "
                "VIK once you were informed of what followed. A signal still being reviewed "
                "is not shown. Dismissed signals are kept six months after the decision, "
                "conversations twelve months after they were held."
            ),
            items=tuple(_signal_item(s, full=full, referral=r) for s, r in shown),
            empty_text=_(
                "Nothing to show. A signal about you is shown here once it has been dealt with."
            ),
            order=30,
        )
    ]
    held = _held_event_items(request)
    if held is not None:
        sections.append(
            OwnDataSection(
                key="monitoring.held_events",
                category=DISCLOSURE_CATEGORY,
                title=_("Your logged actions kept under a legal hold"),
                description=_(
                    "Logged actions in the police systems are removed after six months at "
                    "most. When a court case or an inquiry needs them, the privacy officer can "
                    "place a legal hold on one employee: that employee's actions are then "
                    "copied aside before their days are removed, and kept until the hold is "
                    "lifted. Shown here: how many of your actions are kept, from when to when, "
                    "and since when the hold applies. The full export lists the actions "
                    "themselves, without which person or file was opened."
                ),
                items=held,
                empty_text=_("None of your logged actions is kept under a legal hold."),
                order=32,
            )
        )
    if full:
        sections.append(
            OwnDataSection(
                key="monitoring.signal_evidence",
                category=DISCLOSURE_CATEGORY,
                title=_("The logged actions behind these signals"),
                description=_(
                    "The actions in the police systems each signal above cites, as the "
                    "analyst saw them: when, in which system, what kind of action, what your "
                    "roster said and whether a work reason was found. Which person, vehicle "
                    "or file was opened is left out: that is someone else's data. Ask the "
                    "privacy officer if you need it."
                ),
                items=tuple(_evidence_items([s for s, _r in shown])),
                empty_text=_("No logged actions to show."),
                order=31,
            )
        )
    return sections


# --- Closed matters -------------------------------------------------------------------


def _is_closed(
    status: str, case_id: int | None, followup_case: int | None, closed_cases: set[int]
) -> bool:
    """Whether a signal's matter is over (its columns as :func:`closed_matters` reads them)."""
    if status in (Status.DISMISSED, Status.WITHDRAWN):
        return True
    if status == Status.CLOSED:  # the conversation is recorded; a referral must end too
        return followup_case is None or followup_case in closed_cases
    return status == Status.REFERRED and case_id in closed_cases


def closed_matters(employee: Employee, refs: Collection[ObjectRef]) -> set[ObjectRef]:
    """Which of the given refs belong to a closed signal about ``employee``.

    Dismissed and withdrawn signals are closed; escalated ones once the conversation was
    recorded — unless it led to a case, which must be closed too; a signal referred to case
    intake once its case is closed. A signal that no longer exists was removed by the
    retention purge: closed ones, and ones nobody reviewed whose events have expired
    (nothing follows from those any more, so the matter is over). A look without an object (a search
    of the queue that listed the employee) is closed once none of their signals is open.
    """
    ids: dict[str, set[int]] = defaultdict(set)
    listed: set[ObjectRef] = set()
    for ref in refs:
        if ref.object_type not in OBJECT_TYPES:
            continue
        if ref.object_id.isdigit():
            ids[ref.object_type].add(int(ref.object_id))
        else:
            listed.add(ref)
    signal_of: dict[ObjectRef, int | None] = {ObjectRef(SIGNAL, str(pk)): pk for pk in ids[SIGNAL]}
    for model, object_type in ((FollowUp, FOLLOWUP), (IdentityReveal, REVEAL)):
        found = dict(model.objects.filter(pk__in=ids[object_type]).values_list("pk", "signal_id"))
        for pk in ids[object_type]:
            signal_of[ObjectRef(object_type, str(pk))] = found.get(pk)
    wanted = {pk for pk in signal_of.values() if pk}
    rows = list(
        Signal.objects.filter(
            Q(pk__in=wanted) | Q(employee=employee) if listed else Q(pk__in=wanted)
        )
        .order_by()
        .values_list("pk", "employee_id", "status", "case_id", "followup__case_id")
    )
    closed_cases = closed_case_ids(
        {case for row in rows for case in (row[3], row[4]) if case is not None}
    )
    existing: set[int] = set()
    closed_signals: set[int] = set()
    any_open = False
    for pk, employee_id, status, case_id, followup_case in rows:
        existing.add(pk)
        if employee_id != employee.pk:
            continue
        if _is_closed(status, case_id, followup_case, closed_cases):
            closed_signals.add(pk)
        else:
            any_open = True
    closed = {
        ref
        for ref, pk in signal_of.items()
        if pk is None or pk in closed_signals or pk not in existing
    }
    return closed if any_open else closed | listed


# --- Retention ------------------------------------------------------------------------


def purge_access_events(request: PurgeRequest) -> PurgeRecord | None:
    """Drop the access events before the cutoff, with what detection derived from them.

    Monitoring's own purge does the work (whole day partitions; the derived detection data
    and old roster entries of those days; a ``RetentionRun``). This category is the only
    place the period is kept, and this the only caller. An employee under a legal hold does
    not stop it: the database's drop function copies their events of those days to the hold
    store first, and the days go on time for everyone else. Copies whose hold has been
    released and that are past the period leave the hold store here too. Writes the purge
    record itself: removed (events dropped, less those copied, plus hold-store copies
    removed) and copied to the hold store.
    """
    from monitoring.partitions import purge_held_events
    from monitoring.services import purge_expired_monitoring_data

    run = purge_expired_monitoring_data(cutoff=request.cutoff_at)
    released = purge_held_events()
    removed = run.events_removed - run.events_held + released
    if not (removed or run.events_held):
        return None
    return PurgeRecord.objects.create(
        category=request.category,
        cutoff=request.cutoff,
        purged=removed,
        kept_for_hold=run.events_held,
        outcome=PurgeRecord.Outcome.PURGED,
        run_by_id=request.run_by_id,
    )


# A signal nobody has reviewed: new, picked up but not decided, or escalated to the team
# chief who never recorded the conversation.
NEVER_REVIEWED = Q(status__in=(Status.NEW, Status.IN_REVIEW)) | (
    Q(status=Status.ESCALATED) & ~Q(followup__status=FollowUp.Status.RECORDED)
)
# A signal that led to a record: a recorded conversation, or a case (referred or forwarded).
LED_TO_A_RECORD = Q(status__in=(Status.CLOSED, Status.REFERRED)) | Q(
    followup__status=FollowUp.Status.RECORDED
)


def purge_unreviewed_signals(request: PurgeRequest) -> int:
    """Signals nobody reviewed go when the events they rest on go, with their evidence.

    Follows ``monitoring.access_events`` (same cutoff): a signal that is new, in review, or
    escalated without a recorded conversation, whose window ended before the cutoff and
    that has no evidence event on or after it. An open conversation request goes with it.
    Kept: signals about an employee under a legal hold (their events are in the hold store).
    """
    newer = SignalEvidence.objects.filter(signal=OuterRef("pk"), occurred_at__gte=request.cutoff_at)
    expired = (
        Signal.objects.filter(NEVER_REVIEWED, window_end__lt=request.cutoff)
        .exclude(Exists(newer))
        .exclude(employee_id__in=request.held_employee_ids)
    )
    return delete_signals(list(expired.values_list("pk", flat=True).distinct()))


def purge_uncited_evidence(request: PurgeRequest) -> int:
    """Cut a recorded signal's evidence copy to the events its record cites.

    Follows ``monitoring.access_events``: when the events go, a signal that led to a
    conversation or a case keeps only the evidence rows cited by that record (``cited_at``,
    set at escalation); the rest of the copy goes with the events. The cited rows then
    follow the record's own retention (conversation records, or the case).
    Kept: evidence about an employee under a legal hold.
    """
    expired = (
        SignalEvidence.objects.filter(occurred_at__lt=request.cutoff_at, cited_at__isnull=True)
        .filter(signal__in=Signal.objects.filter(LED_TO_A_RECORD).values("pk"))
        .exclude(signal__employee_id__in=request.held_employee_ids)
    )
    removed, _detail = expired.delete()
    return removed


def hold_store_counts(hold_ids: Collection[int]) -> dict[int, int]:
    """How many access events each legal hold keeps in the hold store."""
    return dict(
        HeldAccessEvent.objects.filter(hold_id__in=list(hold_ids))
        .order_by()
        .values("hold_id")
        .annotate(n=CountOf("pk"))
        .values_list("hold_id", "n")
    )


def delete_signals(signal_ids: Collection[int]) -> int:
    """Remove signals with their indicators, evidence, reveals, follow-up and every history
    row. The deletes themselves add "deleted" history rows holding the data, so the history
    goes after the objects. Returns how many signals were removed."""
    ids = list(signal_ids)
    if not ids:
        return 0
    followup_ids = list(FollowUp.objects.filter(signal_id__in=ids).values_list("pk", flat=True))
    FollowUp.objects.filter(signal_id__in=ids).delete()  # protects its signal; cascades to kinds
    Signal.objects.filter(pk__in=ids).delete()  # cascades to indicators, evidence, reveals
    FollowUpViolationKind.history.filter(subject_id__in=followup_ids).delete()
    for model in (FollowUp, IdentityReveal, SignalIndicator):
        model.history.filter(signal_id__in=ids).delete()
    Signal.history.filter(id__in=ids).delete()
    return len(ids)


def purge_dismissed_signals(request: PurgeRequest) -> int:
    """Dismissed signals decided, and withdrawn signals withdrawn, before the cutoff.

    Also signals referred to case intake whose case has been removed at the end of its own
    retention (the link is emptied then): the case was the record of that matter.
    Kept: signals about an employee under a legal hold, and any with a follow-up (those
    belong to the conversation records).
    """
    cutoff = request.cutoff_at
    expired = (
        Signal.objects.filter(
            Q(status=Status.DISMISSED, decided_at__lt=cutoff)
            | Q(status=Status.WITHDRAWN, updated_at__lt=cutoff)
            | Q(status=Status.REFERRED, case__isnull=True, decided_at__lt=cutoff)
        )
        .filter(followup__isnull=True)
        .exclude(employee_id__in=request.held_employee_ids)
    )
    return delete_signals(list(expired.values_list("pk", flat=True)))


def purge_conversation_records(request: PurgeRequest) -> int:
    """Conversations held before the cutoff, with the signal they were about.

    Kept: those about an employee under a legal hold, and those that led to a case (the
    conversation's referral, or the signal's own): they stay with the case.
    """
    expired = (
        FollowUp.objects.filter(
            status=FollowUp.Status.RECORDED,
            held_on__lt=request.cutoff,
            case__isnull=True,
            signal__case__isnull=True,
        )
        .exclude(employee_id__in=request.held_employee_ids)
        .exclude(signal__employee_id__in=request.held_employee_ids)
    )
    return delete_signals(list(expired.values_list("signal_id", flat=True)))


# --- Threshold changes ----------------------------------------------------------------


def _number(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _yes_no(value: bool | None) -> str:  # noqa: FBT001 - a value, not a switch
    return "" if value is None else str(_("yes") if value else _("no"))


def _changers(user_ids: set[int]) -> dict[int, str]:
    """Per user, the roles under which they may tune detection (else all their roles)."""
    roles: dict[int, list[Role]] = defaultdict(list)
    for user_id, role in RoleAssignment.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "role"
    ):
        roles[user_id].append(Role(role))
    result = {}
    for user_id, held in roles.items():
        tuning = [r for r in held if Capability.TUNE_DETECTION in ROLE_CAPABILITIES[r]]
        result[user_id] = ", ".join(sorted({str(r.label) for r in tuning or held}))
    return result


def threshold_changes(start: datetime.datetime, end: datetime.datetime) -> list[ThresholdChange]:
    """Every change to a detection parameter or an indicator's weight or use in [start, end):
    who, under which role, when, the old and the new value, and the reason given."""
    found: list[tuple[object, str, str, str]] = []  # (history row, setting, old, new)
    for model, describe in (
        (MonitoringParameter, _parameter_changes),
        (IndicatorSetting, _indicator_changes),
    ):
        history = model.history
        changed_ids = history.filter(history_date__gte=start, history_date__lt=end).values("id")
        previous: dict[int, object] = {}
        for row in (
            history.filter(id__in=changed_ids, history_date__lt=end)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        ):
            before = previous.get(row.id)
            previous[row.id] = row
            if row.history_date >= start:
                found += [(row, *change) for change in describe(row, before)]
    users = {row.history_user_id for row, *_rest in found if row.history_user_id}  # type: ignore[attr-defined]
    roles = _changers(users)
    changes = []
    for row, setting, old, new in found:
        user = row.history_user  # type: ignore[attr-defined]
        changes.append(
            ThresholdChange(
                changed_at=row.history_date,  # type: ignore[attr-defined]
                changed_by=(user.get_full_name() or user.get_username())
                if user
                else str(_("VIK (automatic)")),
                role=roles.get(user.pk, "") if user else str(_("No role (automatic processing)")),
                setting=setting,
                old_value=old,
                new_value=new,
                reason=row.history_change_reason or "",  # type: ignore[attr-defined]
            )
        )
    return sorted(changes, key=lambda c: c.changed_at)


def protocol_changes(start: datetime.datetime, end: datetime.datetime) -> list[ProtocolChangeRow]:
    """Every protocol change open at some moment in [start, end): proposed before the end and
    not closed before the start, with its fate as it stands (issue 11, point 3)."""
    from monitoring.models import ProtocolChange
    from monitoring.selectors.consent import setting_label, value_label

    changes = list(
        ProtocolChange.objects.filter(proposed_at__lt=end)
        .exclude(closed_at__lt=start)
        .select_related("proposed_by", "decision")
        .order_by("proposed_at", "id")
    )
    roles = _changers({c.proposed_by_id for c in changes if c.proposed_by_id})
    rows = []
    for change in changes:
        user = change.proposed_by
        decision = getattr(change, "decision", None)
        rows.append(
            ProtocolChangeRow(
                proposed_at=change.proposed_at,
                proposed_by=(user.get_full_name() or user.get_username())
                if user
                else str(_("VIK (automatic)")),
                role=roles.get(user.pk, "") if user else str(_("No role (automatic processing)")),
                kind=str(change.get_kind_display()),
                setting=setting_label(change),
                old_value=value_label(change, change.current_value),
                new_value=value_label(change, change.proposed_value),
                rationale=change.rationale,
                status=str(change.get_status_display()),
                decided_on=decision.decided_on if decision else None,
                letter_reference=decision.letter_reference if decision else "",
            )
        )
    return rows


def _parameter_changes(row: object, before: object | None) -> list[tuple[str, str, str]]:
    key: str = row.key  # type: ignore[attr-defined]
    spec = PARAMETER_SPECS.get(key)
    setting = f"{spec.label} ({key})" if spec else key
    old = _number(before.value) if before is not None else ""  # type: ignore[attr-defined]
    new = "" if row.history_type == "-" else _number(row.value)  # type: ignore[attr-defined]
    return [] if old == new else [(setting, old, new)]


def _indicator_changes(row: object, before: object | None) -> list[tuple[str, str, str]]:
    label = str(IndicatorCode(row.code).label) if row.code in IndicatorCode else row.code  # type: ignore[attr-defined]
    deleted = row.history_type == "-"  # type: ignore[attr-defined]
    changes = []
    for name, show in (("weight", _number), ("enabled", _yes_no)):
        field = IndicatorSetting._meta.get_field(name)
        assert isinstance(field, Field)  # noqa: S101 - a concrete field, for the type checker
        old = show(getattr(before, name)) if before is not None else ""
        new = "" if deleted else show(getattr(row, name))
        if old != new:
            changes.append((f"{label} — {field.verbose_name}", old, new))
    return changes


# --- Reveal reasons, for the annual logging report --------------------------------------


def reveal_reason_categories() -> list[Category]:
    return [Category(c.value, c.label) for c in IdentityReveal.ReasonCategory]


def count_reveal_reasons(
    start: datetime.datetime, end: datetime.datetime
) -> list[tuple[Category, int]]:
    """Reveals whose name was first shown from ``start`` up to ``end``, by kind of reason.

    ``revealed_at`` is the moment of the access log's ``reveal`` entry, so these are the
    reveals that the log counts in the same period. Refused and pending requests showed no
    name and are not counted.
    """
    counts = dict(
        IdentityReveal.objects.filter(revealed_at__gte=start, revealed_at__lt=end)
        .order_by()  # the default ordering would split the groups
        .values_list("reason_category")
        .annotate(n=CountOf("id"))
    )
    return [(category, counts.get(category.key, 0)) for category in reveal_reason_categories()]


# --- The provider ---------------------------------------------------------------------

PROTOCOL_RECEIPT_CATEGORIES = (
    Category("confirmed", _("Confirmed receipt")),
    Category("not_confirmed", _("Not (yet) confirmed")),
)


def count_protocol_receipts(quarter: Quarter) -> list[Count]:
    """Staff at the quarter's end, per unit: confirmed the version then in force, or not."""
    from monitoring.selectors.protocol import receipt_counts

    return receipt_counts(start=quarter.start, end=quarter.end)


PROVIDER = Provider(
    app_label="monitoring",
    measures=(
        Measure(
            key="monitoring.signals_by_indicator",
            population="monitoring.signals_raised",
            section=SECTION,
            title=_("Signals raised, by main indicator"),
            description=_(
                "Signals detection raised for an analyst to review, by the unit of the "
                "employee concerned and the quarter they were first detected, each under the "
                "indicator with the largest share of its score."
            ),
            categories=indicator_categories,
            count=count_raised,
            order=20,
        ),
        Measure(
            key="monitoring.signal_decisions",
            population="monitoring.signal_decisions",
            section=SECTION,
            title=_("What became of signals"),
            description=_(
                "Dismissed by the analyst with an explanation, escalated to the team chief "
                "for a conversation, referred straight to VIK's case intake, or withdrawn "
                "because later data (e.g. an assignment delivered late) explained the signal "
                "before review; in the quarter of the decision."
            ),
            categories=DECISION_CATEGORIES,
            count=count_decisions,
            order=21,
        ),
        Measure(
            key="monitoring.protocol_receipts",
            population="monitoring.protocol_receipts",
            section=SECTION,
            title=_("Staff who confirmed receiving the monitoring protocol"),
            description=_(
                "Staff employed at the end of the quarter, by whether they had confirmed "
                "receiving the version of the monitoring protocol then in force. A new "
                "version asks everyone again."
            ),
            categories=PROTOCOL_RECEIPT_CATEGORIES,
            count=count_protocol_receipts,
            order=40,
        ),
        Measure(
            key="monitoring.conversation_outcomes",
            population="monitoring.conversations",
            section=SECTION,
            title=_("Follow-up conversations, by outcome"),
            description=_(
                "Conversations team chiefs held with employees after a signal, in the quarter "
                "the outcome was recorded: explained, unintended (awareness given), or "
                "referred to VIK for investigation."
            ),
            categories=conversation_categories,
            count=count_conversations,
            order=22,
        ),
    ),
    disclosure_categories=(
        DisclosureCategory(
            key=DISCLOSURE_CATEGORY,
            label=_("Monitoring signals"),
            description=_(
                "Protective Monitoring signals about the employee, the follow-up "
                "conversations about them, and every look at those in the access log."
            ),
            object_types=OBJECT_TYPES,
        ),
    ),
    own_data=own_data,
    closed_matters=closed_matters,
    hold_store_counts=hold_store_counts,
    retention=(
        RetentionCategory(
            key="monitoring.access_events",
            label=_("Imported access events of the police systems"),
            default_months=6,
            rationale=_(
                "The audit-log events that detection reads, with what detection derived "
                "from them. The police union's conditions set 1 to 6 months for such data; "
                "six months lets detection see slow patterns (the same person looked up on many days) and no "
                "longer. Whole days are removed at once; the events of an employee under a "
                "legal hold are copied to a hold store first, so nobody else's are kept."
            ),
            purge=purge_access_events,
            max_months=6,
        ),
        RetentionCategory(
            key="monitoring.unreviewed_signals",
            label=_("Signals nobody reviewed, with their evidence"),
            default_months=6,
            rationale=_(
                "New signals, signals in review and signals escalated without a recorded "
                "conversation rest on the access events alone: they go when those events "
                "go, with their copy of the evidence."
            ),
            purge=purge_unreviewed_signals,
            max_months=6,
            follows="monitoring.access_events",
        ),
        RetentionCategory(
            key="monitoring.evidence_copies",
            label=_("Evidence copies beyond what a record cites"),
            default_months=6,
            rationale=_(
                "A signal that led to a conversation or a case keeps, after the access "
                "events have gone, only the events its record cites; those follow the "
                "record. The rest of the copy goes with the events."
            ),
            purge=purge_uncited_evidence,
            max_months=6,
            follows="monitoring.access_events",
        ),
        RetentionCategory(
            key="monitoring.conversation_records",
            label=_("Follow-up conversations, with their signals"),
            default_months=12,
            rationale=_(
                "The team chief's record of the conversation and what was agreed, and the "
                "signal it was about with the evidence it cites. Twelve months after the "
                "conversation: long enough to see whether the agreement held, short enough "
                "that unintended behaviour, once corrected, is forgotten. A conversation "
                "that led to a case stays with the case."
            ),
            purge=purge_conversation_records,
        ),
        RetentionCategory(
            key="monitoring.dismissed_signals",
            label=_("Dismissed and withdrawn monitoring signals"),
            default_months=6,
            rationale=_(
                "A dismissed signal had a logical explanation; a withdrawn one was explained "
                "by later data before review. Kept six months after the decision, so a "
                "repeat is recognised and the employee can still see it in their overview, "
                "then removed with its indicators and evidence: it must not follow the "
                "employee around."
            ),
            purge=purge_dismissed_signals,
            max_months=6,
        ),
    ),
    threshold_changes=threshold_changes,
    reveal_reasons=count_reveal_reasons,
    protocol_changes=protocol_changes,
)

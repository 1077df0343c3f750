"""Reads of the review workflow: the queue, burst groups, a signal's page, feedback figures.

Nothing here scopes rows itself: every function starts from the visible-to selectors in
:mod:`monitoring.selectors.scoping` (``signals_visible_to``, ``followups_visible_to``), so the
rules of who sees what stay written in one place. Queries are bounded: a queue page costs
the same number of queries whatever the number of signals.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from monitoring import charts
from monitoring.filters import DECIDED_STATUSES, OPEN_STATUSES, SignalFilter
from monitoring.indicators import DutyStatus, Explanation, IndicatorCode
from monitoring.models import (
    DailyActivity,
    FollowUp,
    IdentityReveal,
    MonitoringParameter,
    PeerBaseline,
    Signal,
    SignalEvidence,
    SignalIndicator,
)
from monitoring.periods import AMSTERDAM, day_start
from monitoring.selectors.scoping import (
    followups_visible_to,
    reveals_visible_to,
    signals_visible_to,
)
from monitoring.selectors.timeline import duty_segments
from vik.models import Employee, UnitAncestry
from vik.permissions import UnitUserObjectPermission
from vik.roles import Capability, UnitScope
from vik.selectors import active_conflicts_about, has_capability
from vik.sorting import current_sort, sort

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

DISMISS_CATEGORIES = (
    Signal.Disposition.WORK_REASON,
    Signal.Disposition.DATA_ERROR,
    Signal.Disposition.AUTHORISED,
    Signal.Disposition.OTHER,
)


def parameter(key: str, default: int) -> int:
    """A review setting (``review.*``) from the administrator's parameters."""
    value = MonitoringParameter.objects.filter(key=key).values_list("value", flat=True).first()
    return int(value) if value is not None else default


def four_eyes_required() -> bool:
    """Whether the administrator switched on a second analyst's approval for reveals."""
    return parameter("review.four_eyes_reveal", 0) == 1


# --- the queue --------------------------------------------------------------------------


# The queue's sortable columns (vik.sorting): highest score first unless the URL says else.
SIGNAL_SORTS = {
    "score": ("score", "window_start"),
    "pseudonym": ("pseudonym",),
    "unit": ("unit__name",),
    "indicator": ("first_indicator",),
    "date": ("window_start",),
}
SIGNAL_DEFAULT_SORT = "-score"


def signal_queue(*, user: AnyUser, data: Any) -> tuple[SignalFilter, QuerySet[Signal]]:
    """The analyst's queue, filtered and ordered by score (highest first).

    Each row needs its unit, function, analyst and indicator codes: two joins and one
    prefetch, so a page costs the same whatever the queue's size.
    """
    filterset = SignalFilter(data, queryset=signals_visible_to(user=user), user=user)
    queryset = filterset.qs.select_related("unit", "function", "assigned_to").prefetch_related(
        Prefetch(
            "indicators",
            queryset=SignalIndicator.objects.only("id", "signal_id", "code", "group_key"),
        )
    )
    chosen = current_sort(data.get("sort"), SIGNAL_SORTS, SIGNAL_DEFAULT_SORT)
    if chosen.removeprefix("-") == "indicator":
        # The first indicator code of each signal, as a subquery (no GROUP BY on the page).
        first = SignalIndicator.objects.filter(signal_id=OuterRef("pk")).order_by("code")
        queryset = queryset.annotate(first_indicator=Subquery(first.values("code")[:1]))
    return filterset, sort(queryset, chosen, SIGNAL_SORTS, SIGNAL_DEFAULT_SORT)


def open_signal_count(user: AnyUser) -> int:
    """Signals waiting for a decision (the home page's figure)."""
    return signals_visible_to(user=user).filter(status__in=OPEN_STATUSES).count()


def pending_reveal_count(user: AnyUser) -> int:
    """Reveal requests another analyst made that this one may decide (four eyes)."""
    return (
        reveals_visible_to(user=user)
        .filter(status=IdentityReveal.Status.REQUESTED)
        .exclude(requested_by_id=user.pk)
        .count()
    )


# --- burst groups -----------------------------------------------------------------------


@dataclass
class BurstGroup:
    """Signals sharing a cause (one subject opened by many in one burst window)."""

    key: str
    target: str
    day: datetime.date | None
    size: int
    open_count: int
    top_score: Any
    signals: list[Signal] = field(default_factory=list)
    # The visible signals of the group, highest score first; ``signals`` holds the first
    # ``BURST_MEMBERS_SHOWN`` of them once :func:`burst_members` has read them.
    member_ids: list[int] = field(default_factory=list)

    @property
    def more(self) -> int:
        """How many of the group's signals the card does not list (the queue shows them)."""
        return self.size - len(self.signals)


# A burst card lists its highest-scoring signals; the rest are one link away (the queue,
# filtered on the burst). Fifty rows per card made the page slow and no easier to judge.
BURST_MEMBERS_SHOWN = 10


def burst_groups(*, user: AnyUser, open_only: bool = True) -> list[BurstGroup]:
    """The bursts among the visible signals, most open signals first.

    Groups over the burst indicators first (a partial index holds only those), then asks
    the visible-to selector about just their signals: two queries whose cost follows the
    number of signals in bursts, not the number the analyst may see (issue 15: 100,000).
    """
    memberships = list(
        SignalIndicator.objects.exclude(group_key="")
        .order_by()
        .values_list("group_key", "signal_id")
    )
    signals = {
        pk: (status, score)
        for pk, status, score in signals_visible_to(user=user)
        .filter(id__in=SignalIndicator.objects.exclude(group_key="").values("signal_id"))
        .order_by()
        .values_list("id", "status", "score")
    }
    members: dict[str, set[int]] = defaultdict(set)
    for key, signal_id in memberships:
        if signal_id in signals:
            members[key].add(signal_id)
    groups = []
    for key, ids in members.items():
        open_count = sum(1 for pk in ids if signals[pk][0] in OPEN_STATUSES)
        if open_only and not open_count:
            continue
        ranked = sorted(ids, key=lambda pk: (-signals[pk][1], pk))
        parts = key.split(":")
        # burst:<kind>:<reference>:<day> — the reference is a file or subject number, no name.
        groups.append(
            BurstGroup(
                key=key,
                target=":".join(parts[1:-1]) if len(parts) > 2 else key,
                day=_burst_day(parts[-1]) if len(parts) > 2 else None,
                size=len(ids),
                open_count=open_count,
                top_score=signals[ranked[0]][1],
                member_ids=ranked,
            )
        )
    groups.sort(key=lambda group: (-group.open_count, -group.size, group.key))
    return groups


def _burst_day(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def burst_members(*, groups: list[BurstGroup]) -> list[BurstGroup]:
    """Read the listed signals of the groups on one page, in one query.

    The groups come from :func:`burst_groups`, which took them from the visible-to
    selector: only those signal ids are read.
    """
    shown = {pk for group in groups for pk in group.member_ids[:BURST_MEMBERS_SHOWN]}
    by_id = Signal.objects.select_related("unit", "function").in_bulk(shown)
    for group in groups:
        group.signals = [by_id[pk] for pk in group.member_ids[:BURST_MEMBERS_SHOWN]]
    return groups


# --- one signal -------------------------------------------------------------------------


@dataclass
class EvidenceRow:
    """One evidence event and why it is, or is not, explained."""

    event: SignalEvidence
    explained: bool
    indicator_label: str


@dataclass(frozen=True)
class MatterWithVik:
    """*That* a matter about the signal's employee is with VIK — never which, or what.

    ``case_id`` is the open case the signal can be forwarded to (its commissioner decides);
    ``None`` when only a disclosure deferral is in force (then refer to case intake).
    """

    case_id: int | None


def matter_with_vik(signal: Signal) -> MatterWithVik | None:
    """Whether the employee is a party to an open case, or disclosure about them is deferred.

    While so, nothing may reach the team chief or the employee: a conversation or a message
    would tip off a covert investigation. The analyst forwards the signal instead.
    """
    return matter_with_vik_about(signal.employee_id)


def matter_with_vik_about(
    employee_id: int, *, except_case_id: int | None = None
) -> MatterWithVik | None:
    """:func:`matter_with_vik` for an employee; ``except_case_id`` is the case a conversation
    back to the line is about (that case is the reason for the conversation, not a secret)."""
    from cases.selectors import open_case_about
    from vik.transparency.disclosure import active_deferrals

    case = open_case_about(employee_id, excluding=except_case_id)
    if case is not None:
        return MatterWithVik(case_id=case.pk)
    if active_deferrals().filter(employee_id=employee_id).exists():
        return MatterWithVik(case_id=None)
    return None


@dataclass
class SignalPage:
    """Everything the signal page shows, read in a fixed number of queries."""

    indicators: list[SignalIndicator]
    evidence: list[EvidenceRow]
    timeline: charts.Timeline
    duty_totals: list[tuple[str, str, int, str]]
    volume: charts.VolumeChart
    earlier: list[Signal]
    my_reveal: IdentityReveal | None
    pending_reveals: list[IdentityReveal]
    followup: FollowUp | None
    name_shown: bool
    matter_with_vik: MatterWithVik | None = None


WORK_REASONS = {
    Explanation.ASSIGNMENT,
    Explanation.LINKED_INCIDENT,
    Explanation.SCOPE_RULE,
    Explanation.FUNCTION_SCOPE,
    Explanation.NEUTRAL,
}


def signal_page(*, user: AnyUser, signal: Signal) -> SignalPage:
    """The analyst's workspace for one (visible) signal."""
    indicators = list(signal.indicators.order_by("-score", "code"))
    labels = dict(IndicatorCode.choices)
    evidence = [
        EvidenceRow(
            event=event,
            explained=event.explanation in WORK_REASONS,
            indicator_label=str(labels.get(event.indicator, event.indicator)),
        )
        for event in signal.evidence.order_by("occurred_at", "event_id")
    ]
    start = day_start(signal.window_start)
    end = day_start(signal.window_end + datetime.timedelta(days=1))
    duty_labels = dict(DutyStatus.choices)
    segments = duty_segments(employee_id=signal.employee_id, start=start, end=end)
    totals: dict[str, float] = defaultdict(float)
    for seg_start, seg_end, status in segments:
        totals[status] += (seg_end - seg_start).total_seconds() / 3600
    timeline = charts.timeline(
        start=start,
        end=end,
        segments=[(a, b, s, str(duty_labels.get(s, s))) for a, b, s in segments],
        events=[
            (
                row.event.occurred_at,
                row.explained,
                f"{row.event.occurred_at.astimezone(AMSTERDAM):%d-%m %H:%M} · "
                f"{row.indicator_label} · {row.event.get_duty_status_display()} · "
                f"{row.event.get_explanation_display()}",
            )
            for row in evidence
        ],
    )
    volume = volume_for(signal)
    earlier = list(
        signals_visible_to(user=user)
        .filter(employee_id=signal.employee_id)
        .exclude(pk=signal.pk)
        .prefetch_related("indicators")
        .order_by("-window_start")[:20]
    )
    reveals = list(signal.reveals.select_related("requested_by", "approved_by"))
    mine = next((r for r in reveals if r.requested_by_id == user.pk), None)
    pending = [
        r
        for r in reveals
        if r.status == IdentityReveal.Status.REQUESTED and r.requested_by_id != user.pk
    ]
    followup = FollowUp.objects.filter(signal=signal).first()
    return SignalPage(
        indicators=indicators,
        evidence=evidence,
        timeline=timeline,
        duty_totals=[
            (
                status,
                str(duty_labels.get(status, status)),
                round(hours),
                charts.DUTY_COLOURS.get(status, "#f8f9fa"),
            )
            for status, hours in sorted(totals.items(), key=lambda item: -item[1])
        ],
        volume=volume,
        earlier=earlier,
        my_reveal=mine,
        pending_reveals=pending,
        followup=followup,
        name_shown=bool(
            mine and mine.status == IdentityReveal.Status.APPROVED and mine.revealed_at
        ),
        # Only what the decision needs: an open signal cannot go to the team chief.
        matter_with_vik=matter_with_vik(signal) if signal.is_open else None,
    )


def volume_for(signal: Signal) -> charts.VolumeChart:
    """The employee's accesses per day from four weeks before the window to its end, with
    the peer group's median day (same function) for each day."""
    first = signal.window_start - datetime.timedelta(days=28)
    days = [
        first + datetime.timedelta(days=offset)
        for offset in range((signal.window_end - first).days + 1)
    ]
    counts = dict(
        DailyActivity.objects.filter(
            employee_id=signal.employee_id, day__gte=first, day__lte=signal.window_end
        ).values_list("day", "events")
    )
    peers: dict[datetime.date, float] = {}
    if signal.function_id:
        peers = dict(
            PeerBaseline.objects.filter(
                function_id=signal.function_id, day__gte=first, day__lte=signal.window_end
            ).values_list("day", "median")
        )
    return charts.volume_chart(
        days=days, counts=counts, peers=peers, window=(signal.window_start, signal.window_end)
    )


# --- people to tell ---------------------------------------------------------------------


def team_of(employee: Employee) -> int:
    """The unit whose chief holds the conversation: the team, else the unit."""
    return employee.team_id or employee.unit_id


def team_chiefs_for(employee: Employee) -> QuerySet[User]:
    """Active team chiefs whose ``lead_team`` grant covers the employee's team.

    Never the employee themself, nor a chief registered as conflicted with them.
    """
    ancestors = UnitAncestry.objects.filter(descendant_id=team_of(employee)).values("ancestor_id")
    leads = UnitUserObjectPermission.objects.filter(
        permission__codename=UnitScope.LEAD.value, content_object_id__in=ancestors
    ).values("user_id")
    conflicted = active_conflicts_about(employee_ids=[employee.pk]).values("user_id")
    chiefs = (
        get_user_model().objects.filter(is_active=True, id__in=leads).exclude(id__in=conflicted)
    )
    if employee.user_id:
        chiefs = chiefs.exclude(id=employee.user_id)
    return chiefs.order_by("id")


# --- team chiefs ------------------------------------------------------------------------


def open_followup_count(user: AnyUser) -> int:
    """Conversations still to hold (the home page's figure)."""
    return followups_visible_to(user=user).filter(status=FollowUp.Status.OPEN).count()


# --- feedback ---------------------------------------------------------------------------


@dataclass
class FeedbackRow:
    """Per indicator: how its signals were decided, overall and per month."""

    code: str
    label: str
    total: int
    open: int
    dismissed: dict[str, int]
    escalated: int
    referred: int
    closed: dict[str, int]
    months: dict[datetime.date, dict[str, int]]

    @property
    def dismissed_total(self) -> int:
        return sum(self.dismissed.values())

    @property
    def dismissed_share(self) -> int | None:
        decided = self.dismissed_total + self.escalated + self.referred + sum(self.closed.values())
        return round(100 * self.dismissed_total / decided) if decided else None


def feedback_base(*, user: AnyUser) -> QuerySet[Signal]:
    """The signals the feedback figures count.

    An analyst counts the signals they may review. The administrator, who tunes detection
    (``tune_detection``), counts all signals — figures only, never a signal, pseudonym or
    unit, so the thresholds can be tuned with evidence without seeing anyone.
    """
    if has_capability(user, Capability.REVIEW_SIGNALS):
        return signals_visible_to(user=user)
    if has_capability(user, Capability.TUNE_DETECTION):
        return Signal.objects.all()
    return Signal.objects.none()


def dismissal_feedback(
    *, user: AnyUser, months: int = 6, today: datetime.date | None = None
) -> tuple[list[FeedbackRow], list[datetime.date]]:
    """Per indicator: signals by outcome, and dismissals by category per month (decided)."""
    today = today or timezone.localdate()
    first_month = (today.replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    base = feedback_base(user=user).exclude(status=Signal.Status.WITHDRAWN)
    rows = (
        SignalIndicator.objects.filter(signal_id__in=base.values("id"))
        .values("code", "signal__status", "signal__disposition")
        .annotate(n=Count("signal_id", distinct=True))
    )
    per_month = (
        SignalIndicator.objects.filter(
            signal_id__in=base.values("id"),
            signal__status=Signal.Status.DISMISSED,
            signal__decided_at__gte=day_start(first_month),
        )
        .annotate(month=TruncMonth("signal__decided_at", tzinfo=AMSTERDAM))
        .values("code", "month", "signal__disposition")
        .annotate(n=Count("signal_id", distinct=True))
    )
    labels = dict(IndicatorCode.choices)
    table: dict[str, FeedbackRow] = {
        code: FeedbackRow(
            code=code,
            label=str(label),
            total=0,
            open=0,
            dismissed=dict.fromkeys((c.value for c in DISMISS_CATEGORIES), 0),
            escalated=0,
            referred=0,
            closed={},
            months={},
        )
        for code, label in labels.items()
    }
    for row in rows:
        entry = table.get(row["code"])
        if entry is None:
            continue
        status, disposition, n = row["signal__status"], row["signal__disposition"], row["n"]
        entry.total += n
        if status in OPEN_STATUSES:
            entry.open += n
        elif status == Signal.Status.DISMISSED:
            entry.dismissed[disposition] = entry.dismissed.get(disposition, 0) + n
        elif status == Signal.Status.ESCALATED:
            entry.escalated += n
        elif status == Signal.Status.REFERRED:
            entry.referred += n
        elif status == Signal.Status.CLOSED:
            entry.closed[disposition] = entry.closed.get(disposition, 0) + n
    month_list = []
    month = first_month
    while month <= today:
        month_list.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    for item in per_month:
        entry = table.get(item["code"])
        if entry is None or item["month"] is None:
            continue
        month_of = item["month"]
        key = month_of.date() if isinstance(month_of, datetime.datetime) else month_of
        bucket = entry.months.setdefault(key, {})
        disposition = item["signal__disposition"]
        bucket[disposition] = bucket.get(disposition, 0) + item["n"]
    return list(table.values()), month_list


# --- for the employee's own overview (transparency) ---------------------------------------


def signals_disclosable_to(employee: Employee) -> QuerySet[Signal]:
    """The signals about ``employee`` that their own overview ("Mijn gegevens") lists.

    Decided signals the employee may know of: dismissed (with the category — their data was
    consulted and a logical explanation found), escalated to a conversation, and closed with
    the conversation's outcome. Not listed: signals still in review, withdrawn ones (nobody
    looked at them), and those referred to case intake — what an investigation discloses, and
    when, is the investigation protocol's decision (the person concerned is informed in
    writing before anyone else is asked for information), so this overview must not tip off
    a covert investigation. The transparency provider applies disclosure deferrals on top.
    """
    return Signal.objects.filter(
        employee=employee,
        status__in=[s for s in DECIDED_STATUSES if s != Signal.Status.REFERRED],
    ).order_by("-window_start")

"""The team chief's conversations in one list: after a signal, and after a case sent back to
the line.

Two kinds of conversation, two models in two apps (``monitoring.FollowUp``,
``cases.LineReferral``), each scoped by its own visible-to selector
(:func:`~monitoring.selectors.scoping.followups_visible_to`,
:func:`cases.selectors.line_referrals_visible_to`). This module does not scope anything
itself: :func:`conversations_visible_to` reads the same columns from both selectors and
unites them in one SQL ``UNION ALL``, so the list is searched, sorted and paged by the
database, in two queries (the count and the page) whatever the number of rows.

Monitoring already depends on cases (it registers case intakes); cases never imports
monitoring, so the combined list lives here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models import LineReferral
from cases.selectors import line_referrals_visible_to, open_referrals_for
from monitoring.models import FollowUp
from monitoring.selectors.review import open_followup_count
from monitoring.selectors.scoping import followups_visible_to
from vik.sorting import current_sort

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


class Source(models.TextChoices):
    """Where a conversation comes from (also the URL segment of its page)."""

    SIGNAL = "signal", _("After a signal")
    LINE = "line", _("Case back to the line")


class State(models.IntegerChoices):
    """Where a conversation stands; the order is the order of the work."""

    TO_PLAN = 0, _("To plan")
    PLANNED = 1, _("Planned")
    HELD = 2, pgettext_lazy("conversation", "Held")


# The columns both kinds give, in this order (a UNION matches columns by position).
COLUMNS = (
    "source",
    "id",
    "employee_id",
    "last_name",
    "full_name",
    "team_name",
    "state",
    "planned_at",
    "due_on",
    "since",
    "held_date",
)

# The list's sortable columns (vik.sorting): the work to do first, then the earliest date.
SORTS: dict[str, tuple[str, ...]] = {
    "status": ("state", "planned_at", "due_on", "since"),
    "employee": ("last_name", "full_name"),
    "source": ("source", "since"),
    "planned": ("planned_at",),
    "due": ("due_on",),
    "since": ("since",),
}
DEFAULT_SORT = "status"


def _full_name(prefix: str) -> Concat:
    return Concat(F(f"{prefix}first_name"), Value(" "), F(f"{prefix}last_name"))


def _followup_rows(followups: QuerySet[FollowUp]) -> QuerySet[Any]:
    return (
        followups.select_related(None)
        .annotate(
            source=Value(Source.SIGNAL.value, output_field=models.CharField()),
            last_name=F("employee__last_name"),
            full_name=_full_name("employee__"),
            team_name=F("team__name"),
            state=Case(
                When(status=FollowUp.Status.RECORDED, then=Value(State.HELD.value)),
                When(planned_at__isnull=False, then=Value(State.PLANNED.value)),
                default=Value(State.TO_PLAN.value),
                output_field=models.IntegerField(),
            ),
            since=F("requested_at"),
            held_date=F("held_on"),
        )
        .values(*COLUMNS)
    )


def _referral_rows(referrals: QuerySet[LineReferral]) -> QuerySet[Any]:
    return (
        referrals.select_related(None)
        .annotate(
            source=Value(Source.LINE.value, output_field=models.CharField()),
            last_name=F("employee__last_name"),
            full_name=_full_name("employee__"),
            team_name=Coalesce(F("employee__team__name"), F("employee__unit__name")),
            state=Case(
                When(conversation_held_on__isnull=False, then=Value(State.HELD.value)),
                When(planned_at__isnull=False, then=Value(State.PLANNED.value)),
                default=Value(State.TO_PLAN.value),
                output_field=models.IntegerField(),
            ),
            # A referral has no deadline of its own: the case waits for the conversation.
            due_on=Value(None, output_field=models.DateField()),
            since=F("referred_at"),
            held_date=F("conversation_held_on"),
        )
        .values(*COLUMNS)
    )


def _search(term: str) -> Q:
    """By name or personnel number of the employee; every word must match."""
    condition = Q()
    for word in term.split():
        condition &= (
            Q(employee__first_name__icontains=word)
            | Q(employee__last_name__icontains=word)
            | Q(employee__personnel_number__iexact=word)
        )
    return condition


def conversations_visible_to(
    *,
    user: AnyUser,
    search: str = "",
    state: int | None = None,
    source: str = "",
    sort: str | None = None,
) -> QuerySet[Any]:
    """Both kinds of conversation ``user`` holds, as rows (dicts with :data:`COLUMNS`).

    Each kind comes from its own visible-to selector, so nobody sees a conversation about
    themself or an employee they are conflicted with, nor one outside the teams they lead.
    The filters narrow each side before the union; ``sort`` is a key of :data:`SORTS`.
    """
    followups = followups_visible_to(user=user)
    referrals = line_referrals_visible_to(user=user)
    if search.strip():
        followups = followups.filter(_search(search))
        referrals = referrals.filter(_search(search))
    parts: list[QuerySet[Any]] = []
    if source in ("", Source.SIGNAL):
        rows = _followup_rows(followups)
        parts.append(rows.filter(state=state) if state is not None else rows)
    if source in ("", Source.LINE):
        rows = _referral_rows(referrals)
        parts.append(rows.filter(state=state) if state is not None else rows)
    # The selectors' select_related is dropped in the rows: a UNION takes no joins beyond
    # what its columns need.
    first, *rest = [part.order_by() for part in parts]
    combined = first.union(*rest, all=True) if rest else first
    chosen = current_sort(sort, SORTS, DEFAULT_SORT)
    descending = chosen.startswith("-")
    ordering = [
        F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
        for field in SORTS[chosen.removeprefix("-")]
    ]
    # Ids of the two kinds overlap: the source and the id together break ties.
    return combined.order_by(*ordering, "source", "id")


def open_conversation_count(user: AnyUser) -> int:
    """Conversations still to hold, of both kinds (the home page's figure)."""
    return open_followup_count(user) + open_referrals_for(user)


@dataclass(frozen=True)
class Conversation:
    """One conversation as the shared page shows it, whichever kind it is."""

    source: Source
    obj: FollowUp | LineReferral

    @property
    def is_signal(self) -> bool:
        return self.source == Source.SIGNAL

    @property
    def is_held(self) -> bool:
        if isinstance(self.obj, FollowUp):
            return self.obj.status == FollowUp.Status.RECORDED
        return self.obj.conversation_held_on is not None

    @property
    def state(self) -> State:
        if self.is_held:
            return State.HELD
        return State.PLANNED if self.obj.planned_at else State.TO_PLAN

    @property
    def held_on(self) -> Any:
        if isinstance(self.obj, FollowUp):
            return self.obj.held_on
        return self.obj.conversation_held_on

    @property
    def team_name(self) -> str:
        if isinstance(self.obj, FollowUp):
            return self.obj.team.name
        employee = self.obj.employee
        return (employee.team or employee.unit).name

    @property
    def requested_at(self) -> Any:
        if isinstance(self.obj, FollowUp):
            return self.obj.requested_at
        return self.obj.referred_at

    @property
    def case_id(self) -> int | None:
        """The case a conversation back to the line is about (not a secret for that case)."""
        return self.obj.case_id if isinstance(self.obj, LineReferral) else None


def conversation_visible_to(*, user: AnyUser, source: str, pk: int) -> Conversation:
    """One conversation through its own visible-to selector (``DoesNotExist`` if not visible)."""
    if source == Source.SIGNAL:
        followup = followups_visible_to(user=user).get(pk=pk)
        return Conversation(Source.SIGNAL, followup)
    if source == Source.LINE:
        referral = line_referrals_visible_to(user=user).select_related("employee__unit").get(pk=pk)
        return Conversation(Source.LINE, referral)
    raise LineReferral.DoesNotExist

"""Aggregate figures about complaints, for the works-council dashboards and the yearly report.

Complaints are reported yearly with no data traceable to individuals: every function here
returns plain dicts and lists of counts per police unit (the *eenheid* at the top of the
unit complained about) and per quarter — never a reference, a name or an employee. The
complainant's contact details are never read. Small-cell suppression ("×") is the
dashboard's job, because only the page that shows the figures can stop them being derived
by subtracting shown totals.

``unit_ids`` limits the figures to complaints about those units and every unit below them;
``None`` means the whole organisation.
"""

from __future__ import annotations

import statistics as pystats
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import ExtractQuarter

from complaints import rules
from complaints.models import Complaint, Decision
from vik.models import UnitAncestry


def _top_unit_code() -> Subquery:
    """The code of the eenheid above a complaint's unit (the unit itself at the top)."""
    return Subquery(
        UnitAncestry.objects.filter(
            descendant_id=OuterRef("unit_id"), ancestor__parent__isnull=True
        ).values("ancestor__code")[:1]
    )


def _complaints(unit_ids: Iterable[int] | None) -> QuerySet[Complaint]:
    queryset = Complaint.objects.annotate(eenheid=_top_unit_code())
    if unit_ids is not None:
        below = UnitAncestry.objects.filter(ancestor_id__in=list(unit_ids)).values("descendant_id")
        queryset = queryset.filter(unit_id__in=below)
    return queryset


def complaints_received(
    *, year: int, unit_ids: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """Complaints received, per unit, quarter and channel."""
    rows = (
        _complaints(unit_ids)
        .filter(received_on__year=year)
        .annotate(quarter=ExtractQuarter("received_on"))
        .values("eenheid", "quarter", "channel")
        .annotate(count=Count("id"))
        .order_by("eenheid", "quarter", "channel")
    )
    return [
        {
            "year": year,
            "unit": r["eenheid"],
            "quarter": r["quarter"],
            "channel": r["channel"],
            "count": r["count"],
        }
        for r in rows
    ]


def complaints_by_theme(
    *, year: int, unit_ids: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """Complaints received, per unit, quarter and theme of the uniform classification.

    A complaint with two themes counts once under each, so the themes of a quarter may add
    up to more than the complaints received in it.
    """
    rows = (
        _complaints(unit_ids)
        .filter(received_on__year=year)
        .annotate(quarter=ExtractQuarter("received_on"))
        .values("eenheid", "quarter", "themes__code", "themes__name")
        .annotate(count=Count("id", distinct=True))
        .order_by("eenheid", "quarter", "themes__code")
    )
    return [
        {
            "year": year,
            "unit": r["eenheid"],
            "quarter": r["quarter"],
            "theme": r["themes__code"],
            "theme_name": r["themes__name"],
            "count": r["count"],
        }
        for r in rows
        if r["themes__code"] is not None
    ]


def complaints_closed(*, year: int, unit_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Complaints closed, per unit, quarter, way of closing and judgement, with lead times.

    ``median_days`` runs from receipt to closing; ``within_term`` counts those closed within
    the statutory term that applied (10 or 14 weeks, plus a 4-week extension), and
    ``with_consent`` those that needed the complainant's consent for a longer term.
    """
    closed = (
        _complaints(unit_ids)
        .filter(phase=Complaint.Phase.CLOSED, closed_on__year=year)
        .select_related("decision")
        .only(
            "received_on",
            "closed_on",
            "closure",
            "committee_requested_on",
            "extended_on",
            "consent_deadline",
            "decision__outcome",
        )
    )
    groups: dict[tuple[str, int, str, str], list[_Closed]] = defaultdict(list)
    for complaint in closed:
        closed_on = complaint.closed_on
        if closed_on is None:  # excluded by the query; says so to the type checker
            continue
        decision: Decision | None = getattr(complaint, "decision", None)
        key = (
            complaint.eenheid,  # type: ignore[attr-defined]  # the annotation above
            (closed_on.month - 1) // 3 + 1,
            complaint.closure,
            decision.outcome if decision else "",
        )
        groups[key].append(
            _Closed(
                days=(closed_on - complaint.received_on).days,
                within_term=closed_on <= rules.statutory_deadline(complaint),
                with_consent=complaint.consent_deadline is not None,
            )
        )
    return [
        {
            "year": year,
            "unit": unit,
            "quarter": quarter,
            "closure": closure,
            "outcome": outcome,
            "count": len(items),
            "median_days": pystats.median(item.days for item in items),
            "within_term": sum(item.within_term for item in items),
            "with_consent": sum(item.with_consent for item in items),
        }
        for (unit, quarter, closure, outcome), items in sorted(groups.items())
    ]


@dataclass(frozen=True)
class _Closed:
    days: int
    within_term: bool
    with_consent: bool


def annual_report(*, year: int, unit_ids: Iterable[int] | None = None) -> dict[str, Any]:
    """The yearly complaint figures, as the police reports them: totals only.

    Received (by theme and channel), closed (by way of closing and judgement), the share
    resolved informally, the share decided within the statutory term, and the median lead
    time. Not broken down by unit or quarter: use the functions above for that.
    """
    complaints = _complaints(unit_ids)
    received = complaints.filter(received_on__year=year)
    closed_rows = complaints_closed(year=year, unit_ids=unit_ids)
    closed_total = sum(r["count"] for r in closed_rows)
    by_closure: Counter[str] = Counter()
    by_outcome: Counter[str] = Counter()
    for row in closed_rows:
        by_closure[row["closure"]] += row["count"]
        if row["outcome"]:
            by_outcome[row["outcome"]] += row["count"]
    lead_days = [
        (closed - received).days
        for received, closed in complaints.filter(
            phase=Complaint.Phase.CLOSED, closed_on__year=year
        ).values_list("received_on", "closed_on")
        if closed is not None
    ]
    return {
        "year": year,
        "received": received.count(),
        "by_theme": {
            r["themes__code"]: r["count"]
            for r in received.values("themes__code").annotate(count=Count("id", distinct=True))
            if r["themes__code"]
        },
        "by_channel": dict(received.values_list("channel").annotate(count=Count("id"))),
        "closed": closed_total,
        "by_closure": dict(by_closure),
        "by_outcome": dict(by_outcome),
        "within_term": sum(r["within_term"] for r in closed_rows),
        "with_consent": sum(r["with_consent"] for r in closed_rows),
        "median_days": pystats.median(lead_days) if lead_days else None,
    }

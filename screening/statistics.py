"""Aggregate figures about screening, for the works-council dashboards and the annual report.

Every function returns plain dicts and lists of counts per unit (the employee's *eenheid*)
and per quarter — never an id, a name or a reference. Small-cell suppression ("×") is the
dashboard's job, because it must also stop figures being derived by subtracting shown
totals, which only the page that shows them can see; the one exception is the evaluation
summary, whose free-text answers are withheld here already below :data:`MINIMUM_GROUP`.

``unit_ids`` limits the figures to employees of those units and every unit below them;
``None`` means the whole organisation.
"""

from __future__ import annotations

import datetime
import statistics as pystats
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import ExtractQuarter

from screening import rules
from screening.models import EvaluationResponse, ScreeningDossier, SelfReport
from vik import evaluations
from vik.evaluations import summarise_answers
from vik.models import Employee, UnitAncestry
from vik.workdays import add_months

# Fewer answers than this and a group's answers could point at a person: nothing is shown.
MINIMUM_GROUP = evaluations.MINIMUM_GROUP


def _in_units(
    queryset: QuerySet[Any], unit_ids: Iterable[int] | None, prefix: str
) -> QuerySet[Any]:
    if unit_ids is None:
        return queryset
    below = UnitAncestry.objects.filter(ancestor_id__in=list(unit_ids)).values("descendant_id")
    return queryset.filter(
        Q(**{f"{prefix}unit_id__in": below}) | Q(**{f"{prefix}team_id__in": below})
    )


def dossiers_opened(*, year: int, unit_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Dossiers opened, per unit, quarter and kind (initial, periodic, hit, self-report)."""
    dossiers = _in_units(
        ScreeningDossier.objects.filter(opened_on__year=year), unit_ids, "employee__"
    )
    rows = (
        dossiers.annotate(quarter=ExtractQuarter("opened_on"))
        .values("quarter", "kind", unit=F("employee__unit__code"))
        .annotate(count=Count("id"))
        .order_by("unit", "quarter", "kind")
    )
    return [{"year": year, **row} for row in rows]


def dossiers_closed(*, year: int, unit_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Dossiers closed, per unit, quarter, kind and outcome, with lead times in days.

    ``median_days`` runs from opening to closing; ``within_term`` counts the dossiers
    closed on or before their due date.
    """
    dossiers = _in_units(
        ScreeningDossier.objects.filter(
            status=ScreeningDossier.Status.CLOSED, closed_on__year=year
        ),
        unit_ids,
        "employee__",
    )
    groups: dict[tuple[str, int, str, str], list[tuple[int, bool]]] = defaultdict(list)
    for unit, kind, outcome, opened, closed, due in dossiers.values_list(
        "employee__unit__code", "kind", "outcome", "opened_on", "closed_on", "due_on"
    ):
        quarter = (closed.month - 1) // 3 + 1
        groups[unit, quarter, kind, outcome].append(((closed - opened).days, closed <= due))
    return [
        {
            "year": year,
            "unit": unit,
            "quarter": quarter,
            "kind": kind,
            "outcome": outcome,
            "count": len(items),
            "median_days": pystats.median(days for days, _ in items),
            "within_term": sum(1 for _, on_time in items if on_time),
        }
        for (unit, quarter, kind, outcome), items in sorted(groups.items())
    ]


def self_reports_by_category(
    *, year: int, unit_ids: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """Self-reports under the duty to report, per unit, quarter and category."""
    reports = _in_units(SelfReport.objects.filter(submitted_at__year=year), unit_ids, "employee__")
    rows = (
        reports.annotate(quarter=ExtractQuarter("submitted_at"))
        .values("quarter", "category", unit=F("employee__unit__code"))
        .annotate(count=Count("id"))
        .order_by("unit", "quarter", "category")
    )
    return [{"year": year, **row} for row in rows]


def rescreening_backlog(
    *, as_of: datetime.date, unit_ids: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """Per unit on a day: re-screenings open, of which overdue; and employees due within a year.

    ``due_within_year`` counts employees whose next re-screening (by the policy) falls in
    the coming twelve months — the workload that is coming.
    """
    open_periodic = _in_units(
        ScreeningDossier.objects.filter(
            kind=ScreeningDossier.Kind.PERIODIC, opened_on__lte=as_of
        ).exclude(closed_on__lte=as_of),
        unit_ids,
        "employee__",
    )
    result: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"open": 0, "overdue": 0, "due_within_year": 0}
    )
    for row in open_periodic.values(unit=F("employee__unit__code")).annotate(
        open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=as_of))
    ):
        result[row["unit"]].update(open=row["open"], overdue=row["overdue"])

    per_function, default = rules.policies_by_function()
    horizon = add_months(as_of, 12)
    employees = _in_units(
        Employee.objects.exclude(employment_end__lt=as_of), unit_ids, ""
    ).select_related("unit")
    latest_by_employee = _latest_passed(as_of)
    for employee in employees.iterator(chunk_size=2000):
        terms = per_function.get(employee.function_id or 0, default)
        last = latest_by_employee.get(employee.pk) or employee.employment_start
        due = rules.next_due_on(last, terms)
        if due is not None and as_of <= due <= horizon:
            result[employee.unit.code]["due_within_year"] += 1
    return [{"unit": unit, "as_of": as_of, **counts} for unit, counts in sorted(result.items())]


def _latest_passed(as_of: datetime.date) -> dict[int, datetime.date]:
    """Each employee's last passed full screening up to ``as_of``, in one query."""
    return dict(
        ScreeningDossier.objects.filter(rules.PASSED_SCREENING, closed_on__lte=as_of)
        .values("employee_id")
        .annotate(latest=Max("closed_on"))
        .values_list("employee_id", "latest")
    )


def evaluation_summary(
    *,
    responses: QuerySet[EvaluationResponse] | None = None,
    year: int,
    quarter: int | None = None,
    unit_ids: Iterable[int] | None = None,
) -> dict[str, Any]:
    """The anonymous evaluation answers of a year (or quarter), summarised.

    Ratings as mean and distribution, multiple-choice answers as counts, and the free-text
    answers in random order without any context — but only when at least
    :data:`MINIMUM_GROUP` people answered; otherwise just ``{"count": n, "suppressed": True}``.
    Pass ``responses`` (a visible-to queryset) to limit the summary to what a user may see.
    """
    queryset = responses if responses is not None else EvaluationResponse.objects.all()
    queryset = queryset.filter(year=year)
    if quarter is not None:
        queryset = queryset.filter(quarter=quarter)
    if unit_ids is not None:
        below = UnitAncestry.objects.filter(ancestor_id__in=list(unit_ids)).values("descendant_id")
        queryset = queryset.filter(unit_id__in=below)
    # The summary itself is the shared anonymous-evaluation mechanism (vik.evaluations).
    return {"year": year, "quarter": quarter, **summarise_answers(queryset)}

"""Reads of the onboarding calibration: a report as rows per function, its chart, proposals.

Figures only, aggregated by function: functions with fewer than
:data:`~monitoring.detection.calibration.MIN_GROUP` employees are shown together, so no row
is about one person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from monitoring.detection.calibration import MIN_GROUP, per_thousand
from monitoring.indicators import IndicatorCode
from monitoring.models import CalibrationReport, ScopeProposal, ScopeRule
from vik.models import Function
from vik.roles import Capability
from vik.selectors import has_capability

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

TARGET_PER_THOUSAND = 3.3  # the pilot: about 20 alerts per two weeks for 6,000 staff


@dataclass
class IndicatorFigure:
    code: str
    label: str
    employees: int
    per_thousand: float
    share: int  # % of the function's staff
    in_incident: int  # % of the evidence opened inside an incident of their region
    in_region: int  # % on a subject of their region (no incident)


@dataclass
class FunctionRow:
    """One function (or the small ones together) in a calibration report."""

    name: str
    staff: int
    signalled: int
    per_thousand: float
    indicators: list[IndicatorFigure] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


@dataclass
class Bar:
    y: int
    label: str
    value: float
    width: float
    over: bool


@dataclass
class Chart:
    width: int
    height: int
    left: int
    target_x: float
    bars: list[Bar]
    maximum: float


@dataclass
class CalibrationPage:
    report: CalibrationReport
    rows: list[FunctionRow]
    total_per_thousand: float
    signalled: int
    chart: Chart
    proposals: list[ScopeProposal]
    contributors: list[str]


def calibration_reports_visible_to(*, user: AnyUser) -> QuerySet[CalibrationReport]:
    """Every report for whoever tunes detection (the administrator); none for others."""
    if has_capability(user, Capability.TUNE_DETECTION):
        return CalibrationReport.objects.all()
    return CalibrationReport.objects.none()


def scope_proposals_visible_to(*, user: AnyUser) -> QuerySet[ScopeProposal]:
    """The proposals of the reports the user may see."""
    return ScopeProposal.objects.filter(report__in=calibration_reports_visible_to(user=user))


def latest_report(*, user: AnyUser) -> CalibrationReport | None:
    return calibration_reports_visible_to(user=user).order_by("-created_at", "-id").first()


def calibration_page(report: CalibrationReport) -> CalibrationPage:
    """The report as rows per function (busiest first), a bar chart and the proposals."""
    names = dict(Function.objects.values_list("id", "code"))
    rules: dict[int, list[str]] = {}
    for function_id, scope in ScopeRule.objects.filter(function__isnull=False).values_list(
        "function_id", "scope"
    ):
        rules.setdefault(function_id, []).append(str(ScopeRule.Scope(scope).label))
    labels = dict(IndicatorCode.choices)
    days = report.days
    rows: list[FunctionRow] = []
    small: dict[str, Any] = {"staff": 0, "signalled": 0, "flagged": {}, "where": {}}
    for function, figures in report.figures.items():
        if figures["staff"] < MIN_GROUP or not function:
            small["staff"] += figures["staff"]
            small["signalled"] += figures["signalled"]
            for code, count in figures["flagged"].items():
                small["flagged"][code] = small["flagged"].get(code, 0) + count
            for code, counts in figures["where"].items():
                where = small["where"].setdefault(code, [0, 0, 0])
                for index in range(3):
                    where[index] += counts[index]
            continue
        rows.append(
            _row(
                names.get(int(function), function),
                figures,
                days,
                labels,
                rules.get(int(function), []),
            )
        )
    if small["staff"]:
        rows.append(
            _row(
                _("Small functions (< %(n)d), or none") % {"n": MIN_GROUP},
                small,
                days,
                labels,
                [],
            )
        )
    rows.sort(key=lambda row: (-row.per_thousand, row.name))
    staff = sum(row.staff for row in rows)
    signalled = sum(row.signalled for row in rows)
    proposals = list(report.proposals.select_related("function", "decided_by", "rule"))
    return CalibrationPage(
        report=report,
        rows=rows,
        total_per_thousand=per_thousand(signalled, staff, days),
        signalled=signalled,
        chart=_chart(rows),
        proposals=proposals,
        contributors=contributors(rows),
    )


def _row(
    name: str, figures: dict[str, Any], days: int, labels: dict[str, Any], rules: list[str]
) -> FunctionRow:
    staff = figures["staff"]
    row = FunctionRow(
        name=name,
        staff=staff,
        signalled=figures["signalled"],
        per_thousand=per_thousand(figures["signalled"], staff, days),
        rules=rules,
    )
    for code, count in sorted(figures["flagged"].items(), key=lambda item: -item[1]):
        where = figures["where"].get(code, [0, 0, 0])
        row.indicators.append(
            IndicatorFigure(
                code=code,
                label=str(labels.get(code, code)),
                employees=count,
                per_thousand=per_thousand(count, staff, days),
                share=round(100 * count / staff) if staff else 0,
                in_incident=round(100 * where[0] / where[2]) if where[2] else 0,
                in_region=round(100 * where[1] / where[2]) if where[2] else 0,
            )
        )
    return row


def contributors(rows: list[FunctionRow], limit: int = 8) -> list[str]:
    """The biggest contributors, in words, e.g. "function X: 41 % of its staff would get …"."""
    items = [
        (figure.employees, row, figure)
        for row in rows
        for figure in row.indicators
        if figure.employees
    ]
    items.sort(key=lambda item: -item[0])
    lines = []
    for _count, row, figure in items[:limit]:
        lines.append(
            _(
                "function %(function)s: %(share)d %% of its staff (%(count)d of %(staff)d) would "
                "get %(indicator)s; %(incident)d %% of those look-ups were made inside an incident "
                "of their region, %(region)d %% on a subject of their region"
            )
            % {
                "function": row.name,
                "share": figure.share,
                "count": figure.employees,
                "staff": row.staff,
                "indicator": figure.code,
                "incident": figure.in_incident,
                "region": figure.in_region,
            }
        )
    return lines


def _chart(rows: list[FunctionRow]) -> Chart:
    """Horizontal bars: employees per 1,000 per two weeks per function, and the target."""
    left, width, step = 260, 900, 26
    maximum = max([TARGET_PER_THOUSAND * 2, *(row.per_thousand for row in rows)])
    usable = width - left - 70  # room for the figure after the longest bar
    bars = [
        Bar(
            y=10 + index * step,
            label=row.name if len(row.name) <= 34 else row.name[:33] + "…",
            value=row.per_thousand,
            width=round(usable * row.per_thousand / maximum, 1),
            over=row.per_thousand > TARGET_PER_THOUSAND,
        )
        for index, row in enumerate(rows)
    ]
    return Chart(
        width=width,
        height=20 + len(rows) * step,
        left=left,
        target_x=round(left + usable * TARGET_PER_THOUSAND / maximum, 1),
        bars=bars,
        maximum=maximum,
    )


def report_lines(report: CalibrationReport) -> list[str]:
    """The report as text, for ``detect --dry-run``."""
    page = calibration_page(report)
    lines = [
        f"calibration {report.pk}: {report.period_start} – {report.period_end}, "
        f"{report.employees} employees; would be signalled: {page.signalled} "
        f"= {page.total_per_thousand} per 1,000 per two weeks (target ≤ {TARGET_PER_THOUSAND})",
        "",
        "per function (employees per 1,000 per two weeks; per indicator: employees, share of "
        "staff, look-ups inside an incident / on a subject of their region)",
    ]
    for row in page.rows:
        rules = f"  [scope rules: {', '.join(row.rules)}]" if row.rules else ""
        lines.append(f"  {row.name}: {row.staff} staff, {row.per_thousand} per 1,000{rules}")
        for figure in row.indicators:
            lines.append(
                f"    {figure.code}: {figure.employees} ({figure.share} %), "
                f"{figure.per_thousand} per 1,000; {figure.in_incident} % in an incident of "
                f"their region, {figure.in_region} % on a subject of their region"
            )
    lines += ["", "biggest contributors"] + [f"  {line}" for line in page.contributors]
    lines += ["", "proposed scope rules (accept or reject on the calibration page)"]
    for proposal in page.proposals:
        figures = proposal.figures
        lines.append(
            f"  #{proposal.pk} function {proposal.function.code}: {proposal.scope} — "
            f"{figures['share']} % of its {figures['staff']} staff would be flagged for "
            f"{', '.join(figures['codes'])}; {figures['within']} % of those look-ups lie within "
            f"that scope [{proposal.get_status_display()}]"
        )
    if not page.proposals:
        lines.append("  none")
    return lines

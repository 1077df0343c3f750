"""What the works council's pages show, built from published figures only.

Nothing here counts anything: every figure comes from a :class:`Publication`, as it was
protected and frozen. The trend over quarters is each quarter's own totals side by side;
nothing is ever added across quarters here, because a sum that was not protected together
with its parts could be subtracted from them (the year's totals are their own publication).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vik.transparency import charts
from vik.transparency.figures import (
    DisplayTable,
    Figure,
    category_labels,
    display_table,
    display_totals,
)
from vik.transparency.models import Publication
from vik.transparency.registry import Measure, Quarter, get_registry
from vik.transparency.suppression import CellState

TREND_QUARTERS = 8


@dataclass(frozen=True)
class TrendRow:
    """One period's totals per category: a quarter, or a year (its own publication)."""

    label: str
    key: str
    figures: tuple[Figure, ...]
    total: Figure
    is_year: bool = False


@dataclass
class MeasurePage:
    """One measure: trend over the published quarters, and a selected quarter per unit."""

    measure: Measure
    columns: list[tuple[str, str]]
    trend: list[TrendRow]
    tables: dict[Quarter, DisplayTable]
    selected: Quarter | None
    charts: dict[str, charts.Chart] = field(default_factory=dict)

    @property
    def quarters(self) -> list[Quarter]:
        return sorted(self.tables, reverse=True)

    @property
    def table(self) -> DisplayTable | None:
        return self.tables.get(self.selected) if self.selected else None

    def csv_rows(self) -> Iterator[list[str]]:
        """(period, unit, category, figure) for every published figure, as printed."""
        all_units, total = _("All units"), _("Total")
        for quarter in sorted(self.tables):
            table = self.tables[quarter]
            period = f"{quarter.year}-Q{quarter.number}"
            for row in table.rows:
                for (_key, label), figure in zip(table.columns, row.figures, strict=True):
                    yield [period, row.label, label, figure.text]
                yield [period, row.label, total, row.total.text]
            for (_key, label), figure in zip(table.columns, table.totals, strict=True):
                yield [period, all_units, label, figure.text]
            yield [period, all_units, total, table.total.text]
        for trend in self.trend:
            if trend.is_year:
                for (_key, label), figure in zip(self.columns, trend.figures, strict=True):
                    yield [trend.key, all_units, label, figure.text]
                yield [trend.key, all_units, total, trend.total.text]


_NOT_COUNTED = Figure("–", CellState.WITHHELD, None)


def _withheld_row(label: str, key: str, width: int) -> TrendRow:
    return TrendRow(label, key, (_NOT_COUNTED,) * width, _NOT_COUNTED, is_year=True)


def measure_page(
    measure: Measure, publications: QuerySet[Publication], *, quarter_key: str = ""
) -> MeasurePage:
    """The page of one measure (one query for all its publications)."""
    labels = category_labels(measure)
    tables: dict[Quarter, DisplayTable] = {}
    years: dict[int, Publication] = {}
    for publication in publications.filter(key=measure.key).order_by("year", "quarter"):
        if publication.quarter:
            quarter = Quarter(publication.year, publication.quarter)
            tables[quarter] = display_table(measure, publication.payload)
        else:
            years[publication.year] = publication
    # The measure's categories, then any that an older publication had (categories can
    # change when an app adds one); a quarter without a category prints "–" for it.
    columns = [(key, labels[key]) for key in labels]
    for table in tables.values():
        columns += [column for column in table.columns if column[0] not in dict(columns)]
    trend: list[TrendRow] = []
    for quarter in sorted(tables):
        table = tables[quarter]
        by_key = dict(zip((key for key, _l in table.columns), table.totals, strict=True))
        figures = tuple(by_key.get(key, _NOT_COUNTED) for key, _l in columns)
        trend.append(TrendRow(quarter.label, quarter.key, figures, table.total))
        year = years.get(quarter.year)
        if quarter.number == 4 and year is not None:
            if year.payload.get("withheld"):
                trend.append(_withheld_row(str(quarter.year), str(quarter.year), len(columns)))
            else:
                year_figures, year_total = display_totals(year.payload)
                by_key = dict(zip(year.payload["cols"], year_figures, strict=True))
                trend.append(
                    TrendRow(
                        str(quarter.year),
                        str(quarter.year),
                        tuple(by_key.get(key, _NOT_COUNTED) for key, _l in columns),
                        year_total,
                        is_year=True,
                    )
                )
    try:
        selected: Quarter | None = Quarter.parse(quarter_key) if quarter_key else None
    except ValueError:
        selected = None
    if selected not in tables:
        selected = max(tables) if tables else None
    page = MeasurePage(measure, columns, trend, tables, selected)
    page.charts = _charts(page)
    return page


def _charts(page: MeasurePage) -> dict[str, charts.Chart]:
    slug = page.measure.key.replace(".", "-")  # ids must be unique where several pages print
    quarters = [row for row in page.trend if not row.is_year][-TREND_QUARTERS:]
    result = {
        "trend": charts.column_chart(
            [(row.label, row.total) for row in quarters],
            ident=f"chart-{slug}-trend",
            title=_("Trend: total per quarter"),
            description=_("The same figures are in the table below the chart."),
        )
    }
    table = page.table
    if table is not None and page.selected is not None and not table.withheld:
        result["categories"] = charts.bar_chart(
            [
                (label, figure)
                for (_k, label), figure in zip(table.columns, table.totals, strict=True)
            ],
            ident=f"chart-{slug}-categories",
            title=_("%(quarter)s by category") % {"quarter": page.selected.label},
        )
        result["units"] = charts.bar_chart(
            [(row.label, row.total) for row in table.rows],
            ident=f"chart-{slug}-units",
            title=_("%(quarter)s by unit") % {"quarter": page.selected.label},
        )
    return result


@dataclass(frozen=True)
class MeasureSummary:
    """A measure on the overview: its latest quarter's total and a small trend chart."""

    measure: Measure
    latest: Quarter | None
    latest_total: Figure | None
    chart: charts.Chart | None


def overview(publications: QuerySet[Publication]) -> list[tuple[str, list[MeasureSummary]]]:
    """Every measure, grouped by section, with its latest figures (one query)."""
    measures = get_registry().measures()
    totals: dict[str, list[tuple[Quarter, Figure]]] = {m.key: [] for m in measures}
    for publication in publications.filter(key__in=list(totals), quarter__gte=1).order_by(
        "year", "quarter"
    ):
        payload = publication.payload
        rows = payload["cells"]
        total = sum(sum(row) for row in rows)
        totals[publication.key].append(
            (
                Quarter(publication.year, publication.quarter),
                Figure.of(total, CellState(payload["total_state"])),
            )
        )
    sections: dict[str, list[MeasureSummary]] = {}
    for measure in measures:
        series = totals[measure.key][-TREND_QUARTERS:]
        latest = series[-1] if series else None
        summary = MeasureSummary(
            measure,
            latest[0] if latest else None,
            latest[1] if latest else None,
            charts.column_chart(
                [(q.label, figure) for q, figure in series],
                ident=f"chart-{measure.key.replace('.', '-')}-overview",
                title=str(measure.title),
                width=420,
            )
            if series
            else None,
        )
        sections.setdefault(str(measure.section), []).append(summary)
    return list(sections.items())

"""Trends for prevention coordinators: kinds of violation and prevention work, per quarter.

Counts only — per kind, source and quarter for the units a coordinator follows — never an
object, a name or a reference. Kinds come from every app's classifications through
:mod:`vik.typology.selectors` (what nobody classified counts as "not yet classified").
The works council sees the same through its dashboard, with small-cell suppression
(``prevention/transparency.py``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from prevention.models import AdviceRequest, AfterDiscussion, Dilemma, SessionRequest
from vik.models import ViolationKind
from vik.transparency.registry import Quarter
from vik.typology.registry import get_sources
from vik.typology.selectors import kind_counts

# A kind counts as rising in a quarter when it is at least this and more than the quarter before.
RISING_FROM = 2


@dataclass(frozen=True)
class Cell:
    value: int
    rising: bool = False


@dataclass
class KindRow:
    kind: ViolationKind
    cells: list[Cell]

    @property
    def total(self) -> int:
        return sum(cell.value for cell in self.cells)


@dataclass
class KindTable:
    """Kinds (rows) by quarter (columns) for one source, or for all sources together."""

    key: str
    label: str | Promise
    quarters: list[Quarter]
    rows: list[KindRow] = field(default_factory=list)

    @property
    def totals(self) -> list[int]:
        return [sum(row.cells[i].value for row in self.rows) for i in range(len(self.quarters))]

    @property
    def total(self) -> int:
        return sum(self.totals)


def kind_tables(*, unit_ids: QuerySet[Any] | Iterable[int], year: int) -> list[KindTable]:
    """All sources together first, then one table per source, for the year's quarters.

    The quarter before the year is counted too, so that a rise in Q1 shows. Rows are every
    kind in use plus any kind that has a count.
    """
    quarters = Quarter.of_year(year)
    before = quarters[0].previous()
    counts = kind_counts(start=before.start, end=quarters[-1].end, unit_ids=unit_ids)
    by_source: dict[str, dict[tuple[int, Quarter], int]] = defaultdict(lambda: defaultdict(int))
    for count in counts:
        quarter = Quarter(count.year, count.quarter)
        by_source[count.source][count.kind_id, quarter] += count.count
        by_source[""][count.kind_id, quarter] += count.count
    used = {kind_id for values in by_source.values() for kind_id, _q in values}
    kinds = list(ViolationKind.objects.filter(Q(is_active=True) | Q(pk__in=used)))
    tables = [KindTable("", _("All sources"), quarters)]
    tables += [KindTable(source.key, source.label, quarters) for source in get_sources()]
    for table in tables:
        values = by_source.get(table.key, {})
        for kind in kinds:
            cells = []
            previous = values.get((kind.pk, before), 0)
            for quarter in quarters:
                value = values.get((kind.pk, quarter), 0)
                rising = not kind.is_unclassified and value >= RISING_FROM and value > previous
                cells.append(Cell(value, rising=rising))
                previous = value
            table.rows.append(KindRow(kind, cells))
    return tables


@dataclass(frozen=True)
class ActivityRow:
    label: str | Promise
    values: list[int]


def _per_quarter(queryset: QuerySet[Any], date_field: str, year: int) -> list[int]:
    rows = (
        queryset.annotate(y=ExtractYear(date_field), q=ExtractQuarter(date_field))
        .filter(y=year)
        .order_by()
        .values("q")
        .annotate(n=Count("pk"))
    )
    found = {row["q"]: row["n"] for row in rows}
    return [found.get(number, 0) for number in (1, 2, 3, 4)]


def activity(*, unit_ids: QuerySet[Any] | Iterable[int], year: int) -> list[ActivityRow]:
    """Prevention's own work per quarter: sessions asked and given, advice, lessons."""
    sessions = SessionRequest.objects.filter(team_id__in=unit_ids)
    advice = AdviceRequest.objects.filter(
        Q(asker__unit_id__in=unit_ids) | Q(asker__team_id__in=unit_ids)
    )
    lessons = Dilemma.objects.filter(
        source=Dilemma.Source.LESSON, status=Dilemma.Status.PUBLISHED, unit_id__in=unit_ids
    )
    return [
        ActivityRow(_("Sessions requested"), _per_quarter(sessions, "submitted_at", year)),
        ActivityRow(
            _("Sessions given"),
            _per_quarter(sessions.filter(status=SessionRequest.Status.HELD), "held_on", year),
        ),
        ActivityRow(
            _("After-discussions asked for"),
            _per_quarter(
                AfterDiscussion.objects.filter(unit_id__in=unit_ids), "requested_at", year
            ),
        ),
        ActivityRow(_("Lessons approved"), _per_quarter(lessons, "published_at", year)),
        ActivityRow(_("Advice questions"), _per_quarter(advice, "asked_at", year)),
    ]


def quarter_of(day: datetime.date) -> Quarter:
    return Quarter.containing(day)

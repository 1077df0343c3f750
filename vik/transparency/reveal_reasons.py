"""Identity reveals by kind of reason, for the annual logging report (section 3).

A provider with ``reveal_reasons`` counts its identity reveals by the kind of reason the
user recorded. The same reveals are already published, by unit and part of VIK, in the
core's measure ``vik.identity_reveals``: the kinds are a second breakdown of the same
events, and printed carelessly the two could be subtracted from each other. So the kinds
are published like every other figure for the works council, and protected *together with*
that measure (see :mod:`vik.transparency.suppression` for the method):

* **per completed quarter** (publication key :data:`KEY`, quarter 1–4): per part of VIK
  with a provider, the count of each kind, plus :data:`UNRECORDED` — the reveals that the
  access log has in that part and quarter but the provider did not count (made before kinds
  were recorded, or whose record was removed before the quarter was counted). Together they
  add up to the part's column total in the measure's quarter table, which is fixed as
  published; in the network that column total flows on into the kinds.
* **per year**, once its four quarters are in: the year's count of each kind, protected
  with the measure's four quarter tables and its year totals, and the four quarters' kinds,
  all fixed as published.

Frozen like every publication, and counted soon after the quarter ends (``publish_due``
runs nightly): a dismissed signal goes, with its reveal record, after six months, but the
count by kind stays what it was.

The privacy officer's version of the report prints the same figures unprotected.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vik.transparency.core import part_label
from vik.transparency.figures import Figure, protected_table, protected_totals
from vik.transparency.models import Publication
from vik.transparency.registry import Provider, Quarter, get_registry
from vik.transparency.suppression import (
    CellState,
    Network,
    ProtectedTable,
    ProtectedTotals,
    ProtectionError,
    add_table,
)

KEY = "logging_report.reveal_reasons"
REVEALS_MEASURE = "vik.identity_reveals"
UNRECORDED = "unrecorded"
UNRECORDED_LABEL = gettext_lazy("Kind not recorded")


# --- Counting and protecting a quarter ------------------------------------------------------


@dataclass(frozen=True)
class _Counted:
    """One part's reveals in one period: the kinds, then the unrecorded rest."""

    part: str
    categories: list[list[str]]  # [key, label], as stored
    values: list[int]
    consistent: bool = True  # the kinds fit within the access log's count for the part


def _count(provider: Provider, quarter: Quarter, log_total: int | None) -> _Counted:
    assert provider.reveal_reasons is not None  # noqa: S101 - the registry filtered
    counted = list(provider.reveal_reasons(quarter.start_at, quarter.end_at))
    # Labels are stored as the works council read them: in the application's language.
    with translation.override(settings.LANGUAGE_CODE):
        categories = [[category.key, str(category.label)] for category, _n in counted]
        categories.append([UNRECORDED, str(UNRECORDED_LABEL)])
    values = [n for _category, n in counted]
    rest = -1 if log_total is None else log_total - sum(values)
    return _Counted(provider.app_label, categories, [*values, max(rest, 0)], rest >= 0)


def _part_payload(
    counted: _Counted, states: list[CellState] | None, total: int, total_state: CellState
) -> dict[str, Any]:
    """One part of a publication. Without ``states`` the kinds are withheld ("–"); the raw
    figures are kept, as in every publication, for the privacy officer's version."""
    return {
        "part": counted.part,
        "categories": counted.categories,
        "values": counted.values,
        "states": [str(s) for s in states or [CellState.WITHHELD] * len(counted.values)],
        "total": total,
        "total_state": str(total_state),
        "withheld": states is None,
    }


def quarter_payload(quarter: Quarter) -> dict[str, Any] | None:
    """The kinds of reveal of a completed quarter, protected with the published measure.

    ``None`` while there is nothing to publish: no provider counts reveal reasons, or the
    measure's quarter is not published yet (``publish_due`` publishes it first).
    """
    providers = get_registry().reveal_reason_providers()
    published = Publication.objects.filter(
        key=REVEALS_MEASURE, year=quarter.year, quarter=quarter.number
    ).first()
    if not providers or published is None:
        return None
    measure = protected_table(published.payload)
    cols = list(measure.table.cols)
    col_totals = dict(zip(cols, measure.table.col_totals, strict=True))
    col_states = dict(zip(cols, measure.col_states, strict=True))
    parts = [_count(p, quarter, col_totals.get(p.app_label)) for p in providers]
    # A withheld quarter table, or kinds that do not fit the log's count, are not chained:
    # their kinds are withheld too.
    chained = [] if measure.withheld else [c.part for c in parts if c.consistent]
    states = _protect_quarter(measure, [c for c in parts if c.part in chained])
    return {
        "parts": [
            _part_payload(
                counted,
                [states[("k", counted.part, key)] for key, _l in counted.categories]
                if states is not None and counted.part in chained
                else None,
                col_totals.get(counted.part, 0),
                col_states.get(counted.part, CellState.WITHHELD),
            )
            for counted in parts
        ]
    }


def _protect_quarter(
    measure: ProtectedTable, chained: list[_Counted]
) -> dict[Hashable, CellState] | None:
    """The measure's quarter table, fixed as published, with each chained part's column
    total flowing on into its kinds. ``None`` when the kinds cannot be protected."""
    if not chained:
        return None
    hooked = {c.part for c in chained}
    network = Network()
    add_table(
        network,
        measure.table,
        "m",
        col_head=lambda col: ("R", col) if col in hooked else ("X",),
        published=measure,
    )
    network.add(("m", "total"), ("X",), ("m", "S"), measure.table.total, state=measure.total_state)
    for counted in chained:
        for (key, _label), value in zip(counted.categories, counted.values, strict=True):
            network.add(("k", counted.part, key), ("R", counted.part), ("X",), value)
    try:
        return network.protect()
    except ProtectionError:
        return None


# --- The year ---------------------------------------------------------------------------------


def _summed(part: str, entries: list[dict[str, Any]]) -> _Counted:
    """A part's kinds over several periods, added up by key (in the order first seen)."""
    totals: dict[str, int] = {}
    labels: dict[str, str] = {}
    for entry in entries:
        for (key, label), value in zip(entry["categories"], entry["values"], strict=True):
            totals[key] = totals.get(key, 0) + value
            labels.setdefault(key, label)
    return _Counted(part, [[key, labels[key]] for key in totals], list(totals.values()))


def year_payload(year: int) -> dict[str, Any] | None:
    """The year's kinds, protected with everything already published about its reveals.

    ``None`` until the four quarters of the kinds and the measure's year totals are in.
    """
    kinds = [
        p.payload
        for p in Publication.objects.filter(key=KEY, year=year, quarter__gte=1).order_by("quarter")
    ]
    measures = Publication.objects.filter(key=REVEALS_MEASURE, year=year)
    by_quarter = {p.quarter: p.payload for p in measures}
    if len(kinds) < 4 or len(by_quarter) < 5:
        return None
    tables = [protected_table(by_quarter[q]) for q in (1, 2, 3, 4)]
    cols = tables[0].table.cols
    values = tuple(sum(t.table.col_totals[c] for t in tables) for c in range(len(cols)))
    if by_quarter[0].get("withheld") or any(t.table.cols != cols for t in tables):
        w = CellState.WITHHELD
        year_states = ProtectedTotals(cols, values, (w,) * len(cols), sum(values), w)
    else:
        year_states = protected_totals(by_quarter[0])
    year_cols = dict(zip(cols, zip(values, year_states.col_states, strict=True), strict=True))
    parts = list(dict.fromkeys(e["part"] for k in kinds for e in k["parts"]))
    entries = {part: [e for k in kinds for e in k["parts"] if e["part"] == part] for part in parts}
    chained = {
        part: found
        for part, found in entries.items()
        if len(found) == 4
        and part in cols
        and not any(e["withheld"] for e in found)
        and all(e["categories"] == found[0]["categories"] for e in found)
    }
    summed = {part: _summed(part, found) for part, found in entries.items()}
    states = (
        _protect_year(tables, year_states, chained, summed)
        if chained and all(t.table.cols == cols for t in tables)
        else None
    )
    return {
        "parts": [
            _part_payload(
                summed[part],
                [states[("ky", part, key)] for key, _l in summed[part].categories]
                if states is not None and part in chained
                else None,
                *year_cols.get(part, (0, CellState.WITHHELD)),
            )
            for part in parts
        ]
    }


def _protect_year(
    tables: list[ProtectedTable],
    year_states: ProtectedTotals,
    chained: dict[str, list[dict[str, Any]]],
    summed: dict[str, _Counted],
) -> dict[Hashable, CellState] | None:
    """The measure's four quarters and year, and the chained parts' quarterly kinds, all
    fixed; the year's kinds to be decided. A part's quarterly column total flows into its
    kinds of that quarter, each kind over the quarters into the year's kind, and the year's
    kinds into the part's year total."""
    network = Network()

    def heads(q: int) -> Callable[[str], Hashable]:
        return lambda col: ("RQ", q, col) if col in chained else ("Y", col)

    for q, table in enumerate(tables):
        add_table(network, table.table, ("q", q), col_head=heads(q), published=table)
        network.add(
            (("q", q), "total"), ("S",), (("q", q), "S"), table.table.total, state=table.total_state
        )
        for part, found in chained.items():
            entry = found[q]
            for (key, _label), value, state in zip(
                entry["categories"], entry["values"], entry["states"], strict=True
            ):
                network.add(
                    ("kq", q, part, key),
                    ("RQ", q, part),
                    ("C", part, key),
                    value,
                    state=CellState(state),
                )
    for part in chained:
        counted = summed[part]
        for (key, _label), value in zip(counted.categories, counted.values, strict=True):
            network.add(("ky", part, key), ("C", part, key), ("Y", part), value)
    for c, col in enumerate(year_states.cols):
        network.add(
            ("year", "col", col),
            ("Y", col),
            ("Z",),
            year_states.values[c],
            state=year_states.col_states[c],
        )
    network.add(("year", "total"), ("Z",), ("S",), year_states.total, state=year_states.total_state)
    try:
        return network.protect()
    except ProtectionError:
        return None


# --- Display ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReasonTable:
    """One part's reveals by kind: a row per kind, a column per published period, and the
    reveals in that part per period (as in section 2) as the totals."""

    title: str
    columns: list[str]
    rows: list[tuple[str, list[Figure]]]
    totals: list[Figure]


_NOT_PUBLISHED = Figure("–", CellState.WITHHELD, None)


def _figure(value: int, state: str, *, detailed: bool) -> Figure:
    if detailed:
        return Figure(str(value), CellState.SHOWN, value)
    return Figure.of(value, CellState(state))


def report_tables(year: int, *, detailed: bool) -> list[ReasonTable]:
    """The tables of section 3: per part, the kinds per published quarter, then the year.

    The works council's version prints the protected figures; the privacy officer's
    (``detailed``) the same figures as counted. Only published periods have a column.
    """
    publications = sorted(
        Publication.objects.filter(key=KEY, year=year), key=lambda p: p.quarter or 5
    )
    periods = [
        (Quarter(year, p.quarter).label if p.quarter else str(year), p.payload)
        for p in publications
    ]
    parts = list(dict.fromkeys(e["part"] for _l, payload in periods for e in payload["parts"]))
    tables = []
    for part in parts:
        entries = [
            next((e for e in payload["parts"] if e["part"] == part), None)
            for _l, payload in periods
        ]
        labels = {key: label for e in entries if e for key, label in e["categories"]}
        rows = []
        for key, label in labels.items():
            figures = []
            for entry in entries:
                keys = [k for k, _l in entry["categories"]] if entry else []
                if entry is None or key not in keys or (entry["withheld"] and not detailed):
                    figures.append(_NOT_PUBLISHED)
                    continue
                i = keys.index(key)
                figures.append(_figure(entry["values"][i], entry["states"][i], detailed=detailed))
            rows.append((label, figures))
        totals = [
            _figure(e["total"], e["total_state"], detailed=detailed) if e else _NOT_PUBLISHED
            for e in entries
        ]
        tables.append(
            ReasonTable(
                title=_("Identity reveals in %(part)s, by kind of reason")
                % {"part": part_label(part)},
                columns=[label for label, _p in periods],
                rows=rows,
                totals=totals,
            )
        )
    return tables

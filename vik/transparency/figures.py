"""Aggregate figures: from a provider's raw counts to a protected table, and back for display.

Rows are the top-level units (plus, for measures that have one, a row for counts not tied
to a unit); columns are the measure's categories. The row and column sets never depend on
the counts — a unit that appears only when it has something to count would itself give a
figure away.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from vik.models import Unit, UnitAncestry
from vik.transparency.registry import Count, Measure
from vik.transparency.suppression import (
    CellState,
    ProtectedTable,
    ProtectedTotals,
    Table,
    display,
)

UNATTRIBUTED = "none"


def unit_rows() -> list[tuple[str, str]]:
    """The rows of every table: the top-level units, regional first, as (key, name).

    Inactive units too: their past counts must still have a row, and a row set that follows
    the data would itself be a figure.
    """
    kinds = {Unit.Kind.REGIONAL: 0, Unit.Kind.NATIONAL: 1, Unit.Kind.SUPPORT: 2}
    units = Unit.objects.filter(parent__isnull=True).only("id", "name", "kind")
    ordered = sorted(units, key=lambda u: (kinds.get(Unit.Kind(u.kind), 3), u.name))
    return [(f"u{unit.pk}", unit.name) for unit in ordered]


def root_units() -> dict[int, int]:
    """Every unit's top-level unit, from the closure table (one query)."""
    return dict(
        UnitAncestry.objects.filter(ancestor__parent__isnull=True).values_list(
            "descendant_id", "ancestor_id"
        )
    )


def table_from_counts(
    measure: Measure, counts: Iterable[Count], rows: Sequence[tuple[str, str]]
) -> Table:
    """The measure's raw table: fixed rows and columns, counts placed and added up."""
    row_keys = [key for key, _label in rows]
    if measure.unattributed is not None:
        row_keys.append(UNATTRIBUTED)
    cols = [category.key for category in measure.category_list()]
    known_cols, known_rows = set(cols), set(row_keys)
    roots = root_units()
    placed: dict[tuple[str, str], int] = {}
    for count in counts:
        if count.category not in known_cols:
            raise ValueError(f"{measure.key}: unknown category {count.category!r}")
        if count.unit_id is None:
            if measure.unattributed is None:
                raise ValueError(f"{measure.key}: a count without a unit")
            row = UNATTRIBUTED
        else:
            row = f"u{roots.get(count.unit_id, count.unit_id)}"
            if row not in known_rows:
                raise ValueError(f"{measure.key}: unit {count.unit_id} is not a top-level unit")
        placed[(row, count.category)] = placed.get((row, count.category), 0) + count.value
    return Table.from_counts(row_keys, cols, placed)


# --- Payloads (what a Publication stores) -------------------------------------------------


def table_payload(protected: ProtectedTable, row_labels: dict[str, str]) -> dict[str, Any]:
    table = protected.table
    return {
        "rows": [[key, row_labels.get(key, "")] for key in table.rows],
        "cols": list(table.cols),
        "cells": [list(row) for row in table.cells],
        "cell_states": [[str(s) for s in row] for row in protected.cell_states],
        "row_states": [str(s) for s in protected.row_states],
        "col_states": [str(s) for s in protected.col_states],
        "total_state": str(protected.total_state),
    }


def protected_table(payload: dict[str, Any]) -> ProtectedTable:
    table = Table(
        tuple(key for key, _label in payload["rows"]),
        tuple(payload["cols"]),
        tuple(tuple(row) for row in payload["cells"]),
    )
    return ProtectedTable(
        table,
        tuple(tuple(CellState(s) for s in row) for row in payload["cell_states"]),
        tuple(CellState(s) for s in payload["row_states"]),
        tuple(CellState(s) for s in payload["col_states"]),
        CellState(payload["total_state"]),
    )


def totals_payload(totals: ProtectedTotals) -> dict[str, Any]:
    return {
        "cols": list(totals.cols),
        "values": list(totals.values),
        "col_states": [str(s) for s in totals.col_states],
        "total": totals.total,
        "total_state": str(totals.total_state),
    }


def protected_totals(payload: dict[str, Any]) -> ProtectedTotals:
    return ProtectedTotals(
        tuple(payload["cols"]),
        tuple(payload["values"]),
        tuple(CellState(s) for s in payload["col_states"]),
        payload["total"],
        CellState(payload["total_state"]),
    )


# --- Display --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A figure as printed. ``value`` is ``None`` unless it is shown: templates and charts
    cannot leak what they are never given."""

    text: str
    state: CellState
    value: int | None

    @classmethod
    def of(cls, value: int, state: CellState) -> Figure:
        return cls(display(value, state), state, value if state is CellState.SHOWN else None)

    @property
    def suppressed(self) -> bool:
        return self.state is not CellState.SHOWN


@dataclass(frozen=True)
class DisplayRow:
    key: str
    label: str
    figures: tuple[Figure, ...]
    total: Figure


@dataclass(frozen=True)
class DisplayTable:
    """A protected table ready to print: labels and printed figures only."""

    columns: tuple[tuple[str, str], ...]
    rows: tuple[DisplayRow, ...]
    totals: tuple[Figure, ...]
    total: Figure
    withheld: bool


def category_labels(measure: Measure) -> dict[str, str]:
    return {category.key: str(category.label) for category in measure.category_list()}


def display_table(measure: Measure, payload: dict[str, Any]) -> DisplayTable:
    protected = protected_table(payload)
    table = protected.table
    labels = category_labels(measure)
    row_labels: dict[str, str] = dict(payload["rows"])
    if measure.unattributed is not None:
        row_labels[UNATTRIBUTED] = str(measure.unattributed)
    rows = tuple(
        DisplayRow(
            key,
            row_labels.get(key) or key,
            tuple(
                Figure.of(v, s)
                for v, s in zip(table.cells[r], protected.cell_states[r], strict=True)
            ),
            Figure.of(table.row_totals[r], protected.row_states[r]),
        )
        for r, key in enumerate(table.rows)
    )
    return DisplayTable(
        columns=tuple((col, labels.get(col, col) or _("(none)")) for col in table.cols),
        rows=rows,
        totals=tuple(
            Figure.of(v, s) for v, s in zip(table.col_totals, protected.col_states, strict=True)
        ),
        total=Figure.of(table.total, protected.total_state),
        withheld=protected.withheld,
    )


def display_totals(payload: dict[str, Any]) -> tuple[tuple[Figure, ...], Figure]:
    totals = protected_totals(payload)
    return (
        tuple(Figure.of(v, s) for v, s in zip(totals.values, totals.col_states, strict=True)),
        Figure.of(totals.total, totals.total_state),
    )

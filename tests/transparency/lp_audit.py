"""An independent auditor of small-cell suppression: linear programming over what is printed.

Nothing here uses :mod:`vik.transparency.suppression`'s network model or its LP: a
:class:`PrintedSet` is built from the printed texts (a number, "×" or "–", as in the CSV
export, the pages and the report) and the relations any reader knows ("these add up to that").
The hidden figures are the unknowns, each a number ≥ 0 and nothing more; the printed ones are
constants. For every hidden figure whose true value is 1 to 4, :meth:`PrintedSet.violations`
asks :func:`scipy.optimize.linprog` for its least and greatest value over the whole printed
set and reports it unless the interval reaches 0 and the value plus 5 (the τ-ARGUS rule that
the works council's pages promise).

To keep the programs small, they are solved per connected component (the relations linked by
shared hidden figures): a relation without a hidden figure constrains nothing, and hidden
figures in different components cannot constrain each other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

from vik.transparency.suppression import ProtectedTable, display

THRESHOLD = 5
HIDDEN_MARKS = frozenset({"×", "–"})


@dataclass(frozen=True)
class Violation:
    """A hidden figure whose interval is too narrow."""

    key: Hashable
    true: int
    low: float
    high: float | None  # None: no upper bound


@dataclass
class PrintedSet:
    """Printed figures by name, their true values, and the relations among them."""

    printed: dict[Hashable, str] = field(default_factory=dict)
    true: dict[Hashable, int | None] = field(default_factory=dict)
    relations: list[tuple[Hashable, tuple[Hashable, ...]]] = field(default_factory=list)

    def figure(self, key: Hashable, printed: str, true: int | None) -> None:
        """A figure as printed. The same figure printed twice must read the same."""
        if printed not in HIDDEN_MARKS and not printed.isdigit():
            raise ValueError(f"{key!r} is printed as {printed!r}: a number, '×' or '–' only")
        if printed.isdigit() and true is not None and int(printed) != true:
            raise ValueError(f"{key!r} is printed as {printed} but is {true}")
        if key in self.printed and self.printed[key] != printed:
            raise ValueError(f"{key!r} is printed as {self.printed[key]!r} and {printed!r}")
        self.printed[key] = printed
        if true is not None:
            self.true[key] = true
        else:
            self.true.setdefault(key, None)

    def relation(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        """``total`` is the sum of ``parts`` (every name must be a printed figure)."""
        parts = tuple(parts)
        for key in (total, *parts):
            if key not in self.printed:
                raise KeyError(key)
        self.relations.append((total, parts))

    def hidden(self, key: Hashable) -> bool:
        return self.printed[key] in HIDDEN_MARKS

    def sensitive(self) -> list[Hashable]:
        """The hidden figures whose true value is 1 to 4."""
        return [
            key
            for key, true in self.true.items()
            if self.hidden(key) and true is not None and 0 < true < THRESHOLD
        ]

    def check_printed(self) -> list[Hashable]:
        """Printed figures from 1 to 4 (there should be none)."""
        return [
            key
            for key, text in self.printed.items()
            if text.isdigit() and 0 < int(text) < THRESHOLD
        ]

    def violations(self) -> list[Violation]:
        """Every sensitive hidden figure whose interval misses 0 or its value plus 5."""
        found = []
        for key, (low, high) in self.intervals().items():
            true = self.true[key]
            assert true is not None
            if low > 1e-6 or (high is not None and high < true + THRESHOLD - 1e-6):
                found.append(Violation(key, true, low, high))
        return found

    def intervals(self) -> dict[Hashable, tuple[float, float | None]]:
        """Least and greatest value of every sensitive hidden figure (two LPs each)."""
        result: dict[Hashable, tuple[float, float | None]] = {}
        wanted = set(self.sensitive())
        for variables, rows in self._components():
            index = {key: i for i, key in enumerate(variables)}
            matrix = np.zeros((len(rows), len(variables)))
            rhs = np.zeros(len(rows))
            for r, (total, parts) in enumerate(rows):
                for key, sign in ((total, 1.0), *((part, -1.0) for part in parts)):
                    if self.hidden(key):
                        matrix[r, index[key]] += sign
                    else:
                        rhs[r] -= sign * int(self.printed[key])
            for key in variables:
                if key not in wanted:
                    continue
                objective = np.zeros(len(variables))
                objective[index[key]] = 1.0
                lowest = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=(0, None))
                highest = linprog(-objective, A_eq=matrix, b_eq=rhs, bounds=(0, None))
                if lowest.status != 0 or highest.status not in (0, 3):
                    raise AssertionError(f"the printed figures contradict each other at {key!r}")
                result[key] = (
                    float(lowest.x[index[key]]),
                    None if highest.status == 3 else float(highest.x[index[key]]),
                )
        # A hidden figure in no relation at all can be anything ≥ 0.
        for key in wanted - set(result):
            result[key] = (0.0, None)
        return result

    def _components(
        self,
    ) -> list[tuple[list[Hashable], list[tuple[Hashable, tuple[Hashable, ...]]]]]:
        parent: dict[Hashable, Hashable] = {}

        def find(key: Hashable) -> Hashable:
            parent.setdefault(key, key)
            while parent[key] != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        linked = []
        for total, parts in self.relations:
            unknowns = [key for key in (total, *parts) if self.hidden(key)]
            if not unknowns:
                continue
            linked.append((unknowns, (total, parts)))
            for other in unknowns[1:]:
                parent[find(other)] = find(unknowns[0])
        variables: dict[Hashable, list[Hashable]] = defaultdict(list)
        rows: dict[Hashable, list[tuple[Hashable, tuple[Hashable, ...]]]] = defaultdict(list)
        for unknowns, relation in linked:
            rows[find(unknowns[0])].append(relation)
        for unknowns, _relation in linked:
            for key in unknowns:
                root = find(key)
                if key not in variables[root]:
                    variables[root].append(key)
        return [(variables[root], rows[root]) for root in rows]


# --- Building the set from printed tables ---------------------------------------------------


def add_csv(
    printed_set: PrintedSet,
    measure: str,
    printed_rows: list[list[str]],
    true_rows: list[list[str]],
    *,
    all_units: str,
    total: str,
) -> None:
    """One measure's CSV export (period, unit, category, figure; the header dropped), with
    the same export printed unprotected for the true values. Adds every figure and the
    relations a reader sees: per quarter, each unit's cells add up to its total and each
    category's units to the category's total, and the totals to the grand total; per year,
    each category's quarters to the year."""
    if [row[:3] for row in printed_rows] != [row[:3] for row in true_rows]:
        raise ValueError("the two exports do not have the same figures")
    units: dict[str, list[str]] = defaultdict(list)
    categories: dict[str, list[str]] = defaultdict(list)
    for (period, unit, category, text), true_row in zip(printed_rows, true_rows, strict=True):
        true_text = true_row[3]
        printed_set.figure(
            (measure, period, unit, category),
            text,
            int(true_text) if true_text.isdigit() else None,
        )
        if unit not in units[period]:
            units[period].append(unit)
        if category not in categories[period]:
            categories[period].append(category)
    for period in units:
        cats = [c for c in categories[period] if c != total]
        if "-Q" in period:
            for unit in units[period]:
                printed_set.relation(
                    (measure, period, unit, total), ((measure, period, unit, c) for c in cats)
                )
            for category in (*cats, total):
                printed_set.relation(
                    (measure, period, all_units, category),
                    ((measure, period, u, category) for u in units[period] if u != all_units),
                )
        else:
            quarters = [f"{period}-Q{n}" for n in (1, 2, 3, 4)]
            if not all(q in units for q in quarters):
                continue
            for category in (*cats, total):
                if (measure, period, all_units, category) in printed_set.printed:
                    printed_set.relation(
                        (measure, period, all_units, category),
                        ((measure, q, all_units, category) for q in quarters),
                    )
            printed_set.relation(
                (measure, period, all_units, total),
                ((measure, period, all_units, c) for c in cats),
            )


def add_table(
    printed_set: PrintedSet,
    prefix: Hashable,
    printed: list[list[str]],
    true: list[list[int]],
) -> None:
    """A table as printed with its last column the row totals and its last row the column
    totals (and the grand total in the corner)."""
    rows, cols = len(printed) - 1, len(printed[0]) - 1
    for r in range(rows + 1):
        for c in range(cols + 1):
            printed_set.figure((prefix, r, c), printed[r][c], true[r][c])
    for r in range(rows + 1):
        printed_set.relation((prefix, r, cols), ((prefix, r, c) for c in range(cols)))
    for c in range(cols + 1):
        printed_set.relation((prefix, rows, c), ((prefix, r, c) for r in range(rows)))


def printed_table(protected: ProtectedTable) -> tuple[list[list[str]], list[list[int]]]:
    """A protected table as printed, with row totals last and column totals below."""
    t = protected.table
    printed = [
        [display(v, s) for v, s in zip(row, states, strict=True)] + [display(rt, rs)]
        for row, states, rt, rs in zip(
            t.cells, protected.cell_states, t.row_totals, protected.row_states, strict=True
        )
    ]
    printed.append(
        [display(v, s) for v, s in zip(t.col_totals, protected.col_states, strict=True)]
        + [display(t.total, protected.total_state)]
    )
    true = [[*row, total] for row, total in zip(t.cells, t.row_totals, strict=True)]
    true.append([*t.col_totals, t.total])
    return printed, true

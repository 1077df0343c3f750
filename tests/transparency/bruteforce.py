"""An independent check of small-cell suppression: search every consistent table.

Nothing here uses the network model or the linear programs of
:mod:`vik.transparency.suppression`: a reader of a publication knows the printed figures,
that rows, columns and totals add up, and that a hidden figure ("×" or "–") is a whole
number ≥ 0 — nothing more, since "×" is printed alike for a small figure and for one hidden
to protect it. :func:`consistent_values` searches (depth-first, pruned on the sums) for a
table that fits all that and gives one figure a chosen value. The protection rule holds for a
figure from 1 to 4 when both 0 and its value plus 5 fit (the interval between them then fits
too, the relations being those of a network).

Publications are one or more *parts* (tables with every total) plus, optionally, totals
across the parts per column and overall (a year over its quarters).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vik.transparency.suppression import (
    THRESHOLD,
    CellState,
    ProtectedTable,
    ProtectedTotals,
    Table,
)

# The search gives up (the test fails) rather than run for ever on a table too large for it.
BUDGET = 3_000_000


class BudgetExceededError(Exception):
    """The table is too large for brute force."""


def allowed(value: int, state: CellState, cap: int) -> range:
    """What a reader knows a printed figure can be."""
    if state is CellState.SHOWN:
        return range(value, value + 1)
    return range(cap + 1)


@dataclass(frozen=True)
class Publication:
    parts: Sequence[ProtectedTable]
    across: ProtectedTotals | None = None

    @property
    def cap(self) -> int:
        # Larger values than this need not be tried: the rule asks for at most 5 more than
        # the true value; restricting the search can only make the check stricter.
        return sum(part.table.total for part in self.parts) + THRESHOLD

    def small_figures(self) -> list[tuple[tuple, int]]:
        """Every hidden figure as (key, true value); keys as used by ``fix``."""
        found = []
        for p, part in enumerate(self.parts):
            table = part.table
            for r in range(len(table.rows)):
                for c in range(len(table.cols)):
                    if part.cell_states[r][c] is not CellState.SHOWN:
                        found.append(((p, "cell", r, c), table.cells[r][c]))
                if part.row_states[r] is not CellState.SHOWN:
                    found.append(((p, "row", r), table.row_totals[r]))
            for c in range(len(table.cols)):
                if part.col_states[c] is not CellState.SHOWN:
                    found.append(((p, "col", c), table.col_totals[c]))
            if part.total_state is not CellState.SHOWN:
                found.append(((p, "total"), table.total))
        if self.across is not None:
            for c, state in enumerate(self.across.col_states):
                if state is not CellState.SHOWN:
                    found.append((("across", "col", c), self.across.values[c]))
            if self.across.total_state is not CellState.SHOWN:
                found.append((("across", "total"), self.across.total))
        return found


def consistent_values(publication: Publication, key: tuple, candidates: Sequence[int]) -> set[int]:
    """Which of ``candidates`` the figure ``key`` can take in some consistent table."""
    return {v for v in candidates if _exists(publication, key, v)}


def _exists(publication: Publication, key: tuple, value: int) -> bool:
    cap = publication.cap
    parts = publication.parts
    fixed = {key: value}
    visited = [0]

    def bounds(k: tuple, true: int, state: CellState) -> range:
        if k in fixed:
            return (
                range(fixed[k], fixed[k] + 1) if fixed[k] in allowed(true, state, cap) else range(0)
            )
        return allowed(true, state, cap)

    ncols = len(parts[0].table.cols)
    across_cols = [0] * ncols
    part_totals: list[int] = []

    def col_range(c: int) -> range:
        if publication.across is None:
            return range(cap * len(parts) + 1)
        return bounds(
            ("across", "col", c), publication.across.values[c], publication.across.col_states[c]
        )

    def solve_part(p: int) -> bool:
        if p == len(parts):
            if publication.across is None:
                return True
            if any(across_cols[c] not in col_range(c) for c in range(ncols)):
                return False
            total = bounds(
                ("across", "total"), publication.across.total, publication.across.total_state
            )
            return sum(part_totals) in total
        part = parts[p]
        table: Table = part.table
        rows, cols = len(table.rows), len(table.cols)
        cells = [
            [
                bounds((p, "cell", r, c), table.cells[r][c], part.cell_states[r][c])
                for c in range(cols)
            ]
            for r in range(rows)
        ]
        row_r = [
            bounds((p, "row", r), table.row_totals[r], part.row_states[r]) for r in range(rows)
        ]
        col_r = [
            bounds((p, "col", c), table.col_totals[c], part.col_states[c]) for c in range(cols)
        ]
        total_r = bounds((p, "total"), table.total, part.total_state)
        col_sums = [0] * cols

        def dfs(r: int, c: int, row_sum: int, grand: int) -> bool:
            if r == rows:
                if any(col_sums[j] not in col_r[j] for j in range(cols)) or grand not in total_r:
                    return False
                for j in range(cols):
                    across_cols[j] += col_sums[j]
                part_totals.append(grand)
                ok = solve_part(p + 1)
                part_totals.pop()
                for j in range(cols):
                    across_cols[j] -= col_sums[j]
                return ok
            if c == cols:
                if row_sum not in row_r[r]:
                    return False
                return dfs(r + 1, 0, 0, grand + row_sum)
            visited[0] += 1
            if visited[0] > BUDGET:
                raise BudgetExceededError
            candidates = cells[r][c]
            # A printed row (or column) total leaves its last figure no choice.
            if c == cols - 1 and len(row_r[r]) == 1:
                candidates = _only(candidates, row_r[r][0] - row_sum)
            if r == rows - 1 and len(col_r[c]) == 1:
                candidates = _only(candidates, col_r[c][0] - col_sums[c])
            for v in candidates:
                if (row_r[r] and row_sum + v > row_r[r][-1]) or (
                    col_r[c] and col_sums[c] + v > col_r[c][-1]
                ):
                    break
                col_sums[c] += v
                ok = dfs(r, c + 1, row_sum + v, grand)
                col_sums[c] -= v
                if ok:
                    return True
            return False

        if any(len(x) == 0 for x in [*row_r, *col_r, total_r]) or any(
            len(x) == 0 for row in cells for x in row
        ):
            return False
        return dfs(0, 0, 0, 0)

    return solve_part(0)


def _only(candidates: range, value: int) -> range:
    return range(value, value + 1) if value in candidates else range(0)


def unprotected(publication: Publication) -> list[tuple[tuple, int]]:
    """The hidden figures 1–4 whose consistent values do not reach both 0 and the value
    plus 5 (should be none). Zeros need no protection: they point at no one."""
    failures = []
    for key, true in publication.small_figures():
        if not 0 < true < THRESHOLD:
            continue
        if not (_exists(publication, key, 0) and _exists(publication, key, true + THRESHOLD)):
            failures.append((key, true))
    return failures

"""Small-cell suppression: no figure under 5, and none that can be worked out by subtraction.

The works council sees counts, never individuals. A count under the threshold (5) is printed
as "< 5" (*primary* suppression). That alone is not enough: with the row total printed, a
single "< 5" in a row is the total minus the others. So further cells are hidden, printed as
"×" (*complementary* suppression), until no primary cell can be recovered from what is
printed. This module chooses those cells, and proves the result.

The model
---------
Every published table here — a table with row totals, column totals and a grand total, and
the tables linked to it through shared totals (the four quarters and the year, see
:func:`protect_year`) — is a *network*: each figure is an arc between two nodes, and each
"these add up to that" is flow conservation at a node. For a table, the arcs are::

    source ──row total──► row ──cell──► column ──column total──► sink ──grand total──► source

What a reader knows about the suppressed figures is exactly: the printed ones; that
conservation holds at every node; that a "< 5" lies in 0..4; that a "×" is at least 5
(otherwise it would have said "< 5"); and that a figure withheld without a mark lies in
0..∞. The figures consistent with that form a polytope, and because the constraint matrix of
a network is totally unimodular, its extreme values are whole numbers.

The test
--------
Every figure under the threshold is printed "< 5", zero included; the figures 1–4 must not
be recoverable (a recovered 0 says that nobody was counted, which identifies no one — see
:class:`Network`). A primary cell is recovered exactly when it has a single consistent value. By the
conformal decomposition of circulations, any second consistent solution differs from the true
one by a sum of simple cycles each of which is feasible on its own with step 1. So a primary
cell has **at least two consistent values if and only if** a cycle of suppressed arcs runs
through it along which every arc can move by one in its direction without leaving its bounds
(a "< 5" holding 4 cannot go up, one holding 0 cannot go down, a "×" holding 5 cannot go
down). That is a path search in the *residual graph* — :meth:`Network.unprotected` — and it
is exact, not a heuristic. ``tests/transparency/test_suppression.py`` checks it against brute
force enumeration of every consistent table.

The choice
----------
:meth:`Network.protect` marks every figure under the threshold, then for each primary cell
that the test finds unprotected it suppresses the cheapest cycle through it (Dijkstra on the
residual graph; cost = the value hidden, so small cells are sacrificed before large totals).
Suppressing more arcs only adds residual arcs, so a cell once protected stays protected and
the loop ends. Figures already published elsewhere (*fixed* arcs) are never changed: a
later publication must be consistent with the earlier ones, or the two could be subtracted.
When no cycle exists, the caller withholds the whole publication instead.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

THRESHOLD = 5


class CellState(StrEnum):
    """How one figure is printed."""

    SHOWN = "shown"  # the number itself
    SMALL = "small"  # under the threshold: "< 5" (primary suppression)
    HIDDEN = "hidden"  # "×": hidden so that a small figure elsewhere cannot be worked out
    WITHHELD = "withheld"  # not published at all (a layer that could not be protected)


SUPPRESSED = frozenset({CellState.SMALL, CellState.HIDDEN, CellState.WITHHELD})


class ProtectionError(Exception):
    """No set of hidden cells protects every small figure; withhold the publication."""


@dataclass(frozen=True)
class Arc:
    """One figure of a publication, as an arc of the network."""

    key: Hashable
    tail: Hashable
    head: Hashable
    value: int
    fixed_state: CellState | None  # published before: the state may not change
    cost: int


def can_increase(state: CellState, value: int, threshold: int = THRESHOLD) -> bool:
    """Whether a reader must consider ``value + 1`` possible for a figure printed as ``state``."""
    if state is CellState.SMALL:
        return value < threshold - 1
    return state in (CellState.HIDDEN, CellState.WITHHELD)


def can_decrease(state: CellState, value: int, threshold: int = THRESHOLD) -> bool:
    """Whether a reader must consider ``value - 1`` possible for a figure printed as ``state``."""
    if state is CellState.SMALL or state is CellState.WITHHELD:
        return value > 0
    if state is CellState.HIDDEN:
        return value > threshold
    return False


@dataclass
class Network:
    """The figures of one or more linked tables; see the module docstring.

    Every figure under the threshold is printed as "< 5", zero included, so a reader cannot
    tell 0 from 4. But only the figures 1–4 must resist being worked out: a recovered 0
    says that nobody was counted, which identifies no one, and demanding a cycle through
    every zero would hide most of a sparse table for nothing. (``protect_zeros`` demands it.)
    """

    threshold: int = THRESHOLD
    protect_zeros: bool = False
    _arcs: dict[Hashable, Arc] = field(default_factory=dict)
    _incident: dict[Hashable, list[Arc]] = field(default_factory=lambda: defaultdict(list))

    def add(
        self,
        key: Hashable,
        tail: Hashable,
        head: Hashable,
        value: int,
        *,
        state: CellState | None = None,
        cost: int | None = None,
    ) -> None:
        """Add a figure: ``value`` flows from ``tail`` to ``head``.

        ``state`` fixes how it was printed before (the arc is then never changed); without
        it, :meth:`protect` decides.
        """
        if key in self._arcs:
            raise ValueError(f"duplicate figure {key!r}")
        if tail == head:
            raise ValueError(f"figure {key!r} is a loop")
        if value < 0:
            raise ValueError(f"figure {key!r} is negative")
        if state is CellState.SMALL and value >= self.threshold:
            raise ValueError(f"figure {key!r} is {value}, not under the threshold")
        if state in (CellState.SHOWN, CellState.HIDDEN) and value < self.threshold:
            raise ValueError(f"figure {key!r} is {value} and cannot have been {state}")
        arc = Arc(key, tail, head, value, state, value if cost is None else cost)
        self._arcs[key] = arc
        self._incident[tail].append(arc)
        self._incident[head].append(arc)

    @property
    def arcs(self) -> Sequence[Arc]:
        return list(self._arcs.values())

    def primary_states(self) -> dict[Hashable, CellState | None]:
        """The fixed states, with every other figure under the threshold marked small."""
        return {
            key: arc.fixed_state
            if arc.fixed_state is not None
            else (CellState.SMALL if arc.value < self.threshold else None)
            for key, arc in self._arcs.items()
        }

    def protect(self) -> dict[Hashable, CellState]:
        """Decide the state of every figure so that no small one can be worked out.

        Raises :class:`ProtectionError` when that is impossible with the fixed figures.
        """
        states = self.primary_states()
        for arc in self._arcs.values():
            if not self._sensitive(arc, states) or self._has_cycle(arc, states):
                continue
            path = self._cheapest_cycle(arc, states)
            if path is None:
                raise ProtectionError(arc.key)
            for step in path:
                if states[step.key] is None:
                    states[step.key] = CellState.HIDDEN
        decided = {key: state or CellState.SHOWN for key, state in states.items()}
        if failures := self.unprotected(decided):
            # Cannot happen by construction; refuse to publish rather than trust it.
            raise ProtectionError(failures[0])
        return decided

    def unprotected(self, states: dict[Hashable, CellState]) -> list[Hashable]:
        """The small figures (1–4) with a single consistent value under ``states`` (exact)."""
        for key, state in states.items():
            arc = self._arcs[key]
            if state is CellState.SHOWN and arc.value < self.threshold:
                raise ValueError(f"figure {key!r} is printed although it is {arc.value}")
        return [
            arc.key
            for arc in self._arcs.values()
            if self._sensitive(arc, states)
            and not self._has_cycle(arc, dict[Hashable, CellState | None](states))
        ]

    def _sensitive(self, arc: Arc, states: Mapping[Hashable, CellState | None]) -> bool:
        """A small figure that must have at least two consistent values."""
        return states[arc.key] is CellState.SMALL and (arc.value > 0 or self.protect_zeros)

    # --- Residual-graph searches --------------------------------------------------------

    def _moves(
        self, node: Hashable, states: dict[Hashable, CellState | None], skip: Arc, *, choose: bool
    ) -> Iterator[tuple[Hashable, Arc, int]]:
        """Residual steps out of ``node``: (next node, arc, cost of suppressing it).

        Going along an arc means that figure rises by one; going against it, that it falls.
        Suppressed arcs cost nothing; with ``choose``, undecided ones are candidates at
        their cost (as a future "×").
        """
        for arc in self._incident[node]:
            if arc is skip:
                continue
            state = states[arc.key]
            cost = 0
            if state is None:
                if not choose:
                    continue
                state, cost = CellState.HIDDEN, arc.cost
            elif state is CellState.SHOWN:
                continue
            if arc.tail == node and can_increase(state, arc.value, self.threshold):
                yield arc.head, arc, cost
            if arc.head == node and can_decrease(state, arc.value, self.threshold):
                yield arc.tail, arc, cost

    def _directions(self, arc: Arc, state: CellState) -> Iterator[tuple[Hashable, Hashable]]:
        """(start, goal) of the paths that close a cycle through ``arc``."""
        if can_increase(state, arc.value, self.threshold):
            yield arc.head, arc.tail  # the arc rises; the path must bring the flow back
        if can_decrease(state, arc.value, self.threshold):
            yield arc.tail, arc.head

    def _has_cycle(self, arc: Arc, states: dict[Hashable, CellState | None]) -> bool:
        state = states[arc.key]
        assert state is not None  # noqa: S101 - only called for decided arcs
        for start, goal in self._directions(arc, state):
            seen = {start}
            frontier = [start]
            while frontier:
                node = frontier.pop()
                if node == goal:
                    return True
                for nxt, _arc, _cost in self._moves(node, states, arc, choose=False):
                    if nxt not in seen:
                        seen.add(nxt)
                        frontier.append(nxt)
        return False

    def _cheapest_cycle(
        self, arc: Arc, states: dict[Hashable, CellState | None]
    ) -> list[Arc] | None:
        best: tuple[int, list[Arc]] | None = None
        state = states[arc.key]
        assert state is not None  # noqa: S101
        for start, goal in self._directions(arc, state):
            found = self._dijkstra(start, goal, states, arc)
            if found is not None and (best is None or found[0] < best[0]):
                best = found
        return None if best is None else best[1]

    def _dijkstra(
        self,
        start: Hashable,
        goal: Hashable,
        states: dict[Hashable, CellState | None],
        skip: Arc,
    ) -> tuple[int, list[Arc]] | None:
        tie = itertools.count()  # nodes need not be comparable
        queue: list[tuple[int, int, Hashable]] = [(0, next(tie), start)]
        best: dict[Hashable, int] = {start: 0}
        came_from: dict[Hashable, tuple[Hashable, Arc]] = {}
        while queue:
            cost, _n, node = heapq.heappop(queue)
            if node == goal:
                path: list[Arc] = []
                while node != start:
                    node, step = came_from[node]
                    path.append(step)
                return cost, path
            if cost > best.get(node, cost):
                continue
            for nxt, step, step_cost in self._moves(node, states, skip, choose=True):
                total = cost + step_cost
                if total < best.get(nxt, total + 1):
                    best[nxt] = total
                    came_from[nxt] = (node, step)
                    heapq.heappush(queue, (total, next(tie), nxt))
        return None


# --- Tables ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """Counts by row and column; the totals are derived, never given separately."""

    rows: tuple[str, ...]
    cols: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        if len(self.cells) != len(self.rows) or any(len(r) != len(self.cols) for r in self.cells):
            raise ValueError("the cells do not match the rows and columns")

    @classmethod
    def from_counts(
        cls, rows: Sequence[str], cols: Sequence[str], counts: dict[tuple[str, str], int]
    ) -> Table:
        return cls(
            tuple(rows),
            tuple(cols),
            tuple(tuple(counts.get((r, c), 0) for c in cols) for r in rows),
        )

    @property
    def row_totals(self) -> tuple[int, ...]:
        return tuple(sum(row) for row in self.cells)

    @property
    def col_totals(self) -> tuple[int, ...]:
        return tuple(sum(row[c] for row in self.cells) for c in range(len(self.cols)))

    @property
    def total(self) -> int:
        return sum(self.row_totals)


@dataclass(frozen=True)
class ProtectedTable:
    """A table with the state of every figure: cells, row totals, column totals, total."""

    table: Table
    cell_states: tuple[tuple[CellState, ...], ...]
    row_states: tuple[CellState, ...]
    col_states: tuple[CellState, ...]
    total_state: CellState

    @property
    def withheld(self) -> bool:
        return self.total_state is CellState.WITHHELD

    @classmethod
    def withheld_table(cls, table: Table) -> ProtectedTable:
        w = CellState.WITHHELD
        return cls(
            table,
            tuple((w,) * len(table.cols) for _ in table.rows),
            (w,) * len(table.rows),
            (w,) * len(table.cols),
            w,
        )


def add_table(
    network: Network,
    table: Table,
    prefix: Hashable,
    *,
    col_head: Callable[[str], Hashable],
    published: ProtectedTable | None = None,
) -> None:
    """Row totals, cells and column totals of ``table`` as arcs (the grand total is not).

    Arcs are keyed ``(prefix, "row", r)``, ``(prefix, "cell", r, c)`` and
    ``(prefix, "col", c)``; they flow from ``(prefix, "S")`` through ``(prefix, "U", r)`` and
    ``(prefix, "J", c)`` to ``col_head(c)``. With ``published``, their states are fixed.
    """

    for r, row in enumerate(table.rows):
        network.add(
            (prefix, "row", row),
            (prefix, "S"),
            (prefix, "U", row),
            table.row_totals[r],
            state=published.row_states[r] if published else None,
        )
        for c, col in enumerate(table.cols):
            network.add(
                (prefix, "cell", row, col),
                (prefix, "U", row),
                (prefix, "J", col),
                table.cells[r][c],
                state=published.cell_states[r][c] if published else None,
            )
    for c, col in enumerate(table.cols):
        network.add(
            (prefix, "col", col),
            (prefix, "J", col),
            col_head(col),
            table.col_totals[c],
            state=published.col_states[c] if published else None,
        )


def protect_table(table: Table, *, threshold: int = THRESHOLD) -> ProtectedTable:
    """Protect one table with its row totals, column totals and grand total.

    Withholds the whole table when it cannot be protected (no hint of any figure remains).
    """
    network = Network(threshold)
    add_table(network, table, "t", col_head=lambda _col: ("t", "X"))
    network.add(("t", "total"), ("t", "X"), ("t", "S"), table.total)
    try:
        states = network.protect()
    except ProtectionError:
        return ProtectedTable.withheld_table(table)
    return ProtectedTable(
        table,
        tuple(tuple(states[("t", "cell", r, c)] for c in table.cols) for r in table.rows),
        tuple(states[("t", "row", r)] for r in table.rows),
        tuple(states[("t", "col", c)] for c in table.cols),
        states[("t", "total")],
    )


@dataclass(frozen=True)
class ProtectedTotals:
    """Totals across several published tables (a year over its quarters): per column, and all."""

    cols: tuple[str, ...]
    values: tuple[int, ...]
    col_states: tuple[CellState, ...]
    total: int
    total_state: CellState

    @property
    def withheld(self) -> bool:
        return self.total_state is CellState.WITHHELD


def year_network(
    parts: Sequence[ProtectedTable],
    *,
    threshold: int = THRESHOLD,
    year_states: ProtectedTotals | None = None,
    col_head: Callable[[str], Hashable] | None = None,
) -> Network:
    """Published tables (fixed) plus their column totals and grand total across them.

    Each part's column totals flow into a shared node ``("Y", c)``; from there the year's
    column total ``("year", "col", c)`` flows to ``("Z",)`` (or ``col_head(c)``, to chain
    more tables on), and the year's total ``("year", "total")`` from ``("Z",)`` back to the
    source ``("S",)``, which feeds each part's own total. Conservation at ``("Y", c)`` is
    "the year is the sum of its quarters"; the quarter's own "columns add up to the total"
    follows from the others. With ``year_states``, the year's figures are fixed too.
    """
    if not parts:
        raise ValueError("nothing to add up")
    cols = parts[0].table.cols
    if any(part.table.cols != cols for part in parts):
        raise ValueError("the parts must have the same columns")
    network = Network(threshold)
    for index, part in enumerate(parts):
        prefix = ("part", index)
        add_table(network, part.table, prefix, col_head=lambda col: ("Y", col), published=part)
        network.add(
            (prefix, "total"), ("S",), (prefix, "S"), part.table.total, state=part.total_state
        )
    totals = [sum(part.table.col_totals[c] for part in parts) for c in range(len(cols))]
    for c, col in enumerate(cols):
        network.add(
            ("year", "col", col),
            ("Y", col),
            col_head(col) if col_head else ("Z",),
            totals[c],
            state=year_states.col_states[c] if year_states else None,
        )
    if col_head is None:
        network.add(
            ("year", "total"),
            ("Z",),
            ("S",),
            sum(totals),
            state=year_states.total_state if year_states else None,
        )
    return network


def protect_year(parts: Sequence[ProtectedTable], *, threshold: int = THRESHOLD) -> ProtectedTotals:
    """Column totals and the total across already published tables (a year's quarters).

    The parts keep their states. Year figures are hidden as needed, so that neither a small
    year figure nor a small figure of any part can be worked out from the sums; when that is
    impossible the year figures are withheld altogether and the parts stand as published.
    """
    cols = parts[0].table.cols
    totals = tuple(sum(part.table.col_totals[c] for part in parts) for c in range(len(cols)))
    try:
        states = year_network(parts, threshold=threshold).protect()
    except ProtectionError:
        w = CellState.WITHHELD
        return ProtectedTotals(cols, totals, (w,) * len(cols), sum(totals), w)
    return ProtectedTotals(
        cols,
        totals,
        tuple(states[("year", "col", col)] for col in cols),
        sum(totals),
        states[("year", "total")],
    )


def display(value: int, state: CellState) -> str:
    """The printed form of a figure: the number, "< 5", "×" or "–"."""
    if state is CellState.SHOWN:
        return str(value)
    if state is CellState.SMALL:
        return f"< {THRESHOLD}"
    if state is CellState.HIDDEN:
        return "×"
    return "–"


def states_of(values: Iterable[str]) -> tuple[CellState, ...]:
    return tuple(CellState(v) for v in values)

"""Small-cell suppression: no figure under 5, and none that published figures can pin down.

The works council sees counts, never individuals. A count from 1 to 4 is not printed; nor
are the further figures hidden so that such a count cannot be worked out from the others.
Both are printed the same way, "×" ("hidden: fewer than 5, or hidden so that another figure
cannot be worked out"), so a reader cannot tell which is which. A figure not published at all
(a table withheld) is "–". A zero is printed as 0: it points at no one.

The guarantee
-------------
Every published figure — every table, its row, column and grand totals, the quarters and
their year, and the tables linked to them through shared totals — is one system of linear
relations "these parts add up to that total". What a reader can know about a hidden figure is
exactly what that system allows: its *interval*, the minimum and the maximum over every
assignment of values ≥ 0 to the hidden figures that makes every printed relation hold (the
printed figures are constants; a "×" or "–" carries no bound but ≥ 0). For every figure ``v``
from 1 to 4 (the *sensitive* ones) the rule is the usual protection rule of Statistics
Netherlands' τ-ARGUS, with the threshold ``T`` (5) as protection level on both sides::

    maximum ≥ v + T        and        minimum ≤ max(0, v − T) = 0

so the interval always contains 0 and reaches at least 5 beyond the true value: a reader
cannot tell whether the figure is 0, 4 or 9. The intervals are computed by linear programming
(:func:`scipy.optimize.linprog`, HiGHS) — that is the audit, and nothing is published that
has not passed it.

Zeros are not sensitive, as τ-ARGUS treats empty cells: a recovered 0 says that nobody was
counted, which identifies no one. Demanding an interval for every zero would hide nearly
every figure of a sparse table. Zeros are the cheapest figures to hide as secondaries, though.

The model
---------
Each published table — and the tables linked to it (see :func:`protect_year`) — is a
*network*: each figure is an arc between two nodes, and each "these add up to that" is flow
conservation at a node. For a table, the arcs are::

    source ──row total──► row ──cell──► column ──column total──► sink ──grand total──► source

The matrix of a network is totally unimodular, so the extreme values of a figure are whole
numbers, and the intervals the LP finds are exact.

The choice and the audit
------------------------
:meth:`Network.protect` hides every figure from 1 to 4, then, for each of them and each side
(up by ``T``; down to 0), hides the cheapest cycles of figures along which that figure can move
so far while every figure on them stays ≥ 0 (Dijkstra on the residual graph, repeated when one
cycle cannot carry the whole amount; a figure not yet hidden costs its value plus one, so zeros
and small figures are hidden before large totals). That choice is a heuristic. The linear
program then audits every sensitive figure, both sides; for each side that fails, the search
runs again and hides more, and the audit repeats. A side that fails has no cycles of hidden
figures that carry it (they would be a solution the LP had missed), so each round hides at
least one more figure and the loop ends; it is bounded besides, and stops with
:class:`ProtectionError` if a round hides nothing.

Choosing one small figure at a time leaves some hidden figures redundant. Once the audit
passes, they are printed again, largest first, wherever cycles of the remaining hidden
figures still witness every linked interval (a witness is a solution, so it proves the side);
the result goes through the LP audit again, and the audited states before the release stand
if it should fail.

The LP runs per *component* — the relations that contain a hidden figure, connected through
shared hidden figures — since figures in different components cannot constrain each other.
Per component and side, one LP pushes all its sensitive figures towards their targets at once
(each capped at its target); every figure that reaches it is settled by that solution, and
only the rest get an LP of their own.

Figures already published elsewhere (*fixed* arcs) are never changed: a later publication
must be consistent with the earlier ones, or the two could be subtracted. Their sensitive
figures must stay protected by the new one too. When no choice protects every sensitive
figure, :class:`ProtectionError` is raised and the caller withholds the whole publication.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

# SciPy is imported where a publication is proven, not here: this module is imported by
# every process that asks the retention policy (the importers, the web workers), and SciPy's
# optimiser takes half a second to import — a nightly import of one day paid it every time.

THRESHOLD = 5
# LP solutions are floating point; the true extremes are whole numbers (see above).
_TOLERANCE = 1e-6
_DENSE_UP_TO = 250_000  # matrix entries


class CellState(StrEnum):
    """How one figure is printed. ``SMALL`` and ``HIDDEN`` print alike ("×")."""

    SHOWN = "shown"  # the number itself
    SMALL = "small"  # 1–4, hidden (primary suppression): "×"
    HIDDEN = "hidden"  # hidden so that another figure cannot be worked out: "×"
    WITHHELD = "withheld"  # not published at all (a layer that could not be protected): "–"


SUPPRESSED = frozenset({CellState.SMALL, CellState.HIDDEN, CellState.WITHHELD})


class ProtectionError(Exception):
    """No set of hidden cells protects every small figure; withhold the publication."""


def is_sensitive(value: int, threshold: int = THRESHOLD) -> bool:
    """A figure that may not be printed and must keep a wide interval: 1 to ``threshold - 1``."""
    return 0 < value < threshold


@dataclass(frozen=True)
class Arc:
    """One figure of a publication, as an arc of the network."""

    key: Hashable
    tail: Hashable
    head: Hashable
    value: int
    fixed_state: CellState | None  # published before: the state may not change
    cost: int


@dataclass(frozen=True)
class Interval:
    """What the published figures allow for one hidden figure (``None``: no upper bound)."""

    low: float
    high: float | None


def required_interval(value: int, threshold: int = THRESHOLD) -> tuple[int, int]:
    """The protection rule: the interval must reach down to this and up to that."""
    return max(0, value - threshold), value + threshold


@dataclass
class Network:
    """The figures of one or more linked tables; see the module docstring."""

    threshold: int = THRESHOLD
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
        if state is CellState.SHOWN and is_sensitive(value, self.threshold):
            raise ValueError(f"figure {key!r} is {value} and cannot have been shown")
        arc = Arc(key, tail, head, value, state, value if cost is None else cost)
        self._arcs[key] = arc
        self._incident[tail].append(arc)
        self._incident[head].append(arc)

    @property
    def arcs(self) -> Sequence[Arc]:
        return list(self._arcs.values())

    def primary_states(self) -> dict[Hashable, CellState | None]:
        """The fixed states, with every other figure from 1 to 4 marked small."""
        return {
            key: arc.fixed_state
            if arc.fixed_state is not None
            else (CellState.SMALL if is_sensitive(arc.value, self.threshold) else None)
            for key, arc in self._arcs.items()
        }

    def protect(self, *, max_rounds: int | None = None) -> dict[Hashable, CellState]:
        """Decide the state of every figure so that every sensitive one keeps its interval.

        Raises :class:`ProtectionError` when that is impossible with the fixed figures.
        """
        states = self.primary_states()
        sensitive = [arc for arc in self._arcs.values() if self._sensitive(arc, states)]
        for arc in sensitive:
            for rising in (True, False):
                self._hide_cheapest_cycle(arc, rising=rising, states=states)
        # Every round hides at least one more figure, so this bound is never the reason to stop
        # unless something is wrong; it is there so that nothing can loop forever.
        rounds = max_rounds if max_rounds is not None else len(self._arcs) + 1
        for _round in range(rounds):
            failures = self._audit(states)
            if not failures:
                return self._release_unneeded(states)
            hidden_before = self._hidden_count(states)
            for arc, rising in failures:
                self._hide_cheapest_cycle(arc, rising=rising, states=states)
            if self._hidden_count(states) == hidden_before:
                # Cannot happen (see the module docstring); refuse rather than loop.
                raise ProtectionError(failures[0][0].key)
        raise ProtectionError("no protection found within the bound on rounds")

    def intervals(self, states: dict[Hashable, CellState]) -> dict[Hashable, Interval]:
        """The exact interval of every sensitive figure under ``states`` (two LPs each).

        For tests and reports; :meth:`protect` only asks whether the rule holds.
        """
        result: dict[Hashable, Interval] = {}
        for component in self._components(dict[Hashable, CellState | None](states)):
            for index, arc in enumerate(component.variables):
                if not self._sensitive(arc, states):
                    continue
                low = component.extreme(index, maximise=False, cap=None)
                high = component.extreme(index, maximise=True, cap=None)
                assert low is not None  # noqa: S101 - minimising x ≥ 0 is bounded
                result[arc.key] = Interval(low, high)
        return result

    def unprotected(self, states: dict[Hashable, CellState]) -> list[Hashable]:
        """The sensitive figures whose interval breaks the protection rule under ``states``."""
        for key, state in states.items():
            arc = self._arcs[key]
            if state is CellState.SHOWN and is_sensitive(arc.value, self.threshold):
                raise ValueError(f"figure {key!r} is printed although it is {arc.value}")
        failures = self._audit(dict[Hashable, CellState | None](states))
        return list(dict.fromkeys(arc.key for arc, _rising in failures))

    def _sensitive(self, arc: Arc, states: Mapping[Hashable, CellState | None]) -> bool:
        """A figure from 1 to 4 that is not printed (primary, or withheld with its table)."""
        return states[arc.key] in SUPPRESSED and is_sensitive(arc.value, self.threshold)

    @staticmethod
    def _hidden_count(states: dict[Hashable, CellState | None]) -> int:
        return sum(1 for state in states.values() if state in SUPPRESSED)

    # --- The audit: linear programming per component ---------------------------------

    def _components(self, states: dict[Hashable, CellState | None]) -> list[_Component]:
        """The hidden figures grouped by the relations (nodes) that connect them."""
        parent: dict[Hashable, Hashable] = {}

        def find(node: Hashable) -> Hashable:
            parent.setdefault(node, node)
            while parent[node] != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        hidden = [arc for arc in self._arcs.values() if states[arc.key] in SUPPRESSED]
        for arc in hidden:
            parent[find(arc.tail)] = find(arc.head)
        groups: dict[Hashable, list[Arc]] = defaultdict(list)
        for arc in hidden:
            groups[find(arc.tail)].append(arc)
        return [self._component(arcs, states) for arcs in groups.values()]

    def _component(
        self, variables: list[Arc], states: dict[Hashable, CellState | None]
    ) -> _Component:
        nodes = list(dict.fromkeys(node for arc in variables for node in (arc.tail, arc.head)))
        row_of = {node: i for i, node in enumerate(nodes)}
        rows, cols, data = [], [], []
        for j, arc in enumerate(variables):
            rows += [row_of[arc.head], row_of[arc.tail]]
            cols += [j, j]
            data += [1.0, -1.0]
        # Printed figures are constants: what flows in minus what flows out must be made up
        # by the hidden ones.
        rhs = np.zeros(len(nodes))
        for node, i in row_of.items():
            for arc in self._incident[node]:
                if states[arc.key] in SUPPRESSED:
                    continue
                rhs[i] += arc.value if arc.tail == node else -arc.value
        from scipy.sparse import coo_array

        matrix: object = coo_array((data, (rows, cols)), shape=(len(nodes), len(variables)))
        # Most components are a table's few hidden figures: a dense matrix is checked and
        # handed to HiGHS faster than a sparse one; large ones stay sparse.
        dense = len(nodes) * len(variables) <= _DENSE_UP_TO
        matrix = matrix.toarray() if dense else matrix.tocsr()  # type: ignore[attr-defined]
        return _Component(variables, matrix, rhs)

    def _audit(self, states: dict[Hashable, CellState | None]) -> list[tuple[Arc, bool]]:
        """The (sensitive figure, side) pairs that break the rule; side ``True`` is "up"."""
        failures: list[tuple[Arc, bool]] = []
        for component in self._components(states):
            targets = {
                index: required_interval(arc.value, self.threshold)
                for index, arc in enumerate(component.variables)
                if self._sensitive(arc, states)
            }
            if not targets:
                continue
            for rising in (True, False):
                failures += [
                    (component.variables[index], rising)
                    for index in component.failing(targets, rising=rising)
                ]
        return failures

    def _release_unneeded(
        self, states: dict[Hashable, CellState | None]
    ) -> dict[Hashable, CellState]:
        """Print again the secondaries that the others make unnecessary; the final states.

        The cycles are chosen one small figure at a time, so some hidden figures end up
        redundant. Largest first (the most informative to print), each is shown again when
        every sensitive figure linked to it still has cycles of hidden figures that carry it
        both ways (a witness, cheap to find); otherwise it stays hidden. The result is then
        audited by the LP once more, and if that failed (it cannot: every witness is a
        solution), the states before the release stand — they passed the audit already.
        """
        audited = dict(states)
        secondaries = [
            arc
            for arc in self._arcs.values()
            if arc.fixed_state is None and states[arc.key] is CellState.HIDDEN
        ]
        # The last witness found per (sensitive figure, side): still a witness as long as
        # none of its figures is shown again, so only those that use a released one are
        # looked for anew.
        witnesses: dict[tuple[Hashable, bool], frozenset[Hashable]] = {}
        for arc in sorted(secondaries, key=lambda a: -a.value):  # stable: ties keep order
            states[arc.key] = None
            if not self._witnessed_around(arc, states, witnesses):
                states[arc.key] = CellState.HIDDEN
        if states != audited and self._audit(states):
            states = audited
        return {key: state or CellState.SHOWN for key, state in states.items()}

    def _witnessed_around(
        self,
        arc: Arc,
        states: dict[Hashable, CellState | None],
        witnesses: dict[tuple[Hashable, bool], frozenset[Hashable]],
    ) -> bool:
        """Whether every sensitive figure linked to ``arc``'s relations through hidden
        figures (only their intervals can have changed) still has its witness both ways."""
        seen_nodes = {arc.tail, arc.head}
        frontier = [arc.tail, arc.head]
        linked: set[Hashable] = set()
        while frontier:
            node = frontier.pop()
            for other in self._incident[node]:
                if states[other.key] not in SUPPRESSED or other.key in linked:
                    continue
                linked.add(other.key)
                if self._sensitive(other, states):
                    for rising in (True, False):
                        known = witnesses.get((other.key, rising))
                        if known is not None and arc.key not in known:
                            continue
                        found = self._cycles(other, rising=rising, states=states, choose=False)
                        if found is None:
                            return False
                        witnesses[(other.key, rising)] = frozenset(step.key for step in found)
                for nxt in (other.tail, other.head):
                    if nxt not in seen_nodes:
                        seen_nodes.add(nxt)
                        frontier.append(nxt)
        return True

    # --- The choice: cheapest cycles in the residual graph ------------------------------

    def _hide_cheapest_cycle(
        self, arc: Arc, *, rising: bool, states: dict[Hashable, CellState | None]
    ) -> None:
        """Hide the figures of the cheapest cycles that let ``arc`` move far enough."""
        path = self._cycles(arc, rising=rising, states=states, choose=True)
        if path is None:
            raise ProtectionError(arc.key)
        for step in path:
            if states[step.key] is None:
                states[step.key] = CellState.HIDDEN

    def _cycles(
        self,
        arc: Arc,
        *,
        rising: bool,
        states: Mapping[Hashable, CellState | None],
        choose: bool,
    ) -> list[Arc] | None:
        """The figures on cycles along which ``arc`` can move as far as the rule asks.

        Rising by ``T``, the flow must come back from its head to its tail; falling to 0,
        from its tail to its head. Along a figure means it rises (always possible); against
        it, that it falls (possible only down to 0). Moving far enough may take more than one
        cycle (a column total of 4 made of a 3 and a 1 falls to 0 only through both), so
        cycles are added until together they carry the amount: first one that carries it all,
        else the cheapest that carries anything. Hidden figures cost nothing; with
        ``choose``, figures not yet hidden may be used at their value plus one. Without, the
        cycles are a *witness*: the true figures plus these cycles satisfy every printed
        relation and move ``arc`` as far as the rule asks, which proves that side.
        """
        low, high = required_interval(arc.value, self.threshold)
        remaining = high - arc.value if rising else arc.value - low
        start, goal = (arc.head, arc.tail) if rising else (arc.tail, arc.head)
        fallen: dict[Hashable, int] = defaultdict(int)  # how far each figure falls already
        used: list[Arc] = []
        while remaining > 0:
            found = self._dijkstra(start, goal, remaining, states, arc, fallen, choose=choose)
            if found is None:
                found = self._dijkstra(start, goal, 1, states, arc, fallen, choose=choose)
            if found is None:
                return None
            path, carried = found
            carried = min(carried, remaining)
            for step, falls in path:
                used.append(step)
                if falls:
                    fallen[step.key] += carried
            remaining -= carried
        return used

    def _dijkstra(
        self,
        start: Hashable,
        goal: Hashable,
        need: int,
        states: Mapping[Hashable, CellState | None],
        skip: Arc,
        fallen: dict[Hashable, int],
        *,
        choose: bool,
    ) -> tuple[list[tuple[Arc, bool]], int] | None:
        """The cheapest path on which every figure can fall by ``need`` where it falls: its
        steps (figure, whether it falls) and how much it can carry."""
        tie = itertools.count()  # nodes need not be comparable
        queue: list[tuple[int, int, Hashable]] = [(0, next(tie), start)]
        best: dict[Hashable, int] = {start: 0}
        came_from: dict[Hashable, tuple[Hashable, Arc, bool]] = {}
        while queue:
            cost, _n, node = heapq.heappop(queue)
            if node == goal:
                path: list[tuple[Arc, bool]] = []
                carried = self.threshold * 2  # more than any amount asked
                while node != start:
                    node, step, falls = came_from[node]
                    path.append((step, falls))
                    if falls:
                        carried = min(carried, step.value - fallen[step.key])
                return path, carried
            if cost > best.get(node, cost):
                continue
            for arc in self._incident[node]:
                if arc is skip:
                    continue
                state = states[arc.key]
                if state is CellState.SHOWN or (state is None and not choose):
                    continue  # printed (before): cannot be hidden now
                step_cost = 0 if state is not None else arc.cost + 1
                if arc.tail == node:
                    nxt, falls = arc.head, False
                elif arc.value - fallen[arc.key] >= need:
                    nxt, falls = arc.tail, True
                else:
                    continue
                total = cost + step_cost
                if total < best.get(nxt, total + 1):
                    best[nxt] = total
                    came_from[nxt] = (node, arc, falls)
                    heapq.heappush(queue, (total, next(tie), nxt))
        return None


@dataclass
class _Component:
    """The hidden figures of one component and the relations among them: ``matrix @ x = rhs``,
    ``x ≥ 0``."""

    variables: list[Arc]
    matrix: object
    rhs: np.ndarray

    def _solve(
        self, objective: np.ndarray, bounds: list[tuple[float, float | None]]
    ) -> np.ndarray | None:
        """A solution of the LP, ``None`` when it is unbounded."""
        from scipy.optimize import linprog

        result = linprog(objective, A_eq=self.matrix, b_eq=self.rhs, bounds=bounds, method="highs")
        if result.status == 3:
            return None
        if result.status != 0:
            # The true figures always satisfy the relations; anything else is a bug.
            raise ProtectionError(f"linear program failed: {result.message}")
        return np.asarray(result.x)

    def extreme(self, index: int, *, maximise: bool, cap: float | None) -> float | None:
        """The least or greatest value of one figure (``None``: unbounded above)."""
        objective = np.zeros(len(self.variables))
        objective[index] = -1.0 if maximise else 1.0
        bounds: list[tuple[float, float | None]] = [(0.0, None)] * len(self.variables)
        if cap is not None:
            bounds[index] = (0.0, cap)
        x = self._solve(objective, bounds)
        return None if x is None else float(x[index])

    def failing(self, targets: dict[int, tuple[int, int]], *, rising: bool) -> list[int]:
        """The figures whose interval does not reach their target on one side.

        One LP for all of them (push them all towards their targets at once, each capped at
        its target so the LP stays bounded), repeated for the rest while it settles any; then
        one LP for a single figure, and so on. Every solution found settles all the figures
        it happens to bring to their target (it is a witness for each), and a figure whose
        own LP does not reach its target fails.
        """
        open_ = dict(targets)

        def settle(x: np.ndarray) -> None:
            for index in list(open_):
                low, high = open_[index]
                if (x[index] >= high - _TOLERANCE) if rising else (x[index] <= low + _TOLERANCE):
                    del open_[index]

        def bounds_for(indices: Iterable[int]) -> list[tuple[float, float | None]]:
            bounds: list[tuple[float, float | None]] = [(0.0, None)] * len(self.variables)
            if rising:
                for index in indices:
                    bounds[index] = (0.0, float(targets[index][1]))
            return bounds

        sign = -1.0 if rising else 1.0

        def push(indices: list[int]) -> None:
            objective = np.zeros(len(self.variables))
            objective[indices] = sign
            x = self._solve(objective, bounds_for(indices))
            assert x is not None  # noqa: S101 - capped, or minimising x ≥ 0: bounded
            settle(x)

        failing: list[int] = []
        batch = True
        while open_:
            if batch:
                # All the open ones at once; again while that settles any.
                before = len(open_)
                push(list(open_))
                batch = len(open_) < before
                continue
            index = next(iter(open_))
            push([index])
            if index in open_:
                failing.append(index)
                del open_[index]
            batch = True
        return failing


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
    """The printed form of a figure: the number, "×" (hidden, whichever the reason) or "–"."""
    if state is CellState.SHOWN:
        return str(value)
    if state is CellState.WITHHELD:
        return "–"
    return "×"


def states_of(values: Iterable[str]) -> tuple[CellState, ...]:
    return tuple(CellState(v) for v in values)

"""Small-cell suppression cannot be undone by differencing: the τ-ARGUS interval rule.

Every hidden figure from 1 to 4 must have an interval (what the printed figures allow) that
reaches 0 and its value plus 5. Checked against brute force (``bruteforce.py``, which knows
nothing of the network model or the LP): on hand-made tables that defeat naive suppression,
on many random small tables, and on a year's totals across its quarters; and by the LP audit
(``Network.unprotected``/``Network.intervals``) on larger ones. Property-style tests cover the
rest of the contract.
"""

from __future__ import annotations

import random

import pytest

from tests.transparency.bruteforce import Publication, consistent_values, unprotected
from vik.transparency.suppression import (
    THRESHOLD,
    CellState,
    Interval,
    Network,
    ProtectedTable,
    ProtectionError,
    Table,
    add_table,
    display,
    is_sensitive,
    protect_table,
    protect_year,
)

S, L, H = CellState.SHOWN, CellState.SMALL, CellState.HIDDEN


def table(*rows: tuple[int, ...]) -> Table:
    return Table(
        tuple(f"r{i}" for i in range(len(rows))),
        tuple(f"c{j}" for j in range(len(rows[0]))),
        tuple(rows),
    )


def only_primary(t: Table) -> ProtectedTable:
    """What naive suppression prints: every figure from 1 to 4 hidden, nothing else."""

    def state(v: int) -> CellState:
        return L if is_sensitive(v) else S

    return ProtectedTable(
        t,
        tuple(tuple(state(v) for v in row) for row in t.cells),
        tuple(state(v) for v in t.row_totals),
        tuple(state(v) for v in t.col_totals),
        state(t.total),
    )


def test_the_brute_force_sees_through_naive_suppression() -> None:
    # A single small figure in a row whose total is printed is that total minus the rest.
    naive = only_primary(table((3, 20, 7), (12, 9, 30)))
    assert unprotected(Publication([naive])) == [((0, "cell", 0, 0), 3)]


@pytest.mark.parametrize(
    "rows",
    [
        ((3, 20, 7), (12, 9, 30)),  # one small figure in a row
        ((1, 8), (9, 40)),  # a small figure in a 2×2 table
        ((2, 2), (6, 7)),  # a whole small row
        ((4, 0, 9), (0, 4, 9), (9, 9, 1)),  # the diagonal
        ((5, 5, 5), (5, 5, 1)),  # complements that can only go up
        ((0, 0, 3), (0, 0, 0)),  # mostly zeros
        ((4,),),  # a 1×1 table: the figure, its row, column and total are one number
        ((12, 1), (30, 20), (6, 8), (7, 9)),
    ],
)
def test_no_small_figure_can_be_worked_out(rows: tuple[tuple[int, ...], ...]) -> None:
    t = table(*rows)
    protected = protect_table(t)
    assert not protected.withheld
    assert unprotected(Publication([protected])) == []
    assert _audit(t, protected) == []


def test_small_and_secondary_figures_print_alike_and_zeros_print() -> None:
    protected = protect_table(table((3, 20, 0), (12, 9, 30)))
    assert protected.cell_states[0][0] is L
    assert protected.cell_states[0][2] in (S, H)  # a zero points at no one
    assert [
        display(v, s)
        for v, s in [(3, L), (25, S), (0, S), (25, H), (0, H), (7, CellState.WITHHELD)]
    ] == ["×", "25", "0", "×", "×", "–"]


def test_the_lp_intervals_meet_the_rule() -> None:
    # The 3 and the 1 share a row and a column with large figures: the LP must find room
    # for each to reach 0 and its value plus 5.
    t = table((3, 20, 7), (12, 1, 30), (8, 9, 40))
    protected = protect_table(t)
    network = _network(t, protected)
    intervals = network.intervals({arc.key: arc.fixed_state for arc in network.arcs})  # type: ignore[misc]
    assert set(intervals) == {("t", "cell", "r0", "c0"), ("t", "cell", "r1", "c1")}
    for key, interval in intervals.items():
        value = 3 if key[2] == "r0" else 1
        assert interval.low == 0
        assert interval.high is None or interval.high >= value + THRESHOLD


@pytest.mark.parametrize("seed", range(6))
def test_random_small_tables_against_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(25):
        rows = rng.randint(1, 3)
        cols = rng.randint(1, 3)
        values = [0, 0, 1, 2, 3, 4, 5, 6, 8, 11, 25]
        t = table(*(tuple(rng.choice(values) for _ in range(cols)) for _ in range(rows)))
        protected = protect_table(t)
        assert not protected.withheld, t
        assert unprotected(Publication([protected])) == [], t


@pytest.mark.parametrize("seed", range(4))
def test_year_totals_do_not_undo_the_quarters(seed: int) -> None:
    """Totals across published tables: neither a quarter's nor a year's small figure leaks."""
    rng = random.Random(100 + seed)
    for _ in range(8):
        cols = rng.randint(1, 2)
        parts = [
            protect_table(
                table(
                    *(tuple(rng.choice([0, 1, 2, 3, 6, 9]) for _ in range(cols)) for _ in range(2))
                )
            )
            for _ in range(2)
        ]
        across = protect_year(parts)
        assert not across.withheld
        assert unprotected(Publication(parts, across)) == []


def test_a_year_total_printed_naively_would_leak() -> None:
    """Why the year is protected with its quarters: printing its sums in full breaks them."""
    # Q1 hides its 40 (and its column total) to protect the 3; Q2's column total is
    # printed, so a year total printed in full gives Q1's column total back, and the 3.
    q1 = protect_table(table((3, 40)))
    q2 = protect_table(table((30, 40)))
    assert unprotected(Publication([q1, q2])) == []
    naive_year = protect_year([q1, q2])
    shown = type(naive_year)(
        naive_year.cols, naive_year.values, (S, S), naive_year.total, S
    )  # every year figure printed
    leaks = unprotected(Publication([q1, q2], shown))
    assert leaks, "the brute force should find the leak"
    assert unprotected(Publication([q1, q2], naive_year)) == []


def test_consistent_values_lists_the_alternatives() -> None:
    protected = protect_table(table((3, 20, 7), (12, 9, 30)))
    values = consistent_values(Publication([protected]), (0, "cell", 0, 0), range(THRESHOLD))
    assert 3 in values
    assert len(values) >= 2


# --- Properties on larger random tables (too large for brute force) ---------------------


@pytest.mark.parametrize("seed", range(20))
def test_properties_of_protection(seed: int) -> None:
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 14), rng.randint(1, 11)
    skew = rng.choice([0.2, 0.5, 0.8])  # how sparse: many zeros, or many large counts
    t = table(
        *(
            tuple(
                0 if rng.random() < skew else rng.choice([1, 2, 3, 4, 5, 7, 12, 40, 300])
                for _ in range(cols)
            )
            for _ in range(rows)
        )
    )
    protected = protect_table(t)
    if protected.withheld:
        return
    figures = [
        *(
            (v, s)
            for row, states in zip(t.cells, protected.cell_states, strict=True)
            for v, s in zip(row, states, strict=True)
        ),
        *zip(t.row_totals, protected.row_states, strict=True),
        *zip(t.col_totals, protected.col_states, strict=True),
        (t.total, protected.total_state),
    ]
    for value, state in figures:
        # Every figure from 1 to 4 is hidden as small; a secondary is a zero or 5 or more.
        assert (state is L) == is_sensitive(value)
        if state is H:
            assert not is_sensitive(value)
    # The LP audit of the network model agrees: every interval meets the rule.
    assert _audit(t, protected) == []


def _network(t: Table, protected: ProtectedTable) -> Network:
    network = Network()
    add_table(network, t, "t", col_head=lambda _c: ("t", "X"), published=protected)
    network.add(("t", "total"), ("t", "X"), ("t", "S"), t.total, state=protected.total_state)
    return network


def _audit(t: Table, protected: ProtectedTable) -> list:
    network = _network(t, protected)
    return network.unprotected({arc.key: arc.fixed_state for arc in network.arcs})  # type: ignore[misc]


def test_protection_is_stable() -> None:
    """The same table gives the same publication (it is frozen, but must also be reproducible)."""
    t = table((3, 20, 7, 0), (12, 9, 30, 1), (4, 4, 4, 4))
    assert protect_table(t) == protect_table(t)


def test_a_figure_printed_before_must_fit_its_state() -> None:
    network = Network()
    with pytest.raises(ValueError, match="cannot have been"):
        network.add("b", "U", "S", 3, state=S)  # a 3 was never printed as 3


def test_fixed_figures_are_kept_and_an_impossible_protection_fails() -> None:
    # The 2 and the 9 add up to a printed 11; with the 9 printed before, the 2 is pinned.
    network = Network()
    network.add("small", "A", "B", 2)
    network.add("printed", "A", "B", 9, state=S)
    network.add("total", "B", "A", 11, state=S)
    with pytest.raises(ProtectionError):
        network.protect()
    # With the 9 still to decide, it is hidden and the printed total kept: the 2 can then be
    # anything from 0 to 11.
    network = Network()
    network.add("small", "A", "B", 2)
    network.add("other", "A", "B", 9)
    network.add("total", "B", "A", 11, state=S)
    states = network.protect()
    assert states == {"small": L, "other": H, "total": S}
    assert network.intervals(states)["small"] == Interval(0, 11)


def test_a_published_small_figure_stays_protected() -> None:
    """A figure hidden in an earlier publication keeps its interval in a later one."""
    network = Network()
    network.add("earlier", "A", "B", 3, state=L)
    network.add("new", "A", "B", 6)
    network.add("sum", "B", "A", 9)
    states = network.protect()
    assert states["earlier"] is L
    assert network.unprotected(states) == []


def test_a_withheld_table_prints_nothing() -> None:
    withheld = ProtectedTable.withheld_table(table((3, 20), (1, 9)))
    assert withheld.withheld
    assert {
        display(v, s)
        for row, states in zip(withheld.table.cells, withheld.cell_states, strict=True)
        for v, s in zip(row, states, strict=True)
    } == {"–"}


def test_zeros_are_printed_and_used_as_secondaries() -> None:
    # The 2 can only move with a figure in its row and one in its column; the zeros are the
    # cheapest to hide, and the rest of the zeros are printed.
    t = table((2, 0, 40), (0, 9, 30), (0, 0, 7))
    protected = protect_table(t)
    assert protected.cell_states[0][0] is L
    assert protected.cell_states[2][0] is S
    assert protected.cell_states[2][1] is S
    assert _audit(t, protected) == []
    assert unprotected(Publication([protected])) == []


def test_the_audit_is_not_fooled_by_a_narrow_interval() -> None:
    """Hiding a 1 and a 2 that add up to a printed 3 pins neither, but is too narrow: the 1
    can be 0 to 3 only, not up to 6."""
    t = table((1, 2, 9))
    published = ProtectedTable(t, ((L, L, S),), (S,), (H, H, S), S)
    # The cells and their column totals (the same figures) all fail.
    assert set(_audit(t, published)) == {
        ("t", "cell", "r0", "c0"),
        ("t", "cell", "r0", "c1"),
        ("t", "col", "c0"),
        ("t", "col", "c1"),
    }
    assert {key for key, _v in unprotected(Publication([published]))} == {
        (0, "cell", 0, 0),
        (0, "cell", 0, 1),
        (0, "col", 0),
        (0, "col", 1),
    }
    # Protected properly, the row total goes too (and the whole table with it).
    assert _audit(t, protect_table(t)) == []


def test_secondaries_the_others_make_unnecessary_are_printed_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(7)
    tables = [
        table(*(tuple(rng.choice([0, 0, 1, 2, 3, 6, 9, 20]) for _c in range(6)) for _r in range(5)))
        for _n in range(8)
    ]

    def secondaries(protected: ProtectedTable) -> int:
        states = [
            *(s for row in protected.cell_states for s in row),
            *protected.row_states,
            *protected.col_states,
            protected.total_state,
        ]
        return sum(s is H for s in states)

    released = [protect_table(t) for t in tables]
    for t, protected in zip(tables, released, strict=True):
        assert _audit(t, protected) == []
    monkeypatch.setattr(
        Network,
        "_release_unneeded",
        lambda _self, states: {key: state or S for key, state in states.items()},
    )
    kept = [secondaries(protect_table(t)) for t in tables]
    fewer = [secondaries(p) for p in released]
    assert all(f <= k for f, k in zip(fewer, kept, strict=True))
    assert sum(fewer) < sum(kept)


def test_the_rounds_are_bounded() -> None:
    """Nothing loops for ever: without a round to audit in, protection refuses."""
    network = Network()
    network.add("small", "A", "B", 2)
    network.add("other", "A", "B", 9)
    network.add("total", "B", "A", 11, state=S)
    with pytest.raises(ProtectionError):
        network.protect(max_rounds=0)

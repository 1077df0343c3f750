"""The works council's figures, audited by linear programming over everything printed.

The auditor (``lp_audit.py``) knows nothing of the suppression module: it reads the printed
texts, writes down the relations a reader knows, and asks ``linprog`` for the interval of
every hidden figure from 1 to 4. The rule, as the pages promise: the interval reaches 0 and
the value plus 5.
"""

from __future__ import annotations

import csv
import datetime
import io
import random

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tests.conftest import World
from tests.transparency.conftest import TODAY, at, past_entry
from tests.transparency.lp_audit import PrintedSet, add_csv, add_table, printed_table
from vik.models import AccessAction
from vik.roles import Role
from vik.transparency import figures, services
from vik.transparency import report as logging_report
from vik.transparency.registry import Quarter, get_registry
from vik.transparency.suppression import (
    CellState,
    Table,
    display,
    protect_table,
    protect_year,
)


def year_set(quarters: list[Table]) -> PrintedSet:
    """Four quarters (units × categories) and their year, protected and printed."""
    parts = [protect_table(t) for t in quarters]
    year = protect_year(parts)
    printed_set = PrintedSet()
    for q, part in enumerate(parts):
        add_table(printed_set, ("q", q), *printed_table(part))
    rows, cols = len(quarters[0].rows), len(quarters[0].cols)
    for c in range(cols):
        printed_set.figure(("year", c), display(year.values[c], year.col_states[c]), year.values[c])
        printed_set.relation(("year", c), ((("q", q), rows, c) for q in range(len(parts))))
    printed_set.figure(("year", "total"), display(year.total, year.total_state), year.total)
    printed_set.relation(("year", "total"), (("year", c) for c in range(cols)))
    printed_set.relation(("year", "total"), ((("q", q), rows, cols) for q in range(len(parts))))
    return printed_set


def random_table(rng: random.Random, rows: int, cols: int) -> Table:
    """Many zeros and many figures from 1 to 4 among a few large ones."""
    values = [0, 0, 0, 1, 1, 2, 3, 4, 4, 5, 6, 9, 14, 30]
    return Table(
        tuple(f"u{r}" for r in range(rows)),
        tuple(f"c{c}" for c in range(cols)),
        tuple(tuple(rng.choice(values) for _c in range(cols)) for _r in range(rows)),
    )


@pytest.mark.parametrize("seed", range(6))
def test_generated_quarters_and_year_meet_the_rule(seed: int) -> None:
    rng = random.Random(seed)
    rows, cols = rng.randint(2, 7), rng.randint(2, 8)
    printed_set = year_set([random_table(rng, rows, cols) for _q in range(4)])
    assert printed_set.check_printed() == []
    assert len(printed_set.sensitive()) >= 5  # the test has something to check
    assert "–" not in printed_set.printed.values()  # protected, not withheld
    assert printed_set.violations() == []


def test_the_auditor_finds_a_figure_that_can_be_pinned() -> None:
    """The auditor has teeth: a lone hidden figure is its row total minus the rest; two
    small ones hidden together are not pinned, but their interval is too short."""
    pinned = PrintedSet()
    add_table(
        pinned,
        "t",
        [["×", "20", "23"], ["12", "9", "21"], ["15", "29", "44"]],
        [[3, 20, 23], [12, 9, 21], [15, 29, 44]],
    )
    [violation] = pinned.violations()
    assert (violation.key, violation.low, violation.high) == (("t", 0, 0), 3.0, 3.0)
    narrow = PrintedSet()
    add_table(
        narrow,
        "t",
        [["×", "×", "9", "12"], ["×", "×", "9", "12"], ["×", "×", "18", "24"]],
        [[1, 2, 9, 12], [1, 2, 9, 12], [2, 4, 18, 24]],
    )
    found = {v.key for v in narrow.violations()}
    assert {("t", 0, 0), ("t", 0, 1), ("t", 1, 0), ("t", 1, 1)} <= found


# --- A demo-like publication set: the real pipeline, read back from the CSV exports --------


@pytest.fixture
def busy_log(world: World) -> None:
    """Looks by many roles at employees of both units over seven quarters, mostly few."""
    rng = random.Random(2026)
    roles = [
        Role.INVESTIGATOR,
        Role.TEAM_CHIEF,
        Role.ANALYST,
        Role.PRIVACY_OFFICER,
        Role.COMPLAINT_HANDLER,
        Role.VIK_HEAD,
    ]
    employees = [world.subject, world.colleague, world.outsider, None]
    day = datetime.date(2025, 1, 2)
    while day < datetime.date(2026, 10, 1):
        for _n in range(rng.choice([0, 0, 0, 1, 1, 2])):
            role = rng.choice(roles)
            reveal = role is Role.ANALYST and rng.random() < 0.5
            past_entry(
                world=world,
                role=role,
                employee=rng.choice(employees),
                when=at(day),
                action=AccessAction.REVEAL if reveal else AccessAction.VIEW,
                object_type="monitoring.signal" if reveal else "vik.employee",
            )
        day += datetime.timedelta(days=rng.choice([1, 2, 3]))


def csv_rows(client, key: str) -> list[list[str]]:
    response = client.get(reverse("transparency:measure_csv", args=[key]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))[1:]


def test_every_published_figure_of_a_demo_like_set_meets_the_rule(
    busy_log: None, client_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.publish_due(today=TODAY, since=Quarter(2025, 1))
    client = client_for(Role.COR_MEMBER)
    measures = [measure.key for measure in get_registry().measures()]
    printed = {key: csv_rows(client, key) for key in measures}
    # The annual report's two year tables (looks by role and by function, per part of VIK),
    # chained on the year's published looks by role.
    payload = logging_report.access_by_part(2025)
    assert not payload.get("withheld")
    with translation.override(settings.LANGUAGE_CODE):
        cross = logging_report.protected_cross_tables(payload)
        true_cross = logging_report.raw_cross_tables(2025)
    # The same exports unprotected: every figure as counted (the auditor's true values).
    monkeypatch.setattr(
        figures.Figure,
        "of",
        classmethod(lambda cls, value, _state: cls(str(value), CellState.SHOWN, value)),
    )
    true = {key: csv_rows(client, key) for key in measures}
    with translation.override(settings.LANGUAGE_CODE):
        all_units, total = _("All units"), _("Total")
    printed_set = PrintedSet()
    for key in measures:
        rows = [row[1:] for row in printed[key]]
        add_csv(
            printed_set, key, rows, [row[1:] for row in true[key]], all_units=all_units, total=total
        )
    links = add_cross_tables(printed_set, cross, true_cross)
    measure = logging_report.LOOKS_MEASURE
    for role_label, figure_key in links:
        if (measure, "2025", all_units, role_label) in printed_set.printed:
            printed_set.relation((measure, "2025", all_units, role_label), (figure_key,))
    printed_set.relation((measure, "2025", all_units, total), (("cross", 0, "total", "total"),))
    assert printed_set.check_printed() == []
    assert not any("<" in text for text in printed_set.printed.values())
    assert len(printed_set.sensitive()) >= 10
    assert printed_set.violations() == []


def add_cross_tables(printed_set: PrintedSet, printed: list, true: list) -> list[tuple[str, tuple]]:
    """The report's two year tables: cells, row totals, the shared column totals and total.
    Returns (row label, row-total key) of the first table, to chain on the measure's year."""
    for index, (table, raw) in enumerate(zip(printed, true, strict=True)):
        raw_rows = {label: (figures_, row_total) for label, figures_, row_total in raw.rows}
        for label, figures_, row_total in table.rows:
            raw_figures, raw_total = raw_rows.get(label, (None, None))
            for c, (column, figure) in enumerate(zip(table.columns, figures_, strict=True)):
                value = raw_figures[c].value if raw_figures else 0
                printed_set.figure(("cross", index, label, column), figure.text, value)
            printed_set.figure(
                ("cross", index, label, "total"),
                row_total.text,
                raw_total.value if raw_total else 0,
            )
            printed_set.relation(
                ("cross", index, label, "total"),
                (("cross", index, label, column) for column in table.columns),
            )
        for c, column in enumerate(table.columns):
            printed_set.figure(
                ("cross", index, "total", column), table.totals[c].text, raw.totals[c].value
            )
            printed_set.relation(
                ("cross", index, "total", column),
                (("cross", index, label, column) for label, _f, _t in table.rows),
            )
        printed_set.figure(("cross", index, "total", "total"), table.total.text, raw.total.value)
        printed_set.relation(
            ("cross", index, "total", "total"),
            (("cross", index, "total", column) for column in table.columns),
        )
        if index:
            for column in (*table.columns, "total"):
                printed_set.relation(
                    ("cross", index, "total", column), (("cross", 0, "total", column),)
                )
    return [(label, ("cross", 0, label, "total")) for label, _f, _t in printed[0].rows]

"""Identity reveals by kind of reason in the annual logging report: counted by the provider,
published per quarter and year, protected together with the published reveals (works
council), the same figures unprotected for the privacy officer, and frozen."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from monitoring.models import IdentityReveal, Signal
from tests.conftest import World
from tests.monitoring.review_factories import make_reveal, make_signal
from tests.transparency.conftest import at, past_entry
from tests.transparency.lp_audit import PrintedSet, add_table, printed_table
from tests.transparency.test_report import pdf_text
from vik.models import AccessAction
from vik.roles import Role
from vik.transparency import reveal_reasons, services
from vik.transparency.figures import protected_table
from vik.transparency.models import Publication
from vik.transparency.registry import Quarter
from vik.transparency.suppression import CellState, ProtectedTable, Table, is_sensitive

pytestmark = pytest.mark.django_db

Kind = IdentityReveal.ReasonCategory
KINDS = [*Kind.values, reveal_reasons.UNRECORDED]
YEAR = 2025
# Per quarter of 2025: the reveals in Protective Monitoring by kind. "unrecorded" are
# entries in the access log without a reveal record. Every quarter's total is 5 or more, so
# it is printed; Q4 has one small figure among large ones, which only a "×" protects.
REVEALS = {
    1: {Kind.FOLLOW_UP: 7, Kind.ESCALATION: 2, Kind.OTHER: 1},
    2: {Kind.WORK_REASON: 6, reveal_reasons.UNRECORDED: 1},
    3: {Kind.ESCALATION: 5},
    4: {
        Kind.FOLLOW_UP: 5,
        Kind.WORK_REASON: 6,
        Kind.DATA_ERROR: 5,
        Kind.SERIOUS: 7,
        Kind.ESCALATION: 9,
        Kind.OTHER: 5,
        reveal_reasons.UNRECORDED: 2,
    },
}


def reveal(world: World, signal: Signal, kind: str, when: datetime.datetime) -> None:
    """A reveal as the services record it: the record and the access log's entry, at once."""
    if kind != reveal_reasons.UNRECORDED:
        make_reveal(signal, world.user(Role.ANALYST), reason_category=kind, revealed_at=when)
    past_entry(
        world=world,
        role=Role.ANALYST,
        employee=world.subject,
        when=when,
        action=AccessAction.REVEAL,
        object_type="monitoring.signal",
        object_id=str(signal.pk),
        purpose=f"{kind}: nodig voor de beoordeling",
    )


@pytest.fixture
def reveals_2025(world: World) -> Signal:
    signal = make_signal(world.subject)
    for number, kinds in REVEALS.items():
        start = Quarter(YEAR, number).start
        for kind, count in kinds.items():
            for n in range(count):
                reveal(world, signal, kind, at(start + datetime.timedelta(days=n % 20)))
    # Reveals in another part of VIK (a reporter's identity) are not Protective Monitoring's.
    for n in range(6):
        past_entry(
            world=world,
            role=Role.VIK_HEAD,
            employee=world.colleague,
            when=at(Quarter(YEAR, 1).start + datetime.timedelta(days=n)),
            action=AccessAction.REVEAL,
            object_type="cases.case",
            purpose="Melder nodig voor triage",
        )
    services.publish_due(since=Quarter(YEAR, 1))
    return signal


def kinds_of(publication: Publication) -> dict:
    [part] = publication.payload["parts"]
    assert part["part"] == "monitoring"
    return part


def printed_grid() -> ProtectedTable:
    """What the works council reads about the kinds of 2025 as one table: quarters × kinds,
    with the quarters' reveals (section 2) as row totals, the year's kinds as column totals
    and the year's reveals as the total."""
    quarters = [
        kinds_of(Publication.objects.get(key=reveal_reasons.KEY, year=YEAR, quarter=q))
        for q in (1, 2, 3, 4)
    ]
    year = kinds_of(Publication.objects.get(key=reveal_reasons.KEY, year=YEAR, quarter=0))
    return ProtectedTable(
        Table(
            tuple(f"Q{q}" for q in (1, 2, 3, 4)),
            tuple(key for key, _label in year["categories"]),
            tuple(tuple(q["values"]) for q in quarters),
        ),
        tuple(tuple(CellState(s) for s in q["states"]) for q in quarters),
        tuple(CellState(q["total_state"]) for q in quarters),
        tuple(CellState(s) for s in year["states"]),
        CellState(year["total_state"]),
    )


def test_the_kinds_add_up_to_the_published_reveals_of_the_part(reveals_2025: Signal) -> None:
    for number, kinds in REVEALS.items():
        part = kinds_of(Publication.objects.get(key=reveal_reasons.KEY, year=YEAR, quarter=number))
        assert [key for key, _label in part["categories"]] == KINDS
        assert part["values"] == [kinds.get(key, 0) for key in KINDS]  # type: ignore[call-overload]
        measure = protected_table(
            Publication.objects.get(key="vik.identity_reveals", year=YEAR, quarter=number).payload
        )
        column = measure.table.cols.index("monitoring")
        assert part["total"] == measure.table.col_totals[column] == sum(kinds.values())
        assert part["total_state"] == measure.col_states[column]
        assert not part["withheld"]
    year = kinds_of(Publication.objects.get(key=reveal_reasons.KEY, year=YEAR, quarter=0))
    assert year["values"] == [sum(q.get(key, 0) for q in REVEALS.values()) for key in KINDS]  # type: ignore[call-overload]
    assert year["total"] == 61


def test_no_small_figure_can_be_worked_out_from_the_quarters_the_year_and_section_2(
    reveals_2025: Signal,
) -> None:
    grid = printed_grid()
    # Every quarter's reveals and the year's are printed: what links the kinds to the tables
    # of section 2 is known, so this one table is everything a reader has about the kinds.
    assert set(grid.row_states) == {CellState.SHOWN}
    assert grid.total_state is CellState.SHOWN
    for r, row in enumerate(grid.table.cells):
        for value, state in zip(row, grid.cell_states[r], strict=True):
            assert (state is CellState.SMALL) == is_sensitive(value)
    q4 = grid.cell_states[3]
    assert CellState.HIDDEN in q4  # the lone small figure among large ones needs a "×"
    # The independent LP auditor: every small figure's interval reaches 0 and 5 more.
    printed = PrintedSet()
    add_table(printed, "grid", *printed_table(grid))
    assert printed.sensitive()
    assert printed.violations() == []


def test_without_the_hidden_figures_a_small_one_could_be_worked_out(reveals_2025: Signal) -> None:
    """The check above has teeth: printing every figure of 5 or more gives Q4 away."""
    grid = printed_grid()
    naive = ProtectedTable(
        grid.table,
        tuple(
            tuple(CellState.SMALL if is_sensitive(v) else CellState.SHOWN for v in row)
            for row in grid.table.cells
        ),
        grid.row_states,
        tuple(
            CellState.SMALL if is_sensitive(v) else CellState.SHOWN for v in grid.table.col_totals
        ),
        grid.total_state,
    )
    unrecorded = KINDS.index(reveal_reasons.UNRECORDED)
    printed = PrintedSet()
    add_table(printed, "grid", *printed_table(naive))
    assert ("grid", 3, unrecorded) in {v.key for v in printed.violations()}


def test_the_works_councils_report_prints_the_protected_kinds(
    reveals_2025: Signal, tmp_path: Path
) -> None:
    [table] = reveal_reasons.report_tables(YEAR, detailed=False)
    assert table.columns == ["K1 2025", "K2 2025", "K3 2025", "K4 2025", "2025"]
    rows = {label: [f.text for f in figures] for label, figures in table.rows}
    # Q1's 2 and 1 can only reach 5 more if its 7 can fall as far: the 7 is hidden too.
    assert rows["Gesprek met de teamchef voorbereiden"][0] == "×"
    assert rows["Automatisch bij escalatie"][2] == "5"  # Q3's only kind: its total shows it
    assert rows["Soort niet vastgelegd"][1] == "×"
    assert "×" in [row[3] for row in rows.values()]
    assert [f.text for f in table.totals] == ["10", "7", "5", "39", "61"]
    assert all(f.value is None for _label, figures in table.rows for f in figures if f.suppressed)
    output = tmp_path / "cor.pdf"
    call_command("logging_report", year=YEAR, audience="cor", output=output)
    text = pdf_text(output)
    assert "naar soort reden" in text
    assert "Automatisch bij escalatie" in text
    assert "nodig voor de beoordeling" not in text  # the written reasons are not in it


def test_the_privacy_officer_gets_the_same_table_unprotected_and_every_reveal(
    reveals_2025: Signal, tmp_path: Path
) -> None:
    [table] = reveal_reasons.report_tables(YEAR, detailed=True)
    rows = {label: [f.text for f in figures] for label, figures in table.rows}
    assert rows["Soort niet vastgelegd"] == ["0", "1", "0", "2", "3"]
    assert rows["Vermoedelijke datafout controleren (verkeerde persoon of account)"] == [
        "0",
        "0",
        "0",
        "5",
        "5",
    ]
    assert not any(f.suppressed for _label, figures in table.rows for f in figures)
    output = tmp_path / "privacy.pdf"
    call_command("logging_report", year=YEAR, audience="privacy", output=output)
    text = pdf_text(output)
    assert "Soort niet vastgelegd" in text  # the table (long labels wrap in the PDF)
    assert "serious_suspicion: nodig voor" in text  # the list of every reveal, with reasons


def test_the_kinds_are_frozen_when_the_quarter_is_published(reveals_2025: Signal) -> None:
    """A dismissed signal goes after six months, with its reveal records: the count stays."""
    before = reveal_reasons.report_tables(YEAR, detailed=True)
    IdentityReveal.objects.all().delete()
    services.publish_due(since=Quarter(YEAR, 1))
    assert reveal_reasons.report_tables(YEAR, detailed=True) == before


def test_a_running_year_shows_its_completed_quarters_only(world: World) -> None:
    signal = make_signal(world.subject)
    today = datetime.date(2026, 5, 20)
    for n in range(6):
        reveal(world, signal, Kind.FOLLOW_UP, at(datetime.date(2026, 2, 2 + n)))
    reveal(world, signal, Kind.ESCALATION, at(datetime.date(2026, 4, 2)))
    services.publish_due(today=today)
    [table] = reveal_reasons.report_tables(2026, detailed=False)
    assert table.columns == ["K1 2026"]
    assert [f.text for f in table.totals] == ["6"]


def test_kinds_that_do_not_fit_the_access_log_are_withheld(world: World) -> None:
    """More reveal records than reveals in the log (it cannot happen through the services):
    the kinds would contradict section 2, so they are not printed."""
    signal = make_signal(world.subject)
    for n in range(6):
        reveal(world, signal, Kind.FOLLOW_UP, at(datetime.date(2026, 2, 2 + n)))
    make_reveal(
        signal,
        world.user(Role.ANALYST),
        reason_category=Kind.OTHER,
        revealed_at=at(datetime.date(2026, 2, 20)),
    )
    services.publish_due(today=datetime.date(2026, 5, 20))
    [table] = reveal_reasons.report_tables(2026, detailed=False)
    assert {f.text for _label, figures in table.rows for f in figures} == {"–"}
    assert [f.text for f in table.totals] == ["6"]  # the reveals themselves, as in section 2


def test_nothing_is_published_without_a_provider_that_counts_kinds(
    world: World, only_providers
) -> None:
    from vik.transparency import core

    only_providers(core.PROVIDER)
    past_entry(
        world=world,
        role=Role.ANALYST,
        employee=world.subject,
        when=at(datetime.date(2026, 2, 2)),
        action=AccessAction.REVEAL,
        object_type="monitoring.signal",
    )
    services.publish_due(today=datetime.date(2026, 5, 20))
    assert not Publication.objects.filter(key=reveal_reasons.KEY).exists()
    assert reveal_reasons.report_tables(2026, detailed=False) == []

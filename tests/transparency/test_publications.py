"""Publishing the works council's figures: counted once per completed quarter, protected,
frozen; the core's measures count what they say."""

from __future__ import annotations

import pytest

from tests.conftest import World
from tests.transparency.conftest import TODAY, at
from vik.models import AccessAction, AccessLogEntry
from vik.roles import Role
from vik.transparency import core, figures, services
from vik.transparency.models import Publication
from vik.transparency.registry import Category, Count, Measure, Provider, Quarter
from vik.transparency.suppression import CellState

pytestmark = pytest.mark.django_db

Q3 = Quarter(2026, 3)


def counting(counts: dict[Quarter, list[Count]], **extra: object) -> Measure:
    return Measure(
        key="fake.events",
        population="fake.events",
        section="Fake",
        title="Events",
        description="",
        categories=(Category("a", "A"), Category("b", "B")),
        count=lambda quarter: counts.get(quarter, []),
        **extra,  # type: ignore[arg-type]
    )


def test_a_quarter_is_published_once_and_frozen(world: World, only_providers) -> None:
    counts = {Q3: [Count(world.units["AM"].pk, "a", 30), Count(world.units["AM"].pk, "b", 2)]}
    measure = counting(counts)
    only_providers(Provider("fake", measures=(measure,)))
    first = services.publish_quarter(measure=measure, quarter=Q3)
    counts[Q3].append(Count(world.units["DH"].pk, "a", 50))  # the data changes afterwards
    again = services.publish_quarter(measure=measure, quarter=Q3)
    assert again.pk == first.pk
    assert again.payload == first.payload  # what the works council saw stands
    with pytest.raises(PermissionError):
        first.save()


def test_counts_land_on_top_level_units_with_fixed_rows(world: World, only_providers) -> None:
    team = world.units["AM-D1-T1"]
    measure = counting({Q3: [Count(team.pk, "a", 7), Count(None, "b", 9)]}, unattributed="Other")
    only_providers(Provider("fake", measures=(measure,)))
    payload = services.publish_quarter(measure=measure, quarter=Q3).payload
    rows = [key for key, _label in payload["rows"]]
    # Every top-level unit, whether counted or not, and the unattributed row last.
    assert rows == [f"u{world.units['AM'].pk}", f"u{world.units['DH'].pk}", figures.UNATTRIBUTED]
    table = figures.protected_table(payload).table
    assert table.cells == ((7, 0), (0, 0), (0, 9))


def test_a_provider_bug_is_not_published(world: World) -> None:
    with pytest.raises(ValueError, match="unknown category"):
        services.publish_quarter(measure=counting({Q3: [Count(None, "zzz", 1)]}), quarter=Q3)
    with pytest.raises(ValueError, match="without a unit"):
        services.publish_quarter(measure=counting({Q3: [Count(None, "a", 1)]}), quarter=Q3)


def test_the_year_is_published_with_its_four_quarters(world: World, only_providers) -> None:
    am = world.units["AM"].pk
    counts = {
        q: [Count(am, "a", 20 + q.number), Count(am, "b", q.number)] for q in Quarter.of_year(2025)
    }
    measure = counting(counts)
    only_providers(Provider("fake", measures=(measure,)))
    for quarter in Quarter.of_year(2025)[:3]:
        services.publish_quarter(measure=measure, quarter=quarter)
    assert services.publish_year(measure=measure, year=2025) is None  # Q4 not yet
    services.publish_quarter(measure=measure, quarter=Quarter(2025, 4))
    year = services.publish_year(measure=measure, year=2025)
    assert year is not None
    assert year.payload["values"] == [90, 10]
    assert year.payload["total"] == 100
    assert (
        CellState(year.payload["col_states"][1]) is not CellState.SHOWN
        or year.payload["values"][1] >= 5
    )


def test_publish_due_covers_completed_quarters_only(
    world: World, only_providers, log_entry
) -> None:
    measure = counting({})
    only_providers(Provider("fake", measures=(measure,)))
    log_entry(role=Role.INVESTIGATOR, employee=world.subject, when=at(Quarter(2024, 2).start))
    written = services.publish_due(today=TODAY)
    published = set(Publication.objects.values_list("year", "quarter"))
    # At most eight quarters back, up to the last completed one (Q3 2026), and the year 2025.
    assert (2026, 4) not in published
    assert (2026, 3) in published
    assert (2024, 4) in published
    assert (2024, 3) not in published
    assert (2025, 0) in published
    assert written == len(published)
    assert services.publish_due(today=TODAY) == 0  # idempotent


def test_nothing_is_published_before_vik_is_in_use(world: World) -> None:
    assert services.publish_due(today=TODAY) == 0


def test_looks_and_reveals_are_counted_apart(world: World, log_entry) -> None:
    when = at(Q3.start)
    for _ in range(6):
        log_entry(role=Role.INVESTIGATOR, employee=world.subject, when=when)
    log_entry(
        role=Role.ANALYST,
        employee=world.subject,
        when=when,
        action=AccessAction.REVEAL,
        object_type="monitoring.signal",
    )
    log_entry(
        role=Role.PRIVACY_OFFICER,
        employee=None,
        when=when,
        action=AccessAction.SEARCH,
        object_type="vik.accesslogentry",
    )
    log_entry(
        role=Role.ANALYST, employee=world.outsider, when=at(Quarter(2026, 4).start)
    )  # next quarter
    looks = {(c.unit_id, c.category): c.value for c in core.count_looks(Q3)}
    assert looks == {
        (world.units["AM"].pk, Role.INVESTIGATOR.value): 6,
        (None, Role.PRIVACY_OFFICER.value): 1,
    }
    reveals = core.count_reveals(Q3)
    assert [(c.unit_id, c.category, c.value) for c in reveals] == [
        (world.units["AM"].pk, "monitoring", 1)
    ]
    assert AccessLogEntry.objects.count() == 9


def test_the_figures_on_record_never_show_a_small_count(world: World, log_entry) -> None:
    when = at(Q3.start)
    for _ in range(3):
        log_entry(role=Role.TEAM_CHIEF, employee=world.subject, when=when)
    for _ in range(40):
        log_entry(role=Role.INVESTIGATOR, employee=world.subject, when=when)
    publication = services.publish_quarter(measure=core.PROVIDER.measures[0], quarter=Q3)
    table = figures.display_table(core.PROVIDER.measures[0], publication.payload)
    printed = [f for row in table.rows for f in (*row.figures, row.total)] + [
        *table.totals,
        table.total,
    ]
    assert all(f.value is None or f.value == 0 or f.value >= 5 for f in printed)
    assert "×" in {f.text for f in printed}
    assert "< 5" not in {f.text for f in printed}

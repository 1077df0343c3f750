"""The provider protocol: discovery, clashes refused, and the questions asked across apps."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.conftest import World
from vik.transparency import core
from vik.transparency import transparency as own_provider
from vik.transparency.registry import (
    Audience,
    Category,
    Count,
    DeferralSet,
    DisclosureCategory,
    Measure,
    ObjectRef,
    OwnDataItem,
    OwnDataRequest,
    OwnDataSection,
    Provider,
    Quarter,
    Registry,
    RetentionCategory,
    discover_providers,
    get_registry,
    use_providers,
)
from vik.transparency.retention import PLANNED_CATEGORIES


def measure(key: str, population: str | None = None) -> Measure:
    return Measure(
        key=key,
        population=population or key,
        section="s",
        title=key,
        description="",
        categories=(Category("a", "A"),),
        count=lambda quarter: [Count(None, "a", 1)],
    )


def test_quarters() -> None:
    q = Quarter.containing(datetime.date(2026, 11, 20))
    assert (q.year, q.number, q.key) == (2026, 4, "2026-4")
    assert q.start == datetime.date(2026, 10, 1)
    assert q.end == datetime.date(2027, 1, 1)
    assert q.next() == Quarter(2027, 1)
    assert Quarter(2027, 1).previous() == q
    assert Quarter.parse("2025-2") == Quarter(2025, 2)
    assert Quarter.of_year(2025)[-1] == Quarter(2025, 4)
    assert q.start_at.tzinfo is not None
    with pytest.raises(ValueError, match="no quarter"):
        Quarter(2026, 5)


def test_the_core_and_this_app_are_providers() -> None:
    labels = [p.app_label for p in discover_providers()]
    assert labels[0] == "vik"  # built in: vik/transparency.py would be this package
    assert "transparency" in labels
    registry = get_registry()
    assert registry.measure("vik.access_log_by_role") in registry.measures()
    assert registry.retention_category("vik.access_log").purge is not None


def test_planned_categories_stand_in_until_their_app_registers() -> None:
    planned = {c.key for c in PLANNED_CATEGORIES}
    assert "screening.dossiers" in planned
    mine = RetentionCategory("screening.dossiers", "Dossiers", 3, "because", purge=lambda r: 0)
    registry = Registry((Provider("screening", retention=(mine,)),), PLANNED_CATEGORIES)
    assert registry.retention_category("screening.dossiers") is mine
    assert registry.retention_category("cases.closed_violation").purge is None


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (
            Provider("a", measures=(measure("x"),)),
            Provider("b", measures=(measure("x", "p"),)),
            "measure",
        ),
        (
            Provider("a", measures=(measure("x", "p"),)),
            Provider("b", measures=(measure("y", "p"),)),
            "same population",
        ),
        (
            Provider(
                "a", disclosure_categories=(DisclosureCategory("c", "C", object_types=("t",)),)
            ),
            Provider(
                "b", disclosure_categories=(DisclosureCategory("d", "D", object_types=("t",)),)
            ),
            "object type",
        ),
        (
            Provider("a", retention=(RetentionCategory("r", "R", 1, ""),)),
            Provider("b", retention=(RetentionCategory("r", "R", 2, ""),)),
            "retention category",
        ),
    ],
)
def test_clashes_are_refused(first: Provider, second: Provider, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        Registry((first, second))


def test_a_provider_that_fails_to_import_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    real = importlib.import_module

    def broken(name: str, *args: object) -> object:
        if name == "vik.transparency.transparency":
            raise ModuleNotFoundError(
                "No module named 'missing_dependency'", name="missing_dependency"
            )
        return real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError):
        discover_providers()


@pytest.mark.django_db
def test_own_data_and_closed_matters_across_fake_providers(world: World) -> None:
    seen: list[OwnDataRequest] = []

    def own_data(request: OwnDataRequest) -> list[OwnDataSection]:
        seen.append(request)
        items = tuple(
            OwnDataItem(title=f"signal {n}", object_ref=ObjectRef("fake.signal", str(n)))
            for n in (1, 2)
            if not request.deferrals.covers("fake.signals", ObjectRef("fake.signal", str(n)))
        )
        return [OwnDataSection("fake", "fake.signals", "Signals", "", items, order=5)]

    def closed(employee: object, refs: object) -> set[ObjectRef]:
        return {ObjectRef("fake.signal", "1"), ObjectRef("other.thing", "9")}

    fake = Provider(
        "fake",
        disclosure_categories=(
            DisclosureCategory("fake.signals", "Signals", object_types=("fake.signal",)),
        ),
        own_data=own_data,
        closed_matters=closed,
    )
    with use_providers(fake) as registry:
        deferrals = DeferralSet(
            objects=frozenset({("fake.signals", ObjectRef("fake.signal", "2"))})
        )
        sections = registry.own_data(OwnDataRequest(world.subject, Audience.OVERVIEW, deferrals))
        assert [item.title for item in sections[0].items] == ["signal 1"]
        closed_refs, claimed = registry.closed_matters(
            world.subject,
            [
                ObjectRef("fake.signal", "1"),
                ObjectRef("fake.signal", "3"),
                ObjectRef("vik.employee", "1"),
            ],
        )
        # Only refs the provider owns count; a claim about another app's object is ignored.
        assert closed_refs == {ObjectRef("fake.signal", "1")}
        assert claimed == {ObjectRef("fake.signal", "1"), ObjectRef("fake.signal", "3")}
    assert seen[0].audience is Audience.OVERVIEW


def test_deferral_sets() -> None:
    ref = ObjectRef("cases.investigation", "7")
    deferrals = DeferralSet(
        frozenset({"vik.access_log"}), frozenset({("cases.investigations", ref)})
    )
    assert deferrals.covers("vik.access_log")
    assert deferrals.covers("cases.investigations", ref)
    assert not deferrals.covers("cases.investigations", ObjectRef("cases.investigation", "8"))
    assert not deferrals.covers("cases.investigations")


def test_the_built_in_measures_count_disjoint_populations() -> None:
    populations = [m.population for m in core.PROVIDER.measures + own_provider.PROVIDER.measures]
    assert len(populations) == len(set(populations))


def test_a_category_asked_before_discovery_is_the_one_the_full_registry_holds() -> None:
    # The importers ask for one category in a fresh process: its own app's provider
    # answers, without importing every app's transparency module first.
    from vik.transparency import registry as module

    keys = [category.key for category in get_registry().retention_categories()]
    full = {key: get_registry().retention_category(key) for key in keys}
    try:
        for key in keys:
            module._discovered.cache_clear()
            assert module.retention_category(key) == full[key], key
        module._discovered.cache_clear()
        module.retention_category("monitoring.access_events")
        assert not module._discovered.cache_info().currsize
    finally:
        module._discovered.cache_clear()

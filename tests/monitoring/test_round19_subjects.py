"""Round 19: a large subject table is loaded once per run, its repeated values shared.

At 20,000 employees the 610,000 subjects did not fit the 400,000 the cache then held: every
assess chunk read its subjects by reference into a cache that kept emptying itself, a sixth
of the run. The cache now holds a million (``VIK_DETECTION_SUBJECT_CACHE``); above
``SHARE_ABOVE`` subjects the repeated values (kind, surname, street, area, region) are one
object each, halving a subject's memory. Whichever way a subject is built, detection must
see the same facts.
"""

from __future__ import annotations

import pytest

from monitoring.detection import context
from tests.conftest import World
from tests.monitoring.conftest import Delivery

pytestmark = pytest.mark.django_db


def _deliver(delivery: Delivery) -> None:
    delivery.subject("S-1", last_name="Jansen", postcode="1011AB", house_number="1")
    delivery.subject("S-2", last_name="Jansen", postcode="1011AB", house_number="3")
    delivery.subject("S-3", last_name="Bakker", postcode="3511CD", incidents=("I-1", "I-2"))
    delivery.load()


def _loaded(
    *, share_above: int, wanted: bool, monkeypatch: pytest.MonkeyPatch, fits: bool = True
) -> dict:
    monkeypatch.setattr(context, "SHARE_ABOVE", share_above)
    # A table that does not fit the cache is read by reference, chunk by chunk.
    monkeypatch.setattr(context.SUBJECTS, "limit", 1_000_000 if fits else 2)
    context.reset_caches()
    context.preload_subjects(wanted=wanted)
    found = context.subjects_for({"S-1", "S-2", "S-3", "S-NONE"})
    context.reset_caches()
    return found


def test_shared_or_not_whole_or_by_reference_the_subjects_are_the_same(
    world: World, delivery: Delivery, monkeypatch: pytest.MonkeyPatch
) -> None:
    _deliver(delivery)
    plain = _loaded(share_above=10**9, wanted=True, monkeypatch=monkeypatch)
    assert plain["S-NONE"] is None
    assert plain["S-3"].incidents == ("I-1", "I-2")
    assert plain["S-1"].surname == plain["S-2"].surname != plain["S-3"].surname
    for share_above, wanted, fits in ((0, True, True), (0, True, False), (10**9, False, True)):
        found = _loaded(share_above=share_above, wanted=wanted, fits=fits, monkeypatch=monkeypatch)
        assert found == plain


def test_a_large_table_holds_one_object_per_repeated_value(
    world: World, delivery: Delivery, monkeypatch: pytest.MonkeyPatch
) -> None:
    _deliver(delivery)
    for fits in (True, False):  # loaded whole, or by reference
        shared = _loaded(share_above=0, wanted=True, fits=fits, monkeypatch=monkeypatch)
        one, other = shared["S-1"], shared["S-2"]
        assert one.surname is other.surname
        assert one.street is other.street
        assert one.kind is other.kind is shared["S-3"].kind
        assert one.address != other.address  # households apart

"""Round 16 of issue 10 (helper ``repeated``): the mole's own look-ups are no part of the
region's work that excuses them.

Since round 10 an opening on a day the employee's own region was busy with the thing (the
bursts phase's row of that day: at least ``celebrity.min_employees`` of its staff opened it
within the burst window) is no personal repeated interest. The employee's own look-up of
that day is one of the openers that row counts. The blind delivery at 600 employees (burnt
seed 8963, "one file's people"): four colleagues opened a person of an open incident of the
region over two days, the mole opened the file's people on five days — and on two of them
the mole was the fifth opener, so the region counted as at work and three days were left.
"""

from __future__ import annotations

import pytest

from monitoring.models import Signal
from tests.conftest import World
from tests.monitoring.conftest import Delivery, at, indicators_of
from tests.monitoring.test_failure_classes import D, _at_work, _region_staff
from vik.models import Employee

pytestmark = pytest.mark.django_db


def _colleagues_then_mole(delivery: Delivery, colleagues: int) -> tuple[list[Employee], Employee]:
    """Rotterdam's person S-HOT opened, without a work reason, by ``colleagues`` of its
    patrol on 20 October (at work that day); one more of its patrol opens it on the 21st,
    23rd, 26th and 29th. Returns (the region's staff, the one who comes back)."""
    patrol = _region_staff("RT", 40, teams=6)
    delivery.subject("S-HOT", last_name="Heet", region="RT")
    day = D(2026, 10, 20)
    for index, employee in enumerate(patrol[2 : 2 + colleagues]):
        delivery.event(employee, at(day, f"09:{10 + 5 * index}"), subject="S-HOT")
    _at_work(delivery, patrol[2 : 2 + colleagues], day.isoformat())
    mole = patrol[0]
    for day_of_month in (21, 23, 26, 29):
        delivery.event(mole, at(D(2026, 10, day_of_month), "14:20"), subject="S-HOT")
    return patrol, mole


def test_the_moles_own_look_does_not_make_the_region_at_work(
    world: World, delivery: Delivery
) -> None:
    """Four colleagues and the mole make five openers in the reach of the 21st and the 23rd:
    without the mole four, too few for the region's work. All four days count."""
    patrol, mole = _colleagues_then_mole(delivery, colleagues=4)
    delivery.detect()
    found = indicators_of(mole)["repeated_unexplained"]
    assert found["days"] == 4
    assert found["since"] == "2026-10-21"
    assert not Signal.objects.filter(employee__in=patrol[2:6]).exists()


def test_five_others_at_work_on_the_same_days_still_explain_them(
    world: World, delivery: Delivery
) -> None:
    """What stays: five colleagues are the region at work by themselves, and on the 21st and
    23rd they open the person too — those two days are explained, the two after them are
    too few to be repeated."""
    patrol, mole = _colleagues_then_mole(delivery, colleagues=5)
    for day_of_month in (21, 23):
        for index, employee in enumerate(patrol[2:7]):
            delivery.event(
                employee, at(D(2026, 10, day_of_month), f"10:{10 + 5 * index}"), subject="S-HOT"
            )
    delivery.detect()
    assert "repeated_unexplained" not in indicators_of(mole)


def test_the_days_after_the_regions_last_look_are_not_its_work(
    world: World, delivery: Delivery
) -> None:
    """Burnt seed 8964's class: the mole's person is, by chance, the region's subject of one
    briefing day (six of its patrol on 24 October). The bursts phase's rows call the region
    busy with it for the burst window after that (to the 28th); the mole's looks on the
    26th and 27th fell in it and were excused, though nobody of the region opened the
    person on those days. Before the briefing (20th, 22nd) and after it: four days."""
    patrol = _region_staff("RT", 40, teams=6)
    delivery.subject("S-WANTED", last_name="Gezocht", region="RT")
    briefing = patrol[2:8]
    for index, employee in enumerate(briefing):
        delivery.event(employee, at(D(2026, 10, 24), f"07:{10 + 4 * index}"), subject="S-WANTED")
    _at_work(delivery, briefing, "2026-10-24")
    mole = patrol[0]
    for day_of_month in (20, 22, 26, 27):
        delivery.event(mole, at(D(2026, 10, day_of_month), "14:20"), subject="S-WANTED")
    delivery.detect()
    found = indicators_of(mole)["repeated_unexplained"]
    assert found["days"] == 4
    assert not Signal.objects.filter(employee__in=briefing).exists()

"""Round 15 of issue 10: curiosity about a celebrity by staff whose function's scope covers it.

Round 14's evaluation (blind delivery at 6,000 employees): ten of 193 curious employees were
missed, nine strategic analysts (a ``national`` scope rule) and one intake employee (a
``regional`` scope rule in the celebrity's region). Their function's scope explained the
look-up, so they never counted in the burst the others made. A scope rule is need to know
for a function's everyday work; it does not make a look-up by name of a person everybody is
gazing at work. Such a look-up now joins a burst others made (never makes one), unless the
employee's own work touched the subject — one of the person's incident files opened that
day, a file the person was opened in, an assignment, a scope rule for the subject — or the
employee's region is at work on it (the burst's ``at_work``).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from monitoring.models import MonitoringParameter, SignalIndicator
from tests.conftest import World
from tests.monitoring.conftest import Delivery, at, indicators_of
from tests.monitoring.test_failure_classes import _region_staff
from vik.models import Employee, Function

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _scoped_join_on(db: None) -> None:
    """The switch was off as delivered in rounds 15-16 (migration 0024) and is on since
    round 17 (migration 0026); these tests pin it on whatever a later default."""
    MonitoringParameter.objects.filter(key="celebrity.scoped_join").update(value=1)


# Regions far from each other and from Amsterdam (RegionNeighbour, migration 0003).
_FAR = ("NN", "LB", "ZB", "OB")
_DAYS = ["2026-10-27", "2026-10-28", "2026-10-29"]


def _burst_with_an_analyst(delivery: Delivery) -> tuple[list[Employee], Employee]:
    """Amsterdam's celebrity (a party in an Amsterdam incident) searched by name over three
    days by seven of four far regions without any scope (a burst), and an analyst of a
    fifth far region whose function has a ``national`` scope rule. Everyone opens an own
    region's file in the morning (at work). Returns (the seven, the analyst)."""
    delivery.incident("I-AM-STAR", region="AM")
    delivery.subject("S-STAR", last_name="Bekend", region="AM", incidents=("I-AM-STAR",))
    crowd = [e for code in _FAR for e in _region_staff(code, 2)][:7]
    function = Function.objects.create(code="F-NAT", name="Werkt met landelijke bevoegdheid")
    delivery.scope(function="F-NAT", scope="national")
    analyst = _region_staff("GL", 3)[0]
    analyst.function = function
    analyst.save()
    for index, employee in enumerate([*crowd, analyst]):
        day = _DAYS[index % 3]
        region = employee.unit.region
        own = delivery.incident(f"I-{region}-{index}", region=region)
        delivery.event(employee, at(day, "08:00"), incident=own)
        if employee is not analyst:
            delivery.event(
                employee, at(day, "10:00") + datetime.timedelta(minutes=7 * index), subject="S-STAR"
            )
    return crowd, analyst


def test_a_scoped_analysts_search_by_name_within_a_burst_joins_it(
    world: World, delivery: Delivery
) -> None:
    """The nationally scoped analyst searches the celebrity by name on the burst's second
    day, with nothing of its case opened: the scope explains their work, not this — they
    are counted with the burst, the explanation says why (fails before: no signal)."""
    crowd, analyst = _burst_with_an_analyst(delivery)
    delivery.event(analyst, at("2026-10-28", "14:00"), subject="S-STAR")
    delivery.detect()
    details = indicators_of(analyst)["celebrity_burst"]
    assert details["scope_only"] is True
    assert indicators_of(crowd[0])["celebrity_burst"]["employees"] == 7  # the burst's own
    indicator = SignalIndicator.objects.get(signal__employee=analyst, code="celebrity_burst")
    with translation.override("nl"):
        assert "bevoegdheid" in indicator.explanation


def test_a_scoped_analyst_who_opened_the_persons_file_that_day_is_at_work(
    world: World, delivery: Delivery
) -> None:
    """What stays: the analyst opened the celebrity's incident file that day before
    looking the person up by name — their work touched the case. Not counted."""
    _crowd, analyst = _burst_with_an_analyst(delivery)
    delivery.event(analyst, at("2026-10-28", "13:50"), incident="I-AM-STAR")
    delivery.event(analyst, at("2026-10-28", "14:00"), subject="S-STAR")
    delivery.detect()
    assert "celebrity_burst" not in indicators_of(analyst)


def test_a_scoped_look_outside_a_burst_stays_explained(world: World, delivery: Delivery) -> None:
    """What stays: the analyst searches the person by name on a day no burst covers (a
    week before): the scope explains it."""
    _crowd, analyst = _burst_with_an_analyst(delivery)
    delivery.event(analyst, at("2026-10-19", "14:00"), subject="S-STAR")
    delivery.detect()
    assert "celebrity_burst" not in indicators_of(analyst)


def test_scoped_look_ups_alone_make_no_burst(world: World, delivery: Delivery) -> None:
    """What stays: six nationally scoped analysts of four regions search the same person by
    name over three days and nobody else does — their scope explains it, and scoped
    look-ups only ever join a burst others made."""
    delivery.incident("I-AM-STAR", region="AM")
    delivery.subject("S-STAR", last_name="Bekend", region="AM", incidents=("I-AM-STAR",))
    function = Function.objects.create(code="F-NAT", name="Werkt met landelijke bevoegdheid")
    delivery.scope(function="F-NAT", scope="national")
    six = [e for code in _FAR for e in _region_staff(code, 2)][:6]
    for index, employee in enumerate(six):
        employee.function = function
        employee.save()
        day = _DAYS[index % 3]
        delivery.event(
            employee, at(day, "10:00") + datetime.timedelta(minutes=index), subject="S-STAR"
        )
    delivery.detect()
    assert not SignalIndicator.objects.filter(code="celebrity_burst").exists()


def test_the_switch_turns_it_off(world: World, delivery: Delivery) -> None:
    """``celebrity.scoped_join`` = 0: the function's scope explains the look-up, as before."""
    MonitoringParameter.objects.filter(key="celebrity.scoped_join").update(value=0)
    _crowd, analyst = _burst_with_an_analyst(delivery)
    delivery.event(analyst, at("2026-10-28", "14:00"), subject="S-STAR")
    delivery.detect()
    assert "celebrity_burst" not in indicators_of(analyst)

"""Round 14 of issue 10: the celebrity-burst class still failing on round 13's evaluation,
pinned by a small hand-built case — and what must stay a region's work around the fix.

2a. The curious of a celebrity's own region while the curious elsewhere make a burst by
    themselves: the own region counted as busy with it as work (as many of its staff as
    make a burst opened it), so its curious were hidden — although, per employee, it was
    no more taken with the subject than the rest of the organisation. Work concentrates
    where the work is; curiosity reaches every part in proportion to its staff.
"""

from __future__ import annotations

import datetime

import pytest

from tests.conftest import World
from tests.monitoring.conftest import Delivery, at, indicators_of
from tests.monitoring.test_failure_classes import _at_work, _region_staff
from vik.models import Employee

pytestmark = pytest.mark.django_db

_DAYS = ["2026-10-27", "2026-10-28"]

# Regions far from each other (RegionNeighbour, migration 0003).
_FAR = ("LB", "ZB", "OB")


def _a_celebrity_of_noord_nederland(
    delivery: Delivery, *, at_home: int, far_regions: tuple[str, ...] = _FAR
) -> tuple[list[Employee], list[Employee]]:
    """Noord-Nederland (200 staff) and three regions far from it and from each other (100
    each). A celebrity of Noord-Nederland is arrested there: three of its detectives are
    assigned to the arrest and open the celebrity (their work). Over two days ``at_home``
    of Noord-Nederland's patrol open it once each (``returning`` of them again an hour
    later), and three of each far region do too — all of them at work those days.
    Returns (the own region's openers, the far openers)."""
    home = _region_staff("NN", 200, teams=4)
    far = [e for code in far_regions for e in _region_staff(code, 100, teams=2)[:3]]
    delivery.incident("I-NN-ARREST", region="NN")
    delivery.subject("S-STAR", last_name="Beroemd", region="NN", incidents=("I-NN-ARREST",))
    for detective in home[-3:]:
        delivery.assign(detective, "I-NN-ARREST")
        for hour in ("09:00", "13:00", "16:00"):
            delivery.event(detective, at(_DAYS[0], hour), subject="S-STAR")
    curious_home = home[: 8 * at_home : 8]
    for index, employee in enumerate(curious_home + far):
        day = _DAYS[index % 2]
        moment = at(day, "10:00") + datetime.timedelta(minutes=23 * index)
        delivery.event(employee, moment, subject="S-STAR")
        _at_work(delivery, [employee], day)
    return curious_home, far


def test_2a_the_own_regions_curious_beside_a_burst_elsewhere_are_found(
    world: World, delivery: Delivery
) -> None:
    """Round 14, class 2a (round 13's evaluation, blind delivery at 6,000 employees: fifteen
    curious of one celebrity's own region missed): six of Noord-Nederland's 200 look once
    at its arrested celebrity, nine of 300 elsewhere do too. Six are as many as make a
    burst, so Noord-Nederland counted as busy with it as work and its six were hidden;
    per employee it is no more taken with it than the rest (its detectives on the arrest
    have their assignment). All fifteen are the burst (fails before the fix)."""
    curious_home, far = _a_celebrity_of_noord_nederland(delivery, at_home=6)
    delivery.detect()
    for employee in curious_home + far:
        assert indicators_of(employee)["celebrity_burst"]["employees"] == 15


def test_a_celebritys_own_region_far_more_taken_with_it_is_still_at_work(
    world: World, delivery: Delivery
) -> None:
    """What stays: twenty-four of Noord-Nederland's 200 open it (the arrest's patrol, many
    times the rest's rate per employee): the region is at work on it, and only the nine
    curious elsewhere are the burst."""
    curious_home, far = _a_celebrity_of_noord_nederland(delivery, at_home=24)
    delivery.detect()
    for employee in curious_home:
        assert "celebrity_burst" not in indicators_of(employee)
    for employee in far:
        assert indicators_of(employee)["celebrity_burst"]["employees"] == 9


def test_a_celebritys_own_region_beside_curious_of_two_far_regions_is_still_at_work(
    world: World, delivery: Delivery
) -> None:
    """What stays: the curious elsewhere are three of each of two far regions — fewer parts
    than ``celebrity.min_units``, so no burst where no work reaches by itself to compare the
    own region with (five of a region's 265 at work on its arrest beside six curious of two
    far regions are 2.3 × apart per employee: round 14 development, project seed 12029).
    Noord-Nederland's six stay its work; the six far away are the burst."""
    curious_home, far = _a_celebrity_of_noord_nederland(delivery, at_home=6, far_regions=_FAR[:2])
    delivery.detect()
    for employee in curious_home:
        assert "celebrity_burst" not in indicators_of(employee)
    for employee in far:
        assert indicators_of(employee)["celebrity_burst"]["employees"] == 6


def test_2a_the_own_regions_curious_stay_found_when_the_far_parts_arrive_over_days(
    world: World, delivery: Delivery
) -> None:
    """Round 14, class 2a over days (development, blind seed 8955 at 6,000 employees: the
    curious far away arrived in two far parts first and in a third the next day). On the
    first two days the own region's six are as many as make a burst and the curious far
    away are in two parts only — too few to compare with — so those days record the own
    region as busy with it; on the third day a third far part joins and the own region's
    openers are found to be curiosity. The signals left a region busy on *any* day of a
    burst out of all of it; now a day that found its openers curious takes it back out of
    the busy parts, and all fifteen are the burst (fails before the fix in
    ``WindowDetector._bursts``)."""
    days = ["2026-10-27", "2026-10-28", "2026-10-29"]
    home = _region_staff("NN", 200, teams=4)
    far = {code: _region_staff(code, 100, teams=2)[:3] for code in _FAR}
    delivery.incident("I-NN-ARREST", region="NN")
    delivery.subject("S-STAR", last_name="Beroemd", region="NN", incidents=("I-NN-ARREST",))
    for detective in home[-3:]:
        delivery.assign(detective, "I-NN-ARREST")
        for hour in ("09:00", "13:00", "16:00"):
            delivery.event(detective, at(days[0], hour), subject="S-STAR")
    curious_home = home[: 8 * 6 : 8]
    schedule = [(employee, days[index % 2]) for index, employee in enumerate(curious_home)]
    schedule += [(employee, days[index % 2]) for index, employee in enumerate(far["LB"])]
    schedule += [(employee, days[index % 2]) for index, employee in enumerate(far["ZB"])]
    schedule += [(employee, days[2]) for employee in far["OB"]]
    for index, (employee, day) in enumerate(schedule):
        moment = at(day, "10:00") + datetime.timedelta(minutes=23 * index)
        delivery.event(employee, moment, subject="S-STAR")
        _at_work(delivery, [employee], day)
    delivery.detect()
    for employee, _day in schedule:
        found = indicators_of(employee)["celebrity_burst"]
        assert found["employees"] == 15
        assert "NN" not in found["busy"]  # the explanation no longer calls it busy

"""Round 12 of issue 10: the celebrity-burst classes still failing, each pinned by a small
hand-built case — and what must stay flagged (or unflagged) around each fix.

1. "busy by comparison" needs evidence of work where the subject's case is elsewhere: a
   region that holds nothing of a person or vehicle that is a party in incidents of other
   regions only is at work on it only when its staff are assigned to one of them.
3a. one opener where no work reaches is a glance, not a rate: it does not make the own
   region's few openers curiosity "no more taken with it than elsewhere".
12020. nothing spills over from a home none of whose staff opened the subject.
"""

from __future__ import annotations

import datetime

import pytest

from monitoring.models import SignalIndicator
from tests.conftest import World
from tests.factories import EmployeeFactory
from tests.monitoring.conftest import Delivery, at, indicators_of
from tests.monitoring.test_failure_classes import (
    _am_staff,
    _at_work,
    _region_staff,
    _support_unit,
)
from vik.models import Employee

pytestmark = pytest.mark.django_db

# --- 1. busy by comparison, without evidence of work ------------------------------------

# The days of the curiosity (a Rotterdam arrest on the 21st: Rotterdam is no region of this
# organisation), and when each of the curious looks: Midden-Nederland's first five over two
# days, then two more of it among the others'.
_MN_FIRST = [
    ("2026-10-21", "10:15"),
    ("2026-10-21", "14:40"),
    ("2026-10-21", "19:05"),
    ("2026-10-22", "09:30"),
    ("2026-10-22", "13:50"),
]
_MN_LATER = [("2026-10-23", "11:20"), ("2026-10-24", "15:35")]
_ELSEWHERE = [
    ("2026-10-22", "16:10"),
    ("2026-10-23", "08:45"),
    ("2026-10-23", "17:30"),
    ("2026-10-24", "10:05"),
]


def _organisation() -> tuple[list[Employee], list[Employee], list[Employee]]:
    """Midden-Nederland (200 staff), Limburg and Oost-Brabant (100 each, far from it and from
    Rotterdam) and Noord-Holland (100, next door to Midden-Nederland). Returns the staff of
    Midden-Nederland, Limburg and Oost-Brabant."""
    mn = _region_staff("MN", 200, teams=4)
    lb = _region_staff("LB", 100, teams=2)
    ob = _region_staff("OB", 100, teams=2)
    _region_staff("NH", 100, teams=2)
    return mn, lb, ob


def _curious_about_a_celebrity_from_elsewhere(
    delivery: Delivery, *, case: bool = True
) -> list[Employee]:
    """Eleven curious about a celebrity of Rotterdam over four days: seven of the large
    Midden-Nederland (five of them first, alone), two each of Limburg and Oost-Brabant —
    one look each, all at work those days (their work opens subjects all day). The
    celebrity is a party in Rotterdam's incident of the arrest (``case``), or in none (a
    car registered in Rotterdam that no incident names)."""
    mn, lb, ob = _organisation()
    if case:
        delivery.subject("S-STAR", last_name="Bekend", region="RT", incidents=("I-ARREST",))
        delivery.incident("I-ARREST", region="RT")
    else:
        delivery.subject("S-STAR", kind="vehicle", region="RT")
    curious = []
    for employee, (day, clock) in zip(mn[::25][:7], _MN_FIRST + _MN_LATER, strict=True):
        delivery.event(employee, at(day, clock), subject="S-STAR")
        _at_work(delivery, [employee], day)
        curious.append(employee)
    for employee, (day, clock) in zip(lb[:2] + ob[:2], _ELSEWHERE, strict=True):
        delivery.event(employee, at(day, clock), subject="S-STAR")
        _at_work(delivery, [employee], day)
        curious.append(employee)
    return curious


def test_curiosity_landing_mostly_in_one_large_region_is_no_work_of_that_region(
    world: World, delivery: Delivery
) -> None:
    """Round 12 (the blind delivery's 8317 and 8351, round 11's known limit): seven of the
    eleven curious about a celebrity from a region the organisation does not have are of
    one large region, five of them first. "Far more openers than the others" in a window
    made that region busy with it — like a region hunting a car registered elsewhere — and
    the four left were too few for a burst. The celebrity's case is Rotterdam's (the
    arrest's incident) and none of Midden-Nederland's staff is on it: its openers are
    curiosity like the others'. A burst of eleven (fails before the fix)."""
    curious = _curious_about_a_celebrity_from_elsewhere(delivery)
    delivery.detect()
    for employee in curious:
        assert indicators_of(employee)["celebrity_burst"]["employees"] == 11


def test_a_region_far_more_taken_with_a_subject_in_no_case_stays_at_work(
    world: World, delivery: Delivery
) -> None:
    """What stays (round 5's sought car, and the caveat: a delivery does not always link
    the sought car to the robbery's incident): the same look-ups at a vehicle registered in
    Rotterdam that no incident names. Nothing says where its case is, so the region with
    far more openers than the others is at work on it, as before; the four elsewhere are
    too few for a burst."""
    _curious_about_a_celebrity_from_elsewhere(delivery, case=False)
    delivery.detect()
    assert not SignalIndicator.objects.filter(code="celebrity_burst").exists()


def test_a_region_with_staff_assigned_to_the_subjects_case_is_at_work(
    world: World, delivery: Delivery
) -> None:
    """What stays: one of Midden-Nederland's detectives is assigned to the Rotterdam case
    (a joint investigation): the case is worked there, and the region's openers of the
    subject are its work, not curiosity. No burst."""
    _curious_about_a_celebrity_from_elsewhere(delivery)
    detective = Employee.objects.filter(unit__region="MN").order_by("pk")[3]
    delivery.assign(detective, "I-ARREST")
    delivery.detect()
    assert not SignalIndicator.objects.filter(code="celebrity_burst").exists()


# --- 3a. one opener where no work reaches is a glance, not a rate ---------------------------


def _a_resident_of_rotterdam(delivery: Delivery, unit_openers: int) -> list[Employee]:
    """An organisation of three regions that all border Rotterdam's — Rotterdam (260 staff),
    Midden-Nederland and Zeeland — and a unit of fifty without a region. Four of Rotterdam's
    patrol, at work those days, open one of its residents (in no incident) over four days,
    and ``unit_openers`` of the unit (at work too) open it as well. Returns the openers."""
    rotterdam = _region_staff("RT", 260, teams=4)
    _region_staff("MN", 100, teams=2)
    _region_staff("ZB", 60, teams=2)
    unit = _support_unit(50)
    delivery.subject("S-LOCAL", last_name="Bewoner", region="RT")
    openers = rotterdam[::60][:4] + unit[3 : 3 + unit_openers]
    days = ["2026-10-27", "2026-10-28", "2026-10-29", "2026-10-30", "2026-10-29", "2026-10-30"]
    for index, employee in enumerate(openers):
        delivery.event(
            employee,
            at(days[index], "10:00") + datetime.timedelta(minutes=37 * index),
            subject="S-LOCAL",
        )
        _at_work(delivery, [employee], days[index])
    return openers


def test_one_look_where_no_work_reaches_does_not_make_a_regions_few_openers_curiosity(
    world: World, delivery: Delivery
) -> None:
    """Round 12 (blind delivery 8324, development: forty-two false alerts; round 11's 8701:
    three): four of a region's patrol open one of its residents over four days in their
    everyday work, and one detective of a national unit, whose searches cover every region,
    opens the resident too. By rate the region (four of 260) was "no more taken with it"
    than the staff where no work reaches (one of 61), so its four were taken for curiosity
    and made a burst of five with him. One opener there is a glance, not a rate — as one
    opener of the own region is (round 6). No burst (fails before the fix)."""
    _a_resident_of_rotterdam(delivery, unit_openers=1)
    delivery.detect()
    assert not SignalIndicator.objects.filter(code="celebrity_burst").exists()


def test_two_looks_where_no_work_reaches_still_make_a_regions_few_openers_curiosity(
    world: World, delivery: Delivery
) -> None:
    """What stays: two of the unit open the resident as well — a pattern, and per employee
    the unit is more taken with it than the region: the region's four are that curiosity
    too, a burst of six."""
    openers = _a_resident_of_rotterdam(delivery, unit_openers=2)
    delivery.detect()
    for employee in openers:
        assert indicators_of(employee)["celebrity_burst"]["employees"] == 6


# --- 12020: nothing spills over from a home that does not open it ---------------------------


def _curious_next_door_to_den_haag(
    delivery: Delivery, world: World, *, home_at_work: bool
) -> list[Employee]:
    """Den Haag (sixty more staff), Amsterdam and Noord-Holland next door to it, Limburg and
    Oost-Brabant far from it. A person of Den Haag is opened once each by four of Amsterdam
    and two of Noord-Holland over two days, all at work those days; with ``home_at_work``
    four of Den Haag's own patrol open it too, each coming back to it half an hour later.
    Returns the curious next door."""
    den_haag = [
        EmployeeFactory(unit=world.units["DH"], team=world.units["DH-T1"], last_name=f"Hagenaar{i}")
        for i in range(60)
    ]
    amsterdam = _am_staff(60)
    noord_holland = _region_staff("NH", 60, teams=2)
    _region_staff("LB", 40)
    _region_staff("OB", 40)
    delivery.subject("S-STAR", last_name="Bekend", region="DH")
    curious = amsterdam[::13][:4] + noord_holland[5:7]
    for index, employee in enumerate(curious):
        day = "2026-10-23" if index < 3 else "2026-10-24"
        delivery.event(
            employee, at(day, "10:00") + datetime.timedelta(minutes=71 * index), subject="S-STAR"
        )
        _at_work(delivery, [employee], day)
    if home_at_work:
        for index, employee in enumerate(den_haag[::15][:4]):
            moment = at("2026-10-23", "09:00") + datetime.timedelta(minutes=45 * index)
            delivery.event(employee, moment, subject="S-STAR")
            delivery.event(employee, moment + datetime.timedelta(minutes=30), subject="S-STAR")
            _at_work(delivery, [employee], "2026-10-23")
    return curious


def test_curious_next_door_to_a_home_that_does_not_open_it_are_no_spill_over(
    world: World, delivery: Delivery
) -> None:
    """Round 12 (project generator 12020, development): six curious about someone of Den
    Haag, four of Amsterdam and two of Noord-Holland — both next door to Den Haag, whose
    own staff never opened it. Taken for spill-over of Den Haag's work, they needed a
    spread over three regions and had two. A home none of whose staff opened it is not at
    work on it: nothing of it spills over, and the six are curiosity like anywhere else
    (round 6's rule for a home the organisation does not have). A burst of six (fails
    before the fix)."""
    curious = _curious_next_door_to_den_haag(delivery, world, home_at_work=False)
    delivery.detect()
    for employee in curious:
        assert indicators_of(employee)["celebrity_burst"]["employees"] == 6


def test_openers_next_door_to_a_home_at_work_on_it_stay_its_spill_over(
    world: World, delivery: Delivery
) -> None:
    """What stays: four of Den Haag's own patrol open it too, each coming back to it over
    the job — the home is at work on it, and the six next door in two regions are its
    spill-over, too few parts for a burst."""
    _curious_next_door_to_den_haag(delivery, world, home_at_work=True)
    delivery.detect()
    assert not SignalIndicator.objects.filter(code="celebrity_burst").exists()

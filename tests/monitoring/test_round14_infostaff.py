"""Round 14 of issue 10: regionally scoped information staff at other regions' incident files.

Round 13's evaluation (blind delivery at 6,000 employees): 19 of its 24 false
``celebrity_burst`` alerts were information staff and analysts of several regions, each
with a ``regional`` scope rule, opening an incident file of another region in the same days.
Their scope rule explains their own region, not the other's. Their function's staff open
other regions' files every few days as ordinary work — 99 % of them ten or more different
files in two weeks, against 0–1 % of patrol, intake and detectives. That practice is learned
from the delivery per function (:func:`monitoring.detection.context.routine_elsewhere`): an
opening of another region's incident file (or of a party in it, within the file) by such
staff is then their function's routine. A person searched by name stays unexplained.
"""

from __future__ import annotations

import datetime

import pytest

from monitoring.detection.assess import ROUTINE
from monitoring.models import EventFinding, SignalIndicator
from tests.conftest import World
from tests.monitoring.conftest import Delivery, at, indicators_of
from tests.monitoring.test_failure_classes import _region_staff
from vik.models import Employee, Function

pytestmark = pytest.mark.django_db

# Regions far from each other and from Amsterdam (RegionNeighbour, migration 0003).
_REGIONS = ("NN", "LB", "ZB", "OB")
_ROUTINE_DAYS = ["2026-10-19", "2026-10-20", "2026-10-21", "2026-10-22"]
_BURST_DAYS = ["2026-10-27", "2026-10-28", "2026-10-29"]


def _information_staff(delivery: Delivery, *, routine: bool = True) -> list[Employee]:
    """Four regions of 40 staff; in each, five have a function with a ``regional`` scope
    rule (information staff). With ``routine`` each of the twenty opens, on four days of
    the week before, an incident file of two other regions (different files each: their
    everyday work following other regions' cases); without it they open their own region's
    files only. Returns the twenty."""
    function = Function.objects.create(code="F-INFO", name="Werkt met regionale bevoegdheid")
    delivery.scope(function="F-INFO")
    staff: list[Employee] = []
    for code in _REGIONS:
        region = _region_staff(code, 40, teams=2)
        for employee in region[:5]:
            employee.function = function
            employee.save()
            staff.append(employee)
    for index, employee in enumerate(staff):
        own = _REGIONS[index // 5]
        others = [code for code in _REGIONS if code != own]
        for number, day in enumerate(_ROUTINE_DAYS):
            region = others[(index + number) % len(others)] if routine else own
            ref = delivery.incident(f"I-{region}-R{index}-{number}", region=region)
            delivery.event(
                employee, at(day, "09:00") + datetime.timedelta(minutes=index), incident=ref
            )
    return staff


def _at_own_files(delivery: Delivery, employee: Employee, day: str) -> None:
    """The employee's own work of ``day``: a file of their own region (their scope)."""
    region = employee.unit.region
    ref = delivery.incident(f"I-{region}-OWN-{employee.personnel_number}-{day}", region=region)
    delivery.event(employee, at(day, "08:00"), incident=ref)


def _six_look_at(delivery: Delivery, staff: list[Employee], **opened: str) -> list[Employee]:
    """Six of the information staff, of all four regions, open the same thing over three
    days (one look each), each at work those days. Returns the six."""
    six = [staff[0], staff[6], staff[11], staff[16], staff[2], staff[8]]
    for index, employee in enumerate(six):
        day = _BURST_DAYS[index % 3]
        _at_own_files(delivery, employee, day)
        delivery.event(
            employee, at(day, "10:00") + datetime.timedelta(minutes=13 * index), **opened
        )
    return six


def test_information_staff_of_several_regions_at_another_regions_file_is_their_routine(
    world: World, delivery: Delivery
) -> None:
    """Round 14 (round 13's evaluation, blind delivery at 6,000 employees: 19 false alerts):
    six regionally scoped information staff of four regions open an incident file of
    Amsterdam over three days. Their function's staff open other regions' files every few
    days (each of them, the week before): an opening of another region's file is their
    routine, no curiosity — no burst (fails before: a burst of six)."""
    staff = _information_staff(delivery)
    delivery.incident("I-AM-MAJOR", region="AM")
    _six_look_at(delivery, staff, incident="I-AM-MAJOR")
    delivery.detect()
    assert not SignalIndicator.objects.filter(code="celebrity_burst").exists()


def test_a_party_opened_within_another_regions_file_is_the_same_routine(
    world: World, delivery: Delivery
) -> None:
    """The same six open a person of Amsterdam's major case from within its file (the log
    line names the incident): the same routine work — no burst (fails before)."""
    staff = _information_staff(delivery)
    delivery.incident("I-AM-MAJOR", region="AM")
    delivery.subject("S-SUSPECT", last_name="Verdacht", region="AM", incidents=("I-AM-MAJOR",))
    _six_look_at(delivery, staff, incident="I-AM-MAJOR", subject="S-SUSPECT")
    delivery.detect()
    assert not SignalIndicator.objects.filter(code="celebrity_burst").exists()


def test_a_celebrity_searched_by_name_by_the_same_staff_stays_a_burst(
    world: World, delivery: Delivery
) -> None:
    """What stays: the same six search a celebrity of Amsterdam by name — a party in
    Amsterdam's incident, but the log line names no file. The routine covers files, not
    people looked up outside them: a burst of six."""
    staff = _information_staff(delivery)
    delivery.incident("I-AM-MAJOR", region="AM")
    delivery.subject("S-STAR", last_name="Bekend", region="AM", incidents=("I-AM-MAJOR",))
    six = _six_look_at(delivery, staff, subject="S-STAR")
    delivery.detect()
    for employee in six:
        assert indicators_of(employee)["celebrity_burst"]["employees"] == 6


def test_without_the_routine_another_regions_file_stays_a_burst(
    world: World, delivery: Delivery
) -> None:
    """What stays: the same function's staff open only their own region's files the week
    before — nothing in the delivery shows other regions' files are their work — and six
    of them open Amsterdam's file: a burst of six, as before."""
    staff = _information_staff(delivery, routine=False)
    delivery.incident("I-AM-MAJOR", region="AM")
    six = _six_look_at(delivery, staff, incident="I-AM-MAJOR")
    delivery.detect()
    for employee in six:
        assert indicators_of(employee)["celebrity_burst"]["employees"] == 6


def test_curiosity_about_one_file_makes_no_routine(world: World, delivery: Delivery) -> None:
    """Twenty of a function open one and the same file of another region (one file each,
    however many of them): no routine of the function — distinct files per employee are
    counted, so curiosity about a case never explains itself. A burst."""
    staff = _information_staff(delivery, routine=False)
    delivery.incident("I-AM-MAJOR", region="AM")
    for index, employee in enumerate(staff):
        day = _BURST_DAYS[index % 3]
        _at_own_files(delivery, employee, day)
        delivery.event(
            employee,
            at(day, "10:00") + datetime.timedelta(minutes=7 * index),
            incident="I-AM-MAJOR",
        )
    delivery.detect()
    assert SignalIndicator.objects.filter(code="celebrity_burst").exists()


def test_a_relative_in_another_regions_file_stays_a_personal_link(
    world: World, delivery: Delivery
) -> None:
    """What stays: the routine is a function's general need to know, not a concrete task —
    a person at the employee's own address opened within another region's file is still a
    neighbour look-up (the finding names the routine as the opening's work reason)."""
    staff = _information_staff(delivery)
    employee = staff[0]
    delivery.home(employee, "1011AB", "1")
    delivery.incident("I-AM-MAJOR", region="AM")
    delivery.subject(
        "S-HOME",
        last_name="Huisgenoot",
        postcode="1011AB",
        house_number="1",
        region="AM",
        incidents=("I-AM-MAJOR",),
    )
    _at_own_files(delivery, employee, "2026-10-27")
    delivery.event(employee, at("2026-10-27", "11:00"), incident="I-AM-MAJOR", subject="S-HOME")
    delivery.detect()
    assert "neighbour" in indicators_of(employee)
    finding = EventFinding.objects.get(indicator="neighbour")
    assert finding.explanation == ROUTINE

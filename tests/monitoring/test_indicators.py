"""Every indicator fires on its misuse, and every confounder leaves it silent.

Each test delivers reference data and events through the real importers and runs the real
detection over the window 19 October – 1 November 2026 (which holds the change to winter
time on 25 October).
"""

from __future__ import annotations

import datetime

import pytest

from monitoring.models import Signal
from tests.conftest import World
from tests.factories import EmployeeFactory, UnitFactory
from tests.monitoring.conftest import Delivery, at, indicators_of
from vik.models import Employee, Function, Unit
from vik.services import rebuild_unit_ancestry

pytestmark = pytest.mark.django_db

D = datetime.date


# --- off duty ---------------------------------------------------------------------------


def test_off_duty_fires_for_lookups_on_an_evening_off(world: World, delivery: Delivery) -> None:
    delivery.office_weeks(world.subject)
    ids = delivery.lookups(world.subject, at("2026-10-21", "21:30"), 3, "off")
    delivery.detect()
    found = indicators_of(world.subject)
    assert found["off_duty"]["off_duty"] == 3
    signal = Signal.objects.get(employee=world.subject)
    assert set(signal.evidence.values_list("event_id", flat=True)) >= set(ids)


def test_off_duty_needs_more_than_a_stray_lookup(world: World, delivery: Delivery) -> None:
    delivery.office_weeks(world.subject)
    delivery.lookups(world.subject, at("2026-10-21", "21:30"), 2, "off")
    delivery.detect()
    assert "off_duty" not in indicators_of(world.subject)


def test_one_lookup_while_on_leave_or_sick_is_enough(world: World, delivery: Delivery) -> None:
    delivery.office_weeks(world.subject)
    delivery.shift(world.subject, at("2026-10-22", "00:00"), at("2026-10-24", "00:00"), "leave")
    delivery.office_weeks(world.colleague)
    delivery.shift(world.colleague, at("2026-10-22", "00:00"), at("2026-10-23", "00:00"), "sick")
    delivery.lookups(world.subject, at("2026-10-22", "11:00"), 1, "leave")
    delivery.lookups(world.colleague, at("2026-10-22", "10:00"), 1, "sick")
    delivery.detect()
    assert indicators_of(world.subject)["off_duty"]["leave"] == 1
    assert indicators_of(world.colleague)["off_duty"]["sick"] == 1


def test_night_shift_across_midnight_is_on_duty(world: World, delivery: Delivery) -> None:
    delivery.shift(world.subject, at("2026-10-12", "23:00"), at("2026-10-13", "07:00"))
    for day in range(19, 24):
        start = at(D(2026, 10, day), "23:00")
        delivery.shift(world.subject, start, start + datetime.timedelta(hours=8))
        delivery.lookups(world.subject, at(D(2026, 10, day + 1), "03:10"), 3, f"n{day}")
    delivery.shift(world.subject, at("2026-11-05", "23:00"), at("2026-11-06", "07:00"))
    delivery.detect()
    assert indicators_of(world.subject) == {}


def test_the_night_of_the_change_to_winter_time(world: World, delivery: Delivery) -> None:
    # 24 Oct 23:00 (+02:00) to 25 Oct 07:00 (+01:00) is a shift of nine hours; the hour
    # from 02:00 to 03:00 happens twice. Look-ups in both of them are on duty.
    delivery.shift(world.subject, at("2026-10-17", "23:00"), at("2026-10-18", "07:00"))
    delivery.shift(world.subject, at("2026-10-24", "23:00"), at("2026-10-25", "07:00"))
    delivery.shift(world.subject, at("2026-10-28", "23:00"), at("2026-10-29", "07:00"))
    first = at("2026-10-25", "02:30", fold=0)
    second = at("2026-10-25", "02:30", fold=1)
    assert first.isoformat().endswith("+02:00")
    assert second.isoformat().endswith("+01:00")
    delivery.lookups(world.subject, first, 3, "summer")
    delivery.lookups(world.subject, second, 3, "winter")
    delivery.lookups(world.subject, at("2026-10-25", "06:50"), 2, "late")
    delivery.detect()
    assert indicators_of(world.subject) == {}


def test_after_the_shift_on_the_change_night_is_off_duty(world: World, delivery: Delivery) -> None:
    # The nine-hour night ends at 07:00 winter time; 09:00 is outside the 90-minute margin.
    delivery.shift(world.subject, at("2026-10-17", "23:00"), at("2026-10-18", "07:00"))
    delivery.shift(world.subject, at("2026-10-24", "23:00"), at("2026-10-25", "07:00"))
    delivery.shift(world.subject, at("2026-10-28", "23:00"), at("2026-10-29", "07:00"))
    delivery.lookups(world.subject, at("2026-10-25", "09:00"), 3, "after")
    delivery.detect()
    assert indicators_of(world.subject)["off_duty"]["off_duty"] == 3


def test_a_missing_roster_is_unknown_not_off_duty(world: World, delivery: Delivery) -> None:
    # Rostered until 16 Oct and again from 2 Nov: the weeks between are missing, not free.
    delivery.office_weeks(world.subject, D(2026, 10, 5), D(2026, 10, 16))
    delivery.office_weeks(world.subject, D(2026, 11, 2), D(2026, 11, 13))
    delivery.lookups(world.subject, at("2026-10-21", "22:00"), 5, "gap")
    # And an employee without any roster at all.
    delivery.lookups(world.colleague, at("2026-10-21", "03:00"), 5, "none")
    delivery.detect()
    assert indicators_of(world.subject) == {}
    assert indicators_of(world.colleague) == {}


def test_on_call_is_on_duty(world: World, delivery: Delivery) -> None:
    delivery.office_weeks(world.subject)
    delivery.shift(world.subject, at("2026-10-21", "17:00"), at("2026-10-22", "08:30"), "oncall")
    delivery.lookups(world.subject, at("2026-10-22", "02:00"), 4, "call")
    delivery.detect()
    assert indicators_of(world.subject) == {}


def test_overtime_within_the_margin_is_on_duty(world: World, delivery: Delivery) -> None:
    delivery.office_weeks(world.subject)
    delivery.lookups(world.subject, at("2026-10-21", "18:15"), 3, "late")  # 75 min after
    delivery.lookups(world.subject, at("2026-10-22", "07:15"), 3, "early")  # 75 min before
    delivery.detect()
    assert indicators_of(world.subject) == {}


def test_a_whole_day_of_work_outside_the_roster_is_taken_as_a_missing_shift(
    world: World, delivery: Delivery
) -> None:
    delivery.office_weeks(world.subject)
    for day in (19, 20, 21, 22, 23):  # usual days: ten look-ups each
        delivery.lookups(world.subject, at(D(2026, 10, day), "09:00"), 10, f"d{day}")
    # Saturday: a full day of ordinary work, 09:00 to 16:00, but no shift in the roster.
    for hour in range(9, 17):
        delivery.lookups(world.subject, at("2026-10-24", f"{hour:02d}:00"), 1, f"sat{hour}")
    delivery.detect()
    assert indicators_of(world.subject) == {}


def test_a_night_shift_missing_from_the_roster_is_one_shift_across_midnight(
    world: World, delivery: Delivery
) -> None:
    """A night shift, 22:00 to 06:00, that the roster does not show: after midnight a whole
    working day's look-ups (taken as a missing shift); before midnight four more. Those four
    are the same shift, not four look-ups off duty (round 3)."""
    delivery.office_weeks(world.subject)
    for day in (19, 20, 21, 22, 23):  # usual days: ten look-ups each
        delivery.lookups(world.subject, at(D(2026, 10, day), "09:00"), 10, f"d{day}")
    for minute in (0, 30, 60, 90):
        delivery.lookups(
            world.subject,
            at("2026-10-23", "22:00") + datetime.timedelta(minutes=minute),
            1,
            f"eve{minute}",
        )
    for hour in range(0, 6):
        delivery.lookups(world.subject, at("2026-10-24", f"{hour:02d}:10"), 2, f"night{hour}")
    delivery.detect()
    assert "off_duty" not in indicators_of(world.subject)


def test_look_ups_off_duty_hours_away_from_a_missing_shift_still_count(
    world: World, delivery: Delivery
) -> None:
    """The same missing night shift, and four look-ups on Friday evening at 19:00 — hours
    before it began: off duty."""
    delivery.office_weeks(world.subject)
    for day in (19, 20, 21, 22, 23):
        delivery.lookups(world.subject, at(D(2026, 10, day), "09:00"), 10, f"d{day}")
    delivery.lookups(world.subject, at("2026-10-23", "19:00"), 4, "eve")
    for hour in range(0, 6):
        delivery.lookups(world.subject, at("2026-10-24", f"{hour:02d}:10"), 2, f"night{hour}")
    delivery.detect()
    assert indicators_of(world.subject)["off_duty"]["off_duty"] == 4


def _six_on(delivery: Delivery, employee: Employee, firsts: list[datetime.date]) -> None:
    """Early shifts (07:00-15:00), six days from each of ``firsts``."""
    for first in firsts:
        for offset in range(6):
            day = first + datetime.timedelta(days=offset)
            delivery.shift(employee, at(day, "07:00"), at(day, "15:00"))


def test_look_ups_in_days_off_the_roster_shows_once_are_off_duty_by_the_teams_rhythm(
    world: World, delivery: Delivery
) -> None:
    """Round 4 (seeds 203, 9409; 612 in development): six on, six off. The employee's
    roster in the delivery shows the six days off once, so by itself the break could be a
    missing roster; three colleagues of the team show a break as long, each at their own
    offset: the team's days off. Four look-ups on an evening in it are off duty."""
    team = world.units["AM-D1-T1"]
    colleagues = [
        EmployeeFactory(unit=world.units["AM"], team=team, last_name=f"Ploeg{k}") for k in range(3)
    ]
    _six_on(delivery, world.subject, [D(2026, 10, 13), D(2026, 10, 25)])
    for colleague, shift in zip(colleagues, (-3, 2, 4), strict=True):
        _six_on(
            delivery,
            colleague,
            [
                D(2026, 10, 13) + datetime.timedelta(days=shift),
                D(2026, 10, 25) + datetime.timedelta(days=shift),
            ],
        )
    for day in (13, 14, 15, 16, 17, 18, 25, 26):
        delivery.lookups(world.subject, at(D(2026, 10, day), "09:00"), 10, f"d{day}")
    delivery.lookups(world.subject, at("2026-10-21", "21:00"), 4, "eve")
    delivery.detect()
    assert indicators_of(world.subject)["off_duty"]["off_duty"] == 4


def test_a_missing_working_day_is_judged_on_all_its_accesses_not_only_the_unexplained(
    world: World, delivery: Delivery
) -> None:
    """The week after a sick leave is missing from the roster. The employee works a whole
    day on an incident they are assigned to, with a few free look-ups in between: those
    few are a fraction of a usual day, but the day's accesses outside the roster are not —
    a shift missing from the roster, not misuse."""
    delivery.office_weeks(world.subject, D(2026, 10, 12), D(2026, 10, 16))
    delivery.shift(world.subject, at("2026-10-19", "00:00"), at("2026-10-24", "00:00"), "sick")
    delivery.office_weeks(world.subject, D(2026, 10, 28), D(2026, 11, 13))  # 104 h later
    delivery.incident("I-CASE")
    delivery.assign(world.subject, "I-CASE")
    for day in (12, 13, 14, 15, 16):  # usual days: ten look-ups, ten on the case
        delivery.lookups(world.subject, at(D(2026, 10, day), "09:00"), 10, f"d{day}")
        for index in range(10):
            delivery.event(world.subject, at(D(2026, 10, day), f"1{index}:30"), incident="I-CASE")
    for hour in range(9, 17):  # Monday 26th, not in the roster
        delivery.lookups(world.subject, at("2026-10-26", f"{hour:02d}:00"), 1, f"mon{hour}")
        for minute in (10, 25, 40):
            delivery.event(
                world.subject, at("2026-10-26", f"{hour:02d}:{minute}"), incident="I-CASE"
            )
    delivery.detect(D(2026, 10, 12), D(2026, 11, 8))
    assert "off_duty" not in indicators_of(world.subject)


# --- after employment -------------------------------------------------------------------


def test_after_employment_fires(world: World, delivery: Delivery) -> None:
    world.subject.employment_end = D(2026, 10, 23)
    world.subject.save()
    delivery.lookups(world.subject, at("2026-10-23", "12:00"), 1, "last-day")
    ids = delivery.lookups(world.subject, at("2026-10-26", "12:00"), 1, "after")
    delivery.detect()
    found = indicators_of(world.subject)
    assert found["after_employment"] == {"count": 1, "employment_end": "2026-10-23"}
    evidence = Signal.objects.get(employee=world.subject).evidence.filter(
        indicator="after_employment"
    )
    assert list(evidence.values_list("event_id", flat=True)) == ids


# --- celebrity burst --------------------------------------------------------------------


def _crowd(world: World, size: int) -> list:
    """Curious employees of regions far from Amsterdam and from each other."""
    regions = []
    for code in ("NN", "LB", "ZB", "OB"):
        unit = UnitFactory(code=code, name=f"Eenheid {code}", kind=Unit.Kind.REGIONAL, region=code)
        regions.append(unit)
    return [
        EmployeeFactory(unit=regions[i % len(regions)], last_name=f"Nieuwsgierig{i}")
        for i in range(size)
    ]


def _am_crowd(world: World, size: int) -> list:
    teams = [world.units["AM-D1-T1"], world.units["AM-D1-T2"], world.units["DH-T1"]]
    return [
        EmployeeFactory(
            unit=team.parent if team.parent and team.parent.parent is None else world.units["AM"],
            team=team,
            last_name=f"Nieuwsgierig{i}",
        )
        for i, team in zip(range(size), teams * size, strict=False)
    ]


def test_celebrity_burst_signals_the_curious_not_the_investigators(
    world: World, delivery: Delivery
) -> None:
    delivery.incident("I-STAR")
    delivery.subject("S-STAR", last_name="Bekend", incidents=("I-STAR",))
    delivery.assign(world.colleague, "I-STAR")
    curious = _crowd(world, 6)
    for index, employee in enumerate(curious):
        delivery.event(employee, at("2026-10-22", f"{10 + index}:00"), subject="S-STAR")
    for hour in (9, 11, 15):
        delivery.event(world.colleague, at("2026-10-22", f"{hour}:30"), subject="S-STAR")
    delivery.detect()
    for employee in curious:
        details = indicators_of(employee)["celebrity_burst"]
        assert details["employees"] == 6
        assert details["target"] == "s:S-STAR"
    assert indicators_of(world.colleague) == {}
    keys = set(
        Signal.objects.filter(employee__in=curious).values_list("indicators__group_key", flat=True)
    )
    assert keys == {"burst:s:S-STAR:2026-10-22"}


def test_a_subject_opened_by_few_is_no_burst(world: World, delivery: Delivery) -> None:
    delivery.subject("S-STAR", last_name="Bekend")
    for index, employee in enumerate(_crowd(world, 4)):
        delivery.event(employee, at("2026-10-22", f"{10 + index}:00"), subject="S-STAR")
    delivery.detect()
    assert not Signal.objects.exists()


def test_regional_scope_explains_intake_opening_a_celebrity(
    world: World, delivery: Delivery
) -> None:
    intake = Function.objects.create(code="Intake-medewerker", name="Intake")
    delivery.scope(function="Intake-medewerker")
    delivery.subject("S-STAR", last_name="Bekend", region="AM")
    staff = _am_crowd(world, 6)
    for employee in staff:
        employee.function = intake
        employee.save()
    for index, employee in enumerate(staff):
        delivery.event(employee, at("2026-10-22", f"{10 + index}:00"), subject="S-STAR")
    delivery.detect()
    # The Amsterdam intake staff are explained; the one from The Hague is not, but alone.
    assert not Signal.objects.exists()


# --- relative / neighbour ---------------------------------------------------------------


def test_relative_same_surname_at_home(world: World, delivery: Delivery) -> None:
    world.subject.last_name = "van den Berg"
    world.subject.save()
    delivery.home(world.subject, "1011 ab", "12")
    delivery.subject("S-KID", last_name="Berg, van den", postcode="1011AB", house_number="12")
    delivery.event(world.subject, at("2026-10-21", "10:00"), subject="S-KID")
    delivery.detect()
    assert indicators_of(world.subject)["relative"]["matches"] == ["same_surname_home"]


def test_the_sisters_new_partner(world: World, delivery: Delivery) -> None:
    world.subject.last_name = "Zwartelingh"  # a very rare surname
    world.subject.save()
    delivery.home(world.subject, "1011AB", "12")
    delivery.subject(
        "S-SISTER", last_name="Zwartelingh", postcode="2511CD", house_number="7", region="DH"
    )
    delivery.subject(
        "S-PARTNER", last_name="Jansen", postcode="2511CD", house_number="7", region="DH"
    )
    delivery.event(world.subject, at("2026-10-21", "10:00"), subject="S-PARTNER")
    delivery.detect()
    assert indicators_of(world.subject)["relative"]["matches"] == ["family_address"]


def test_a_shared_common_surname_alone_is_no_signal(world: World, delivery: Delivery) -> None:
    world.subject.last_name = "de Vries"
    world.subject.save()
    delivery.home(world.subject, "1011AB", "12")
    # Enough bearers among the subjects to make "de Vries" common...
    for index in range(25):
        delivery.subject(
            f"S-DV{index}", last_name="de Vries", postcode="3511AA", house_number=str(index)
        )
    # ...so a de Vries elsewhere, or in the employee's neighbourhood but another street,
    # is no sign of family; nor is their housemate.
    delivery.subject("S-NEAR", last_name="de Vries", postcode="1011XY", house_number="3")
    delivery.subject("S-HOUSEMATE", last_name="Bakker", postcode="3511AA", house_number="1")
    delivery.event(world.subject, at("2026-10-21", "10:00"), subject="S-DV1")
    delivery.event(world.subject, at("2026-10-21", "10:05"), subject="S-NEAR")
    delivery.event(world.subject, at("2026-10-21", "10:10"), subject="S-HOUSEMATE")
    delivery.detect()
    assert indicators_of(world.subject) == {}


def test_a_rare_surname_nearby_is_a_possible_relative(world: World, delivery: Delivery) -> None:
    world.subject.last_name = "Kleinhout"
    world.subject.save()
    delivery.home(world.subject, "1011AB", "12")
    delivery.subject("S-NEAR", last_name="Kleinhout", postcode="1011XY", house_number="3")
    delivery.event(world.subject, at("2026-10-21", "10:00"), subject="S-NEAR")
    delivery.detect()
    assert indicators_of(world.subject)["relative"]["matches"] == ["same_surname_area"]


def test_neighbour_at_home_or_two_in_the_street(world: World, delivery: Delivery) -> None:
    delivery.home(world.subject, "1011AB", "12")
    delivery.home(world.colleague, "1012CD", "5")
    delivery.subject("S-HOUSEMATE", last_name="Peters", postcode="1011AB", house_number="12")
    delivery.subject("S-N1", last_name="Mulder", postcode="1012CD", house_number="7")
    delivery.subject("V-N2", kind="vehicle", last_name="Kok", postcode="1012CD", house_number="9")
    delivery.event(world.subject, at("2026-10-21", "10:00"), subject="S-HOUSEMATE")
    delivery.event(world.colleague, at("2026-10-21", "10:00"), subject="S-N1")
    delivery.event(world.colleague, at("2026-10-21", "10:05"), subject="V-N2")
    delivery.detect()
    assert indicators_of(world.subject)["neighbour"] == {"home": 1, "street": 0}
    assert indicators_of(world.colleague)["neighbour"] == {"home": 0, "street": 2}


def test_one_chance_encounter_in_the_street_is_no_signal(world: World, delivery: Delivery) -> None:
    delivery.home(world.subject, "1011AB", "12")
    delivery.subject(
        "V-PARKED", kind="vehicle", last_name="Kok", postcode="1011AB", house_number="20"
    )
    delivery.event(world.subject, at("2026-10-21", "10:00"), subject="V-PARKED")
    delivery.detect()
    assert indicators_of(world.subject) == {}


# --- self and colleagues ----------------------------------------------------------------


def test_self_and_colleague_lookups(world: World, delivery: Delivery) -> None:
    delivery.subject("S-SELF", kind="vehicle", employee=world.subject)
    delivery.subject("S-COLL", employee=world.colleague)
    delivery.event(world.subject, at("2026-10-21", "10:00"), subject="S-SELF")
    delivery.event(world.subject, at("2026-10-21", "10:01"), subject="S-SELF")
    delivery.event(world.outsider, at("2026-10-21", "10:00"), subject="S-COLL")
    delivery.detect()
    assert indicators_of(world.subject)["self_lookup"] == {"events": 2}
    assert indicators_of(world.outsider)["colleague_lookup"] == {"count": 1}


def test_a_colleague_who_is_a_victim_in_an_assigned_incident(
    world: World, delivery: Delivery
) -> None:
    delivery.incident("I-ASSAULT")
    delivery.subject("S-VICTIM", employee=world.colleague, incidents=("I-ASSAULT",))
    delivery.assign(world.subject, "I-ASSAULT", "2026-10-20")
    delivery.event(world.subject, at("2026-10-21", "10:00"), subject="S-VICTIM")
    delivery.event(
        world.subject, at("2026-10-21", "10:05"), subject="S-VICTIM", incident="I-ASSAULT"
    )
    delivery.detect()
    assert indicators_of(world.subject) == {}


def test_function_scope_does_not_explain_personal_links(world: World, delivery: Delivery) -> None:
    intake = Function.objects.create(code="Intake-medewerker", name="Intake")
    world.subject.function = intake
    world.subject.save()
    delivery.scope(function="Intake-medewerker")
    delivery.subject("S-COLL", employee=world.colleague, region="AM")
    delivery.event(world.subject, at("2026-10-21", "10:00"), subject="S-COLL")
    delivery.detect()
    assert indicators_of(world.subject)["colleague_lookup"] == {"count": 1}


# --- out of region ----------------------------------------------------------------------


def test_incident_of_a_far_region(world: World, delivery: Delivery) -> None:
    delivery.incident("I-LB", region="LB")  # Limburg: far from Amsterdam
    delivery.event(world.subject, at("2026-10-21", "10:00"), incident="I-LB")
    delivery.detect()
    assert indicators_of(world.subject)["out_of_region_incident"] == {
        "count": 1,
        "region": "AM",
        "regions": ["LB"],
    }


def test_neighbouring_region_assignment_and_vehicles_are_no_signal(
    world: World, delivery: Delivery
) -> None:
    delivery.incident("I-NH", region="NH")  # borders Amsterdam
    delivery.incident("I-ZB", region="ZB")
    delivery.assign(world.subject, "I-ZB", "2026-10-01")
    delivery.subject("V-LB", kind="vehicle", region="LB")  # a car from Limburg, stopped here
    delivery.event(world.subject, at("2026-10-21", "10:00"), incident="I-NH")
    delivery.event(world.subject, at("2026-10-21", "10:05"), incident="I-ZB")
    delivery.event(world.subject, at("2026-10-21", "10:10"), subject="V-LB")
    delivery.detect()
    assert indicators_of(world.subject) == {}


def _national_staff(size: int) -> list:
    national = Unit.objects.create(code="LE", name="Landelijke Eenheid", kind=Unit.Kind.NATIONAL)
    rebuild_unit_ancestry()  # a scope rule on a unit covers it and everything below it
    return [EmployeeFactory(unit=national, last_name=f"Landelijk{i}") for i in range(size)]


def _celebrity_opened_by(delivery: Delivery, staff: list) -> None:
    delivery.subject("S-STAR", last_name="Bekend", region="AM")
    for index, employee in enumerate(staff):
        delivery.event(employee, at("2026-10-22", f"{10 + index}:00"), subject="S-STAR")


def test_a_national_units_staff_have_no_need_to_know_by_its_kind(
    world: World, delivery: Delivery
) -> None:
    """Need to know beyond assignments comes only from scope rules, not a unit's kind."""
    national = _national_staff(3)
    _celebrity_opened_by(delivery, [*_crowd(world, 4), *national])
    delivery.detect()
    for employee in national:
        assert "celebrity_burst" in indicators_of(employee)


def test_a_national_scope_rule_gives_a_national_unit_every_regions_need_to_know(
    world: World, delivery: Delivery
) -> None:
    national = _national_staff(3)
    delivery.scope(unit="LE", scope="national")
    _celebrity_opened_by(delivery, [*_crowd(world, 4), *national])
    delivery.incident("I-LB", region="LB")
    delivery.event(national[0], at("2026-10-21", "10:00"), incident="I-LB")
    delivery.detect()
    for employee in national:
        assert indicators_of(employee) == {}


# --- volume -----------------------------------------------------------------------------


def _team_of_peers(world: World, size: int) -> list:
    return [
        EmployeeFactory(unit=world.units["AM"], team=world.units["AM-D1-T2"], last_name=f"Peer{i}")
        for i in range(size)
    ]


def test_volume_spike_against_own_baseline_and_peers(world: World, delivery: Delivery) -> None:
    for employee in [world.subject, *_team_of_peers(world, 5)]:
        for day in range(19, 31):
            for minute in range(0, 30 * 2, 2):  # thirty a day
                delivery.event(
                    employee, at(D(2026, 10, day), "09:00") + datetime.timedelta(minutes=minute)
                )
    for second in range(0, 250 * 60, 60):  # 250 more on one day
        delivery.event(
            world.subject, at("2026-10-27", "10:00") + datetime.timedelta(seconds=second)
        )
    delivery.detect()
    details = indicators_of(world.subject)["volume_spike"]
    assert details["day"] == "2026-10-27"
    assert details["events"] == 280
    assert Signal.objects.filter(indicators__code="volume_spike").count() == 1


def test_a_busy_day_is_no_spike(world: World, delivery: Delivery) -> None:
    for employee in [world.subject, *_team_of_peers(world, 5)]:
        for day in range(19, 31):
            count = 60 if (employee == world.subject and day == 27) else 30
            for minute in range(count):
                delivery.event(
                    employee, at(D(2026, 10, day), "09:00") + datetime.timedelta(minutes=minute)
                )
    delivery.detect()
    assert not Signal.objects.exists()


def _light_user_with_busy_peers(world: World, delivery: Delivery, *, own: int) -> None:
    """The subject opens ``own`` a day, five colleagues of the function sixty."""
    for employee in [world.subject, *_team_of_peers(world, 5)]:
        for day in range(19, 31):
            count = own if employee == world.subject else 60
            for minute in range(count):
                delivery.event(
                    employee, at(D(2026, 10, day), "08:00") + datetime.timedelta(minutes=minute)
                )


def test_a_light_users_spike_under_the_peer_factor_is_still_a_spike(
    world: World, delivery: Delivery
) -> None:
    """Ten a day, then 150 on one day: fifteen times the own usual day, but only 2.5 times
    the function's median — under ``volume.peer_factor``. Many times one's own day (at least
    ``volume.own_factor_alone``, and at least a colleague's day) is enough (round 3, d)."""
    _light_user_with_busy_peers(world, delivery, own=10)
    for second in range(0, 140 * 60, 60):
        delivery.event(
            world.subject, at("2026-10-27", "12:00") + datetime.timedelta(seconds=second)
        )
    delivery.detect()
    details = indicators_of(world.subject)["volume_spike"]
    assert details["events"] == 150
    assert details["own_ratio"] == "15"


def test_a_light_users_busy_day_under_the_own_factor_alone_is_no_spike(
    world: World, delivery: Delivery
) -> None:
    """Twenty-five a day, then 110: 4.4 times the own day (under ``volume.own_factor_alone``)
    and under the peer factor — a busy day, not a spike."""
    _light_user_with_busy_peers(world, delivery, own=25)
    for second in range(0, 85 * 60, 60):
        delivery.event(
            world.subject, at("2026-10-27", "12:00") + datetime.timedelta(seconds=second)
        )
    delivery.detect()
    assert "volume_spike" not in indicators_of(world.subject)


# --- repeated unexplained ---------------------------------------------------------------


def test_the_mole_opens_one_network_on_many_days(world: World, delivery: Delivery) -> None:
    delivery.incident("I-GANG")
    for member in range(4):
        delivery.subject(f"S-GANG{member}", incidents=("I-GANG",))
    for index, day in enumerate((20, 22, 26, 29)):
        delivery.event(world.subject, at(D(2026, 10, day), "11:00"), subject=f"S-GANG{index}")
    delivery.detect()
    details = indicators_of(world.subject)["repeated_unexplained"]
    assert details["days"] == 4
    assert details["network"] is True
    assert details["key"] == "i:I-GANG"


def test_three_days_are_not_yet_repeated(world: World, delivery: Delivery) -> None:
    delivery.subject("S-ONE")
    for day in (20, 22, 26):
        delivery.event(world.subject, at(D(2026, 10, day), "11:00"), subject="S-ONE")
    delivery.detect()
    assert indicators_of(world.subject) == {}


def test_assigned_work_on_many_days_is_explained(world: World, delivery: Delivery) -> None:
    delivery.incident("I-CASE")
    delivery.subject("S-SUSPECT", incidents=("I-CASE",))
    delivery.assign(world.subject, "I-CASE", "2026-10-01")
    for day in (20, 21, 22, 23, 26, 27):
        delivery.event(world.subject, at(D(2026, 10, day), "11:00"), subject="S-SUSPECT")
    delivery.detect()
    assert indicators_of(world.subject) == {}

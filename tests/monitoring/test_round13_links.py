"""Issue 10, round 13 (the blind delivery's classes other than bursts), pinned by small
hand-built cases.

1. **A neighbour met at work.** A person opened within an incident file that the log line
   names and that they are a party in — an incident of the employee's own region, open at
   the time — is not counted among the neighbours in the employee's street: the patrol
   officer sent to an incident in their own street. A neighbour searched by name, one at
   the employee's own address, and one in an incident of another region still count.
"""

from __future__ import annotations

import datetime

import pytest

from tests.conftest import World
from tests.monitoring.conftest import Delivery, at, indicators_of

pytestmark = pytest.mark.django_db


# --- 1. a neighbour met at work ---------------------------------------------------------


def _street(delivery: Delivery, world: World) -> None:
    delivery.home(world.subject, "1011AB", "12")
    delivery.incident("BVH-OWN", region="AM")
    delivery.incident("BVH-FAR", region="DH")
    delivery.subject("S-SEARCHED", last_name="Mulder", postcode="1011AB", house_number="3")
    delivery.subject(
        "S-PARTY", last_name="Kok", postcode="1011AB", house_number="40", incidents=("BVH-OWN",)
    )
    delivery.subject(
        "S-ELSEWHERE",
        last_name="Smit",
        postcode="1011AB",
        house_number="41",
        incidents=("BVH-FAR",),
        region="DH",
    )


def test_a_neighbour_opened_within_an_open_incident_of_the_own_region_is_met_at_work(
    world: World, delivery: Delivery
) -> None:
    """One neighbour searched by name and one opened from the file of an open incident of
    the employee's region that names them: one chance encounter in the street, no signal."""
    _street(delivery, world)
    delivery.event(world.subject, at("2026-10-19", "08:24"), subject="S-SEARCHED", action="search")
    delivery.event(world.subject, at("2026-10-19", "12:09"), incident="BVH-OWN")
    delivery.event(world.subject, at("2026-10-19", "12:10"), subject="S-PARTY", incident="BVH-OWN")
    delivery.detect()
    assert "neighbour" not in indicators_of(world.subject)


def test_neighbours_searched_or_in_another_regions_incident_still_count(
    world: World, delivery: Delivery
) -> None:
    """What must stay: the same neighbour searched by name (the log line names no incident),
    and a neighbour opened within an incident of another region."""
    _street(delivery, world)
    delivery.event(world.subject, at("2026-10-19", "08:24"), subject="S-SEARCHED", action="search")
    delivery.event(world.subject, at("2026-10-20", "12:10"), subject="S-PARTY", action="search")
    delivery.event(
        world.subject, at("2026-10-21", "12:10"), subject="S-ELSEWHERE", incident="BVH-FAR"
    )
    delivery.detect()
    assert indicators_of(world.subject)["neighbour"] == {"home": 0, "street": 3}


# --- 2. the network an opening belongs to ------------------------------------------------


def _network(delivery: Delivery) -> None:
    """Incident A with its people P and Q; P is also a party in a new incident B."""
    delivery.incident("BVH-A", region="AM")
    delivery.incident("BVH-B", region="AM")
    delivery.subject("S-P", last_name="Pieters", incidents=("BVH-A", "BVH-B"))
    delivery.subject("S-Q", last_name="Quint", incidents=("BVH-A",))


def test_a_person_met_again_in_another_incident_counts_for_that_incident_only(
    world: World, delivery: Delivery
) -> None:
    """Q of incident A searched on two days; P opened from the file of incident B on two
    other days: A's network was opened on two days, B's on two, no repeated access."""
    _network(delivery)
    delivery.event(world.subject, at("2026-10-20", "10:00"), subject="S-Q", action="search")
    delivery.event(world.subject, at("2026-10-22", "10:00"), subject="S-Q", action="search")
    for day in ("2026-10-27", "2026-10-29"):
        delivery.event(world.subject, at(day, "09:59"), incident="BVH-B")
        delivery.event(world.subject, at(day, "10:00"), subject="S-P", incident="BVH-B")
    delivery.detect()
    assert "repeated_unexplained" not in indicators_of(world.subject)


def test_a_network_opened_by_name_on_four_days_stays_repeated(
    world: World, delivery: Delivery
) -> None:
    """What must stay: the same four days, P opened by name (no incident on the log line):
    A's network on four days."""
    _network(delivery)
    delivery.event(world.subject, at("2026-10-20", "10:00"), subject="S-Q", action="search")
    delivery.event(world.subject, at("2026-10-22", "10:00"), subject="S-Q", action="search")
    for day in ("2026-10-27", "2026-10-29"):
        delivery.event(world.subject, at(day, "10:00"), subject="S-P", action="search")
    delivery.detect()
    found = indicators_of(world.subject)["repeated_unexplained"]
    assert (found["days"], found["key"], found["network"]) == (4, "i:BVH-A", True)


# --- 3. a night's spike split at midnight ------------------------------------------------


def _nights(delivery: Delivery, world: World, spike: tuple[int, int]) -> None:
    """Night shifts 23:00–07:00 from 12 October to 6 November, ten look-ups a night (five
    on each side of midnight); on the night of 27 October ``spike`` look-ups before and
    after midnight."""
    day = datetime.date(2026, 10, 12)
    while day <= datetime.date(2026, 11, 6):
        nxt = day + datetime.timedelta(days=1)
        delivery.shift(world.subject, at(day, "23:00"), at(nxt, "07:00"))
        before, after = spike if day == datetime.date(2026, 10, 27) else (5, 5)
        for index in range(before):
            delivery.event(world.subject, at(day, "23:05") + datetime.timedelta(seconds=30 * index))
        for index in range(after):
            delivery.event(world.subject, at(nxt, "01:00") + datetime.timedelta(seconds=60 * index))
        day = nxt


def test_a_night_shifts_spike_split_at_midnight_is_one_working_period(
    world: World, delivery: Delivery
) -> None:
    """60 + 60 accesses in one night shift: 12 times the usual day, in the shift's hours."""
    _nights(delivery, world, (60, 60))
    delivery.detect()
    found = indicators_of(world.subject)["volume_spike"]
    assert (found["day"], found["events"]) == ("2026-10-27", 120)
    assert found["shift"] == ["2026-10-27T21:30+01:00", "2026-10-28T08:30+01:00"]


def test_a_busy_night_under_the_minimum_stays_no_spike(world: World, delivery: Delivery) -> None:
    """What must stay: 45 + 45 in one night is under ``volume.min_events`` (100)."""
    _nights(delivery, world, (45, 45))
    delivery.detect()
    assert "volume_spike" not in indicators_of(world.subject)


# --- 4. the cycle that keeps most shifts ---------------------------------------------------


def _weekdays_with_leave(delivery: Delivery, world: World) -> None:
    """Office hours on weekdays 12 October – 6 November, without Monday 19 October (a row
    missing from the delivery) and with leave from Saturday 24 to Thursday 29 October."""
    day = datetime.date(2026, 10, 12)
    while day <= datetime.date(2026, 11, 6):
        leave = datetime.date(2026, 10, 24) <= day < datetime.date(2026, 10, 29)
        if day.weekday() < 5 and day != datetime.date(2026, 10, 19) and not leave:
            delivery.shift(world.subject, at(day, "08:00"), at(day, "17:00"))
        day += datetime.timedelta(days=1)
    delivery.shift(world.subject, at("2026-10-24", "00:00"), at("2026-10-29", "00:00"), "leave")


def test_a_weekday_missing_before_a_leave_week_is_a_missing_row(
    world: World, delivery: Delivery
) -> None:
    """Four look-ups on the missing Monday afternoon, inside the hours the roster works a
    week before: a shift missing from the delivery (unknown), not off duty."""
    _weekdays_with_leave(delivery, world)
    for clock in ("13:20", "14:20", "15:20", "16:20"):
        delivery.event(world.subject, at("2026-10-19", clock))
    delivery.detect()
    assert "off_duty" not in indicators_of(world.subject)


def test_the_weekend_of_that_roster_stays_off_duty(world: World, delivery: Delivery) -> None:
    """What must stay: the same four look-ups on a Saturday evening after the leave."""
    _weekdays_with_leave(delivery, world)
    for clock in ("19:20", "20:20", "21:20", "22:20"):
        delivery.event(world.subject, at("2026-10-31", clock))
    delivery.detect()
    assert indicators_of(world.subject)["off_duty"]["off_duty"] == 4

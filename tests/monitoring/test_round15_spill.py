"""Round 15 of issue 10 (helper ``spill``): a celebrity's own region at work on it, beside a
burst where no work reaches, judged by the latest day that compared them.

Round 14 (class 2a) made the own region's openers curiosity when the parts where no work on
the subject reaches make a burst by themselves and the own region, per employee, opened it
less than ``celebrity.factor`` × as often; and any day of a burst that found so took the own
region out of the whole burst's busy parts. On the project generator's "busy home" variant
(development seed 12093 at 650 employees) the first day compared five of the region's 189
with five far curious — "no more taken with it" — and the next day nine of its staff had
opened it, more than the factor × the far parts' rate: its work. The first day's judgement
still spoke for the whole burst, and the first day's five were false alerts.
"""

from __future__ import annotations

import datetime

import pytest

from tests.conftest import World
from tests.monitoring.conftest import WINDOW_START, Delivery, at, detect, indicators_of
from tests.monitoring.test_failure_classes import _at_work, _region_staff
from vik.models import Employee

pytestmark = pytest.mark.django_db

_DAYS = ["2026-10-27", "2026-10-28"]
# Regions far from Noord-Nederland and from each other (RegionNeighbour, migration 0003).
_FAR = ("LB", "ZB", "OB")


def _home_at_work_beside_far_curious(
    delivery: Delivery,
) -> tuple[list[Employee], list[Employee], list[Employee]]:
    """Noord-Nederland's celebrity: six of its 200 staff and three of each far region's 100
    open it on the first day, eighteen more of its staff on the second. Returns (the first
    day's six, the second day's eighteen, the nine far away)."""
    home = _region_staff("NN", 200, teams=4)
    far = [e for code in _FAR for e in _region_staff(code, 100, teams=2)[:3]]
    delivery.incident("I-NN-ARREST", region="NN")
    delivery.subject("S-STAR", last_name="Beroemd", region="NN", incidents=("I-NN-ARREST",))
    first_home = home[0:48:8]  # six
    later_home = home[1:145:8]  # eighteen
    schedule = [(employee, _DAYS[0]) for employee in first_home + far]
    schedule += [(employee, _DAYS[1]) for employee in later_home]
    for index, (employee, day) in enumerate(schedule):
        moment = at(day, "10:00") + datetime.timedelta(minutes=13 * (index % 30))
        delivery.event(employee, moment, subject="S-STAR")
        _at_work(delivery, [employee], day)
    return first_home, later_home, far


def test_the_own_region_found_at_work_on_a_later_day_stays_at_work(
    world: World, delivery: Delivery
) -> None:
    """Noord-Nederland (200 staff) and three far regions (100 each). On the first day six of
    Noord-Nederland's staff and three of each far region open its arrested celebrity once:
    per employee the region is no more taken with it than the far parts (round 14: its six
    are curiosity). On the second day eighteen more of its staff open it — twenty-four, more
    than ``celebrity.factor`` × the far parts' rate: the region is at work on it. The latest judgement, over
    both days, stands: the nine far away are the burst, Noord-Nederland's openers are not
    (fails before: the first day's six were flagged)."""
    first_home, later_home, far = _home_at_work_beside_far_curious(delivery)
    delivery.detect()
    for employee in first_home + later_home:
        assert "celebrity_burst" not in indicators_of(employee)
    for employee in far:
        found = indicators_of(employee)["celebrity_burst"]
        assert found["employees"] == 9


def test_night_by_night_the_first_nights_home_openers_are_withdrawn_as_in_a_full_rerun(
    world: World, delivery: Delivery
) -> None:
    """The same burst detected night by night: the first night sees only the first day and
    flags the own region's six (that day's judgement is the latest); the second night's
    judgement finds the region at work, and the six are no longer flagged — the same
    signals as one run over both days (the nightly run's promise, issue 15)."""
    first_home, _later_home, far = _home_at_work_beside_far_curious(delivery)
    delivery.load()
    first, second = (datetime.date.fromisoformat(day) for day in _DAYS)
    detect(WINDOW_START, first)
    detect(second, second)
    nightly = {employee.pk: indicators_of(employee) for employee in first_home + far}
    for employee in first_home:
        assert "celebrity_burst" not in nightly[employee.pk]
    for employee in far:
        assert nightly[employee.pk]["celebrity_burst"]["employees"] == 9
    detect(WINDOW_START, second)
    assert {employee.pk: indicators_of(employee) for employee in first_home + far} == nightly

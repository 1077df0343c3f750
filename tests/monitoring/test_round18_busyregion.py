"""Round 18 of issue 10 (helper ``busyregion``): a region busy with its own subject, some of
whose openers have a function with a scope rule.

The bursts read the unexplained openings only. A look-up of the own region's subject by
staff whose function has a ``regional`` (or ``national``) scope rule is explained by that
rule, so those staff were invisible when whether the region is busy with its subject was
judged: eight of a region's staff over four teams opening the person of its own incident
over three days — five of them of a function with a regional scope rule — left three
visible, the region was not busy, its three were counted with the burst six curious far
away made, and its five scoped staff joined that burst (round 15, ``celebrity.scoped_join``:
their part was not at work on it): eight false alerts. Without the scope rule the region
is busy and none of its staff is flagged. Since round 18 such look-ups count as the
region's openers when it is judged (number, rate, way of opening), and nothing else.
A function with a scope rule whose staff did not open the subject changes nothing, before
and after.
"""

from __future__ import annotations

import datetime

import pytest

from monitoring.models import MonitoringParameter, SubjectBurst
from tests.conftest import World
from tests.monitoring.conftest import WINDOW_START, Delivery, at, detect, indicators_of
from tests.monitoring.test_failure_classes import _at_work, _region_staff
from vik.models import Employee, Function

pytestmark = pytest.mark.django_db

_DAYS = ["2026-10-27", "2026-10-28", "2026-10-29"]
# Regions far from Noord-Nederland and from each other (RegionNeighbour, migration 0003).
_FAR = ("LB", "ZB", "OB")


@pytest.fixture(autouse=True)
def _scoped_join_on(db: None) -> None:
    """On as delivered since round 17 (migration 0026); pinned on whatever a later default."""
    MonitoringParameter.objects.filter(key="celebrity.scoped_join").update(value=1)


def _region_at_work(
    delivery: Delivery,
    *,
    scoped: str,
    home_staff: int = 60,
    far_each: int = 2,
    file: bool = False,
) -> tuple[list[Employee], list[Employee], list[Employee]]:
    """Noord-Nederland's person of its own incident opened by name over three days by eight
    of its ``home_staff`` over four teams, and by ``far_each`` of each of three far regions'
    100 (curious: a burst by themselves). Everyone does other work those days. A function
    ``F-INT`` has a regional scope rule unless ``scoped`` is "none"; its staff are five of
    the eight openers ("openers") or two employees who never open the person ("bystanders").
    With ``file``, everyone opens the incident file itself instead of the person.
    Returns (the eight, the far curious, the function's staff)."""
    home = _region_staff("NN", home_staff, teams=4)
    far = [e for code in _FAR for e in _region_staff(code, 100, teams=2)[:far_each]]
    delivery.incident("I-NN-CASE", region="NN")
    delivery.subject("S-HOT", last_name="Gezocht", region="NN", incidents=("I-NN-CASE",))
    openers = home[0:40:5]  # eight, two of each of the four teams
    function = Function.objects.create(code="F-INT", name="Informatie")
    if scoped != "none":
        delivery.scope(function="F-INT", scope="regional")
    staff = openers[:5] if scoped in ("openers", "none") else [home[1], far[0]]
    for employee in staff:
        employee.function = function
        employee.save()
    for index, employee in enumerate(openers + far):
        day = _DAYS[index % 3]
        moment = at(day, "10:00") + datetime.timedelta(minutes=11 * index)
        if file:
            delivery.event(employee, moment, incident="I-NN-CASE")
        else:
            delivery.event(employee, moment, subject="S-HOT")
        _at_work(delivery, [employee], day)
    return openers, far, staff


def _flagged(employees: list[Employee]) -> list[bool]:
    return ["celebrity_burst" in indicators_of(employee) for employee in employees]


@pytest.mark.parametrize("scoped", ["none", "openers", "bystanders"])
def test_a_region_at_work_on_its_subject_is_busy_whoever_of_its_staff_opened_it(
    world: World, delivery: Delivery, scoped: str
) -> None:
    """Eight of Noord-Nederland's 60 open its incident's person over three days, six far
    curious make a burst. The region is busy with it — also when five of the eight have a
    function whose regional scope rule explains their look-ups (fails before: the region
    was not busy, and all eight were flagged: three counted, five joined) — and none of its
    staff is flagged; the six far away are the burst."""
    openers, far, _staff = _region_at_work(delivery, scoped=scoped)
    delivery.detect()
    assert _flagged(openers) == [False] * 8
    assert _flagged(far) == [True] * 6
    assert indicators_of(far[0])["celebrity_burst"]["employees"] == 6
    last = SubjectBurst.objects.get(target="s:S-HOT", day=datetime.date(2026, 10, 29))
    assert last.details["busy_parts"] == ["NN"]
    assert last.details["busy"] == {"NN": 8}


def test_a_region_at_work_on_its_incident_file_is_busy_with_its_scoped_staff(
    world: World, delivery: Delivery
) -> None:
    """The same for the region's incident file: five of the eight who open it have a
    function whose regional scope rule explains it. The region is busy with its file and
    none of its staff is flagged; the six far away are the burst (fails before: the
    region's three others were counted with it)."""
    openers, far, _staff = _region_at_work(delivery, scoped="openers", file=True)
    delivery.detect()
    assert _flagged(openers) == [False] * 8
    assert _flagged(far) == [True] * 6
    last = SubjectBurst.objects.get(target="i:I-NN-CASE", day=datetime.date(2026, 10, 29))
    assert last.details["busy_parts"] == ["NN"]


def test_scoped_staff_of_a_region_as_curious_as_the_rest_still_join(
    world: World, delivery: Delivery
) -> None:
    """What stays (round 15): the own region's scoped staff count as its openers, not as
    its work. Eight of a region of 600 (five of them scoped) beside nine curious of three
    far regions of 100: per employee the region is far less taken with it than the far
    parts (round 14) — curiosity like theirs. Its three are counted with the burst, its
    five scoped staff join it."""
    openers, far, _staff = _region_at_work(delivery, scoped="openers", home_staff=600, far_each=3)
    delivery.detect()
    assert _flagged(far) == [True] * 9
    assert _flagged(openers) == [True] * 8
    assert all(indicators_of(e)["celebrity_burst"].get("scope_only") for e in openers[:5])


def test_night_by_night_equals_a_full_rerun(world: World, delivery: Delivery) -> None:
    """The region at work with its scoped staff among the openers, detected night by
    night over the three days: the same signals as one run over the period (issue 15)."""
    openers, far, _staff = _region_at_work(delivery, scoped="openers")
    delivery.load()
    days = [datetime.date.fromisoformat(day) for day in _DAYS]
    detect(WINDOW_START, days[0])
    for day in days[1:]:
        detect(day, day)
    nightly = {e.pk: indicators_of(e) for e in openers + far}
    assert [bool(nightly[e.pk]) for e in openers] == [False] * 8
    assert [bool(nightly[e.pk]) for e in far] == [True] * 6
    detect(WINDOW_START, days[-1])
    assert {e.pk: indicators_of(e) for e in openers + far} == nightly

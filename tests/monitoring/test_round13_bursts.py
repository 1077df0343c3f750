"""Round 13 of issue 10: the celebrity-burst classes still failing, each pinned by a small
hand-built case — and what must stay flagged around each fix.

a. A region's ordinary subject (a party in its open incident, or in none): a handful of
   the region's patrol and two or three detectives of a national unit whose searches reach
   the region's subjects anyway were "curiosity by rate" — the detectives' looks are their
   work reaching the region, no rate of curiosity where no work reaches.
"""

from __future__ import annotations

import datetime

import pytest

from monitoring.models import SignalIndicator
from tests.conftest import World
from tests.factories import EmployeeFactory, UnitFactory
from tests.monitoring.conftest import Delivery, at, indicators_of
from tests.monitoring.test_failure_classes import _at_work, _region_staff
from vik.models import Employee, Unit

pytestmark = pytest.mark.django_db

# --- a. a national unit's looks at a subject whose case its region works -----------------


def _national_unit(size: int) -> list[Employee]:
    """``size`` detectives of a national unit LN (no region, no national scope rule)."""
    national = UnitFactory(code="LN", name="Landelijk LN", kind=Unit.Kind.NATIONAL, region="")
    team = UnitFactory(
        code="LN-T1", name="Recherche LN", kind=Unit.Kind.TEAM, parent=national, region=""
    )
    from vik.services import rebuild_unit_ancestry

    rebuild_unit_ancestry()
    return [
        EmployeeFactory(unit=national, team=team, last_name=f"Landelijk{i}") for i in range(size)
    ]


_DAYS = ["2026-10-27", "2026-10-28", "2026-10-29", "2026-10-30"]


def _a_worked_resident_of_rotterdam(
    delivery: Delivery, *, worked: bool = True, reach_region: bool = True, case: bool = True
) -> list[Employee]:
    """Rotterdam (260 staff), Midden-Nederland and Zeeland (all three border each other) and
    a national unit of 150 detectives. A resident of Rotterdam is a party in an open
    incident of Rotterdam (``case``; else in none); with ``worked`` one of Rotterdam's
    detectives is assigned to it.
    Four of Rotterdam's patrol open the resident over four days, and three of the national
    unit's detectives open it too — all at work those days; with ``reach_region`` each of
    the three also opens another of Rotterdam's residents that day (their searches cover
    every region). Returns the seven openers."""
    rotterdam = _region_staff("RT", 260, teams=4)
    _region_staff("MN", 100, teams=2)
    _region_staff("ZB", 60, teams=2)
    detectives = _national_unit(150)
    delivery.incident("I-RT-CASE", region="RT")
    incidents = ("I-RT-CASE",) if case else ()
    delivery.subject("S-LOCAL", last_name="Bewoner", region="RT", incidents=incidents)
    if worked:
        delivery.assign(rotterdam[7], "I-RT-CASE")
    openers = rotterdam[::60][:4] + detectives[2:5]
    days = _DAYS + _DAYS[1:]
    for index, employee in enumerate(openers):
        moment = at(days[index], "10:00") + datetime.timedelta(minutes=37 * index)
        delivery.event(employee, moment, subject="S-LOCAL")
        _at_work(delivery, [employee], days[index])
        if reach_region and employee in detectives:
            other = delivery.subject(f"S-OTHER-{index}", last_name=f"Ander{index}", region="RT")
            delivery.event(employee, moment + datetime.timedelta(minutes=20), subject=other)
    return openers


def test_a_national_units_looks_at_a_subject_whose_case_its_region_works_are_no_rate(
    world: World, delivery: Delivery
) -> None:
    """Round 13 (the blind delivery at 6,000 employees, round 12's evaluation: forty-two
    false alerts on eight such subjects): four of Rotterdam's patrol open one of its
    residents, a party in an open incident one of Rotterdam's detectives is assigned to,
    over four days in their everyday work; three detectives of a national unit whose
    searches cover every region open it too. By rate the region (four of 260) was "no more
    taken with it" than the staff where no work reaches (three of 150 and a few elsewhere),
    so its four were curiosity and made a burst of seven. The detectives' work reaches
    Rotterdam's subjects (they opened others of its residents those days): their looks are
    no rate of curiosity where no work reaches. No burst (fails before the fix)."""
    _a_worked_resident_of_rotterdam(delivery)
    delivery.detect()
    assert not SignalIndicator.objects.filter(code="celebrity_burst").exists()


def test_looks_where_no_work_reaches_still_make_a_worked_subjects_openers_curiosity(
    world: World, delivery: Delivery
) -> None:
    """What stays: the same, but the three detectives' work of those days opens nothing of
    Rotterdam — their looks at the resident are where no work on it reaches, a rate of
    curiosity, and Rotterdam's four are that curiosity too: a burst of seven."""
    openers = _a_worked_resident_of_rotterdam(delivery, reach_region=False)
    delivery.detect()
    for employee in openers:
        assert indicators_of(employee)["celebrity_burst"]["employees"] == 7


def test_a_national_units_looks_at_a_resident_in_no_incident_are_no_rate_either(
    world: World, delivery: Delivery
) -> None:
    """Round 13 (blind development seed 8954 at 6,000 employees: five false alerts — two of
    Limburg's patrol and three detectives of the national unit at a resident of Limburg in
    no incident): the same shape without the incident. The detectives' work reaches the
    region's subjects whether or not this one is a party in a case; no burst (fails before
    the fix)."""
    _a_worked_resident_of_rotterdam(delivery, worked=False, case=False)
    delivery.detect()
    assert not SignalIndicator.objects.filter(code="celebrity_burst").exists()

"""Relatives on the blind delivery (issue 10, round 11): what the round measured and left as
it is, pinned by small hand-built cases.

1. A subject with the employee's surname in their own neighbourhood (four-digit postcode
   area) is a possible relative when the surname is uncommon (under
   ``relative.common_surname_share`` of the subjects). A bar of 1 in 1,000 instead of 1 in
   2,000 was measured and not taken: it found two more parents nearby at 6,000 employees and
   added three chance relatives (one there, two on four seeds at 600): false alerts may not
   rise.
2. A bearer of the employee's uncommon surname elsewhere in the region (not the
   neighbourhood) is no sign of family: some 1 in 70 employees open such a stranger in two
   weeks (blind delivery, 6,000 employees).
3. What must stay: the home and the street need no uncommon surname.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from monitoring.models import MonitoringParameter
from tests.conftest import World
from tests.monitoring.conftest import Delivery, at, indicators_of

pytestmark = pytest.mark.django_db

SUBJECTS = 3600  # person subjects of the delivery; shares below are of these


def _population(delivery: Delivery, surname: str, bearers: int, *, far: int = 0) -> None:
    """``SUBJECTS`` person subjects, ``bearers`` of them called ``surname`` (``far`` of those
    in another region's streets, the rest in other streets of Den Haag)."""
    for index in range(SUBJECTS - bearers):
        delivery.subject(
            f"S-P{index}",
            last_name=f"Anders{index}",
            postcode=f"2{index % 500:03d}AB",
            house_number=str(index % 90 + 1),
            region="DH",
        )
    for index in range(bearers):
        delivery.subject(
            f"S-B{index}",
            last_name=surname,
            postcode="6211AA" if index < far else "2511CD",
            house_number=str(index + 1),
            region="LB" if index < far else "DH",
        )


@pytest.fixture
def low_floor(db: None) -> None:
    """A department whose floor of bearers is 1: the share alone decides (a delivery of a
    few thousand subjects stands for one of a few hundred thousand)."""
    MonitoringParameter.objects.filter(key="relative.common_surname_min").update(value=Decimal(1))


def test_a_parent_nearby_with_a_surname_one_in_3600_bear_is_a_possible_relative(
    world: World, delivery: Delivery, low_floor: None
) -> None:
    """What must stay flagged: the parent is the surname's only bearer among 3,600."""
    world.subject.last_name = "Dorbolink"
    world.subject.save()
    delivery.home(world.subject, "1011AB", "12")
    _population(delivery, "Dorbolink", 0)
    delivery.subject("S-PARENT", last_name="Dorbolink", postcode="1011XY", house_number="3")
    delivery.event(world.subject, at("2026-10-21", "10:00"), subject="S-PARENT")
    delivery.detect()
    assert indicators_of(world.subject)["relative"]["matches"] == ["same_surname_area"]


def test_a_surname_more_than_one_in_a_thousand_bear_stays_common_nearby(
    world: World, delivery: Delivery, low_floor: None
) -> None:
    """5 bearers of 3,600 (1 in 720): a bearer in the employee's neighbourhood, another
    street, is no sign of family; nor is a bearer of a rare surname (2 of 3,600) elsewhere in
    the employee's region."""
    world.subject.last_name = "Dorbolink"
    world.subject.save()
    world.colleague.last_name = "Struynees"
    world.colleague.save()
    delivery.home(world.subject, "1011AB", "12")
    delivery.home(world.colleague, "1011AB", "40")
    _population(delivery, "Dorbolink", 4)
    delivery.subject("S-NEAR", last_name="Dorbolink", postcode="1011XY", house_number="3")
    # Struynees: 2 bearers of 3,600, one in Amsterdam (the region, not the neighbourhood).
    delivery.subject("S-ELSEWHERE", last_name="Struynees", postcode="1019EF", house_number="9")
    delivery.subject("S-OTHER", last_name="Struynees", postcode="6211AB", region="LB")
    delivery.event(world.subject, at("2026-10-21", "10:00"), subject="S-NEAR")
    delivery.event(world.colleague, at("2026-10-21", "10:00"), subject="S-ELSEWHERE")
    delivery.detect()
    assert indicators_of(world.subject) == {}
    assert indicators_of(world.colleague) == {}


def test_a_common_surname_at_home_or_in_the_street_stays_a_relative(
    world: World, delivery: Delivery, low_floor: None
) -> None:
    """What must stay: the home and the street need no uncommon surname."""
    world.subject.last_name = "Dorbolink"
    world.subject.save()
    delivery.home(world.subject, "1011AB", "12")
    _population(delivery, "Dorbolink", 30)
    delivery.subject("S-STREET", last_name="Dorbolink", postcode="1011AB", house_number="30")
    delivery.event(world.subject, at("2026-10-21", "10:00"), subject="S-STREET")
    delivery.detect()
    assert indicators_of(world.subject)["relative"]["matches"] == ["same_surname_street"]

"""Yearly complaint figures: counts per unit and quarter, no data traceable to anyone."""

from __future__ import annotations

import datetime
import json

import pytest

from complaints import services, statistics
from tests.complaints.helpers import (
    assigned,
    complaint_in_den_haag,
    decided,
    handler,
    register,
    theme,
)
from tests.conftest import World

pytestmark = pytest.mark.django_db

D = datetime.date


def test_complaints_by_theme_per_unit_and_quarter(world: World) -> None:
    first = register(world, received_on=D(2026, 2, 10))
    services.classify(
        complaint=first, themes=[theme(), theme("geweldgebruik")], acting_user=handler(world)
    )
    register(world, received_on=D(2026, 5, 10))
    complaint_in_den_haag(world)  # DH, this quarter
    rows = statistics.complaints_by_theme(year=2026, unit_ids=[world.units["AM"].pk])
    assert {(r["unit"], r["quarter"], r["theme"], r["count"]) for r in rows} == {
        ("AM", 1, "bejegening", 1),
        ("AM", 1, "geweldgebruik", 1),
        ("AM", 2, "bejegening", 1),
    }
    received = statistics.complaints_received(year=2026)
    assert sum(r["count"] for r in received) == 3
    assert {r["unit"] for r in received} == {"AM", "DH"}


def test_closed_complaints_with_lead_times_and_terms(world: World) -> None:
    decided(world, received_on=D(2026, 3, 2))  # decided 4 March
    resolved = assigned(world, received_on=D(2026, 4, 1))
    services.start_informal(
        complaint=resolved, started_on=D(2026, 4, 2), acting_user=handler(world)
    )
    services.finish_informal(
        complaint=resolved,
        outcome="resolved",
        note="Opgelost.",
        finished_on=D(2026, 4, 21),
        acting_user=handler(world),
    )
    rows = statistics.complaints_closed(year=2026)
    assert [
        (r["quarter"], r["closure"], r["outcome"], r["count"], r["median_days"], r["within_term"])
        for r in rows
    ] == [
        (1, "decided", "partly_founded", 1, 2, 1),
        (2, "resolved", "", 1, 20, 1),
    ]
    report = statistics.annual_report(year=2026)
    assert report["received"] == 2
    assert report["by_closure"] == {"decided": 1, "resolved": 1}
    assert report["by_outcome"] == {"partly_founded": 1}
    assert report["by_theme"] == {"bejegening": 2}
    assert report["median_days"] == 11
    assert report["within_term"] == 2


def test_the_figures_carry_nothing_traceable(world: World) -> None:
    complaint = decided(world, received_on=D(2026, 3, 2))
    text = json.dumps(
        [
            statistics.complaints_received(year=2026),
            statistics.complaints_by_theme(year=2026),
            statistics.complaints_closed(year=2026),
            statistics.annual_report(year=2026),
        ],
        default=str,
    )
    for secret in (
        complaint.reference,
        "Jan Klager",
        "Dorpsstraat",
        world.subject.last_name,
        "onbeschoft",
    ):
        assert secret not in text

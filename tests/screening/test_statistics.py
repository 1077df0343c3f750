"""Aggregate screening figures: counts per unit and quarter, never an individual."""

from __future__ import annotations

import datetime
import json

import pytest

from screening import statistics
from screening.models import EvaluationResponse, ScreeningDossier, SelfReport
from tests.conftest import World
from tests.screening.helpers import EVALUATION_ANSWERS

pytestmark = pytest.mark.django_db

D = datetime.date


def _closed(employee, kind, opened, closed, due, outcome=ScreeningDossier.Outcome.NO_CONCERNS):
    return ScreeningDossier.objects.create(
        employee=employee,
        kind=kind,
        status=ScreeningDossier.Status.CLOSED,
        opened_on=opened,
        due_on=due,
        interview_held_on=closed,
        outcome=outcome,
        outcome_reason="t",
        closed_on=closed,
    )


def test_dossiers_are_counted_per_unit_quarter_kind_and_outcome(world: World) -> None:
    periodic = ScreeningDossier.Kind.PERIODIC
    _closed(world.subject, periodic, D(2026, 1, 5), D(2026, 2, 4), D(2026, 3, 1))
    _closed(world.colleague, periodic, D(2026, 1, 10), D(2026, 5, 1), D(2026, 3, 1))
    _closed(
        world.outsider, ScreeningDossier.Kind.INITIAL, D(2026, 2, 1), D(2026, 2, 11), D(2026, 4, 1)
    )

    opened = statistics.dossiers_opened(year=2026)
    assert {(r["unit"], r["quarter"], r["kind"], r["count"]) for r in opened} == {
        ("AM", 1, "periodic", 2),
        ("DH", 1, "initial", 1),
    }
    closed = statistics.dossiers_closed(year=2026, unit_ids=[world.units["AM"].pk])
    assert [(r["quarter"], r["count"], r["median_days"], r["within_term"]) for r in closed] == [
        (1, 1, 30, 1),
        (2, 1, 111, 0),
    ]


def test_self_reports_are_counted_by_category(world: World) -> None:
    for category in ("finances", "finances", "side_activities"):
        dossier = ScreeningDossier.objects.create(
            employee=world.subject,
            kind=ScreeningDossier.Kind.SELF_REPORT,
            opened_on=D(2026, 7, 1),
            due_on=D(2026, 8, 1),
        )
        SelfReport.objects.create(
            employee=world.subject,
            dossier=dossier,
            category=category,
            occurred_on=D(2026, 6, 1),
            description="x" * 20,
            submitted_at=datetime.datetime(2026, 7, 1, 10, tzinfo=datetime.UTC),
        )
    rows = statistics.self_reports_by_category(year=2026)
    assert {(r["category"], r["count"]) for r in rows} == {("finances", 2), ("side_activities", 1)}


def test_the_backlog_counts_open_overdue_and_coming_re_screenings(world: World) -> None:
    ScreeningDossier.objects.create(
        employee=world.subject,
        kind=ScreeningDossier.Kind.PERIODIC,
        opened_on=D(2026, 1, 1),
        due_on=D(2026, 3, 1),
    )
    world.colleague.employment_start = D(2018, 12, 1)  # due 1 Dec 2026
    world.colleague.save()
    rows = statistics.rescreening_backlog(as_of=D(2026, 6, 1))
    assert rows == [
        {"unit": "AM", "as_of": D(2026, 6, 1), "open": 1, "overdue": 1, "due_within_year": 1}
    ]


def test_no_figure_carries_an_id_or_a_name(world: World) -> None:
    _closed(
        world.subject, ScreeningDossier.Kind.PERIODIC, D(2026, 1, 5), D(2026, 2, 4), D(2026, 3, 1)
    )
    text = json.dumps(
        [
            statistics.dossiers_opened(year=2026),
            statistics.dossiers_closed(year=2026),
            statistics.rescreening_backlog(as_of=D(2026, 6, 1)),
        ],
        default=str,
    )
    for secret in (world.subject.last_name, world.subject.personnel_number, '"employee'):
        assert secret not in text


def test_the_evaluation_summary_is_suppressed_below_the_minimum_group(world: World) -> None:
    for _ in range(statistics.MINIMUM_GROUP - 1):
        EvaluationResponse.objects.create(
            unit=world.units["AM"], year=2026, quarter=1, **EVALUATION_ANSWERS
        )
    summary = statistics.evaluation_summary(year=2026)
    assert summary == {"year": 2026, "quarter": None, "count": 4, "suppressed": True}
    EvaluationResponse.objects.create(
        unit=world.units["AM"], year=2026, quarter=1, **{**EVALUATION_ANSWERS, "q1_overall": 1}
    )
    summary = statistics.evaluation_summary(year=2026, unit_ids=[world.units["AM"].pk])
    assert summary["count"] == 5
    assert summary["ratings"]["q1_overall"]["mean"] == 3.4
    assert summary["ratings"]["q1_overall"]["distribution"] == {1: 1, 2: 0, 3: 0, 4: 4, 5: 0}
    assert summary["choices"]["q3_time"] == {"too_short": 0, "right": 5, "too_long": 0}
    assert summary["texts"]["q7_valuable"] == ["De open sfeer."] * 5
    assert statistics.evaluation_summary(year=2026, unit_ids=[world.units["DH"].pk])["suppressed"]

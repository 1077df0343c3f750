"""Onboarding calibration: a dry run creates no signal, reports per function, proposes scope
rules that only a person applies; the page is the administrator's, figures only."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from monitoring import services
from monitoring.models import CalibrationReport, ScopeProposal, ScopeRule, Signal
from tests.conftest import World
from tests.factories import EmployeeFactory
from tests.monitoring.conftest import Delivery, at
from vik.models import Function
from vik.roles import Role

pytestmark = pytest.mark.django_db


def make_report() -> CalibrationReport:
    """A stored report with one proposal (for the permission sweep and the page)."""
    function, _ = Function.objects.get_or_create(code="F-Z9", defaults={"name": "F-Z9"})
    report = CalibrationReport.objects.create(
        period_start=datetime.date(2026, 10, 19),
        period_end=datetime.date(2026, 11, 1),
        employees=40,
        figures={
            str(function.pk): {
                "staff": 10,
                "signalled": 6,
                "regional": 6,
                "national": 0,
                "flagged": {"colleague_lookup": 4, "repeated_unexplained": 5},
                "where": {"colleague_lookup": [9, 0, 10], "repeated_unexplained": [30, 5, 40]},
            },
            "": {"staff": 3, "signalled": 0, "flagged": {}, "where": {}},
        },
    )
    ScopeProposal.objects.create(
        report=report,
        function=function,
        scope="regional",
        figures={
            "share": 60,
            "staff": 10,
            "codes": ["colleague_lookup", "repeated_unexplained"],
            "within": 88,
        },
    )
    return report


def _scoped_work_without_rule(world: World, delivery: Delivery) -> tuple[Function, list]:
    """Six employees of a function that needs regional scope, delivered without the rule."""
    function = Function.objects.create(code="F-K2", name="Meldingen regio")
    staff = [
        EmployeeFactory(
            unit=world.units["AM"],
            team=world.units["AM-D1-T2"],
            function=function,
            last_name=f"M{i}",
        )
        for i in range(6)
    ]
    for index, employee in enumerate(staff):
        delivery.office_weeks(employee)
        ref = delivery.incident(f"I-AM-{index}", region="AM")
        delivery.subject(f"S-P{index}", region="AM", incidents=(ref,))
        for day in (20, 21, 22, 23, 26):
            delivery.event(
                employee, at(datetime.date(2026, 10, day), "10:00"), subject=f"S-P{index}"
            )
    return function, staff


def test_a_dry_run_reports_per_function_creates_no_signal_and_proposes_a_rule(
    world: World, delivery: Delivery
) -> None:
    function, _staff = _scoped_work_without_rule(world, delivery)
    delivery.load()
    out = io.StringIO()
    call_command("detect", "--start", "2026-10-19", "--end", "2026-11-01", "--dry-run", stdout=out)
    assert not Signal.objects.exists()
    report = CalibrationReport.objects.get()
    figures = report.figures[str(function.pk)]
    assert (figures["staff"], figures["signalled"]) == (6, 6)
    assert figures["flagged"] == {"repeated_unexplained": 6}
    text = out.getvalue()
    assert "F-K2: 6 staff, 1000.0 per 1,000" in text
    assert "100 % of its staff (6 of 6) would get repeated_unexplained" in text
    proposal = ScopeProposal.objects.get()
    assert (proposal.function, proposal.scope, proposal.status) == (
        function,
        "regional",
        "proposed",
    )
    assert not ScopeRule.objects.exists()  # nothing applied without a person


def test_accepting_a_proposal_creates_the_rule_with_history_and_detection_follows(
    world: World, delivery: Delivery
) -> None:
    function, _staff = _scoped_work_without_rule(world, delivery)
    delivery.load()
    report = services.calibrate_detection(
        start=datetime.date(2026, 10, 19), end=datetime.date(2026, 11, 1), acting_user=None
    )
    admin = world.user(Role.ADMINISTRATOR)
    proposal = services.decide_scope_proposal(
        proposal=report.proposals.get(),
        accept=True,
        reason="Meldingen behandelt alle zaken van de eigen regio.",
        acting_user=admin,
    )
    rule = ScopeRule.objects.get()
    assert (rule.function, rule.scope, rule.source) == (function, "regional", "calibration")
    assert proposal.rule == rule
    assert proposal.decided_by == admin
    assert rule.history.get().history_user == admin
    assert proposal.history.first().history_change_reason.startswith("Meldingen")
    with pytest.raises(ValidationError):
        services.decide_scope_proposal(
            proposal=proposal, accept=False, reason="nog een keer", acting_user=admin
        )
    again = services.calibrate_detection(
        start=datetime.date(2026, 10, 19), end=datetime.date(2026, 11, 1), acting_user=None
    )
    assert again.figures[str(function.pk)]["signalled"] == 0
    assert not again.proposals.exists()


def test_the_page_is_the_administrators_and_shows_figures_not_people(
    world: World, client_for
) -> None:
    report = make_report()
    client = client_for(Role.ADMINISTRATOR)
    response = client.get("/monitoring/calibration/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "F-Z9" in body
    assert "<svg" in body
    assert "60 %" in body
    assert "Subject" not in body  # no employee's name
    response = client.post(
        f"/monitoring/calibration/proposals/{report.proposals.get().pk}/decide/",
        {"decision": "accept", "reason": "Regionale behoefte, zie beleid."},
    )
    assert response.status_code == 302
    assert ScopeRule.objects.filter(function__code="F-Z9", scope="regional").exists()
    assert client_for(Role.ANALYST).get("/monitoring/calibration/").status_code == 403

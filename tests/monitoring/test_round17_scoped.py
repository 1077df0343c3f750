"""Round 17 of issue 10: scoped look-ups by name read once per run, for bursts only.

Round 15 kept a row (``c:<subject>``) for every look-up by name that a function's scope
alone explains, in the assessment — most of a delivery's look-ups by its scoped staff —
and its switch was off for that cost. Since round 17 :mod:`monitoring.detection.scoped`
reads them from the access log once per run, when the bursts are known, only for the
subjects of a burst with curious employees and the days its span covers; the switch is on
as delivered (migration 0026). What round 15's tests pin (``test_round15_scoped.py``) holds;
these add the part at work, the person opened within a file, the rows kept, and a night.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from monitoring.detection import signals as signals_module
from monitoring.detection.assess import SCOPED_LOOK
from monitoring.models import MonitoringParameter, Signal, SignalEvidence, UnexplainedAccess
from tests.conftest import World
from tests.monitoring.conftest import Delivery, at, detect, indicators_of
from tests.monitoring.test_round15_scoped import _burst_with_an_analyst
from vik.models import Employee

pytestmark = pytest.mark.django_db


def test_the_switch_is_on_as_delivered() -> None:
    """Migration 0026: the delivered value (and its agreed range) is 1."""
    row = MonitoringParameter.objects.get(key="celebrity.scoped_join")
    assert (row.value, row.agreed_min, row.agreed_max) == (1, 1, 1)


def test_a_scoped_look_joins_and_only_the_bursts_subject_is_kept(
    world: World, delivery: Delivery
) -> None:
    """The analyst searches the celebrity by name within the burst, and another person of
    Amsterdam (their scope explains it too) on the same day: one ``c:`` row is kept, the
    celebrity's — nothing of a subject without a burst."""
    crowd, analyst = _burst_with_an_analyst(delivery)
    delivery.subject("S-OTHER", last_name="Gewoon", region="AM")
    delivery.event(analyst, at("2026-10-28", "14:00"), subject="S-STAR")
    delivery.event(analyst, at("2026-10-28", "14:30"), subject="S-OTHER")
    delivery.event(analyst, at("2026-10-21", "09:00"), subject="S-OTHER")
    run = delivery.detect()
    assert indicators_of(analyst)["celebrity_burst"]["scope_only"] is True
    assert list(
        UnexplainedAccess.objects.filter(target__startswith=SCOPED_LOOK).values_list(
            "employee_id", "day", "target", "events"
        )
    ) == [(analyst.pk, datetime.date(2026, 10, 28), SCOPED_LOOK + "S-STAR", 1)]
    assert run.stats["scoped_rows"] == 1
    assert indicators_of(crowd[0])["celebrity_burst"]["employees"] == 7


def test_a_person_opened_within_a_file_is_no_look_up_by_name(
    world: World, delivery: Delivery
) -> None:
    """The analyst opens the celebrity within a file of their own region's incident (one the
    person is no party in) during the burst, and never by name: that is their work on that
    file, not a search. Not counted; no row kept."""
    _crowd, analyst = _burst_with_an_analyst(delivery)
    own = delivery.incident("I-GL-WORK", region="GL")
    delivery.event(analyst, at("2026-10-28", "14:00"), subject="S-STAR", incident=own)
    delivery.detect()
    assert "celebrity_burst" not in indicators_of(analyst)
    assert not UnexplainedAccess.objects.filter(target__startswith=SCOPED_LOOK).exists()


def test_a_scoped_look_from_the_part_at_work_on_the_subject_does_not_join(
    world: World, delivery: Delivery, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The analyst's part (Gelderland) is at work on the subject: their look-up is read and
    kept (scope alone explains it), but it does not join. Which parts are at work is the
    bursts' own reckoning (``bursts.at_work_on``, tested with the bursts); here it is made
    to name the analyst's part, which none of the burst's members belong to."""
    original = signals_module.at_work_on

    def with_gelderland(*args: Any, **kwargs: Any) -> set[str]:
        return {*original(*args, **kwargs), "GL"}

    monkeypatch.setattr(signals_module, "at_work_on", with_gelderland)
    crowd, analyst = _burst_with_an_analyst(delivery)
    delivery.event(analyst, at("2026-10-28", "14:00"), subject="S-STAR")
    delivery.detect()
    assert indicators_of(crowd[0])["celebrity_burst"]["employees"] == 7
    assert UnexplainedAccess.objects.filter(
        employee=analyst, day=datetime.date(2026, 10, 28), target=SCOPED_LOOK + "S-STAR"
    ).exists()
    assert "celebrity_burst" not in indicators_of(analyst)


def test_a_scoped_look_before_the_burst_joins_it_on_the_night_it_appears(
    world: World, delivery: Delivery
) -> None:
    """Night by night: the analyst searches the celebrity by name on the 27th, when only a
    few others have; the burst is found on a later night and reaches back to the 27th. That
    night judges the analyst again (their look-up joins it), and the nights equal one run
    over the whole period."""
    crowd, analyst = _burst_with_an_analyst(delivery)
    delivery.event(analyst, at("2026-10-27", "15:00"), subject="S-STAR")
    delivery.load()
    detect(datetime.date(2026, 10, 19), datetime.date(2026, 10, 26))
    nights = [detect(datetime.date(2026, 10, d), datetime.date(2026, 10, d)) for d in (27, 28, 29)]
    assert all(night.stats.get("new_days") for night in nights)
    # The burst is not there after the first night (three openers), so neither is the
    # analyst's row; a later night finds the burst reaching back to the 27th.
    assert nights[0].stats.get("scoped_rows", 0) == 0
    assert sum(night.stats.get("scoped_rows", 0) for night in nights[1:]) >= 1

    def live() -> dict[int, dict[str, Any]]:
        return {e.pk: indicators_of(e) for e in [*crowd, analyst] if indicators_of(e)}

    nightly = live()
    assert nightly[analyst.pk]["celebrity_burst"]["scope_only"] is True
    evidence = _evidence(analyst)
    assert evidence
    detect(datetime.date(2026, 10, 19), datetime.date(2026, 10, 29))  # a full rerun
    assert live() == nightly
    assert _evidence(analyst) == evidence


def _evidence(employee: Employee) -> list[tuple[str, str]]:
    """(event, duty status) cited for the employee's live burst indicator."""
    return sorted(
        SignalEvidence.objects.filter(signal__employee=employee, indicator="celebrity_burst")
        .exclude(signal__status=Signal.Status.WITHDRAWN)
        .values_list("event_id", "duty_status")
    )


def test_with_the_switch_off_no_row_is_kept(world: World, delivery: Delivery) -> None:
    """``celebrity.scoped_join`` = 0: nothing is read, nothing kept, nothing joins."""
    MonitoringParameter.objects.filter(key="celebrity.scoped_join").update(value=0)
    _crowd, analyst = _burst_with_an_analyst(delivery)
    delivery.event(analyst, at("2026-10-28", "14:00"), subject="S-STAR")
    run = delivery.detect()
    assert "celebrity_burst" not in indicators_of(analyst)
    assert not UnexplainedAccess.objects.filter(target__startswith=SCOPED_LOOK).exists()
    assert "scoped_rows" not in run.stats

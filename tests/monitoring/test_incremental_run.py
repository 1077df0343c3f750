"""The nightly run judges again only the employees its new day concerns — and only when it
safely can: a day detected again, changed thresholds, an unfinished run or a later day
already assessed make a run judge everyone (``runner._only_new_days``).

That the result equals one run over the whole period is proven on generated data by
``test_nightly_run.py``; these tests pin when the shortcut is taken.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from monitoring.detection import runner
from monitoring.detection.signals import WindowDetector
from monitoring.models import DetectionRun, MonitoringParameter, Signal
from tests.conftest import World
from tests.factories import EmployeeFactory
from tests.monitoring.conftest import Delivery, at, detect, indicators_of

pytestmark = pytest.mark.django_db

DAY_1, DAY_2, DAY_3 = (datetime.date(2026, 10, 21) + datetime.timedelta(days=n) for n in range(3))


@pytest.fixture
def loaded(world: World, delivery: Delivery) -> World:
    """An evening of look-ups off duty on day 1, a colleague's file opened on day 2."""
    delivery.office_weeks(world.subject)
    delivery.subject("S-COLL", employee=world.colleague)
    delivery.lookups(world.subject, at(DAY_1, "21:30"), 3, "off")
    delivery.event(world.subject, at(DAY_2, "10:00"), subject="S-COLL")
    delivery.load()
    return world


def test_a_night_judges_again_only_whom_its_day_concerns(loaded: World) -> None:
    first = detect(DAY_1, DAY_1)
    assert "new_days" not in first.stats  # nothing was judged before: everyone is
    signal = Signal.objects.get()
    night = detect(DAY_2, DAY_2)
    assert night.stats["new_days"] == [DAY_2.isoformat()]
    assert night.stats["rejudged"] == 1  # the one employee with a finding that day
    assert set(signal.indicators.values_list("code", flat=True)) == {
        "off_duty",
        "colleague_lookup",
    }
    versions = signal.history.count()
    quiet = detect(DAY_3, DAY_3)  # nobody opened anything
    assert quiet.stats["new_days"] == [DAY_3.isoformat()]
    assert quiet.stats["rejudged"] == 0
    assert signal.history.count() == versions


def test_a_day_detected_again_judges_everyone(loaded: World) -> None:
    detect(DAY_1, DAY_1)
    detect(DAY_2, DAY_2)
    again = detect(DAY_2, DAY_2)
    assert "new_days" not in again.stats
    assert "rejudged" not in again.stats


def test_changed_thresholds_make_everyone_judged_again(loaded: World) -> None:
    detect(DAY_1, DAY_1)
    MonitoringParameter.objects.filter(key="signal.min_score").update(value=9)
    assert "new_days" not in detect(DAY_2, DAY_2).stats


def test_after_an_unfinished_run_everyone_is_judged(loaded: World) -> None:
    detect(DAY_1, DAY_1)
    abandoned = runner.plan_run(start=DAY_3, end=DAY_3)  # planned, never computed
    # (A worker died: nobody has worked on it since, so it holds the next run up no longer.)
    DetectionRun.objects.filter(pk=abandoned.pk).update(
        active_at=timezone.now() - runner.STALE_AFTER - datetime.timedelta(seconds=1)
    )
    assert "new_days" not in detect(DAY_2, DAY_2).stats


def test_with_a_later_day_already_assessed_everyone_is_judged(
    loaded: World, delivery: Delivery
) -> None:
    delivery.event(loaded.colleague, at(DAY_3, "11:00"), subject="S-OTHER")
    delivery.load()
    detect(DAY_1, DAY_1)
    detect(DAY_3, DAY_3)
    late = detect(DAY_2, DAY_2)  # a day that came late: its bursts reach the day after
    assert "new_days" not in late.stats
    assert set(Signal.objects.get().indicators.values_list("code", flat=True)) == {
        "off_duty",
        "colleague_lookup",
    }


def test_a_spike_on_an_earlier_day_keeps_the_evidence_its_signal_cites(
    world: World, delivery: Delivery, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A night that judges again an employee whose volume spike fell on an earlier day takes
    the events their signal cites for that day, instead of reading the whole day again."""
    peers = [
        EmployeeFactory(unit=world.units["AM"], team=world.units["AM-D1-T2"], last_name=f"P{i}")
        for i in range(5)
    ]
    for employee in [world.subject, *peers]:
        for day in range(19, 31):
            for minute in range(0, 60, 2):  # thirty a day
                delivery.event(
                    employee,
                    at(datetime.date(2026, 10, day), "09:00") + datetime.timedelta(minutes=minute),
                )
    for second in range(0, 250 * 60, 60):  # 250 more on the 27th
        delivery.event(
            world.subject, at("2026-10-27", "10:00") + datetime.timedelta(seconds=second)
        )
    delivery.subject("S-COLL", employee=world.colleague)
    night = datetime.date(2026, 10, 31)
    delivery.event(world.subject, at(night, "10:00"), subject="S-COLL")  # re-judged that night
    delivery.load()
    detect(datetime.date(2026, 10, 19), datetime.date(2026, 10, 30))
    signal = Signal.objects.get(employee=world.subject)
    cited = sorted(
        signal.evidence.filter(indicator="volume_spike").values_list("event_id", flat=True)
    )
    assert cited
    read: list[set[tuple[int, datetime.date]]] = []
    original = WindowDetector._busy_day_rows

    def spy(detector: WindowDetector, wanted: set[tuple[int, datetime.date]]) -> Any:
        read.append(wanted)
        return original(detector, wanted)

    monkeypatch.setattr(WindowDetector, "_busy_day_rows", spy)
    run = detect(night, night)
    assert run.stats["new_days"] == [night.isoformat()]
    assert run.stats["rejudged"] == 1
    assert not any(read)  # the 27th was not read again
    assert set(signal.indicators.values_list("code", flat=True)) >= {
        "volume_spike",
        "colleague_lookup",
    }
    kept = signal.evidence.filter(indicator="volume_spike").values_list("event_id", flat=True)
    assert sorted(kept) == cited


def test_a_chunk_collects_garbage_in_larger_steps_and_restores_the_threshold() -> None:
    import gc

    from monitoring.detection.runner import GC_ALLOCATIONS, _few_collections

    before = gc.get_threshold()
    with _few_collections():
        assert gc.get_threshold()[0] >= GC_ALLOCATIONS
        with _few_collections():  # a chunk inside a chunk (threads of one worker)
            assert gc.get_threshold()[0] >= GC_ALLOCATIONS
        assert gc.get_threshold()[0] >= GC_ALLOCATIONS
    assert gc.get_threshold() == before


def test_a_unit_without_an_event_on_the_new_day_is_judged_again_when_its_burst_is_found_then(
    world: World, delivery: Delivery
) -> None:
    """The skipping rule of a night (``runner._settle_unconcerned``): the signal chunks of
    units none of whose employees the new day concerns are marked done unjudged. Being
    concerned is not having events that day: four of two far regions open a subject of
    Amsterdam on 26 October (too few for a burst); on the night of the 27th three of two
    other regions open it, and the burst found that day reaches back to the 26th. The
    units of the first four have no event at all on the 27th, yet their staff's signals
    change: their chunks must run, and the night must equal a full rerun."""
    from monitoring.models import DetectionChunk, DetectionRun
    from tests.monitoring.test_failure_classes import _far_crowd

    delivery.subject("S-STAR", last_name="Bekend", region="AM")
    crowd = _far_crowd()  # two each of NN, LB and ZB, one of OB
    first_day, night = datetime.date(2026, 10, 26), datetime.date(2026, 10, 27)
    for index, employee in enumerate(crowd):
        day = first_day if index < 4 else night
        delivery.event(
            employee, at(day, "10:00") + datetime.timedelta(hours=index), subject="S-STAR"
        )
    delivery.load()
    detect(datetime.date(2026, 10, 19), first_day)
    assert not Signal.objects.exists()  # four on one day: no burst yet
    run = detect(night, night)
    assert run.stats["new_days"] == [night.isoformat()]
    quiet = {employee.unit_id for employee in crowd[:4]}
    settled = set(
        DetectionChunk.objects.filter(
            run=run, phase=DetectionRun.Phase.SIGNALS, stats={"rejudged": 0, "seconds": 0}
        ).values_list("unit_id", flat=True)
    )
    assert settled  # the rule did skip units (the test world's, nobody of which opened it)
    assert not settled & quiet

    def live() -> dict[int, dict[str, Any]]:
        return {e.pk: indicators_of(e) for e in crowd if indicators_of(e)}

    nightly = live()
    for employee in crowd:
        assert nightly[employee.pk]["celebrity_burst"]["employees"] == 7
    detect(datetime.date(2026, 10, 19), night)  # a full rerun judges everyone
    assert live() == nightly

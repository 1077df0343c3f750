"""Detection as a whole: idempotent runs, the life of a signal, chunks shared by workers."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from monitoring.detection import runner
from monitoring.models import (
    DailyActivity,
    DetectionChunk,
    DetectionRun,
    MonitoringParameter,
    Signal,
    SignalEvidence,
    SignalIndicator,
)
from tests.conftest import World
from tests.monitoring.conftest import WINDOW_END, WINDOW_START, Delivery, at, detect

pytestmark = pytest.mark.django_db


def _misuse(world: World, delivery: Delivery) -> list[str]:
    """An evening of look-ups while off duty, and a look-up of a colleague."""
    delivery.office_weeks(world.subject)
    delivery.subject("S-COLL", employee=world.colleague)
    ids = delivery.lookups(world.subject, at("2026-10-21", "21:30"), 3, "off")
    ids.append(delivery.event(world.subject, at("2026-10-22", "10:00"), subject="S-COLL"))
    return ids


def test_a_signal_cites_its_evidence_and_reads_in_dutch(world: World, delivery: Delivery) -> None:
    ids = _misuse(world, delivery)
    run = delivery.detect()
    assert run.phase == DetectionRun.Phase.DONE
    signal = Signal.objects.get()
    assert (signal.window_start, signal.window_end) == (WINDOW_START, WINDOW_END)
    assert signal.status == Signal.Status.NEW
    assert signal.pseudonym.startswith("PM-")
    assert signal.unit == world.units["AM-D1-T1"]
    assert set(signal.evidence.values_list("event_id", flat=True)) == set(ids)
    evidence = signal.evidence.get(event_id=ids[0])
    assert (evidence.duty_status, evidence.explanation) == ("off_duty", "none")
    assert evidence.subject_ref == "off-0"
    codes = {i.code: i for i in signal.indicators.all()}
    assert set(codes) == {"off_duty", "colleague_lookup"}
    assert signal.score == sum(i.score for i in codes.values())
    with translation.override("nl"):
        assert "buiten het rooster" in codes["off_duty"].explanation
    with translation.override("en"):
        assert "outside the roster" in codes["off_duty"].explanation


def test_running_twice_changes_nothing(world: World, delivery: Delivery) -> None:
    _misuse(world, delivery)
    delivery.detect()
    before = (
        list(Signal.objects.values_list("id", "score", "status")),
        Signal.history.count(),
        SignalIndicator.history.count(),
        SignalEvidence.objects.count(),
        DailyActivity.objects.count(),
    )
    run = detect()
    after = (
        list(Signal.objects.values_list("id", "score", "status")),
        Signal.history.count(),
        SignalIndicator.history.count(),
        SignalEvidence.objects.count(),
        DailyActivity.objects.count(),
    )
    assert before == after
    assert run.stats["unchanged"] == 1


def test_a_new_signal_is_withdrawn_when_later_data_explains_it(
    world: World, delivery: Delivery, make_delivery
) -> None:
    delivery.incident("I-CASE", region="LB")
    delivery.event(world.subject, at("2026-10-21", "10:00"), incident="I-CASE")
    delivery.detect()
    signal = Signal.objects.get()
    assert signal.status == Signal.Status.NEW
    # The assignment arrives a day late.
    later = make_delivery("later")
    later.assign(world.subject, "I-CASE", "2026-10-20")
    later.load()
    detect()
    signal.refresh_from_db()
    assert signal.status == Signal.Status.WITHDRAWN
    assert signal.history.first().history_change_reason.startswith("Detectie")


def test_a_signal_in_review_is_never_rewritten_only_given_new_evidence(
    world: World, delivery: Delivery, make_delivery
) -> None:
    _misuse(world, delivery)
    delivery.detect()
    signal = Signal.objects.get()
    signal.status = Signal.Status.IN_REVIEW
    signal.save()
    score = signal.score
    indicators = set(signal.indicators.values_list("code", "score"))
    later = make_delivery("later")
    later.subject("S-SELF", employee=world.subject)
    new = later.event(world.subject, at("2026-10-28", "10:00"), subject="S-SELF")
    later.load()
    detect()
    signal.refresh_from_db()
    assert signal.status == Signal.Status.IN_REVIEW
    assert signal.score == score
    assert signal.has_new_evidence
    assert indicators < set(signal.indicators.values_list("code", "score"))
    assert signal.evidence.filter(event_id=new, indicator="self_lookup").exists()


def test_thresholds_come_from_the_database_and_a_run_keeps_its_own(
    world: World, delivery: Delivery
) -> None:
    delivery.office_weeks(world.subject)
    delivery.lookups(world.subject, at("2026-10-21", "21:30"), 3, "off")
    delivery.load()
    parameter = MonitoringParameter.objects.get(key="off_duty.min_events")
    parameter.value = 4
    parameter.save()
    run = detect()
    assert not Signal.objects.exists()
    assert run.stats["settings"]["params"]["off_duty.min_events"] == "4.0000"
    parameter.value = 3
    parameter.save()
    detect()
    assert Signal.objects.exists()


def test_a_chunk_is_computed_once(world: World, delivery: Delivery) -> None:
    _misuse(world, delivery)
    delivery.load()
    run = runner.plan_run(start=WINDOW_START, end=WINDOW_END)
    first = runner.chunk_ids(run, DetectionRun.Phase.ASSESS)[0]
    assert runner.run_chunk(first) is True
    assert runner.run_chunk(first) is False  # done: a redelivered task does nothing
    chunk = DetectionChunk.objects.get(pk=first)
    assert (chunk.status, chunk.attempts) == (DetectionChunk.Status.DONE, 1)
    # The phase is not over, so nobody may start the next one yet.
    assert runner.advance(run.pk) == []


def test_phases_follow_each_other_and_only_one_caller_moves_the_run(
    world: World, delivery: Delivery
) -> None:
    _misuse(world, delivery)
    delivery.load()
    run = runner.plan_run(start=WINDOW_START, end=WINDOW_END)
    for chunk_id in runner.chunk_ids(run, DetectionRun.Phase.ASSESS):
        runner.run_chunk(chunk_id)
    bursts = runner.advance(run.pk)
    assert bursts
    assert runner.advance(run.pk) == []
    run.refresh_from_db()
    assert run.phase == DetectionRun.Phase.BURSTS
    assert set(DetectionChunk.objects.filter(pk__in=bursts).values_list("phase", flat=True)) == {
        "bursts"
    }
    runner.run_inline(run)
    run.refresh_from_db()
    assert run.phase == DetectionRun.Phase.DONE
    assert run.finished_at is not None
    assert Signal.objects.count() == 1


def test_detect_over_a_single_day_updates_the_window(world: World, delivery: Delivery) -> None:
    _misuse(world, delivery)
    delivery.load()
    detect(datetime.date(2026, 10, 21), datetime.date(2026, 10, 21))
    signal = Signal.objects.get()
    assert set(signal.indicators.values_list("code", flat=True)) == {"off_duty"}
    detect(datetime.date(2026, 10, 22), datetime.date(2026, 10, 22))
    assert set(signal.indicators.values_list("code", flat=True)) == {"off_duty", "colleague_lookup"}

"""Round 18: a rerun over a period already detected behaves like the first run.

Round 17 saw, on the blind delivery at 6,000 (development seed 8981), a second ``detect``
over the scored database withdraw 11 signals that a third did not bring back, with a
signals phase 16 times slower. Reruns one after the other do not (reproduced in round 18:
as delivered, switch off, switch on — 493 signals, only the switch's two analysts withdrawn
and brought back). Two runs computed *at the same time* do: each replaces the derived rows
the other's signals phase is reading (27 of 493 signals withdrawn). Runs are now computed
one after the other (``runner.earlier_run_computing``). These tests pin both: a rerun with
the same settings changes nothing, one with a switch off and on again gives back what the
first run gave, and a later run waits for an earlier one that is still computing.
"""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from monitoring import tasks
from monitoring.detection import runner
from monitoring.models import DetectionChunk, DetectionRun, MonitoringParameter, Signal
from tests.conftest import World
from tests.monitoring.conftest import WINDOW_END, WINDOW_START, Delivery, at, detect
from tests.monitoring.test_round15_scoped import _burst_with_an_analyst

pytestmark = pytest.mark.django_db

P = DetectionRun.Phase


def _signals() -> list[tuple[Any, ...]]:
    """Every signal as an export compares it: whose, which window, status, score, indicators."""
    return sorted(
        (
            signal.employee_id,
            signal.window_start,
            signal.status,
            signal.score,
            tuple(sorted(signal.indicators.values_list("code", flat=True))),
        )
        for signal in Signal.objects.all()
    )


def _switch(value: int) -> None:
    # (The agreed range of the switch is 1..1: switching it off is a protocol change the
    # council consents to. The stored value is what a run snapshots.)
    MonitoringParameter.objects.filter(key="celebrity.scoped_join").update(value=value)


@pytest.fixture
def scored(world: World, delivery: Delivery) -> tuple[list[Any], Any]:
    """A burst with a nationally scoped analyst who joins it (the switch's indicator), and
    a colleague's file opened (untouched by the switch); detected once."""
    crowd, analyst = _burst_with_an_analyst(delivery)
    delivery.event(analyst, at("2026-10-28", "14:00"), subject="S-STAR")
    delivery.subject("S-COLL", employee=world.colleague)
    delivery.event(world.subject, at("2026-10-22", "10:00"), subject="S-COLL")
    delivery.detect()
    return crowd, analyst


def test_a_rerun_with_the_same_settings_changes_nothing(scored: tuple[list[Any], Any]) -> None:
    first = _signals()
    assert len(first) == 9
    again = detect()
    assert _signals() == first
    assert again.stats["unchanged"] == len(first)
    assert not any(again.stats.get(key) for key in ("created", "updated", "withdrawn"))


def test_a_switch_off_and_on_again_gives_back_the_first_runs_signals(
    scored: tuple[list[Any], Any],
) -> None:
    _crowd, analyst = scored
    first = _signals()
    _switch(0)
    off = detect()
    assert off.stats["withdrawn"] == 1  # the analyst's only: nobody else's
    assert Signal.objects.get(employee=analyst).status == Signal.Status.WITHDRAWN
    assert [s for s in _signals() if s[0] != analyst.pk] == [s for s in first if s[0] != analyst.pk]
    _switch(1)
    on = detect()
    assert on.stats["updated"] == 1
    assert _signals() == first


def test_a_reviewed_signal_is_kept_when_a_rerun_does_not_find_it(
    scored: tuple[list[Any], Any],
) -> None:
    _crowd, analyst = scored
    Signal.objects.filter(employee=analyst).update(status=Signal.Status.IN_REVIEW)
    _switch(0)
    detect()
    assert Signal.objects.get(employee=analyst).status == Signal.Status.IN_REVIEW


def _half_computed() -> DetectionRun:
    """A run whose first assess chunk was just computed, the rest still to do."""
    run = runner.plan_run(start=WINDOW_START, end=WINDOW_END)
    runner.reset_caches()
    assert runner.run_chunk(runner.chunk_ids(run, P.ASSESS)[0]) is True
    return run


def test_a_run_waits_while_an_earlier_one_is_computing(scored: tuple[list[Any], Any]) -> None:
    first = _signals()
    earlier = _half_computed()
    later = runner.plan_run(start=WINDOW_START, end=WINDOW_END)
    assert runner.earlier_run_computing(later) == earlier.pk
    assert runner.earlier_run_computing(earlier) is None  # the earlier one goes on
    pending = runner.chunk_ids(later, P.ASSESS)
    assert runner.run_chunk(pending[0]) is False  # left pending, not computed
    assert DetectionChunk.objects.get(pk=pending[0]).status == DetectionChunk.Status.PENDING
    # A worker's task is queued again for later instead of computing beside it.
    with mock.patch.object(tasks.detect_chunk, "apply_async") as again:
        assert with_commit_hooks_run(lambda: tasks.detect_chunk(pending[0])) is False
    assert DetectionChunk.objects.get(pk=pending[0]).status == DetectionChunk.Status.PENDING
    again.assert_called_once_with((pending[0],), countdown=tasks.WAIT_FOR_EARLIER_RUN_SECONDS)
    runner.run_inline(earlier)
    assert runner.earlier_run_computing(later) is None
    runner.reset_caches()
    runner.run_inline(later)
    assert _signals() == first


def test_an_inline_run_waits_for_the_earlier_one_and_then_computes(
    scored: tuple[list[Any], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``run_inline`` of a later run sleeps while the earlier one computes (here the earlier
    one is finished during the first wait, as another worker would)."""
    first = _signals()
    earlier = _half_computed()
    later = runner.plan_run(start=WINDOW_START, end=WINDOW_END)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 1:
            runner.run_inline(earlier)
            runner.reset_caches()

    monkeypatch.setattr(runner.time, "sleep", sleep)
    assert runner.run_inline(later).phase == P.DONE
    assert waits[0] == runner.WAIT_SECONDS
    assert _signals() == first


def _abandoned(run: DetectionRun) -> None:
    """Nobody has worked on the run for longer than ``STALE_AFTER`` (round 19: a run is
    active from its planning on, not from its first finished chunk)."""
    DetectionRun.objects.filter(pk=run.pk).update(
        active_at=timezone.now() - runner.STALE_AFTER - datetime.timedelta(seconds=1)
    )


def test_an_abandoned_failed_or_stale_run_holds_nobody_up(scored: tuple[list[Any], Any]) -> None:
    never = runner.plan_run(start=WINDOW_START, end=WINDOW_END)  # a worker died at once
    _abandoned(never)
    later = runner.plan_run(start=WINDOW_START, end=WINDOW_END)
    assert runner.earlier_run_computing(later) is None
    _abandoned(later)
    stale = _half_computed()
    latest = runner.plan_run(start=WINDOW_START, end=WINDOW_END)
    assert runner.earlier_run_computing(latest) == stale.pk
    _abandoned(stale)
    assert runner.earlier_run_computing(latest) is None
    _abandoned(latest)
    failed = _half_computed()
    last = runner.plan_run(start=WINDOW_START, end=WINDOW_END)
    assert runner.earlier_run_computing(last) == failed.pk
    DetectionChunk.objects.filter(run=failed, status=DetectionChunk.Status.PENDING).update(
        status=DetectionChunk.Status.FAILED
    )
    assert runner.earlier_run_computing(last) is None
    assert never.pk < later.pk


def with_commit_hooks_run(call: Any) -> Any:
    """Run ``call`` and the on-commit hooks it registers (the test's transaction never
    commits)."""
    from django.db import connection

    before = len(connection.run_on_commit)
    result = call()
    hooks = connection.run_on_commit[before:]
    del connection.run_on_commit[before:]
    for _sids, hook, _robust in hooks:
        hook()
    return result

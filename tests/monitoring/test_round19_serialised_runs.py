"""Round 19: detection runs take turns from the moment they are planned.

Round 18 made a later run wait while an earlier unfinished run had *finished a chunk*
within ``STALE_AFTER``. Two runs started in the same seconds — the nightly task and an
administrator's ``detect`` — had no finished chunk yet and computed side by side, and so did
a run beside an earlier one whose first chunk was still computing. A run now counts as being
worked on from its planning, each claim of a chunk and each wait for its turn
(``DetectionRun.active_at``); abandoned (nobody at it for ``STALE_AFTER``) or failed, it holds
nobody up, and the oldest run never waits for a younger one.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.db import connections
from django.utils import timezone

from monitoring import tasks
from monitoring.detection import runner
from monitoring.models import DetectionChunk, DetectionRun
from monitoring.services.config import ensure_detection_settings
from tests.conftest import World
from tests.monitoring.conftest import WINDOW_START
from tests.monitoring.test_round18_rerun import with_commit_hooks_run

pytestmark = pytest.mark.django_db

P = DetectionRun.Phase
S = DetectionChunk.Status


def _plan() -> DetectionRun:
    runner.reset_caches()
    return runner.plan_run(start=WINDOW_START, end=WINDOW_START)


def _abandon(run: DetectionRun) -> None:
    """Nobody has worked on the run for longer than ``STALE_AFTER`` (planned and left)."""
    long_ago = timezone.now() - runner.STALE_AFTER - datetime.timedelta(seconds=1)
    DetectionRun.objects.filter(pk=run.pk).update(created_at=long_ago, active_at=long_ago)


def _first_chunk(run: DetectionRun) -> int:
    return runner.chunk_ids(run, P.ASSESS)[0]


def _computed(run: DetectionRun) -> int:
    return DetectionChunk.objects.filter(run=run, status=S.DONE).count()


@pytest.fixture
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any wait of an inline run fails the test (instead of sleeping)."""

    def sleep(seconds: float) -> None:
        raise AssertionError(f"waited {seconds} s")

    monkeypatch.setattr(runner.time, "sleep", sleep)


def in_another_connection[T](call: Callable[[], T]) -> T:
    """``call()`` in a thread, on a connection of its own: as another worker sees it."""
    results: list[T] = []

    def run() -> None:
        try:
            results.append(call())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return results[0]


def from_another_worker(later: DetectionRun, earlier: DetectionRun) -> tuple[int | None, int]:
    """What a worker on another connection sees: the run ``later`` waits for, and how many
    chunks of ``earlier`` are done."""
    return in_another_connection(lambda: (runner.earlier_run_computing(later), _computed(earlier)))


def _during_a_chunk(monkeypatch: pytest.MonkeyPatch, look: Callable[[], None]) -> None:
    """Call ``look`` while an assess chunk is being computed (its claim taken, not done)."""
    assess = runner.assess_units_day

    def computing(**kwargs: Any) -> Any:
        look()
        return assess(**kwargs)

    monkeypatch.setattr(runner, "assess_units_day", computing)


def test_of_two_runs_planned_in_the_same_second_the_later_waits(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier, later = _plan(), _plan()
    now = timezone.now()
    DetectionRun.objects.filter(pk__in=[earlier.pk, later.pk]).update(created_at=now, active_at=now)
    assert _computed(earlier) == 0  # no chunk finished: round 18 saw nothing to wait for
    assert runner.earlier_run_computing(later) == earlier.pk
    assert runner.earlier_run_computing(earlier) is None
    first = _first_chunk(later)
    assert runner.take_chunk(first) is runner.Outcome.WAITS
    assert runner.run_chunk(first) is False
    # A worker's task leaves the chunk pending and comes back later.
    with mock.patch.object(tasks.detect_chunk, "apply_async") as again:
        assert with_commit_hooks_run(lambda: tasks.detect_chunk(first)) is False
    again.assert_called_once_with((first,), countdown=tasks.WAIT_FOR_EARLIER_RUN_SECONDS)
    assert _computed(later) == 0
    # Inline, the later run computes nothing until the earlier one is done (here finished
    # during its first wait, as another worker would).
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        assert _computed(later) == 0
        monkeypatch.setattr(runner.time, "sleep", lambda s: pytest.fail("waited again"))
        runner.run_inline(earlier)
        runner.reset_caches()

    monkeypatch.setattr(runner.time, "sleep", sleep)
    assert runner.run_inline(later).phase == P.DONE
    assert waits == [runner.WAIT_SECONDS]
    earlier.refresh_from_db()
    assert earlier.phase == P.DONE


def test_the_earlier_run_does_not_wait_for_the_later(world: World, no_waiting: None) -> None:
    earlier, later = _plan(), _plan()
    assert runner.take_chunk(_first_chunk(later)) is runner.Outcome.WAITS  # later: at work
    assert runner.run_inline(earlier).phase == P.DONE
    runner.reset_caches()
    assert runner.run_inline(later).phase == P.DONE


def test_a_run_planned_long_ago_and_never_computed_holds_nobody_up(
    world: World, no_waiting: None
) -> None:
    never = _plan()  # a worker died, or the queue was lost
    _abandon(never)
    later = _plan()
    assert runner.earlier_run_computing(later) is None
    with (
        mock.patch.object(tasks.detect_chunk, "delay"),
        mock.patch.object(tasks.detect_chunk, "apply_async") as again,
    ):
        assert with_commit_hooks_run(lambda: tasks.detect_chunk(_first_chunk(later))) is True
    again.assert_not_called()
    assert runner.run_inline(later).phase == P.DONE


def test_a_run_waiting_its_turn_keeps_its_place(world: World, no_waiting: None) -> None:
    """Runs that waited longer than ``STALE_AFTER`` for a long run do not all start together
    when it ends: the one next in line goes first, the others wait for it."""
    running = _plan()
    waiting = _plan()
    _abandon(waiting)  # planned long ago, waiting ever since
    assert runner.take_chunk(_first_chunk(waiting)) is runner.Outcome.WAITS  # and says so
    queued = _plan()
    assert runner.run_inline(running).phase == P.DONE
    assert runner.earlier_run_computing(queued) == waiting.pk
    assert runner.earlier_run_computing(waiting) is None


def test_a_failed_earlier_run_holds_nobody_up_until_it_is_resumed(
    world: World, no_waiting: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    failed = _plan()
    with (
        mock.patch.object(runner, "assess_units_day", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        runner.run_inline(failed)
    assert DetectionChunk.objects.filter(run=failed, status=S.FAILED).exists()
    later = _plan()
    assert runner.earlier_run_computing(later) is None
    # ``detect --resume``: taken up again, it holds later runs up while it computes.
    seen: list[int | None] = []
    _during_a_chunk(monkeypatch, lambda: seen.append(runner.earlier_run_computing(later)))
    runner.reset_caches()
    assert runner.run_inline(failed).phase == P.DONE
    assert seen
    assert set(seen) == {failed.pk}
    runner.reset_caches()
    assert runner.run_inline(later).phase == P.DONE


def test_the_task_asks_for_its_runs_turn_once(world: World) -> None:
    run = _plan()
    with (
        mock.patch.object(
            runner, "earlier_run_computing", wraps=runner.earlier_run_computing
        ) as asked,
        mock.patch.object(tasks.detect_chunk, "delay"),
    ):
        assert with_commit_hooks_run(lambda: tasks.detect_chunk(_first_chunk(run))) is True
    assert asked.call_count == 1


@pytest.mark.django_db(transaction=True)
def test_a_chunk_being_computed_holds_a_later_run_up(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen from another connection, as another worker sees it: the claim is committed
    before the chunk computes, not with it."""
    ensure_detection_settings()  # (a transactional test's flush empties them)
    earlier = _plan()
    _abandon(earlier)  # only the claim below makes it active again
    later = _plan()

    assert from_another_worker(later, earlier) == (None, 0)  # abandoned
    seen: list[tuple[int | None, int]] = []
    _during_a_chunk(monkeypatch, lambda: seen.append(from_another_worker(later, earlier)))
    assert runner.run_chunk(_first_chunk(earlier)) is True
    assert seen == [(earlier.pk, 0)]  # computing, no chunk finished

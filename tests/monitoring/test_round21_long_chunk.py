"""Round 21: runs take turns by the chunks computing now, not only by signs of life.

A run counted as worked on from its last sign of life (``active_at``: planned, a claim, a
wait), so a single chunk computing longer than ten minutes — a national unit on a loaded
server — made its run look abandoned, and a later run computed beside it over the same
derived rows (noticed in rounds 19 and 20). On PostgreSQL a computing chunk now holds its
run's advisory lock until it commits; the lock goes with the worker's connection, so a run
whose worker died is still let go once its sign of life is old.

The same lock lets an earlier run taken up again (``detect --resume``) wait for a younger
run's chunk in progress instead of computing beside it (noticed in round 19: the oldest run
never waited).
"""

from __future__ import annotations

from unittest import mock

import pytest

from monitoring.detection import runner
from monitoring.models import DetectionChunk
from monitoring.services.config import ensure_detection_settings
from tests.conftest import World
from tests.monitoring.test_round19_serialised_runs import (
    _abandon,
    _during_a_chunk,
    _first_chunk,
    _plan,
    from_another_worker,
    in_another_connection,
)

# Transactional: the chunks' locks and commits are seen from another connection.
in_transactions = pytest.mark.django_db(transaction=True)


@in_transactions
def test_a_chunk_computing_past_the_stale_limit_holds_a_later_run_up(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_detection_settings()  # (a transactional test's flush empties them)
    earlier = _plan()
    later = _plan()
    seen: list[tuple[int | None, int]] = []

    def long_chunk() -> None:
        # As if the chunk had computed for longer than ``STALE_AFTER``: its claim, the
        # run's last sign of life, is older than the limit by now.
        with monkeypatch.context() as later_on:
            later_on.setattr(runner, "STALE_AFTER", -runner.STALE_AFTER)
            seen.append(from_another_worker(later, earlier))

    _during_a_chunk(monkeypatch, long_chunk)
    assert runner.run_chunk(_first_chunk(earlier)) is True
    assert seen == [(earlier.pk, 0)]  # still computing: the later run waits
    # Done and committed, its lock let go: with no sign of life for ``STALE_AFTER`` the
    # earlier run holds nobody up (as one whose worker died mid-chunk).
    _abandon(earlier)
    waits_for, computed = from_another_worker(later, earlier)
    assert waits_for is None
    assert computed


@in_transactions
def test_the_lock_of_a_later_run_holds_no_earlier_run_up(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only earlier runs count, computing or not: the oldest never waits."""
    ensure_detection_settings()
    earlier = _plan()
    _abandon(earlier)  # so that the later run computes
    later = _plan()
    seen: list[tuple[int | None, int]] = []
    _during_a_chunk(monkeypatch, lambda: seen.append(from_another_worker(earlier, later)))
    assert runner.run_chunk(_first_chunk(later)) is True
    assert seen == [(None, 0)]


@pytest.mark.parametrize("run_id", [1, 2**31 - 1, 2**31, 2**31 + 7, 2**40])
def test_every_run_id_has_a_lock_key(run_id: int) -> None:
    assert 0 <= runner._lock_key(run_id) < 2**31
    assert runner._lock_key(run_id) == run_id % 2**31


@in_transactions
def test_a_resumed_earlier_run_waits_for_a_younger_runs_chunk_in_progress(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_detection_settings()
    earlier = _plan()
    with (
        mock.patch.object(runner, "assess_units_day", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        runner.run_inline(earlier)
    (failed,) = DetectionChunk.objects.filter(run=earlier, status=DetectionChunk.Status.FAILED)
    later = _plan()  # computes: the earlier run failed
    # ``detect --resume`` of the earlier run, while a chunk of the later one computes.
    DetectionChunk.objects.filter(pk=failed.pk).update(status=DetectionChunk.Status.PENDING)
    outcomes: list[runner.Outcome] = []
    _during_a_chunk(
        monkeypatch,
        lambda: outcomes.append(in_another_connection(lambda: runner.take_chunk(failed.pk))),
    )
    assert runner.take_chunk(_first_chunk(later)) is runner.Outcome.COMPUTED
    assert outcomes == [runner.Outcome.WAITS]  # not beside the younger run's chunk
    monkeypatch.undo()
    # Its claim marked it at work again: the younger run waits from its next chunk, and the
    # earlier one computes.
    runner.reset_caches()
    next_of_later = (
        DetectionChunk.objects.filter(run=later)
        .exclude(status=DetectionChunk.Status.DONE)
        .values_list("id", flat=True)
        .first()
    )
    assert next_of_later is not None
    assert runner.take_chunk(next_of_later) is runner.Outcome.WAITS
    runner.reset_caches()
    assert runner.take_chunk(failed.pk) is runner.Outcome.COMPUTED


@pytest.mark.django_db
def test_an_inline_run_says_once_that_it_waits_for_chunks_held_elsewhere(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Round 22: a run whose chunk is not its turn (a resumed run behind a younger run's
    chunk in progress) used to poll every second without a word; it now says so, once per
    wait rather than once a second."""
    ensure_detection_settings()
    run = _plan()
    real = runner.take_chunk
    answers = iter([runner.Outcome.WAITS, runner.Outcome.WAITS])
    monkeypatch.setattr(
        runner, "take_chunk", lambda chunk_id: next(answers, None) or real(chunk_id)
    )
    monkeypatch.setattr(runner.time, "sleep", lambda seconds: None)
    with caplog.at_level("INFO", logger=runner.logger.name):
        done = runner.run_inline(run)
    assert done.phase == runner.P.DONE
    said = [r.getMessage() for r in caplog.records if "held by other workers" in r.getMessage()]
    assert said == [f"detection run {run.pk} waits for chunks held by other workers or runs"]

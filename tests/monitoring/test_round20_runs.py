"""Round 20: a detection run stopped by hand holds nobody up.

A run stopped with Ctrl-C (or its process told to end) left no failed chunk, so a later run
waited for it until ``STALE_AFTER`` (ten minutes) had passed — noticed in round 19. Stopped,
a run lets go of its turn; taken up again (``detect --resume``), it holds later runs up
again from its next claim.
"""

from __future__ import annotations

from unittest import mock

import pytest

from monitoring.detection import runner
from monitoring.models import DetectionChunk, DetectionRun
from tests.conftest import World
from tests.monitoring.test_round19_serialised_runs import _plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit])
def test_a_run_stopped_by_hand_lets_later_runs_go_at_once(
    world: World, monkeypatch: pytest.MonkeyPatch, stop: type[BaseException]
) -> None:
    monkeypatch.setattr(runner.time, "sleep", lambda s: pytest.fail(f"waited {s} s"))
    stopped = _plan()
    with mock.patch.object(runner, "assess_units_day", side_effect=stop), pytest.raises(stop):
        runner.run_inline(stopped)
    assert not DetectionChunk.objects.filter(
        run=stopped, status=DetectionChunk.Status.FAILED
    ).exists()
    stopped.refresh_from_db()
    assert stopped.active_at is None
    later = _plan()
    assert runner.earlier_run_computing(later) is None
    # Taken up again, it is at work — and ahead of the later run — from its first claim.
    seen: list[int | None] = []
    assess = runner.assess_units_day

    def computing(**kwargs: object) -> object:
        seen.append(runner.earlier_run_computing(later))
        return assess(**kwargs)

    monkeypatch.setattr(runner, "assess_units_day", computing)
    runner.reset_caches()
    assert runner.run_inline(stopped).phase == DetectionRun.Phase.DONE
    assert seen
    assert set(seen) == {stopped.pk}
    runner.reset_caches()
    assert runner.run_inline(later).phase == DetectionRun.Phase.DONE


def test_a_finished_run_is_not_let_go_again(world: World) -> None:
    done = runner.run_inline(_plan())
    active_at = DetectionRun.objects.get(pk=done.pk).active_at
    runner._let_go(done.pk)
    assert DetectionRun.objects.get(pk=done.pk).active_at == active_at

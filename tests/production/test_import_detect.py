"""A delivery imported with the documented commands, and detection run by the Celery worker.

Everything runs as the application's runtime role (``scripts/db-roles.sql``), as an operator
would on the server: ``import_reference DIR``, ``import_access_log FILE``, then
``detect --start --end --workers`` hands the chunks to the suite's real worker.
"""

from __future__ import annotations

import re
import signal
import time
from pathlib import Path

import pytest

from tests.production.conftest import duplicate_signals, period, wait_for_run
from tests.production.stack import Stack, wait_for

pytestmark = [pytest.mark.production]


def test_import_and_detect_through_the_worker_as_the_runtime_role(
    stack: Stack, delivery: Path
) -> None:
    reference = stack.manage("import_reference", str(delivery))
    assert "Traceback" not in reference.stderr
    events = stack.manage("import_access_log", "--quiet-rejects", str(delivery / "events.csv"))
    imported = int(re.search(r"imported=(\d+)", events.stdout).group(1))  # type: ignore[union-attr]
    assert imported > 0
    assert (
        stack.database.query(
            "SELECT count(*) FROM monitoring_importbatch WHERE status = 'running'"
        )[0][0]
        == 0
    )

    start, end = period()
    queued = stack.manage(
        "detect", "--start", start.isoformat(), "--end", end.isoformat(), "--workers"
    )
    match = re.search(r"run (\d+): (\d+) chunks queued", queued.stdout)
    assert match, queued.stdout
    run_id = int(match.group(1))
    wait_for_run(stack, run_id)
    assert stack.database.query(
        "SELECT count(*) FROM monitoring_detectionchunk WHERE run_id = %s AND status <> 'done'",
        [run_id],
    ) == [(0,)]
    assert stack.database.query("SELECT count(*) FROM monitoring_signal")[0][0] > 0
    assert duplicate_signals(stack) == []


def test_a_worker_killed_in_the_middle_of_a_run(stack: Stack, delivery: Path) -> None:
    """SIGKILL to the worker (and its pool) mid-run; a new worker finishes the same run.

    Late acknowledgement leaves the killed worker's messages unacknowledged in Redis; the new
    worker puts them back on the queue once they are older than the visibility timeout
    (lowered here to a few seconds, see ``CELERY_VISIBILITY_TIMEOUT``). A chunk is claimed
    and written in one transaction, so the one the worker was computing rolled back and is
    simply computed again: the run completes, every chunk is done, no signal exists twice,
    and detecting the same period again inline finds nothing new (no chunk was lost).
    """
    # The delivery may already be in (the test above, as the runtime role); importing again
    # is idempotent. As the owner here: this test is about the worker, not the grants.
    stack.manage("import_reference", str(delivery), as_owner=True)
    stack.manage(
        "import_access_log", "--quiet-rejects", str(delivery / "events.csv"), as_owner=True
    )
    for worker in stack.workers:
        worker.stop()
    stack.workers.clear()
    victim = stack.start_worker(concurrency=1, name="victim")

    start, end = period()
    queued = stack.manage(
        "detect", "--start", start.isoformat(), "--end", end.isoformat(), "--workers"
    )
    match = re.search(r"run (\d+): (\d+) chunks queued", queued.stdout)
    assert match, queued.stdout
    run_id = int(match.group(1))

    def some_chunks_done() -> bool:
        rows = stack.database.query(
            "SELECT count(*) FILTER (WHERE status = 'done'), count(*) "
            "FROM monitoring_detectionchunk WHERE run_id = %s",
            [run_id],
        )
        return rows[0][0] >= 1

    wait_for(some_chunks_done, "the first chunk", timeout=180, step=0.1)
    victim.stop(signal.SIGKILL)
    assert victim.popen.returncode == -signal.SIGKILL
    stack.workers.remove(victim)
    phase = stack.database.query(
        "SELECT phase FROM monitoring_detectionrun WHERE id = %s", [run_id]
    )[0][0]
    assert phase != "done", "the run finished before the kill: nothing was tested"

    time.sleep(4)  # older than the lowered visibility timeout when the new worker starts
    rescuer = stack.start_worker(
        concurrency=2,
        name="rescuer",
        CELERY_VISIBILITY_TIMEOUT="3",
        CELERY_UNACKED_RESTORE_INTERVAL="1",
    )
    wait_for_run(stack, run_id, timeout=300)
    assert stack.database.query(
        "SELECT count(*) FROM monitoring_detectionchunk WHERE run_id = %s AND status <> 'done'",
        [run_id],
    ) == [(0,)]
    assert duplicate_signals(stack) == []

    again = stack.manage("detect", "--start", start.isoformat(), "--end", end.isoformat())
    assert re.search(r"signals created=0 ", again.stdout), again.stdout
    assert "withdrawn=0 " in again.stdout, again.stdout

    # Back to a worker with the production timeouts for the rest of the suite.
    rescuer.stop()
    stack.workers.remove(rescuer)
    stack.start_worker(concurrency=2)

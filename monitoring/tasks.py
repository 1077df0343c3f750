"""Background work of Protective Monitoring: thin, idempotent, ids and paths in.

Detection is spread over workers chunk by chunk (see :mod:`monitoring.detection.runner`):
:func:`detect_chunk` claims one chunk, computes it, and — if it finished the last chunk
of a phase — queues the next phase's chunks. A redelivered or duplicated task finds its
chunk done or claimed and does nothing.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from celery import shared_task
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import OperationalError, transaction
from django.utils import timezone

from monitoring import services
from monitoring.detection import runner
from monitoring.periods import AMSTERDAM
from monitoring.services.matching import verify_matching_key


def _user(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id).first()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def import_reference_task(directory: str, acting_user_id: int | None = None) -> str:
    """Import the reference files of a directory (idempotent: upserts)."""
    report, _batch = services.import_reference_data(
        directory=Path(directory), acting_user=_user(acting_user_id)
    )
    return report.summary()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def import_access_log_task(paths: list[str], acting_user_id: int | None = None) -> str:
    """Import access-log files (idempotent on event id)."""
    report = services.import_access_logs(
        paths=[Path(p) for p in paths], acting_user=_user(acting_user_id)
    )
    return report.summary()


@shared_task
def detect_period(start: str, end: str, acting_user_id: int | None = None) -> int:
    """Plan detection over [start, end] (ISO dates) and hand its chunks to the workers."""
    run = services.start_detection(
        start=datetime.date.fromisoformat(start),
        end=datetime.date.fromisoformat(end),
        acting_user=_user(acting_user_id),
        inline=False,
    )
    return run.pk


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def detect_chunk(chunk_id: int) -> bool:
    """Compute one detection chunk if nobody else has; start the next phase if it was last.

    A worker machine started with another matching key than the one the reference data
    was hashed with would compute its chunks without a single relative or neighbour:
    it refuses instead (the chunk stays open for a worker with the right key). While an
    earlier run is still being computed (``runner.earlier_run_computing``, asked by the
    chunk's claim) the chunk waits for it: the task comes back later instead of computing
    beside it.
    """
    from monitoring.models import DetectionChunk

    verify_matching_key(acting_user=None, purpose="detectie op een worker")

    run_id = DetectionChunk.objects.values_list("run_id", flat=True).get(pk=chunk_id)
    outcome = runner.take_chunk(chunk_id)
    if outcome is runner.Outcome.WAITS:
        # Queued again rather than retried: waiting is no failure, and a long earlier run
        # must not use up the retries meant for a lost database connection.
        transaction.on_commit(
            lambda: detect_chunk.apply_async((chunk_id,), countdown=WAIT_FOR_EARLIER_RUN_SECONDS)
        )
        return False
    following = runner.advance(run_id)
    transaction.on_commit(lambda: [detect_chunk.delay(next_id) for next_id in following])
    return outcome is runner.Outcome.COMPUTED


WAIT_FOR_EARLIER_RUN_SECONDS = 30


@shared_task
def detect_yesterday() -> int:
    """The nightly run: yesterday (Europe/Amsterdam); its window's signals are updated."""
    yesterday = timezone.now().astimezone(AMSTERDAM).date() - datetime.timedelta(days=1)
    return detect_period(yesterday.isoformat(), yesterday.isoformat())


@shared_task
def send_employee_notices() -> int:
    """Hourly: tell employees what the protocol says they are told, once its delay passed."""
    from monitoring.services import send_due_employee_notices

    return send_due_employee_notices()

"""An import's :class:`ImportBatch` always ends in a final state — even when its process dies.

While an import runs, its process holds a session-level advisory lock on its batch
(``pg_advisory_lock(BATCH_LOCK, id)``). The lock is taken in the same transaction that
creates the batch row, so no other session ever sees the row "running" without the lock.
PostgreSQL releases the lock when the session ends, however it ends (``SIGKILL``, a lost
machine), so a batch that is still "running" while its lock is free is *stale*: its import
was interrupted and its transaction rolled back, so nothing of it was kept. Every import
closes stale batches when it starts (:func:`close_stale_batches`), marking them failed.

An exception inside the import (anything, including ``KeyboardInterrupt``) marks the batch
failed with the error before it propagates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from monitoring.models import ImportBatch

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# Namespace of the per-batch advisory locks (the first key of the two-key form): arbitrary,
# fixed, used nowhere else. "VKMB".
BATCH_LOCK = 0x564B_4D42
INTERRUPTED = (
    "Interrupted: the importing process ended before the import finished (for example it "
    "was killed). Its transaction was rolled back, so nothing of this import was kept; "
    "import the file again."
)


def _locking() -> bool:
    return connection.vendor == "postgresql"


def close_stale_batches() -> int:
    """Mark failed every "running" batch whose importing session is gone; returns how many.

    A batch is stale when no session holds its lock (``pg_locks``, which every role may
    read). Locks are taken only when a batch is created, so a stale batch cannot come back.
    """
    if not _locking():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE monitoring_importbatch SET status = %s, message = %s, finished_at = %s "
            "WHERE status = %s AND NOT EXISTS (SELECT 1 FROM pg_locks l "
            "WHERE l.locktype = 'advisory' AND l.classid = %s::oid "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND l.objid = monitoring_importbatch.id::oid AND l.objsubid = 2 AND l.granted)",
            [
                ImportBatch.Status.FAILED,
                INTERRUPTED,
                timezone.now(),
                ImportBatch.Status.RUNNING,
                BATCH_LOCK,
            ],
        )
        closed = cursor.rowcount
    if closed:
        logger.warning("closed %d interrupted import batch(es)", closed)
    return closed


def start_batch(*, kind: str, source: str, acting_user: User | None) -> ImportBatch:
    """Create a "running" batch and take its lock before anyone can see it."""
    close_stale_batches()
    with transaction.atomic():
        batch = ImportBatch.objects.create(kind=kind, source=source[:500], acting_user=acting_user)
        if _locking():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", [BATCH_LOCK, batch.pk])
    return batch


def release_batch(batch: ImportBatch) -> None:
    """Let go of the batch's lock (its status must be final by now)."""
    if not _locking():
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [BATCH_LOCK, batch.pk])
    except DatabaseError:  # the connection is gone: so is the lock
        logger.warning("could not release the lock of import batch %s", batch.pk)


def fail_batch(batch: ImportBatch, error: BaseException) -> str:
    """Record ``error`` on the batch as its final state; returns the message."""
    message = (str(error) or type(error).__name__)[:2000]
    try:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED, message=message, finished_at=timezone.now()
        )
    except DatabaseError:  # the database is gone: the next import's sweep closes the batch
        logger.exception("could not record the failure of import batch %s", batch.pk)
    batch.status = ImportBatch.Status.FAILED
    batch.message = message
    return message


@contextmanager
def running_batch(*, kind: str, source: str, acting_user: User | None) -> Iterator[ImportBatch]:
    """A batch for the duration of the block: failed on any exception, its lock always freed.

    The block must set a final status itself when it succeeds.
    """
    batch = start_batch(kind=kind, source=source, acting_user=acting_user)
    try:
        yield batch
    except BaseException as error:
        fail_batch(batch, error)
        raise
    finally:
        release_batch(batch)

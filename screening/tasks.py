"""Background work of the screening app: thin, idempotent."""

from __future__ import annotations

import logging

from celery import shared_task

from screening import services

logger = logging.getLogger(__name__)


@shared_task
def open_due_rescreenings() -> int:
    """Open the re-screening dossiers whose lead time has begun (daily; idempotent).

    Running it twice on a day opens nothing the second time: an employee with an open
    re-screening is skipped, and a database constraint refuses a duplicate.
    """
    opened = services.open_due_rescreenings()
    logger.info("opened %d re-screening dossier(s)", len(opened))
    return len(opened)

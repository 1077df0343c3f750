"""Background work of the complaints app: thin, idempotent."""

from __future__ import annotations

import logging

from celery import shared_task

from complaints import services

logger = logging.getLogger(__name__)


@shared_task
def send_deadline_reminders() -> int:
    """Remind handlers of decisions due within a week (daily; one reminder per deadline)."""
    sent = services.send_deadline_reminders()
    logger.info("sent %d complaint deadline reminder(s)", sent)
    return sent

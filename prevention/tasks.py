"""Background work of prevention and advice: thin, idempotent."""

from __future__ import annotations

import logging

from celery import shared_task

from prevention import services

logger = logging.getLogger(__name__)


@shared_task
def send_first_answer_reminders() -> int:
    """Remind coordinators of first answers due soon or overdue (daily; once per term)."""
    sent = services.send_first_answer_reminders()
    logger.info("sent %d prevention reminder(s)", sent)
    return sent

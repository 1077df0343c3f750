"""Background work of the cases app: thin, idempotent, ids in."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from cases import services


@shared_task
def send_deadline_reminders() -> dict[str, int]:
    """Daily: remind of terms due soon, report terms that passed (each at most once)."""
    run = services.send_deadline_reminders(today=timezone.localdate())
    return {"reminders": run.reminders, "overdue": run.overdue_notices, "messages": run.messages}


@shared_task
def requeue_waiting_renders() -> int:
    """Every few minutes: renderings whose message never reached the broker are sent again."""
    return len(services.requeue_waiting_renders(older_than=datetime.timedelta(minutes=2)))


@shared_task(acks_late=True)
def render_case_report(render_id: int) -> bool:
    """Render a queued investigation report (claims the job first; a redelivery does nothing)."""
    return services.render_report(render_id)

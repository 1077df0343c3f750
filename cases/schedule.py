"""Periodic tasks of the cases app (merged into Celery beat by vik/schedule.py; no model imports)."""

from __future__ import annotations

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # A report requested while Redis was down waits; this sends it once Redis is back.
    "cases-requeue-waiting-renders": {
        "task": "cases.tasks.requeue_waiting_renders",
        "schedule": crontab(minute="*/5"),
    },
    # Early on working mornings, before the day's interviews and letters.
    "cases-deadline-reminders": {
        "task": "cases.tasks.send_deadline_reminders",
        "schedule": crontab(minute=30, hour=6, day_of_week="mon-fri"),
    },
}

"""Celery beat entries of the complaints app (merged by ``vik/schedule.py``; no model imports)."""

from __future__ import annotations

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Before the working day starts, so the reminder is in the inbox when handlers arrive.
    "complaints-deadline-reminders": {
        "task": "complaints.tasks.send_deadline_reminders",
        "schedule": crontab(minute=50, hour=5),
    },
}

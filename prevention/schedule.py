"""Celery beat entries of prevention and advice (merged by ``vik/schedule.py``; no model imports)."""

from __future__ import annotations

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Before the working day starts, so the reminder is waiting when coordinators arrive.
    "prevention-first-answer-reminders": {
        "task": "prevention.tasks.send_first_answer_reminders",
        "schedule": crontab(minute=55, hour=5),
    },
}

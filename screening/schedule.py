"""Celery beat entries of the screening app (merged by ``vik/schedule.py``; no model imports)."""

from __future__ import annotations

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Early in the morning, so new re-screenings are on the worklist when officers start.
    "screening-open-due-rescreenings": {
        "task": "screening.tasks.open_due_rescreenings",
        "schedule": crontab(minute=40, hour=5),
    },
}

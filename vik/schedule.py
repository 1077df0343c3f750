"""The periodic-task timetable for Celery beat, for every app in one place.

django-celery-beat does not support Django 6.1, so the schedule is plain configuration
(``CELERY_BEAT_SCHEDULE``). This module must not import models: settings import it.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "vik-purge-expired-sessions": {
        "task": "vik.tasks.clear_expired_sessions",
        "schedule": crontab(minute=17, hour=3),
    },
}

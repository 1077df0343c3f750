"""Periodic tasks of the transparency app (merged into the beat schedule by vik/schedule.py).

No model imports here: the settings import this module.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Completed quarters are published (protected and frozen) early each morning.
    "transparency-publish-figures": {
        "task": "vik.transparency.tasks.publish_figures",
        "schedule": crontab(minute=40, hour=2),
    },
    # Retention runs when nobody works: purges take locks on large tables.
    "transparency-retention": {
        "task": "vik.transparency.tasks.purge_expired_data",
        "schedule": crontab(minute=10, hour=4),
    },
    # Deferrals that ended, and reminders of deadlines, before the working day starts.
    "transparency-deadlines": {
        "task": "vik.transparency.tasks.daily_deadlines",
        "schedule": crontab(minute=30, hour=6),
    },
    # Logging report renderings whose message was lost while Redis was down.
    "transparency-requeue-waiting-reports": {
        "task": "vik.transparency.tasks.requeue_waiting_logging_reports",
        "schedule": crontab(minute="*/5"),
    },
}

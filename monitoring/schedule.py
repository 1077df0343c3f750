"""Periodic tasks of Protective Monitoring (merged into the timetable by vik/schedule.py).

No model imports here: the settings module imports this file.
"""

from __future__ import annotations

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # After the nightly log deliveries: judge yesterday, update the current window's signals.
    "monitoring-detect-yesterday": {
        "task": "monitoring.tasks.detect_yesterday",
        "schedule": crontab(minute=30, hour=5),
    },
    # Retention (default 6 months, configurable): whole day partitions are dropped.
    "monitoring-retention": {
        "task": "monitoring.tasks.purge_expired_monitoring_data",
        "schedule": crontab(minute=45, hour=2),
    },
}

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
    # Dismissals and reveals are told to the employee after the protocol's delay.
    "monitoring-employee-notices": {
        "task": "monitoring.tasks.send_employee_notices",
        "schedule": crontab(minute=20),
    },
    # Retention of access events is run by the transparency app's nightly purge, with the
    # period and legal holds kept there (category "monitoring.access_events").
}

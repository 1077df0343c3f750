"""The periodic-task timetable for Celery beat, gathered from every app.

django-celery-beat does not support Django 6.1, so the schedule is plain configuration
(``CELERY_BEAT_SCHEDULE``). Each app may have a ``schedule.py`` with a ``BEAT_SCHEDULE``
dict; they are merged here. These modules must not import models: settings import them.
"""

from __future__ import annotations

import importlib

from celery.schedules import crontab

_APPS_WITH_SCHEDULES = (
    "monitoring",
    "cases",
    "screening",
    "complaints",
    "prevention",
    "vik.transparency",
)

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "vik-clear-expired-sessions": {
        "task": "vik.tasks.clear_expired_sessions",
        "schedule": crontab(minute=17, hour=3),
    },
    # Leavers lose roles, account and sessions on the day they have left, whatever path
    # (HR import, reference data, the admin) recorded the end of their employment.
    # The access log's hash chain, after the retention run and before the working day.
    "vik-verify-access-log-chain": {
        "task": "vik.tasks.verify_access_log_chain",
        "schedule": crontab(minute=40, hour=4),
    },
    "vik-offboard-leavers": {
        "task": "vik.tasks.offboard_leavers_task",
        "schedule": crontab(minute=5),
    },
}

for _app in _APPS_WITH_SCHEDULES:
    try:
        _module = importlib.import_module(f"{_app}.schedule")
    except ModuleNotFoundError as error:
        if error.name != f"{_app}.schedule":
            raise
        continue
    _clashes = BEAT_SCHEDULE.keys() & _module.BEAT_SCHEDULE.keys()
    if _clashes:
        raise RuntimeError(f"duplicate beat schedule entries: {sorted(_clashes)}")
    BEAT_SCHEDULE.update(_module.BEAT_SCHEDULE)

"""The Celery application. Workers: ``celery -A vik worker``; beat: ``celery -A vik beat``."""

import os
from typing import Any

from celery import Celery
from celery.signals import task_failure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vik.settings")

app = Celery("vik")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_failure.connect
def _count_failure(sender: Any = None, **kwargs: Any) -> None:
    """Every failed task counts in ``vik_celery_task_failures_total`` (see vik.metrics)."""
    from vik.metrics import count_task_failure

    count_task_failure(getattr(sender, "name", "unknown"))

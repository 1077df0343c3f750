"""The Celery application. Workers: ``celery -A vik worker``; beat: ``celery -A vik beat``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vik.settings")

app = Celery("vik")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

"""Queues per kind of work: every routed task exists, and a queue setting routes it."""

from __future__ import annotations

from celery.app.routes import Router, prepare
from django.conf import settings

from vik.celery import app


def test_every_task_named_for_a_queue_is_a_registered_task() -> None:
    app.loader.import_default_modules()
    named = {task for tasks in settings.TASKS_BY_QUEUE_SETTING.values() for task in tasks}
    assert named <= set(app.tasks)  # a renamed task would silently lose its queue


def test_detection_chunks_go_to_the_queue_a_setting_names() -> None:
    routes = {
        task: {"queue": "detection"}
        for task in settings.TASKS_BY_QUEUE_SETTING["CELERY_QUEUE_DETECTION"]
    }
    router = Router(prepare([routes]), app.amqp.queues, create_missing=True, app=app)
    assert router.route({}, "monitoring.tasks.detect_chunk")["queue"].name == "detection"
    assert router.route({}, "vik.tasks.clear_expired_sessions")["queue"].name == "celery"

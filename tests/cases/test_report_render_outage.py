"""A report requested while Redis is down: the request succeeds, the job waits, and the
sweep sends it once Redis is back (docs/operations.md, "Redis stopped")."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from cases import services, tasks
from cases.models import ReportRender
from tests.cases.builders import Flow

pytestmark = [pytest.mark.django_db]


def test_a_broker_error_after_commit_leaves_the_job_waiting(
    flow: Flow, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    case = flow.started()

    def broker_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.render_case_report, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        render = services.request_report_render(case=case, acting_user=flow.investigator)
    render.refresh_from_db()
    assert render.status == ReportRender.Status.QUEUED


def test_the_sweep_sends_waiting_jobs_again(flow: Flow, monkeypatch: pytest.MonkeyPatch) -> None:
    case = flow.started()
    sent: list[int] = []
    monkeypatch.setattr(tasks.render_case_report, "delay", sent.append)
    old = ReportRender.objects.create(case=case, requested_by=flow.investigator)
    ReportRender.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    ReportRender.objects.create(case=case, requested_by=flow.investigator)  # just asked
    ReportRender.objects.create(
        case=case, requested_by=flow.investigator, status=ReportRender.Status.DONE
    )
    assert tasks.requeue_waiting_renders() == 1
    assert sent == [old.pk]


def test_the_sweep_is_in_the_beat_schedule() -> None:
    from vik.celery import app
    from vik.schedule import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["cases-requeue-waiting-renders"]
    assert entry["task"] in app.tasks

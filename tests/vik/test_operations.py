"""Operations: /metrics (protected), the readiness probe, JSON logs with the request id."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from monitoring.models import ImportBatch
from tests.monitoring.review_factories import make_signal
from vik.logs import JsonFormatter
from vik.metrics import count_task_failure
from vik.request_context import (
    RequestContext,
    RequestIdLogFilter,
    reset_request_context,
    set_request_context,
)
from vik.security_log import SecurityEvent, log_security_event

pytestmark = pytest.mark.django_db


def test_metrics_for_an_allowed_address(world) -> None:
    make_signal(world.subject)
    ImportBatch.objects.create(kind="access_log", source="x", imported=7, rejected=2)
    count_task_failure("monitoring.tasks.detect_chunk")
    client = Client()
    client.get(reverse("vik:health"))
    response = client.get(reverse("vik:metrics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    text = response.content.decode()
    assert 'vik_http_requests_total{method="GET",route="vik:health",status="200"}' in text
    assert "vik_http_request_duration_seconds_bucket" in text
    assert 'vik_signals{status="new"} 1.0' in text
    assert 'vik_import_rows_total{kind="access_log",outcome="imported"} 7.0' in text
    assert 'vik_import_rows_total{kind="access_log",outcome="rejected"} 2.0' in text
    assert "vik_detection_run_duration_seconds_count" in text
    assert 'vik_deadlines_overdue{kind="monitoring_followup"} 0.0' in text
    assert 'vik_deadlines_overdue{kind="complaints_decision"} 0.0' in text
    assert 'vik_celery_task_failures_total{task="monitoring.tasks.detect_chunk"}' in text
    assert 'vik_celery_queue_length{queue="celery"}' in text
    # Never a person: no personnel number, no name.
    assert world.subject.personnel_number not in text
    assert world.subject.last_name not in text


def test_metrics_refuse_anyone_else(world, settings) -> None:
    settings.VIK_METRICS_ALLOWED_NETWORKS = ["10.1.2.0/24"]
    settings.VIK_METRICS_TOKEN = "scrape-secret"
    client = Client()
    assert client.get(reverse("vik:metrics")).status_code == 404
    assert client.get(reverse("vik:metrics"), HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    ok = client.get(reverse("vik:metrics"), HTTP_AUTHORIZATION="Bearer scrape-secret")
    assert ok.status_code == 200
    assert client.get(reverse("vik:metrics"), REMOTE_ADDR="10.1.2.3").status_code == 200


def test_metrics_do_not_trust_a_forged_forwarded_address(world, settings) -> None:
    settings.VIK_METRICS_ALLOWED_NETWORKS = ["10.1.2.0/24"]
    settings.VIK_TRUSTED_PROXY_COUNT = 0
    response = Client().get(
        reverse("vik:metrics"), HTTP_X_FORWARDED_FOR="10.1.2.3", REMOTE_ADDR="192.0.2.1"
    )
    assert response.status_code == 404


def test_readiness_without_a_worker_is_503(world, settings) -> None:
    settings.VIK_READINESS_WORKER_TIMEOUT = 0.2
    response = Client().get(reverse("vik:ready"))
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert body["broker"] == "ok"
    assert body["worker"] == "no worker answered"


def test_readiness_with_tasks_in_process_is_ready(world, settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = Client().get(reverse("vik:ready"))
    assert response.status_code == 200
    assert response.json()["worker"] == "in-process"


def test_liveness_is_unchanged(world) -> None:
    assert Client().get(reverse("vik:health")).json() == {"database": "ok", "cache": "ok"}


def _record(message: str = "hello", **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("vik.test", logging.INFO, __file__, 1, message, None, None)
    for key, value in extra.items():
        setattr(record, key, value)
    RequestIdLogFilter().filter(record)
    return record


def test_json_log_lines_carry_the_request_id_and_fields() -> None:
    token = set_request_context(RequestContext("req-12345678", "192.0.2.7", "web"))
    try:
        record = _record("sign in", security={"event": "sign_in", "username": "astrid"})
    finally:
        reset_request_context(token)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    payload = json.loads(line)
    assert payload["request_id"] == "req-12345678"
    assert payload["event"] == "sign_in"
    assert payload["username"] == "astrid"
    assert payload["level"] == "INFO"
    assert payload["logger"] == "vik.test"
    assert payload["time"].endswith("+00:00")


def test_json_logs_keep_exceptions_on_one_line() -> None:
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        import sys

        record = _record("failed")
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert "ValueError" in json.loads(line)["exception"]


def test_every_request_is_one_log_line_with_its_id(world, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="vik.request"):
        response = Client().get(reverse("vik:health"), HTTP_X_REQUEST_ID="probe-abcdefgh")
    assert response["X-Request-ID"] == "probe-abcdefgh"
    [record] = [r for r in caplog.records if r.name == "vik.request"]
    assert record.request_id == "probe-abcdefgh"
    assert record.fields["route"] == "vik:health"
    assert record.fields["status"] == 200


def test_security_events_are_structured(caplog) -> None:
    with caplog.at_level(logging.INFO, logger="vik.security"):
        log_security_event(SecurityEvent.SIGN_IN_REFUSED, username="x", reason="left", warning=True)
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.security["event"] == "sign_in_refused"
    assert record.security["reason"] == "left"

"""The monitoring endpoints: deliveries streamed and reported, detection, signals with the
access log, and a token lacking the scope getting 403 and nothing."""

from __future__ import annotations

import gzip
import io
import json
from unittest import mock

import pytest
from django.test import TestCase
from django.urls import reverse

from api import services
from api.models import Delivery, Scope
from monitoring.models import AccessEvent, DetectionRun, ImportBatch
from tests.monitoring.review_factories import WINDOW_END, WINDOW_START, make_signal
from vik.models import AccessAction, AccessChannel, AccessLogEntry
from vik.roles import Role

pytestmark = pytest.mark.django_db

HEADER = "event_id,occurred_at,employee_id,system,action,subject_ref,incident_ref,workstation\n"


def events_csv(world, rows: int = 3, bad: bool = True) -> str:
    number = world.subject.personnel_number
    lines = [
        f"api-{index},2026-10-20T10:0{index}:00+02:00,{number},BVH,view,S-{index},,WS1\n"
        for index in range(rows)
    ]
    if bad:
        lines.append("api-bad,not-a-time,123,BVH,view,,,\n")
    return HEADER + "".join(lines)


def json_event(world, event_id: str) -> dict[str, str]:
    """One access event as a JSON Lines record."""
    return {
        "event_id": event_id,
        "occurred_at": "2026-10-21T09:00:00+02:00",
        "employee_id": world.subject.personnel_number,
        "system": "BVH",
        "action": "view",
        "subject_ref": "S-9",
        "incident_ref": "",
        "workstation": "",
    }


def upload(caller, body: bytes, content_type: str = "text/csv"):
    with (
        mock.patch("api.tasks.import_delivery.delay") as delay,
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        response = caller.post(
            reverse("api:monitoring_access_logs"), body, content_type=content_type
        )
    return response, delay


def test_access_log_delivery_is_streamed_imported_and_reported(api_caller, world) -> None:
    caller = api_caller(Role.ADMINISTRATOR)
    response, delay = upload(caller, events_csv(world).encode())
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "received"
    assert response["Location"].endswith(reverse("api:monitoring_delivery", args=[body["id"]]))
    delay.assert_called_once_with(body["id"])

    assert services.run_delivery(delivery_id=body["id"])
    assert not services.run_delivery(delivery_id=body["id"])  # a redelivery does nothing

    report = caller.get(reverse("api:monitoring_delivery", args=[body["id"]])).json()
    assert (report["status"], report["imported"], report["rejected"]) == ("done", 3, 1)
    assert AccessEvent.objects.filter(event_id__startswith="api-").count() == 3
    batch = ImportBatch.objects.get(pk=Delivery.objects.get().batch_ids[0])
    assert batch.acting_user == caller.account.user  # the record names the system

    rejections = caller.get(report["rejections"]).json()
    assert rejections["count"] == 1
    assert rejections["results"][0]["line"] == 5
    assert "timestamp" in rejections["results"][0]["reason"]
    assert "raw" not in rejections["results"][0]

    # The same file again: everything a duplicate, nothing stored twice.
    second, _ = upload(caller, events_csv(world).encode())
    services.run_delivery(delivery_id=second.json()["id"])
    again = caller.get(reverse("api:monitoring_delivery", args=[second.json()["id"]])).json()
    assert (again["imported"], again["duplicates"]) == (0, 3)


def test_gzip_and_json_lines_are_accepted(api_caller, world) -> None:
    caller = api_caller(Role.ADMINISTRATOR)
    response, _ = upload(caller, gzip.compress(events_csv(world, bad=False).encode()))
    assert response.status_code == 202
    assert response.json()["files"][0]["name"] == "events.csv.gz"
    services.run_delivery(delivery_id=response.json()["id"])
    assert Delivery.objects.get(pk=response.json()["id"]).status == Delivery.Status.DONE

    line = json_event(world, "json-1")
    response, _ = upload(caller, (json.dumps(line) + "\n").encode(), "application/x-ndjson")
    assert response.status_code == 202
    services.run_delivery(delivery_id=response.json()["id"])
    assert AccessEvent.objects.filter(event_id="json-1").exists()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"event_id,occurred_at\n1,2026-10-20T10:00:00+02:00\n", "missing column(s): employee_id"),
        (
            b"event_id,occurred_at,employee_id,system,action,subject_ref,incident_ref,"
            b"workstation,employee_id\n",
            "column(s) named more than once: employee_id",
        ),
        (b"\x1f\x8bnot really gzip", "not a valid gzip file"),
        (b"\xff\xfe\x00garbage\n", "not UTF-8"),
        (b"", "no data"),
    ],
)
def test_a_malformed_upload_is_refused_at_once_with_its_line(
    api_caller, world, body, reason
) -> None:
    caller = api_caller(Role.ADMINISTRATOR)
    response, delay = upload(caller, body)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:vik:problem:malformed-upload"
    assert problem["errors"][0]["line"] == 1
    assert reason in problem["errors"][0]["reason"]
    assert not Delivery.objects.exists()
    delay.assert_not_called()


def test_a_body_without_line_breaks_is_refused_without_reading_it_whole(api_caller, world) -> None:
    # 64 MiB of one "line", gzipped to some 64 KiB: the header check reads a bounded prefix.
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb") as stream:
        for _ in range(64):
            stream.write(b"a" * (1 << 20))
    caller = api_caller(Role.ADMINISTRATOR)
    response, delay = upload(caller, bomb.getvalue())
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["line"], error["reason"]) == (1, "the line is longer than 65,536 characters")
    assert not Delivery.objects.exists()
    delay.assert_not_called()


def test_an_overlong_first_json_line_is_rejected_by_the_import_not_the_whole_upload(
    api_caller, world
) -> None:
    """The importer rejects an over-long line and keeps the rest: so must the upload check."""
    line = json_event(world, "json-after-long")
    overlong = json.dumps({**line, "event_id": "json-long", "workstation": "w" * 70_000})
    body = f"\n{overlong}\n{json.dumps(line)}\n".encode()
    caller = api_caller(Role.ADMINISTRATOR)
    response, _ = upload(caller, body, "application/x-ndjson")
    assert response.status_code == 202, response.content
    services.run_delivery(delivery_id=response.json()["id"])
    assert AccessEvent.objects.filter(event_id="json-after-long").exists()
    report = caller.get(reverse("api:monitoring_delivery", args=[response.json()["id"]])).json()
    assert (report["imported"], report["rejected"]) == (1, 1)
    rejection = caller.get(report["rejections"]).json()["results"][0]
    assert rejection["line"] == 2
    assert rejection["reason"].startswith("the line is longer than")


def test_a_json_lines_body_of_one_endless_line_is_refused_after_a_bounded_read(
    api_caller, world
) -> None:
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb") as stream:
        for _ in range(64):
            stream.write(b"a" * (1 << 20))
    caller = api_caller(Role.ADMINISTRATOR)
    response, delay = upload(caller, bomb.getvalue(), "application/x-ndjson")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["line"], error["reason"]) == (1, "the line is longer than 65,536 characters")
    delay.assert_not_called()


def test_a_json_lines_upload_is_judged_by_its_first_line_that_fits(api_caller, world) -> None:
    body = b"\n" + b"x" * 70_000 + b"\n[1, 2]\n"
    caller = api_caller(Role.ADMINISTRATOR)
    response, _ = upload(caller, body, "application/x-ndjson")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["line"], error["reason"]) == (3, "a line must be a JSON object")


def test_an_upload_over_the_limit_is_413(api_caller, world, settings) -> None:
    settings.VIK_API_MAX_UPLOAD_BYTES = 100
    caller = api_caller(Role.ADMINISTRATOR)
    response, _ = upload(caller, events_csv(world, rows=5).encode())
    assert response.status_code == 413
    assert not Delivery.objects.exists()


def test_reference_delivery_as_multipart(api_caller, world, tmp_path) -> None:
    caller = api_caller(Role.ADMINISTRATOR)
    incidents = tmp_path / "incidents.csv"
    incidents.write_text(
        "incident_ref,region,opened_at,closed_at\nI-1,AM,2026-10-01T08:00:00+02:00,\nI-2,AM,nope,\n"
    )
    with mock.patch("api.tasks.import_delivery.delay"), incidents.open("rb") as stream:
        response = caller.post(
            reverse("api:monitoring_reference_deliveries"), {"incidents": stream}
        )
    assert response.status_code == 202, response.content
    services.run_delivery(delivery_id=response.json()["id"])
    report = caller.get(response["Location"]).json()
    assert report["status"] == "done"
    assert report["rejected"] == 1
    rows = caller.get(report["rejections"]).json()["results"]
    assert rows[0]["file"] == "incidents.csv"
    assert rows[0]["line"] == 3


def test_unknown_parts_are_refused(api_caller, world, tmp_path) -> None:
    caller = api_caller(Role.ADMINISTRATOR)
    path = tmp_path / "x.csv"
    path.write_text("a,b\n")
    with path.open("rb") as stream:
        response = caller.post(
            reverse("api:monitoring_reference_deliveries"), {"passwords": stream}
        )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "passwords", "reason": "unknown file part"}]


def test_another_systems_delivery_is_404(api_caller, world) -> None:
    mine = api_caller(Role.ADMINISTRATOR)
    theirs = api_caller(Role.ADMINISTRATOR)
    response, _ = upload(mine, events_csv(world).encode())
    url = reverse("api:monitoring_delivery", args=[response.json()["id"]])
    assert mine.get(url).status_code == 200
    assert theirs.get(url).status_code == 404


def test_detection_is_started_and_followed(api_caller, world) -> None:
    caller = api_caller(Role.ADMINISTRATOR)
    with mock.patch("monitoring.tasks.detect_chunk.delay"):
        response = caller.post(
            reverse("api:detection_runs"),
            {"start": "2026-10-19", "end": "2026-10-25"},
            content_type="application/json",
        )
    assert response.status_code == 202, response.content
    run = DetectionRun.objects.get(pk=response.json()["id"])
    assert run.requested_by == caller.account.user
    followed = caller.get(response["Location"]).json()
    assert followed["period_start"] == "2026-10-19"
    assert followed["done"] is False
    assert api_caller(Role.ADMINISTRATOR).get(response["Location"]).status_code == 404


@pytest.mark.parametrize(
    ("period", "field"),
    [
        ({"start": "2026-10-25", "end": "2026-10-19"}, "end"),
        ({"start": "2026-01-01", "end": "2026-10-19"}, "end"),
        ({"start": "2026-10-19"}, "end"),
        ({"start": "yesterday", "end": "2026-10-19"}, "start"),
    ],
)
def test_a_bad_period_is_a_validation_problem(api_caller, world, period, field) -> None:
    caller = api_caller(Role.ADMINISTRATOR)
    response = caller.post(reverse("api:detection_runs"), period, content_type="application/json")
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "urn:vik:problem:validation"
    assert [error["field"] for error in problem["errors"]] == [field]


def test_signals_in_the_export_format_with_the_access_log(api_caller, world) -> None:
    ours = make_signal(world.subject)
    outside = make_signal(world.outsider)  # Den Haag: not monitored by this account
    caller = api_caller(Role.ANALYST, name="soc")
    url = reverse("api:signals") + f"?start={WINDOW_START}&end={WINDOW_END}"
    response = caller.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert [line["signal_id"] for line in lines] == [ours.pk]
    assert lines[0]["employee_id"] == world.subject.personnel_number
    assert set(lines[0]) == {
        "signal_id",
        "employee_id",
        "window_start",
        "window_end",
        "score",
        "status",
        "indicators",
        "evidence_event_ids",
    }
    entry = AccessLogEntry.objects.get(employee=world.subject)
    assert entry.actor == caller.account.user
    assert entry.actor_username == "svc-soc"
    assert entry.action == AccessAction.EXPORT
    assert entry.channel == AccessChannel.API
    assert entry.actor_role == Role.ANALYST
    assert "API-token 'test token'" in entry.purpose
    assert entry.request_id
    assert not AccessLogEntry.objects.filter(employee=world.outsider).exists()
    assert outside.pk not in [line["signal_id"] for line in lines]


def test_signals_never_about_the_account_itself(api_caller, world) -> None:
    caller = api_caller(Role.ANALYST)
    world.subject.user = caller.account.user  # as odd as it is: the selector still holds
    world.subject.save()
    make_signal(world.subject)
    url = reverse("api:signals") + f"?start={WINDOW_START}&end={WINDOW_END}"
    assert b"".join(caller.get(url).streaming_content) == b""


def test_a_token_without_the_signals_scope_gets_403_and_nothing(api_caller, world) -> None:
    make_signal(world.subject)
    caller = api_caller(
        Role.ANALYST, scopes=[s for s in Scope.values if s != Scope.MONITORING_SIGNALS]
    )
    response = caller.get(reverse("api:signals") + f"?start={WINDOW_START}&end={WINDOW_END}")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert world.subject.personnel_number.encode() not in response.content
    assert not AccessLogEntry.objects.exists()

"""The Celery tasks, called directly (eager): thin wrappers, idempotent, ids and paths in."""

from __future__ import annotations

import datetime
from pathlib import Path
from unittest import mock

import pytest

from monitoring import tasks
from monitoring.models import AccessEvent, DetectionChunk, DetectionRun, Signal
from monitoring.schedule import BEAT_SCHEDULE
from tests.conftest import World
from tests.monitoring.conftest import Delivery, at

pytestmark = pytest.mark.django_db


def _delivery(world: World, delivery: Delivery) -> Delivery:
    delivery.office_weeks(world.subject)
    delivery.lookups(world.subject, at("2026-10-21", "21:30"), 3, "off")
    delivery.write()
    return delivery


def test_import_tasks(world: World, delivery: Delivery) -> None:
    _delivery(world, delivery)
    summary = tasks.import_reference_task(str(delivery.directory))
    assert summary.startswith("created=")
    assert tasks.import_access_log_task([str(delivery.directory / "events.csv")]) == (
        "imported=3 duplicates=0 rejected=0"
    )
    # Redelivered: nothing twice.
    assert tasks.import_access_log_task([str(delivery.directory / "events.csv")]) == (
        "imported=0 duplicates=3 rejected=0"
    )
    assert AccessEvent.objects.count() == 3


def test_detection_spreads_over_chunk_tasks(world: World, delivery: Delivery) -> None:
    _delivery(world, delivery)
    tasks.import_reference_task(str(delivery.directory))
    tasks.import_access_log_task([str(delivery.directory / "events.csv")])
    queued: list[int] = []
    with (
        mock.patch.object(tasks.detect_chunk, "delay", side_effect=queued.append),
        mock.patch("django.db.transaction.on_commit", side_effect=lambda f: f()),
    ):
        run_id = tasks.detect_period("2026-10-19", "2026-11-01")
    run = DetectionRun.objects.get(pk=run_id)
    assert sorted(queued) == sorted(
        DetectionChunk.objects.filter(run=run, phase="assess").values_list("id", flat=True)
    )
    # Workers take the chunks; the one that finishes a phase queues the next.
    with (
        mock.patch.object(tasks.detect_chunk, "delay", side_effect=queued.append),
        mock.patch("django.db.transaction.on_commit", side_effect=lambda f: f()),
    ):
        while queued:
            tasks.detect_chunk(queued.pop(0))
    run.refresh_from_db()
    assert run.phase == DetectionRun.Phase.DONE
    assert Signal.objects.filter(employee=world.subject).exists()
    # A duplicate delivery of a finished chunk changes nothing.
    chunk = DetectionChunk.objects.filter(run=run).first()
    assert tasks.detect_chunk(chunk.pk) is False


def test_detect_yesterday_plans_yesterday(world: World) -> None:
    with (
        mock.patch.object(tasks.detect_chunk, "delay"),
        mock.patch(
            "monitoring.tasks.timezone.now",
            return_value=datetime.datetime(2026, 10, 26, 3, tzinfo=datetime.UTC),
        ),
    ):
        run = DetectionRun.objects.get(pk=tasks.detect_yesterday())
    assert (run.period_start, run.period_end) == (datetime.date(2026, 10, 25),) * 2


def test_the_beat_schedule_names_real_tasks() -> None:
    for entry in BEAT_SCHEDULE.values():
        module, name = str(entry["task"]).rsplit(".", 1)
        assert module == "monitoring.tasks"
        assert hasattr(tasks, name)


def test_import_task_refuses_missing_files(tmp_path: Path) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        tasks.import_access_log_task([str(tmp_path / "nope.csv")])

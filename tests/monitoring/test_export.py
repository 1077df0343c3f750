"""``export_signals``: one JSON object per line, Dutch explanations, and logged."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from monitoring.models import Signal
from tests.conftest import World
from tests.monitoring.conftest import Delivery, at
from vik.models import AccessAction, AccessLogEntry

pytestmark = pytest.mark.django_db


def test_export_jsonl(world: World, delivery: Delivery, tmp_path: Path) -> None:
    delivery.office_weeks(world.subject)
    ids = delivery.lookups(world.subject, at("2026-10-21", "21:30"), 3, "off")
    delivery.detect()
    output = tmp_path / "signals.jsonl"
    stderr = io.StringIO()
    call_command(
        "export_signals",
        "--start",
        "2026-10-19",
        "--end",
        "2026-11-01",
        "--output",
        str(output),
        stderr=stderr,
    )
    lines = output.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    signal = Signal.objects.get()
    assert record["signal_id"] == signal.pk
    assert record["employee_id"] == world.subject.personnel_number
    assert (record["window_start"], record["window_end"]) == ("2026-10-19", "2026-11-01")
    assert record["score"] == float(signal.score)
    assert [i["code"] for i in record["indicators"]] == ["off_duty"]
    assert record["indicators"][0]["explanation"]
    assert record["evidence_event_ids"] == ids
    assert "exported 1 signal" in stderr.getvalue()
    entry = AccessLogEntry.objects.get(action=AccessAction.EXPORT)
    assert (entry.employee_id, entry.object_type, entry.channel) == (
        world.subject.pk,
        "monitoring.signal",
        "command",
    )


def test_export_to_stdout_skips_withdrawn_and_other_periods(
    world: World, delivery: Delivery
) -> None:
    delivery.office_weeks(world.subject)
    delivery.lookups(world.subject, at("2026-10-21", "21:30"), 3, "off")
    delivery.detect()
    stdout = io.StringIO()
    call_command(
        "export_signals",
        "--start",
        "2026-11-02",
        "--end",
        "2026-11-05",
        stdout=stdout,
        stderr=io.StringIO(),
    )
    assert stdout.getvalue() == ""
    Signal.objects.update(status=Signal.Status.WITHDRAWN)
    call_command(
        "export_signals",
        "--start",
        "2026-10-19",
        "--end",
        "2026-10-25",
        stdout=stdout,
        stderr=io.StringIO(),
    )
    assert stdout.getvalue() == ""

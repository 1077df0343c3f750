"""The nightly run is incremental and loses nothing: night by night equals all at once.

Generated data (``monitoring.generator``) is detected night by night — the days before,
then one more day imported and detected, as ``detect_yesterday`` does — and the same data
imported and detected in one run over the whole period. The exported signals (their
content, not their ids) must be identical; the nights must assess only their own day.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from monitoring import services
from monitoring.detection import runner
from monitoring.detection.signals import night_floor
from monitoring.export import signal_record
from monitoring.generator import GeneratorConfig, generate
from monitoring.models import DailyActivity, DetectionChunk, DetectionRun
from monitoring.periods import local_day
from monitoring.selectors import signals_for_export

pytestmark = pytest.mark.django_db

FIRST = datetime.date(2026, 10, 29)
# The first day of the window of 2–15 November (the window before is within a burst's
# reach), a catch-up run over three days, then a night deep enough into the window that only
# the volume indicator's days around a busy day still reach back into the window before.
NIGHTS = (datetime.date(2026, 11, 2), datetime.date(2026, 11, 6))
CATCH_UP = (datetime.date(2026, 11, 3), datetime.date(2026, 11, 5))
LAST = NIGHTS[-1]


def _split(events: Path, into: Path) -> dict[datetime.date, Path]:
    """The access log cut into one file per night or catch-up run, and one for the start."""
    files: dict[datetime.date, Path] = {}
    streams: dict[datetime.date, Any] = {}
    with events.open(encoding="utf-8") as source:
        header = source.readline()
        for line in source:
            day = local_day(datetime.datetime.fromisoformat(line.split(",", 2)[1]))
            if day in NIGHTS:
                key = day
            elif CATCH_UP[0] <= day <= CATCH_UP[1]:
                key = CATCH_UP[0]
            else:
                key = FIRST
            if key not in streams:
                files[key] = into / f"{key.isoformat()}.csv"
                streams[key] = files[key].open("w", encoding="utf-8")
                streams[key].write(header)
            streams[key].write(line)
    for stream in streams.values():
        stream.close()
    return files


def _import(path: Path) -> None:
    report = services.import_access_logs(paths=[path], acting_user=None)
    assert not report.failed, report.failed


def _detect(start: datetime.date, end: datetime.date) -> DetectionRun:
    runner.reset_caches()
    return services.start_detection(start=start, end=end, acting_user=None, inline=True)


def _exported() -> list[dict[str, Any]]:
    records = []
    for signal in signals_for_export(start=datetime.date.min, end=datetime.date.max):
        record = signal_record(signal)
        del record["signal_id"]
        records.append(record)
    return sorted(records, key=lambda r: (r["window_start"], r["employee_id"]))


def _assessed_days(run: DetectionRun) -> set[datetime.date]:
    return set(
        DetectionChunk.objects.filter(run=run, phase=DetectionRun.Phase.ASSESS)
        .values_list("day", flat=True)
        .distinct()
    )


def test_night_by_night_equals_one_run_over_the_whole_period(tmp_path: Path) -> None:
    generate(
        GeneratorConfig(seed=15, employees=180, days=(LAST - FIRST).days + 1, start=FIRST),
        tmp_path / "data",
    )
    files = _split(tmp_path / "data" / "events.csv", tmp_path)
    services.import_reference_data(directory=tmp_path / "data", acting_user=None)
    _import(files[FIRST])
    before_nights = transaction.savepoint_create()

    _detect(FIRST, NIGHTS[0] - datetime.timedelta(days=1))
    _import(files[NIGHTS[0]])
    first_night = _detect(NIGHTS[0], NIGHTS[0])
    assert _assessed_days(first_night) == {NIGHTS[0]}
    _import(files[CATCH_UP[0]])
    catch_up = _detect(*CATCH_UP)
    _import(files[LAST])
    last_night = _detect(LAST, LAST)
    assert _assessed_days(last_night) == {LAST}  # only the new day is assessed
    # Each night judged again only the employees its new days concern.
    for run in (first_night, catch_up, last_night):
        assert run.stats["new_days"]
        assert 0 < run.stats["rejudged"] < 180
    earlier_window = set(
        DetectionChunk.objects.filter(
            run=last_night,
            phase=DetectionRun.Phase.SIGNALS,
            window_start=datetime.date(2026, 10, 19),
        ).values_list("unit_id", flat=True)
    )
    # Looked at again for the volume indicator only where a unit has a busy day there (and
    # only its employees whose judgement the new day changes are judged again) — since
    # round 13 of issue 10 a day with half of ``volume.min_events``, where a busy night
    # across midnight can be, also on the first day of the next window (the night that
    # began on the window's last day).
    assert earlier_window == set(
        DailyActivity.objects.filter(
            day__gte=LAST - datetime.timedelta(days=28),
            day__lte=datetime.date(2026, 11, 2),
            events__gte=night_floor(100),
        ).values_list("employee__unit_id", flat=True)
    )
    assert earlier_window
    night_by_night = _exported()

    transaction.savepoint_rollback(before_nights)
    for key in (NIGHTS[0], CATCH_UP[0], LAST):
        _import(files[key])
    _detect(FIRST, LAST)
    all_at_once = _exported()

    assert {r["window_start"] for r in all_at_once} == {"2026-10-19", "2026-11-02"}
    assert night_by_night == all_at_once

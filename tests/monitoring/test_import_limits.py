"""Hostile and implausible input: bounded, linear, rejected per row — and the batch always ends.

Each test here fails on the importers as they were before issue 16: an unterminated quote
swallowed the rest of the file (re-reading the record for every line), a long line was read
whole, a long value was stored whole, events of any year and rosters of any length were
accepted, and the reference import stopped with a traceback on a non-UTF-8 byte or a NUL.
"""

from __future__ import annotations

import datetime
import tracemalloc
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from monitoring import services
from monitoring.imports import access_log, batches
from monitoring.imports import reference as reference_import
from monitoring.imports.limits import DEFAULTS
from monitoring.models import AccessEvent, ImportBatch, ImportRejection, Incident, RosterEntry
from monitoring.partitions import list_partitions
from monitoring.periods import AMSTERDAM
from tests.conftest import World

pytestmark = pytest.mark.django_db

HEADER = "event_id,occurred_at,employee_id,system,action,subject_ref,incident_ref,workstation\n"


def load(path: Path) -> access_log.AccessLogReport:
    return services.import_access_logs(paths=[path], acting_user=None)


def rejections() -> dict[int, str]:
    return dict(ImportRejection.objects.values_list("line", "reason"))


def recent(hours_ago: float = 24) -> str:
    """A moment well inside the production window, in the exchange format."""
    moment = timezone.now() - datetime.timedelta(hours=hours_ago)
    return moment.astimezone(AMSTERDAM).replace(microsecond=0).isoformat()


def rows(world: World, count: int, prefix: str = "e", hours_ago: float = 24) -> list[str]:
    number = world.subject.personnel_number
    return [f"{prefix}{i},{recent(hours_ago)},{number},BVH,view,S{i},,WS-1" for i in range(count)]


@pytest.fixture
def production_window(settings: SettingsWrapper) -> None:
    """The limits as production has them (the test settings widen the event window)."""
    settings.MONITORING_IMPORT_LIMITS = dict(DEFAULTS)


# --- item 1: an access log cannot make the import hang or grow ----------------------------


def test_an_unterminated_quote_costs_its_row_only_and_reading_is_linear(
    world: World, tmp_path: Path, settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MONITORING_IMPORT_LIMITS = {
        **settings.MONITORING_IMPORT_LIMITS,
        "max_line_chars": 2000,
    }
    good = rows(world, 3000)
    number = world.subject.personnel_number
    broken = f'x1,{recent()},{number},BVH,view,"never closed,,WS-1'
    path = tmp_path / "events.csv"
    path.write_text(HEADER + broken + "\n" + "\n".join(good) + "\n", encoding="utf-8")
    reads = replayed = 0
    original_next, original_unread = access_log._Lines.next, access_log._Lines.unread

    def counting_next(self: access_log._Lines) -> tuple[int, access_log.Line] | None:
        nonlocal reads
        reads += 1
        return original_next(self)

    def counting_unread(self: access_log._Lines, lines: list[tuple[int, access_log.Line]]) -> None:
        nonlocal replayed
        replayed += len(lines)
        original_unread(self, lines)

    monkeypatch.setattr(access_log._Lines, "next", counting_next)
    monkeypatch.setattr(access_log._Lines, "unread", counting_unread)
    report = load(path)
    assert (report.imported, report.rejected) == (3000, 1)
    assert rejections() == {2: "unreadable CSV: unterminated quote"}
    # The open quote looked ahead at most one line limit (2,000 characters: about 30 lines
    # of ~70), and those lines were then read again as rows: every line is read at most
    # twice. Before, the growing record was re-read for every line of the rest of the file.
    assert replayed <= 2000 // 50
    assert reads <= 3001 + replayed


def test_a_long_line_is_rejected_without_being_held_in_memory(world: World, tmp_path: Path) -> None:
    number = world.subject.personnel_number
    path = tmp_path / "events.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write(HEADER)
        stream.write(f"big,{recent()},{number},BVH,view,S1,,")
        for _ in range(40):
            stream.write("W" * (1 << 20))  # a 40 MiB workstation, one line
        stream.write("\n")
        stream.write("\n".join(rows(world, 10)) + "\n")
    tracemalloc.start()
    try:
        report = load(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (report.imported, report.rejected) == (10, 1)
    limit = settings.MONITORING_IMPORT_LIMITS["max_line_chars"]
    assert rejections() == {2: f"the line is longer than {limit:,} characters"}
    assert len(ImportRejection.objects.get().raw) <= access_log.RAW_LIMIT
    # Read in blocks of 64 KiB; before, the line was read whole (and decoded: several times
    # its size).
    assert peak < 16 * 2**20


@pytest.mark.parametrize("shape", ["plain", "reordered", "json"])
def test_the_field_limit_holds_on_every_path(
    world: World, tmp_path: Path, settings: SettingsWrapper, shape: str
) -> None:
    settings.MONITORING_IMPORT_LIMITS = {
        **settings.MONITORING_IMPORT_LIMITS,
        "max_field_chars": 100,
    }
    number = world.subject.personnel_number
    long = "W" * 500
    if shape == "json":
        import json

        lines = [
            json.dumps(
                {
                    "event_id": "long",
                    "occurred_at": recent(),
                    "employee_id": number,
                    "system": "BVH",
                    "action": "view",
                    "workstation": long,
                }
            ),
            json.dumps(
                {
                    "event_id": "ok",
                    "occurred_at": recent(),
                    "employee_id": number,
                    "system": "BVH",
                    "action": "view",
                }
            ),
        ]
        path = tmp_path / "events.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        line = 1
    elif shape == "reordered":
        path = tmp_path / "events.csv"
        path.write_text(
            "workstation,event_id,occurred_at,employee_id,system,action,subject_ref,incident_ref\n"
            f"{long},long,{recent()},{number},BVH,view,S1,\n"
            f"WS,ok,{recent()},{number},BVH,view,S1,\n",
            encoding="utf-8",
        )
        line = 2
    else:  # the usual shape: the block fast path
        path = tmp_path / "events.csv"
        path.write_text(
            HEADER + f"long,{recent()},{number},BVH,view,S1,,{long}\n"
            f"ok,{recent()},{number},BVH,view,S1,,WS\n",
            encoding="utf-8",
        )
        line = 2
    report = load(path)
    assert (report.imported, report.rejected) == (1, 1)
    assert rejections() == {line: "workstation is longer than 100 characters"}
    assert list(AccessEvent.objects.values_list("event_id", flat=True)) == ["ok"]


def test_every_hostile_row_is_rejected_in_a_large_file_of_good_ones(
    world: World, tmp_path: Path
) -> None:
    """Bad rows in the middle of fast blocks: each is found, its block read row by row."""
    good = rows(world, 5000)
    number = world.subject.personnel_number
    good[1000] = f"nul,{recent()},{number},BVH,view,S\x00,,WS"
    good[2000] = f"late,2099-01-01T10:00:00+01:00,{number},BVH,view,S,,WS"
    good[3000] = f"bad,2026-02-30T10:00:00+01:00,{number},BVH,view,S,,WS"
    good[4000] = f"few,{recent()},{number},BVH"
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "\n".join(good) + "\n", encoding="utf-8")
    report = load(path)
    assert (report.imported, report.rejected) == (4996, 4)
    reasons = rejections()
    assert reasons[1002] == "the row contains a NUL character"
    assert reasons[2002].startswith("timestamp '2099-01-01T10:00:00+01:00' is outside")
    assert reasons[3002] == "unparseable timestamp '2026-02-30T10:00:00+01:00'"
    assert reasons[4002] == "expected 8 columns, found 4"


# --- item 3: implausible dates --------------------------------------------------------------


@pytest.mark.usefixtures("production_window")
def test_events_outside_the_retention_window_or_ahead_are_rejected(
    world: World, tmp_path: Path
) -> None:
    number = world.subject.personnel_number
    now = timezone.now()
    ahead = (now + datetime.timedelta(hours=30)).astimezone(AMSTERDAM).replace(microsecond=0)
    soon = (now + datetime.timedelta(hours=20)).astimezone(AMSTERDAM).replace(microsecond=0)
    old = (now - datetime.timedelta(days=220)).astimezone(AMSTERDAM).replace(microsecond=0)
    text = HEADER + (
        f"a,2000-01-01T10:00:00+01:00,{number},BVH,view,,,WS\n"
        f"b,2099-12-31T10:00:00+01:00,{number},BVH,view,,,WS\n"
        f"c,{old.isoformat()},{number},BVH,view,,,WS\n"
        f"d,{ahead.isoformat()},{number},BVH,view,,,WS\n"
        f"e,{soon.isoformat()},{number},BVH,view,,,WS\n"
        f"f,{recent()},{number},BVH,view,,,WS\n"
    )
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")
    report = load(path)
    assert (report.imported, report.rejected) == (2, 4)
    reasons = rejections()
    assert sorted(reasons) == [2, 3, 4, 5]
    assert all(" is outside the accepted period " in reason for reason in reasons.values())
    # No partition for the implausible days (before, each created one of its own).
    days = {partition.day for partition in list_partitions()}
    assert not {datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)} & days


@pytest.mark.usefixtures("production_window")
def test_implausible_roster_and_assignment_rows_are_rejected_and_change_nothing(
    world: World, tmp_path: Path
) -> None:
    number = world.subject.personnel_number
    today = timezone.localdate()
    shift_start = datetime.datetime.combine(today, datetime.time(7), tzinfo=AMSTERDAM)
    shift = f"{number},{shift_start.isoformat()},{(shift_start + datetime.timedelta(hours=8)).isoformat()},shift\n"
    directory = tmp_path / "first"
    directory.mkdir()
    (directory / "rosters.csv").write_text("employee_id,start,end,kind\n" + shift, encoding="utf-8")
    services.import_reference_data(directory=directory, acting_user=None)
    assert RosterEntry.objects.count() == 1

    hostile = tmp_path / "hostile"
    hostile.mkdir()
    (hostile / "rosters.csv").write_text(
        "employee_id,start,end,kind\n"
        f"{number},0001-01-01,9999-12-31,leave\n"  # line 2: for ever
        f"{number},0001-01-01,9999-12-30,leave\n"  # 3: for ever, a day less
        f"{number},{today - datetime.timedelta(days=400)},{today},sick\n"  # 4: too long
        f"{number},{today + datetime.timedelta(days=500)},{today + datetime.timedelta(days=501)},leave\n",  # 5
        encoding="utf-8",
    )
    (hostile / "incidents.csv").write_text(
        "incident_ref,region,opened_at,closed_at\nI-OLD,AM,1850-01-01,\nI-LATE,AM,2300-01-01,\n"
        "I-COLD,AM,1995-03-01,\n",
        encoding="utf-8",
    )
    (hostile / "assignments.csv").write_text(
        "employee_id,incident_ref,start,end\n"
        f"{number},I-COLD,1990-01-01,\n"  # 2: before the accepted period
        f"{number},I-COLD,{today - datetime.timedelta(days=30)},9999-12-30\n"  # 3: too late
        f"{number},I-COLD,{today - datetime.timedelta(days=30)},\n",  # 4: fine, open
        encoding="utf-8",
    )
    report, batch = services.import_reference_data(directory=hostile, acting_user=None)
    found = {(r.file, r.line): r.reason for r in report.rejections}
    assert found[("rosters.csv", 2)] == "date '9999-12-31' is out of range"
    assert found[("rosters.csv", 3)].startswith("start 0001-01-01 00:")
    assert "is outside the accepted period" in found[("rosters.csv", 3)]
    assert found[("rosters.csv", 4)] == "the period from start to end is longer than 366 days"
    assert "is outside the accepted period" in found[("rosters.csv", 5)]
    assert "is outside the accepted period" in found[("incidents.csv", 2)]
    assert "is outside the accepted period" in found[("incidents.csv", 3)]
    assert "is outside the accepted period" in found[("assignments.csv", 2)]
    assert "is outside the accepted period" in found[("assignments.csv", 3)]
    assert len(found) == 8
    assert batch.status == ImportBatch.Status.DONE
    # The employee's real roster is untouched and nobody is on leave for ever.
    assert list(RosterEntry.objects.values_list("kind", flat=True)) == ["shift"]
    assert set(Incident.objects.values_list("ref", flat=True)) == {"I-COLD"}


# --- item 2: the reference import and hostile bytes ------------------------------------------


def test_reference_files_with_bad_bytes_or_a_nul_lose_only_those_rows(
    world: World, tmp_path: Path
) -> None:
    directory = tmp_path / "delivery"
    directory.mkdir()
    (directory / "incidents.csv").write_bytes(
        b"incident_ref,region,opened_at,closed_at\n"
        b"I-1,AM,2026-10-01,\n"
        b"I-\xff\xfe,AM,2026-10-01,\n"  # 3: not UTF-8
        b"I-3,A\x00M,2026-10-01,\n"  # 4: a NUL
        b'I-4,"AM' + b"x" * 70_000 + b"\n"  # 5: an open quote running on past the limit
        b"I-5,AM,2026-10-01,\n"
    )
    (directory / "units.csv").write_bytes(
        b"code,name,parent_code,kind,region\nAM-X,\xff,AM,team,AM\n"
    )
    report, batch = services.import_reference_data(directory=directory, acting_user=None)
    found = {(r.file, r.line): r.reason for r in report.rejections}
    assert found[("incidents.csv", 3)] == "the row is not valid UTF-8"
    assert found[("incidents.csv", 4)] == "the row contains a NUL character"
    assert found[("incidents.csv", 5)] == "the line is longer than 65,536 characters"
    assert found[("units.csv", 2)] == "the row is not valid UTF-8"
    assert set(Incident.objects.values_list("ref", flat=True)) == {"I-1", "I-5"}
    assert batch.status == ImportBatch.Status.DONE


def test_an_unexpected_error_still_ends_the_reference_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "delivery"
    directory.mkdir()
    (directory / "incidents.csv").write_text(
        "incident_ref,region,opened_at,closed_at\nI-1,AM,2026-10-01,\n", encoding="utf-8"
    )

    def broken(**kwargs: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(reference_import, "relink_events", broken)
    with pytest.raises(RuntimeError):
        services.import_reference_data(directory=directory, acting_user=None)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.message == "the disk went away"
    assert batch.finished_at is not None


# --- item 4 (the unit part; the SIGKILL test is test_import_kill.py) -------------------------


def test_a_batch_whose_process_is_gone_is_closed_by_the_next_import(
    world: World, tmp_path: Path
) -> None:
    stale = ImportBatch.objects.create(kind=ImportBatch.Kind.ACCESS_LOG, source="killed.csv")
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "\n".join(rows(world, 3)) + "\n", encoding="utf-8")
    report = load(path)
    assert report.imported == 3
    stale.refresh_from_db()
    assert stale.status == ImportBatch.Status.FAILED
    assert stale.message == batches.INTERRUPTED
    assert ImportBatch.objects.exclude(pk=stale.pk).get().status == ImportBatch.Status.DONE

"""Importing access logs: every valid row kept, every bad row reported, nothing twice."""

from __future__ import annotations

import datetime
import gzip
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from monitoring import services
from monitoring.imports import access_log
from monitoring.models import AccessEvent, EventFlag, ImportBatch, ImportRejection
from monitoring.partitions import list_partitions
from tests.conftest import World
from tests.monitoring.conftest import Delivery

pytestmark = pytest.mark.django_db

HEADER = "event_id,occurred_at,employee_id,system,action,subject_ref,incident_ref,workstation\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def load(*paths: Path) -> access_log.AccessLogReport:
    return services.import_access_logs(paths=list(paths), acting_user=None)


def rejections() -> list[tuple[int, str]]:
    return list(ImportRejection.objects.order_by("line").values_list("line", "reason"))


def test_every_bad_row_is_reported_and_every_good_row_kept(world: World, tmp_path: Path) -> None:
    number = world.subject.personnel_number
    rows = [
        f"e1,2026-10-21T10:00:00+02:00,{number},BVH,view,S1,,WS",  # 2 ok
        f",2026-10-21T10:01:00+02:00,{number},BVH,view,S1,,WS",  # 3 no id
        "e3,2026-10-21T10:02:00+02:00,,BVH,view,S1,,WS",  # 4 no employee
        f"e4,,{number},BVH,view,S1,,WS",  # 5 no timestamp
        f"e5,21-10-2026 10:03,{number},BVH,view,S1,,WS",  # 6 unparseable
        f"e6,2026-10-21T10:04:00,{number},BVH,view,S1,,WS",  # 7 no offset
        f"e7,2026-10-21T10:05:00+02:00,{number},BVH,view",  # 8 too few columns
        f"e8,2026-10-21T10:06:00+02:00,{number},BVH,view,S1,,WS,extra",  # 9 too many
        f"e9,1970-01-01T00:00:00+00:00,{number},BVH,view,S1,,WS",  # 10 implausible year
        f'e10,2026-10-21T10:07:00+02:00,{number},BVH,view,"S1\x00",,WS',  # 11 NUL
        f'e11,2026-10-21T10:08:00+02:00,{number},"Blue, View",view,S2,,WS',  # 12 ok (quoted)
        f'e12,2026-10-21T10:09:00+02:00,{number},BVH,view,"unterminated,,WS',  # 13 open quote
    ]
    path = write(tmp_path / "events.csv", HEADER + "\n".join(rows) + "\n")
    report = load(path)
    assert (report.imported, report.duplicates, report.rejected) == (2, 0, 10)
    assert set(AccessEvent.objects.values_list("event_id", flat=True)) == {"e1", "e11"}
    assert AccessEvent.objects.get(event_id="e11").system == "Blue, View"
    reasons = dict(rejections())
    assert reasons[3] == "event_id is required"
    assert reasons[4] == "employee_id is required"
    assert reasons[5] == "occurred_at is required"
    assert reasons[6] == "unparseable timestamp '21-10-2026 10:03'"
    assert reasons[7] == "timestamp '2026-10-21T10:04:00' has no UTC offset"
    assert reasons[8] == "expected 8 columns, found 5"
    assert reasons[9] == "expected 8 columns, found 9"
    assert reasons[10].startswith("timestamp '1970-01-01T00:00:00+00:00' is outside")
    assert reasons[11] == "the row contains a NUL character"
    assert reasons[13] == "unreadable CSV: unterminated quote"
    # The row as received is kept with the rejection, for repair.
    assert ImportRejection.objects.get(line=8).raw.startswith("e7,")


def test_invalid_utf8_costs_only_its_own_row(world: World, tmp_path: Path) -> None:
    number = world.subject.personnel_number.encode()
    data = (
        HEADER.encode()
        + b"e1,2026-10-21T10:00:00+02:00,"
        + number
        + b",BVH,view,S\xff\xfe,,WS\n"
        + b"e2,2026-10-21T10:01:00+02:00,"
        + number
        + b",BVH,view,S2,,WS\n"
    )
    path = tmp_path / "events.csv"
    path.write_bytes(data)
    report = load(path)
    assert (report.imported, report.rejected) == (1, 1)
    assert rejections() == [(2, "the row is not valid UTF-8")]


def test_a_header_without_the_columns_rejects_each_line(tmp_path: Path) -> None:
    path = write(tmp_path / "events.csv", "id,when,who\n1,2,3\n4,5,6\n")
    report = load(path)
    assert report.rejected == 3
    assert rejections()[0] == (
        1,
        "the header lacks column(s): event_id, occurred_at, employee_id, system, action, "
        "subject_ref, incident_ref, workstation",
    )
    empty = write(tmp_path / "empty.csv", "")
    assert load(empty).rejected == 1


def test_reordered_columns_and_quoted_fields_across_lines(world: World, tmp_path: Path) -> None:
    number = world.subject.personnel_number
    text = (
        "workstation,employee_id,event_id,occurred_at,system,action,subject_ref,incident_ref\n"
        f'WS,{number},e1,2026-10-21T10:00:00+02:00,"two\nlines",view,S1,\n'
        f"WS,{number},e2,2026-10-21T10:01:00+02:00,BVH,view,S2,\n"
    )
    report = load(write(tmp_path / "events.csv", text))
    assert report.imported == 2
    assert AccessEvent.objects.get(event_id="e1").system == "two\nlines"


def test_reimport_is_idempotent_and_duplicates_in_a_file_count_once(
    world: World, tmp_path: Path
) -> None:
    number = world.subject.personnel_number
    rows = [f"e{i},2026-10-21T10:0{i}:00+02:00,{number},BVH,view,S1,,WS" for i in range(5)]
    path = write(tmp_path / "events.csv", HEADER + "\n".join([*rows, rows[0]]) + "\n")
    first = load(path)
    assert (first.imported, first.duplicates) == (5, 1)
    second = load(path)
    assert (second.imported, second.duplicates, second.rejected) == (0, 6, 0)
    assert AccessEvent.objects.count() == 5


def test_unknown_employees_subjects_and_incidents_are_kept_and_flagged(
    world: World, tmp_path: Path, delivery: Delivery
) -> None:
    delivery.subject("S-KNOWN")
    delivery.incident("I-KNOWN")
    delivery.write()
    services.import_reference_data(directory=delivery.directory, acting_user=None)
    number = world.subject.personnel_number
    text = HEADER + (
        f"e1,2026-10-21T10:00:00+02:00,{number},BVH,view,S-KNOWN,I-KNOWN,WS\n"
        "e2,2026-10-21T10:01:00+02:00,999999,BVH,view,S-KNOWN,,WS\n"
        f"e3,2026-10-21T10:02:00+02:00,{number},BVH,view,S-NEW,I-NEW,WS\n"
        f"e4,2026-10-21T10:03:00+02:00,{number},BVH,delete,,,WS\n"
    )
    report = load(write(tmp_path / "events.csv", text))
    assert report.imported == 4
    flags = dict(AccessEvent.objects.values_list("event_id", "flags"))
    assert flags == {
        "e1": 0,
        "e2": EventFlag.UNKNOWN_EMPLOYEE,
        "e3": EventFlag.UNKNOWN_SUBJECT | EventFlag.UNKNOWN_INCIDENT,
        "e4": EventFlag.UNEXPECTED_ACTION,
    }
    batch = ImportBatch.objects.get(kind=ImportBatch.Kind.ACCESS_LOG)
    assert (batch.unknown_employees, batch.unknown_subjects, batch.unknown_incidents) == (1, 1, 1)
    assert AccessEvent.objects.get(event_id="e2").employee_number == "999999"


def test_flags_are_cleared_when_reference_data_names_them(
    world: World, tmp_path: Path, make_delivery
) -> None:
    number = world.subject.personnel_number
    load(
        write(
            tmp_path / "events.csv",
            HEADER + f"e1,2026-10-21T10:00:00+02:00,{number},BVH,view,S-LATE,I-LATE,WS\n",
        )
    )
    assert AccessEvent.objects.get().flags == EventFlag.UNKNOWN_SUBJECT | EventFlag.UNKNOWN_INCIDENT
    later = make_delivery("later")
    later.subject("S-LATE")
    later.incident("I-LATE")
    later.write()
    services.import_reference_data(directory=later.directory, acting_user=None)
    assert AccessEvent.objects.get().flags == 0


def test_gzip_and_json_lines(world: World, tmp_path: Path) -> None:
    number = world.subject.personnel_number
    csv_text = HEADER + f"c1,2026-10-21T10:00:00+02:00,{number},BVH,view,S1,,WS\n"
    with gzip.open(tmp_path / "a.csv.gz", "wt", encoding="utf-8") as stream:
        stream.write(csv_text)
    lines = [
        json.dumps(
            {
                "event_id": "j1",
                "occurred_at": "2026-10-21T11:00:00+02:00",
                "employee_id": int(number),
                "system": "BVH",
                "action": "view",
                "subject_ref": "S1",
            }
        ),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps(
            {
                "event_id": "j4",
                "occurred_at": "2026-10-21T11:00:00+02:00",
                "employee_id": number,
                "system": {"x": 1},
            }
        ),
        "",
        json.dumps(
            {"event_id": "j6", "occurred_at": "2026-10-21T11:05:00+02:00", "employee_id": number}
        ),
    ]
    (tmp_path / "b.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(tmp_path / "c.jsonl.gz", "wt", encoding="utf-8") as stream:
        stream.write(lines[0].replace("j1", "z1") + "\n")
    report = load(tmp_path / "a.csv.gz", tmp_path / "b.jsonl", tmp_path / "c.jsonl.gz")
    assert (report.imported, report.rejected) == (4, 3)
    assert set(AccessEvent.objects.values_list("event_id", flat=True)) == {"c1", "j1", "j6", "z1"}
    reasons = [r for _line, r in rejections()]
    assert any(r.startswith("invalid JSON") for r in reasons)
    assert "not a JSON object" in reasons
    assert "system must be text" in reasons


def test_events_go_into_day_partitions(world: World, tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("partitions are PostgreSQL's")
    number = world.subject.personnel_number
    text = HEADER + (
        f"e1,2026-10-24T23:59:00+02:00,{number},BVH,view,,,WS\n"
        # 00:30 summer time on the 25th is still 24 October in UTC but the 25th here.
        f"e2,2026-10-25T00:30:00+02:00,{number},BVH,view,,,WS\n"
        f"e3,2026-10-25T23:30:00+01:00,{number},BVH,view,,,WS\n"
    )
    load(write(tmp_path / "events.csv", text))
    assert [p.name for p in list_partitions()] == [
        "monitoring_accessevent_p20261024",
        "monitoring_accessevent_p20261025",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM monitoring_accessevent_p20261025")
        assert cursor.fetchone()[0] == 2


def test_the_command_prints_one_summary_line_and_progress(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access_log, "PROGRESS_EVERY", 2)
    number = world.subject.personnel_number
    rows = [f"e{i},2026-10-21T10:0{i}:00+02:00,{number},BVH,view,S1,,WS" for i in range(5)]
    path = write(tmp_path / "events.csv", HEADER + "\n".join([*rows, "broken"]) + "\n")
    rejects = tmp_path / "rejects.csv"
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "import_access_log", str(path), "--rejects", str(rejects), stdout=stdout, stderr=stderr
    )
    assert stdout.getvalue().splitlines() == ["imported=5 duplicates=0 rejected=1"]
    assert "lines read" in stderr.getvalue()
    assert "events.csv:7: expected 8 columns, found 1" in stderr.getvalue()
    assert "broken" in rejects.read_text(encoding="utf-8")


def test_a_header_naming_a_column_twice_rejects_each_line(world: World, tmp_path: Path) -> None:
    # Which employee_id is meant? Taking either one silently would attribute the
    # accesses to someone; the file is refused line by line instead.
    number, other = world.subject.personnel_number, world.colleague.personnel_number
    path = write(
        tmp_path / "events.csv",
        HEADER.rstrip("\n") + ",employee_id\n"
        f"e1,2026-10-21T10:00:00+02:00,{number},BVH,view,S1,,WS,{other}\n"
        f"e2,2026-10-21T10:01:00+02:00,{number},BVH,view,S1,,WS,{other}\n",
    )
    report = load(path)
    assert (report.imported, report.rejected) == (0, 3)
    assert rejections() == [
        (1, "the header names column(s) more than once: employee_id"),
        (2, "the header names column(s) more than once: employee_id"),
        (3, "the header names column(s) more than once: employee_id"),
    ]
    assert not AccessEvent.objects.exists()


def test_json_lines_a_key_twice_is_rejected_and_a_bom_is_skipped(
    world: World, tmp_path: Path
) -> None:
    number, other = world.subject.personnel_number, world.colleague.personnel_number

    def row(event_id: str, employee: str = number) -> str:
        return (
            f'{{"event_id": "{event_id}", "occurred_at": "2026-10-21T10:00:00+02:00", '
            f'"employee_id": "{employee}", "system": "BVH", "action": "view", '
            f'"subject_ref": "S1", "incident_ref": "", "workstation": "WS"}}'
        )

    twice = row("j2").replace('"system"', f'"employee_id": "{other}", "system"')
    path = tmp_path / "events.jsonl"
    # A BOM, as an editor on Windows writes it, belongs to the file, not to the first row.
    path.write_text("\ufeff" + "\n".join([row("j1"), twice, row("j3")]) + "\n", "utf-8")
    report = load(path)
    assert (report.imported, report.rejected) == (2, 1)
    assert set(AccessEvent.objects.values_list("event_id", flat=True)) == {"j1", "j3"}
    assert rejections() == [(2, "the row names employee_id more than once")]


def _days_of_lines(number: str, days: int, per_day: int) -> list[str]:
    """``per_day`` lines on each of ``days`` days from 19 October 2026, in time order."""
    return [
        f"d{day}-{i},2026-10-{19 + day}T{8 + i // 600:02d}:{i // 10 % 60:02d}:{i % 10:02d}"
        f"+02:00,{number},BVH,view,S{i % 7},,WS-{day}"
        for day in range(days)
        for i in range(per_day)
    ]


def test_a_file_in_time_order_keeps_only_the_recent_days_event_ids(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import's memory follows the day, not the file: the ids of days the file has
    left behind are let go (a fortnight of 20,000 employees held 811 MiB of them)."""
    held: list[int] = []
    forget = access_log._FileLoader._forget_old_days

    def counting(self: access_log._FileLoader, earliest: datetime.date) -> None:
        forget(self, earliest)
        held.append(sum(map(len, self.known_ids.values())))

    monkeypatch.setattr(access_log._FileLoader, "_forget_old_days", counting)
    lines = _days_of_lines(world.subject.personnel_number, days=7, per_day=1200)
    path = write(tmp_path / "events.csv", HEADER + "\n".join(lines) + "\n")
    report = load(path)
    assert (report.imported, report.duplicates, report.rejected) == (len(lines), 0, 0)
    # Ids of at most the block's days and the ``KEEP_DAYS`` before them, never the file's.
    assert max(held) <= (access_log.KEEP_DAYS + 2) * 1200 < len(lines)
    # Imported again, the ids already stored are read day by day, not all at once.
    held.clear()
    again = load(path)
    assert (again.imported, again.duplicates) == (0, len(lines))
    assert max(held) <= (access_log.KEEP_DAYS + 2) * 1200
    assert AccessEvent.objects.count() == len(lines)


def test_a_late_line_of_a_day_let_go_is_still_recognised_as_a_duplicate(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line of a day the file left behind comes again at its end (a system that resends
    a batch): its day's ids are read back from the partition, with this import's own rows
    of it, and from then on nothing is let go (a file out of time order reads each day
    once, not at every late line)."""
    number = world.subject.personnel_number
    lines = _days_of_lines(number, days=6, per_day=1200)
    late = [
        lines[0],  # a duplicate of the first day's first line, stored by this import
        lines[5],
        f"late-1,2026-10-19T23:59:00+02:00,{number},BVH,view,S1,,WS-0",  # new, day one
        lines[1200 * 3 + 10],  # and one of the fourth day
    ]
    path = write(tmp_path / "events.csv", HEADER + "\n".join([*lines, *late]) + "\n")
    recalled: list[set[datetime.date]] = []
    recall = access_log._FileLoader._recall

    def spying(self: access_log._FileLoader, days: set[datetime.date]) -> None:
        recalled.append(days & self._forgotten)
        recall(self, days)

    monkeypatch.setattr(access_log._FileLoader, "_recall", spying)
    report = load(path)
    assert (report.imported, report.duplicates, report.rejected) == (len(lines) + 1, 3, 0)
    # The first day was let go and read back (the fourth was still kept).
    assert [days for days in recalled if days] == [{datetime.date(2026, 10, 19)}]
    assert AccessEvent.objects.count() == len(lines) + 1
    assert AccessEvent.objects.filter(event_id="d0-0").count() == 1
    # Loaded again, as a whole: nothing new.
    again = load(path)
    assert (again.imported, again.duplicates) == (0, len(lines) + len(late))

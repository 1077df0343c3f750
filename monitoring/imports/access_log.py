"""Import of access events from CSV or JSON Lines files, optionally gzipped.

``event_id,occurred_at,employee_id,system,action,subject_ref,incident_ref,workstation``

What the import promises:

* **Every valid row is kept.** A malformed row (missing id, employee or timestamp, an
  unparseable, offset-less or implausible timestamp, the wrong number of columns, bytes that
  are not UTF-8, a NUL, an unterminated quote, a line or value over the size limits) becomes
  an :class:`~monitoring.models.ImportRejection` with its line number, its reason and the
  row as received (its first 2,000 characters); reading goes on at the next line.
* **Events are never dropped for what they refer to.** An unknown employee, subject or
  incident is kept and flagged (:class:`~monitoring.models.EventFlag`), and re-linked when
  reference data names it later.
* **Idempotent on event_id.** An event id already stored for that day, or seen earlier in
  the same import for that day, counts as a duplicate and is not stored again; the primary key
  (occurred_at, event_id) makes a double insert impossible even so.
* **Bounded and linear.** The file is read in blocks of 1 MiB; a line is never held in
  memory beyond the line limit (``monitoring/imports/limits.py``) and an unterminated quote
  costs at most one line limit of look-ahead, after which the lines it swallowed are read
  again as rows of their own. Every line is read a bounded number of times.
* **Always a final state.** The batch is "done" or "failed", also after an exception; a
  batch whose process was killed is closed as "failed" by the next import
  (``monitoring/imports/batches.py``).

How it is fast (docs/performance.md): the rows go into ``COPY ... FROM STDIN`` (psycopg2
``copy_expert``) into the day-partitioned table while a second thread validates the next
block, so parsing and loading overlap on two cores. A block of rows in the usual shape
(plain ASCII, no quotes, eight columns, canonical timestamps) is validated with whole-block
operations that run in C — a byte-class check, one split per line, column-wise checks,
timestamps validated once per distinct hour and per distinct minute:second, de-duplication
as set operations per day — and passed to COPY as it came, with the employee's id, the flags
and the batch appended. Any block that is not entirely in that shape is read row by row
with the csv module, with the same outcome. Imports take a transaction-level advisory lock,
so two imports never race on the same event ids.

On SQLite (the demo) the same rows go in with ``bulk_create``.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import json
import operator
import queue
import re
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from monitoring.imports.batches import close_stale_batches, fail_batch, release_batch, start_batch
from monitoring.imports.files import has_surrogates, is_json_lines
from monitoring.imports.limits import ImportLimits, import_limits
from monitoring.models import (
    EVENT_ACTIONS,
    AccessEvent,
    EventFlag,
    ImportBatch,
    ImportRejection,
    Incident,
    Subject,
)
from monitoring.partitions import PARENT, ensure_partitions, is_partitioned, partition_name
from monitoring.periods import AMSTERDAM, day_bounds
from vik.csvio import repeated_columns
from vik.models import Employee

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

ACCESS_COLUMNS = (
    "event_id",
    "occurred_at",
    "employee_id",
    "system",
    "action",
    "subject_ref",
    "incident_ref",
    "workstation",
)
RAW_LIMIT = 2000
PROGRESS_EVERY = 250_000
BLOCK_BYTES = 1 << 16  # small enough that a block's rows stay in the CPU cache
# Serialises imports (pg_advisory_xact_lock): arbitrary, fixed, used nowhere else.
IMPORT_LOCK = 0x564B_4D4F_4E31  # "VKMON1"
# Days before the earliest day of the block being read whose event ids are still kept for
# de-duplication: a log in time order holds late lines of a day or two (a session across
# midnight), not of last week (see ``_forget_old_days``).
KEEP_DAYS = 2

_COPY_SQL = (
    "COPY monitoring_accessevent (event_id, occurred_at, employee_number, system, action, "
    "subject_ref, incident_ref, workstation, employee_id, flags, batch_id) FROM STDIN WITH "
    "(FORMAT csv, FORCE_NOT_NULL (event_id, employee_number, system, action, subject_ref, "
    "incident_ref, workstation))"
)

# The bytes a block in the usual shape may hold: printable ASCII except the quote, and the
# line feed. ``bytes.translate(None, _PLAIN)`` deletes them; anything left needs the csv module.
_PLAIN = bytes([10, *range(32, 127)]).replace(b'"', b"")
# Whitespace next to a separator would be stripped by the careful path: such blocks take it.
_PADDED = (b" ,", b", ", b"\n ", b" \n")
_HOUR = operator.itemgetter(slice(0, 13))  # b"2026-10-19T00"
_MINUTE_SECOND = operator.itemgetter(slice(13, 19))  # b":07:59"
_OFFSET = operator.itemgetter(slice(19, 25))  # b"+02:00"
_COMMAS = operator.methodcaller("count", b",")
_VALID_MINUTE_SECOND = frozenset(
    f":{minute:02}:{second:02}".encode() for minute in range(60) for second in range(60)
)
_HOUR_SHAPE = re.compile(rb"\d{4}-\d\d-\d\dT\d\d")
_OFFSET_SHAPE = re.compile(rb"[+-]\d\d:00")
_ACTIONS = frozenset(action.encode() for action in EVENT_ACTIONS)
_UNKNOWN_EMPLOYEE = int(EventFlag.UNKNOWN_EMPLOYEE)
_UNEXPECTED_ACTION = int(EventFlag.UNEXPECTED_ACTION)

ProgressCallback = Callable[[str], None]
Admitted = tuple[datetime.date, bytes, bytes, int, bytes, bytes]
"""(day, event id, COPY line, flags, subject_ref, incident_ref) of a row that passed."""


@dataclass
class FileResult:
    """What importing one file did."""

    path: str
    batch_id: int
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    unknown_employees: int = 0
    unknown_subjects: int = 0
    unknown_incidents: int = 0
    error: str = ""


@dataclass
class AccessLogReport:
    """What an ``import_access_log`` run did, over all its files."""

    files: list[FileResult] = field(default_factory=list)

    def _sum(self, name: str) -> int:
        return sum(getattr(result, name) for result in self.files)

    @property
    def imported(self) -> int:
        return self._sum("imported")

    @property
    def duplicates(self) -> int:
        return self._sum("duplicates")

    @property
    def rejected(self) -> int:
        return self._sum("rejected")

    @property
    def failed(self) -> list[FileResult]:
        return [result for result in self.files if result.error]

    def summary(self) -> str:
        return f"imported={self.imported} duplicates={self.duplicates} rejected={self.rejected}"


def import_access_log(
    *,
    paths: list[Path],
    acting_user: User | AnonymousUser | None,
    progress: ProgressCallback | None = None,
    limits: ImportLimits | None = None,
) -> AccessLogReport:
    """Import access-event files, one :class:`ImportBatch` (and transaction) per file.

    A file that fails as a whole (e.g. the database goes away) is rolled back and recorded
    as failed; the other files still import. Whatever happens, each batch ends "done" or
    "failed" (an interrupt or ``SystemExit`` is recorded, then passed on).
    """
    report = AccessLogReport()
    employees = dict(Employee.objects.values_list("personnel_number", "id"))
    user = acting_user if acting_user is not None and acting_user.is_authenticated else None
    limits = limits or import_limits()
    for path in paths:
        batch = start_batch(kind=ImportBatch.Kind.ACCESS_LOG, source=str(path), acting_user=user)
        loader = _FileLoader(
            path=path, batch=batch, employees=employees, progress=progress, limits=limits
        )
        try:
            with transaction.atomic():
                result = loader.load()
        except Exception as error:  # noqa: BLE001 - recorded on the batch, reported by the caller
            message = fail_batch(batch, error)
            result = FileResult(path=str(path), batch_id=batch.pk, error=message)
        except BaseException as error:
            fail_batch(batch, error)
            raise
        finally:
            release_batch(batch)
        report.files.append(result)
    return report


class _Rejected(Exception):  # noqa: N818 - a control-flow signal, not an error
    pass


class _Long:
    """A line longer than the limit: its first characters only, the rest was skipped."""

    __slots__ = ("head",)

    def __init__(self, head: bytes) -> None:
        self.head = head


Line = bytes | _Long


class _Blocks:
    """A binary stream as blocks of whole lines, with line numbers; memory bounded.

    Yields ``(first line number, block)`` where the block ends with ``\\n``, or
    ``(line number, _Long)`` for a line longer than ``max_line`` bytes, which is skipped
    without being held (only its beginning is kept, for the rejection).
    """

    def __init__(self, raw: IO[bytes], *, first_number: int, max_line: int) -> None:
        self.raw = raw
        self.number = first_number  # the number of the next line to be yielded
        self.max_line = max_line
        self.reads = 0  # how many blocks were read from the file (tests count them)

    def __iter__(self) -> Iterator[tuple[int, bytes | _Long]]:
        carry = b""
        while True:
            chunk = self._read()
            data = carry + chunk if carry else chunk
            cut = data.rfind(b"\n") + 1
            if cut:
                yield self._block(data[:cut])
                carry = data[cut:]
            else:
                carry = data
            if not chunk:
                break
            if len(carry) > self.max_line:
                yield self.number, _Long(carry[: RAW_LIMIT * 4])
                self.number += 1
                carry = self._skip_rest_of_line()
        if carry:
            yield self._block(carry + b"\n")

    def _read(self) -> bytes:
        self.reads += 1
        return self.raw.read(BLOCK_BYTES)

    def _block(self, block: bytes) -> tuple[int, bytes]:
        start = self.number
        self.number += block.count(b"\n")
        return start, block

    def _skip_rest_of_line(self) -> bytes:
        """Read on to the end of an over-long line; returns what follows it in the block."""
        while True:
            chunk = self._read()
            if not chunk:
                return b""
            cut = chunk.find(b"\n")
            if cut >= 0:
                return chunk[cut + 1 :]


class _Lines:
    """Line by line over :class:`_Blocks`, for rows that need the careful path.

    Lines can be pushed back (``unread``): the lines an unterminated quote swallowed are
    read again as rows of their own.
    """

    def __init__(self, blocks: Iterator[tuple[int, bytes | _Long]]) -> None:
        self.blocks = blocks
        self.pending: deque[tuple[int, Line]] = deque()

    def add_block(self, number: int, block: bytes | _Long) -> None:
        if isinstance(block, _Long):
            self.pending.append((number, block))
            return
        for offset, line in enumerate(block.split(b"\n")[:-1]):
            self.pending.append((number + offset, line))

    def next(self) -> tuple[int, Line] | None:
        if not self.pending:
            item = next(self.blocks, None)
            if item is None:
                return None
            self.add_block(*item)
        return self.pending.popleft() if self.pending else None

    def unread(self, lines: list[tuple[int, Line]]) -> None:
        self.pending.extendleft(reversed(lines))


class _JsonObject(dict[str, object]):
    """A JSON object that remembers the keys it was given more than once.

    ``json.loads`` keeps the last of them silently; which value was meant is a guess, so the
    row is rejected instead (as a CSV header naming a column twice rejects its file).
    """

    repeated: list[str]

    @classmethod
    def of(cls, pairs: list[tuple[str, object]]) -> _JsonObject:
        item = cls(pairs)
        item.repeated = repeated_columns([key for key, _value in pairs])
        return item


def _open_binary(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _decode(line: bytes) -> str:
    """UTF-8; bytes that are not become lone surrogates, which the row is rejected for."""
    return line.decode("utf-8", "surrogateescape").rstrip("\r\n")


class _FileLoader:
    """Reads, validates, de-duplicates and loads one file inside the caller's transaction.

    The rows become lines of COPY input (CSV: the eight exchange columns, then
    ``employee_id,flags,batch_id``). Blocks in the usual shape take :meth:`_plain_block`;
    every other row is validated by :meth:`_careful_row` and :meth:`_admit`, with the same
    outcome.
    """

    def __init__(
        self,
        *,
        path: Path,
        batch: ImportBatch,
        employees: dict[str, int],
        progress: ProgressCallback | None,
        limits: ImportLimits,
    ) -> None:
        self.path = path
        self.name = path.name
        self.batch = batch
        self.employees = employees
        self.progress = progress
        self.limits = limits
        self.result = FileResult(path=str(path), batch_id=batch.pk)
        self.rejections: list[ImportRejection] = []
        # Event ids (UTF-8) per day: those stored before and those of this import. A
        # duplicate is an event id seen again on the same day (an identical event has the
        # same instant).
        self.known_ids: dict[datetime.date, set[bytes]] = {}
        # Days whose ids were let go while the file went on in time order, and whether
        # that is still done (``_forget_old_days``: the import's memory follows the day,
        # not the file).
        self._forgotten: set[datetime.date] = set()
        self._forgetting = False
        self._days: dict[datetime.date, datetime.date] = {}  # interned day objects
        self.imported_days: set[datetime.date] = set()
        # The local day of an hour of the log, keyed by (b"YYYY-MM-DDTHH", b"+HH:00"), or
        # None when that hour is not entirely valid and plausible: timestamps are parsed
        # once per hour, not once per event.
        self._day_of_hour: dict[tuple[bytes, bytes], datetime.date | None] = {}
        # Every subject and incident referred to (for the unknown-reference flags).
        self.subject_refs: set[bytes] = set()
        self.incident_refs: set[bytes] = set()
        suffix = f",{batch.pk}\n"
        self._suffix = suffix
        # What follows an event's eight columns, per employee number: ",id,flags,batch".
        self._suffix_of = {
            number.encode(): f",{employee_id},0{suffix}".encode()
            for number, employee_id in employees.items()
        }
        self._columns = len(ACCESS_COLUMNS)
        self._order = list(range(len(ACCESS_COLUMNS)))
        self._mode = "plain"  # "plain" CSV in the exchange order, "csv" other orders, "json"
        self._number = 0  # the last line read
        self._reported = 0
        self.blocks: _Blocks | None = None
        # Per prepared day: whether its rows are copied into its partition directly.
        self._direct: dict[datetime.date, bool] = {}
        self.need_days: Callable[[set[datetime.date]], None] = self._prepare_days

    # --- the pipeline -------------------------------------------------------------------

    def load(self) -> FileResult:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
            # A batch whose import died while this one waited for the lock is closed now.
            close_stale_batches()
        with _open_binary(self.path) as raw:
            if self._open_source(raw):
                if is_partitioned():
                    self._prepare_span()
                    self._copy()
                else:
                    self._bulk_create()
        self._flag_unknown_references()
        self._finish()
        return self.result

    def _copy(self) -> None:
        """Stream chunks into COPY, one COPY per run of a day's rows; prepare days on demand.

        Parsing runs in a second thread that fills a queue while this thread feeds COPY:
        psycopg2 lets go of the GIL while it sends, so Python's validation and PostgreSQL's
        loading overlap on two cores instead of taking turns. Only this thread touches the
        database; the parser waits at new days until this thread has prepared them. Each
        day's rows go straight into that day's partition where the role may write to it
        (PostgreSQL's routing of rows through the parent table costs about as much as the
        loading itself), else through the parent.
        """
        pipe = _Pipeline(self)
        self.need_days = pipe.need_days
        # Only here: every row of a day let go is in the database before the day is asked
        # for again (the pause that asks for it follows them in the queue), which the
        # demo's ``bulk_create`` buffer would not ensure.
        self._forgetting = True
        pipe.start()
        try:
            with connection.cursor() as cursor:
                while True:
                    item = pipe.peek()
                    if item is _Pipeline.END:
                        return
                    if item is _Pipeline.PAUSE:
                        pipe.take()
                        self._prepare_days(pipe.wanted_days)
                        pipe.resume()
                        continue
                    assert isinstance(item, tuple)  # noqa: S101 - (day, chunk)
                    pipe.day = item[0]
                    cursor.copy_expert(self._copy_sql(item[0]), pipe, 1 << 17)
                    self._flush_rejections()
        finally:
            pipe.stop()
            self._flush_rejections()

    def _copy_sql(self, day: datetime.date) -> str:
        if self._direct.get(day):
            return _COPY_SQL.replace(PARENT, partition_name(day), 1)
        return _COPY_SQL

    def _bulk_create(self) -> None:
        """The demo's path: the same lines, parsed back into model instances."""
        buffer: list[AccessEvent] = []
        for _day, chunk in self._chunks():
            buffer.extend(self._instance(line) for line in chunk.decode().splitlines())
            if len(buffer) >= 2000:
                AccessEvent.objects.bulk_create(buffer)
                buffer.clear()
        AccessEvent.objects.bulk_create(buffer)
        self._flush_rejections()

    def _instance(self, line: str) -> AccessEvent:
        values = next(csv.reader([line]))
        return AccessEvent(
            event_id=values[0],
            occurred_at=datetime.datetime.fromisoformat(values[1]),
            employee_number=values[2],
            system=values[3],
            action=values[4],
            subject_ref=values[5],
            incident_ref=values[6],
            workstation=values[7],
            employee_id=int(values[8]) if values[8] else None,
            flags=int(values[9]),
            batch_id=self.batch.pk,
        )

    def _chunks(self) -> Iterator[tuple[datetime.date, bytes]]:
        """COPY input for the valid, new rows of the file: (day, rows of that day)."""
        assert self.blocks is not None  # noqa: S101 - set by _open_source
        blocks = iter(self.blocks)
        lines = _Lines(blocks)
        careful: list[bytes] = []
        careful_day: datetime.date | None = None
        while True:
            if lines.pending:
                admitted = self._careful_row(lines)
                if admitted is not None:
                    day = admitted[0]
                    if careful and day != careful_day:
                        yield careful_day, b"".join(careful)  # type: ignore[misc]
                        careful.clear()
                    line = self._keep(admitted)
                    if line is not None:
                        careful_day = day
                        careful.append(line)
                        if len(careful) >= 1000:
                            yield day, b"".join(careful)
                            careful.clear()
                self._report_progress(lines.pending[0][0] if lines.pending else None)
                continue
            item = next(blocks, None)
            if item is None:
                break
            number, block = item
            chunks = (
                self._plain_block(block)
                if self._mode == "plain" and not isinstance(block, _Long)
                else None
            )
            if chunks is None:
                lines.add_block(number, block)
                continue
            if careful:
                yield careful_day, b"".join(careful)  # type: ignore[misc]
                careful.clear()
            for day, chunk in chunks:
                if chunk:
                    yield day, chunk
            self._report_progress(None)
        if careful:
            yield careful_day, b"".join(careful)  # type: ignore[misc]
        self._report_progress(None)

    def _report_progress(self, next_number: int | None) -> None:
        assert self.blocks is not None  # noqa: S101 - set by _open_source
        number = (next_number - 1) if next_number is not None else self.blocks.number - 1
        if self.progress is not None and number // PROGRESS_EVERY > self._reported:
            self._reported = number // PROGRESS_EVERY
            self.progress(f"{self.name}: {number:,} lines read")

    # --- the usual shape, a block at a time ---------------------------------------------

    def _plain_block(self, block: bytes) -> list[tuple[datetime.date, bytes]] | None:
        """COPY input per day for a block in the usual shape; None: take the careful path.

        Every test here runs over the whole block (or a column of it) in C. The careful path
        accepts and rejects exactly what this accepts and rejects; this only decides faster.
        """
        limits = self.limits
        if not block.isascii():
            return None
        if b"\r" in block:
            block = block.replace(b"\r\n", b"\n")
            if b"\r" in block:
                return None
        if block.translate(None, _PLAIN) or block.startswith((b" ", b"\n")) or b"\n\n" in block:
            return None
        if b" " in block and any(padded in block for padded in _PADDED):
            return None
        body = block[:-1]
        lines = body.split(b"\n")
        longest = max(map(len, lines))
        if longest > limits.max_line_chars or set(map(_COMMAS, lines)) != {7}:
            return None
        # Eight columns on every line: one split of the block, columns by stride.
        fields = body.replace(b"\n", b",").split(b",")
        event_ids, stamps, numbers = fields[0::8], fields[1::8], fields[2::8]
        if b"" in event_ids or b"" in numbers:
            return None
        if longest > limits.max_field_chars and max(map(len, fields)) > limits.max_field_chars:
            return None
        if set(map(len, stamps)) != {25} or not set(map(_MINUTE_SECOND, stamps)) <= (
            _VALID_MINUTE_SECOND
        ):
            return None
        day_of_hour = self._day_of_hour
        days: set[datetime.date] = set()
        for hour in set(zip(map(_HOUR, stamps), map(_OFFSET, stamps), strict=True)):
            if hour not in day_of_hour:
                day_of_hour[hour] = self._hour_day(*hour)
            hour_day = day_of_hour[hour]
            if hour_day is None:
                return None
            days.add(hour_day)
        missing = {day for day in days if day not in self.known_ids}
        if missing:
            self._recall(missing)
            self.need_days(missing)
        if self._forgetting:
            self._forget_old_days(min(days))
        actions, subjects, incidents = fields[4::8], fields[5::8], fields[6::8]
        if len(days) == 1:
            day = next(iter(days))
            unique = set(event_ids)
            known = self.known_ids[day]
            if len(unique) == len(event_ids) and known.isdisjoint(unique):
                known |= unique
                return [(day, self._emit(day, lines, numbers, actions, subjects, incidents))]
        # Several days, or duplicates: row by row, grouped by day.
        groups: dict[datetime.date, list[int]] = {}
        known_ids = self.known_ids
        hours = zip(map(_HOUR, stamps), map(_OFFSET, stamps), strict=True)
        for index, (hour, event_id) in enumerate(zip(hours, event_ids, strict=True)):
            row_day = day_of_hour[hour]
            assert row_day is not None  # noqa: S101 - every hour of the block was valid
            known = known_ids[row_day]
            if event_id in known:
                self.result.duplicates += 1
            else:
                known.add(event_id)
                groups.setdefault(row_day, []).append(index)
        return [
            (
                day,
                self._emit(
                    day,
                    [lines[i] for i in chosen],
                    [numbers[i] for i in chosen],
                    [actions[i] for i in chosen],
                    [subjects[i] for i in chosen],
                    [incidents[i] for i in chosen],
                ),
            )
            for day, chosen in groups.items()
        ]

    def _emit(
        self,
        day: datetime.date,
        lines: list[bytes],
        numbers: list[bytes],
        actions: list[bytes],
        subjects: list[bytes],
        incidents: list[bytes],
    ) -> bytes:
        """The COPY input of new rows of one day: each line, then ",employee id,flags,batch"."""
        found = list(map(self._suffix_of.get, numbers))
        if None in found or not set(actions) <= _ACTIONS:
            suffixes = self._flagged_suffixes(numbers, actions)
        else:
            suffixes = found  # type: ignore[assignment]
        self.subject_refs.update(set(subjects))
        self.incident_refs.update(set(incidents))
        self.imported_days.add(day)
        self.result.imported += len(lines)
        return b"".join(map(operator.add, lines, suffixes))

    def _hour_day(self, hour: bytes, offset: bytes) -> datetime.date | None:
        """The local day of a whole hour of timestamps, or None if it is not all valid."""
        if not (_HOUR_SHAPE.fullmatch(hour) and _OFFSET_SHAPE.fullmatch(offset)):
            return None
        try:
            start = datetime.datetime.fromisoformat(f"{hour.decode()}:00:00{offset.decode()}")
        except ValueError:
            return None
        end = start + datetime.timedelta(hours=1)
        if start < self.limits.earliest_event or end > self.limits.latest_event:
            return None  # at the edge of the window: each row is judged on its own
        # Amsterdam's midnights fall on whole UTC hours: the whole hour is in this day.
        day = start.astimezone(AMSTERDAM).date()
        return self._days.setdefault(day, day)

    def _flagged_suffixes(self, numbers: list[bytes], actions: list[bytes]) -> list[bytes]:
        suffixes = []
        for number, action in zip(numbers, actions, strict=True):
            employee_id = self.employees.get(number.decode())
            flags = 0 if action in _ACTIONS else _UNEXPECTED_ACTION
            if employee_id is None:
                flags |= _UNKNOWN_EMPLOYEE
                self.result.unknown_employees += 1
            suffixes.append(f",{employee_id or ''},{flags}{self._suffix}".encode())
        return suffixes

    # --- everything else, a row at a time -----------------------------------------------

    def _careful_row(self, lines: _Lines) -> Admitted | None:
        """Read one row (perhaps spanning lines) and validate it; None: rejected or blank."""
        first = lines.next()
        assert first is not None  # noqa: S101 - called only with lines pending
        number, line = first
        if isinstance(line, _Long):
            self._reject(number, self._too_long(), _decode(line.head))
            return None
        if not line.strip():
            return None
        if self._mode == "json":
            values = self._json_values(number, _decode(line))
        else:
            values = self._csv_values(number, line, lines)
        if values is None:
            return None
        return self._admit(number, values)

    def _too_long(self) -> str:
        return f"the line is longer than {self.limits.max_line_chars:,} characters"

    def _csv_values(self, number: int, line: bytes, lines: _Lines) -> list[str] | None:
        """A CSV record: quoted fields may continue on the following lines, within the limit.

        The quotes are counted line by line (never the whole record again), so an
        unterminated quote costs one pass over at most ``max_line_chars`` of look-ahead; the
        lines it swallowed are then read again as rows of their own.
        """
        parts = [line]
        quotes = line.count(b'"')
        size = len(line)
        taken: list[tuple[int, Line]] = []
        while quotes % 2 and size <= self.limits.max_line_chars:
            following = lines.next()
            if following is None:
                break
            taken.append(following)
            if isinstance(following[1], _Long):
                break
            parts.append(following[1])
            quotes += following[1].count(b'"')
            size += len(following[1]) + 1
        record = _decode(b"\n".join(parts))
        if quotes % 2:
            lines.unread(taken)
            self._reject(number, "unreadable CSV: unterminated quote", _decode(line))
            return None
        if size > self.limits.max_line_chars:
            self._reject(number, self._too_long(), record)
            return None
        if has_surrogates(record):
            self._reject(number, "the row is not valid UTF-8", record)
            return None
        if "\x00" in record:
            self._reject(number, "the row contains a NUL character", record)
            return None
        try:
            cells = next(csv.reader(io.StringIO(record, newline="")), [])
        except csv.Error as error:
            self._reject(number, f"unreadable CSV: {error}", record)
            return None
        if len(cells) != self._columns:
            self._reject(number, f"expected {self._columns} columns, found {len(cells)}", record)
            return None
        return [cells[i].strip() for i in self._order]

    def _json_values(self, number: int, text: str) -> list[str] | None:
        if number == 1:
            text = text.removeprefix("\ufeff")  # a BOM belongs to the file, as in CSV
        text = text.strip()
        if has_surrogates(text):
            self._reject(number, "the row is not valid UTF-8", text)
            return None
        if len(text) > self.limits.max_line_chars:
            self._reject(number, self._too_long(), text)
            return None
        try:
            item = json.loads(text, object_pairs_hook=_JsonObject.of)
        except ValueError as error:
            self._reject(number, f"invalid JSON: {error}", text)
            return None
        if not isinstance(item, _JsonObject):
            self._reject(number, "not a JSON object", text)
            return None
        if item.repeated:
            self._reject(number, f"the row names {', '.join(item.repeated)} more than once", text)
            return None
        values: list[str] = []
        for name in ACCESS_COLUMNS:
            value = item.get(name)
            if value is None:
                values.append("")
            elif isinstance(value, str | int) and not isinstance(value, bool):
                values.append(str(value).strip())
            else:
                self._reject(number, f"{name} must be text", text)
                return None
        if any("\x00" in value for value in values):
            self._reject(number, "the row contains a NUL character", text)
            return None
        return values

    def _admit(self, number: int, values: list[str]) -> Admitted | None:
        """Validate the values of a row; None after recording the rejection."""
        event_id, stamp, employee_number = values[0], values[1], values[2]
        try:
            if not event_id:
                raise _Rejected("event_id is required")
            if not employee_number:
                raise _Rejected("employee_id is required")
            if not stamp:
                raise _Rejected("occurred_at is required")
            for name, value in zip(ACCESS_COLUMNS, values, strict=True):
                if len(value) > self.limits.max_field_chars:
                    raise _Rejected(
                        f"{name} is longer than {self.limits.max_field_chars:,} characters"
                    )
            try:
                moment = datetime.datetime.fromisoformat(stamp)
            except ValueError:
                raise _Rejected(f"unparseable timestamp {stamp!r}") from None
            if moment.tzinfo is None:
                raise _Rejected(f"timestamp {stamp!r} has no UTC offset")
            problem = self.limits.event_problem(moment, stamp)
            if problem:
                raise _Rejected(problem)
        except _Rejected as rejected:
            self._reject(number, str(rejected), _as_csv(values))
            return None
        day = moment.astimezone(AMSTERDAM).date()
        day = self._days.setdefault(day, day)
        employee_id = self.employees.get(employee_number)
        flags = 0 if employee_id is not None else _UNKNOWN_EMPLOYEE
        if values[4] not in EVENT_ACTIONS:
            flags |= _UNEXPECTED_ACTION
        text = _as_csv([event_id, moment.isoformat(), *values[2:]])
        line = f"{text},{'' if employee_id is None else employee_id},{flags}{self._suffix}"
        return (
            day,
            event_id.encode(),
            line.encode(),
            flags,
            values[5].encode(),
            values[6].encode(),
        )

    def _keep(self, admitted: Admitted) -> bytes | None:
        """The COPY line of an admitted row, or None for a duplicate; prepares its day."""
        day, event_id, line, flags, subject, incident = admitted
        if day not in self.known_ids:
            self._recall({day})
            self.need_days({day})
        known = self.known_ids[day]
        if event_id in known:
            self.result.duplicates += 1
            return None
        known.add(event_id)
        self.result.imported += 1
        if flags & _UNKNOWN_EMPLOYEE:
            self.result.unknown_employees += 1
        self.subject_refs.add(subject)
        self.incident_refs.add(incident)
        self.imported_days.add(day)
        return line

    # --- days and partitions ------------------------------------------------------------

    def _forget_old_days(self, earliest: datetime.date) -> None:
        """Let go of the event ids of days more than ``KEEP_DAYS`` before ``earliest`` (the
        block's first day): a file in time order never asks for them again, and without
        this the ids of every day of the file stayed in memory (811 MiB for a fortnight of
        20,000 employees in one file). A day asked for again is read back from its
        partition, with this import's rows of it (:meth:`_recall`)."""
        cutoff = earliest - datetime.timedelta(days=KEEP_DAYS)
        for day in [day for day in self.known_ids if day < cutoff]:
            del self.known_ids[day]
            self._forgotten.add(day)

    def _recall(self, days: set[datetime.date]) -> None:
        """Days about to be prepared: one that was let go means the file is not in time
        order — from then on nothing is let go, so that such a file reads each day's ids
        from the database once, not at every late line."""
        if days & self._forgotten:
            self._forgetting = False
            self._forgotten -= days

    def _prepare_span(self) -> None:
        """Prepare, before loading, the days from the file's first to its last line.

        Logs come in time order, so this usually covers every day of the file and COPY
        never has to stop for a new partition. Only for plain CSV (a gzip stream or JSON
        cannot be read from the end cheaply), and only days inside the accepted period; any
        other day is still prepared on arrival.
        """
        if self.path.suffix == ".gz" or self._mode != "plain":
            return
        try:
            with self.path.open("rb") as raw:
                raw.readline(self.limits.max_line_chars)
                first = raw.readline(self.limits.max_line_chars)
                raw.seek(max(0, self.path.stat().st_size - 65536))
                tail = [line for line in raw.read().splitlines() if line.strip()]
            moments = [
                datetime.datetime.fromisoformat(line.decode().split(",")[1])
                for line in (first, tail[-1] if tail else b"")
            ]
        except (OSError, ValueError, IndexError, UnicodeDecodeError):
            return  # an odd first or last line: prepare days as they come
        if any(
            moment.tzinfo is None or self.limits.event_problem(moment, "") for moment in moments
        ):
            return
        first_day, last_day = (moment.astimezone(AMSTERDAM).date() for moment in moments)
        if not datetime.timedelta(0) <= last_day - first_day <= datetime.timedelta(days=62):
            return
        days = set()
        day = first_day
        while day <= last_day:
            days.add(self._days.setdefault(day, day))
            day += datetime.timedelta(days=1)
        # The ids a day's partition already holds (a delivery imported again) are read when
        # its first row comes, not all at once here: the import's memory follows the day.
        self._prepare_days(days, learn_existing=False)

    def _prepare_days(self, days: set[datetime.date], *, learn_existing: bool = True) -> None:
        """Make sure the days' partitions exist, and learn the event ids they already hold
        (``learn_existing=False``: only for partitions just created, which hold none; the
        others are learnt when one of their rows comes)."""
        for day in sorted(days - self.known_ids.keys()):
            created = ensure_partitions({day})
            if is_partitioned():
                with connection.cursor() as cursor:
                    name = partition_name(day)
                    cursor.execute(
                        "SELECT to_regclass(%s) IS NOT NULL AND has_table_privilege(%s, 'INSERT')",
                        [name, name],
                    )
                    self._direct[day] = bool(cursor.fetchone()[0])
            if created:
                self.known_ids[day] = set()  # just created: it holds nothing yet
                continue
            if not learn_existing:
                continue
            start, end = day_bounds(day)
            existing = AccessEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
            self.known_ids[day] = {
                event_id.encode() for event_id in existing.values_list("event_id", flat=True)
            }

    # --- reading ------------------------------------------------------------------------

    def _open_source(self, raw: IO[bytes]) -> bool:
        """Read the header and choose how rows are read; False: nothing to load.

        A CSV file in the exchange format's own column order is read a block at a time;
        JSON Lines and CSV with other column orders a row at a time. A header without the
        required columns rejects the whole file, line by line.
        """
        max_line = self.limits.max_line_chars
        if is_json_lines(self.path):
            self._mode = "json"
            self.blocks = _Blocks(raw, first_number=1, max_line=max_line)
            return True
        header_line = raw.readline(max_line + 1)
        if not header_line:
            self._reject(1, "the file is empty (no header row)", "")
            return False
        blocks = _Blocks(raw, first_number=2, max_line=max_line)
        self.blocks = blocks
        header_text = header_line.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
        if len(header_line) > max_line and not header_line.endswith(b"\n"):
            reason = f"the header line is longer than {max_line:,} characters"
            header_text = header_text[:RAW_LIMIT]
            raw.readline()  # the rest of it (bounded by what readline buffers: a header)
        else:
            header = [name.strip() for name in next(csv.reader([header_text.rstrip("\r\n")]))]
            missing = [name for name in ACCESS_COLUMNS if name not in header]
            repeated = repeated_columns(header)
            if not missing and not repeated:
                self._columns = len(header)
                self._order = [header.index(name) for name in ACCESS_COLUMNS]
                canonical = self._order == list(range(len(ACCESS_COLUMNS)))
                self._mode = (
                    "plain" if canonical and self._columns == len(ACCESS_COLUMNS) else "csv"
                )
                return True
            reason = (
                f"the header lacks column(s): {', '.join(missing)}"
                if missing
                else f"the header names column(s) more than once: {', '.join(repeated)}"
            )
        self._reject(1, reason, header_text.rstrip("\r\n"))
        lines = _Lines(iter(blocks))
        while (item := lines.next()) is not None:
            number, line = item
            text = _decode(line.head if isinstance(line, _Long) else line)
            if text.strip():
                self._reject(number, reason, text)
        self._flush_rejections()
        return False

    # --- bookkeeping --------------------------------------------------------------------

    def _reject(self, line: int, reason: str, raw: str) -> None:
        # Only collected here (this may run in the parser thread); written by _flush_rejections.
        self.rejections.append(
            ImportRejection(
                batch_id=self.batch.pk,
                file=self.name[:255],
                line=line,
                reason=reason[:500],
                raw=raw[:RAW_LIMIT].replace("\x00", "\\0").encode("utf-8", "replace").decode(),
            )
        )

    def _flush_rejections(self) -> None:
        if self.rejections:
            ImportRejection.objects.bulk_create(self.rejections, batch_size=2000)
            self.result.rejected += len(self.rejections)
            self.rejections.clear()

    def _flag_unknown_references(self) -> None:
        """Flag this import's events whose subject or incident the reference data lacks.

        The distinct references were collected while streaming; the database says which it
        does not know, and only events with those are updated (usually none).
        """
        if not self.imported_days:
            return
        first = day_bounds(min(self.imported_days))[0]
        last = day_bounds(max(self.imported_days))[1]
        for model, column, collected, flag, counter in (
            (
                Subject,
                "subject_ref",
                self.subject_refs,
                EventFlag.UNKNOWN_SUBJECT,
                "unknown_subjects",
            ),
            (
                Incident,
                "incident_ref",
                self.incident_refs,
                EventFlag.UNKNOWN_INCIDENT,
                "unknown_incidents",
            ),
        ):
            refs = {ref.decode() for ref in collected if ref}
            unknown = unknown_refs(model, refs)
            if not unknown:
                continue
            events = AccessEvent.objects.filter(
                batch_id=self.batch.pk, occurred_at__gte=first, occurred_at__lt=last
            )
            flagged = 0
            for start in range(0, len(unknown), 5000):
                flagged += events.filter(**{f"{column}__in": unknown[start : start + 5000]}).update(
                    flags=F("flags").bitor(int(flag))
                )
            setattr(self.result, counter, flagged)

    def _finish(self) -> None:
        self._flush_rejections()
        batch = self.batch
        for name in (
            "imported",
            "duplicates",
            "rejected",
            "unknown_employees",
            "unknown_subjects",
            "unknown_incidents",
        ):
            setattr(batch, name, getattr(self.result, name))
        if self.imported_days:
            # Read along the primary key of the first and last day's partitions only.
            mine = AccessEvent.objects.filter(batch_id=batch.pk)
            first_day = day_bounds(min(self.imported_days))
            last_day = day_bounds(max(self.imported_days))
            batch.first_event_at = (
                mine.filter(occurred_at__gte=first_day[0], occurred_at__lt=first_day[1])
                .order_by("occurred_at")
                .values_list("occurred_at", flat=True)
                .first()
            )
            batch.last_event_at = (
                mine.filter(occurred_at__gte=last_day[0], occurred_at__lt=last_day[1])
                .order_by("-occurred_at")
                .values_list("occurred_at", flat=True)
                .first()
            )
        batch.status = ImportBatch.Status.DONE
        batch.finished_at = timezone.now()
        batch.save()


def unknown_refs(model: type[Subject] | type[Incident], refs: set[str]) -> list[str]:
    """Which of ``refs`` the reference table does not know, sorted."""
    if not refs:
        return []
    if connection.vendor == "postgresql":
        # One text parameter split on the server: adapting a list of 300,000 strings
        # parameter by parameter would cost more than the whole lookup.
        plain = [ref for ref in refs if _SEPARATOR not in ref]
        with connection.cursor() as cursor:
            # EXCEPT is one hashed pass over both sides; NOT EXISTS would probe the index
            # once per reference (300,000 probes for a national day). Memory for the hash
            # only for this transaction.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute(
                "SELECT r FROM unnest(string_to_array(%s, %s)) AS r "  # noqa: S608 - a model's table
                f"EXCEPT SELECT ref FROM {model._meta.db_table}",
                [_SEPARATOR.join(plain), _SEPARATOR],
            )
            unknown = {row[0] for row in cursor.fetchall()}
        odd = set(refs) - set(plain)
        if odd:
            unknown |= odd - set(model.objects.filter(ref__in=odd).values_list("ref", flat=True))
        return sorted(unknown)
    known: set[str] = set()
    ordered = sorted(refs)
    for start in range(0, len(ordered), 500):
        known.update(
            model.objects.filter(ref__in=ordered[start : start + 500]).values_list("ref", flat=True)
        )
    return sorted(refs - known)


_SEPARATOR = "\x1f"  # ASCII unit separator: never part of a reference in practice


def _as_csv(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


class _Pipeline:
    """The parser thread and the file-like object ``copy_expert`` reads from.

    The thread runs :meth:`_FileLoader._chunks` and puts ``(day, chunk)`` on a bounded
    queue; at days that have no partition yet it puts ``PAUSE`` and waits until the loading
    thread has prepared them. ``read`` hands out the chunks of ``day`` and ends the current
    COPY (returns b"") at a chunk of another day, a pause, or the end.
    """

    PAUSE = object()
    END = object()

    def __init__(self, loader: _FileLoader) -> None:
        self.loader = loader
        self.queue: queue.Queue[object] = queue.Queue(maxsize=64)
        self.resumed = threading.Event()
        self.stopping = threading.Event()
        self.held: object = None
        self.day: datetime.date | None = None
        self.wanted_days: set[datetime.date] = set()
        self.thread = threading.Thread(target=self._produce, name="access-log-parser", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _put(self, item: object) -> None:
        while not self.stopping.is_set():
            try:
                self.queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def _produce(self) -> None:
        try:
            for item in self.loader._chunks():
                self._put(item)
            self._put(self.END)
        except BaseException as error:  # noqa: BLE001 - handed to the loading thread
            self._put(error)

    def need_days(self, days: set[datetime.date]) -> None:
        """In the parser thread: wait until the loading thread has prepared ``days``."""
        self.wanted_days = set(days)
        self._put(self.PAUSE)
        self.resumed.wait()
        self.resumed.clear()
        if self.stopping.is_set():
            raise RuntimeError("the import stopped")

    def resume(self) -> None:
        self.resumed.set()

    def stop(self) -> None:
        self.stopping.set()
        self.resumed.set()
        self.thread.join(timeout=10)

    def peek(self) -> object:
        """The next item, left in place (an error from the parser is raised here)."""
        if self.held is None:
            self.held = self.queue.get()
        if isinstance(self.held, BaseException):
            raise self.held
        return self.held

    def take(self) -> object:
        item = self.peek()
        self.held = None
        return item

    def read(self, size: int = -1) -> bytes:
        """A chunk of ``day`` for COPY; b"" ends the current COPY."""
        item = self.peek()
        if not isinstance(item, tuple) or item[0] != self.day:
            return b""
        self.held = None
        return item[1]

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)

"""Import of access events from CSV or JSON Lines files, optionally gzipped.

``event_id,occurred_at,employee_id,system,action,subject_ref,incident_ref,workstation``

What the import promises:

* **Every valid row is kept.** A malformed row (missing id, employee or timestamp, an
  unparseable or offset-less timestamp, the wrong number of columns, bytes that are not
  UTF-8, a NUL) becomes an :class:`~monitoring.models.ImportRejection` with its line number,
  its reason and the row as received; reading goes on.
* **Events are never dropped for what they refer to.** An unknown employee, subject or
  incident is kept and flagged (:class:`~monitoring.models.EventFlag`), and re-linked when
  reference data names it later.
* **Idempotent on event_id.** An event id already stored for that day, or seen earlier in
  the same import for that day, counts as a duplicate and is not stored again; the primary key
  (occurred_at, event_id) makes a double insert impossible even so.

How it is fast: on PostgreSQL rows stream from the file straight into ``COPY ... FROM
STDIN`` (psycopg2 ``copy_expert``) into the day-partitioned table, while Python validates the
next rows, so parsing and loading overlap on two cores. Rows in the usual shape (plain
ASCII, no quotes) are passed through as they came; only the rest go through the csv module.
Imports take a transaction-level advisory lock, so two imports never race on the same
event ids. Measured figures and the alternatives that were slower (a staging table with
``INSERT ... ON CONFLICT``, a per-employee index): docs/performance.md.

On SQLite (the demo) the same rows go in with ``bulk_create``.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from monitoring.imports.files import has_surrogates, is_json_lines, open_text
from monitoring.models import (
    EVENT_ACTIONS,
    AccessEvent,
    EventFlag,
    ImportBatch,
    ImportRejection,
    Incident,
    Subject,
)
from monitoring.partitions import ensure_partitions, is_partitioned
from monitoring.periods import AMSTERDAM, day_bounds
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
MIN_YEAR, MAX_YEAR = 2000, 2099
RAW_LIMIT = 2000
PROGRESS_EVERY = 250_000
# Serialises imports (pg_advisory_xact_lock): arbitrary, fixed, used nowhere else.
IMPORT_LOCK = 0x564B_4D4F_4E31  # "VKMON1"

_COPY_SQL = (
    "COPY monitoring_accessevent (event_id, occurred_at, employee_number, system, action, "
    "subject_ref, incident_ref, workstation, employee_id, flags, batch_id) FROM STDIN WITH "
    "(FORMAT csv, FORCE_NOT_NULL (event_id, employee_number, system, action, subject_ref, "
    "incident_ref, workstation))"
)

ProgressCallback = Callable[[str], None]


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
) -> AccessLogReport:
    """Import access-event files, one :class:`ImportBatch` (and transaction) per file.

    A file that fails as a whole (e.g. the database goes away) is rolled back and recorded
    as failed; the other files still import.
    """
    report = AccessLogReport()
    employees = dict(Employee.objects.values_list("personnel_number", "id"))
    user = acting_user if acting_user is not None and acting_user.is_authenticated else None
    for path in paths:
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.ACCESS_LOG, source=str(path)[:500], acting_user=user
        )
        loader = _FileLoader(path=path, batch=batch, employees=employees, progress=progress)
        try:
            with transaction.atomic():
                result = loader.load()
        except Exception as error:  # noqa: BLE001 - recorded on the batch, reported, re-raised below
            result = FileResult(path=str(path), batch_id=batch.pk, error=str(error)[:2000])
            batch.status = ImportBatch.Status.FAILED
            batch.message = result.error
            batch.finished_at = timezone.now()
            batch.save(update_fields=["status", "message", "finished_at"])
        report.files.append(result)
    return report


class _Rejected(Exception):  # noqa: N818 - a control-flow signal, not an error
    pass


class _FileLoader:
    """Reads, validates, de-duplicates and loads one file inside the caller's transaction.

    The rows become lines of COPY input (CSV: the eight exchange columns, then
    ``employee_id,flags,batch_id``). Rows in the usual shape take an inlined fast path; the
    rest (quotes, spaces, non-ASCII, JSON Lines, other column orders) are validated by
    :meth:`_admit`, with the same outcome.
    """

    def __init__(
        self,
        *,
        path: Path,
        batch: ImportBatch,
        employees: dict[str, int],
        progress: ProgressCallback | None,
    ) -> None:
        self.path = path
        self.name = path.name
        self.batch = batch
        self.employees = employees
        self.progress = progress
        self.result = FileResult(path=str(path), batch_id=batch.pk)
        self.rejections: list[ImportRejection] = []
        # Event ids per day: those stored before and those of this import. A duplicate is
        # an event id seen again on the same day (an identical event has the same instant).
        self.known_ids: dict[datetime.date, set[str]] = {}
        self._days: dict[datetime.date, datetime.date] = {}  # interned day objects
        self.imported_days: set[datetime.date] = set()
        # Local day of an hour, keyed by "YYYY-MM-DDTHH" + offset: timestamps are parsed
        # once per hour of the log, not once per event, to find their partition.
        self._day_of_hour: dict[str, datetime.date] = {}
        self._pending: tuple[datetime.date, str, str, int, str, str] | None = None
        # Every subject and incident referred to (for the unknown-reference flags).
        self.subject_refs: set[str] = set()
        self.incident_refs: set[str] = set()
        self._source: Iterator[Any] = iter(())
        self._continuation: Iterator[str] = iter(())
        self._raw_csv = False
        self._number = 0
        self._columns = len(ACCESS_COLUMNS)
        self._order = list(range(len(ACCESS_COLUMNS)))
        self._suffix = f",{batch.pk}\n"

    # --- the pipeline -------------------------------------------------------------------

    def load(self) -> FileResult:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
        with open_text(self.path) as stream:
            self._open_source(stream)
            if is_partitioned():
                self._prepare_span()
                self._copy()
            else:
                self._bulk_create()
        self._flag_unknown_references()
        self._finish()
        return self.result

    def _copy(self) -> None:
        """Stream lines into COPY; stop at a day without a partition, prepare it, go on.

        Parsing runs in a second thread that fills a queue while this thread feeds COPY:
        psycopg2 lets go of the GIL while it sends, so Python's validation and PostgreSQL's
        loading overlap on two cores instead of taking turns. Only this thread touches the
        database; the parser stops at a new day until this thread has prepared it.
        """
        pipe = _Pipeline(self)
        pipe.start()
        try:
            with connection.cursor() as cursor:
                while True:
                    cursor.copy_expert(_COPY_SQL, pipe, 1 << 17)
                    self._flush_rejections()
                    if pipe.finished:
                        return
                    assert self._pending is not None  # noqa: S101 - the pipe stops only there
                    self._prepare_day(self._pending[0])
                    pipe.resume()
        finally:
            pipe.stop()

    def _bulk_create(self) -> None:
        """The demo's path: the same lines, parsed back into model instances."""
        while True:
            buffer = [
                self._instance(line) for chunk in self._lines() for line in chunk.splitlines()
            ]
            for start in range(0, len(buffer), 2000):
                AccessEvent.objects.bulk_create(buffer[start : start + 2000])
            self._flush_rejections()
            if self._pending is None:
                return
            self._prepare_day(self._pending[0])

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

    def _lines(self) -> Iterator[str]:
        """COPY lines of the valid, new rows — until a row falls on a day not prepared yet.

        Deliberately one flat loop: this runs once per event (millions per file), and the
        common row shape is handled inline without a call.
        """
        known_by_day = self.known_ids
        current_day: datetime.date | None = None
        known: set[str] = set()
        employees = self.employees
        actions = EVENT_ACTIONS
        subjects = self.subject_refs
        incidents = self.incident_refs
        day_of_hour = self._day_of_hour
        fromisoformat = datetime.datetime.fromisoformat
        suffix = self._suffix
        raw_csv = self._raw_csv
        progress = self.progress
        number = self._number
        imported_days = self.imported_days
        unknown_employee = int(EventFlag.UNKNOWN_EMPLOYEE)
        unexpected_action = int(EventFlag.UNEXPECTED_ACTION)
        imported = duplicates = unknown_employees = 0
        batch: list[str] = []  # lines are handed to COPY a thousand at a time
        line: str | None
        try:
            pending, self._pending = self._pending, None
            if pending is not None:
                day, event_id, line, flags, subject, incident = pending
                current_day, known = day, known_by_day[day]
                if event_id in known:
                    duplicates += 1
                else:
                    known.add(event_id)
                    subjects.add(subject)
                    incidents.add(incident)
                    imported += 1
                    unknown_employees += 1 if flags & unknown_employee else 0
                    imported_days.add(day)
                    batch.append(line)
            for item in self._source:
                line = None
                if raw_csv:
                    number += 1
                    if progress is not None and not number % PROGRESS_EVERY:
                        progress(f"{self.name}: {number:,} lines read")
                    text = item.rstrip("\r\n")
                    if not text:
                        continue
                    cells = text.split(",")
                    if (
                        len(cells) == 8
                        and text.isascii()
                        and '"' not in text
                        and " " not in text
                        and "\t" not in text
                        and "\x00" not in text
                    ):
                        event_id, stamp, employee_number = cells[0], cells[1], cells[2]
                        if (
                            event_id
                            and employee_number
                            and len(stamp) == 25
                            and stamp[10] == "T"
                            and stamp[19] in "+-"
                            and stamp[23:] == "00"
                        ):
                            day = day_of_hour.get(stamp[:13] + stamp[19:])  # type: ignore[assignment]
                            if day is not None:
                                try:
                                    fromisoformat(stamp)  # validates; the text goes to COPY
                                except ValueError:
                                    pass
                                else:
                                    subject, incident = cells[5], cells[6]
                                    employee_id = employees.get(employee_number)
                                    flags = 0 if cells[4] in actions else unexpected_action
                                    if employee_id is None:
                                        flags |= unknown_employee
                                        line = f"{text},,{flags}{suffix}"
                                    else:
                                        line = f"{text},{employee_id},{flags}{suffix}"
                        if line is None:
                            admitted = self._admit(number, cells, text)
                            if admitted is None:
                                continue
                            day, event_id, line, flags, subject, incident = admitted
                    else:
                        values, last = self._careful_record(number, item)
                        admitted = None if values is None else self._admit(number, values, None)
                        number = last
                        if admitted is None:
                            continue
                        day, event_id, line, flags, subject, incident = admitted
                else:
                    row_number, values = item
                    admitted = self._admit(row_number, values, None)
                    if admitted is None:
                        continue
                    day, event_id, line, flags, subject, incident = admitted
                if day is not current_day:
                    # Days are interned (one object per day), so this is usually one
                    # identity test; a new day needs its partition and its stored ids.
                    day_known = known_by_day.get(day)
                    if day_known is None:
                        self._pending = (day, event_id, line, flags, subject, incident)
                        if batch:
                            yield "".join(batch)
                        return
                    current_day, known = day, day_known
                if event_id in known:
                    duplicates += 1
                    continue
                known.add(event_id)
                imported += 1
                subjects.add(subject)
                incidents.add(incident)
                if flags & unknown_employee:
                    unknown_employees += 1
                if day not in imported_days:
                    imported_days.add(day)
                batch.append(line)
                if len(batch) >= 1000:
                    yield "".join(batch)
                    batch.clear()
            if batch:
                yield "".join(batch)
        finally:
            self._number = number
            self.result.imported += imported
            self.result.duplicates += duplicates
            self.result.unknown_employees += unknown_employees

    def _admit(
        self, number: int, values: list[str], passthrough: str | None
    ) -> tuple[datetime.date, str, str, int, str, str] | None:
        """Validate a row the fast path did not take.

        Returns ``(day, event_id, copy line, flags, subject_ref, incident_ref)``, or None
        after recording the rejection.
        """
        if len(values) != len(ACCESS_COLUMNS):
            self._reject(
                number,
                f"expected {len(ACCESS_COLUMNS)} columns, found {len(values)}",
                passthrough or _as_csv(values),
            )
            return None
        event_id, stamp, employee_number = values[0], values[1], values[2]
        try:
            if not event_id:
                raise _Rejected("event_id is required")
            if not employee_number:
                raise _Rejected("employee_id is required")
            if not stamp:
                raise _Rejected("occurred_at is required")
            try:
                moment = datetime.datetime.fromisoformat(stamp)
            except ValueError:
                raise _Rejected(f"unparseable timestamp {stamp!r}") from None
            if moment.tzinfo is None:
                raise _Rejected(f"timestamp {stamp!r} has no UTC offset")
            if not MIN_YEAR <= moment.year <= MAX_YEAR:
                raise _Rejected(
                    f"timestamp {stamp!r} is outside the accepted years {MIN_YEAR}-{MAX_YEAR}"
                )
        except _Rejected as rejected:
            self._reject(number, str(rejected), passthrough or _as_csv(values))
            return None
        day = moment.astimezone(AMSTERDAM).date()
        day = self._days.setdefault(day, day)
        if _canonical_timestamp(stamp) and stamp[23:] == "00":
            # Amsterdam's midnights fall on whole UTC hours: the whole hour is in this day.
            self._day_of_hour[stamp[:13] + stamp[19:]] = day
        employee_id = self.employees.get(employee_number)
        flags = 0 if employee_id is not None else int(EventFlag.UNKNOWN_EMPLOYEE)
        if values[4] not in EVENT_ACTIONS:
            flags |= EventFlag.UNEXPECTED_ACTION
        if passthrough is not None and _canonical_timestamp(stamp):
            text = passthrough
        else:
            text = _as_csv([event_id, moment.isoformat(), *values[2:]])
        line = f"{text},{'' if employee_id is None else employee_id},{flags}{self._suffix}"
        return day, event_id, line, flags, values[5], values[6]

    def _careful_record(self, number: int, raw: str) -> tuple[list[str] | None, int]:
        """A CSV row off the fast path: quotes (perhaps spanning lines), spaces, non-ASCII.

        Returns the values (or None: rejected) and the number of the last line it used.
        """
        start = number
        record = raw
        while record.count('"') % 2:
            try:
                record += next(self._continuation)
            except StopIteration:
                break
            number += 1
        shown = record.rstrip("\r\n")
        if has_surrogates(record):
            self._reject(start, "the row is not valid UTF-8", shown)
        elif "\x00" in record:
            self._reject(start, "the row contains a NUL character", shown)
        elif record.count('"') % 2:
            self._reject(start, "unreadable CSV: unterminated quote", shown)
        else:
            try:
                cells = next(csv.reader(io.StringIO(record, newline="")), [])
            except csv.Error as error:
                self._reject(start, f"unreadable CSV: {error}", shown)
                return None, number
            if len(cells) != self._columns:
                self._reject(start, f"expected {self._columns} columns, found {len(cells)}", shown)
            else:
                return [cells[i].strip() for i in self._order], number
        return None, number

    def _prepare_span(self) -> None:
        """Prepare, before loading, the days from the file's first to its last line.

        Logs come in time order, so this usually covers every day of the file and COPY
        never has to stop for a new partition. Only for plain CSV (a gzip stream or JSON
        cannot be read from the end cheaply); any other day is still prepared on arrival.
        """
        if self.path.suffix == ".gz" or is_json_lines(self.path):
            return
        try:
            with self.path.open("rb") as raw:
                raw.readline()
                first = raw.readline()
                raw.seek(max(0, self.path.stat().st_size - 65536))
                tail = [line for line in raw.read().splitlines() if line.strip()]
            moments = [
                datetime.datetime.fromisoformat(line.decode().split(",")[1])
                for line in (first, tail[-1] if tail else b"")
            ]
        except (OSError, ValueError, IndexError, UnicodeDecodeError):
            return  # an odd first or last line: prepare days as they come
        if any(moment.tzinfo is None for moment in moments):
            return
        first_day, last_day = (moment.astimezone(AMSTERDAM).date() for moment in moments)
        if not datetime.timedelta(0) <= last_day - first_day <= datetime.timedelta(days=62):
            return
        day = first_day
        while day <= last_day:
            self._prepare_day(self._days.setdefault(day, day))
            day += datetime.timedelta(days=1)

    def _prepare_day(self, day: datetime.date) -> None:
        """Make sure the day's partition exists, and learn the event ids it already holds."""
        if ensure_partitions({day}):
            self.known_ids[day] = set()  # just created: it holds nothing yet
            return
        start, end = day_bounds(day)
        existing = AccessEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
        self.known_ids[day] = set(existing.values_list("event_id", flat=True).iterator(10000))

    # --- reading ------------------------------------------------------------------------

    def _open_source(self, stream: IO[str]) -> None:
        """Read the header and choose how rows are read.

        A CSV file in the exchange format's own column order is read line by line by
        :meth:`_lines` itself; JSON Lines and CSV with other column orders are read as
        records. A header without the required columns rejects the whole file, line by line.
        """
        if is_json_lines(self.path):
            self._source = self._json_records(stream)
            return
        lines = iter(stream)
        try:
            header_line = next(lines)
        except StopIteration:
            self._reject(1, "the file is empty (no header row)", "")
            return
        header = [name.strip() for name in next(csv.reader([header_line]))]
        missing = [name for name in ACCESS_COLUMNS if name not in header]
        if missing:
            reason = f"the header lacks column(s): {', '.join(missing)}"
            self._reject(1, reason, header_line.rstrip("\r\n"))
            for number, line in enumerate(lines, start=2):
                if line.strip():
                    self._reject(number, reason, line.rstrip("\r\n"))
            return
        self._columns = len(header)
        self._order = [header.index(name) for name in ACCESS_COLUMNS]
        self._number = 1
        self._continuation = lines  # quoted fields may continue on the following lines
        if self._order == list(range(len(ACCESS_COLUMNS))) and self._columns == len(ACCESS_COLUMNS):
            self._raw_csv = True
            self._source = lines
        else:
            self._source = self._reordered_records(lines)

    def _reordered_records(self, lines: Iterator[str]) -> Iterator[tuple[int, list[str]]]:
        number = 1
        for raw in lines:
            number += 1
            if self.progress is not None and not number % PROGRESS_EVERY:
                self.progress(f"{self.name}: {number:,} lines read")
            text = raw.rstrip("\r\n")
            if text:
                start = number
                values, number = self._careful_record(number, raw)
                if values is not None:
                    yield start, values

    def _json_records(self, stream: IO[str]) -> Iterator[tuple[int, list[str]]]:
        progress = self.progress
        for number, raw in enumerate(stream, start=1):
            if progress is not None and not number % PROGRESS_EVERY:
                progress(f"{self.name}: {number:,} lines read")
            text = raw.strip()
            if not text:
                continue
            if has_surrogates(text):
                self._reject(number, "the row is not valid UTF-8", text)
                continue
            try:
                item = json.loads(text)
            except ValueError as error:
                self._reject(number, f"invalid JSON: {error}", text)
                continue
            if not isinstance(item, dict):
                self._reject(number, "not a JSON object", text)
                continue
            values: list[str] = []
            for name in ACCESS_COLUMNS:
                value = item.get(name)
                if value is None:
                    values.append("")
                elif isinstance(value, str | int) and not isinstance(value, bool):
                    values.append(str(value).strip())
                else:
                    self._reject(number, f"{name} must be text", text)
                    break
            else:
                if any("\x00" in value for value in values):
                    self._reject(number, "the row contains a NUL character", text)
                else:
                    yield number, values

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
        for model, column, refs, flag, counter in (
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
            refs.discard("")
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


def _canonical_timestamp(value: str) -> bool:
    """``YYYY-MM-DDTHH:MM:SS±HH:MM`` — the exchange format's own shape, passed to COPY as is."""
    return len(value) == 25 and value[10] == "T" and value[19] in "+-"


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

    The thread runs :meth:`_FileLoader._lines` and puts chunks of COPY lines on a bounded
    queue; at a day that has no partition yet it puts ``_PAUSE`` and waits to be resumed.
    ``read`` returns chunks until a pause or the end, which ends the current COPY.
    """

    _PAUSE = object()
    _END = object()

    def __init__(self, loader: _FileLoader) -> None:
        self.loader = loader
        self.queue: queue.Queue[object] = queue.Queue(maxsize=64)
        self.resumed = threading.Event()
        self.stopping = threading.Event()
        self.finished = False
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
            while not self.stopping.is_set():
                for chunk in self.loader._lines():
                    self._put(chunk)
                if self.loader._pending is None:
                    self._put(self._END)
                    return
                self._put(self._PAUSE)
                self.resumed.wait()
                self.resumed.clear()
        except BaseException as error:  # noqa: BLE001 - handed to the consuming thread
            self._put(error)

    def resume(self) -> None:
        self.resumed.set()

    def stop(self) -> None:
        self.stopping.set()
        self.resumed.set()
        self.thread.join(timeout=10)

    def read(self, size: int = -1) -> str:
        """A chunk for COPY; "" ends the current COPY (a pause for a new day, or the end)."""
        item = self.queue.get()
        if item is self._END:
            self.finished = True
            return ""
        if item is self._PAUSE:
            return ""
        if isinstance(item, BaseException):
            raise item
        assert isinstance(item, str)  # noqa: S101 - the queue holds chunks, markers or errors
        return item

    def readline(self, size: int = -1) -> str:
        return self.read(size)

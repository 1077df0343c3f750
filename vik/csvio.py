"""Reading the exchange files: UTF-8 CSV (RFC 4180) with a header row, optionally gzipped.

Bad input never loses good input: a malformed row becomes a :class:`Rejection` with its line
number and a reason, and reading goes on. Shared by every importer in VIK.

Hostile input costs little: bytes that are not UTF-8 and NUL characters reject their row; a
line is never held beyond :data:`MAX_RECORD_CHARS` (a longer one is read in pieces, rejected
and skipped); and a quoted field that never closes is given at most that much look-ahead,
after which its row is rejected and the lines it swallowed are read again as rows of their
own — so reading is linear in the size of the file whatever it holds.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any


class CsvHeaderError(ValueError):
    """The file cannot be read at all: no header, or required columns missing."""


@dataclass(frozen=True)
class Rejection:
    """One row that was not imported, and why."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did: counts per outcome and every rejected row."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    def reject(self, file: str, line: int, reason: str) -> None:
        self.rejections.append(Rejection(file, line, reason))

    def merge(self, other: ImportReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejections.extend(other.rejections)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def summary(self) -> str:
        return (
            f"created={self.created} updated={self.updated} unchanged={self.unchanged} "
            f"rejected={self.rejected}"
        )


MAX_RECORD_CHARS = 1 << 16
"""The longest row (one line, or a quoted record over several) a reference file may hold."""


def open_text(path: Path) -> IO[str]:
    """Open a UTF-8 text file, transparently gunzipping ``.gz`` files; a BOM is ignored.

    Bytes that are not UTF-8 do not stop the file: they become lone surrogates in their
    line, which :func:`read_csv` rejects with the line number.
    """
    if path.suffix == ".gz":
        return io.TextIOWrapper(
            gzip.open(path, "rb"), encoding="utf-8-sig", errors="surrogateescape", newline=""
        )
    return path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")


def has_surrogates(text: str) -> bool:
    """Whether a line carries bytes that were not valid UTF-8 (see :func:`open_text`)."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)


class _TooLong:
    """Stands for a line over the limit, which was skipped without being kept."""


def _lines(stream: IO[str], limit: int) -> Iterator[tuple[int, str | _TooLong]]:
    """Numbered lines, each at most ``limit`` characters held at a time."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith("\n"):
            while (rest := stream.readline(limit + 1)) and not rest.endswith("\n"):
                pass
            yield number, _TooLong()
        else:
            yield number, line


def _records(stream: IO[str], limit: int) -> Iterator[tuple[int, list[str] | None, str]]:
    """CSV records with the line they start on: (line, cells, "") or (line, None, problem).

    Quotes are counted line by line, so a quote that never closes costs one pass over at
    most ``limit`` characters, not a re-reading of the record for every line it swallows.
    """
    source = _lines(stream, limit)
    pending: deque[tuple[int, str | _TooLong]] = deque()
    while True:
        first = pending.popleft() if pending else next(source, None)
        if first is None:
            return
        start, line = first
        if isinstance(line, _TooLong):
            yield start, None, f"the line is longer than {limit:,} characters"
            continue
        parts, taken = [line], []
        quotes, size = line.count('"'), len(line)
        while quotes % 2 and size <= limit:
            following = pending.popleft() if pending else next(source, None)
            if following is None:
                break
            taken.append(following)
            if isinstance(following[1], _TooLong):
                break
            parts.append(following[1])
            quotes += following[1].count('"')
            size += len(following[1])
        if quotes % 2:
            pending.extendleft(reversed(taken))
            yield start, None, "unreadable CSV: unterminated quote"
            continue
        record = "".join(parts)
        if size > limit:
            yield start, None, f"the row is longer than {limit:,} characters"
        elif has_surrogates(record):
            yield start, None, "the row is not valid UTF-8"
        elif "\x00" in record:
            yield start, None, "the row contains a NUL character"
        else:
            try:
                yield start, next(csv.reader(io.StringIO(record, newline="")), []), ""
            except csv.Error as error:
                yield start, None, f"unreadable CSV: {error}"


def repeated_columns(header: Sequence[str]) -> list[str]:
    """The names a header row holds more than once (blank ones aside), in order.

    Such a file is ambiguous: which of the two columns is meant? Reading either one would be
    a guess that silently drops the other, so the importers refuse the file instead.
    """
    seen: set[str] = set()
    repeated: list[str] = []
    for name in header:
        if name in seen and name and name not in repeated:
            repeated.append(name)
        seen.add(name)
    return repeated


@dataclass(frozen=True)
class CsvRow:
    """A data row with the line it started on; ``values`` is None when the row is malformed."""

    line: int
    values: dict[str, str] | None
    problem: str = ""


def read_csv(
    stream: IO[str],
    *,
    required: Sequence[str],
    max_chars: int = MAX_RECORD_CHARS,
    max_lengths: Mapping[str, int] | None = None,
) -> Iterator[CsvRow]:
    """Yield the rows of a CSV stream as dicts keyed by header, with their line numbers.

    A header that lacks a required column or names a column twice raises
    :class:`CsvHeaderError`. Malformed rows — a different number of cells than the header,
    bytes that are not UTF-8, a NUL, an unterminated quote, a row over ``max_chars``, a
    value longer than ``max_lengths`` allows for its column (see :func:`column_lengths`:
    the database would refuse it, and with it the whole file) — are yielded with
    ``values=None`` and a ``problem``, so the caller can report them; blank lines are
    skipped.
    """
    records = _records(stream, max_chars)
    first = next(records, None)
    if first is None:
        raise CsvHeaderError("the file is empty (no header row)")
    if first[1] is None:
        raise CsvHeaderError(f"unreadable header: {first[2]}")
    header = [name.strip() for name in first[1]]
    missing = [name for name in required if name not in header]
    if missing:
        raise CsvHeaderError(f"missing column(s): {', '.join(missing)}")
    if repeated := repeated_columns(header):
        raise CsvHeaderError(f"column(s) named more than once: {', '.join(repeated)}")
    for start, cells, problem in records:
        if cells is None:
            yield CsvRow(start, None, problem)
            continue
        if not cells or cells == [""]:
            continue
        if len(cells) != len(header):
            yield CsvRow(start, None, f"expected {len(header)} columns, found {len(cells)}")
            continue
        values = {name: value.strip() for name, value in zip(header, cells, strict=True)}
        too_long = next(
            (
                f"{name} is longer than {limit:,} characters"
                for name, limit in (max_lengths or {}).items()
                if len(values.get(name, "")) > limit
            ),
            None,
        )
        if too_long:
            yield CsvRow(start, None, too_long)
            continue
        yield CsvRow(start, values)


def column_lengths(model: Any, **columns: str) -> dict[str, int]:
    """Column → the ``max_length`` of the model field it is stored in (for :func:`read_csv`)."""
    return {
        column: model._meta.get_field(field_name).max_length
        for column, field_name in columns.items()
    }


def parse_date(value: str) -> datetime.date | None:
    """``YYYY-MM-DD`` or empty; anything else raises ValueError with a readable message."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"invalid date {value!r} (expected YYYY-MM-DD)") from None


def parse_timestamp(value: str) -> datetime.datetime:
    """An ISO 8601 timestamp *with* a UTC offset; a naive timestamp is ambiguous and refused."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"unparseable timestamp {value!r}") from None
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no UTC offset")
    return moment

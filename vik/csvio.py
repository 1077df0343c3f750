"""Reading the exchange files: UTF-8 CSV (RFC 4180) with a header row, optionally gzipped.

Bad input never loses good input: a malformed row becomes a :class:`Rejection` with its line
number and a reason, and reading goes on. Shared by every importer in VIK.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO


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


def open_text(path: Path) -> IO[str]:
    """Open a UTF-8 text file, transparently gunzipping ``.gz`` files; a BOM is ignored."""
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


@dataclass(frozen=True)
class CsvRow:
    """A data row with the line it started on; ``values`` is None when the row is malformed."""

    line: int
    values: dict[str, str] | None
    problem: str = ""


def read_csv(stream: IO[str], *, required: Sequence[str]) -> Iterator[CsvRow]:
    """Yield the rows of a CSV stream as dicts keyed by header, with their line numbers.

    Rows with a different number of cells than the header are yielded with ``values=None``
    and a ``problem``, so the caller can report them; blank lines are skipped.
    """
    reader = csv.reader(stream)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise CsvHeaderError("the file is empty (no header row)") from None
    missing = [name for name in required if name not in header]
    if missing:
        raise CsvHeaderError(f"missing column(s): {', '.join(missing)}")
    next_line = reader.line_num + 1
    while True:
        start = next_line
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            next_line = reader.line_num + 1
            yield CsvRow(start, None, f"unreadable CSV: {error}")
            continue
        next_line = reader.line_num + 1
        if not cells or cells == [""]:
            continue
        if len(cells) != len(header):
            yield CsvRow(start, None, f"expected {len(header)} columns, found {len(cells)}")
            continue
        yield CsvRow(
            start, {name: value.strip() for name, value in zip(header, cells, strict=True)}
        )


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

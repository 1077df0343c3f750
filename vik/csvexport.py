"""Writing CSV files for people: the one helper every CSV export of VIK uses.

A CSV file is opened in a spreadsheet, and a spreadsheet runs a cell that begins with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a formula: a reveal
reason ``=HYPERLINK("http://…", "click")`` typed by one user would run on the privacy
officer's machine ("CSV injection", OWASP). Every text cell that starts with one of those
characters is written with a leading apostrophe, which spreadsheets show as text and do not
evaluate. Numbers stay numbers.

Only files meant for people go through here. Files that VIK writes for a machine — the
COPY buffers of the importers and of detection, and the exchange files the demo generator
writes for the importers — must keep every value exactly and do not; a test
(``tests/vik/test_csvexport.py``) lists them and fails on any other ``csv.writer``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell value that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


class SafeCsvWriter:
    """``csv.writer`` with every cell neutralised (:func:`neutralise`)."""

    def __init__(self, stream: IO[str] | Any, **kwargs: Any) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: IO[str] | Any, **kwargs: Any) -> SafeCsvWriter:
    """A CSV writer for a file meant for people (same arguments as ``csv.writer``)."""
    return SafeCsvWriter(stream, **kwargs)


class _Echo:
    """A file-like object that hands back what is written: a row at a time, for streaming."""

    def write(self, value: str) -> str:
        return value


def streaming_csv_response(
    rows: Iterable[Iterable[Any]], *, filename: str
) -> StreamingHttpResponse:
    """A CSV download built row by row (for exports that may be large), neutralised."""
    writer = csv_writer(_Echo())

    def lines() -> Iterator[str]:
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

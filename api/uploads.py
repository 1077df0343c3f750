"""Receiving delivery files: streamed to disk, gzip kept as it came, the header checked.

Nothing is held in memory: a raw body is copied to its file in chunks of 1 MiB, and
Django writes a multipart file part to a temporary file before it is moved here. A gzipped
file (recognised by its first bytes, whatever it is called) is stored as ``.gz`` and read
by the importers as a stream. Before anything is queued the first lines are checked — the
file decompresses, is UTF-8, has the columns its kind needs — so a malformed upload is
refused at once with the line and the reason; the rows are checked by the importer, which
reports each refused row with its line in the delivery's report.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import uuid
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from rest_framework import status

from api.problems import Problem, malformed_upload
from vik.csvio import MAX_RECORD_CHARS, repeated_columns

CHUNK = 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"


def new_directory() -> Path:
    directory = settings.VIK_API_DELIVERY_DIR / uuid.uuid4().hex
    directory.mkdir(parents=True, mode=0o700)
    return directory


def too_large() -> Problem:
    return Problem(
        status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        problem_type="too-large",
        title="Upload too large",
        detail=f"An upload may be at most {settings.VIK_API_MAX_UPLOAD_BYTES} bytes.",
    )


def store_stream(stream: IO[bytes] | Any, directory: Path, stem: str, suffix: str) -> Path:
    """Copy a byte stream to ``directory/<stem><suffix>[.gz]`` in chunks; returns the path."""
    limit = settings.VIK_API_MAX_UPLOAD_BYTES
    temporary = directory / f".{stem}.part"
    size = 0
    with temporary.open("wb") as out:
        first = True
        gzipped = False
        while chunk := stream.read(CHUNK):
            if first:
                gzipped = chunk[:2] == GZIP_MAGIC
                first = False
            size += len(chunk)
            if size > limit:
                out.close()
                temporary.unlink(missing_ok=True)
                raise too_large()
            out.write(chunk)
    if size == 0:
        temporary.unlink(missing_ok=True)
        raise malformed_upload("The upload is empty.", [{"line": 1, "reason": "no data"}])
    target = directory / f"{stem}{suffix}{'.gz' if gzipped else ''}"
    temporary.rename(target)
    return target


def _first_lines(path: Path, count: int) -> list[str]:
    """The first ``count`` lines as text; raises ``malformed_upload`` if unreadable.

    A line is read up to :data:`~vik.csvio.MAX_RECORD_CHARS` only: a body without line
    breaks (a gzip bomb of one endless "line" costs a few kilobytes to send) is refused
    without being held in the web worker's memory.
    """
    opener: Any = gzip.open if path.suffix == ".gz" else open
    lines: list[str] = []
    try:
        with opener(path, "rb") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            while len(lines) < count and (line := text.readline(MAX_RECORD_CHARS + 1)):
                if len(line) > MAX_RECORD_CHARS:
                    reason = f"the line is longer than {MAX_RECORD_CHARS:,} characters"
                    raise malformed_upload(
                        f"{path.name}: {reason}.",
                        [{"file": path.name, "line": len(lines) + 1, "reason": reason}],
                    )
                lines.append(line)
    except (OSError, EOFError, zlib.error):
        raise _not_gzip(path) from None
    except UnicodeDecodeError:
        raise _not_utf8(path, len(lines) + 1) from None
    return lines


def _not_gzip(path: Path) -> Problem:
    return malformed_upload(
        f"{path.name} is not a valid gzip file.",
        [{"file": path.name, "line": 1, "reason": "not a valid gzip file"}],
    )


def _not_utf8(path: Path, line: int) -> Problem:
    return malformed_upload(
        f"{path.name} is not UTF-8 text.",
        [{"file": path.name, "line": line, "reason": "not UTF-8 text"}],
    )


def check_csv_header(path: Path, required: Sequence[str]) -> None:
    """The file's header row names every required column (the same rule as the importer)."""
    lines = _first_lines(path, 1)
    if not lines or not lines[0].strip():
        raise malformed_upload(
            f"{path.name} has no header row.",
            [{"file": path.name, "line": 1, "reason": "the file is empty (no header row)"}],
        )
    header = [name.strip() for name in next(csv.reader([lines[0]]))]
    missing = [name for name in required if name not in header]
    if missing:
        raise malformed_upload(
            f"{path.name} lacks required columns.",
            [
                {
                    "file": path.name,
                    "line": 1,
                    "reason": f"missing column(s): {', '.join(missing)}",
                }
            ],
        )
    if repeated := repeated_columns(header):
        raise malformed_upload(
            f"{path.name} names a column more than once.",
            [
                {
                    "file": path.name,
                    "line": 1,
                    "reason": f"column(s) named more than once: {', '.join(repeated)}",
                }
            ],
        )


# How far the JSON Lines check reads past over-long or blank lines for one to judge the file
# by: the importer rejects such a line and goes on, so one of them must not refuse the whole
# upload — but a body of one endless "line" must still be refused after a bounded read.
JSON_LINES_LOOK_AHEAD_CHARS = 16 * MAX_RECORD_CHARS


def _first_json_line(path: Path) -> tuple[int, str] | None:
    """The first non-blank line within :data:`MAX_RECORD_CHARS`, with its line number.

    Over-long lines are passed over in pieces (the importer rejects them, line by line), blank
    lines too, within :data:`JSON_LINES_LOOK_AHEAD_CHARS`; past that the upload is refused
    with the first over-long line's number. ``None``: the file holds only blank lines.
    """
    opener: Any = gzip.open if path.suffix == ".gz" else open
    number, read, first_long = 0, 0, 0
    try:
        with opener(path, "rb") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            while line := text.readline(MAX_RECORD_CHARS + 1):
                number += 1
                read += len(line)
                if len(line) > MAX_RECORD_CHARS:
                    first_long = first_long or number
                    while not line.endswith("\n") and read <= JSON_LINES_LOOK_AHEAD_CHARS:
                        line = text.readline(MAX_RECORD_CHARS + 1)
                        if not line:
                            break
                        read += len(line)
                elif line.strip():
                    return number, line
                if read > JSON_LINES_LOOK_AHEAD_CHARS:
                    break
    except (OSError, EOFError, zlib.error):
        raise _not_gzip(path) from None
    except UnicodeDecodeError:
        raise _not_utf8(path, number or 1) from None
    if first_long:
        reason = f"the line is longer than {MAX_RECORD_CHARS:,} characters"
        raise malformed_upload(
            f"{path.name}: {reason}, and no line within the first "
            f"{JSON_LINES_LOOK_AHEAD_CHARS:,} characters to judge the file by.",
            [{"file": path.name, "line": first_long, "reason": reason}],
        )
    return None


def check_json_lines(path: Path) -> None:
    """The first line the importer would read of a JSON Lines file is a JSON object."""
    found = _first_json_line(path)
    if found is None:
        raise malformed_upload(
            f"{path.name} is empty.", [{"file": path.name, "line": 1, "reason": "no data"}]
        )
    number, line = found
    try:
        first = json.loads(line)
    except ValueError as error:
        raise malformed_upload(
            f"{path.name} is not JSON Lines.",
            [{"file": path.name, "line": number, "reason": f"invalid JSON: {error}"}],
        ) from None
    if not isinstance(first, dict):
        raise malformed_upload(
            f"{path.name} is not JSON Lines.",
            [{"file": path.name, "line": number, "reason": "a line must be a JSON object"}],
        )


def json_lines_by_name(filename: str) -> bool:
    """The format a file name says: ``.csv`` or ``.jsonl``/``.ndjson``, each maybe ``.gz``."""
    name = filename.lower().removesuffix(".gz")
    if name.endswith((".jsonl", ".ndjson")):
        return True
    if name.endswith(".csv"):
        return False
    raise malformed_upload(
        f"{filename}: name the file .csv, .jsonl or .ndjson (optionally .gz).",
        [{"file": filename[:100], "line": 1, "reason": "unknown file type"}],
    )


def describe(paths: Iterable[Path]) -> list[dict[str, object]]:
    return [{"name": path.name, "bytes": path.stat().st_size} for path in paths]

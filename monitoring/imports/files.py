"""Opening exchange files: UTF-8 text, optionally gzipped; JSON Lines or CSV by name."""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import IO


def open_text(path: Path) -> IO[str]:
    """Open for reading as UTF-8 (a BOM is skipped), gunzipping ``.gz``.

    Undecodable bytes do not stop the file: they surface as lone surrogates in the line
    they belong to, which the importer rejects with its line number, so one corrupt row
    never costs the rows after it.
    """
    if path.suffix == ".gz":
        return io.TextIOWrapper(
            gzip.open(path, "rb"), encoding="utf-8-sig", errors="surrogateescape", newline=""
        )
    return path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")


def is_json_lines(path: Path) -> bool:
    """``.jsonl`` and ``.jsonl.gz`` are JSON Lines; everything else is read as CSV."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in {".jsonl", ".ndjson"}


def has_surrogates(text: str) -> bool:
    """Whether a line carries bytes that were not valid UTF-8."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)

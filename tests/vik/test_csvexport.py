"""One CSV helper for every export meant for people; formulas never reach a spreadsheet."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from vik.csvexport import csv_writer, neutralise

ROOT = Path(__file__).resolve().parents[2]

# Files that write CSV for a machine, which must keep every value exactly (a leading "-" in
# a COPY buffer is data, not a formula). Everything else that writes CSV writes it for
# people, through vik.csvexport.
MACHINE_CSV = {
    "vik/csvexport.py": "the helper itself",
    "monitoring/detection/writer.py": "COPY buffer into PostgreSQL",
    "monitoring/imports/access_log.py": "COPY buffer into PostgreSQL",
    "monitoring/generator/core.py": "exchange files the demo generator writes for the importers",
    "vik/demo.py": "exchange files the demo writes for the organisation import",
}


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-verwijderd", "'-verwijderd"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Escalatie: =niet aan het begin", "Escalatie: =niet aan het begin"),
        ("", ""),
        (-5, -5),
        (None, None),
    ],
)
def test_neutralise(value: object, written: object) -> None:
    assert neutralise(value) == written


def test_the_writer_neutralises_every_cell() -> None:
    buffer = io.StringIO()
    csv_writer(buffer).writerows([["=cmd|' /C calc'!A0", "gewoon", 3]])
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [
        ["'=cmd|' /C calc'!A0", "gewoon", "3"]
    ]


def test_every_csv_writer_in_the_project_is_the_helper_or_a_machine_format() -> None:
    pattern = re.compile(r"csv\.(writer|DictWriter)\(")
    found = {
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if not {".venv", "tests", "benchmarks", "migrations"} & set(path.relative_to(ROOT).parts)
        and pattern.search(path.read_text(encoding="utf-8"))
    }
    assert found <= set(MACHINE_CSV), (
        "write CSV for people with vik.csvexport.csv_writer (formula injection), "
        f"or list a machine format here: {sorted(found - set(MACHINE_CSV))}"
    )

"""The printed tables of the logging report keep words whole: wide tables go in parts."""

from __future__ import annotations

import pytest

from vik.transparency.templatetags.report_tables import column_parts


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, ["0:0"]),
        (3, ["0:3"]),
        (8, ["0:8"]),
        (9, ["0:5", "5:9"]),
        (13, ["0:7", "7:13"]),
        (17, ["0:6", "6:12", "12:17"]),
    ],
)
def test_wide_tables_are_split_into_balanced_parts(count: int, expected: list[str]) -> None:
    parts = column_parts(list(range(count)))
    assert [part["slice"] for part in parts] == expected
    assert [part["last"] for part in parts] == [False] * (len(expected) - 1) + [True]
    assert parts[0]["first"]
    assert not any(part["first"] for part in parts[1:])

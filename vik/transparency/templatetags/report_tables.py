"""Template filters of the logging report's printed tables."""

from __future__ import annotations

import math
from collections.abc import Sized
from typing import TypedDict

from django import template

register = template.Library()

# At A4 landscape, 7.5 pt, with each column as wide as its longest word ("Privacyfunctionaris"),
# eight columns of figures fit beside the row labels; a wider table is printed in parts.
MAX_COLUMNS_PER_PART = 8


class ColumnPart(TypedDict):
    """One printed part of a wide table: a ``slice`` filter argument, and whether the
    table's total column belongs to it (the last part)."""

    slice: str
    last: bool
    first: bool


@register.filter
def column_parts(columns: Sized, most: int = MAX_COLUMNS_PER_PART) -> list[ColumnPart]:
    """Split a table's columns into balanced parts of at most ``most`` columns.

    Words and names are never broken to make a table fit (issue 15): a table with more
    columns than fit is printed as two or more tables with the same rows, the total column
    with the last part.
    """
    count = len(columns)
    parts = max(1, math.ceil(count / most))
    size = math.ceil(count / parts) if count else 0
    return [
        ColumnPart(
            slice=f"{start}:{min(start + size, count)}",
            last=start + size >= count,
            first=start == 0,
        )
        for start in (range(0, count, size) if size else [0])
    ]

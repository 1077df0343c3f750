"""Days, windows and moments in Europe/Amsterdam.

Police work runs around the clock and across the change to and from summer time, so every
day boundary here is a local midnight turned into an instant: 25 October 2026 lasts 25
hours. Signal windows are counted from a fixed Monday, so every run, whatever period it was
asked for, agrees on which window a day belongs to.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WINDOW_EPOCH = datetime.date(2024, 1, 1)  # a Monday


def day_start(day: datetime.date) -> datetime.datetime:
    """The instant local midnight begins ``day``."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=AMSTERDAM)


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a local day as instants (23, 24 or 25 hours apart)."""
    return day_start(day), day_start(day + datetime.timedelta(days=1))


def local_day(moment: datetime.datetime) -> datetime.date:
    """The Amsterdam calendar day of an instant."""
    return moment.astimezone(AMSTERDAM).date()


def days(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    """Every day from ``first`` to ``last`` inclusive."""
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def window_of(day: datetime.date, window_days: int) -> tuple[datetime.date, datetime.date]:
    """The signal window (first day, last day inclusive) that contains ``day``."""
    offset = (day - WINDOW_EPOCH).days // window_days * window_days
    start = WINDOW_EPOCH + datetime.timedelta(days=offset)
    return start, start + datetime.timedelta(days=window_days - 1)


def windows_overlapping(
    first: datetime.date, last: datetime.date, window_days: int
) -> list[tuple[datetime.date, datetime.date]]:
    """The signal windows that share at least one day with [first, last]."""
    result = []
    start, end = window_of(first, window_days)
    while start <= last:
        result.append((start, end))
        start = end + datetime.timedelta(days=1)
        end = start + datetime.timedelta(days=window_days - 1)
    return result


def parse_moment(value: str, *, end_of_day: bool = False) -> datetime.datetime | None:
    """An ISO 8601 timestamp with offset, or a ``YYYY-MM-DD`` date taken in Amsterdam.

    A date means the start of that day, or with ``end_of_day`` the start of the next one
    (an end date is inclusive). Empty gives None; a naive timestamp is ambiguous across the
    change of summer time and is refused. Raises ValueError with a readable reason.
    """
    value = value.strip()
    if not value:
        return None
    if len(value) == 10:
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"invalid date {value!r} (expected YYYY-MM-DD)") from None
        try:
            return day_start(day + datetime.timedelta(days=1) if end_of_day else day)
        except OverflowError:  # 9999-12-31 as an inclusive end
            raise ValueError(f"date {value!r} is out of range") from None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"unparseable timestamp {value!r}") from None
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no UTC offset")
    return moment

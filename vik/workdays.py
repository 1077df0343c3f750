"""Deadlines in working days, with the Dutch public holidays.

Statutory terms follow the *Algemene termijnenwet* (art. 3): besides Saturdays and Sundays,
the recognised public holidays are New Year's Day, Easter Monday, King's Day, Liberation Day
(5 May, every year), Ascension Day, Whit Monday, and Christmas Day and Boxing Day. Good Friday
is *not* one of them, although the ``holidays`` library lists it, so the list is built here
from that library's moveable feasts plus the law's fixed days.

When King's Day falls on a Sunday it is celebrated on the Saturday before (a weekend day
anyway); the ``holidays`` library already moves it.
"""

from __future__ import annotations

import datetime
from functools import cache

import holidays

_STATUTORY_NAMES = {
    "Nieuwjaarsdag",
    "Tweede paasdag",
    "Koningsdag",
    "Hemelvaartsdag",
    "Tweede pinksterdag",
    "Eerste kerstdag",
    "Tweede kerstdag",
}


@cache
def public_holidays(year: int) -> frozenset[datetime.date]:
    """The days that do not count as working days in ``year`` (besides weekends)."""
    listed = holidays.country_holidays("NL", years=year, language="nl")
    days = {day for day, name in listed.items() if name in _STATUTORY_NAMES}
    days.add(datetime.date(year, 5, 5))  # Bevrijdingsdag, under the Algemene termijnenwet
    return frozenset(days)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count).

    "Within 5 working days of Friday 24 April 2026" is Monday 4 May: Monday 27 April is
    King's Day, and 5 May — a Tuesday — would be Liberation Day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end < start)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def add_weeks(start: datetime.date, weeks: int) -> datetime.date:
    """Calendar weeks (complaint terms are in weeks, not working days)."""
    return start + datetime.timedelta(weeks=weeks)


def add_months(start: datetime.date, months: int) -> datetime.date:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(start.day, last_day))

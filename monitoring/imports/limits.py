"""Limits and plausibility windows of the importers (``settings.MONITORING_IMPORT_LIMITS``).

Two kinds of bound, both reported per row with the line number and a reason:

* **Size.** A line of an access log (or a quoted record spanning lines) and each value in it
  have a maximum length. A longer line is never held whole in memory: it is read in pieces,
  rejected, and reading goes on at the next line.
* **Plausibility.** An event is kept only between the retention horizon of
  ``monitoring.access_events`` (minus a margin) and a day ahead of the moment of import:
  anything older would be removed by the next retention run, anything later is a clock or
  file error, and each of them would otherwise create a day partition of its own. Roster
  entries, assignments and incidents must lie within a window around today and (rosters,
  assignments) not last longer than a bound, so one wrong row cannot replace an employee's
  roster or put them on leave for ever.

The windows are computed once per import, from "now" at its start.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from monitoring.periods import day_start

DEFAULTS: dict[str, int] = {
    "max_line_chars": 8192,
    "max_field_chars": 512,
    "event_days_before_retention": 7,
    "event_hours_ahead": 24,
    "reference_years_back": 10,
    "reference_days_ahead": 400,
    "roster_max_days": 366,
    "assignment_max_days": 3653,
}
ACCESS_EVENT_RETENTION = "monitoring.access_events"
EARLIEST_YEAR = 1900  # incidents may be old (a cold case), but not from before this


@dataclass(frozen=True)
class ImportLimits:
    """The bounds one import applies (see the module docstring)."""

    max_line_chars: int
    max_field_chars: int
    earliest_event: datetime.datetime
    latest_event: datetime.datetime
    earliest_reference: datetime.datetime
    latest_reference: datetime.datetime
    roster_max: datetime.timedelta
    assignment_max: datetime.timedelta

    def event_problem(self, moment: datetime.datetime, stamp: str) -> str:
        """Why an event's moment is implausible, or ""."""
        if self.earliest_event <= moment <= self.latest_event:
            return ""
        return (
            f"timestamp {stamp!r} is outside the accepted period "
            f"{_shown(self.earliest_event)} – {_shown(self.latest_event)} "
            "(the retention period of access events, up to a day ahead)"
        )

    def reference_problem(self, name: str, moment: datetime.datetime | None) -> str:
        """Why a reference date is implausible, or "" (an empty date is not judged here)."""
        if moment is None or self.earliest_reference <= moment <= self.latest_reference:
            return ""
        return (
            f"{name} {_shown(moment)} is outside the accepted period "
            f"{_shown(self.earliest_reference)} – {_shown(self.latest_reference)}"
        )

    def not_after_problem(self, name: str, moment: datetime.datetime | None) -> str:
        """Why a date is implausible when only its lateness (or the year) is judged, or ""."""
        if moment is None or (moment.year >= EARLIEST_YEAR and moment <= self.latest_reference):
            return ""
        return (
            f"{name} {_shown(moment)} is outside the accepted period "
            f"{EARLIEST_YEAR} – {_shown(self.latest_reference)}"
        )

    def span_problem(
        self, start: datetime.datetime, end: datetime.datetime | None, longest: datetime.timedelta
    ) -> str:
        """Why a span is implausibly long, or ""."""
        if end is None or end - start <= longest:
            return ""
        return f"the period from start to end is longer than {longest.days} days"


def _shown(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.date().isoformat()} {local:%H:%M}"  # isoformat: year 1 is "0001"


def configured() -> dict[str, int]:
    """The settings merged over the defaults (a partial override is allowed)."""
    return {**DEFAULTS, **getattr(settings, "MONITORING_IMPORT_LIMITS", {})}


def import_limits(*, now: datetime.datetime | None = None) -> ImportLimits:
    """The bounds for an import starting ``now`` (default: this moment)."""
    # Imported here: the transparency app's registry imports monitoring at start-up.
    from vik.transparency.retention import retention_period
    from vik.workdays import add_months

    values = configured()
    now = now or timezone.now()
    today = timezone.localdate(now)
    months, _policy = retention_period(ACCESS_EVENT_RETENTION)
    horizon = add_months(today, -months) - datetime.timedelta(
        days=values["event_days_before_retention"]
    )
    years_back = values["reference_years_back"]
    earliest_reference_day = today.replace(year=max(1, today.year - years_back), day=1)
    return ImportLimits(
        max_line_chars=values["max_line_chars"],
        max_field_chars=values["max_field_chars"],
        earliest_event=day_start(horizon),
        latest_event=now + datetime.timedelta(hours=values["event_hours_ahead"]),
        earliest_reference=day_start(earliest_reference_day),
        latest_reference=day_start(today + datetime.timedelta(days=values["reference_days_ahead"])),
        roster_max=datetime.timedelta(days=values["roster_max_days"]),
        assignment_max=datetime.timedelta(days=values["assignment_max_days"]),
    )

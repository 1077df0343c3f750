"""The roster lane of the review screens, built exactly as detection sees the roster."""

from __future__ import annotations

import datetime

from monitoring.detection.config import load_config
from monitoring.detection.context import roster_timelines
from monitoring.detection.duty import UNKNOWN_TIMELINE
from vik.models import Employee


def duty_segments(
    *, employee_id: int, start: datetime.datetime, end: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.datetime, str]]:
    """The roster lane of a timeline: (from, to, duty status) covering [start, end).

    Built exactly as detection sees it (same margin, same rhythm of the employee's and
    their team's rosters per signal window, same rule for a missing roster), so the review
    screens show why an access counted as off duty — or did not.
    """
    config = load_config()
    team = Employee.objects.filter(pk=employee_id).values_list("team_id", "unit_id").first()
    teams = {employee_id: (team[0] or team[1]) if team else None}
    timeline = roster_timelines(teams, start, end, config).get(employee_id, UNKNOWN_TIMELINE)
    lower, upper = start.timestamp(), end.timestamp()
    result = []
    segments = timeline.segments() or [(lower, None, "unknown")]
    if segments[0][0] > lower:
        segments.insert(0, (lower, segments[0][0], "unknown"))
    for seg_start, seg_end, status in segments:
        left = max(seg_start, lower)
        right = upper if seg_end is None else min(seg_end, upper)
        if left < right:
            result.append(
                (
                    datetime.datetime.fromtimestamp(left, datetime.UTC),
                    datetime.datetime.fromtimestamp(right, datetime.UTC),
                    status,
                )
            )
    return result

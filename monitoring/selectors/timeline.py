"""The roster lane of the review screens, built exactly as detection sees the roster."""

from __future__ import annotations

import datetime

from monitoring.detection.config import load_config
from monitoring.detection.duty import RosterPeriod, build_timeline
from monitoring.models import RosterEntry


def duty_segments(
    *, employee_id: int, start: datetime.datetime, end: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.datetime, str]]:
    """The roster lane of a timeline: (from, to, duty status) covering [start, end).

    Built exactly as detection sees it (same margin, same rule for a missing roster), so
    the review screens show why an access counted as off duty — or did not.
    """
    config = load_config()
    margin = config.number("off_duty.margin_minutes") * 60
    max_gap = config.number("off_duty.max_roster_gap_hours") * 3600
    reach = datetime.timedelta(seconds=max_gap + margin + 86400)
    periods = [
        RosterPeriod(entry_start.timestamp(), entry_end.timestamp(), kind)
        for entry_start, entry_end, kind in RosterEntry.objects.filter(
            employee_id=employee_id, start__lt=end + reach, end__gt=start - reach
        ).values_list("start", "end", "kind")
    ]
    timeline = build_timeline(periods, margin=margin, max_gap=max_gap)
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

"""The two pictures of a signal page, drawn on the server as SVG geometry.

* the **timeline**: the employee's roster lane over the signal window (on duty, on call,
  leave, sick, off duty, unknown — exactly as detection saw it) with every evidence event as
  a mark above it, red when no work reason was found;
* the **volume chart**: accesses per day against the employee's own usual day and the usual
  day of their peer group (same function).

Only numbers are computed here; the templates write ``<rect>``/``<line>``/``<polyline>``
with presentation attributes, which the Content Security Policy does not govern (no inline
``style``, no script). Each picture comes with a table or list of the same facts, for
screen readers and for print.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from monitoring.periods import AMSTERDAM

# Colours of the roster lane, by duty status (Bootstrap's palette, readable on white).
DUTY_COLOURS = {
    "on_duty": "#198754",
    "on_call": "#20c997",
    "leave": "#6f42c1",
    "sick": "#d63384",
    "off_duty": "#adb5bd",
    "unknown": "#f8f9fa",
}
UNEXPLAINED = "#dc3545"
EXPLAINED = "#0d6efd"
OWN = "#0b5cad"
PEER = "#fd7e14"
MUTED = "#6c757d"


@dataclass(frozen=True)
class LaneSegment:
    x: float
    width: float
    status: str
    colour: str
    title: str


@dataclass(frozen=True)
class EventMark:
    x: float
    y: float
    colour: str
    title: str


@dataclass(frozen=True)
class DayTick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    lane_y: int
    lane_height: int
    segments: list[LaneSegment]
    marks: list[EventMark]
    ticks: list[DayTick]


TIMELINE_WIDTH = 960
LEFT = 8
RIGHT = 8


def timeline(
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    segments: Sequence[tuple[datetime.datetime, datetime.datetime, str, str]],
    events: Sequence[tuple[datetime.datetime, bool, str]],
) -> Timeline:
    """Geometry of the roster lane and the evidence marks over [start, end).

    ``segments`` are (from, to, status, label); ``events`` are (moment, explained, title).
    Events at nearly the same moment are stacked so none hides another.
    """
    span = max((end - start).total_seconds(), 1.0)
    usable = TIMELINE_WIDTH - LEFT - RIGHT

    def x_of(moment: datetime.datetime) -> float:
        return round(LEFT + usable * (moment - start).total_seconds() / span, 1)

    lane_y, lane_height = 70, 26
    lane = [
        LaneSegment(
            x=x_of(seg_start),
            width=max(round(x_of(seg_end) - x_of(seg_start), 1), 0.5),
            status=status,
            colour=DUTY_COLOURS.get(status, "#f8f9fa"),
            title=f"{label}: {seg_start.astimezone(AMSTERDAM):%d-%m %H:%M} – "
            f"{seg_end.astimezone(AMSTERDAM):%d-%m %H:%M}",
        )
        for seg_start, seg_end, status, label in segments
    ]
    marks: list[EventMark] = []
    stacks: dict[int, int] = {}
    for moment, explained, title in sorted(events, key=lambda item: item[0]):
        x = x_of(moment)
        bucket = int(x // 4)
        level = stacks.get(bucket, 0)
        stacks[bucket] = level + 1
        marks.append(
            EventMark(
                x=x,
                y=lane_y - 8 - min(level, 6) * 8,
                colour=EXPLAINED if explained else UNEXPLAINED,
                title=title,
            )
        )
    ticks = []
    day = start.astimezone(AMSTERDAM).date()
    last = end.astimezone(AMSTERDAM).date()
    while day <= last:
        moment = datetime.datetime.combine(day, datetime.time(), tzinfo=AMSTERDAM)
        if start <= moment <= end:
            ticks.append(DayTick(x=x_of(moment), label=f"{day:%d-%m}"))
        day += datetime.timedelta(days=1)
    return Timeline(
        width=TIMELINE_WIDTH,
        height=lane_y + lane_height + 24,
        lane_y=lane_y,
        lane_height=lane_height,
        segments=lane,
        marks=marks,
        ticks=ticks,
    )


@dataclass(frozen=True)
class VolumeBar:
    x: float
    y: float
    width: float
    height: float
    in_window: bool
    title: str


@dataclass(frozen=True)
class VolumeChart:
    width: int
    height: int
    baseline_y: int
    bars: list[VolumeBar]
    own_y: float | None
    own_median: float | None
    peer_points: str
    peer_median: float | None
    window_x: float
    window_width: float
    maximum: float
    ticks: list[DayTick]
    rows: list[tuple[datetime.date, int, float | None, bool]]


def volume_chart(
    *,
    days: Sequence[datetime.date],
    counts: dict[datetime.date, int],
    peers: dict[datetime.date, float],
    window: tuple[datetime.date, datetime.date],
) -> VolumeChart:
    """Bars of accesses per day; the own usual day (median of the days before the window,
    zero days included where the employee was active at all) as a line; the peer group's
    median day as a polyline."""
    width, height, top, bottom = 960, 220, 16, 186
    usable = width - LEFT - RIGHT
    step = usable / max(len(days), 1)
    before = [counts.get(day, 0) for day in days if day < window[0]]
    own_median = statistics.median(before) if any(before) else None
    peer_values = [value for value in peers.values() if value is not None]
    peer_median = statistics.median(peer_values) if peer_values else None
    maximum = max([*counts.values(), *(peer_values or [0]), own_median or 0, 1])
    scale = (bottom - top) / maximum

    def y_of(value: float) -> float:
        return round(bottom - value * scale, 1)

    bars = []
    points = []
    rows = []
    ticks = []
    window_x = window_end_x = None
    for index, day in enumerate(days):
        x = LEFT + index * step
        value = counts.get(day, 0)
        in_window = window[0] <= day <= window[1]
        if in_window and window_x is None:
            window_x = x
        if in_window:
            window_end_x = x + step
        bars.append(
            VolumeBar(
                x=round(x + step * 0.15, 1),
                y=y_of(value),
                width=round(step * 0.7, 1),
                height=round(value * scale, 1),
                in_window=in_window,
                title=f"{day:%d-%m}: {value}",
            )
        )
        peer = peers.get(day)
        if peer is not None:
            points.append(f"{round(x + step / 2, 1)},{y_of(peer)}")
        rows.append((day, value, peer, in_window))
        if day.weekday() == 0:
            ticks.append(DayTick(x=round(x, 1), label=f"{day:%d-%m}"))
    return VolumeChart(
        width=width,
        height=height,
        baseline_y=bottom,
        bars=bars,
        own_y=y_of(own_median) if own_median is not None else None,
        own_median=own_median,
        peer_points=" ".join(points),
        peer_median=peer_median,
        window_x=round(window_x or LEFT, 1),
        window_width=round((window_end_x or LEFT) - (window_x or LEFT), 1),
        maximum=maximum,
        ticks=ticks,
        rows=rows,
    )

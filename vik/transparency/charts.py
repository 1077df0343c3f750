"""Bar charts drawn on the server as SVG: no JavaScript library, nothing inline to allow.

The geometry is computed here; ``transparency/partials/chart.html`` writes the SVG with
presentation attributes only (``fill``, ``x``, ``font-size``), which the Content Security
Policy does not govern, so the charts need neither ``style`` attributes nor a nonce. The
same markup renders in WeasyPrint for the PDF report.

A chart only ever receives printed figures (:class:`vik.transparency.figures.Figure`): a
suppressed figure has no value, so it gets no bar — only its printed text ("×", "–") at
the baseline. Every chart is accompanied by a table with the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from vik.transparency.figures import Figure

BAR = "#0b5cad"
MUTED = "#6c757d"
TEXT = "#212529"
GRID = "#dee2e6"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    text: str
    text_x: float
    text_y: float
    label_x: float
    label_y: float
    suppressed: bool


@dataclass(frozen=True)
class Tick:
    value: str
    x1: float
    y1: float
    x2: float
    y2: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Chart:
    """One chart: its size, bars, gridlines and the texts for assistive technology."""

    ident: str  # unique on the page: the SVG's title and description are referenced by it
    title: str
    description: str
    width: int
    height: int
    horizontal: bool
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    colour: str = BAR
    muted: str = MUTED
    text_colour: str = TEXT
    grid_colour: str = GRID


def nice_maximum(value: int) -> int:
    """The scale's top: 1, 2 or 5 times a power of ten, at least ``value`` (and at least 5)."""
    value = max(value, 5)
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _ticks(top: int) -> list[int]:
    """Gridlines at round numbers: quarters of a 2×10ⁿ scale, fifths of 1×10ⁿ and 5×10ⁿ."""
    parts = 4 if str(top).startswith("2") else 5
    return [top * i // parts for i in range(parts + 1)]


def column_chart(
    items: Sequence[tuple[str, Figure]],
    *,
    ident: str,
    title: str,
    description: str = "",
    width: int = 640,
) -> Chart:
    """Vertical bars, one per item (e.g. quarters), labels below."""
    height, left, bottom, top_margin = 220, 44, 36, 16
    plot_h = height - bottom - top_margin
    plot_w = width - left - 8
    top = nice_maximum(max((f.value or 0 for _l, f in items), default=0))
    slot = plot_w / max(len(items), 1)
    bar_w = min(48.0, slot * 0.6)
    bars = []
    for index, (label, figure) in enumerate(items):
        x = left + slot * index + (slot - bar_w) / 2
        # A suppressed figure has no bar; a thin marker on the baseline carries its text.
        h = 3.0 if figure.value is None else plot_h * figure.value / top
        y = top_margin + plot_h - h
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(y, 1),
                width=round(bar_w, 1),
                height=round(h, 1),
                label=label,
                text=figure.text,
                text_x=round(x + bar_w / 2, 1),
                text_y=round(y - 4, 1),
                label_x=round(x + bar_w / 2, 1),
                label_y=height - bottom + 16,
                suppressed=figure.suppressed,
            )
        )
    ticks = [
        Tick(
            value=str(value),
            x1=left,
            x2=width - 8,
            y1=round(top_margin + plot_h - plot_h * value / top, 1),
            y2=round(top_margin + plot_h - plot_h * value / top, 1),
            text_x=left - 6,
            text_y=round(top_margin + plot_h - plot_h * value / top + 4, 1),
        )
        for value in _ticks(top)
    ]
    return Chart(
        ident,
        title,
        description,
        width,
        height,
        horizontal=False,
        bars=tuple(bars),
        ticks=tuple(ticks),
    )


def bar_chart(
    items: Sequence[tuple[str, Figure]],
    *,
    ident: str,
    title: str,
    description: str = "",
    width: int = 560,
) -> Chart:
    """Horizontal bars, one per item (e.g. categories or units), labels on the left."""
    row_h, top_margin, label_w, right = 22, 8, 214, 44
    height = top_margin * 2 + row_h * max(len(items), 1) + 18
    plot_w = width - label_w - right
    top = nice_maximum(max((f.value or 0 for _l, f in items), default=0))
    bars = []
    for index, (label, figure) in enumerate(items):
        y = top_margin + row_h * index + 4
        w = 4.0 if figure.value is None else plot_w * figure.value / top
        bars.append(
            Bar(
                x=label_w,
                y=y,
                width=round(w, 1),
                height=row_h - 8,
                label=label
                if len(label) <= 32
                else f"{label[:31]}…",  # the full text is in the table
                text=figure.text,
                text_x=round(label_w + w + 4, 1),
                text_y=y + row_h - 11,
                label_x=label_w - 6,
                label_y=y + row_h - 11,
                suppressed=figure.suppressed,
            )
        )
    base = top_margin + row_h * max(len(items), 1) + 4
    ticks = [
        Tick(
            value=str(value),
            x1=round(label_w + plot_w * value / top, 1),
            x2=round(label_w + plot_w * value / top, 1),
            y1=top_margin,
            y2=base,
            text_x=round(label_w + plot_w * value / top, 1),
            text_y=base + 12,
        )
        for value in _ticks(top)
    ]
    return Chart(
        ident,
        title,
        description,
        width,
        height,
        horizontal=True,
        bars=tuple(bars),
        ticks=tuple(ticks),
    )

"""Small SVG charts drawn on the server: lines over years, bands, reference lines.

Hand-written SVG keeps a page light (a few kilobytes, no script, no font files) and sharp on any
screen. Each chart carries a title and description for screen readers; the page shows the same
numbers in a table beside it.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

Point = tuple[float, float]


@dataclass(frozen=True)
class Line:
    name: str
    points: Sequence[Point]
    colour: str
    dash: str = ""
    width: float = 2.0
    markers: bool = True


@dataclass(frozen=True)
class Band:
    name: str
    lower: Sequence[Point]
    upper: Sequence[Point]
    colour: str


@dataclass(frozen=True)
class Rule:
    """A horizontal reference line, such as a density threshold."""

    name: str
    y: float
    colour: str
    dash: str = "6 4"


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    x_label: str
    y_label: str
    lines: Sequence[Line] = ()
    bands: Sequence[Band] = ()
    rules: Sequence[Rule] = ()
    width: int = 640
    height: int = 340
    y_from_zero: bool = True
    legend: list[tuple[str, str, str]] = field(default_factory=list)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (steps of 1, 2 or 5 times a power of ten)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    v = start
    while v <= high + step * 1e-9:
        ticks.append(round(v, 10))
        v += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _fmt(v: float) -> str:
    return f"{v:g}" if abs(v) < 1e6 else f"{v:.3g}"


def render(chart: Chart) -> Markup:
    xs = [x for line in chart.lines for x, _ in line.points]
    xs += [x for band in chart.bands for x, _ in band.lower]
    ys = [y for line in chart.lines for _, y in line.points]
    ys += [y for band in chart.bands for _, y in (*band.lower, *band.upper)]
    ys += [r.y for r in chart.rules]
    if not xs:
        return Markup("")
    x0, x1 = min(xs), max(xs)
    if x0 == x1:
        x0, x1 = x0 - 1, x1 + 1
    y0 = 0.0 if chart.y_from_zero else min(ys)
    yticks = nice_ticks(y0, max(ys) if ys else 1.0)
    y0, y1 = yticks[0], yticks[-1]
    xticks = [v for v in nice_ticks(x0, x1, 6) if x0 <= v <= x1]
    left, right, top, bottom = 56, 16, 16, 44
    w, h = chart.width - left - right, chart.height - top - bottom

    def px(x: float) -> float:
        return round(left + (x - x0) / (x1 - x0) * w, 1)

    def py(y: float) -> float:
        return round(top + (1 - (y - y0) / (y1 - y0)) * h, 1)

    uid = zlib.crc32(f"{chart.title}|{chart.description}".encode())
    out = [f'<svg class="chart" viewBox="0 0 {chart.width} {chart.height}" role="img" '
           f'aria-labelledby="t{uid} d{uid}"><title id="t{uid}">{escape(chart.title)}</title>'
           f'<desc id="d{uid}">{escape(chart.description)}</desc>']
    for v in yticks:
        out.append(f'<line x1="{left}" x2="{left + w}" y1="{py(v)}" y2="{py(v)}" '
                   f'class="grid"/><text x="{left - 6}" y="{py(v) + 4}" '
                   f'text-anchor="end">{_fmt(v)}</text>')
    for v in xticks:
        out.append(f'<text x="{px(v)}" y="{top + h + 18}" text-anchor="middle">{_fmt(v)}</text>')
    out.append(f'<text x="{left + w / 2}" y="{chart.height - 6}" text-anchor="middle">'
               f'{escape(chart.x_label)}</text>')
    out.append(f'<text transform="translate(14 {top + h / 2}) rotate(-90)" '
               f'text-anchor="middle">{escape(chart.y_label)}</text>')
    for band in chart.bands:
        pts = [f"{px(x)},{py(y)}" for x, y in band.upper]
        pts += [f"{px(x)},{py(y)}" for x, y in reversed(band.lower)]
        out.append(f'<polygon points="{" ".join(pts)}" fill="{band.colour}">'
                   f'<title>{escape(band.name)}</title></polygon>')
    for rule in chart.rules:
        out.append(f'<line x1="{left}" x2="{left + w}" y1="{py(rule.y)}" y2="{py(rule.y)}" '
                   f'stroke="{rule.colour}" stroke-width="1.5" stroke-dasharray="{rule.dash}">'
                   f'<title>{escape(rule.name)}</title></line>')
        out.append(f'<text x="{left + w - 4}" y="{py(rule.y) - 4}" text-anchor="end" '
                   f'class="rule-label">{escape(rule.name)}</text>')
    for line in chart.lines:
        if not line.points:
            continue
        d = " ".join(f"{px(x)},{py(y)}" for x, y in line.points)
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        out.append(f'<polyline points="{d}" fill="none" stroke="{line.colour}" '
                   f'stroke-width="{line.width}"{dash}/>')
        if line.markers:
            for x, y in line.points:
                out.append(f'<circle cx="{px(x)}" cy="{py(y)}" r="3" fill="{line.colour}">'
                           f'<title>{escape(line.name)}: {_fmt(x)}, {y:.2f}</title></circle>')
    out.append(f'<rect x="{left}" y="{top}" width="{w}" height="{h}" fill="none" '
               f'class="frame"/></svg>')
    return Markup("".join(out))


def legend(chart: Chart) -> list[tuple[str, str, str]]:
    """``(name, colour, style)`` for an HTML legend under the chart."""
    items = [(b.name, b.colour, "band") for b in chart.bands]
    items += [(ln.name, ln.colour, "dash" if ln.dash else "line") for ln in chart.lines]
    items += [(r.name, r.colour, "dash") for r in chart.rules]
    return items

"""Figures as files and as text: SVG for pages and PDFs, PNG for anything else.

The analysis modules build :class:`matplotlib.figure.Figure` objects and never save them; this
module is the edge that does, with a tight bounding box so labels drawn outside the axes (such
as the at-risk table's row names) are kept. Output is deterministic (no date in the metadata,
hash salt from the figure's name), so the same data give byte-identical files.

Inline SVG: several figures in one HTML page must not share element ids (matplotlib names every
figure's parts ``figure_1``, ``axes_1`` ...), so :func:`inline_svg` prefixes every id and every
reference to it with the figure's name, and drops the XML prolog an HTML document cannot hold.

Also here, two small figures the renderers need and no analysis module draws: the terms of a
QCA solution (:func:`qca_terms`) and the lifetimes of a few cases (:func:`case_timeline`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.figure import Figure

from hrhlessons.cases.coverage import outcome_group
from hrhlessons.cases.model import Case

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_DPI = 150

_PROLOG = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')
_SIZE = re.compile(r'<svg([^>]*?)\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"')


@dataclass(frozen=True)
class FigureFiles:
    """Where one figure was written."""

    name: str
    svg: Path
    png: Path


def svg_text(fig: Figure, *, name: str = "figure", text_as_paths: bool = True) -> str:
    """The figure as a standalone SVG document.

    ``text_as_paths`` draws letters as outlines, so the file looks the same everywhere; without
    it text stays text (a third of the size, searchable, and much faster for WeasyPrint to
    draw), set in DejaVu Sans, which the reader's system must have or substitute.
    """
    out = io.StringIO()
    rc: dict[str, Any] = {"svg.hashsalt": name,
                          "svg.fonttype": "path" if text_as_paths else "none"}
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        fig.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight",
                    pad_inches=0.1)
    return out.getvalue()


def png_bytes(fig: Figure, *, dpi: int = PNG_DPI) -> bytes:
    """The figure as PNG bytes."""
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None},
                bbox_inches="tight", pad_inches=0.1)
    return out.getvalue()


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", name)


def inline_svg(svg: str, prefix: str, *, title: str | None = None) -> str:
    """An SVG document made fit to sit inside HTML: no prolog, ids prefixed, scalable.

    The element keeps its size in points as a maximum and shrinks with the page (``width`` 100%
    up to that size, height from the view box).
    """
    body = _PROLOG.sub("", svg, count=1)
    pre = _safe(prefix)
    ids = set(_ID.findall(body))
    if ids:
        pattern = re.compile(r'(\bid="|url\(#|href="#)(' + "|".join(
            re.escape(i) for i in sorted(ids, key=len, reverse=True)) + r')(?=["\)])')
        body = pattern.sub(lambda m: f"{m.group(1)}{pre}-{m.group(2)}", body)
    size = _SIZE.search(body)
    if size:
        attrs, width, _height = size.groups()
        body = body.replace(
            size.group(0),
            f'<svg{attrs} class="figure" role="img" style="width:100%;max-width:{width}pt;'
            f'height:auto"', 1)
    if title:
        body = re.sub(r"(<svg[^>]*>)", lambda m: f"{m.group(1)}<title>{_escape(title)}</title>",
                      body, count=1)
    return body


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_figure(fig: Figure, folder: Path, name: str, *, dpi: int = PNG_DPI) -> FigureFiles:
    """Write ``folder/name.svg`` and ``folder/name.png``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    svg_path, png_path = folder / f"{name}.svg", folder / f"{name}.png"
    svg_path.write_text(svg_text(fig, name=name), encoding="utf-8")
    png_path.write_bytes(png_bytes(fig, dpi=dpi))
    return FigureFiles(name, svg_path, png_path)


# ----------------------------------------------------------------------------- small figures


def qca_terms(result: Any, *, title: str | None = None) -> Figure:
    """Consistency and raw coverage of each term of a QCA solution, with its case count.

    Uses the first intermediate model when there is one, else the first parsimonious model.
    Raises ``ValueError`` when the result has no model.
    """
    if result.intermediate and result.intermediate[0].models:
        model, kind = result.intermediate[0].models[0], "intermediate"
    elif result.parsimonious.models:
        model, kind = result.parsimonious.models[0], "parsimonious"
    else:
        raise ValueError("the QCA result has no model to draw: no configuration goes with the "
                         "outcome")
    terms = list(model.terms)
    fig = Figure(figsize=(8, 1.6 + 0.7 * len(terms)), layout="constrained")
    ax = fig.add_subplot()
    rows = list(range(len(terms)))[::-1]
    ax.barh([r + 0.18 for r in rows], [t.consistency for t in terms], height=0.34,
            color="#2166ac", label="consistency")
    ax.barh([r - 0.18 for r in rows], [t.coverage for t in terms], height=0.34,
            color="#92c5de", label="raw coverage")
    for r, t in zip(rows, terms, strict=True):
        ax.text(min(t.consistency, 1.0) + 0.01, r + 0.18, f"{len(t.cases)} cases", va="center",
                fontsize=7)
    ax.set_yticks(rows, [t.expression.replace("*", " * ") for t in terms], fontsize=8)
    ax.set_xlim(0, 1.15)
    ax.set_xlabel("share")
    outcome = result.truth_table.outcome_label
    ax.set_title(title or f"Configurations going with '{outcome}' ({kind} solution)",
                 fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    return fig


OUTCOME_COLOURS: dict[str, str] = {
    "running": "#2166ac", "ended": "#b2182b", "never implemented": "#999999",
    "running, contracted": "#f4a582", "running, replaced": "#f4a582",
    "contracted, status unknown": "#f4a582", "replaced, status unknown": "#f4a582",
    "status unknown": "#bdbdbd",
}


def case_timeline(cases: Sequence[Case], *, title: str = "Recorded innovations",
                  label_width: int = 48) -> Figure:
    """One bar per case from its start year to its end (or last recorded) year, coloured by
    what became of it; cases without a start year are listed with a marker at their status
    year. Raises ``ValueError`` when ``cases`` is empty."""
    if not cases:
        raise ValueError("no cases to draw: pass at least one case")
    items = sorted(cases, key=lambda c: (c.start_year is None, c.start_year or 0, c.id))
    fig = Figure(figsize=(8, 1.2 + 0.36 * len(items)), layout="constrained")
    ax = fig.add_subplot()
    seen: dict[str, None] = {}
    for row, case in enumerate(reversed(items)):
        group = outcome_group(case)
        colour = OUTCOME_COLOURS[group]
        stop = case.end_year if case.end_year is not None else case.status_year
        label = group if group not in seen else None
        seen.setdefault(group, None)
        if case.start_year is not None and stop is not None:
            ax.barh(row, max(stop - case.start_year, 0.5), left=case.start_year, height=0.55,
                    color=colour, label=label)
        elif stop is not None:
            ax.plot([stop], [row], marker="o", color=colour, label=label)
    names = [_short(c.name, label_width) for c in reversed(items)]
    ax.set_yticks(range(len(items)), names, fontsize=7)
    ax.set_xlabel("year (bar: start to end, or to the year last recorded)")
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.legend(loc="outside lower center", ncols=4, fontsize=7, frameon=False)
    return fig


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def close_all(figures: Iterable[Figure]) -> None:
    """Drop the figures' drawing state (they hold no pyplot reference, so this frees memory)."""
    for fig in figures:
        fig.clear()

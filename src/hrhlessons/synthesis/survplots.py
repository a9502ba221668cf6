"""Survival-curve figures: step curves with their intervals and a table of cases at risk.

Builds a matplotlib :class:`~matplotlib.figure.Figure` without pyplot, so nothing global is
touched and nothing is shown or saved: the caller renders it (PNG, SVG, PDF) at the edge.
"At risk" counts the cases known to be still running at a time (see
:meth:`hrhlessons.synthesis.survival.SurvivalCurve.at_risk`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from hrhlessons.synthesis.survival import SurvivalCurve


def risk_times(curves: Sequence[SurvivalCurve], step: float = 5.0) -> tuple[float, ...]:
    """Ticks every ``step`` years from 0 up to the longest follow-up of the curves."""
    longest = max((max(c.times) for c in curves if c.times), default=0.0)
    return tuple(float(t) for t in np.arange(0.0, longest + step / 2, step))


def plot_curves(curves: Sequence[SurvivalCurve], *, title: str | None = None,
                risk_at: Sequence[float] | None = None, show_ci: bool = True,
                width: float = 8.0) -> Figure:
    """Kaplan–Meier / Turnbull curves of ``curves`` on one axis, with at-risk counts below.

    Raises ``ValueError`` when ``curves`` is empty.
    """
    if not curves:
        raise ValueError("no curves to plot: pass at least one SurvivalCurve (for example "
                         "report.overall)")
    ticks = tuple(risk_at) if risk_at is not None else risk_times(curves)
    rows = len(curves)
    fig = Figure(figsize=(width, 4.5 + 0.3 * rows))
    grid = fig.add_gridspec(2, 1, height_ratios=[4.0, 0.45 + 0.3 * rows], hspace=0.35)
    ax = fig.add_subplot(grid[0])
    table = fig.add_subplot(grid[1], sharex=ax)
    for curve in curves:
        (line,) = ax.step(curve.times, curve.survival, where="post",
                          label=f"{curve.label} (n={curve.n})")
        if show_ci and not all(math.isnan(v) for v in curve.lower):
            ax.fill_between(curve.times, curve.lower, curve.upper, step="post",
                            alpha=0.15, color=line.get_color(), linewidth=0)
    ax.set_ylim(0.0, 1.02)
    ax.set_ylabel("Share of programmes still running")
    ax.set_xlabel("Years since start")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize="small", frameon=False)
    if title:
        ax.set_title(title)
    table.set_axis_off()
    table.set_title("At risk (known to be running)", fontsize="small", loc="left")
    for row, curve in enumerate(curves):
        y = rows - row - 0.5
        for t, n in zip(ticks, curve.at_risk(ticks), strict=True):
            table.text(t, y, str(n), ha="center", va="center", fontsize="small")
        table.text(-0.01, y, curve.label, ha="right", va="center", fontsize="small",
                   transform=table.get_yaxis_transform())
    table.set_ylim(0, rows)
    ax.set_xticks(ticks)
    ax.set_xlim(left=0.0)
    return fig

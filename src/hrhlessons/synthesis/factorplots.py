"""Figures of the factor synthesis and the evidence gap map.

Both functions build a fresh :class:`matplotlib.figure.Figure` without pyplot, so no global figure
state is touched and nothing is shown or saved: the caller decides (``fig.savefig``).

factor bars
    Two panels: the top failure factors of programmes that died out and the top success factors
    of survivors. Each factor has two bars, its share in the focal group and in the contrast
    group, labelled with the number of cases behind the focal share.
gap map heat map
    Intervention tags (rows) by WHO building blocks (columns), coloured by the number of cases in
    each cell, with the count written in every non-empty cell; tags with no case are left out
    unless ``all_tags`` is set.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from hrhlessons.synthesis.factors import FactorFinding, FactorSynthesis
from hrhlessons.synthesis.gapmap import GapMap


def _bars(ax: Axes, findings: tuple[FactorFinding, ...], title: str, colour: str) -> None:
    rows = np.arange(len(findings))[::-1]
    focal = [100 * f.share for f in findings]
    contrast = [100 * f.contrast_share for f in findings]
    ax.barh(rows + 0.2, focal, height=0.4, color=colour,
            label=findings[0].group if findings else "")
    ax.barh(rows - 0.2, contrast, height=0.4, color="0.7",
            label=findings[0].contrast_group if findings else "")
    for y, f, x in zip(rows, findings, focal, strict=True):
        ax.text(x + 0.5, y + 0.2, f"{f.n_cases} ({f.confidence.rating.value})",
                va="center", fontsize=7)
    ax.set_yticks(rows, [f.label for f in findings], fontsize=8)
    ax.set_xlabel("Share of cases in the group (%)")
    ax.set_title(title, fontsize=10)
    if findings:
        ax.legend(fontsize=7, loc="lower right")


def factor_bars(synthesis: FactorSynthesis, *, top: int = 10) -> Figure:
    """Bars of the top ``top`` factors of both ranked lists."""
    die, live = synthesis.why_die_out[:top], synthesis.survivors_share[:top]
    height = 1.5 + 0.32 * max(len(die), len(live), 1)
    fig = Figure(figsize=(11, height), layout="constrained")
    left, right = fig.subplots(1, 2)
    _bars(left, die, "Why innovations die out (failure factors)", "#b2182b")
    _bars(right, live, "What the survivors share (success factors)", "#2166ac")
    return fig


def gap_map_heatmap(gap: GapMap, *, all_tags: bool = False,
                    title: str = "Evidence gap map: cases per cell") -> Figure:
    """A heat map of the number of cases per (intervention, building block) cell."""
    grid = gap.matrix("n_cases")
    if not all_tags:
        grid = grid.loc[grid.sum(axis=1) > 0]
    values = grid.to_numpy(dtype=float)
    fig = Figure(figsize=(2 + 1.1 * grid.shape[1], 1.5 + 0.3 * max(grid.shape[0], 1)),
                 layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    top = values.max() if values.size else 0
    for (i, j), v in np.ndenumerate(values):
        if v > 0:
            ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=7,
                    color="white" if v > top / 2 else "black")
    ax.set_xticks(range(grid.shape[1]), [c.replace("_", " ") for c in grid.columns],
                  rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(grid.shape[0]), [r.replace("_", " ") for r in grid.index], fontsize=8)
    ax.set_title(title, fontsize=10)
    fig.colorbar(image, ax=ax, label="cases")
    return fig

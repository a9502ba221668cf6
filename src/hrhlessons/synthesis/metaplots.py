"""Forest and funnel plots of a :class:`~hrhlessons.synthesis.meta.MetaResult`.

Both functions build a fresh :class:`matplotlib.figure.Figure` without pyplot, so no global
figure state is touched and nothing is shown or saved: the caller decides (``fig.savefig``).
Only this module imports matplotlib; :mod:`.meta` does not need it.

forest plot
    One row per study: its effect size with a confidence interval, the square's area in
    proportion to the study's weight; the pooled estimate as a diamond spanning its confidence
    interval and, for random-effects models, the prediction interval as a line through it.
funnel plot
    Effect size against standard error (axis reversed, precise studies at the top), with the
    pooled estimate and the pseudo-confidence region estimate +/- z * se in which about 95% of
    the studies would fall without heterogeneity or small-study effects.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from scipy import stats

from hrhlessons.synthesis.meta import METHOD_NAMES, MetaResult

Transform = Callable[[np.ndarray], np.ndarray]


def forest_plot(
    result: MetaResult,
    *,
    xlabel: str = "Effect size",
    title: str | None = None,
    transform: Transform | None = None,
    null_value: float | None = 0.0,
) -> Figure:
    """A forest plot of the studies and the pooled estimate.

    ``transform`` maps values on the analysis scale to the plotted scale (``np.exp`` to show
    risk or odds ratios from their logs); ``null_value`` is on the analysis scale.
    """
    tf: Transform = transform if transform is not None else (lambda x: x)
    frame = result.to_frame()
    k = result.k
    fig = Figure(figsize=(7.5, 1.2 + 0.32 * (k + 3)))
    ax = fig.add_subplot()
    rows = np.arange(k, 0, -1) + 1.0  # studies from the top; row 0 holds the pooled estimate
    lo, hi = tf(frame["ci_low"].to_numpy()), tf(frame["ci_high"].to_numpy())
    ax.hlines(rows, lo, hi, color="black", linewidth=1)
    sizes = 20 + 180 * frame["weight"].to_numpy() / max(frame["weight"].max(), 1e-12)
    ax.scatter(tf(frame["yi"].to_numpy()), rows, s=sizes, marker="s", color="0.25", zorder=3)

    est, cl, ch = (float(tf(np.array([x]))[0])
                   for x in (result.estimate, result.ci_low, result.ci_high))
    ax.add_patch(Polygon([(cl, 0), (est, 0.35), (ch, 0), (est, -0.35)], closed=True,
                         color="black", zorder=3))
    if result.method != "FE":
        pl, ph = tf(np.array([result.pi_low, result.pi_high]))
        ax.hlines(-0.6, pl, ph, color="black", linewidth=1, linestyle="--")
    if null_value is not None:
        ax.axvline(float(tf(np.array([null_value]))[0]), color="0.6", linewidth=0.8, zorder=0)

    label = "Pooled" + (" (HK)" if result.knha else "") + f", {METHOD_NAMES[result.method]}"
    ax.set_yticks([*rows.tolist(), 0.0], [*result.labels, label])
    ax.set_ylim(-1.2, k + 2)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def funnel_plot(
    result: MetaResult,
    *,
    xlabel: str = "Effect size",
    title: str | None = None,
) -> Figure:
    """A funnel plot: effect sizes against their standard errors, with the pseudo-CI region."""
    y = np.asarray(result.yi)
    se = np.sqrt(np.asarray(result.vi))
    z = float(stats.norm.ppf(0.5 + result.level / 2))
    top = float(se.max()) * 1.05
    fig = Figure(figsize=(6, 5))
    ax = fig.add_subplot()
    grid = np.array([0.0, top])
    est = result.estimate
    ax.fill_betweenx(grid, est - z * grid, est + z * grid, color="0.92", zorder=0)
    ax.plot(est - z * grid, grid, color="0.5", linewidth=0.8, linestyle="--")
    ax.plot(est + z * grid, grid, color="0.5", linewidth=0.8, linestyle="--")
    ax.axvline(est, color="black", linewidth=1)
    ax.scatter(y, se, color="black", s=18, zorder=3)
    ax.set_ylim(top, 0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Standard error")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig

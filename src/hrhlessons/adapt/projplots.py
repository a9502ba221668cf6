"""Figures of workforce projections: the fan chart of density under uncertainty.

Figures are built on :class:`matplotlib.figure.Figure` directly (no pyplot state), so they are
safe to make in a web worker or a test; the caller saves or shows them.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from hrhlessons.adapt.projection import PER, MonteCarloProjection, Projection

BAND_95 = "#c6dbef"
BAND_80 = "#6baed6"
MEDIAN = "#08519c"


def fan_chart(
    mc: MonteCarloProjection,
    deterministic: Projection | None = None,
    title: str | None = None,
) -> Figure:
    """Density per 10,000 by year: median, 80% and 95% bands over the draws, the deterministic
    path and, when the parameters give them, the target density and the needs-based requirement.
    """
    fig = Figure(figsize=(7.5, 4.5), layout="constrained")
    ax = fig.add_subplot()
    years = list(mc.years)
    ax.fill_between(years, mc.density(2.5), mc.density(97.5), color=BAND_95,
                    label="95% of draws", linewidth=0)
    ax.fill_between(years, mc.density(10.0), mc.density(90.0), color=BAND_80,
                    label="80% of draws", linewidth=0)
    ax.plot(years, mc.median, color=MEDIAN, linewidth=2, label="median")
    if deterministic is not None:
        ax.plot(list(deterministic.years), deterministic.density, color="black",
                linestyle="--", linewidth=1, label="point estimate")
        if deterministic.need is not None:
            need_density = [n / pop * PER for n, pop in
                            zip(deterministic.need, deterministic.population, strict=True)]
            ax.plot(list(deterministic.years), need_density, color="#a50f15", linewidth=1.5,
                    label="need (service norm)")
    target = mc.parameters.target_density
    if target is not None:
        ax.axhline(target, color="#636363", linestyle=":", linewidth=1.2,
                   label=f"target {target:g}")
    ax.set_xlabel("year")
    ax.set_ylabel("workers per 10,000 population")
    cadre = mc.parameters.cadre.replace("_", " and ")
    ax.set_title(title or f"{cadre}: projected density, {mc.draws:,} draws (seed {mc.seed})")
    ax.set_ylim(bottom=0)
    ax.legend(loc="best", fontsize="small", frameon=False)
    return fig

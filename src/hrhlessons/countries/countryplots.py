"""Figures of a country profile: the density trend against the thresholds.

Built on :class:`matplotlib.figure.Figure` directly (no pyplot state); the caller saves it
(``fig.savefig(buffer, format="svg")``) or shows it.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

from hrhlessons.countries.lessons import CountryProfile
from hrhlessons.countries.vocab import SDG_THRESHOLD, WHR2006_THRESHOLD

COLOURS = {
    "doctors": "#08519c",
    "nurses_midwives": "#6baed6",
    "doctors_nurses_midwives": "#000000",
    "chw": "#31a354",
}


def density_trend(profile: CountryProfile) -> Figure:
    """Densities per 10,000 by year (doctors, nurses and midwives, their sum, CHWs) with the
    44.5 and 22.8 per 10,000 thresholds. Series without data are left out and named in the
    caption; nothing is interpolated (markers show the years WHO reports)."""
    fig = Figure(figsize=(7.5, 4.5), layout="constrained")
    ax = fig.add_subplot()
    absent: list[str] = []
    for series in profile.series:
        if not series.points:
            absent.append(series.label.lower())
            continue
        years = [y for y, _ in series.points]
        values = [v for _, v in series.points]
        ax.plot(years, values, marker="o", markersize=3,
                linewidth=2 if series.name == "doctors_nurses_midwives" else 1.2,
                color=COLOURS.get(series.name, "#636363"), label=series.label)
    ax.axhline(SDG_THRESHOLD, color="#a50f15", linestyle="--", linewidth=1,
               label=f"SDG index threshold {SDG_THRESHOLD:g}")
    ax.axhline(WHR2006_THRESHOLD, color="#fb6a4a", linestyle=":", linewidth=1,
               label=f"WHR 2006 threshold {WHR2006_THRESHOLD:g}")
    ax.set_xlabel("year")
    ax.set_ylabel("workers per 10,000 population")
    ax.set_title(f"{profile.name}: health workforce density")
    ax.set_ylim(bottom=0)
    ax.legend(loc="best", fontsize="small", frameon=False)
    caption = "Sources: WHO Global Health Observatory (HWF_0001, HWF_0006, HWF_0024); World Bank."
    if absent:
        caption += " No data: " + ", ".join(absent) + "."
    fig.supxlabel(caption, fontsize="x-small")
    return fig


def to_svg(fig: Figure) -> str:
    """The figure as SVG text (no file written)."""
    out = io.StringIO()
    fig.savefig(out, format="svg")
    return out.getvalue()

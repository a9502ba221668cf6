"""The fan chart draws the bands, the median and the reference lines it is given."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from hrhlessons.adapt.projection import (
    CadreParameters,
    Ranges,
    ServiceNorm,
    monte_carlo,
    project,
)
from hrhlessons.adapt.projplots import fan_chart

P = CadreParameters(
    cadre="chw", stock=9_000.0, population=20_000_000.0, population_growth=0.025,
    intake=2_000.0, duration=0, completion=0.9, attrition=0.1, start=2024, end=2035,
    target_density=10.0, norm=ServiceNorm("population", 1_000.0),
)


def test_fan_chart_draws_bands_median_target_and_need() -> None:
    mc = monte_carlo(P, Ranges(attrition=(0.05, 0.15)), draws=200, seed=1)
    fig = fan_chart(mc, project(P))
    assert isinstance(fig, Figure)
    [ax] = fig.axes
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["median", "point estimate", "need (service norm)", "target 10"]
    median = ax.get_lines()[0]
    assert np.allclose(median.get_ydata(), mc.median)
    need = ax.get_lines()[2]
    assert np.allclose(need.get_ydata(), 10.0)  # one per 1,000 = 10 per 10,000, every year
    assert "chw" in ax.get_title() and "200 draws" in ax.get_title()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    assert buffer.getvalue()[:4] == b"\x89PNG"


def test_fan_chart_without_target_or_deterministic_path() -> None:
    p = CadreParameters(
        cadre="doctors", stock=500.0, population=1_000_000.0, population_growth=0.02,
        intake=50.0, duration=6, completion=0.9, attrition=0.03, start=2024, end=2030,
    )
    fig = fan_chart(monte_carlo(p, Ranges(), draws=10), title="Doctors")
    [ax] = fig.axes
    assert [line.get_label() for line in ax.get_lines()] == ["median"]
    assert ax.get_title() == "Doctors"

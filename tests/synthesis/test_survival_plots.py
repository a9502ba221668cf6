"""Survival figures."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from matplotlib.figure import Figure

from hrhlessons.synthesis.survival import SurvivalOptions, compare_groups, survival_curve
from hrhlessons.synthesis.survplots import plot_curves, risk_times


def frame() -> pd.DataFrame:
    rows = [("event", 2.0), ("event", 6.0), ("censored", 12.0), ("event", 4.0),
            ("censored", 9.0), ("censored", 15.0)]
    return pd.DataFrame({
        "id": [f"c{i}" for i in range(len(rows))],
        "kind": [k for k, _ in rows],
        "lower": [t for _, t in rows],
        "upper": [t if k == "event" else math.inf for k, t in rows],
        "g": ["a", "a", "a", "b", "b", "b"],
    })


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_risk_times_cover_follow_up() -> None:
    assert risk_times([survival_curve(frame())]) == (0.0, 5.0, 10.0, 15.0)


def test_figure_has_one_line_and_a_risk_row_per_curve() -> None:
    comp = compare_groups(frame(), "g", SurvivalOptions(n_bootstrap=0))
    fig = plot_curves(comp.curves, title="By g")
    curve_ax = fig.axes[0]
    assert len(curve_ax.get_lines()) == 2
    assert curve_ax.get_title() == "By g"
    legend = curve_ax.get_legend()
    assert legend is not None
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels == ["g=a (n=3)", "g=b (n=3)"]
    # group a at 0, 5, 10, 15 years: 3, 2, 1, 0 known running
    shown = texts(fig)
    assert shown.count("g=a") == 1 and shown.count("g=b") == 1
    assert shown[:5] == ["3", "2", "1", "0", "g=a"]
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue().startswith(b"\x89PNG")


def test_no_curves_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one"):
        plot_curves([])

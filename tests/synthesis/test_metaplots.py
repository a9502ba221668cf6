"""hrhlessons.synthesis.metaplots: forest and funnel plots as matplotlib Figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from hrhlessons.synthesis.meta import MetaResult, meta_analysis
from hrhlessons.synthesis.metaplots import forest_plot, funnel_plot

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="module")
def bcg() -> MetaResult:
    ref = json.loads((DATA / "metafor_bcg.json").read_text(encoding="utf-8"))
    es = ref["escalc"]["RR"]
    return meta_analysis(es["yi"], es["vi"], method="REML", labels=ref["data"]["author"])


def test_forest_plot_has_a_row_per_study_and_the_pooled_estimate(bcg: MetaResult) -> None:
    fig = forest_plot(bcg, xlabel="Risk ratio", transform=np.exp, title="BCG")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[:-1] == list(bcg.labels)
    assert labels[-1].startswith("Pooled")
    assert ax.get_xlabel() == "Risk ratio"
    pooled = ax.patches[0]
    assert isinstance(pooled, Polygon)  # the pooled estimate's diamond
    diamond = pooled.get_xy()
    assert min(diamond[:, 0]) == pytest.approx(np.exp(bcg.ci_low))
    assert max(diamond[:, 0]) == pytest.approx(np.exp(bcg.ci_high))


def test_forest_plot_saves_as_png(bcg: MetaResult, tmp_path: Path) -> None:
    path = tmp_path / "forest.png"
    forest_plot(bcg).savefig(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_funnel_plot_puts_precise_studies_on_top(bcg: MetaResult) -> None:
    fig = funnel_plot(bcg)
    ax = fig.axes[0]
    bottom, top = ax.get_ylim()
    assert bottom > top == 0  # standard error axis reversed
    points = np.asarray(ax.collections[-1].get_offsets())
    assert len(points) == bcg.k
    assert np.allclose(points[:, 1], np.sqrt(bcg.vi))


def test_meta_does_not_need_matplotlib() -> None:
    code = ("import sys, hrhlessons.synthesis.meta, hrhlessons.synthesis.effects; "
            "sys.exit('matplotlib' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0

"""Each benchmark runs end to end at a small size (a smoke test: the figures are not asserted).

The benchmarks take minutes at their real sizes and are not part of the suite; they load the
same synthetic registry and code paths as users do, so a change elsewhere can break them
unnoticed (the registry benchmark once stopped importing its synthetic records for a whole
session). Here each must finish and print the ratio against its baseline, as its docstring
promises.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

SMALL_RUNS = [
    ("bench_registry.py", ["--import-n", "40", "--search-n", "400"], "speed-up at p50"),
    ("bench_meta.py", ["--k", "40", "--repeats", "1"], "hrhlessons/baseline time"),
    ("bench_adapt.py", ["--cases", "40", "--repeats", "1"], "ratio naive / rank_innovations"),
    ("bench_qca.py", ["--cases", "300", "--conditions", "8"], "naive pure-Python brute force"),
    ("bench_projection.py", ["--countries", "4", "--draws", "20", "--years", "5", "--subset",
                             "1", "--repeat", "1"], "ratio naive / vectorised"),
    ("bench_synthesis.py", ["200"], "naive KM baseline"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("script", "args", "ratio"), SMALL_RUNS)
def test_benchmark_runs_at_a_small_size(script: str, args: list[str], ratio: str,
                                        tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(BENCHMARKS / script), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert ratio in done.stdout

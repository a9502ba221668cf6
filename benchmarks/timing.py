"""Timing helpers shared by the benchmark scripts (run as ``python benchmarks/bench_*.py``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def best_time(fn: Callable[[], T], repeats: int, *, warm_up: bool = True) -> tuple[float, T]:
    """The fastest of ``repeats`` runs of ``fn`` in seconds, and its result.

    The best run, not the mean: the machine may be shared, and noise only adds time. With
    ``warm_up`` one untimed run comes first (caches, imports, JIT-free but lazy libraries).
    """
    out = fn() if warm_up else None
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out  # type: ignore[return-value]


def best_ms(fn: Callable[[], T], repeats: int) -> tuple[float, T]:
    """:func:`best_time` after a warm-up run, in milliseconds."""
    seconds, out = best_time(fn, repeats)
    return 1000 * seconds, out

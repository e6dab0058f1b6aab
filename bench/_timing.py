"""Shared by the benchmark scripts: the median of repeated timings."""
from __future__ import annotations

import statistics
import time


def median_ms(fn, rounds: int) -> float:
    """Median wall time in milliseconds of ``fn(i)`` for i in range(rounds)."""
    times = []
    for i in range(rounds):
        t0 = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3

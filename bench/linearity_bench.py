"""Per-node time of our engine at 1e3 and 1e5 nodes on the three graph shapes of issue 2:
a chain, a wide sum of products, and one variable reused many times (cyclic GC on, the Python
default). Usage: .venv/bin/python bench/linearity_bench.py"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exercises.autodiff import Variable  # noqa: E402


def chain(n: int) -> float:
    y = Variable(np.array(0.5))
    t0 = time.perf_counter()
    for _ in range(n // 2):
        y = y * 0.999 + 0.001
    y.backward()
    return (time.perf_counter() - t0) / n


def wide_sum(n: int) -> float:
    a = [Variable(np.array(i % 7 + 0.5)) for i in range(n // 2)]
    b = [Variable(np.array(i % 5 + 0.25)) for i in range(n // 2)]
    t0 = time.perf_counter()
    s = a[0] * b[0]
    for i in range(1, n // 2):
        s = s + a[i] * b[i]
    s.backward()
    return (time.perf_counter() - t0) / n


def reuse(n: int) -> float:
    x = Variable(np.array(0.5))
    t0 = time.perf_counter()
    terms = [x * (0.001 * i) for i in range(n // 2)]
    while len(terms) > 1:
        terms = [terms[i] + terms[i + 1] if i + 1 < len(terms) else terms[i] for i in range(0, len(terms), 2)]
    terms[0].backward()
    return (time.perf_counter() - t0) / n


def main() -> int:
    print(f"{'graph':10} {'us/node 1e3':>12} {'us/node 1e5':>12} {'ratio':>6}")
    for case in (chain, wide_sum, reuse):
        small = min(case(1_000) for _ in range(20)) * 1e6
        large = min(case(100_000) for _ in range(3)) * 1e6
        print(f"{case.__name__:10} {small:12.2f} {large:12.2f} {large / small:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

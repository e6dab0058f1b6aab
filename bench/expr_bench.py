"""Median time to parse, evaluate and differentiate typical expressions, and to reject hostile ones.

Usage: python bench/expr_bench.py [--rounds N]
Prints microseconds per call. No targets are asserted anywhere: these are figures to watch.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from exercises.autodiff import Variable  # noqa: E402
from exercises.expr import ExprError, Limits, evaluate, parse, render, to_graph, to_latex  # noqa: E402

TYPICAL = [
    "715",
    "2.2",
    "(x+y)^2",
    "2x(x+1)^2",
    "exp(x^2)^2",
    "1/(1+exp(-x))",
    "(apple*apple_num + orange*orange_num)*tax",
    "sigmoid(w*x + b)*(1 - sigmoid(w*x + b))",
    "２ｘ（ｘ＋１）＾２",
]
HOSTILE = {
    "1 MB string": "x" * 1_000_000,
    "9^9^9^9": "9^9^9^9",
    "10000 nested ( )": "(" * 10000 + "x" + ")" * 10000,
    "10000 nested ( ), long input allowed": "(" * 10000 + "x" + ")" * 10000,
    "__import__('os')": "__import__('os')",
}
ENV_NAMES = ("x", "y", "w", "b", "apple", "apple_num", "orange", "orange_num", "tax")


def label(text: str, width: int = 44) -> str:
    """``text`` padded to ``width`` terminal columns (full-width characters take two)."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - shown + 1)


def median_us(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e6


def rejected(text: str, limits: Limits):
    def run():
        try:
            parse(text, limits=limits)
        except ExprError:
            return
        raise AssertionError(f"accepted: {text[:40]!r}")
    return run


def backward(node, value):
    def run():
        env = {name: Variable(np.array(value)) for name in ENV_NAMES}
        to_graph(node, env).backward()
    return run


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=500)
    args = ap.parse_args(argv)
    scalar = {name: 0.5 for name in ENV_NAMES}
    array = {name: np.linspace(0.1, 1.0, 1000) for name in ENV_NAMES}
    print(f"{'expression':44} {'parse':>8} {'render':>8} {'latex':>8} {'eval':>8} "
          f"{'eval1000':>9} {'grad':>8}   (µs, median of {args.rounds})")
    for text in TYPICAL:
        node = parse(text)
        row = [median_us(lambda: parse(text), args.rounds),
               median_us(lambda: render(node), args.rounds),
               median_us(lambda: to_latex(node), args.rounds),
               median_us(lambda: evaluate(node, scalar), args.rounds),
               median_us(lambda: evaluate(node, array), args.rounds),
               median_us(backward(node, 0.5), args.rounds)]
        print(label(text) + " ".join(f"{v:8.1f}" for v in row[:4])
              + f" {row[4]:9.1f} {row[5]:8.1f}")
    print()
    print(f"{'hostile input (rejected)':44} {'µs':>8}")
    for name, text in HOSTILE.items():
        limits = Limits(max_length=100_000) if "allowed" in name else Limits()
        print(label(name) + f"{median_us(rejected(text, limits), min(args.rounds, 50)):8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

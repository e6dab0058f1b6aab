"""Formatting of the autodiff benchmark's tables (times, bytes, sizes, medians)."""
from __future__ import annotations

import math
import statistics
import sys


def fmt_t(s):
    if s is None:
        return "-"
    if s >= 1:
        return f"{s:.2f} s"
    return f"{s * 1e3:.1f} ms" if s >= 1e-3 else f"{s * 1e6:.0f} µs"


def fmt_b(b):
    if b is None:
        return "-"
    for unit, k in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if abs(b) >= k:
            return f"{b / k:.1f} {unit}"
    return f"{b:.0f} B"


def table(title, header, rows, notes=()):
    print(f"\n### {title}")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = " | ".join(str(h).ljust(w) for h, w in zip(header, widths))
    print(line)
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    for n in notes:
        print(f"  {n}")
    sys.stdout.flush()


def med(runs, key):
    return statistics.median(r[key] for r in runs)


def best(runs):
    """Fastest forward+backward of the repeats (least disturbed by other processes)."""
    return min(r["fwd"] + r["bwd"] for r in runs)


def human_n(n):
    e = int(round(math.log10(n))) if n > 0 else 0
    return f"1e{e}" if 10**e == n else str(n)

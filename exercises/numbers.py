"""Small number rules shared by templates and generators."""
from __future__ import annotations

import math

from .errors import Rejected


def finite(value) -> bool:
    """A real number a float can hold: False for inf, nan and integers like 10**400."""
    try:
        return math.isfinite(float(value))
    except (OverflowError, TypeError, ValueError):
        return False


def off_grid(value, k: int = 0):
    """The same numbers moved a little off every grid, each by its own small amount (``k``
    numbers the value; nested lists are numbered inside), so equal values part too: where a
    wrong method agrees with the right one there as well, it agrees by the structure of the
    graph near the draw (ReLU's zero gradient for x < 0 whatever the upstream), not by a
    lucky draw (dout = 1, or x = y for a mul node's swapped inputs)."""
    if isinstance(value, list):
        return [off_grid(v, k * 31 + i + 1) for i, v in enumerate(value)]
    return float(value) * (1.0123457 + 0.0013 * (k % 97)) + 0.0071 * (1 + 0.37 * (k % 89))


def differing(tolerance: float, correct: float, found: dict, drawn: bool = True) -> dict:
    """The mistakes' answers, each checked to be told apart from the right one: outside the
    part's tolerance of it. A mistake that comes that close makes the draw ``Rejected``
    ("indistinct_misconception"): the wrong method would be graded right. Parameters a caller
    chose (``drawn=False``: the seed documents' own examples, an instructor's pinned case) are
    not redrawn; there such a mistake is left out of that part. Mistakes with no finite
    answer here (None, inf, nan) are left out too: no learner types them."""
    out = {}
    for k, v in found.items():
        if v is None or not finite(v):
            continue
        if abs(v - correct) <= tolerance:
            if not drawn:
                continue
            raise Rejected("indistinct_misconception",
                           f"{k} gives {float(v):.6g}, as close to the right {correct:.6g} as the precision allows")
        out[k] = float(v)
    return out

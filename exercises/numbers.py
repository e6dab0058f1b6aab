"""Small number rules shared by templates and generators."""
from __future__ import annotations

import math


def finite(value) -> bool:
    """A real number a float can hold: False for inf, nan and integers like 10**400."""
    try:
        return math.isfinite(float(value))
    except (OverflowError, TypeError, ValueError):
        return False


def differing(tolerance: float, correct: float, found: dict) -> dict:
    """The mistakes whose answer a grader can tell apart from the right one: finite and more
    than twice the part's tolerance away (a closer one would be graded as right)."""
    return {k: float(v) for k, v in found.items()
            if v is not None and finite(v) and abs(v - correct) > 2 * tolerance}

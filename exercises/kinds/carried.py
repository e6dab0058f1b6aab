"""Error carried forward without free credit, shared by the step-by-step kinds (guided, ordered).

A step is right when it matches the true value. When the learner's own upstream value was
wrong, the step also earns credit for being computed correctly *from* it (error carried
forward: forgetting the tax in ∂L/∂apple_price and then multiplying that by the count keeps
the credit of the multiplication), but not for free:
- from a zero upstream (everything downstream of a 0 is 0), or to a step that comes out 0;
- for a constant carried down: the step repeats the wrong upstream and that value is one
  anyone can type without working (0, 1, -1 or a value the statement gives).
So answering 0, 1 or a given number everywhere scores only the steps whose true value it is.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

Tolerance = Callable[[float], float]


def trivial(value: float, givens: Iterable[float], tolerance: Tolerance) -> bool:
    """0, ±1 or a given value, within the part's tolerance of it."""
    return any(abs(value - t) <= tolerance(t) for t in (0.0, 1.0, -1.0, *givens))


def carries(wrong_upstreams: list[float], value: float, expected: float, givens: Iterable[float],
            tolerance: Tolerance) -> bool:
    """Whether ``value``, computed as ``expected`` from these wrong upstream values, earns credit."""
    if not wrong_upstreams or abs(expected) <= tolerance(expected):
        return False
    if any(abs(u) <= tolerance(0.0) or u == 0 for u in wrong_upstreams):
        return False
    repeated = all(abs(value - u) <= tolerance(u) for u in wrong_upstreams)
    return not (repeated and trivial(value, tuple(givens), tolerance))

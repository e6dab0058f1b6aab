"""Replaceable backward rules: the same graph, run with a mutated local rule.

The grader computes the answer a known misconception would give by running ``backward`` with
``rules=BackwardRules(...)``: for example a mul node that does not swap its inputs, or fan-out
gradients that overwrite each other instead of being summed.
"""
from __future__ import annotations

from collections.abc import Callable


class BackwardRules:
    """``overrides`` maps a Function class to ``rule(f, *gys) -> gxs`` used in place of
    ``f.backward``; ``every`` is such a rule for all other functions; ``overwrite_fanout=True``
    keeps only the last gradient a variable receives instead of the sum."""

    def __init__(self, overrides: dict[type, Callable] | None = None, overwrite_fanout: bool = False,
                 every: Callable | None = None):
        self.overrides = dict(overrides or {})
        self.overwrite_fanout = overwrite_fanout
        self.every = every  # a rule for every function not in ``overrides``

    def backward(self, f, gys):
        rule = self.overrides.get(type(f), self.every)
        return f.backward(*gys) if rule is None else rule(f, *gys)

    def accumulate(self, old, new):
        return new if self.overwrite_fanout else old + new

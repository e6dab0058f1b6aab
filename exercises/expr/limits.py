"""Size, depth and magnitude limits, checked before any expensive work."""
from __future__ import annotations

from dataclasses import dataclass

# The parser recurses up to 5 Python frames per level of depth (a call: sin(sin(...))),
# the tree walkers up to 3;
# this cap keeps any allowed depth well inside the default recursion limit of 1000.
MAX_DEPTH_CAP = 100


@dataclass(frozen=True)
class Limits:
    max_length: int = 500        # characters of the raw input, checked first of all
    max_depth: int = 50          # nesting of ( ), signs and exponents, and the tree's height
    max_nodes: int = 500         # nodes in the syntax tree
    max_exponent: float = 100.0  # |value| of an exponent that contains no variable
    max_number: float = 1e15     # a number literal's value

    def __post_init__(self):
        for name in ("max_length", "max_depth", "max_nodes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"Limits.{name} must be a positive int, got {value!r}")
        if self.max_depth > MAX_DEPTH_CAP:
            raise ValueError(f"Limits.max_depth must be <= {MAX_DEPTH_CAP}")
        for name in ("max_exponent", "max_number"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f"Limits.{name} must be a positive number, got {value!r}")

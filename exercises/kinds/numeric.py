"""The shared behaviour of kinds answered with one number under the part's precision."""
from __future__ import annotations

from ..answers import parse_number
from .base import Kind, PartResult


def show(value: float, part) -> str:
    p = part.precision
    if p is not None and p.kind == "decimals":
        return f"{value:.{int(p.value)}f}"
    if p is not None and p.kind == "sig":
        return f"{value:.{int(p.value)}g}"
    return f"{value:.10g}"


class NumericKind(Kind):
    numeric = True
    has_precision = True
    takes_functions = True
    description = {"ja": "数値（例: 2.2、1/3、２＊1.1）", "en": "a number (e.g. 2.2, 1/3, 2*1.1)"}

    def reference_answers(self, part, key) -> dict:
        return {part.id: repr(float(key))}

    def expected(self, part, key) -> str:
        return show(key, part)

    def grade(self, part, raw, key, mistakes: dict) -> PartResult:
        value = parse_number(raw, part.functions)
        if abs(value - key) <= part.precision.tolerance(key):
            return PartResult(part.id, "correct", 1.0, value, show(key, part))
        result = PartResult(part.id, "incorrect", 0.0, value, show(key, part))
        for mid, wrong in mistakes.items():
            if abs(value - wrong) <= part.precision.tolerance(wrong):
                result.misconception = mid
                break
        return result

"""``formula``: a derivative typed as an expression, checked at sampled points of the domain."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..answers import parse_formula
from ..expr import evaluate
from ..texnames import tex_name
from .base import Kind, PartResult


@dataclass(frozen=True)
class FormulaKey:
    text: str
    latex: str
    points: dict  # variable -> ndarray of sample points inside the domain
    values: np.ndarray  # the engine's derivative at those points


class FormulaKind(Kind):
    name = "formula"
    fields = frozenset({"of", "wrt", "variables", "answer"})
    description = {"ja": "式（例: 2*x*exp(x**2)）", "en": "an expression (e.g. 2*x*exp(x**2))"}

    def reference(self, builder, spec) -> tuple:
        return builder.formula_key(spec), {}

    def default_prompt(self, part, params: dict, template) -> dict:
        d = rf"\frac{{d {tex_name(part.of)}}}{{d {tex_name(part.wrt)}}}"
        names = ", ".join(f"${tex_name(v)}$" for v in part.variables)
        return {"ja": f"${d}$ を {names} の式で答えなさい。", "en": f"Give ${d}$ as a formula in {names}."}

    def reference_answers(self, part, key: FormulaKey) -> dict:
        return {part.id: key.text}

    def shown_expected(self, part, key: FormulaKey, result):
        return "math", key.latex

    def expected(self, part, key: FormulaKey) -> str:
        return key.text

    def grade(self, part, raw, key: FormulaKey, mistakes: dict) -> PartResult:
        node = parse_formula(raw, part.variables)
        with np.errstate(all="ignore"):
            got = np.broadcast_to(np.asarray(evaluate(node, key.points), dtype=float), key.values.shape)
        both = np.isfinite(got)
        close = np.isclose(got, key.values, rtol=1e-6, atol=1e-9) & both
        ok = both.sum() >= min(4, len(key.values)) and close.sum() == both.sum() \
            and both.sum() >= 0.75 * len(key.values)
        return PartResult(part.id, "correct" if ok else "incorrect", 1.0 if ok else 0.0, raw, key.text)

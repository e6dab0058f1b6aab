"""Can the parameters satisfy their constraints at all? Checked on a vectorised sample."""
from __future__ import annotations

import numpy as np

from ..expr import evaluate
from .model import Constraint, Template
from .problems import Problems

SAMPLE = 2000


def holds(constraint: Constraint, env: dict) -> np.ndarray:
    with np.errstate(all="ignore"):
        left = np.asarray(evaluate(constraint.left, env), dtype=float)
        right = np.asarray(evaluate(constraint.right, env), dtype=float)
        tol = 1e-9 * np.maximum(1.0, np.maximum(np.abs(left), np.abs(right)))
        return {
            "<": left < right - tol, "<=": left <= right + tol, ">": left > right + tol,
            ">=": left >= right - tol, "==": np.abs(left - right) <= tol, "!=": np.abs(left - right) > tol,
        }[constraint.op]


def sample_params(template: Template, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {p.name: rng.choice(np.asarray(p.grid()), size=n) for p in template.params}


def check_satisfiable(problems: Problems, template: Template) -> None:
    if not template.constraints:
        return
    env = sample_params(template, np.random.default_rng(0), SAMPLE)
    ok = np.ones(SAMPLE, dtype=bool)
    for i, c in enumerate(template.constraints):
        ok &= holds(c, env)
        if not ok.any():
            problems.add(f"constraints[{i}]", "unsatisfiable",
                         f"パラメータの範囲ではこの条件を満たせません（{SAMPLE}通り試しました）: {c.text}",
                         f"no parameter values satisfy the constraints (tried {SAMPLE}): {c.text}")
            return

"""Formula parts: the engine's derivative sampled at seeded points inside the domain."""
from __future__ import annotations

import numpy as np

from .autodiff import Variable
from .errors import Rejected
from .kinds.formula import FormulaKey
from .expr import evaluate, to_graph, to_latex
from .spec.model import PartSpec, Template

SAMPLES = 12
MIN_VALID = 4


def engine_derivative(template: Template, params: dict, part: PartSpec, points: dict) -> np.ndarray:
    env = {k: Variable(np.asarray(points.get(k, v), dtype=np.float64), name=k) for k, v in params.items()}
    with np.errstate(all="ignore"):
        for name, node in template.nodes:
            env[name] = to_graph(node, env)
        out = env[part.of]
        out.backward()
    grad = env[part.wrt].grad
    n = len(next(iter(points.values())))
    return np.broadcast_to(np.zeros(n) if grad is None else grad, (n,)).astype(float)


def sample_points(template: Template, part: PartSpec, rng) -> dict:
    out = {}
    for name in part.variables:
        spec = template.param(name)
        if spec.choices:
            out[name] = rng.choice(np.asarray(spec.choices, dtype=float), size=SAMPLES)
        else:
            out[name] = rng.uniform(spec.low, spec.high, size=SAMPLES)
    return out


def formula_key(template: Template, params: dict, part: PartSpec, rng) -> FormulaKey:
    assert part.answer is not None and part.answer_node is not None  # the formula kind's spec sets them
    points = sample_points(template, part, rng)
    values = engine_derivative(template, params, part, points)
    env = {**params, **points}
    with np.errstate(all="ignore"):
        reference = np.broadcast_to(np.asarray(evaluate(part.answer_node, env), dtype=np.float64), values.shape)
    ok = np.isfinite(values) & np.isfinite(reference)
    if ok.sum() < MIN_VALID:
        raise Rejected("formula_domain", f"{part.id}: too few points where the derivative is defined")
    if not np.allclose(reference[ok], values[ok], rtol=1e-7, atol=1e-9):
        worst = int(np.argmax(np.abs(reference - values) * ok))
        raise Rejected("formula_mismatch", fatal=True, detail=
                       f"{part.id}: the answer formula {part.answer!r} gives {reference[worst]:.6g} "
                       f"but the engine's derivative is {values[worst]:.6g}")
    keep = {k: v[ok] for k, v in points.items()}
    return FormulaKey(part.answer, to_latex(part.answer_node), keep, values[ok])

"""One draw of parameters -> a verified exercise, or ``Rejected`` with the reason."""
from __future__ import annotations

import math

import numpy as np

from .computation import Computation, forward_numpy, numeric_gradient
from .expr import evaluate
from .errors import Rejected
from .exercise import Exercise, GuidedKey, Part
from .formula import formula_key
from .misconceptions import GRAPH
from .graphview import graph_views
from .guided import guided_key
from .kinds import KINDS
from .numbers import differing, off_grid
from .prompts import fill
from .solution import worked_solution
from .source import GRAD_ATOL, GRAD_RTOL
from .spec.model import PartSpec, Template

MAX_MAGNITUDE = 1e9
def _apart(a, b) -> bool:
    if a is None or b is None or not (math.isfinite(a) and math.isfinite(b)):
        return a is not None and b is not None and math.isfinite(a) != math.isfinite(b)
    return abs(a - b) > 1e-9 * max(1.0, abs(a), abs(b))


def build_exercise(template: Template, params: dict, seed: int, rng, drawn: bool = True) -> Exercise:
    base = forward_numpy(template, params)
    for name, value in base.items():
        if not np.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            raise Rejected("domain", f"{name} = {value}")
    comp = Computation(template, params)
    builder = _PartsBuilder(template, params, comp, base, rng, drawn)
    parts, answers, mistakes = [], {}, {}
    for spec in template.parts:
        answers[spec.id], found = builder.answer(spec)
        mistakes[spec.id] = found
        prompt = ({k: fill(v, template, params) for k, v in spec.prompt.items()} if spec.prompt
                  else KINDS[spec.kind].default_prompt(spec, params, template))
        extra = KINDS[spec.kind].part_fields(spec, answers[spec.id])
        parts.append(Part(spec.id, spec.kind, prompt, spec.precision, spec.choices, spec.variables,
                          functions=spec.functions, **extra))
    grads = comp.grads(template.output)  # before the trace: leaves keep their gradients for it
    inputs = set(template.param_names)
    public_graph, full_graph = graph_views(comp.vars[template.output], inputs=inputs,
                                           named=inputs | set(template.node_names), grads=grads)
    return Exercise(
        slug=template.slug, version=template.version, seed=seed, family=template.family,
        topics=template.topics, difficulty=template.difficulty, title=template.title,
        statement={k: fill(v, template, params) for k, v in template.statement.items()},
        params=dict(params), parts=parts, answers=answers, mistakes=mistakes, graph=public_graph,
        solution=worked_solution(template, comp, full_graph, answers),
        hints=template.hints, explanation=template.explanation)


class _PartsBuilder:
    def __init__(self, template, params, comp, base, rng, drawn: bool = True):
        self.template, self.params, self.comp, self.base, self.rng = template, params, comp, base, rng
        self.drawn = drawn  # False for parameters a caller chose: not redrawn (see numbers.differing)
        self._grads: dict = {}
        self._types = comp.function_types()
        self._generic: dict = {}
        self._near: Computation | None = None

    def grads(self, of: str) -> dict:
        if of not in self._grads:
            self._grads[of] = self.comp.grads(of)
        return self._grads[of]

    def answer(self, spec: PartSpec):
        return KINDS[spec.kind].reference(self, spec)

    def formula_key(self, spec: PartSpec):
        return formula_key(self.template, self.params, spec, self.rng)

    def guided_key(self, spec: PartSpec) -> GuidedKey:
        assert spec.of is not None  # the guided kind's spec requires it
        return guided_key(self.template, self.base, self.grads(spec.of), spec.of)

    def gradient_at(self, of: str, wrt: str):
        """w -> d(of)/d(wrt) with the parameter ``wrt`` set to w (the others as drawn), by the
        engine; None where it is not finite (for grading with error carried forward)."""
        template, params = self.template, dict(self.params)

        def grad_at(w: float):
            with np.errstate(all="ignore"):
                g = Computation(template, {**params, wrt: float(w)}).grads(of).get(wrt)
            return float(g) if g is not None and math.isfinite(g) else None
        return grad_at

    def checked_gradient(self, label: str, of: str, wrt: str, precision) -> float:
        """d(of)/d(wrt) by backprop, verified against numerical differentiation."""
        g = self.grads(of)[wrt]
        num = numeric_gradient(self.template, self.params, of, wrt, self.base)
        if not math.isfinite(g) or abs(g - num) > GRAD_RTOL * max(abs(g), abs(num)) + GRAD_ATOL:
            raise Rejected("gradient_check", f"{label}: backprop {g!r} vs numerical {num!r}")
        if abs(g) > MAX_MAGNITUDE:
            raise Rejected("too_large", f"{label}: {g!r}")
        if precision and precision.kind in ("sig", "rel") and abs(g) < 1e-9:
            raise Rejected("gradient_too_small", f"{label}: {g!r} cannot be graded relatively")
        return g

    def graph_mistakes(self, spec: PartSpec, correct: float) -> dict:
        """The answers of the graph misconceptions (mutated backward rules) that bear on this
        part; one that gives the right answer at this draw rejects the draw (``differing``)."""
        found = {}
        for m in GRAPH:
            if m.applies_to(self._types) and self._bears_on(m, str(spec.of), str(spec.wrt)):
                with np.errstate(all="ignore"):
                    found[m.id] = self.comp.grads(spec.of, m.rules)[spec.wrt]
        return self.differing(spec, correct, found)

    def _bears_on(self, m, of: str, wrt: str) -> bool:
        """Whether the mutated rule changes d(of)/d(wrt) near this draw: it does at the
        parameters moved a little off the grid (``off_grid``). A fan-out rule on a graph
        without fan-out never does, nor forgetting the upstream gradient where ReLU's is 0;
        forgetting it where the upstream is drawn as 1 does, and so rejects the draw."""
        key = (m.id, of)
        if key not in self._generic:
            if self._near is None:
                moved = {k: off_grid(v, i) for i, (k, v) in enumerate(sorted(self.params.items()))}
                self._near = Computation(self.template, moved)
            with np.errstate(all="ignore"):
                self._generic[key] = (self._near.grads(of), self._near.grads(of, m.rules))
        right, wrong = self._generic[key]
        return _apart(right.get(wrt), wrong.get(wrt))

    def declared(self, spec: PartSpec, correct: float) -> dict:
        """The template's declared mistakes: a node's value, or a wrong method's expression
        evaluated at the draw; one that gives the right answer rejects the draw."""
        with np.errstate(all="ignore"):
            found = {mid: float(self.base[node]) if isinstance(node, str) else float(evaluate(node, self.base))
                     for mid, node in spec.mistakes}
        return self.differing(spec, correct, found)

    def differing(self, spec: PartSpec, correct: float, found: dict) -> dict:
        tolerance = spec.precision.tolerance(correct) if spec.precision else 1e-9
        return differing(tolerance, correct, found, self.drawn)

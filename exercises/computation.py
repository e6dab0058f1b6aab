"""A template's computation for one set of parameters: in the engine (exact gradients, the
graph trace) and in plain numpy (numerical checks, vectorised formula sampling)."""
from __future__ import annotations

import numpy as np

from .autodiff import BackwardRules, Variable
from .expr import evaluate, free_names, to_graph
from .spec.model import Template


class Computation:
    """The template's nodes built as named Variables. ``grads(of)`` runs backward from ``of``."""

    def __init__(self, template: Template, params: dict[str, float]):
        self.template = template
        self.params = params
        self.vars: dict[str, Variable] = {k: Variable(np.float64(v), name=k) for k, v in params.items()}
        for name, node in template.nodes:
            out = to_graph(node, self.vars)
            if out.creator is None or out.name in self.vars:  # a bare name or number: copy it
                out = out + 0.0
            out.name = name
            self.vars[name] = out
        self._every = _reachable(list(self.vars.values()))

    def value(self, name: str) -> float:
        return float(self.vars[name].data)

    def values(self) -> dict[str, float]:
        return {k: float(v.data) for k, v in self.vars.items()}

    def function_types(self) -> set[type]:
        types, stack, seen = set(), [v.creator for v in self.vars.values() if v.creator], set()
        while stack:
            f = stack.pop()
            if id(f) in seen:
                continue
            seen.add(id(f))
            types.add(type(f))
            stack.extend(x.creator for x in f.inputs if x.creator is not None)
        return types

    def grads(self, of: str, rules: BackwardRules | None = None) -> dict[str, float]:
        """d(of)/d(v) for every named variable v, seeded with the template's upstream gradient."""
        for v in self._every:  # unnamed intermediates too: retain_grad keeps theirs
            v.cleargrad()
        out = self.vars[of]
        upstream = self.template.upstream
        if upstream and of == self.template.output:
            out.grad = np.asarray(self.params[upstream], dtype=np.float64)
        out.backward(retain_grad=True, rules=rules)
        grads = {k: (float(v.grad) if v.grad is not None else 0.0) for k, v in self.vars.items()}
        for v in self._every:
            v.cleargrad()
        return grads


def _reachable(outputs: list) -> list:
    """Every Variable of the graph behind ``outputs``, each once."""
    seen, order, stack = set(), [], list(outputs)
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        order.append(v)
        if v.creator is not None:
            stack.extend(v.creator.inputs)
    return order


def forward_numpy(template: Template, params: dict, override: dict | None = None) -> dict:
    """All node values in numpy, with ``override`` replacing a parameter's or a node's value
    (so a gradient with respect to an intermediate node can be checked numerically)."""
    override = override or {}
    env = {k: override.get(k, v) for k, v in params.items()}
    with np.errstate(all="ignore"):
        for name, node in template.nodes:
            env[name] = override[name] if name in override else evaluate(node, env)
    return env


def numeric_gradient(template: Template, params: dict, of: str, wrt: str, base: dict) -> float:
    """Central difference of ``of`` with respect to ``wrt`` (a parameter or a node), with a
    step scaled to the value so large prices and small rates are treated alike."""
    x = float(base[wrt])
    h = 1e-5 * max(1.0, abs(x))
    up = forward_numpy(template, params, {wrt: x + h})[of]
    down = forward_numpy(template, params, {wrt: x - h})[of]
    scale = float(params[template.upstream]) if template.upstream and of == template.output else 1.0
    return float(scale * (up - down) / (2 * h))


def local_partials(template: Template, values: dict) -> dict[tuple[str, str], float]:
    """d(node)/d(input) of each named node with respect to each name its expression uses,
    holding the others fixed: the local derivatives a learner multiplies in backprop."""
    out = {}
    for name, node in template.nodes:
        env = {k: Variable(np.float64(values[k]), name=k) for k in free_names(node)}
        if not env:
            continue
        y = to_graph(node, env)
        if y.creator is None:  # the node is just another name: d/d(that name) = 1
            out[(name, next(iter(env)))] = 1.0
            continue
        y.backward()
        for k, v in env.items():
            out[(name, k)] = float(v.grad) if v.grad is not None else 0.0
    return out

"""The expression as a computation in the autodiff engine, so gradients are exact.

Leaves become named Variables (``2``, ``pi``, ``x``); every other node's output is named
with the canonical text of its subtree, which is what a graph drawing shows.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..autodiff import Variable
from ..autodiff import functions as F
from .errors import ExprError
from .evaluate import evaluate
from .nodes import Binary, Call, Const, Name, Node, Num, Unary, free_names
from .render import format_number, render


def to_graph(node: Node, env: Mapping[str, object]):
    """Build ``node`` from ``env`` (Variables, or numbers/arrays to wrap) and return the output.

    A Variable passed in is used as-is, so its ``grad`` is filled by ``backward()``; one
    without a name is given its name from ``env``.
    """
    with np.errstate(all="ignore"):  # like evaluate: nan/inf come back, callers check domains
        return _Builder(env, Variable, F).build(node)


class _Builder:
    def __init__(self, env, variable_cls, functions):
        self.env, self.Variable, self.F = env, variable_cls, functions
        self.leaves = {}

    def build(self, node: Node):
        if isinstance(node, (Num, Const)):
            return self.Variable(np.float64(node.value), name=_leaf_name(node))
        if isinstance(node, Name):
            return self.name(node.id)
        if isinstance(node, Unary):
            operand = self.build(node.operand)
            return operand if node.op == "+" else self.named(-operand, node)
        if isinstance(node, Binary):
            return self.named(self.binary(node), node)
        if isinstance(node, Call):
            return self.named(self.call(node.func, self.build(node.arg)), node)
        raise TypeError(f"not a syntax tree node: {type(node).__name__}")

    def name(self, name: str):
        if name not in self.leaves:
            if name not in self.env:
                raise ExprError("missing_value", name=name)
            value = self.env[name]
            if isinstance(value, self.Variable):
                if value.name is None:
                    value.name = name
            else:
                value = self.Variable(np.asarray(value, dtype=np.float64), name=name)
            self.leaves[name] = value
        return self.leaves[name]

    def binary(self, node: Binary):
        left = self.build(node.left)
        if node.op == "^" and not free_names(node.right):
            # A constant exponent stays a number: Pow(c), whose local gradient is c x^(c-1),
            # defined for negative bases too (x^2 at x = -1).
            return left ** float(evaluate(node.right, {}))
        right = self.build(node.right)
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        if node.op == "/":
            return left / right
        return left ** right

    def call(self, func: str, x):
        F = self.F
        if func == "abs" and not hasattr(F, "abs"):
            return F.relu(x) + F.relu(-x)
        if func == "sqrt" and not hasattr(F, "sqrt"):
            return x ** 0.5
        return getattr(F, func)(x)

    def named(self, variable, node: Node):
        variable.name = render(node)
        return variable


def _leaf_name(node: Num | Const) -> str:
    return node.name if isinstance(node, Const) else format_number(node.value)

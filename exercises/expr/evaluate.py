"""Vectorised evaluation with numpy: nan and inf come back as numpy gives them."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .errors import ExprError
from .nodes import Binary, Call, Const, Name, Node, Num, Unary


def _sigmoid(x):
    # exp of a non-positive number cannot overflow, so split on the sign.
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def _relu(x):
    return np.maximum(x, 0.0)


NUMPY_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "exp": np.exp, "log": np.log, "sin": np.sin, "cos": np.cos, "tan": np.tan,
    "tanh": np.tanh, "sigmoid": _sigmoid, "relu": _relu, "sqrt": np.sqrt, "abs": np.abs,
}

BINARY = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "^": np.power}


def evaluate(node: Node, env: Mapping[str, object]):
    """The value of ``node`` with names bound by ``env`` (floats or broadcastable arrays).

    Returns a numpy float64 scalar, or an ndarray of the broadcast shape.
    """
    values: dict[str, np.ndarray] = {}
    with np.errstate(all="ignore"):
        result = _eval(node, env, values)
    return np.asarray(result, dtype=np.float64)[()]


def _eval(node: Node, env, values):
    if isinstance(node, Num):
        return np.float64(node.value)
    if isinstance(node, Const):
        return np.float64(node.value)
    if isinstance(node, Name):
        return _lookup(node.id, env, values)
    if isinstance(node, Unary):
        operand = _eval(node.operand, env, values)
        return -operand if node.op == "-" else operand
    if isinstance(node, Binary):
        return BINARY[node.op](_eval(node.left, env, values), _eval(node.right, env, values))
    if isinstance(node, Call):
        return NUMPY_FUNCTIONS[node.func](_eval(node.arg, env, values))
    raise TypeError(f"not a syntax tree node: {type(node).__name__}")


def _lookup(name: str, env, values):
    if name not in values:
        if name not in env:
            raise ExprError("missing_value", name=name)
        # float64 throughout: integer arrays would make 2^-1 an error in numpy.
        values[name] = np.asarray(env[name], dtype=np.float64)
    return values[name]

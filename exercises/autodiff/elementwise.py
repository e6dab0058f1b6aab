"""Elementwise functions of one input and their local derivatives.

Where the derivative is a function of the output (exp, tanh, sigmoid, sqrt, tan) it is
written with the output, as the book does: tanh' = 1 - y^2, sigmoid' = y(1 - y).
"""
from __future__ import annotations

import numpy as np

from .core import Function, Variable


def _either(node_fn, np_fn):
    """One helper for both kinds of backward pass: numpy, or recorded Variables."""
    def apply(x):
        return node_fn(x) if isinstance(x, Variable) else np_fn(x)
    return apply


class Square(Function):
    def forward(self, x):
        return x**2

    def backward(self, gy):
        (x,) = self.input_values(gy)
        return 2 * x * gy


class Exp(Function):
    needs_output = True

    def forward(self, x):
        return np.exp(x)

    def backward(self, gy):
        return gy * self.output_value(gy)


class Log(Function):
    def forward(self, x):
        return np.log(x)

    def backward(self, gy):
        (x,) = self.input_values(gy)
        return gy / x


class Sin(Function):
    def forward(self, x):
        return np.sin(x)

    def backward(self, gy):
        (x,) = self.input_values(gy)
        return gy * _cos(x)


class Cos(Function):
    def forward(self, x):
        return np.cos(x)

    def backward(self, gy):
        (x,) = self.input_values(gy)
        return gy * -_sin(x)


class Tan(Function):
    needs_output = True

    def forward(self, x):
        return np.tan(x)

    def backward(self, gy):
        y = self.output_value(gy)
        return gy * (1 + y * y)


class Tanh(Function):
    needs_output = True

    def forward(self, x):
        return np.tanh(x)

    def backward(self, gy):
        y = self.output_value(gy)
        return gy * (1 - y * y)


class Sigmoid(Function):
    needs_output = True

    def forward(self, x):
        return 0.5 * np.tanh(0.5 * x) + 0.5  # no overflow for large |x|

    def backward(self, gy):
        y = self.output_value(gy)
        return gy * y * (1 - y)


class ReLU(Function):
    op = "relu"

    def forward(self, x):
        return np.maximum(x, 0)

    def backward(self, gy):
        mask = self.inputs[0].data > 0
        return gy * mask


class Sqrt(Function):
    needs_output = True

    def forward(self, x):
        return np.sqrt(x)

    def backward(self, gy):
        y = self.output_value(gy)
        return gy / (2 * y)


class Abs(Function):
    def forward(self, x):
        return np.abs(x)

    def backward(self, gy):
        return gy * np.sign(self.inputs[0].data)


def square(x):
    return Square()._node(x)


def exp(x):
    return Exp()._node(x)


def log(x):
    return Log()._node(x)


def sin(x):
    return Sin()._node(x)


def cos(x):
    return Cos()._node(x)


def tan(x):
    return Tan()._node(x)


def tanh(x):
    return Tanh()._node(x)


def sigmoid(x):
    return Sigmoid()._node(x)


def relu(x):
    return ReLU()._node(x)


def sqrt(x):
    return Sqrt()._node(x)


def abs(x):  # noqa: A001 - the usual name
    return Abs()._node(x)


_sin = _either(sin, np.sin)
_cos = _either(cos, np.cos)

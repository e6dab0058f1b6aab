"""Arithmetic nodes (add, sub, mul, div, neg, pow) and the Python operators on Variable.

A broadcast input gets its gradient summed back to its own shape (``_sum_to``).
"""
from __future__ import annotations

import numpy as np

from .constants import AddConst, ConstDiv, ConstSub, DivConst, MulConst, SubConst, constant
from .core import Function, Variable
from .elementwise import log  # a recorded backward needs the log node
from .tensor import matmul
from .selection import get_item
from .tensor import _sum_to


def _log(x):
    return log(x) if isinstance(x, Variable) else np.log(x)


class Add(Function):
    def forward(self, x0, x1):
        return x0 + x1

    def backward(self, gy):
        x0, x1 = self.inputs
        return _sum_to(gy, x0.shape), _sum_to(gy, x1.shape)


class Sub(Function):
    def forward(self, x0, x1):
        return x0 - x1

    def backward(self, gy):
        x0, x1 = self.inputs
        return _sum_to(gy, x0.shape), _sum_to(-gy, x1.shape)


class Mul(Function):
    def forward(self, x0, x1):
        return x0 * x1

    def backward(self, gy):
        x0, x1 = self.input_values(gy)
        return _sum_to(gy * x1, x0.shape), _sum_to(gy * x0, x1.shape)


class Div(Function):
    def forward(self, x0, x1):
        return x0 / x1

    def backward(self, gy):
        x0, x1 = self.input_values(gy)
        gx0 = gy / x1
        gx1 = gy * (-x0 / x1**2)
        return _sum_to(gx0, x0.shape), _sum_to(gx1, x1.shape)


class Neg(Function):
    def forward(self, x):
        return -x

    def backward(self, gy):
        return -gy


class Pow(Function):
    """``x ** c`` for a constant exponent ``c``."""

    __slots__ = ("c",)

    def __init__(self, c):
        self.c = c

    def forward(self, x):
        return x**self.c

    def backward(self, gy):
        (x,) = self.input_values(gy)
        c = self.c
        return gy * c * x ** (c - 1)


class PowVar(Function):
    """``x ** y`` where the exponent is itself a Variable (defined for x > 0)."""

    needs_output = True
    op = "pow"

    def forward(self, x, y):
        return x**y

    def backward(self, gy):
        x, y = self.input_values(gy)
        out = self.output_value(gy)
        return _sum_to(gy * y * x ** (y - 1), x.shape), _sum_to(gy * out * _log(x), y.shape)


def add(x0, x1):
    return Add()._node(x0, x1) if isinstance(x1, Variable) else AddConst(constant(x1))._node(x0)


def radd(x0, x1):
    return AddConst(constant(x1))._node(x0)


def sub(x0, x1):
    return Sub()._node(x0, x1) if isinstance(x1, Variable) else SubConst(constant(x1))._node(x0)


def rsub(x0, x1):
    return ConstSub(constant(x1))._node(x0)


def mul(x0, x1):
    return Mul()._node(x0, x1) if isinstance(x1, Variable) else MulConst(constant(x1))._node(x0)


def rmul(x0, x1):
    return MulConst(constant(x1))._node(x0)


def div(x0, x1):
    return Div()._node(x0, x1) if isinstance(x1, Variable) else DivConst(constant(x1))._node(x0)


def rdiv(x0, x1):
    return ConstDiv(constant(x1))._node(x0)


def neg(x):
    return Neg()._node(x)


def pow(x, c):  # noqa: A001 - the book's name
    if isinstance(c, Variable):
        return PowVar()._node(x, c)
    return Pow(c)._node(x)


def rpow(x, c):
    return PowVar()._node(c, x)


def install() -> None:
    Variable.__add__ = add
    Variable.__radd__ = radd
    Variable.__sub__ = sub
    Variable.__rsub__ = rsub
    Variable.__mul__ = mul
    Variable.__rmul__ = rmul
    Variable.__truediv__ = div
    Variable.__rtruediv__ = rdiv
    Variable.__neg__ = neg
    Variable.__pos__ = lambda self: self
    Variable.__getitem__ = get_item
    Variable.__pow__ = pow
    Variable.__rpow__ = rpow
    Variable.__matmul__ = lambda a, b: matmul(a, b)
    Variable.__rmatmul__ = lambda a, b: matmul(b, a)

"""Arithmetic with a constant operand (``y * 0.9``, ``1 - x``): one input, the constant kept on
the node. No Variable is made for the constant, which halves the memory and time of graphs
built from Python expressions such as ``y = y * c + d``. (The expression language makes its
numbers Variables on purpose, so traces of exercises still show them as nodes.)"""
from __future__ import annotations

from numbers import Real

import numpy as np

from .core import Function, as_array
from .tensor import _sum_to


def constant(c):
    """A Python real stays as it is (numpy's fastest path); anything else must be numeric."""
    if type(c) is float or (isinstance(c, Real) and not isinstance(c, bool)):
        return c
    return as_array(c)


_F64 = np.dtype(np.float64)


def scalar(x, c) -> bool:
    """True when ``x`` is a 0-d float64 array and ``c`` a Python float: then plain float
    arithmetic gives the same IEEE result as numpy, about three times faster (numpy's 0-d
    ufunc path costs ~0.4 us). Division by zero is left to numpy (inf, not an exception)."""
    return type(c) is float and x.ndim == 0 and x.dtype is _F64


class _ConstOp(Function):
    __slots__ = ("c",)

    def __init__(self, c):
        self.c = c

    def _fit(self, gx):
        c = self.c
        if type(c) is float or type(c) is int or not np.ndim(c):
            return gx
        return _sum_to(gx, self.inputs[0].shape)


class AddConst(_ConstOp):
    __slots__ = ()
    op = "add"

    def forward(self, x):
        if scalar(x, self.c):
            return np.array(x.item() + self.c)
        return x + self.c

    def backward(self, gy):
        return self._fit(gy)


class SubConst(_ConstOp):
    """``x - c``."""
    __slots__ = ()
    op = "sub"

    def forward(self, x):
        if scalar(x, self.c):
            return np.array(x.item() - self.c)
        return x - self.c

    def backward(self, gy):
        return self._fit(gy)


class ConstSub(_ConstOp):
    """``c - x``."""
    __slots__ = ()
    op = "sub"

    def forward(self, x):
        if scalar(x, self.c):
            return np.array(self.c - x.item())
        return self.c - x

    def backward(self, gy):
        return self._fit(-gy)


class MulConst(_ConstOp):
    __slots__ = ()
    op = "mul"

    def forward(self, x):
        if scalar(x, self.c):
            return np.array(x.item() * self.c)
        return x * self.c

    def backward(self, gy):
        return self._fit(gy * self.c)


class DivConst(_ConstOp):
    """``x / c``."""
    __slots__ = ()
    op = "div"

    def forward(self, x):
        if scalar(x, self.c) and self.c:  # scalar() first: c may be an array
            return np.array(x.item() / self.c)
        return x / self.c

    def backward(self, gy):
        return self._fit(gy / self.c)


class ConstDiv(_ConstOp):
    """``c / x``."""
    __slots__ = ()
    op = "div"

    def forward(self, x):
        return self.c / x

    def backward(self, gy):
        (x,) = self.input_values(gy)
        return self._fit(gy * (-self.c / x**2))

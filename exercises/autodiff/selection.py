"""Functions that pick elements: DeZero's get_item, max, min and clip.

Each sends the gradient only to the elements it picked: ``x[i]`` to position i (repeated
indices add up), ``max``/``min`` to the positions that hold the extreme value, ``clip`` to the
elements inside [x_min, x_max].
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .core import Function, Variable
from .tensor import reshape


class GetItem(Function):
    """``x[slices]``; its backward is GetItemGrad, a scatter-add into zeros."""

    def __init__(self, slices):
        self.slices = slices

    def forward(self, x):
        return x[self.slices]

    def backward(self, gy):
        x = self.inputs[0]
        return GetItemGrad(self.slices, x.shape)._node(gy) if isinstance(gy, Variable) \
            else _scatter(gy, self.slices, x.shape)


class GetItemGrad(Function):
    """The gradient of ``x[slices]``: gy added into a zero array of x's shape."""

    def __init__(self, slices, in_shape):
        self.slices, self.in_shape = slices, in_shape

    def forward(self, gy):
        return _scatter(gy, self.slices, self.in_shape)

    def backward(self, ggx):
        return get_item(ggx, self.slices) if isinstance(ggx, Variable) else ggx[self.slices]


def _scatter(gy, slices, shape):
    gx = np.zeros(shape, dtype=np.result_type(gy, np.float64))
    np.add.at(gx, slices, gy)
    return gx


class _Extreme(Function):
    """max or min over ``axis``; the gradient goes to every position equal to the result."""

    pick: Callable[..., Any] = staticmethod(np.max)  # np.max or np.min, set by the subclass

    def __init__(self, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        return self.pick(x, axis=self.axis, keepdims=self.keepdims)

    def backward(self, gy):
        x = self.inputs[0].data
        y = self.pick(x, axis=self.axis, keepdims=True)
        mask = x == y
        shape = y.shape  # gy with the reduced axes kept, so it broadcasts over x
        gy = reshape(gy, shape) if isinstance(gy, Variable) else np.reshape(gy, shape)
        return gy * mask


class Max(_Extreme):
    pick = staticmethod(np.max)


class Min(_Extreme):
    pick = staticmethod(np.min)


class Clip(Function):
    def __init__(self, x_min, x_max):
        self.x_min, self.x_max = x_min, x_max

    def forward(self, x):
        return np.clip(x, self.x_min, self.x_max)

    def backward(self, gy):
        x = self.inputs[0].data
        return gy * ((x >= self.x_min) & (x <= self.x_max))


def get_item(x, slices):
    return GetItem(slices)(x)


def max(x, axis=None, keepdims=False):  # noqa: A001 - the book's name
    return Max(axis, keepdims)(x)


def min(x, axis=None, keepdims=False):  # noqa: A001 - the book's name
    return Min(axis, keepdims)(x)


def clip(x, x_min, x_max):
    return Clip(x_min, x_max)(x)

"""Shape functions: sum, sum_to, broadcast_to, reshape, transpose, matmul, linear.

Each ``_name`` helper works on either kind of value: numpy for the ordinary backward pass,
the Function for a recorded one (``create_graph=True``).
"""
from __future__ import annotations

import numpy as np

from .core import Function, Variable
from .errors import ShapeError


def np_sum_to(x: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``x`` down to ``shape``: the gradient of broadcasting ``shape`` up to ``x.shape``."""
    if x.shape == shape:
        return x
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, n in enumerate(shape) if n == 1 and x.shape[i + lead] != 1
    )
    y = x.sum(axis=axes, keepdims=True)
    return y.reshape(shape) if lead else y


def _sum_to(x, shape):
    if x.shape == shape:
        return x
    return sum_to(x, shape) if isinstance(x, Variable) else np_sum_to(x, shape)


def _broadcast_to(x, shape):
    if x.shape == shape:
        return x
    return broadcast_to(x, shape) if isinstance(x, Variable) else np.broadcast_to(x, shape)


def _reshape(x, shape):
    if x.shape == shape:
        return x
    return reshape(x, shape) if isinstance(x, Variable) else x.reshape(shape)


def _swap_last(x):
    if x.ndim < 2:
        return x
    if isinstance(x, Variable):
        axes = list(range(x.ndim))
        axes[-2], axes[-1] = axes[-1], axes[-2]
        return transpose(x, axes)
    return x.swapaxes(-1, -2)


def _matmul(a, b):
    if isinstance(a, Variable) or isinstance(b, Variable):
        return matmul(a, b)
    return a @ b


class Sum(Function):
    def __init__(self, axis, keepdims):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        self.x_shape = x.shape
        return x.sum(axis=self.axis, keepdims=self.keepdims)

    def backward(self, gy):
        if not self.keepdims and self.axis is not None and gy.ndim:
            axes = (self.axis,) if isinstance(self.axis, int) else self.axis
            shape = list(gy.shape)
            for a in sorted(ax % len(self.x_shape) for ax in axes):
                shape.insert(a, 1)
            gy = _reshape(gy, tuple(shape))
        elif not self.keepdims and self.axis is None:
            gy = _reshape(gy, (1,) * len(self.x_shape))
        return _broadcast_to(gy, self.x_shape)


class SumTo(Function):
    op = "sum_to"

    def __init__(self, shape):
        self.shape = tuple(shape)

    def forward(self, x):
        self.x_shape = x.shape
        return np_sum_to(x, self.shape)

    def backward(self, gy):
        return _broadcast_to(gy, self.x_shape)


class BroadcastTo(Function):
    op = "broadcast_to"

    def __init__(self, shape):
        self.shape = tuple(shape)

    def forward(self, x):
        self.x_shape = x.shape
        return np.broadcast_to(x, self.shape)

    def backward(self, gy):
        return _sum_to(gy, self.x_shape)


class Reshape(Function):
    def __init__(self, shape):
        self.shape = tuple(shape)

    def forward(self, x):
        self.x_shape = x.shape
        return x.reshape(self.shape)

    def backward(self, gy):
        return _reshape(gy, self.x_shape)


class Transpose(Function):
    def __init__(self, axes=None):
        self.axes = None if axes is None else tuple(axes)

    def forward(self, x):
        return x.transpose(self.axes)

    def backward(self, gy):
        if self.axes is None:
            return transpose(gy) if isinstance(gy, Variable) else gy.transpose()
        inverse = tuple(np.argsort(self.axes))
        return transpose(gy, inverse) if isinstance(gy, Variable) else gy.transpose(inverse)


class MatMul(Function):
    def forward(self, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ShapeError("matmul: scalars cannot be matrix-multiplied; use * instead")
        return a @ b

    def backward(self, gy):
        a, b = self.input_values(gy)
        a2 = _reshape(a, (1, a.shape[0])) if a.ndim == 1 else a
        b2 = _reshape(b, (b.shape[0], 1)) if b.ndim == 1 else b
        gy2 = _reshape(gy, a2.shape[:-1] + b2.shape[-1:])
        ga = _matmul(gy2, _swap_last(b2))
        gb = _matmul(_swap_last(a2), gy2)
        return _fit(ga, a.shape), _fit(gb, b.shape)


def _fit(g, shape):
    """Back to an input's own shape: undo the 1-D promotion, sum a broadcast batch."""
    return _reshape(g, shape) if len(shape) == 1 else _sum_to(g, shape)


class Linear(Function):
    """``x @ W + b`` in one node, as an affine layer."""

    def forward(self, x, W, b=None):
        y = x @ W
        return y if b is None else y + b

    def backward(self, gy):
        x, W, *rest = self.input_values(gy)
        gx = _matmul(gy, _swap_last(W))
        gW = _matmul(_swap_last(x), gy)
        if not rest:
            return gx, gW
        return gx, gW, _sum_to(gy, rest[0].shape)


def sum(x, axis=None, keepdims=False):  # noqa: A001 - the book's name
    return Sum(axis, keepdims)._node(x)


def sum_to(x, shape):
    return SumTo(shape)._node(x)


def broadcast_to(x, shape):
    return BroadcastTo(shape)._node(x)


def reshape(x, shape):
    if isinstance(shape, int):
        shape = (shape,)
    return Reshape(shape)._node(x)


def transpose(x, axes=None):
    return Transpose(axes)._node(x)


def matmul(a, b):
    return MatMul()._node(a, b)


def linear(x, W, b=None):
    return Linear()._node(x, W) if b is None else Linear()._node(x, W, b)

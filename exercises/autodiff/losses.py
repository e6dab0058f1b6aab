"""Softmax, log-softmax and the losses of the E資格 syllabus, with the book's gradients:
softmax with cross-entropy gives (y - t) / N, mean squared error gives 2 (x0 - x1) / N."""
from __future__ import annotations

import numpy as np

from .core import Function, Variable, as_array
from .elementwise import exp as _exp_node
from .tensor import _reshape
from .tensor import sum as _sum_node


def _exp(x):
    return _exp_node(x) if isinstance(x, Variable) else np.exp(x)


def _sum_keep(x, axis):
    return _sum_node(x, axis, True) if isinstance(x, Variable) else x.sum(axis=axis, keepdims=True)


def np_softmax(x: np.ndarray, axis=-1) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_log_softmax(x: np.ndarray, axis=-1) -> np.ndarray:
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


class Softmax(Function):
    needs_output = True

    def __init__(self, axis=-1):
        self.axis = axis

    def forward(self, x):
        return np_softmax(x, self.axis)

    def backward(self, gy):
        y = self.output_value(gy)
        gx = y * gy
        return gx - y * _sum_keep(gx, self.axis)


class LogSoftmax(Function):
    needs_output = True
    op = "log_softmax"

    def __init__(self, axis=-1):
        self.axis = axis

    def forward(self, x):
        return np_log_softmax(x, self.axis)

    def backward(self, gy):
        y = self.output_value(gy)
        return gy - _exp(y) * _sum_keep(gy, self.axis)


def _one_hot(t: np.ndarray, x_shape: tuple) -> np.ndarray:
    """Labels (N,) become one-hot rows; a (N, C) target is taken as it is."""
    if t.shape == x_shape:
        return t.astype(np.float64)
    if t.dtype.kind not in "iu" or t.shape != x_shape[:1]:
        raise ValueError(f"targets of shape {t.shape} do not match scores of shape {x_shape}")
    return np.eye(x_shape[-1])[t]


class SoftmaxCrossEntropy(Function):
    """Mean over the batch of -log softmax(x)[t]; x is (N, C), t labels (N,) or one-hot."""

    op = "softmax_cross_entropy"

    def __init__(self, t):
        self.t = as_array(t)

    def forward(self, x):
        x2 = x.reshape(1, -1) if x.ndim == 1 else x
        t = self.t
        if x.ndim == 1:  # one sample: a label, or a one-hot row
            t = t.reshape(1, -1) if t.shape == x.shape else t.reshape(-1)
        self.t_hot = _one_hot(t, x2.shape)
        return np.asarray(-(self.t_hot * np_log_softmax(x2)).sum() / x2.shape[0])

    def backward(self, gy):
        (x,) = self.input_values(gy)
        shape = self.inputs[0].shape
        x2 = _reshape(x, (1, shape[0])) if len(shape) == 1 else x
        y = softmax(x2) if isinstance(x2, Variable) else np_softmax(x2)
        gx = (y - self.t_hot) / self.t_hot.shape[0]
        return gy * _reshape(gx, shape)


class MeanSquaredError(Function):
    """sum((x0 - x1)^2) / N, N the length of the first axis (DeZero's definition)."""

    op = "mean_squared_error"

    def forward(self, x0, x1):
        diff = x0 - x1
        n = len(diff) if diff.ndim else 1
        return np.asarray((diff**2).sum() / n)

    def backward(self, gy):
        x0, x1 = self.input_values(gy)
        diff = x0 - x1
        n = len(diff) if diff.ndim else 1
        gx0 = gy * diff * (2.0 / n)
        return gx0, -gx0


def softmax(x, axis=-1):
    return Softmax(axis)._node(x)


def log_softmax(x, axis=-1):
    return LogSoftmax(axis)._node(x)


def softmax_cross_entropy(x, t):
    return SoftmaxCrossEntropy(t)._node(x)


def mean_squared_error(x0, x1):
    return MeanSquaredError()._node(x0, x1)

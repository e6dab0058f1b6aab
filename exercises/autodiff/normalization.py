"""Batch normalization, dropout and layer normalization (ゼロから作るDeep Learning, chapter 6).

The layers work on ndarrays in the book's forward/backward style, like layers.py.
``batch_norm`` and ``layer_norm`` are the same forward passes built from the engine's own
operations (mean, subtraction, square, sqrt, division with broadcasting), so the layers'
hand-written backward passes can be checked against the engine's gradients.

The book adds ``10e-7`` (that is 1e-6, not 1e-7) to the variance in batch normalization;
``BN_EPS`` keeps that value so the results match the book's to the last digit.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import functions as F
from .core import as_variable

__all__ = ["BN_EPS", "BatchNormalization", "Dropout", "LayerNormalization", "batch_norm", "layer_norm"]

BN_EPS = 10e-7  # the book's constant, as written in common/layers.py


class BatchNormalization:
    """Normalize each feature over the batch (axis 0), then scale by gamma and shift by beta.

    Training uses the batch's mean and (biased) variance and moves the running statistics
    toward them: ``running = momentum * running + (1 - momentum) * batch``. Inference uses the
    running statistics. Input of more than two axes is flattened to (N, -1), as in the book.
    """

    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None, eps=BN_EPS):
        self.gamma, self.beta = np.asarray(gamma, dtype=float), np.asarray(beta, dtype=float)
        self.momentum, self.eps = momentum, eps
        self.running_mean, self.running_var = running_mean, running_var
        self.input_shape: Any = None  # set by forward
        self.batch_size: Any = None
        self.xc: Any = None
        self.xn: Any = None
        self.std: Any = None
        self.dgamma: Any = None  # set by backward
        self.dbeta: Any = None

    def forward(self, x, train_flg=True):
        x = np.asarray(x, dtype=float)
        self.input_shape = x.shape
        x = x.reshape(x.shape[0], -1) if x.ndim != 2 else x
        if self.running_mean is None:
            self.running_mean = np.zeros(x.shape[1])
            self.running_var = np.zeros(x.shape[1])
        xn = self._train(x) if train_flg else (x - self.running_mean) / np.sqrt(self.running_var + self.eps)
        return (self.gamma * xn + self.beta).reshape(self.input_shape)

    def _train(self, x):
        mu = x.mean(axis=0)
        self.xc = x - mu
        var = np.mean(self.xc**2, axis=0)
        self.std = np.sqrt(var + self.eps)
        self.xn = self.xc / self.std
        self.batch_size = x.shape[0]
        self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
        self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        return self.xn

    def backward(self, dout):
        dout = np.asarray(dout, dtype=float)
        dout = dout.reshape(dout.shape[0], -1) if dout.ndim != 2 else dout
        self.dbeta = dout.sum(axis=0)
        self.dgamma = np.sum(self.xn * dout, axis=0)
        dxn = self.gamma * dout
        dxc = dxn / self.std
        dstd = -np.sum((dxn * self.xc) / (self.std * self.std), axis=0)
        dvar = 0.5 * dstd / self.std
        dxc += (2.0 / self.batch_size) * self.xc * dvar
        dmu = np.sum(dxc, axis=0)
        dx = dxc - dmu / self.batch_size
        return dx.reshape(self.input_shape)


class Dropout:
    """The book's dropout: training keeps the units where ``rand > dropout_ratio``; inference
    scales by ``1 - dropout_ratio`` instead (not inverted dropout).

    ``rng`` is a numpy Generator or a seed (None: a fresh generator). An exercise may set
    ``mask`` by hand before calling backward.
    """

    def __init__(self, dropout_ratio=0.5, rng=None):
        self.dropout_ratio = dropout_ratio
        self.rng = np.random.default_rng(rng)
        self.mask: Any = None

    def forward(self, x, train_flg=True):
        x = np.asarray(x, dtype=float)
        if train_flg:
            self.mask = self.rng.random(x.shape) > self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)

    def backward(self, dout):
        if self.mask is None:
            raise ValueError("Dropout.backward needs a mask: run forward(x, train_flg=True) or set mask")
        return dout * np.asarray(self.mask)


class LayerNormalization:
    """Normalize each sample over its features (the last axis), then scale and shift.

    The same statistics as batch normalization taken along the other axis, with no running
    statistics: training and inference compute the same thing. gamma and beta have shape (D,).
    """

    def __init__(self, gamma, beta, eps=1e-7):
        self.gamma, self.beta = np.asarray(gamma, dtype=float), np.asarray(beta, dtype=float)
        self.eps = eps
        self.xc: Any = None  # set by forward
        self.xn: Any = None
        self.std: Any = None
        self.dgamma: Any = None  # set by backward
        self.dbeta: Any = None

    def forward(self, x):
        x = np.asarray(x, dtype=float)
        self.xc = x - x.mean(axis=-1, keepdims=True)
        var = np.mean(self.xc**2, axis=-1, keepdims=True)
        self.std = np.sqrt(var + self.eps)
        self.xn = self.xc / self.std
        return self.gamma * self.xn + self.beta

    def backward(self, dout):
        dout = np.asarray(dout, dtype=float)
        batch_axes = tuple(range(dout.ndim - 1))
        self.dbeta = dout.sum(axis=batch_axes)
        self.dgamma = np.sum(self.xn * dout, axis=batch_axes)
        d = self.xc.shape[-1]
        dxn = self.gamma * dout
        dxc = dxn / self.std
        dstd = -np.sum((dxn * self.xc) / (self.std * self.std), axis=-1, keepdims=True)
        dvar = 0.5 * dstd / self.std
        dxc += (2.0 / d) * self.xc * dvar
        dmu = np.sum(dxc, axis=-1, keepdims=True)
        return dxc - dmu / d


def _normalize(x, axis, eps):
    """``(x - mean) / sqrt(var + eps)`` along ``axis``, from the engine's operations."""
    xc = x - F.mean(x, axis=axis, keepdims=True)
    var = F.mean(F.square(xc), axis=axis, keepdims=True)
    return xc / F.sqrt(var + eps)


def batch_norm(x, gamma, beta, eps=BN_EPS):
    """Training-mode batch normalization of a 2-D x (N, D) as a Variable; gamma, beta (D,)."""
    return _normalize(as_variable(x), 0, eps) * gamma + beta


def layer_norm(x, gamma, beta, eps=1e-7):
    """Layer normalization over the last axis as a Variable; gamma, beta (D,)."""
    return _normalize(as_variable(x), -1, eps) * gamma + beta

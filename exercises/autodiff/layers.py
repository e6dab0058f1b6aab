"""The book's layers (ゼロから作るDeep Learning, chapter 5) in its forward/backward style.

They work on plain numbers and ndarrays, as in the E資格 code questions; the tests check that
their gradients agree with the engine's. Chapter 6's normalization and dropout layers live in
normalization.py and are importable from here too, as the book's ``common/layers.py`` has them.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .losses import np_log_softmax, np_softmax
from .normalization import BatchNormalization, Dropout, LayerNormalization  # noqa: F401
from .cnn_layers import Convolution, Pooling  # noqa: F401


class MulLayer:
    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        dx = dout * self.y  # the inputs swap places
        dy = dout * self.x
        return dx, dy


class AddLayer:
    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout * 1, dout * 1


class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        x = np.asarray(x, dtype=float)
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = np.array(dout, dtype=float)  # a copy: the caller's array is left as it was
        dx[self.mask] = 0
        return dx


class Sigmoid:
    def __init__(self):
        self.out: Any = None  # an ndarray once forward has run

    def forward(self, x):
        self.out = 1 / (1 + np.exp(-np.asarray(x, dtype=float)))
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class Affine:
    def __init__(self, W, b):
        self.W, self.b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
        self.x: Any = None  # ndarrays once forward / backward have run
        self.dW: Any = None
        self.db: Any = None

    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        return self.x @ self.W + self.b

    def backward(self, dout):
        dx = dout @ self.W.T
        self.dW = self.x.T @ dout
        self.db = np.sum(dout, axis=0)
        return dx


class SoftmaxWithLoss:
    """Softmax then cross-entropy; backward gives (y - t) / N. Labels or one-hot targets."""

    def __init__(self):
        self.y: Any = None  # set by forward
        self.t: Any = None
        self.loss: Any = None

    def forward(self, x, t):
        x = np.atleast_2d(np.asarray(x, dtype=float))
        t = np.asarray(t)
        self.t = t.reshape(x.shape) if t.size == x.size else t.reshape(-1)
        self.y = np_softmax(x)
        logp = np_log_softmax(x)
        n = x.shape[0]
        if self.t.shape == x.shape:
            self.loss = -np.sum(self.t * logp) / n
        else:
            self.loss = -np.sum(logp[np.arange(n), self.t]) / n
        return self.loss

    def backward(self, dout=1):
        n = self.y.shape[0]
        if self.t.shape == self.y.shape:
            return dout * (self.y - self.t) / n
        dx = self.y.copy()
        dx[np.arange(n), self.t] -= 1
        return dout * dx / n

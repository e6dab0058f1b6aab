"""Leaky ReLU and GELU (exact, with erf, and its tanh approximation), DeZero style.

``leaky_relu(x, slope=0.2)`` is DeZero's: x where x > 0, slope·x elsewhere; its derivative is
1 or ``slope`` (at 0 the slope, as DeZero's mask ``x > 0`` gives it).

``gelu(x) = x Φ(x)`` with Φ(x) = ½(1 + erf(x/√2)), the standard normal CDF; the derivative is
Φ(x) + x φ(x), φ the standard normal density. ``gelu_tanh(x)`` is the approximation
½x(1 + tanh(√(2/π)(x + 0.044715x³))) of the BERT/GPT-2 code. Both backward passes are written
with engine functions when the backward pass is recorded (``create_graph=True``), so they can
be differentiated again; ``erf`` is ``math.erf`` elementwise (numpy has none, scipy is not a
dependency), with its own Function ``Erf`` (erf' = 2/√π exp(-x²)).
"""
from __future__ import annotations

import math

import numpy as np

from .core import Function, Variable
from .elementwise import exp as _exp_node
from .elementwise import tanh as _tanh_node

GELU_TANH_C = 0.044715
SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_np_erf = np.vectorize(math.erf, otypes=[float])


def np_erf(x) -> np.ndarray:
    """erf elementwise, as float64 (``math.erf`` is exact to a few ulp)."""
    return np.asarray(_np_erf(np.asarray(x, dtype=float)), dtype=float)


def np_gelu(x) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return x * 0.5 * (1.0 + np_erf(x / math.sqrt(2.0)))


def np_gelu_tanh(x) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return 0.5 * x * (1.0 + np.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * x ** 3)))


def _exp(x):
    return _exp_node(x) if isinstance(x, Variable) else np.exp(x)


def _tanh(x):
    return _tanh_node(x) if isinstance(x, Variable) else np.tanh(x)


def _erf(x):
    return erf(x) if isinstance(x, Variable) else np_erf(x)


class LeakyReLU(Function):
    op = "leaky_relu"

    def __init__(self, slope: float = 0.2):
        self.slope = slope

    def forward(self, x):
        return np.where(x > 0, x, x * self.slope)

    def backward(self, gy):
        mask = np.where(self.inputs[0].data > 0, 1.0, self.slope)
        return gy * mask


class Erf(Function):
    def forward(self, x):
        return np_erf(x)

    def backward(self, gy):
        (x,) = self.input_values(gy)
        return gy * (2.0 / math.sqrt(math.pi)) * _exp(-(x * x))


class GELU(Function):
    """x Φ(x); backward gy (Φ(x) + x φ(x))."""

    op = "gelu"

    def forward(self, x):
        return np_gelu(x)

    def backward(self, gy):
        (x,) = self.input_values(gy)
        cdf = 0.5 * (1.0 + _erf(x * (1.0 / math.sqrt(2.0))))
        pdf = _exp(-0.5 * (x * x)) * (1.0 / math.sqrt(2.0 * math.pi))
        return gy * (cdf + x * pdf)


class GELUTanh(Function):
    """½x(1 + tanh u), u = √(2/π)(x + 0.044715x³); backward
    gy (½(1 + tanh u) + ½x(1 - tanh² u) √(2/π)(1 + 3·0.044715x²))."""

    op = "gelu_tanh"

    def forward(self, x):
        return np_gelu_tanh(x)

    def backward(self, gy):
        (x,) = self.input_values(gy)
        x2 = x * x
        th = _tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * (x2 * x)))
        du = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_C * x2)
        return gy * (0.5 * (1.0 + th) + 0.5 * x * (1.0 - th * th) * du)


def leaky_relu(x, slope=0.2):
    return LeakyReLU(slope)._node(x)


def erf(x):
    return Erf()._node(x)


def gelu(x):
    return GELU()._node(x)


def gelu_tanh(x):
    return GELUTanh()._node(x)

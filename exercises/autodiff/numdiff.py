"""Numerical differentiation and gradient checking (DeZero step 4 and step 10).

Part of the engine package so that it can use ``Variable``, ``no_grad`` and ``sum`` at import
time while ``exercises.autodiff`` re-exports it (``exercises.numdiff`` is the same module's
public path).

Duck typing: a "Variable" is anything with a ``.data`` attribute that is not itself a numpy
array or numpy scalar (those have a ``.data`` buffer too). ``f`` may take and return Variables
(a ``Function`` instance or a plain function, as in the seed) or plain numbers/arrays.

See docs/numdiff.md for the error analysis behind the defaults.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np

from .core import Variable, no_grad
from .tensor import sum as _sum

__all__ = [
    "numerical_diff",
    "forward_diff",
    "numerical_grad",
    "gradient_check",
    "default_tolerances",
    "GradientCheckResult",
    "InputReport",
]

_METHODS = ("central", "forward")

# Defaults for gradient_check, per floating dtype of the inputs: (eps, rtol, atol).
# Measured with bench/numdiff_tolerance.py; the figures and the reasoning are in
# docs/numdiff.md. The numerical side of gradient_check always runs in float64, so eps is the
# float64 one for both; float32 only widens the tolerance for the float32 backward pass.
_DEFAULTS = {
    np.dtype(np.float64): (1e-5, 1e-5, 1e-7),
    np.dtype(np.float32): (1e-5, 1e-3, 1e-5),
}


# ----------------------------------------------------------------------------- helpers
def _is_variable(x) -> bool:
    """Something with ``.data`` that is not a numpy array/scalar or a Python number."""
    if isinstance(x, (np.ndarray, np.generic, numbers.Number)):
        return False
    return hasattr(x, "data")


def _value(y):
    """The numeric value of an output: ``y.data`` for a Variable, ``y`` otherwise."""
    return y.data if _is_variable(y) else y


def _rebuild(x, data):
    """A Variable of x's own class holding ``data`` (the seed's ``Variable(x.data - eps)``).

    The engine's Variable is used when x is one of them; a seed-style or foreign Variable
    class is reused through ``type(x)(data)`` so the seed programs run unchanged.
    """
    if isinstance(x, Variable):
        return Variable(data)
    return type(x)(data)


def _engine_no_grad():
    """The engine's ``no_grad`` context manager."""
    return no_grad()


def _float_array(a) -> np.ndarray:
    """A float copy of ``a``: floating dtypes are kept, everything else becomes float64."""
    a = np.asarray(a)
    if a.dtype.kind in "fc":
        return np.array(a, copy=True)
    return a.astype(np.float64)


# ----------------------------------------------------------------------------- seed API
def numerical_diff(f, x, eps=1e-4):
    """Central difference ``(f(x+eps) - f(x-eps)) / (2*eps)``, exactly as DeZero step 4.

    ``f`` takes a Variable and returns a Variable (a ``Function`` instance or a plain
    function), ``x`` is a Variable; or both work on plain numbers/arrays. For an array ``x``
    every element is shifted at once, as in the seed: for an elementwise ``f`` the result is
    the elementwise derivative; in general it is the directional derivative along ones.
    """
    if _is_variable(x):
        x0 = _rebuild(x, x.data - eps)
        x1 = _rebuild(x, x.data + eps)
        y0 = f(x0)
        y1 = f(x1)
        return (_value(y1) - _value(y0)) / (2 * eps)
    y0 = f(x - eps)
    y1 = f(x + eps)
    return (_value(y1) - _value(y0)) / (2 * eps)


def forward_diff(f, x, eps=1e-4):
    """Forward difference ``(f(x+eps) - f(x)) / eps``: error O(eps), kept for comparison."""
    if _is_variable(x):
        y0 = f(_rebuild(x, x.data))
        y1 = f(_rebuild(x, x.data + eps))
    else:
        y0 = f(x)
        y1 = f(x + eps)
    return (_value(y1) - _value(y0)) / eps


# ----------------------------------------------------------------------------- gradients
def numerical_grad(f, *xs, eps=1e-4, method="central"):
    """Gradient of ``sum(f(*xs))`` with respect to each input, one element at a time.

    ``xs`` are Variables or numbers/arrays; ``f`` is called with the same kinds (a fresh
    Variable of the same class for each perturbed input, or a perturbed float array). If
    ``f`` returns an array, the gradient is that of the *sum of its outputs*, i.e. what
    ``backward()`` gives when the output gradient is seeded with ones.

    Each element costs two calls of ``f`` (one for ``method="forward"``, plus one base
    call), so this is for checking, not for training. Integer inputs are differentiated in
    float64; floating inputs keep their dtype (float32 needs a larger eps, see docs).

    Returns one ndarray shaped like the input for a single input, a tuple for several.
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    if not xs:
        raise TypeError("numerical_grad needs at least one input")
    if not (eps > 0 and math.isfinite(eps)):
        raise ValueError(f"eps must be a positive finite number, got {eps!r}")
    is_var = [_is_variable(x) for x in xs]
    arrays = [_float_array(x.data if v else x) for x, v in zip(xs, is_var)]

    def call(arrs):
        args = [_rebuild(x, a) if v else a for x, v, a in zip(xs, is_var, arrs)]
        with _engine_no_grad():
            y = f(*args)
        return float(np.sum(np.asarray(_value(y), dtype=np.float64)))

    base = call(arrays) if method == "forward" else None
    grads = []
    for a in arrays:
        g = np.zeros(a.shape, dtype=np.float64)
        flat = a.reshape(-1)  # a is a fresh contiguous copy: a view we may write into
        for j in range(flat.size):
            orig = flat[j]
            flat[j] = orig + eps
            plus = call(arrays)
            if method == "central":
                flat[j] = orig - eps
                minus = call(arrays)
                g.flat[j] = (plus - minus) / (2 * eps)
            else:
                g.flat[j] = (plus - base) / eps
            flat[j] = orig
        grads.append(g.astype(a.dtype, copy=False))
    return grads[0] if len(grads) == 1 else tuple(grads)


# ----------------------------------------------------------------------------- checking
def default_tolerances(dtype=np.float64):
    """``(eps, rtol, atol)`` used by :func:`gradient_check` for a floating dtype."""
    dt = np.dtype(dtype)
    if dt.kind != "f":
        dt = np.dtype(np.float64)
    if dt not in _DEFAULTS:
        dt = np.dtype(np.float32) if dt.itemsize <= 4 else np.dtype(np.float64)
    return _DEFAULTS[dt]


@dataclass(eq=False)
class InputReport:
    """How one input's analytic gradient compares with the numerical one."""

    position: int  # which argument of f (0-based)
    shape: tuple
    ok: bool
    max_abs_error: float  # max |analytic - numeric| over the elements
    max_rel_error: float  # max |analytic - numeric| / max(|analytic|, |numeric|)
    worst_index: tuple  # element index with the largest error relative to its tolerance
    analytic: float  # analytic gradient at worst_index
    numeric: float  # numerical gradient at worst_index
    analytic_grad: np.ndarray = field(repr=False)
    numeric_grad: np.ndarray = field(repr=False)
    note: str = ""  # e.g. "no gradient reached this input (treated as zeros)"

    def describe(self) -> str:
        mark = "ok" if self.ok else "MISMATCH"
        s = (
            f"input {self.position} shape {self.shape}: {mark}; max abs err "
            f"{self.max_abs_error:.3g}, max rel err {self.max_rel_error:.3g}; worst at "
            f"{self.worst_index}: analytic {self.analytic:.12g} vs numeric {self.numeric:.12g}"
        )
        return s + (f" ({self.note})" if self.note else "")


@dataclass(eq=False)
class GradientCheckResult:
    """``ok`` is True when every element of every input satisfies
    ``|analytic - numeric| <= atol + rtol * |numeric|``."""

    ok: bool
    inputs: tuple  # of InputReport, one per input of f
    rtol: float
    atol: float
    eps: float
    output_value: object = field(default=None, repr=False)

    def __bool__(self) -> bool:
        return self.ok

    def summary(self) -> str:
        head = f"gradient check {'ok' if self.ok else 'FAILED'} (eps={self.eps:g}, rtol={self.rtol:g}, atol={self.atol:g})"
        return "\n".join([head] + ["  " + r.describe() for r in self.inputs])


def gradient_check(f, *inputs, rtol=None, atol=None, eps=None):
    """Compare backprop gradients with central differences.

    ``f`` takes engine Variables (one per input) and returns a Variable built with the
    autodiff engine. ``inputs`` are numbers, arrays or Variables; each is copied into a fresh
    engine Variable, so the caller's Variables and their ``grad`` are left untouched. A
    non-scalar output is reduced with the sum (gradient of the sum of outputs, like backward
    seeded with ones).

    The backward pass runs in the inputs' dtype; the numerical gradient is always computed
    in float64 from the same points (a float32 central difference is too noisy to check
    anything, see docs/numdiff.md). Defaults come from :func:`default_tolerances` for the
    widest input dtype: float64 eps=1e-5, rtol=1e-5, atol=1e-7; float32 rtol=1e-3,
    atol=1e-5. The element test is numpy's ``allclose`` rule ``|a - n| <= atol + rtol*|n|``.
    ``atol`` is absolute: the rounding error of a difference grows like u*|f|/eps, so for
    functions whose values are huge (|f| > ~1e4) while some gradient is ~0, pass a larger
    ``atol``; within ~100*eps of a pole (1/x, log, sqrt near 0) pass a smaller ``eps``.
    """
    if not inputs:
        raise TypeError("gradient_check needs at least one input")
    arrays = [_float_array(x.data if _is_variable(x) else x) for x in inputs]
    widest = max((a.dtype for a in arrays), key=lambda d: d.itemsize)
    d_eps, d_rtol, d_atol = default_tolerances(widest)
    eps = d_eps if eps is None else eps
    rtol = d_rtol if rtol is None else rtol
    atol = d_atol if atol is None else atol

    vs = [Variable(a.copy()) for a in arrays]  # backward in the inputs' own dtype
    y = f(*vs)
    if not _is_variable(y):
        raise TypeError(f"f must return a Variable built with the engine, got {type(y).__name__}")
    out_value = np.array(y.data, copy=True)
    if y.data.size != 1:
        y = _sum(y)
    y.backward()

    def f_arrays(*arrs):
        return f(*[Variable(a) for a in arrs])

    numeric = numerical_grad(f_arrays, *[a.astype(np.float64) for a in arrays], eps=eps)
    if len(arrays) == 1:
        numeric = (numeric,)

    reports = [_input_report(pos, v.grad, a, n, rtol, atol)
               for pos, (v, a, n) in enumerate(zip(vs, arrays, numeric))]
    return GradientCheckResult(all(r.ok for r in reports), tuple(reports), rtol, atol, eps, out_value)


def _input_report(pos: int, grad, a: np.ndarray, numeric, rtol: float, atol: float) -> InputReport:
    """How one input's backprop gradient compares with its central difference."""
    note = ""
    if grad is None:
        g = np.zeros_like(a)
        note = "no gradient reached this input (treated as zeros)"
    else:
        g = _value(grad)
    g = np.asarray(g, dtype=np.float64)
    n64 = np.asarray(numeric, dtype=np.float64)
    if g.shape != n64.shape:  # a backward rule that forgot sum_to / reshape: always a bug
        return InputReport(pos, a.shape, False, math.inf, math.inf, (), math.nan, math.nan,
                           g, n64, f"analytic grad shape {g.shape} != input shape {a.shape}")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        diff = np.abs(g - n64)
        diff = np.where(np.isnan(diff), np.inf, diff)  # nan is never close
        denom = np.maximum(np.abs(g), np.abs(n64))
        rel = np.where(diff == 0, 0.0, np.where(np.isinf(diff), np.inf, diff / denom))
        violation = np.where(diff == 0, 0.0, diff / (atol + rtol * np.abs(n64)))
    violation = np.where(np.isnan(violation), np.inf, violation)
    ok = bool(np.all(np.isfinite(g)) and np.all(np.isfinite(n64)) and np.all(violation <= 1.0))
    if not diff.size:
        return InputReport(pos, a.shape, True, 0.0, 0.0, (), math.nan, math.nan, g, n64, note)
    k = int(np.argmax(violation))
    idx = tuple(int(i) for i in np.unravel_index(k, diff.shape))
    return InputReport(pos, a.shape, ok, float(np.max(diff)), float(np.max(rel)), idx,
                       float(g.reshape(-1)[k]), float(n64.reshape(-1)[k]), g, n64, note)

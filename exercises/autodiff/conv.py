"""Convolution and pooling as engine Functions, in DeZero's names (functions_conv.py), our own code.

Shapes: x (N, C, H, W), W (OC, C, KH, KW), b (OC,); ``kernel_size``, ``stride`` and ``pad`` are
an int or a pair (height, width). The output size is (H + 2*PH - KH) // SH + 1, as in the book.

- ``im2col(x, kernel_size, stride, pad, to_matrix=True)``: every kernel-sized patch, as the
  book's matrix (N*OH*OW, C*KH*KW) or, with ``to_matrix=False``, as (N, C, KH, KW, OH, OW);
  its gradient is ``col2im`` and the other way round (each is the other's adjoint);
- ``conv2d(x, W, b=None, stride=1, pad=0)``: im2col then one matrix product with the filters;
- ``pooling`` (max) and ``average_pooling``.

The patches are gathered with numpy's sliding windows and scattered back with index arrays
(``np.add.at``), not with the book's loops: cnn_layers.py has those, and the tests compare the
two. A backward pass on Variables (``create_graph=True``) is built from these Functions
again, so the gradients can be differentiated once more.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .core import Function, Variable
from .tensor import matmul, reshape, sum, transpose

__all__ = ["Col2im", "Conv2d", "Im2col", "Pooling", "average_pooling", "col2im", "col2im_array",
           "conv2d", "conv_outsize", "im2col", "im2col_array", "pair", "pooling"]


def pair(v) -> tuple[int, int]:
    """An int or a pair of ints as (height, width)."""
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return int(v), int(v)
    if isinstance(v, (tuple, list)) and len(v) == 2 and all(isinstance(n, (int, np.integer)) for n in v):
        return int(v[0]), int(v[1])
    raise ValueError(f"expected an int or a pair of ints, got {v!r}")


def conv_outsize(size: int, kernel: int, stride: int, pad: int) -> int:
    return (size + 2 * pad - kernel) // stride + 1


def _geometry(shape, kernel_size, stride, pad):
    (kh, kw), (sh, sw), (ph, pw) = pair(kernel_size), pair(stride), pair(pad)
    if len(shape) != 4:
        raise ValueError(f"expected an input of shape (N, C, H, W), got {tuple(shape)}")
    ok = min(kh, kw, sh, sw) > 0 and min(ph, pw) >= 0
    oh, ow = (conv_outsize(shape[2], kh, sh, ph), conv_outsize(shape[3], kw, sw, pw)) if ok else (0, 0)
    if oh <= 0 or ow <= 0:
        raise ValueError(f"kernel {kh}x{kw}, stride {sh}x{sw}, pad {ph}x{pw} do not fit an input {tuple(shape)}")
    return (kh, kw), (sh, sw), (ph, pw), (oh, ow)


def im2col_array(x, kernel_size, stride=1, pad=0, to_matrix=True):
    """The patches of ``x`` as (N*OH*OW, C*KH*KW), or (N, C, KH, KW, OH, OW)."""
    x = np.asarray(x)
    (kh, kw), (sh, sw), (ph, pw), (oh, ow) = _geometry(x.shape, kernel_size, stride, pad)
    img = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    windows = sliding_window_view(img, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw][:, :, :oh, :ow]  # (N, C, OH, OW, KH, KW)
    n, c = x.shape[:2]
    if to_matrix:
        return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * kh * kw)
    return np.ascontiguousarray(windows.transpose(0, 1, 4, 5, 2, 3))


def _positions(kernel, stride, out):
    """For each (kernel offset k, output position o), the input index o*stride + k."""
    return np.arange(kernel)[:, None] + stride * np.arange(out)[None, :]


def col2im_array(col, x_shape, kernel_size, stride=1, pad=0, to_matrix=True):
    """The adjoint of ``im2col_array``: every entry added back where it was read from."""
    (kh, kw), (sh, sw), (ph, pw), (oh, ow) = _geometry(x_shape, kernel_size, stride, pad)
    n, c, h, w = x_shape
    col = np.asarray(col)
    if to_matrix:
        col = col.reshape(n, oh, ow, c, kh, kw).transpose(0, 3, 4, 5, 1, 2)
    rows = _positions(kh, sh, oh)[:, None, :, None]  # broadcast to (KH, KW, OH, OW)
    cols = _positions(kw, sw, ow)[None, :, None, :]
    img = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=np.result_type(col, np.float64))
    where: Any = (slice(None), slice(None), rows, cols)  # every (kernel offset, output position) pair
    np.add.at(img, where, col)
    return img[:, :, ph:ph + h, pw:pw + w]


class Im2col(Function):
    def __init__(self, kernel_size, stride=1, pad=0, to_matrix=True):
        self.kernel_size, self.stride, self.pad, self.to_matrix = kernel_size, stride, pad, to_matrix
        self.input_shape: tuple = ()

    def forward(self, x):
        self.input_shape = x.shape
        return im2col_array(x, self.kernel_size, self.stride, self.pad, self.to_matrix)

    def backward(self, gy):
        if isinstance(gy, Variable):
            return col2im(gy, self.input_shape, self.kernel_size, self.stride, self.pad, self.to_matrix)
        return col2im_array(gy, self.input_shape, self.kernel_size, self.stride, self.pad, self.to_matrix)


class Col2im(Function):
    def __init__(self, input_shape, kernel_size, stride=1, pad=0, to_matrix=True):
        self.input_shape = tuple(input_shape)
        self.kernel_size, self.stride, self.pad, self.to_matrix = kernel_size, stride, pad, to_matrix

    def forward(self, col):
        return col2im_array(col, self.input_shape, self.kernel_size, self.stride, self.pad, self.to_matrix)

    def backward(self, gx):
        if isinstance(gx, Variable):
            return im2col(gx, self.kernel_size, self.stride, self.pad, self.to_matrix)
        return im2col_array(gx, self.kernel_size, self.stride, self.pad, self.to_matrix)


class Conv2d(Function):
    """y = im2col(x) @ W.reshape(OC, -1).T + b, laid out as (N, OC, OH, OW)."""

    def __init__(self, stride=1, pad=0):
        self.stride, self.pad = pair(stride), pair(pad)

    def forward(self, x, W, b=None):
        if W.ndim != 4 or x.ndim != 4 or x.shape[1] != W.shape[1]:
            raise ValueError(f"conv2d needs x (N, C, H, W) and W (OC, C, KH, KW), got {x.shape} and {W.shape}")
        oc, kernel = W.shape[0], W.shape[2:]
        col = im2col_array(x, kernel, self.stride, self.pad)
        y = col @ W.reshape(oc, -1).T
        if b is not None:
            y = y + b
        _, _, _, (oh, ow) = _geometry(x.shape, kernel, self.stride, self.pad)
        return np.ascontiguousarray(y.reshape(x.shape[0], oh, ow, oc).transpose(0, 3, 1, 2))

    def backward(self, gy):
        x, W, *rest = self.input_values(gy)
        if isinstance(gy, Variable):
            return self._recorded(x, W, rest, gy)
        oc, kernel = W.shape[0], W.shape[2:]
        g = gy.transpose(0, 2, 3, 1).reshape(-1, oc)  # (N*OH*OW, OC): one row per output position
        col = im2col_array(x, kernel, self.stride, self.pad)
        gW = (g.T @ col).reshape(W.shape)  # every position's patch, weighted by its gradient, summed
        gx = col2im_array(g @ W.reshape(oc, -1), x.shape, kernel, self.stride, self.pad)
        return (gx, gW, g.sum(axis=0)) if rest else (gx, gW)

    def _recorded(self, x, W, rest, gy):
        """The same backward pass built from engine Functions (create_graph=True)."""
        oc, kernel = W.shape[0], W.shape[2:]
        g = reshape(transpose(gy, (0, 2, 3, 1)), (-1, oc))
        col = im2col(x, kernel, self.stride, self.pad)
        gW = reshape(matmul(transpose(g), col), W.shape)
        gx = col2im(matmul(g, reshape(W, (oc, -1))), x.shape, kernel, self.stride, self.pad)
        return (gx, gW, sum(g, axis=0)) if rest else (gx, gW)


class Pooling(Function):
    """Max pooling; the gradient goes to the first position holding each window's maximum."""

    def __init__(self, kernel_size, stride=1, pad=0):
        self.kernel_size, self.stride, self.pad = pair(kernel_size), stride, pad
        self.indexes: Any = None  # (N, C, OH, OW) once forward has run
        self.input_shape: tuple = ()

    def windows(self, x):
        col = im2col_array(x, self.kernel_size, self.stride, self.pad, to_matrix=False)
        n, c, kh, kw, oh, ow = col.shape
        return col.reshape(n, c, kh * kw, oh, ow)

    def forward(self, x):
        col = self.windows(x)
        self.input_shape = x.shape
        self.indexes = col.argmax(axis=2)
        return col.max(axis=2)

    def backward(self, gy):
        return PoolingGrad(self)._node(gy) if isinstance(gy, Variable) else _scatter_max(self, gy)


def _scatter_max(pool: Pooling, gy):
    """Each output gradient into its window's maximum position, then back to the input."""
    n, c, oh, ow = gy.shape
    kh, kw = pool.kernel_size
    g = np.zeros((n, c, kh * kw, oh, ow), dtype=np.result_type(gy, np.float64))
    np.put_along_axis(g, pool.indexes[:, :, None], np.asarray(gy)[:, :, None], axis=2)
    return col2im_array(g.reshape(n, c, kh, kw, oh, ow), pool.input_shape, pool.kernel_size, pool.stride,
                        pool.pad, to_matrix=False)


def _pick_max(pool: Pooling, x):
    """The values of ``x`` at the positions the forward pass picked."""
    return np.take_along_axis(pool.windows(x), pool.indexes[:, :, None], axis=2)[:, :, 0]


class PoolingGrad(Function):
    """The gradient of max pooling as a Function, so it can be differentiated again."""

    def __init__(self, pool: Pooling):
        self.pool = pool

    def forward(self, gy):
        return _scatter_max(self.pool, gy)

    def backward(self, ggx):
        return PoolingPick(self.pool)._node(ggx) if isinstance(ggx, Variable) else _pick_max(self.pool, ggx)


class PoolingPick(Function):
    """x at the recorded maximum positions (the adjoint of PoolingGrad)."""

    def __init__(self, pool: Pooling):
        self.pool = pool

    def forward(self, x):
        return _pick_max(self.pool, x)

    def backward(self, gy):
        return PoolingGrad(self.pool)._node(gy) if isinstance(gy, Variable) else _scatter_max(self.pool, gy)


def im2col(x, kernel_size, stride=1, pad=0, to_matrix=True):
    return Im2col(kernel_size, stride, pad, to_matrix)._node(x)


def col2im(x, input_shape, kernel_size, stride=1, pad=0, to_matrix=True):
    return Col2im(input_shape, kernel_size, stride, pad, to_matrix)._node(x)


def conv2d(x, W, b=None, stride=1, pad=0):
    return Conv2d(stride, pad)._node(x, W) if b is None else Conv2d(stride, pad)._node(x, W, b)


def pooling(x, kernel_size, stride=1, pad=0):
    return Pooling(kernel_size, stride, pad)._node(x)


def average_pooling(x, kernel_size, stride=1, pad=0):
    """The mean of every window: im2col, then a sum over the window divided by its size."""
    kh, kw = pair(kernel_size)
    col = im2col(x, (kh, kw), stride, pad, to_matrix=False)  # (N, C, KH, KW, OH, OW)
    return sum(col, axis=(2, 3)) / (kh * kw)

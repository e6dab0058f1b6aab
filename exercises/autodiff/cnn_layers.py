"""The book's convolution and pooling layers (ゼロから作るDeep Learning, chapter 7: common/util.py
and common/layers.py), written out again in the forward/backward style of layers.py.

``im2col`` unrolls every filter-sized patch of an (N, C, H, W) input into one row of a matrix of
shape (N*OH*OW, C*FH*FW): rows in (n, oh, ow) order, columns in (c, fh, fw) order. The
convolution is then one matrix product with the filters reshaped to (FN, C*FH*FW) and
transposed. ``col2im`` is its adjoint: each entry of a column matrix is added back to the input
position it was read from, so positions covered by several patches receive the sum.

The engine's Functions (conv.py: ``F.im2col``, ``F.conv2d``, ``F.pooling``) gather the patches
another way (numpy's sliding windows, scatter-adds with index arrays); the tests check the two
against each other and against numerical differentiation.
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["Convolution", "Pooling", "col2im", "im2col", "out_size"]


def out_size(size: int, filter_size: int, stride: int = 1, pad: int = 0) -> int:
    """The book's output size (H + 2P - FH) // S + 1 (floor division, as its code does)."""
    return (size + 2 * pad - filter_size) // stride + 1


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    """(N, C, H, W) -> (N*OH*OW, C*FH*FW): one filter-sized patch per row."""
    x = np.asarray(input_data)
    N, C, H, W = x.shape
    out_h, out_w = out_size(H, filter_h, stride, pad), out_size(W, filter_w, stride, pad)
    if out_h <= 0 or out_w <= 0:
        raise ValueError(f"im2col: a {filter_h}x{filter_w} filter does not fit a {H}x{W} input with pad {pad}")
    img = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)], mode="constant")
    col = np.zeros((N, C, filter_h, filter_w, out_h, out_w), dtype=np.result_type(x, np.float64))
    # For each offset (i, j) inside the filter, the input values it meets at every output position.
    for i in range(filter_h):
        rows = slice(i, i + stride * out_h, stride)
        for j in range(filter_w):
            col[:, :, i, j, :, :] = img[:, :, rows, j:j + stride * out_w:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(N * out_h * out_w, -1)


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    """The adjoint of ``im2col``: (N*OH*OW, C*FH*FW) back to ``input_shape``, overlaps summed."""
    N, C, H, W = input_shape
    out_h, out_w = out_size(H, filter_h, stride, pad), out_size(W, filter_w, stride, pad)
    col = np.asarray(col).reshape(N, out_h, out_w, C, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1), dtype=np.result_type(col, np.float64))
    for i in range(filter_h):
        rows = slice(i, i + stride * out_h, stride)
        for j in range(filter_w):
            img[:, :, rows, j:j + stride * out_w:stride] += col[:, :, i, j, :, :]
    return img[:, :, pad:H + pad, pad:W + pad]


class Convolution:
    """W (FN, C, FH, FW), b (FN,); forward on x (N, C, H, W) gives (N, FN, OH, OW)."""

    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
        self.stride, self.pad = stride, pad
        self.x: Any = None  # set by forward
        self.col: Any = None
        self.col_W: Any = None
        self.dW: Any = None  # set by backward
        self.db: Any = None

    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        FN, C, FH, FW = self.W.shape
        N, _, H, W = self.x.shape
        out_h, out_w = out_size(H, FH, self.stride, self.pad), out_size(W, FW, self.stride, self.pad)
        self.col = im2col(self.x, FH, FW, self.stride, self.pad)   # (N*OH*OW, C*FH*FW)
        self.col_W = self.W.reshape(FN, -1).T                      # (C*FH*FW, FN)
        out = self.col @ self.col_W + self.b                       # (N*OH*OW, FN)
        return out.reshape(N, out_h, out_w, FN).transpose(0, 3, 1, 2)

    def backward(self, dout):
        FN, C, FH, FW = self.W.shape
        dout = np.asarray(dout, dtype=float).transpose(0, 2, 3, 1).reshape(-1, FN)  # (N*OH*OW, FN)
        self.db = dout.sum(axis=0)
        self.dW = (self.col.T @ dout).T.reshape(FN, C, FH, FW)
        dcol = dout @ self.col_W.T
        return col2im(dcol, self.x.shape, FH, FW, self.stride, self.pad)


class Pooling:
    """Max pooling over pool_h x pool_w windows, channel by channel."""

    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h, self.pool_w, self.stride, self.pad = pool_h, pool_w, stride, pad
        self.x: Any = None  # set by forward
        self.arg_max: Any = None

    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        N, C, H, W = self.x.shape
        out_h = out_size(H, self.pool_h, self.stride, self.pad)
        out_w = out_size(W, self.pool_w, self.stride, self.pad)
        # One window of one channel per row: (N*OH*OW*C, PH*PW).
        windows = im2col(self.x, self.pool_h, self.pool_w, self.stride, self.pad).reshape(-1, self.pool_h * self.pool_w)
        self.arg_max = windows.argmax(axis=1)
        out = windows.max(axis=1)
        return out.reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)

    def backward(self, dout):
        size = self.pool_h * self.pool_w
        flat = np.asarray(dout, dtype=float).transpose(0, 2, 3, 1).reshape(-1)  # (N*OH*OW*C,)
        dwin = np.zeros((flat.size, size))
        dwin[np.arange(flat.size), self.arg_max] = flat  # only the position that held the maximum
        dcol = dwin.reshape(-1, self.x.shape[1] * size)   # back to (N*OH*OW, C*PH*PW)
        return col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)

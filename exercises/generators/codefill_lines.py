"""The code fill-in family's material: each layer's backward as the book writes it, the
candidate lines for a blank, and each candidate's meaning as a small Python function
(``CANDIDATES``: exact text -> function; nothing is ever exec'd or eval'd)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import t

BLANK = "____"


def _relu_mask_zero(s, dout):
    d = np.array(dout, dtype=float)
    d[s.mask] = 0
    return d


def _relu_not_mask_zero(s, dout):
    d = np.array(dout, dtype=float)
    d[~s.mask] = 0
    return d


def _relu_dout_mask_zero(s, dout):
    d = np.array(dout, dtype=float)
    d[d <= 0] = 0
    return d


# The meaning of every candidate line: (state, dout) -> the value the blank assigns (for
# Relu's statement lines: the dx the method returns). ``state`` has the attributes the shown
# class stores (self.x, self.y, self.out, self.mask, self.W, self.t, batch_size, ...).
CANDIDATES = {
    # MulLayer / AddLayer
    "dout * self.y": lambda s, dout: dout * s.y,
    "dout * self.x": lambda s, dout: dout * s.x,
    "self.y": lambda s, dout: s.y,
    "self.x": lambda s, dout: s.x,
    "dout": lambda s, dout: dout,
    "dout * 1": lambda s, dout: dout * 1,
    "dout * -1": lambda s, dout: dout * -1,
    "1": lambda s, dout: 1,
    # Relu (a whole statement; the method then returns dx = dout)
    "dout[self.mask] = 0": _relu_mask_zero,
    "dout[~self.mask] = 0": _relu_not_mask_zero,
    "dout[dout <= 0] = 0": _relu_dout_mask_zero,
    "dout = np.where(self.mask, 0.0, 1.0)": lambda s, dout: np.where(s.mask, 0.0, 1.0),
    # Sigmoid
    "dout * (1.0 - self.out) * self.out": lambda s, dout: dout * (1.0 - s.out) * s.out,
    "dout * self.x * (1.0 - self.x)": lambda s, dout: dout * s.x * (1.0 - s.x),
    "dout * self.out": lambda s, dout: dout * s.out,
    "dout * (1.0 - self.out)": lambda s, dout: dout * (1.0 - s.out),
    "(1.0 - self.out) * self.out": lambda s, dout: (1.0 - s.out) * s.out,
    # Affine
    "np.dot(dout, self.W.T)": lambda s, dout: np.dot(dout, s.W.T),
    "np.dot(dout, self.W)": lambda s, dout: np.dot(dout, s.W),
    "np.dot(self.W, dout.T)": lambda s, dout: np.dot(s.W, dout.T),
    "dout * self.W.T": lambda s, dout: dout * s.W.T,
    "np.dot(self.x.T, dout)": lambda s, dout: np.dot(s.x.T, dout),
    "np.dot(self.x, dout)": lambda s, dout: np.dot(s.x, dout),
    "np.dot(dout.T, self.x)": lambda s, dout: np.dot(dout.T, s.x),
    "np.dot(dout, self.x.T)": lambda s, dout: np.dot(dout, s.x.T),
    "np.sum(dout, axis=0)": lambda s, dout: np.sum(dout, axis=0),
    "np.mean(dout, axis=0)": lambda s, dout: np.mean(dout, axis=0),
    "np.sum(dout, axis=1)": lambda s, dout: np.sum(dout, axis=1),
    "np.sum(dout)": lambda s, dout: np.sum(dout),
    # SoftmaxWithLoss
    "(self.y - self.t) / batch_size": lambda s, dout: (s.y - s.t) / s.batch_size,
    "self.y - self.t": lambda s, dout: s.y - s.t,
    "(self.t - self.y) / batch_size": lambda s, dout: (s.t - s.y) / s.batch_size,
    "self.y / batch_size": lambda s, dout: s.y / s.batch_size,
}


@dataclass(frozen=True)
class Option:
    text: str
    misconception: str | None  # the known mistake this distractor comes from (None: the answer, or unnamed)
    why: dict                  # ja/en: what the line computes


@dataclass(frozen=True)
class Variant:
    layer: str
    blank: str        # the name the line assigns ("dx", "dW", ...) or "mask" for Relu's statement
    line: str         # the correct line as it appears in the code
    options: tuple    # Option, the first one correct
    forward: str      # LaTeX
    backward: str     # LaTeX


CODE = {
    "MulLayer": '''class MulLayer:
    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x = x
        self.y = y
        out = x * y
        return out

    def backward(self, dout):
        dx = dout * self.y
        dy = dout * self.x
        return dx, dy''',
    "AddLayer": '''class AddLayer:
    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x = x  # この問題では入力も保存しておく / kept for this exercise
        self.y = y
        out = x + y
        return out

    def backward(self, dout):
        dx = dout * 1
        dy = dout * 1
        return dx, dy''',
    "Relu": '''class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        dx = dout
        return dx''',
    "Sigmoid": '''class Sigmoid:
    def __init__(self):
        self.x = None
        self.out = None

    def forward(self, x):
        self.x = x
        out = 1 / (1 + np.exp(-x))
        self.out = out
        return out

    def backward(self, dout):
        dx = dout * (1.0 - self.out) * self.out
        return dx''',
    "Affine": '''class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.x = x
        out = np.dot(x, self.W) + self.b
        return out

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx''',
    "SoftmaxWithLoss": '''class SoftmaxWithLoss:
    def __init__(self):
        self.loss = None
        self.y = None  # softmax の出力 / softmax output
        self.t = None  # 教師データ（one-hot） / targets (one-hot)

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        dx = (self.y - self.t) / batch_size
        return dx''',
}

O = Option  # noqa: E741 - one letter keeps the option tables readable
NO_UPSTREAM = t("上流の勾配 dout を掛けていない（局所的な微分だけ）", "the local derivative alone, without dout")
VARIANTS = {
    ("MulLayer", "dx"): Variant("MulLayer", "dx", "dx = dout * self.y", (
        O("dout * self.y", None, t("上流の勾配 × もう一方の入力 y（正解）", "upstream times the other input y (right)")),
        O("dout * self.x", "mul_no_swap", t("入力を入れ替えずに x を掛けている", "multiplies by x: inputs not swapped")),
        O("self.y", "dropped_upstream", NO_UPSTREAM),
        O("dout", None, t("加算ノードのように素通ししている", "passes dout on like an add node")),
    ), r"z = xy", r"\frac{\partial L}{\partial x} = \frac{\partial L}{\partial z} \cdot y"),
    ("MulLayer", "dy"): Variant("MulLayer", "dy", "dy = dout * self.x", (
        O("dout * self.x", None, t("上流の勾配 × もう一方の入力 x（正解）", "upstream times the other input x (right)")),
        O("dout * self.y", "mul_no_swap", t("入力を入れ替えずに y を掛けている", "multiplies by y: inputs not swapped")),
        O("self.x", "dropped_upstream", NO_UPSTREAM),
        O("dout", None, t("加算ノードのように素通ししている", "passes dout on like an add node")),
    ), r"z = xy", r"\frac{\partial L}{\partial y} = \frac{\partial L}{\partial z} \cdot x"),
    ("AddLayer", "dx"): Variant("AddLayer", "dx", "dx = dout * 1", (
        O("dout * 1", None, t("上流の勾配をそのまま流す（正解）", "passes the upstream gradient on unchanged (right)")),
        O("dout * self.y", "add_swapped_like_mul", t("乗算ノードのように相手の入力を掛けている", "multiplies by the other input, like a mul node")),
        O("1", "dropped_upstream", NO_UPSTREAM),
        O("dout * -1", "sign_error", t("引き算ノードの y 側のように符号を反転している", "flips the sign, like the y side of a subtraction")),
    ), r"z = x + y", r"\frac{\partial L}{\partial x} = \frac{\partial L}{\partial z} \cdot 1"),
    ("AddLayer", "dy"): Variant("AddLayer", "dy", "dy = dout * 1", (
        O("dout * 1", None, t("上流の勾配をそのまま流す（正解）", "passes the upstream gradient on unchanged (right)")),
        O("dout * self.x", "add_swapped_like_mul", t("乗算ノードのように相手の入力を掛けている", "multiplies by the other input, like a mul node")),
        O("1", "dropped_upstream", NO_UPSTREAM),
        O("dout * -1", "sign_error", t("引き算ノードの y 側のように符号を反転している", "flips the sign, like the y side of a subtraction")),
    ), r"z = x + y", r"\frac{\partial L}{\partial y} = \frac{\partial L}{\partial z} \cdot 1"),
    ("Relu", "mask"): Variant("Relu", "mask", "dout[self.mask] = 0", (
        O("dout[self.mask] = 0", None, t("順伝播で x ≤ 0 だった要素の勾配を 0 にする（正解）", "zeroes the gradient where x ≤ 0 in forward (right)")),
        O("dout[~self.mask] = 0", "relu_mask_inverted", t("マスクが逆：x > 0 の要素を 0 にしている", "inverted mask: zeroes where x > 0")),
        O("dout[dout <= 0] = 0", None, t("入力 x ではなく上流の勾配の符号で判定している", "tests the sign of dout instead of the input x")),
        O("dout = np.where(self.mask, 0.0, 1.0)", "dropped_upstream", NO_UPSTREAM),
    ), r"y = \max(0, x)", r"\frac{\partial L}{\partial x} = \frac{\partial L}{\partial y} \cdot [x > 0]"),
    ("Sigmoid", "dx"): Variant("Sigmoid", "dx", "dx = dout * (1.0 - self.out) * self.out", (
        O("dout * (1.0 - self.out) * self.out", None, t("dout × y(1 - y)、y は順伝播の出力（正解）", "dout × y(1 - y) with the forward output y (right)")),
        O("dout * self.x * (1.0 - self.x)", "sigmoid_from_x", t("出力 y ではなく入力 x で x(1 - x) としている", "x(1 - x) from the input instead of the output")),
        O("dout * self.out", None, t("(1 - y) が抜けている", "the factor (1 - y) is missing")),
        O("dout * (1.0 - self.out)", None, t("y が抜けている", "the factor y is missing")),
        O("(1.0 - self.out) * self.out", "dropped_upstream", NO_UPSTREAM),
    ), r"y = \frac{1}{1 + \exp(-x)}", r"\frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}\, y (1 - y)"),
    ("Affine", "dx"): Variant("Affine", "dx", "dx = np.dot(dout, self.W.T)", (
        O("np.dot(dout, self.W.T)", None, t("dout·Wᵀ：(N, M)·(M, D) → (N, D)（正解）", "dout·Wᵀ: (N, M)·(M, D) → (N, D) (right)")),
        O("np.dot(dout, self.W)", "dx_no_transpose", t("W を転置していない（形が合わない）", "W not transposed (the shapes do not fit)")),
        O("np.dot(self.W, dout.T)", None, t("(D, N) になり、dx の転置の形", "gives (D, N), the transpose of dx's shape")),
        O("dout * self.W.T", None, t("行列積ではなく要素ごとの積", "an elementwise product, not a matrix product")),
    ), r"\mathbf{Y} = \mathbf{X}\mathbf{W} + \mathbf{b}",
        r"\frac{\partial L}{\partial \mathbf{X}} = \frac{\partial L}{\partial \mathbf{Y}}\, \mathbf{W}^{\top}"),
    ("Affine", "dW"): Variant("Affine", "dW", "self.dW = np.dot(self.x.T, dout)", (
        O("np.dot(self.x.T, dout)", None, t("Xᵀ·dout：(D, N)·(N, M) → (D, M)（正解）", "Xᵀ·dout: (D, N)·(N, M) → (D, M) (right)")),
        O("np.dot(self.x, dout)", "dw_no_transpose", t("X を転置していない（形が合わない）", "X not transposed (the shapes do not fit)")),
        O("np.dot(dout.T, self.x)", None, t("(M, D) になり、W の転置の形", "gives (M, D), the transpose of W's shape")),
        O("np.dot(dout, self.x.T)", None, t("(N, M)·(D, N) で形が合わない", "(N, M)·(D, N): the shapes do not fit")),
    ), r"\mathbf{Y} = \mathbf{X}\mathbf{W} + \mathbf{b}",
        r"\frac{\partial L}{\partial \mathbf{W}} = \mathbf{X}^{\top} \frac{\partial L}{\partial \mathbf{Y}}"),
    ("Affine", "db"): Variant("Affine", "db", "self.db = np.sum(dout, axis=0)", (
        O("np.sum(dout, axis=0)", None, t("バッチ方向（axis=0）に合計（正解）", "the sum over the batch axis 0 (right)")),
        O("np.mean(dout, axis=0)", "db_averaged", t("合計ではなく平均している", "the mean instead of the sum")),
        O("np.sum(dout, axis=1)", "db_wrong_axis", t("axis=1 で合計し、データごとの値 (N,) になる", "sums over axis 1: one value per sample, (N,)")),
        O("np.sum(dout)", None, t("全要素の合計で、スカラーになる", "the sum of everything: a scalar")),
    ), r"\mathbf{Y} = \mathbf{X}\mathbf{W} + \mathbf{b}",
        r"\frac{\partial L}{\partial \mathbf{b}} = \sum_{n} \left(\frac{\partial L}{\partial \mathbf{Y}}\right)_{n,:}"),
    ("SoftmaxWithLoss", "dx"): Variant("SoftmaxWithLoss", "dx", "dx = (self.y - self.t) / batch_size", (
        O("(self.y - self.t) / batch_size", None, t("(y - t)/N（正解）", "(y - t)/N (right)")),
        O("self.y - self.t", "softmax_no_n", t("バッチサイズで割っていない", "not divided by the batch size")),
        O("(self.t - self.y) / batch_size", "residual_reversed", t("符号が逆（t - y）", "the wrong sign (t - y)")),
        O("self.y / batch_size", None, t("教師データ t を引いていない", "the targets t are not subtracted")),
    ), r"L = -\frac{1}{N}\sum_{n}\sum_{k} t_{nk} \log y_{nk},\quad \mathbf{y} = \mathrm{softmax}(\mathbf{x})",
        r"\frac{\partial L}{\partial \mathbf{x}} = \frac{\mathbf{y} - \mathbf{t}}{N}"),
}
LAYERS = tuple(dict.fromkeys(layer for layer, _ in VARIANTS))
BLANKS = {layer: tuple(b for (l2, b) in VARIANTS if l2 == layer) for layer in LAYERS}

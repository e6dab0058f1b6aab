"""Exam-style code fill-in (family ``code-fill``): one line of a layer's ``backward`` is
blanked and the learner picks the right one among candidate lines.

Every candidate line has its meaning written here as a small Python function (``CANDIDATES``
maps the exact text to it; nothing is ever exec'd or eval'd). Each exercise runs every
candidate on random inputs and compares it with the engine's gradient for the same layer:
exactly the designated correct line must match and every distractor must not (a wrong shape,
an error, or different numbers). The correct line is also checked against the book's layer in
``exercises.autodiff.layers``. Distractors that come from a known misconception are listed in
``ex.mistakes[part] = {misconception id: option index}``, which ``grade`` uses to name them.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from ..autodiff import AddLayer, Affine, MulLayer, Relu, SigmoidLayer, SoftmaxWithLoss, Variable
from ..autodiff import functions as F
from ..autodiff.losses import np_softmax
from ..errors import Rejected
from ..exercise import Exercise, Part
from ..grading.misconceptions import MISCONCEPTIONS
from .base import BuiltinGenerator, Params, close, solution, t

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

O = Option
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
        O("(self.t - self.y) / batch_size", "sign_error", t("符号が逆（t - y）", "the wrong sign (t - y)")),
        O("self.y / batch_size", None, t("教師データ t を引いていない", "the targets t are not subtracted")),
    ), r"L = -\frac{1}{N}\sum_{n}\sum_{k} t_{nk} \log y_{nk},\quad \mathbf{y} = \mathrm{softmax}(\mathbf{x})",
        r"\frac{\partial L}{\partial \mathbf{x}} = \frac{\mathbf{y} - \mathbf{t}}{N}"),
}
LAYERS = tuple(dict.fromkeys(layer for layer, _ in VARIANTS))
BLANKS = {layer: tuple(b for (l2, b) in VARIANTS if l2 == layer) for layer in LAYERS}


def blanked_code(variant: Variant) -> str:
    code = CODE[variant.layer]
    if variant.line not in code:
        raise Rejected("bad_variant", f"{variant.layer}: line {variant.line!r} not in the code", fatal=True)
    if variant.blank == "mask":
        return code.replace(variant.line, BLANK)
    lhs = variant.line.split(" = ", 1)[0]
    return code.replace(variant.line, f"{lhs} = {BLANK}")


# ----------------------------------------------------------------------------- engine checks
def reference(variant: Variant, rng) -> tuple[SimpleNamespace, object, np.ndarray]:
    """Random inputs for the layer, the state the shown class would hold after forward, the
    upstream gradient, and the engine's gradient for the blank. The book's layer must agree."""
    layer, blank = variant.layer, variant.blank
    if layer in ("MulLayer", "AddLayer"):
        x, y, dout = (np.asarray(rng.normal()) for _ in range(3))  # numbers, as in the book
        xv, yv = Variable(x), Variable(y)
        z = xv * yv if layer == "MulLayer" else xv + yv
        z.grad = dout
        z.backward()
        book = MulLayer() if layer == "MulLayer" else AddLayer()
        book.forward(x, y)
        book_dx, book_dy = book.backward(dout)
        got, book_got = (xv.grad, book_dx) if blank == "dx" else (yv.grad, book_dy)
        return SimpleNamespace(x=x, y=y), dout, _agree(variant, got, book_got)
    if layer in ("Relu", "Sigmoid"):
        x, dout = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
        xv = Variable(x)
        out = F.relu(xv) if layer == "Relu" else F.sigmoid(xv)
        out.grad = dout
        out.backward()
        book = Relu() if layer == "Relu" else SigmoidLayer()
        fwd = book.forward(x)
        state = SimpleNamespace(x=x, mask=x <= 0, out=fwd)
        return state, dout, _agree(variant, xv.grad, book.backward(dout.copy()))
    if layer == "Affine":
        n, d, m = 4, 3, 2  # all different, so a misplaced transpose shows in the shape
        x, W, b, dout = rng.normal(size=(n, d)), rng.normal(size=(d, m)), rng.normal(size=m), rng.normal(size=(n, m))
        xv, wv, bv = Variable(x), Variable(W), Variable(b)
        out = F.linear(xv, wv, bv)
        out.grad = dout
        out.backward()
        book = Affine(W, b)
        book.forward(x)
        book_dx = book.backward(dout)
        got = {"dx": (xv.grad, book_dx), "dW": (wv.grad, book.dW), "db": (bv.grad, book.db)}[blank]
        return SimpleNamespace(x=x, W=W, b=b), dout, _agree(variant, *got)
    if layer == "SoftmaxWithLoss":
        n, c = 3, 4
        x, labels = rng.normal(size=(n, c)), rng.integers(c, size=n)
        xv = Variable(x)
        F.softmax_cross_entropy(xv, labels).backward()
        hot = np.eye(c)[labels]
        book = SoftmaxWithLoss()
        book.forward(x, hot)
        state = SimpleNamespace(y=np_softmax(x), t=hot, batch_size=n)
        return state, 1, _agree(variant, xv.grad, book.backward())
    raise Rejected("bad_variant", f"no reference for {layer}", fatal=True)


def _agree(variant: Variant, engine, book) -> np.ndarray:
    if not close(engine, book):
        raise Rejected("layer_check", f"{variant.layer}.{variant.blank}: the book's layer disagrees with the engine",
                       fatal=True)
    return np.asarray(engine, dtype=float)


def verdict(text: str, state, dout, expected: np.ndarray) -> str:
    """Run one candidate: "match", "mismatch" (other numbers), "shape" (another shape) or
    "error" (numpy refuses the shapes)."""
    fn = CANDIDATES[text]
    try:
        with np.errstate(all="ignore"):
            got = fn(state, np.array(dout, dtype=float) if np.ndim(dout) else dout)
    except ValueError:
        return "error"
    got = np.asarray(got, dtype=float)
    if got.shape != expected.shape:
        return "shape"
    return "match" if close(got, expected) else "mismatch"


def verify(variant: Variant, rng, attempts: int = 5) -> dict:
    """{candidate text: verdict}; exactly the first (designated) option must match."""
    texts = [o.text for o in variant.options]
    unknown = [x for x in texts if x not in CANDIDATES]
    if unknown or len(set(texts)) != len(texts):
        raise Rejected("bad_variant", f"{variant.layer}.{variant.blank}: unknown or repeated options "
                                      f"{unknown or texts}", fatal=True)
    last = None
    for _ in range(attempts):
        state, dout, expected = reference(variant, rng)
        verdicts = {o.text: verdict(o.text, state, dout, expected) for o in variant.options}
        matching = [text for text, v in verdicts.items() if v == "match"]
        if matching == [variant.options[0].text]:
            return verdicts
        last = verdicts
    raise Rejected("candidate_check", f"{variant.layer}.{variant.blank}: verdicts {last}", fatal=True)


# ----------------------------------------------------------------------------- generator
VERDICT_TEXT = {
    "match": t("エンジンの勾配と一致", "matches the engine's gradient"),
    "mismatch": t("値がエンジンの勾配と異なる", "different values from the engine's gradient"),
    "shape": t("形がエンジンの勾配と異なる", "a different shape from the engine's gradient"),
    "error": t("形が合わず numpy がエラーを出す", "numpy raises an error: the shapes do not fit"),
}


class LayerBackwardCodeFill(BuiltinGenerator):
    slug = "layer-backward-code-fill"
    version = 1
    family = "code-fill"
    difficulty = 2
    topics = ("backprop", "affine-layer", "activation-functions", "loss-functions")
    title = t("レイヤの backward の穴埋め", "Fill in a layer's backward")
    statement = t("MulLayer・AddLayer・Relu・Sigmoid・Affine・SoftmaxWithLoss の backward から1行を空欄にした、"
                  "E資格形式のコード穴埋め問題です。",
                  "Exam-style code fill-in: one line of the backward of MulLayer, AddLayer, Relu, Sigmoid, "
                  "Affine or SoftmaxWithLoss is blanked.")
    source = "built-in generator exercises.generators.codefill.LayerBackwardCodeFill (ゼロから作るDeep Learning 5章)"
    params_doc = t(
        "layer（MulLayer / AddLayer / Relu / Sigmoid / Affine / SoftmaxWithLoss）と blank（dx / dy / dW / db / mask："
        "レイヤにある行）。",
        "layer (MulLayer, AddLayer, Relu, Sigmoid, Affine or SoftmaxWithLoss) and blank (dx, dy, dW, db or mask: "
        "a line the layer has).")
    hints = (
        t("順伝播の式を局所的に微分し、上流から来た dout を掛けます。",
          "Differentiate the forward formula locally and multiply by dout from upstream."),
        t("行列の式では、勾配が元の変数と同じ形になるように転置を選びます。",
          "With matrices, place the transpose so that each gradient has its variable's shape."),
    )
    explanation = t("", "")

    def draw(self, rng) -> dict:
        keys = list(VARIANTS)
        layer, blank = keys[int(rng.integers(len(keys)))]
        return {"layer": layer, "blank": blank}

    def check_params(self, params) -> dict:
        p = Params(params, ("layer",), ("blank",))
        layer = p.one_of("layer", LAYERS)
        if p.has("blank"):
            blank = p.one_of("blank", BLANKS[layer])
        else:
            blank = BLANKS[layer][0]
        return {"layer": layer, "blank": blank}

    def build(self, seed, params, layout, drawn) -> Exercise:
        variant = VARIANTS[(params["layer"], params["blank"])]
        verdicts = verify(variant, layout)
        order = [int(i) for i in layout.permutation(len(variant.options))]
        options = [variant.options[i] for i in order]
        choices = tuple(t(o.text, o.text) for o in options)
        key = order.index(0)
        named = {o.misconception: k for k, o in enumerate(options)
                 if o.misconception and o.misconception in MISCONCEPTIONS}
        code = blanked_code(variant)
        what = "空欄 `____` の行" if variant.blank == "mask" else f" `{variant.line.split(' = ')[0]} = ____` の空欄"
        what_en = "the blank line `____`" if variant.blank == "mask" else \
            f"the blank in `{variant.line.split(' = ')[0]} = ____`"
        statement = t(
            f"次は `{variant.layer}` レイヤの実装です（`import numpy as np` 済み）。"
            f"`backward` の{what}に入る正しいものを選びなさい。\n\n```python\n{code}\n```",
            f"Here is the `{variant.layer}` layer (with `import numpy as np`). Choose what goes in "
            f"{what_en} of `backward`.\n\n```python\n{code}\n```")
        part = Part("blank", "choice", t("空欄に入るものを選びなさい。", "Choose the line for the blank."),
                    None, choices)
        checks = [{"option": k, "text": o.text, "verdict": verdicts[o.text], "correct": k == key}
                  for k, o in enumerate(options)]
        notes_ja = [f"- `{o.text}`：{o.why['ja']}（{VERDICT_TEXT[verdicts[o.text]]['ja']}）" for o in options]
        notes_en = [f"- `{o.text}`: {o.why['en']} ({VERDICT_TEXT[verdicts[o.text]]['en']})" for o in options]
        explanation = t(
            f"順伝播 ${variant.forward}$ の逆伝播は ${variant.backward}$ なので、正解は `{variant.line}` です。\n\n"
            + "\n".join(notes_ja) +
            "\n\n各選択肢をランダムな入力で実際に計算し、自動微分エンジンの勾配と比べて確かめています。",
            f"The forward pass ${variant.forward}$ has the backward pass ${variant.backward}$, so the right line is "
            f"`{variant.line}`.\n\n" + "\n".join(notes_en) +
            "\n\nEach option was run on random inputs and compared with the autodiff engine's gradient.")
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=statement, params=dict(params),
            parts=[part], answers={"blank": key}, mistakes={"blank": named}, graph=None,
            solution=solution([f"${variant.forward}$"], [f"${variant.backward}$"], None, checks=checks,
                              code=CODE[variant.layer]),
            hints=self.hints, explanation=explanation)

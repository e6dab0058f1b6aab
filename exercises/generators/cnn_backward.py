"""Convolution and pooling backward on small numbers (family ``cnn``).

``ConvForwardBackward``: one channel, a 3×3 or 4×4 input, a 2×2 filter, stride 1, pad 0: an
output element, elements of dW and of dx for a given dout. The reference is the engine
(``F.conv2d`` and backward), checked against the book's ``Convolution`` layer, central
differences of Σ dout ⊙ y with y from the definition (sliding windows), and for dx the "full"
convolution of the zero-padded dout with the filter rotated by 180°. Misconception answers are
the same engine graph run with a mutated ``Conv2d`` backward rule (dW from one position, dx
with the filter unrotated) and, for y, the forward pass with the filter flipped.

``PoolingBackward``: 2×2 max pooling, stride 2, on a 4×4 input, and average pooling's backward;
engine ``F.pooling`` / ``F.average_pooling`` against the book's ``Pooling`` layer, central
differences and dout/4 spread by ``np.kron``.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..autodiff import BackwardRules, Variable
from ..autodiff import functions as F
from ..autodiff.conv import Conv2d
from ..autodiff.layers import Convolution, Pooling
from ..errors import Rejected
from ..exercise import Exercise, Part
from ..numdiff import numerical_grad
from ..spec.model import Precision
from .regularization import array_key, array_mistakes, array_part
from .base import BuiltinGenerator, Params, differing, num, pmatrix, require_close, solution, t

INTEGER = Precision("decimals", 0)
X_VALUES = np.array([-3, -2, -1, 1, 2, 3])
W_VALUES = np.array([-2, -1, 1, 2, 3])
DOUT_VALUES = np.array([-2, -1, 1, 2, 3])


def direct_conv(x, W, b):
    """y[i, j] = Σ_a Σ_b x[i+a, j+b]·W[a, b] + b, from the definition (2-D arrays)."""
    return np.einsum("ijab,ab->ij", sliding_window_view(x, W.shape), W) + b


def full_conv_dx(dout, W, flip: bool = True):
    """dx as the zero-padded dout convolved with the filter rotated by 180° (flip=False: unrotated)."""
    kh, kw = W.shape
    padded = np.pad(dout, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    return direct_conv(padded, W[::-1, ::-1] if flip else W, 0.0)


def _one_position_rule(f, gy):
    """dW from the top-left output position only (the rest of the rule as it is)."""
    one = np.zeros_like(gy)
    one[:, :, 0, 0] = gy[:, :, 0, 0]
    gx, _, *gb = f.backward(gy)
    _, gW, *_ = f.backward(one)
    return (gx, gW, *gb)


def _unflipped_dx_rule(f, gy):
    gx, *rest = f.backward(gy)
    W = f.inputs[1].data
    return (full_conv_dx(gy[0, 0], W[0, 0], flip=False)[None, None], *rest)


RULES = {"conv_dw_not_summed": BackwardRules({Conv2d: _one_position_rule}),
         "conv_dx_filter_not_flipped": BackwardRules({Conv2d: _unflipped_dx_rule})}
WHICH = {"conv_dw_not_summed": "dW", "conv_dx_filter_not_flipped": "dx"}


def conv_engine(x, W, b, dout, rules=None) -> dict:
    xv, wv, bv = Variable(x[None, None], "x"), Variable(W[None, None], "W"), Variable(np.array([b]), "b")
    y = F.conv2d(xv, wv, bv)
    y.grad = dout[None, None]
    y.backward(rules=rules)
    return {"y": y.data[0, 0], "dW": wv.grad[0, 0], "dx": xv.grad[0, 0], "db": float(bv.grad[0])}


def conv_verified(x, W, b, dout) -> dict:
    eng = conv_engine(x, W, b, dout)
    layer = Convolution(W[None, None], [b])
    require_close("y (book layer)", eng["y"], layer.forward(x[None, None])[0, 0])
    require_close("dx (book layer)", eng["dx"], layer.backward(dout[None, None])[0, 0])
    require_close("dW (book layer)", eng["dW"], layer.dW[0, 0])
    require_close("y (definition)", eng["y"], direct_conv(x, W, b))
    nx, nw = numerical_grad(lambda a, w: np.sum(direct_conv(a, w, b) * dout), x, W)
    require_close("dx (numerical)", eng["dx"], nx)
    require_close("dW (numerical)", eng["dW"], nw)
    require_close("dx (full convolution, filter rotated)", eng["dx"], full_conv_dx(dout, W))
    return eng


def conv_mistakes(x, W, b, dout) -> dict:
    """{part's array: {misconception: the array it gives}}."""
    out: dict = {"y": {"conv_filter_flipped": direct_conv(x, W[::-1, ::-1], b)}, "dW": {}, "dx": {}}
    for mid, rules in RULES.items():
        out[WHICH[mid]][mid] = conv_engine(x, W, b, dout, rules)[WHICH[mid]]
    return out


class ConvForwardBackward(BuiltinGenerator):
    slug = "conv-forward-backward"
    version = 1
    family = "cnn"
    difficulty = 3
    topics = ("cnn", "backprop")
    syllabus = ("3-4",)
    title = t("畳み込みの順伝播と逆伝播を数値で計算する", "Convolution forward and backward with numbers")
    statement = t("1 チャンネルの小さな入力と 2×2 フィルタで、畳み込みの出力の要素と dW・dx の要素を求める問題です。",
                  "With a small one-channel input and a 2×2 filter, find an element of a convolution's output and "
                  "elements of dW and dx.")
    source = "built-in generator exercises.generators.cnn_backward.ConvForwardBackward (ゼロから作るDeep Learning 7.2, 7.4)"
    params_doc = t(
        "x（3×3 か 4×4、各値 -10〜10）、W（2×2、-10〜10）、b（-10〜10）、dout（x より 1 小さい正方行列、-10〜10）。"
        "任意で y_at（y の添字）、dw_at（dW の添字）、dx_at（dx の添字を 1〜2 個）。",
        "x (3×3 or 4×4, values -10..10), W (2×2, -10..10), b (-10..10), dout (square, one smaller than x, -10..10); "
        "optionally y_at (an index into y), dw_at (an index into dW), dx_at (one or two indices into dx).")
    hints = (
        t("CNN の畳み込みはフィルタを反転せずに重ねます：y[i, j] = Σₐ Σ_b x[i+a, j+b]·W[a, b] + b。",
          "A CNN's convolution lays the filter on unflipped: y[i, j] = Σₐ Σ_b x[i+a, j+b]·W[a, b] + b."),
        t("W[a, b] はすべての出力位置で使われるので、dW[a, b] = Σᵢ Σⱼ dout[i, j]·x[i+a, j+b] です。",
          "W[a, b] is used at every output position: dW[a, b] = Σᵢ Σⱼ dout[i, j]·x[i+a, j+b]."),
        t("x[p, q] は y[i, j] に W[p−i, q−j] で効きます：dx[p, q] = Σ dout[i, j]·W[p−i, q−j]（添字が範囲内の項だけ）。",
          "x[p, q] reaches y[i, j] with weight W[p−i, q−j]: dx[p, q] = Σ dout[i, j]·W[p−i, q−j] over the indices in range."),
    )
    explanation = t(
        "出力 y[i, j] は x[i+a, j+b]·W[a, b] の和にバイアスを足したものです"
        "（CNN の畳み込みは相互相関で、フィルタは反転しません）。"
        "W[a, b] は出力のすべての位置で共有されているので、dW[a, b] は全位置からの寄与 dout[i, j]·x[i+a, j+b] の合計です。"
        "x[p, q] は、それを覆うすべてのフィルタ位置 (i, j) を通して y[i, j] に W[p−i, q−j] 倍で効くので、"
        "dx[p, q] = Σ dout[i, j]·W[p−i, q−j] です。これは周りを 0 で埋めた dout と 180° 回転したフィルタの畳み込みで、"
        "本の実装では dcol = dout·col_Wᵀ を col2im で足し戻すことで同じ計算をしています。",
        "The output y[i, j] sums x[i+a, j+b]·W[a, b] and adds the bias (a CNN's convolution is a cross-correlation: the "
        "filter is not flipped). W[a, b] is shared by every output position, so dW[a, b] sums every position's "
        "dout[i, j]·x[i+a, j+b]. x[p, q] reaches y[i, j] through every filter position (i, j) covering it, with weight "
        "W[p−i, q−j], so dx[p, q] = Σ dout[i, j]·W[p−i, q−j]: the zero-padded dout convolved with the filter rotated by "
        "180°. The book computes the same thing by adding dcol = dout·col_Wᵀ back with col2im.")

    def draw(self, rng) -> dict:
        n = int(rng.choice([3, 4]))
        return {"x": _ints(rng.choice(X_VALUES, size=(n, n))), "W": _ints(rng.choice(W_VALUES, size=(2, 2))),
                "b": int(rng.integers(-2, 3)), "dout": _ints(rng.choice(DOUT_VALUES, size=(n - 1, n - 1)))}

    def check_params(self, params) -> dict:
        p = Params(params, ("x", "W", "b", "dout"), ("y_at", "dw_at", "dx_at"))
        x = p.matrix("x", -10, 10, rows=(3, 4), cols=(3, 4))
        n = len(x)
        if len(x[0]) != n:
            p._fail("x", "3×3 か 4×4 の正方行列にしてください", "must be a square 3×3 or 4×4 matrix")
        out: dict = {"x": x, "W": p.matrix("W", -10, 10, rows=(2,), cols=(2,)), "b": p.number("b", -10, 10),
                     "dout": p.matrix("dout", -10, 10, rows=(n - 1,), cols=(n - 1,))}
        if p.has("y_at"):
            out["y_at"] = p.index("y_at", (n - 1, n - 1))
        if p.has("dw_at"):
            out["dw_at"] = p.index("dw_at", (2, 2))
        if p.has("dx_at"):
            out["dx_at"] = p.indices("dx_at", (n, n))
        return out

    def build(self, seed, params, layout, drawn) -> Exercise:
        x, W, dout = (np.asarray(params[k], dtype=float) for k in ("x", "W", "dout"))
        b = float(params["b"])
        eng = conv_verified(x, W, b, dout)
        wrong = conv_mistakes(x, W, b, dout)
        given = {0.0, 1.0, *x.ravel(), *W.ravel(), b, *dout.ravel()}
        asked = _choose(params, eng, wrong, given, drawn, layout)
        parts, answers, mistakes = [], {}, {}
        for pid, arr, at in asked:
            right = float(eng[arr][tuple(at)]) + 0.0
            answers[pid] = right
            found = {mid: float(a[tuple(at)]) for mid, a in wrong[arr].items()}
            mistakes[pid] = differing(INTEGER, right, found, drawn)
            parts.append(Part(pid, "value" if arr == "y" else "gradient", _prompt(arr, at), INTEGER))
        out_params = {k: params[k] for k in ("x", "W", "b", "dout")} | {
            "y_at": asked[0][2], "dw_at": asked[1][2], "dx_at": [a[2] for a in asked[2:]]}
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_statement(x, W, b, dout), params=out_params,
            parts=parts, answers=answers, mistakes=mistakes, graph=None,
            solution=solution(*_solution(x, W, b, dout, eng)), hints=self.hints, explanation=self.explanation)


def _ints(a) -> list:
    return [[int(v) for v in row] for row in np.asarray(a)]


def _choose(params, eng, wrong, given, drawn, layout) -> list:
    """(part id, array, index) for y, dW and dx: the given indices, or cells whose answer is no
    given number and differs from every mistake's (a drawn exercise with none is redrawn)."""
    def good(arr, at) -> bool:
        right = float(eng[arr][at])
        return right not in given and all(abs(float(a[at]) - right) > 0.5 for a in wrong[arr].values())

    def pick(arr, k):
        cells = [tuple(int(i) for i in c) for c in np.ndindex(*eng[arr].shape)]
        order = [cells[int(i)] for i in layout.permutation(len(cells))]
        fine = [c for c in order if good(arr, c)]
        if drawn and len(fine) < k:
            raise Rejected("degenerate", f"{arr}: too few elements both new and told apart from the mistakes")
        return [list(c) for c in (fine + [c for c in order if c not in fine])[:k]]

    y_at = params.get("y_at") or pick("y", 1)[0]
    dw_at = params.get("dw_at") or pick("dW", 1)[0]
    dx_at = params.get("dx_at") or pick("dx", 2)
    return [("y", "y", list(y_at)), ("dw", "dW", list(dw_at))] + \
        [(f"dx_{i + 1}" if len(dx_at) > 1 else "dx", "dx", list(at)) for i, at in enumerate(dx_at)]


def _prompt(arr: str, at) -> dict:
    idx = ", ".join(map(str, at))
    if arr == "y":
        return t(f"出力 `y[{idx}]` を求めなさい（添字は 0 始まり）。", f"Find the output `y[{idx}]` (indices from 0).")
    of = r"\mathbf{W}" if arr == "dW" else r"\mathbf{x}"
    return t(f"`{arr}` $= \\partial L / \\partial {of}$ の要素 `{arr}[{idx}]` を求めなさい（添字は 0 始まり）。",
             f"Find the element `{arr}[{idx}]` of `{arr}` $= \\partial L / \\partial {of}$ (indices from 0).")


def _statement(x, W, b, dout) -> dict:
    given = rf"$$\mathbf{{x}} = {pmatrix(x)}, \quad \mathbf{{W}} = {pmatrix(W)}, \quad b = {num(b)}$$"
    upstream = rf"$$\mathrm{{dout}} = \frac{{\partial L}}{{\partial \mathbf{{y}}}} = {pmatrix(dout)}$$"
    n = x.shape[0]
    return t(
        f"1 チャンネルの入力 $\\mathbf{{x}}$（{n}×{n}）に、フィルタ $\\mathbf{{W}}$（2×2）とバイアス $b$ の畳み込みレイヤ"
        "（本の `Convolution` と同じ計算、ストライド 1、パディング 0、N = 1、FN = 1）を適用して出力 "
        f"$\\mathbf{{y}}$（{n - 1}×{n - 1}）を得ました。\n\n{given}\n\n逆伝播で上流から次の勾配（コードでは `dout`）が"
        f"流れてきました。\n\n{upstream}\n\n次の値を求めなさい。添字は numpy と同じく 0 始まりです。",
        f"A convolution layer with the filter $\\mathbf{{W}}$ (2×2) and bias $b$ (the book's `Convolution`, stride 1, pad 0, "
        f"N = 1, FN = 1) is applied to a one-channel input $\\mathbf{{x}}$ ({n}×{n}), giving the output $\\mathbf{{y}}$ "
        f"({n - 1}×{n - 1}).\n\n{given}\n\nIn the backward pass this gradient (`dout` in code) arrives from upstream."
        f"\n\n{upstream}\n\nFind the values below; indices start at 0, as in numpy.")


def _solution(x, W, b, dout, eng) -> tuple[list, list]:
    forward = [rf"$y_{{ij}} = \sum_{{a,b}} x_{{i+a,\,j+b}} W_{{ab}} + b:\ \mathbf{{y}} = {pmatrix(eng['y'])}$"]
    padded = np.pad(dout, 1)
    backward = [
        rf"$\mathrm{{dW}}_{{ab}} = \sum_{{i,j}} \mathrm{{dout}}_{{ij}}\, x_{{i+a,\,j+b}}:\ "
        rf"\mathrm{{dW}} = {pmatrix(eng['dW'])}$",
        rf"$\mathrm{{dx}}_{{pq}} = \sum_{{i,j}} \mathrm{{dout}}_{{ij}}\, W_{{p-i,\,q-j}}:\ "
        rf"{pmatrix(padded)} \star {pmatrix(W[::-1, ::-1])} = {pmatrix(eng['dx'])}$",
    ]
    return forward, backward


# =============================================================================== pooling
POOL = Precision("decimals", 2)
POOL_X = np.arange(-9, 10)
POOL_DOUT = np.array([-3, -2, -1, 1, 2, 3, 4])


def _pool(x, how):
    """2×2 windows with stride 2 of a 4×4 array, from the definition."""
    return how(x.reshape(2, 2, 2, 2), axis=(1, 3))


def pooling_verified(x, dout) -> dict:
    """dx of 2×2 max and average pooling (stride 2) by the engine, checked three ways each."""
    spread = np.kron(dout, np.ones((2, 2)))  # each dout copied over its window
    out = {}
    for kind, fn in (("max", F.pooling), ("avg", F.average_pooling)):
        xv = Variable(x[None, None], "x")
        y = fn(xv, 2, 2)
        y.grad = dout[None, None]
        y.backward()
        out[kind], out[f"y_{kind}"] = xv.grad[0, 0], y.data[0, 0]
    layer = Pooling(2, 2, stride=2)
    require_close("max y (book layer)", out["y_max"], layer.forward(x[None, None])[0, 0])
    require_close("max dx (book layer)", out["max"], layer.backward(dout[None, None])[0, 0])
    require_close("max dx (numerical)", out["max"], numerical_grad(lambda a: np.sum(_pool(a, np.max) * dout), x))
    require_close("max dx (mask)", out["max"], spread * (x == np.kron(_pool(x, np.max), np.ones((2, 2)))))
    require_close("avg dx (numerical)", out["avg"], numerical_grad(lambda a: np.sum(_pool(a, np.mean) * dout), x))
    require_close("avg dx (dout / 4)", out["avg"], spread / 4)
    out["spread"] = spread
    return out


class PoolingBackward(BuiltinGenerator):
    slug = "pooling-backward"
    version = 1
    family = "cnn"
    difficulty = 2
    topics = ("cnn", "backprop")
    syllabus = ("3-4",)
    title = t("Max プーリングと Average プーリングの逆伝播", "Backward through max and average pooling")
    statement = t("4×4 の入力に 2×2・ストライド 2 のプーリングをかけ、上流の勾配 dout から dx を求める問題です。",
                  "2×2 pooling with stride 2 on a 4×4 input: find dx from the upstream gradient dout.")
    source = "built-in generator exercises.generators.cnn_backward.PoolingBackward (ゼロから作るDeep Learning 7.3, 7.4.4)"
    params_doc = t("x（4×4、各値 -100〜100、各 2×2 ウィンドウの最大値は 1 つ）、dout（2×2、0 以外、-100〜100）。",
                   "x (4×4, values -100..100, one maximum in each 2×2 window), dout (2×2, nonzero, -100..100).")
    hints = (
        t("Max プーリングの出力は各ウィンドウの最大値だけで決まります。勾配はどこに流れるでしょうか。",
          "A max-pooling output depends only on its window's maximum: where does the gradient go?"),
        t("Average プーリングは y = (x₁ + x₂ + x₃ + x₄)/4 なので、∂y/∂xₖ = 1/4 です。",
          "Average pooling is y = (x₁ + x₂ + x₃ + x₄)/4, so ∂y/∂xₖ = 1/4."),
    )
    explanation = t(
        "Max プーリングでは、各ウィンドウの出力は最大値の要素そのものなので、その要素についての微分は 1、ほかの要素は 0 です。"
        "dx は dout を最大値の位置にだけ置き、ほかを 0 にした行列になります"
        "（本の Pooling は forward で arg_max を覚えておきます）。"
        "Average プーリングではウィンドウの 4 要素がそれぞれ 1/4 ずつ出力に効くので、"
        "dout/4 がウィンドウのすべての要素に配られます。",
        "In max pooling each window's output is its largest element, so the derivative is 1 for that element and 0 for the "
        "others: dx puts dout at the maximum's position and 0 elsewhere (the book's Pooling remembers arg_max in forward). "
        "In average pooling each of the 4 elements counts 1/4 in the output, so dout/4 goes to every element of the window.")

    def draw(self, rng) -> dict:
        return {"x": _ints(rng.choice(POOL_X, size=16, replace=False).reshape(4, 4)),
                "dout": _ints(rng.choice(POOL_DOUT, size=(2, 2)))}

    def check_params(self, params) -> dict:
        p = Params(params, ("x", "dout"))
        x = p.matrix("x", -100, 100, rows=(4,), cols=(4,))
        windows = np.asarray(x, dtype=float).reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(4, 4)
        if any(np.sum(w == w.max()) > 1 for w in windows):
            p._fail("x", "各 2×2 ウィンドウの最大値は 1 つにしてください", "each 2×2 window needs a single maximum")
        dout = p.matrix("dout", -100, 100, rows=(2,), cols=(2,))
        if any(v == 0 for row in dout for v in row):
            p._fail("dout", "0 以外の値にしてください", "must be nonzero")
        return {"x": x, "dout": dout}

    def build(self, seed, params, layout, drawn) -> Exercise:
        x, dout = np.asarray(params["x"], dtype=float), np.asarray(params["dout"], dtype=float)
        eng = pooling_verified(x, dout)
        keys = {"dx_max": array_key(eng["max"]), "dx_avg": array_key(eng["avg"])}
        wrong = {"dx_max": {"maxpool_grad_everywhere": eng["spread"], "maxpool_grad_averaged": eng["spread"] / 4},
                 "dx_avg": {"avgpool_not_divided": eng["spread"]}}
        mistakes = {pid: array_mistakes(POOL, keys[pid], wrong[pid], drawn) for pid in keys}
        prompts = {
            "dx_max": t("2×2・ストライド 2 の **Max プーリング**の逆伝播で、dx（4×4）を求めなさい。",
                        "Find dx (4×4) of the backward pass through 2×2 **max pooling** with stride 2."),
            "dx_avg": t("同じ x と dout で、2×2・ストライド 2 の **Average プーリング**の dx（4×4）を求めなさい。",
                        "With the same x and dout, find dx (4×4) of 2×2 **average pooling** with stride 2."),
        }
        parts = [array_part(pid, prompts[pid], keys[pid], POOL) for pid in keys]
        forward = [rf"$\mathbf{{y}}_{{\max}} = {pmatrix(eng['y_max'])},\quad \mathbf{{y}}_{{\mathrm{{avg}}}} = "
                   rf"{pmatrix(eng['y_avg'], 4)}$"]
        backward = [rf"$\mathrm{{dx}}_{{\max}} = {pmatrix(eng['max'])}$",
                    rf"$\mathrm{{dx}}_{{\mathrm{{avg}}}} = \mathrm{{dout}} \otimes \tfrac14 \mathbf{{1}}_{{2\times 2}} = "
                    rf"{pmatrix(eng['avg'], 4)}$"]
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_pool_statement(x, dout), params=dict(params),
            parts=parts, answers=dict(keys), mistakes=mistakes, graph=None, solution=solution(forward, backward),
            hints=self.hints, explanation=self.explanation)


def _pool_statement(x, dout) -> dict:
    dl = r"\frac{\partial L}{\partial \mathbf{y}}"
    given = rf"$$\mathbf{{x}} = {pmatrix(x)}, \qquad \mathrm{{dout}} = {dl} = {pmatrix(dout)}$$"
    return t(
        "1 チャンネルの 4×4 の入力 $\\mathbf{x}$ に、2×2 のウィンドウ・ストライド 2 のプーリングをかけて 2×2 の出力 "
        "$\\mathbf{y}$ を得ました。逆伝播で上流から dout が流れてきます。\n\n"
        f"{given}\n\n各要素を小数第 2 位まで求め、4×4 の行列で答えなさい（例: 1, 0, 0, 0; 0, 0, 2, 0; ...）。",
        "Pooling with 2×2 windows and stride 2 turns a one-channel 4×4 input $\\mathbf{x}$ into a 2×2 output "
        "$\\mathbf{y}$; in the backward pass dout arrives from upstream.\n\n"
        f"{given}\n\nGive each element to 2 decimal places, as a 4×4 matrix (e.g. 1, 0, 0, 0; 0, 0, 2, 0; ...).")

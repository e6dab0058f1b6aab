"""Activations and losses on vectors (family ``activations-losses``).

``SoftmaxCrossEntropyGradients``: softmax with cross-entropy on a batch of scores; the softmax
value of one element, the loss, and elements of dL/dx = (y - t) / N.
``SigmoidReluBackward``: the Sigmoid and ReLU layers' backward on a vector, dx = dout y(1 - y)
and dx = dout where x > 0.

The reference answers come from the engine, checked against the book's layers and central
differences; misconception answers are the same engine graph run with mutated backward rules.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autodiff import BackwardRules, ReLU, Relu, SigmoidLayer, SoftmaxCrossEntropy, SoftmaxWithLoss, Variable
from ..autodiff import functions as F
from ..autodiff.losses import np_log_softmax, np_softmax
from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..misconceptions import GRAPH
from ..numdiff import numerical_grad
from ..spec.model import Precision
from ..graphview import graph_views
from ..numbers import off_grid
from .base import (BuiltinGenerator, Params, bears, cleaned, differing, num, pmatrix, pnum,
                   require_close, solution, t)

PRECISION = Precision("sig", 3)


# =============================================================================== softmax
def _sce_rule(formula):
    """A mutated backward rule for SoftmaxCrossEntropy: ``formula(y, t_hot, n) -> dx``."""
    def rule(f, gy):
        x = f.inputs[0].data
        return gy * formula(np_softmax(x), f.t_hot, x.shape[0])
    return BackwardRules({SoftmaxCrossEntropy: rule})


SCE_MUTATIONS = {
    "softmax_no_n": _sce_rule(lambda y, t_hot, n: y - t_hot),
    "residual_reversed": _sce_rule(lambda y, t_hot, n: (t_hot - y) / n),
    "softmax_n_twice": _sce_rule(lambda y, t_hot, n: (y - t_hot) / n ** 2),
}


def sce_engine(x, labels, rules=None):
    xv = Variable(np.asarray(x, dtype=float), name="x")
    loss = F.softmax_cross_entropy(xv, np.asarray(labels, dtype=np.int64))
    loss.name = "L"
    loss.backward(retain_grad=rules is None, rules=rules)
    return float(loss.data), np.asarray(xv.grad), loss


SCORES = np.array([-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0])


class SoftmaxCrossEntropyGradients(BuiltinGenerator):
    slug = "softmax-cross-entropy-grad"
    version = 1
    family = "activations-losses"
    difficulty = 2
    topics = ("loss-functions", "activation-functions", "backprop")
    syllabus = ("3-1-3", "3-1-4", "3-2-2")
    title = t("Softmax-with-Loss の順伝播と逆伝播", "Softmax with cross-entropy, forward and backward")
    statement = t("スコア x と正解ラベル t から、ソフトマックスの値、交差エントロピー誤差、"
                  "勾配 (y - t)/N の要素を求める問題です。",
                  "From scores x and labels t, find a softmax value, the cross-entropy loss and elements of "
                  "the gradient (y - t)/N.")
    source = "built-in generator exercises.generators.activations.SoftmaxCrossEntropyGradients (ゼロから作るDeep Learning 5.6.3)"
    params_doc = t(
        "x（N×C、N は 1〜3、C は 2〜5、各値 -10〜10）、t（長さ N の正解ラベル 0〜C-1）。"
        "任意で y_at（[n, k]）と dx_at（[n, k] を2つ）。",
        "x (N×C with N from 1 to 3, C from 2 to 5, values -10..10), t (N labels from 0 to C-1); "
        "optionally y_at ([n, k]) and dx_at (two [n, k]).")
    hints = (
        t("yₙₖ = exp(xₙₖ) / Σⱼ exp(xₙⱼ)。各行ごとに計算します。",
          "yₙₖ = exp(xₙₖ) / Σⱼ exp(xₙⱼ), row by row."),
        t("損失はバッチの平均 L = -(1/N) Σₙ log yₙ,ₜₙ です。",
          "The loss is the batch mean L = -(1/N) Σₙ log yₙ,ₜₙ."),
        t("Softmax-with-Loss の逆伝播は (y - t)/N（t は one-hot）という簡潔な形になります。",
          "Softmax-with-loss backward is simply (y - t)/N, with t one-hot."),
    )
    explanation = t(
        "ソフトマックスと交差エントロピー誤差を組み合わせると、逆伝播は ∂L/∂xₙₖ = (yₙₖ - tₙₖ)/N という簡潔な形になります"
        "（t は one-hot）。正解のクラスでは y - 1 で負、それ以外では y で正になり、出力と教師データの差がそのまま"
        "前の層に伝わります。損失をバッチの平均にしているので、N で割るのを忘れないようにしましょう。"
        "符号は「出力 − 教師」の向きです。",
        "Softmax followed by cross-entropy has the simple gradient ∂L/∂xₙₖ = (yₙₖ - tₙₖ)/N (t one-hot): "
        "y - 1 (negative) at the correct class and y (positive) elsewhere, so the difference between output "
        "and target flows back. The loss is the batch mean, so divide by N; the sign is output minus target.")

    def draw(self, rng) -> dict:
        n, c = int(rng.choice([1, 2])), 3
        x = rng.choice(SCORES, size=(n, c))
        labels = [int(v) for v in rng.integers(c, size=n)]
        rows = [int(v) for v in rng.integers(n, size=3)]
        others = [int((labels[rows[2]] + 1 + rng.integers(c - 1)) % c)]
        return {"x": cleaned(x), "t": labels,
                "y_at": [rows[0], int(rng.integers(c))],
                "dx_at": [[rows[1], labels[rows[1]]], [rows[2], others[0]]]}

    def check_params(self, params) -> dict:
        p = Params(params, ("x", "t"), ("y_at", "dx_at"))
        x = p.matrix("x", -10, 10, rows=range(1, 4), cols=range(2, 6))
        n, c = len(x), len(x[0])
        labels = p.vector("t", 0, c - 1, sizes=(n,), integer=True)
        out = {"x": x, "t": [int(v) for v in labels]}
        out["y_at"] = p.index("y_at", (n, c)) if p.has("y_at") else [0, labels[0]]
        if p.has("dx_at"):
            out["dx_at"] = p.indices("dx_at", (n, c), counts=(2,))
        else:
            out["dx_at"] = [[0, labels[0]], [0, (labels[0] + 1) % c]]
        return out

    def build(self, seed, params, layout, drawn) -> Exercise:
        x, labels = np.asarray(params["x"], dtype=float), np.asarray(params["t"], dtype=np.int64)
        n, c = x.shape
        if drawn and any(len(set(row)) == 1 for row in params["x"]):
            raise Rejected("degenerate", "a row of equal scores")
        loss, dx, loss_var = sce_engine(x, labels)
        y = np_softmax(x)
        layer = SoftmaxWithLoss()
        require_close("loss (book layer)", loss, layer.forward(x, labels))
        require_close("dx (book layer)", dx, layer.backward())
        require_close("dx (numerical)", dx, numerical_grad(
            lambda a: -np.sum(np_log_softmax(a)[np.arange(n), labels]) / n, x))
        graph, full = graph_views(loss_var)
        wrong = {mid: sce_engine(x, labels, rules)[1] for mid, rules in SCE_MUTATIONS.items()}
        yn, yk = params["y_at"]
        parts = [
            Part("y", "value", t(f"ソフトマックスの出力 `y[{yn}, {yk}]` を求めなさい。",
                                 f"Find the softmax output `y[{yn}, {yk}]`."), PRECISION),
            Part("loss", "value", t("損失 $L$ の値を求めなさい。", "Find the loss $L$."), PRECISION),
        ]
        mistakes: dict[str, dict]
        answers, mistakes = {"y": float(y[yn, yk]), "loss": loss}, {"y": {}, "loss": {}}
        for i, (r, k) in enumerate(params["dx_at"], start=1):
            pid = f"dx_{i}"
            d = r"\dfrac{\partial L}{\partial \mathbf{x}}"
            parts.append(Part(pid, "gradient", t(f"dx $= {d}$ の要素 `dx[{r}, {k}]` を求めなさい（添字は 0 始まり）。",
                                                 f"Find the element `dx[{r}, {k}]` of dx $= {d}$ (indices from 0)."),
                              PRECISION))
            answers[pid] = float(dx[r, k]) + 0.0
            if abs(answers[pid]) < 1e-12:
                raise Rejected("gradient_too_small", f"{pid} is 0 and cannot be graded to 3 significant figures")
            mistakes[pid] = differing(PRECISION, answers[pid], {mid: float(g[r, k]) for mid, g in wrong.items()}, drawn)
        hot = np.eye(c)[labels]
        statement = _sce_statement(x, labels, hot)
        forward = []
        for r in range(n):
            e = np.exp(x[r])
            forward.append(rf"$\sum_j \exp(x_{{{r}j}}) = " + " + ".join(num(v, 4) for v in e) +
                           rf" = {num(e.sum(), 5)}$")
            forward.append(rf"$\mathbf{{y}}_{{{r}}} = {pmatrix(y[r], 4)}$")
        logs = " + ".join(rf"\log {num(y[r, labels[r]], 4)}" for r in range(n))
        mean = "" if n == 1 else rf"\frac{{1}}{{{n}}}"
        forward.append(rf"$L = -{mean}\left({logs}\right) = {num(loss, 5)}$")
        over = "" if n == 1 else f" / {n}"
        backward = [rf"$\frac{{\partial L}}{{\partial \mathbf{{x}}}} = (\mathbf{{y}} - \mathbf{{t}}){over} = "
                    rf"\left({pmatrix(y, 4)} - {pmatrix(hot)}\right){over} = {pmatrix(dx, 4)}$"]
        for r, k in params["dx_at"]:
            backward.append(rf"$\mathrm{{dx}}[{r}, {k}] = ({num(y[r, k], 4)} - {num(hot[r, k])}){over} = "
                            rf"{num(dx[r, k], 4)}$")
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=statement, params=dict(params),
            parts=parts, answers=answers, mistakes=mistakes, graph=graph,
            solution=solution(forward, backward, full), hints=self.hints, explanation=self.explanation)


def _sce_statement(x: np.ndarray, labels: np.ndarray, hot: np.ndarray) -> dict:
    """The softmax-with-loss statement: the scores, the one-hot targets and the definitions."""
    n, c = x.shape
    shown = rf"$$\mathbf{{x}} = {pmatrix(x)}, \quad \mathbf{{t}} = {pmatrix(hot)}$$"
    labels_text = ", ".join(str(int(v)) for v in labels)
    defs = (r"$$y_{nk} = \frac{\exp(x_{nk})}{\sum_{j} \exp(x_{nj})}, \qquad "
            r"L = -\frac{1}{N} \sum_{n} \sum_{k} t_{nk} \log y_{nk}$$")
    statement = t(
        f"Softmax-with-Loss レイヤ（ソフトマックス関数 + 交差エントロピー誤差）に、バッチサイズ $N = {n}$、"
        f"クラス数 {c} のスコア $\\mathbf{{x}}$ と、正解ラベル（{labels_text}）を one-hot にした教師データ "
        f"$\\mathbf{{t}}$ を与えます。\n\n{shown}\n\n{defs}\n\n"
        "添字は numpy と同じく 0 始まりです。有効数字3桁で答えなさい（$\\log$ は自然対数）。",
        f"A softmax-with-loss layer (softmax, then cross-entropy) gets scores $\\mathbf{{x}}$ for a batch of "
        f"$N = {n}$ and {c} classes, and the one-hot targets $\\mathbf{{t}}$ of the labels ({labels_text}).\n\n"
        f"{shown}\n\n{defs}\n\nIndices start at 0, as in numpy. Give 3 significant figures "
        "($\\log$ is the natural logarithm).")
    return statement


# =============================================================================== sigmoid, relu
X_VALUES = np.array([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0])
DOUT_VALUES = np.array([-2.0, -1.0, -0.5, 0.5, 2.0, 3.0])
# ReLU with the mask the wrong way round; named once the core knows the id.
# First the more specific slip: where x > 0 and dout < 0 both give 0, and the grader names the first.
RELU_MUTATIONS = {
    "relu_blocks_negative_dout": BackwardRules({ReLU: lambda f, gy: gy * ((f.inputs[0].data > 0) & (gy > 0))}),
    "relu_mask_inverted": BackwardRules({ReLU: lambda f, gy: gy * (f.inputs[0].data <= 0)}),
}


def _mutated(fn, x, dout, rules: dict) -> tuple[dict, dict]:
    """Each mutated rule's dx at the draw, and per element whether it bears on dx at all (it
    changes dx at a point off the grid: dropping dout does, but not when dout is drawn 1)."""
    gx, gd = np.asarray(off_grid(list(np.ravel(x)), 1)), np.asarray(off_grid(list(np.ravel(dout)), 2))
    right_generic = activation_engine(fn, gx, gd)[1]
    wrong = {mid: activation_engine(fn, x, dout, r)[1] for mid, r in rules.items()}
    bearing = {mid: bears(right_generic, activation_engine(fn, gx, gd, r)[1]) for mid, r in rules.items()}
    return wrong, bearing


def activation_engine(fn, x, dout, rules=None):
    xv = Variable(np.asarray(x, dtype=float), name="x")
    y = fn(xv)
    y.name = f"y_{fn.__name__}"
    y.grad = np.asarray(dout, dtype=float)
    with np.errstate(all="ignore"):
        y.backward(retain_grad=rules is None, rules=rules)
    return np.asarray(y.data), np.asarray(xv.grad), y


class SigmoidReluBackward(BuiltinGenerator):
    slug = "sigmoid-relu-backward"
    version = 1
    family = "activations-losses"
    difficulty = 1
    topics = ("activation-functions", "backprop")
    syllabus = ("3-1-4", "3-2-2")
    title = t("Sigmoid レイヤと ReLU レイヤの逆伝播", "Backward through the Sigmoid and ReLU layers")
    statement = t("ベクトル x と上流の勾配 dout から、Sigmoid レイヤと ReLU レイヤの dx の要素を求める問題です。",
                  "From a vector x and the upstream gradient dout, find elements of dx for the Sigmoid and "
                  "ReLU layers.")
    source = "built-in generator exercises.generators.activations.SigmoidReluBackward (ゼロから作るDeep Learning 5.5)"
    params_doc = t(
        "x（長さ 2〜5、0 以外、-10〜10）、dout（x と同じ長さ、-10〜10）。"
        "任意で y_at、sig_at（添字2つ）、relu_at で問う要素を指定。",
        "x (length 2 to 5, nonzero, -10..10), dout (same length, -10..10); optionally y_at, sig_at "
        "(two indices) and relu_at choose the elements asked.")
    hints = (
        t("Sigmoid の逆伝播は dx = dout × y(1 - y)。y は順伝播の**出力**です。",
          "Sigmoid backward is dx = dout × y(1 - y), with y the forward **output**."),
        t("ReLU の逆伝播は、順伝播で x > 0 だった要素は dout をそのまま、それ以外は 0 です。",
          "ReLU backward passes dout where x > 0 in the forward pass and 0 elsewhere."),
    )
    explanation = t(
        "シグモイド y = 1/(1 + exp(-x)) の微分は dy/dx = y(1 - y) で、順伝播の出力 y だけで書けます。"
        "そのため Sigmoid レイヤは forward で出力 out を保存し、backward で dx = dout * (1.0 - self.out) * self.out とします。"
        "x(1 - x) ではありません。また上流の勾配 dout を掛けるのを忘れないこと。"
        "ReLU は x > 0 で傾き 1、x ≤ 0 で傾き 0 なので、dout を x > 0 の要素だけ通します（mask で 0 にする）。",
        "The sigmoid y = 1/(1 + exp(-x)) has dy/dx = y(1 - y), written with the output y alone, so the Sigmoid "
        "layer stores out in forward and computes dx = dout * (1.0 - self.out) * self.out; not x(1 - x), and "
        "not without dout. ReLU has slope 1 for x > 0 and 0 for x ≤ 0, so it passes dout only where x > 0 "
        "(the mask sets the rest to 0).")

    def draw(self, rng) -> dict:
        size = 4
        x = rng.choice(X_VALUES, size=size)
        i, j = (int(v) for v in rng.choice(size, size=2, replace=False))
        return {"x": cleaned(x), "dout": cleaned(rng.choice(DOUT_VALUES, size=size)),
                "y_at": int(rng.integers(size)), "sig_at": [i, j], "relu_at": int(rng.integers(size))}

    def check_params(self, params) -> dict:
        p = Params(params, ("x", "dout"), ("y_at", "sig_at", "relu_at"))
        x = p.vector("x", -10, 10, sizes=range(2, 6))
        if any(v == 0 for v in x):
            raise ParamsError("params.x: ReLU は x = 0 で微分できないので、x に 0 は使えません",
                              "params.x: ReLU has no derivative at x = 0, so x must not contain 0",
                              field="params.x")
        size = len(x)
        out: dict[str, Any] = {"x": x, "dout": p.vector("dout", -10, 10, sizes=(size,))}
        out["y_at"] = p.index("y_at", (size,))[0] if p.has("y_at") else 0
        if p.has("sig_at"):
            out["sig_at"] = [i[0] for i in p.indices("sig_at", (size,), counts=(2,))]
        else:
            out["sig_at"] = [0, 1]
        out["relu_at"] = p.index("relu_at", (size,))[0] if p.has("relu_at") else 0
        return out

    def build(self, seed, params, layout, drawn) -> Exercise:
        x, dout = np.asarray(params["x"], dtype=float), np.asarray(params["dout"], dtype=float)
        if drawn and not (np.any(x > 0) and np.any(x < 0)):
            raise Rejected("degenerate", "x needs positive and negative elements")
        y, dsig, sig_var = activation_engine(F.sigmoid, x, dout)
        _, drelu, relu_var = activation_engine(F.relu, x, dout)
        s_layer, r_layer = SigmoidLayer(), Relu()
        require_close("y (book layer)", y, s_layer.forward(x))
        require_close("sigmoid dx (book layer)", dsig, s_layer.backward(dout))
        r_layer.forward(x)
        require_close("relu dx (book layer)", drelu, r_layer.backward(dout))
        require_close("sigmoid dx (numerical)", dsig,
                      numerical_grad(lambda a: np.sum(dout / (1 + np.exp(-a))), x))
        require_close("relu dx (numerical)", drelu, numerical_grad(lambda a: np.sum(dout * np.maximum(a, 0)), x))
        sig_rules = {m.id: m.rules for m in GRAPH if m.applies_to({type(sig_var.creator)})}
        relu_rules = {m.id: m.rules for m in GRAPH if m.applies_to({type(relu_var.creator)})} | RELU_MUTATIONS
        wrong_sig, bears_sig = _mutated(F.sigmoid, x, dout, sig_rules)
        wrong_relu, bears_relu = _mutated(F.relu, x, dout, relu_rules)
        yi, (i, j), r = params["y_at"], params["sig_at"], params["relu_at"]
        parts = [Part("y", "value", t(f"Sigmoid レイヤの出力 `y[{yi}]` を求めなさい。",
                                      f"Find the Sigmoid layer's output `y[{yi}]`."), PRECISION)]
        mistakes: dict[str, dict]
        answers, mistakes = {"y": float(y[yi])}, {"y": {}}
        for pid, k in (("dsig_1", i), ("dsig_2", j)):
            parts.append(Part(pid, "gradient", t(f"Sigmoid レイヤの `dx[{k}]` を求めなさい。",
                                                 f"Find the Sigmoid layer's `dx[{k}]`."), PRECISION))
            answers[pid] = float(dsig[k]) + 0.0
            mistakes[pid] = differing(PRECISION, answers[pid],
                                      {mid: float(g[k]) for mid, g in wrong_sig.items() if bears_sig[mid][k]}, drawn)
        parts.append(Part("drelu", "gradient", t(f"ReLU レイヤの `dx[{r}]` を求めなさい。",
                                                 f"Find the ReLU layer's `dx[{r}]`."), PRECISION))
        answers["drelu"] = float(drelu[r]) + 0.0  # never -0.0
        mistakes["drelu"] = differing(PRECISION, answers["drelu"],
                                      {mid: float(g[r]) for mid, g in wrong_relu.items() if bears_relu[mid][r]}, drawn)
        shown = rf"$$\mathbf{{x}} = {pmatrix(x)}, \quad \mathrm{{dout}} = {pmatrix(dout)}$$"
        statement = t(
            "ベクトル $\\mathbf{x}$ を Sigmoid レイヤ $y = \\sigma(x) = \\dfrac{1}{1 + e^{-x}}$ と ReLU レイヤ "
            "$y = \\max(0, x)$ にそれぞれ要素ごとに通しました。逆伝播では、どちらのレイヤにも上流から同じ勾配 "
            f"dout（$= \\partial L / \\partial y$）が流れてきました。\n\n{shown}\n\n"
            "添字は numpy と同じく 0 始まりです。有効数字3桁で答えなさい。",
            "The vector $\\mathbf{x}$ goes elementwise through a Sigmoid layer $y = \\sigma(x) = "
            "\\dfrac{1}{1 + e^{-x}}$ and, separately, through a ReLU layer $y = \\max(0, x)$. In the backward pass "
            f"both layers receive the same upstream gradient dout ($= \\partial L / \\partial y$).\n\n{shown}\n\n"
            "Indices start at 0, as in numpy. Give 3 significant figures.")
        forward = [rf"$\sigma(\mathbf{{x}}) = {pmatrix(y, 4)}$",
                   rf"$\max(0, \mathbf{{x}}) = {pmatrix(np.maximum(x, 0))}$"]
        backward = []
        for k in (i, j):
            backward.append(rf"$\mathrm{{dx}}[{k}] = \mathrm{{dout}}_{{{k}}}\,y_{{{k}}}(1 - y_{{{k}}}) = "
                            rf"{pnum(dout[k])} \times {num(y[k], 4)} \times {num(1 - y[k], 4)} = {num(dsig[k], 4)}$")
        cond = rf"x_{{{r}}} = {num(x[r])} > 0" if x[r] > 0 else rf"x_{{{r}}} = {num(x[r])} \le 0"
        backward.append(rf"$\mathrm{{dx}}[{r}] = {num(drelu[r])}\quad ({cond})$")
        graph, full = graph_views(sig_var, relu_var)
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=statement, params=dict(params),
            parts=parts, answers=answers, mistakes=mistakes, graph=graph,
            solution=solution(forward, backward, full), hints=self.hints, explanation=self.explanation)

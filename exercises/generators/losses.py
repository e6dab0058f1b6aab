"""Losses (family ``activations-losses``).

``RegressionLosses``: MSE (1/N)Σ(y - t)², the book's sum of squares ½Σ(y - t)², MAE (1/N)Σ|y - t|
and their gradients dL/dy: 2(y - t)/N, y - t, sign(y - t)/N.
``ClassificationLosses``: binary cross-entropy on sigmoid outputs and its dL/da = (σ(a) - t)/N;
the book's ``cross_entropy_error`` with δ = 1e-7 (one-hot and label targets give the same value);
dL/dx of softmax with cross-entropy for a mean ((y - t)/N) and a sum (y - t) over the batch.

Every value and gradient comes from the engine (``F.mean_squared_error``, ``F.sigmoid``,
``F.softmax_cross_entropy``, ...), checked against the closed forms, the book's layer and
central differences; misconception answers are the closed forms of the slips.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autodiff import SoftmaxWithLoss, Variable
from ..autodiff import functions as F
from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..numdiff import numerical_grad
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, cleaned, differing, num, pmatrix, require_close, solution, t
from .regularization import array_key, array_mistakes, array_part

VALUE = Precision("sig", 3)
ARRAY = Precision("decimals", 4)
RESIDUALS = np.array([-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 3])
DELTA = 1e-7


def _given(value: float, given) -> bool:
    return any(abs(value - g) <= VALUE.tolerance(value) for g in (0.0, 1.0, *given))


def regression_engine(y, tt) -> dict:
    """The three losses and their gradients dL/dy by the engine."""
    out: dict[str, Any] = {}
    for name, loss in (("mse", lambda v: F.mean_squared_error(v, tt)), ("sse", lambda v: 0.5 * F.sum(F.square(v - tt))),
                       ("mae", lambda v: F.mean(F.abs(v - tt)))):
        yv = Variable(np.asarray(y, dtype=float).copy())
        L = loss(yv)
        L.backward()
        out[name], out["d" + name] = float(L.data), np.asarray(yv.grad)
    return out


def regression_mistakes(r: np.ndarray) -> dict:
    n = len(r)
    return {"mse": {"mse_no_mean": np.sum(r ** 2)},
            "dmse": {"mse_no_mean": 2 * r, "residual_reversed": -2 * r / n, "power_rule_no_factor": r / n},
            "sse": {}, "dsse": {"mse_half_factor_kept": r / 2, "residual_reversed": -r},
            "mae": {"mse_no_mean": np.sum(np.abs(r))},
            "dmae": {"mae_gradient_as_residual": r / n, "mse_no_mean": np.sign(r), "residual_reversed": -np.sign(r) / n}}


REG_PROMPTS = {
    "mse": t("平均二乗誤差 $L_{\\mathrm{MSE}}$ の値", "the mean squared error $L_{\\mathrm{MSE}}$"),
    "dmse": t("勾配 $\\partial L_{\\mathrm{MSE}} / \\partial \\mathbf{y}$（ベクトル）",
              "the gradient $\\partial L_{\\mathrm{MSE}} / \\partial \\mathbf{y}$ (a vector)"),
    "sse": t("二乗和誤差 $E$ の値", "the sum of squares $E$"),
    "dsse": t("勾配 $\\partial E / \\partial \\mathbf{y}$（ベクトル）",
              "the gradient $\\partial E / \\partial \\mathbf{y}$ (a vector)"),
    "mae": t("平均絶対誤差 $L_{\\mathrm{MAE}}$ の値", "the mean absolute error $L_{\\mathrm{MAE}}$"),
    "dmae": t("勾配 $\\partial L_{\\mathrm{MAE}} / \\partial \\mathbf{y}$（ベクトル）",
              "the gradient $\\partial L_{\\mathrm{MAE}} / \\partial \\mathbf{y}$ (a vector)"),
}


class RegressionLosses(BuiltinGenerator):
    slug = "regression-losses"
    version = 1
    family = "activations-losses"
    difficulty = 1
    topics = ("loss-functions", "backprop")
    syllabus = ("3-1-2", "3-2-2")
    title = t("回帰の損失関数：MSE・二乗和誤差・MAE とその勾配",
              "Regression losses: MSE, sum of squares, MAE and their gradients")
    statement = t("予測 y と目標 t から、平均二乗誤差・本の二乗和誤差（½ 付き）・平均絶対誤差の値と、"
                  "y についての勾配を求める問題です。",
                  "From predictions y and targets t, find the mean squared error, the book's sum of squares (with ½) and "
                  "the mean absolute error, and their gradients in y.")
    source = "built-in generator exercises.generators.losses.RegressionLosses (ゼロから作るDeep Learning 4.2.1)"
    params_doc = t("y（予測、長さ 2〜6、-100〜100）、t（目標、y と同じ長さ、-100〜100、どの要素も y と異なる）。",
                   "y (predictions, 2 to 6 numbers, -100..100), t (targets, as long as y, -100..100, every element "
                   "different from y's).")
    hints = (
        t("$(y - t)^2$ を y で微分すると $2(y - t)$。MSE は 1/N、本の二乗和誤差は ½ が付きます。",
          "The derivative of $(y - t)^2$ in y is $2(y - t)$; MSE carries 1/N, the book's sum of squares ½."),
        t("$|u|$ の微分は $\\mathrm{sign}(u)$ です。", "The derivative of $|u|$ is $\\mathrm{sign}(u)$."),
    )
    explanation = t(
        "損失の前の係数は、そのまま勾配の係数になります。MSE $\\frac{1}{N}\\sum(y - t)^2$ の勾配は $\\frac{2}{N}(y - t)$、"
        "本の二乗和誤差 $\\frac{1}{2}\\sum(y - t)^2$ は ½ が微分の "
        "2 と打ち消し合って、ちょうど $y - t$ です（½ はそのための係数）。"
        "どちらも最小になる点は同じで、違うのは勾配の大きさ（学習率を掛けた実際の更新幅）だけです。"
        "MAE の勾配は $\\mathrm{sign}(y - t)/N$ で誤差の大きさによらず一定なので、外れ値に引っ張られにくくなります"
        "（y = t では微分できず、劣勾配を使います）。符号はどれも「予測 − 目標」の向きです。",
        "A loss's factor becomes its gradient's factor. MSE $\\frac{1}{N}\\sum(y - t)^2$ has the gradient "
        "$\\frac{2}{N}(y - t)$; the book's sum of squares $\\frac{1}{2}\\sum(y - t)^2$ has exactly $y - t$, the ½ cancelling "
        "the 2 of the derivative (that is what the ½ is for). Both have the same minimum; only the gradient's scale (the "
        "step, times the learning rate) differs. MAE's gradient $\\mathrm{sign}(y - t)/N$ has the same size whatever the "
        "error, so outliers pull less (at y = t it has no derivative, and a subgradient is used). Each sign is prediction "
        "minus target.")

    def draw(self, rng) -> dict:
        n = int(rng.choice([3, 5]))  # not 4, where (y - t)/2 would be MSE's 2(y - t)/N
        tt = rng.choice(np.arange(-2, 6), size=n)
        return {"y": cleaned(tt + rng.choice(RESIDUALS, size=n)), "t": cleaned(tt)}

    def check_params(self, params) -> dict:
        p = Params(params, ("y", "t"))
        y = p.vector("y", -100, 100, sizes=range(2, 7))
        tt = p.vector("t", -100, 100, sizes=(len(y),))
        if any(a == b for a, b in zip(y, tt)):
            raise ParamsError("params.t: |y - t| は y = t で微分できないので、どの要素も y と異なる値にしてください",
                              "params.t: |y - t| has no derivative at y = t, so every element must differ from y's",
                              field="params.t")
        return {"y": y, "t": tt}

    def build(self, seed, params, layout, drawn) -> Exercise:
        y, tt = np.asarray(params["y"], dtype=float), np.asarray(params["t"], dtype=float)
        r, n = y - tt, len(y)
        eng = regression_engine(y, tt)
        closed = {"mse": np.mean(r ** 2), "dmse": 2 * r / n, "sse": 0.5 * np.sum(r ** 2), "dsse": r,
                  "mae": np.mean(np.abs(r)), "dmae": np.sign(r) / n}
        losses = {"mse": lambda v: np.mean((v - tt) ** 2), "sse": lambda v: 0.5 * np.sum((v - tt) ** 2),
                  "mae": lambda v: np.mean(np.abs(v - tt))}
        for name, fn in losses.items():
            require_close(f"{name} (formula)", eng[name], closed[name])
            require_close(f"d{name} (formula)", eng["d" + name], closed["d" + name])
            require_close(f"d{name} (numerical)", eng["d" + name], numerical_grad(fn, y))
            if drawn and _given(eng[name], [*params["y"], *params["t"]]):
                raise Rejected("degenerate", f"{name} is 0, 1 or a given number")
        wrong = regression_mistakes(r)
        answers: dict = {}
        mistakes: dict = {}
        parts = []
        for pid, prompt in REG_PROMPTS.items():
            if pid.startswith("d"):
                answers[pid] = array_key(eng[pid])
                mistakes[pid] = array_mistakes(ARRAY, answers[pid], wrong[pid], drawn)
                parts.append(array_part(pid, t(f"{prompt['ja']}を求めなさい。", f"Find {prompt['en']}."), answers[pid], ARRAY))
            else:
                answers[pid] = eng[pid]
                mistakes[pid] = differing(VALUE, eng[pid], {k: float(v) for k, v in wrong[pid].items()}, drawn)
                parts.append(Part(pid, "value", t(f"{prompt['ja']}を求めなさい。", f"Find {prompt['en']}."), VALUE))
        shown = rf"$$\mathbf{{y}} = {pmatrix(y)}, \quad \mathbf{{t}} = {pmatrix(tt)}$$"
        defs = (r"$$L_{\mathrm{MSE}} = \frac{1}{N}\sum_k (y_k - t_k)^2, \quad E = \frac{1}{2}\sum_k (y_k - t_k)^2, \quad "
                r"L_{\mathrm{MAE}} = \frac{1}{N}\sum_k |y_k - t_k|$$")
        statement = t(f"回帰の予測 $\\mathbf{{y}}$ と目標 $\\mathbf{{t}}$（N = {n}）があります。\n\n{shown}\n\n{defs}\n\n"
                      "E は本（ゼロから作るDeep Learning 4.2.1）の二乗和誤差です。",
                      f"A regression gives predictions $\\mathbf{{y}}$ for targets $\\mathbf{{t}}$ (N = {n}).\n\n{shown}\n\n"
                      f"{defs}\n\nE is the book's sum of squared errors (ゼロから作るDeep Learning 4.2.1).")
        forward = [rf"$\mathbf{{y}} - \mathbf{{t}} = {pmatrix(r)}$",
                   rf"$L_{{\mathrm{{MSE}}}} = {num(eng['mse'], 5)},\ E = "
                   rf"{num(eng['sse'], 5)},\ L_{{\mathrm{{MAE}}}} = {num(eng['mae'], 5)}$"]
        backward = [rf"$\partial L_{{\mathrm{{MSE}}}}/\partial \mathbf{{y}} = \tfrac{{2}}{{{n}}}(\mathbf{{y}} - \mathbf{{t}}) = "
                    rf"{pmatrix(eng['dmse'], 4)}$",
                    rf"$\partial E/\partial \mathbf{{y}} = \mathbf{{y}} - \mathbf{{t}} = {pmatrix(eng['dsse'], 4)}$",
                    rf"$\partial L_{{\mathrm{{MAE}}}}/\partial \mathbf{{y}} = "
                    rf"\mathrm{{sign}}(\mathbf{{y}} - \mathbf{{t}})/{n} = {pmatrix(eng['dmae'], 4)}$"]
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=statement, params=dict(params), parts=parts,
            answers=answers, mistakes=mistakes, graph=None, solution=solution(forward, backward), hints=self.hints,
            explanation=self.explanation)


# =============================================================================== classification
LOGITS = np.array([-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2])
ROWS = ((0.7, 0.2, 0.1), (0.6, 0.3, 0.1), (0.5, 0.4, 0.1), (0.8, 0.15, 0.05), (0.6, 0.4, 0.0), (0.75, 0.25, 0.0))
CE_CODE = """def cross_entropy_error(y, t):  # t: one-hot
    batch_size = y.shape[0]
    return -np.sum(t * np.log(y + 1e-7)) / batch_size

def cross_entropy_error_label(y, t):  # t: labels
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size"""
SAME = (t("同じ値になる", "The same value"),
        t("one-hot 版のクラス数 C 倍になる（すべてのクラスの対数を足すため）",
          "C times the one-hot value (every class's log is added)"),
        t("one-hot 版より大きくなる（δ が正解のクラスにしか足されないため）",
          "Larger than the one-hot value (δ is added to the right class only)"))


def bce_engine(a, tb) -> tuple[float, np.ndarray, np.ndarray]:
    av = Variable(np.asarray(a, dtype=float).copy())
    y = F.sigmoid(av)
    L = -F.mean(tb * F.log(y) + (1 - tb) * F.log(1 - y))
    L.backward()
    return float(L.data), np.asarray(av.grad), np.asarray(y.data)


def ce_engine(y, hot) -> tuple[float, float]:
    """The book's cross-entropy with δ on Variables, and the label version run in numpy; both values."""
    yv = Variable(np.asarray(y, dtype=float))
    L = -F.sum(hot * F.log(yv + DELTA)) / y.shape[0]
    labels = np.argmax(hot, axis=1)
    return float(L.data), float(-np.sum(np.log(y[np.arange(len(y)), labels] + DELTA)) / len(y))


def softmax_grads(y, labels) -> tuple[np.ndarray, np.ndarray]:
    """dL/dx for y = softmax(x) (x = log y), by the engine, for the batch mean and the batch sum."""
    x = np.log(np.maximum(y, 1e-300))
    out = []
    for scale in (1.0, float(len(y))):
        xv = Variable(x.copy())
        (F.softmax_cross_entropy(xv, labels) * scale).backward()
        g = np.asarray(xv.grad)
        out.append(np.where(np.abs(g) < 1e-200, 0.0, g))  # y = 0 stands for x = log(1e-300): softmax 1e-300
    layer = SoftmaxWithLoss()
    layer.forward(x, labels)
    require_close("dx (book layer)", out[0], layer.backward())
    return out[0], out[1]


class ClassificationLosses(BuiltinGenerator):
    slug = "classification-losses"
    version = 1
    family = "activations-losses"
    difficulty = 2
    topics = ("loss-functions", "backprop")
    syllabus = ("3-1-3", "3-2-2")
    title = t("分類の損失関数：二値・多クラス交差エントロピーとその勾配",
              "Classification losses: binary and categorical cross-entropy")
    statement = t("シグモイド出力の二値交差エントロピーと勾配、本の cross_entropy_error（δ = 1e-7）の値、ラベル形式との関係、"
                  "平均と合計の集計による dx の違いを問う問題です。",
                  "Binary cross-entropy on sigmoid outputs and its gradient, the book's cross_entropy_error (δ = 1e-7), "
                  "one-hot versus label targets, and dx for a mean versus a sum over the batch.")
    source = "built-in generator exercises.generators.losses.ClassificationLosses (ゼロから作るDeep Learning 4.2.2-4.2.4, 5.6.3)"
    params_doc = t("a（ロジット、長さ 2〜4、-10〜10）、tb（a と同じ長さの 0/1 の正解）、y（確率の表、2〜3 行 2〜10 列、"
                   "各行の和が 1、0〜1）、labels（y の行数と同じ長さの正解ラベル）。",
                   "a (logits, 2 to 4 numbers, -10..10), tb (0/1 targets, as long as a), y (probabilities, 2-3 rows of 2-10, "
                   "each row summing to 1, 0..1), labels (one per row of y).")
    hints = (
        t("二値: $L = -\\frac{1}{N}\\sum[t\\log y + (1 - t)\\log(1 - y)]$、$y = \\sigma(a)$ で "
          "$\\partial L/\\partial a = (y - t)/N$。",
          "Binary: $L = -\\frac{1}{N}\\sum[t\\log y + (1 - t)\\log(1 - y)]$ with "
          "$y = \\sigma(a)$ gives $\\partial L/\\partial a = (y - t)/N$."),
        t("多クラス: 正解クラスの確率だけを使い $-\\log(y_t + \\delta)$ をバッチで平均します。",
          "Categorical: only the correct class's probability counts, $-\\log(y_t + \\delta)$, averaged over the batch."),
        t("損失を合計にすると、勾配は N で割りません。", "With the loss summed, the gradient is not divided by N."),
    )
    explanation = t(
        "交差エントロピーは正解のクラスの確率の対数にマイナスを付けたものです。"
        "one-hot の t を掛けると正解以外の項は 0 になるので、"
        "ラベル形式で正解の確率だけを取り出しても同じ値です。δ = 1e-7 は y = 0 のときの log(0) = -∞ を避けるためで、"
        "正解の確率が 0 なら損失は $-\\log(10^{-7}) \\approx 16.1$ になります。"
        "シグモイド + 二値交差エントロピー、ソフトマックス + 交差エントロピーの勾配は、どちらも「出力 − 正解」で、"
        "損失をバッチで平均すれば $(y - t)/N$、合計すれば $y - t$ です。σ′ はこの約分で使い切っているので、もう一度掛けません。",
        "Cross-entropy is minus the log of the correct class's probability. Multiplying by the one-hot t zeroes the other "
        "terms, so picking the correct probability by label gives the same value. δ = 1e-7 avoids log(0) = -∞: with the "
        "correct class at probability 0 the loss is $-\\log(10^{-7}) \\approx 16.1$. Sigmoid with binary cross-entropy and "
        "softmax with cross-entropy both have the gradient output minus target: $(y - t)/N$ for a mean over the batch, "
        "$y - t$ for a sum. σ′ is used up in that cancellation; it is not multiplied in again.")

    def draw(self, rng) -> dict:
        n = int(rng.integers(2, 4))
        rows = [list(ROWS[int(rng.integers(len(ROWS)))]) for _ in range(n)]
        y = [[r[int(i)] for i in rng.permutation(3)] for r in rows]
        return {"a": cleaned(rng.choice(LOGITS, size=3)), "tb": [int(v) for v in rng.integers(2, size=3)],
                "y": y, "labels": [int(v) for v in rng.integers(3, size=n)]}

    def check_params(self, params) -> dict:
        p = Params(params, ("a", "tb", "y", "labels"))
        a = p.vector("a", -10, 10, sizes=range(2, 5))
        tb = [int(v) for v in p.vector("tb", 0, 1, sizes=(len(a),), integer=True)]
        y = p.matrix("y", 0, 1, rows=(2, 3), cols=range(2, 11))
        if any(abs(sum(r) - 1) > 1e-9 for r in y):
            raise ParamsError("params.y: 各行の和を 1 にしてください", "params.y: each row must sum to 1", field="params.y")
        labels = [int(v) for v in p.vector("labels", 0, len(y[0]) - 1, sizes=(len(y),), integer=True)]
        return {"a": a, "tb": tb, "y": y, "labels": labels}

    def build(self, seed, params, layout, drawn) -> Exercise:
        a, tb = np.asarray(params["a"], dtype=float), np.asarray(params["tb"], dtype=float)
        y, labels = np.asarray(params["y"], dtype=float), np.asarray(params["labels"], dtype=np.int64)
        n, c = y.shape
        hot = np.eye(c)[labels]
        bce, dbce, s = bce_engine(a, tb)
        require_close("bce (logaddexp)", bce, np.mean(tb * np.logaddexp(0, -a) + (1 - tb) * np.logaddexp(0, a)))
        require_close("dbce (formula)", dbce, (s - tb) / len(a))
        require_close("dbce (numerical)", dbce,
                      numerical_grad(lambda v: np.mean(np.logaddexp(0, -v) * tb + np.logaddexp(0, v) * (1 - tb)), a))
        ce, ce_label = ce_engine(y, hot)
        require_close("ce (label version)", ce, ce_label)  # the 'same' part's verdict
        dx_mean, dx_sum = softmax_grads(y, labels)
        require_close("dx mean (formula)", dx_mean, (y - hot) / n)
        require_close("dx sum (formula)", dx_sum, y - hot)
        require_close("dx (numerical)", dx_mean, numerical_grad(
            lambda x: -np.sum(hot * (x - np.logaddexp.reduce(x, axis=1, keepdims=True))) / n, np.log(np.maximum(y, 1e-300))))
        if drawn and (_given(bce, [*params["a"]]) or _given(ce, [v for r in params["y"] for v in r])):
            raise Rejected("degenerate", "a loss is 0, 1 or a given number")
        picked = y[np.arange(n), np.argmax(y, axis=1)]
        keys = {"dbce": array_key(dbce), "dx_mean": array_key(dx_mean), "dx_sum": array_key(dx_sum)}
        wrong = {"dbce": {"residual_reversed": (tb - s) / len(a), "extra_sigmoid_derivative": (s - tb) * s * (1 - s) / len(a),
                          "ce_no_mean": s - tb},
                 "dx_mean": {"softmax_no_n": y - hot, "residual_reversed": (hot - y) / n},
                 "dx_sum": {"ce_reduction_confused": (y - hot) / n, "residual_reversed": hot - y}}
        mistakes: dict = {pid: array_mistakes(ARRAY, keys[pid], wrong[pid], drawn) for pid in keys}
        swapped = -np.mean(tb * np.log(1 - s) + (1 - tb) * np.log(s))
        mistakes["bce"] = differing(VALUE, bce, {"bce_sign_error": -bce, "ce_log_of_wrong_class": swapped,
                                                 "ce_no_mean": bce * len(a)}, drawn)
        mistakes["ce"] = differing(VALUE, ce, {"ce_log_of_wrong_class": -np.mean(np.log(picked + DELTA)),
                                               "ce_no_mean": ce * n}, drawn)
        order = [int(i) for i in layout.permutation(len(SAME))]
        mistakes["same"] = {"wrong_choice": order.index(1)}
        answers = {"bce": bce, "dbce": keys["dbce"], "ce": ce, "same": order.index(0),
                   "dx_mean": keys["dx_mean"], "dx_sum": keys["dx_sum"]}
        parts = _ce_parts(keys, order)
        forward = [rf"$\sigma(\mathbf{{a}}) = {pmatrix(s, 4)},\ L_{{\mathrm{{B}}}} = {num(bce, 5)}$",
                   rf"$L = -\tfrac{{1}}{{{n}}}\sum_n \log(y_{{n,t_n}} + 10^{{-7}}) = {num(ce, 5)}$"]
        backward = [rf"$\partial L_{{\mathrm{{B}}}}/\partial \mathbf{{a}} = (\sigma(\mathbf{{a}}) - \mathbf{{t}})/{len(a)} = "
                    rf"{pmatrix(dbce, 4)}$",
                    rf"$\partial L/\partial X = (Y - T)/{n} = "
                    rf"{pmatrix(dx_mean, 4)},\ \text{{sum}}: Y - T = {pmatrix(dx_sum, 4)}$"]
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_ce_statement(a, tb, y, labels), params=dict(params),
            parts=parts, answers=answers, mistakes=mistakes, graph=None, solution=solution(forward, backward),
            hints=self.hints, explanation=self.explanation)


def _ce_parts(keys: dict, order: list) -> list:
    return [
        Part("bce", "value", t("二値交差エントロピー $L_{\\mathrm{B}}$ の値を求めなさい。",
                               "Find the binary cross-entropy $L_{\\mathrm{B}}$."), VALUE),
        array_part("dbce", t("勾配 $\\partial L_{\\mathrm{B}} / \\partial \\mathbf{a}$ をベクトルで求めなさい。",
                             "Find the gradient $\\partial L_{\\mathrm{B}} / \\partial "
                             "\\mathbf{a}$ as a vector."), keys["dbce"], ARRAY),
        Part("ce", "value", t("`cross_entropy_error(Y, T)`（T は labels の one-hot）の値を求めなさい。",
                              "Find `cross_entropy_error(Y, T)` (T the one-hot labels)."), VALUE),
        Part("same", "choice", t("`cross_entropy_error_label(Y, labels)` の値はどうなりますか。",
                                 "What does `cross_entropy_error_label(Y, labels)` "
                                 "give?"), None, tuple(SAME[i] for i in order)),
        array_part("dx_mean", t("Y がスコア X のソフトマックスの出力で、損失が**バッチの平均**の交差エントロピーのとき、"
                                "$\\partial L / \\partial X$ を行列で求めなさい。",
                                "If Y is the softmax of scores X and the loss is the cross-entropy **averaged over the "
                                "batch**, find $\\partial L / \\partial X$ as a matrix."), keys["dx_mean"], ARRAY),
        array_part("dx_sum", t("同じく、損失が**バッチの合計**（reduction='sum'）のときの "
                               "$\\partial L / \\partial X$ を求めなさい。",
                               "The same with the loss **summed over the batch** "
                               "(reduction='sum'): find $\\partial L / \\partial X$."),
                   keys["dx_sum"], ARRAY),
    ]


def _ce_statement(a, tb, y, labels) -> dict:
    shown = (rf"$$\mathbf{{a}} = {pmatrix(a)}, \quad \mathbf{{t}} = {pmatrix(tb)}, \quad "
             rf"Y = {pmatrix(y)}, \quad \mathrm{{labels}} = {pmatrix(labels)}$$")
    code = f"```python\n{CE_CODE}\n```"
    return t(f"二値分類のロジット $\\mathbf{{a}}$ と正解 $\\mathbf{{t}}$（出力は $y = \\sigma(a)$）、多クラス分類の確率 Y "
             f"（各行が1つのデータ）と正解ラベル labels があります。\n\n{shown}\n\n"
             "$$L_{\\mathrm{B}} = -\\frac{1}{N}\\sum_n \\left[t_n \\log y_n + (1 - t_n)\\log(1 - y_n)\\right]$$\n\n"
             f"多クラスの交差エントロピーは本の実装（δ = 1e-7）で計算します。\n\n{code}\n\n$\\log$ は自然対数です。",
             f"Binary classification gives logits $\\mathbf{{a}}$ with targets $\\mathbf{{t}}$ (outputs $y = \\sigma(a)$); "
             f"multi-class classification gives probabilities Y (one sample per row) with labels.\n\n{shown}\n\n"
             "$$L_{\\mathrm{B}} = -\\frac{1}{N}\\sum_n \\left[t_n \\log y_n + (1 - t_n)\\log(1 - y_n)\\right]$$\n\n"
             f"The categorical cross-entropy is the book's code (δ = 1e-7).\n\n{code}\n\n$\\log$ is the natural log.")

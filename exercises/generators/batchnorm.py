"""Batch normalization forward and backward on a small mini-batch (family ``normalization``).

x (N, D) with small integers, gamma and beta (D,), dout (N, D): the mean and variance of one
column, one normalized value x̂[n, d], dβ = Σₙ dout, dγ = Σₙ x̂·dout and elements of
dx = (γ/σ)(dout − mean(dout) − x̂·mean(dout·x̂)) (means over the batch, per column).
The reference answers come from the engine (``batch_norm`` as Variables, backward with dout),
checked against the book's ``BatchNormalization`` layer and central differences. Mistaken
answers are engine graphs too: the same graph with statistics along the features or divided
by N − 1, and the reference graph run with mutated backward rules (a mean and a variance that
pass no gradient; dβ averaged).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autodiff import Add, BackwardRules, BatchNormalization, Sum, Variable, batch_norm
from ..autodiff import functions as F
from ..autodiff.normalization import BN_EPS
from ..autodiff.tensor import np_sum_to
from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..graphview import graph_views
from ..kinds.arrays import ArrayKey, distinct_mistakes
from ..numdiff import numerical_grad
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, cleaned, differing, num, pmatrix, pnum, require_close, solution, t

PRECISION = Precision("sig", 3)
SNAP = 1e-5  # below this share of its natural scale a value is 0 (what is left is ε's trace)


# =============================================================================== engine
def variant(axis: int, ddof: int = 0, eps: float = BN_EPS):
    """``(x - mean) / sqrt(var + eps) * gamma + beta`` with the statistics along ``axis`` and the
    variance divided by (count - ddof), from the engine's operations: the mistaken forwards."""
    def forward(x, gamma, beta):
        count = x.shape[axis]
        xc = x - F.mean(x, axis=axis, keepdims=True)
        var = F.sum(F.square(xc), axis=axis, keepdims=True) / (count - ddof)
        return xc / F.sqrt(var + eps) * gamma + beta
    return forward


def run(forward, x, gamma, beta, dout=None, rules=None) -> dict:
    """The engine graph ``y = forward(x, gamma, beta)`` (ending in ``x̂ * gamma + beta``), run
    backward from dout: y, x̂ and the gradients of x, gamma and beta."""
    xv, gv, bv = Variable(x, "x"), Variable(gamma, "gamma"), Variable(beta, "beta")
    y = forward(xv, gv, bv)
    y.name = "y"
    xn = y.creator.inputs[0].creator.inputs[0]
    if dout is not None:
        y.grad = np.asarray(dout, dtype=float)
        with np.errstate(all="ignore"):
            y.backward(retain_grad=rules is None, rules=rules)
    return {"y": y.data, "xn": xn.data, "dx": xv.grad, "dgamma": gv.grad, "dbeta": bv.grad, "out": y}


def _averaged_add(f, gy):
    """An add node whose broadcast input gets the mean of the gradient, not the sum."""
    a, b = (v.data.shape for v in f.inputs)
    return np_sum_to(gy, a), np_sum_to(gy, b) * (float(np.prod(b)) / gy.size)


# The mean and the variance as constants: their sums pass no gradient back.
STATISTICS_CONSTANT = BackwardRules({Sum: lambda f, gy: np.zeros(f.x_shape)})
BETA_AVERAGED = BackwardRules({Add: _averaged_add})
BN_MISTAKES = {  # id: (forward, mutated backward rules)
    "bn_wrong_axis": (variant(1), None),
    "bn_unbiased_variance": (variant(0, ddof=1), None),
    "bn_dx_ignores_statistics": (batch_norm, STATISTICS_CONSTANT),
    "dbeta_averaged": (batch_norm, BETA_AVERAGED),
}
BEARS_ON = {"var": ("bn_unbiased_variance",), "xhat": ("bn_wrong_axis", "bn_unbiased_variance"),
            "dbeta": ("dbeta_averaged",), "dgamma": ("bn_wrong_axis", "bn_unbiased_variance"),
            "dx": ("bn_dx_ignores_statistics", "bn_wrong_axis", "bn_unbiased_variance")}


def snap(a, scale: float):
    """ε's traces (|a| ≤ SNAP·scale) made exactly 0, so that a learner's 0 matches."""
    a = np.asarray(a, dtype=float)
    return np.where(np.abs(a) <= SNAP * scale, 0.0, a) + 0.0


# =============================================================================== checks
def guessable(value: float, params: dict) -> bool:
    """0, ±1 or a number the statement gives, within the part's tolerance."""
    def numbers(v):
        return [x for item in v for x in numbers(item)] if isinstance(v, (list, tuple)) else [v]
    givens = [0.0, 1.0, -1.0, *(float(v) for v in numbers(list(params.values())))]
    return any(abs(value - g) <= PRECISION.tolerance(value) for g in givens)


def told_apart(right: float, found: dict, drawn: bool) -> dict:
    """``differing``; and in a drawn exercise no two mistakes may give the same answer (the
    grader could name only one of them)."""
    kept = differing(PRECISION, right, found, drawn)
    values = sorted(kept.values())
    if drawn and any(abs(b - a) <= PRECISION.tolerance(a) for a, b in zip(values, values[1:])):
        raise Rejected("indistinct_misconception", f"two mistakes give the same answer: {kept}")
    return kept


def scalar_mistakes(part: str, right: float, found: dict, drawn: bool) -> dict:
    return told_apart(right, {k: v for k, v in found.items() if k in BEARS_ON.get(part, ())}, drawn)


def vector_mistakes(part: str, right, found: dict, drawn: bool, bears: tuple | None = None) -> dict:
    """The mistaken vectors a grader tells apart; in a drawn exercise every one must be."""
    bears = BEARS_ON.get(part, ()) if bears is None else bears
    wanted = {k: tuple(float(x) for x in v) for k, v in found.items() if k in bears}
    kept = distinct_mistakes(tuple(right), wanted, PRECISION.tolerance)
    if drawn and len(kept) != len(wanted):
        raise Rejected("indistinct_misconception", f"{part}: {sorted(set(wanted) - set(kept))}")
    vectors = list(kept.values())
    for i, a in enumerate(vectors):
        later = dict(enumerate(vectors[i + 1:]))
        if drawn and len(distinct_mistakes(a, later, PRECISION.tolerance)) < len(later):
            raise Rejected("indistinct_misconception", f"{part}: two mistakes give the same vector")
    return kept


def bn_numpy(x, gamma, beta):
    """The training forward written out in numpy, for central differences."""
    xc = x - x.mean(axis=0)
    return xc / np.sqrt((xc * xc).mean(axis=0) + BN_EPS) * gamma + beta


def verify(x, gamma, beta, dout, eng) -> None:
    """The engine against the book's layer and against central differences of its forward."""
    layer = BatchNormalization(gamma, beta)
    require_close("y (book layer)", eng["y"], layer.forward(x))
    require_close("x̂ (book layer)", eng["xn"], layer.xn)
    require_close("dx (book layer)", eng["dx"], layer.backward(dout))
    require_close("dgamma (book layer)", eng["dgamma"], layer.dgamma)
    require_close("dbeta (book layer)", eng["dbeta"], layer.dbeta)
    numeric = numerical_grad(lambda a, g, b: np.sum(bn_numpy(a, g, b) * dout), x, gamma, beta)
    for name, grad in zip(("dx", "dgamma", "dbeta"), numeric):
        require_close(f"{name} (numerical)", eng[name], grad)


# =============================================================================== generator
COLUMN_VALUES = np.arange(-2, 7)
GAMMAS = np.array([0.5, 2.0, 3.0])
BETAS = np.array([-1.0, 0.0, 1.0, 2.0])
DOUTS = np.array([-2.0, -1.0, 1.0, 2.0, 3.0])


def friendly_column(rng, n: int, odd_half: bool) -> list:
    """n small integers, not all equal, with a mean in halves; with ``odd_half`` one like 2.5
    (no integer, so not one of the given numbers)."""
    for _ in range(50):
        col = rng.choice(COLUMN_VALUES, size=n)
        twice = 2 * col.sum()
        if len(set(col.tolist())) > 1 and twice % n == 0 and (not odd_half or (twice // n) % 2 == 1):
            return col.tolist()
    raise Rejected("degenerate", "no friendly column")


def first_look(params: dict) -> None:
    """The cheap reasons to redraw, before the engine runs: a guessable mean or variance, a
    column of dout summing to 0 (dβ = 0)."""
    x, dout, col = np.asarray(params["x"], dtype=float), np.asarray(params["dout"], dtype=float), params["col"]
    for what, value in (("mean", x[:, col].mean()), ("var", x[:, col].var())):
        if guessable(float(value), params):
            raise Rejected("guessable", f"{what} = {value:g}")
    if np.any(dout.sum(axis=0) == 0):
        raise Rejected("guessable", "dbeta has a 0")


class BatchNormForwardBackward(BuiltinGenerator):
    slug = "batchnorm-forward-backward"
    version = 1
    family = "normalization"
    difficulty = 3
    topics = ("normalization", "backprop")
    syllabus = ("3-7",)
    title = t("バッチ正規化の順伝播と逆伝播", "Batch normalization, forward and backward")
    statement = t("小さなミニバッチでバッチ正規化の平均・分散・正規化した値と、dγ・dβ・dx を計算する問題です。",
                  "Compute batch normalization's mean, variance and normalized values, and dγ, dβ and dx, "
                  "on a small mini-batch.")
    source = ("built-in generator exercises.generators.batchnorm.BatchNormForwardBackward "
              "(ゼロから作るDeep Learning 6.3 Batch Normalization, common/layers.py)")
    params_doc = t(
        "x（N×D、N は 2〜6、D は 1〜4、各値 -100〜100、各列の値がすべて等しくないこと）、gamma・beta（長さ D）、"
        "dout（N×D）。任意で col（平均・分散を問う列）、xhat_at（xn の添字 [n, d]）、dx_at（dx の添字 1〜2 個）。",
        "x (N×D with N from 2 to 6, D from 1 to 4, values -100..100, no column of equal values), gamma and "
        "beta (length D), dout (N×D); optionally col (the column whose mean and variance are asked), "
        "xhat_at (an index [n, d] into xn) and dx_at (one or two indices into dx).")
    hints = (
        t("平均と分散は列ごと（axis=0、バッチ方向）に取ります。分散は N で割ります。x̂ = (x − μ)/σ、σ = √(σ² + ε)。",
          "Take the mean and the variance per column (axis=0, over the batch); the variance divides by N. "
          "x̂ = (x − μ)/σ with σ = √(σ² + ε)."),
        t("dβ = Σₙ dout、dγ = Σₙ x̂ ⊙ dout（どちらもバッチ方向の合計）です。",
          "dβ = Σₙ dout and dγ = Σₙ x̂ ⊙ dout, both summed over the batch."),
        t("列ごとに dx = (γ/σ)(dout − mean(dout) − x̂·mean(dout·x̂)) です（mean はバッチ方向の平均）。",
          "Per column, dx = (γ/σ)(dout − mean(dout) − x̂·mean(dout·x̂)), the means taken over the batch."),
    )
    explanation = t(
        "バッチ正規化は特徴（列）ごとにミニバッチの平均 μ と分散 σ²（N で割る）を求め、x̂ = (x − μ)/√(σ² + ε)、"
        "y = γx̂ + β とします。β と γ はすべてのデータに使われるので、dβ = Σₙ dout、dγ = Σₙ x̂·dout とバッチ方向に合計します。"
        "dx では、x が x̂ に直接効く経路に加えて、μ と σ² を通って同じ列のすべての x̂ に効く経路があります。"
        "3 つの経路を足すと dx = (γ/σ)(dout − mean(dout) − x̂·mean(dout·x̂)) になり、各列の dx の合計は 0 です"
        "（どの x を一斉にずらしても x̂ は変わらないため）。N = 2 では x̂ が必ず ±1 になるので dx は 0 になります。",
        "Batch normalization takes, per feature (column), the mini-batch mean μ and variance σ² (divided by N), "
        "then x̂ = (x − μ)/√(σ² + ε) and y = γx̂ + β. β and γ serve every sample, so dβ = Σₙ dout and "
        "dγ = Σₙ x̂·dout, summed over the batch. For dx, x reaches x̂ directly and also through μ and σ², "
        "which feed every x̂ of its column. The three paths add up to dx = (γ/σ)(dout − mean(dout) − "
        "x̂·mean(dout·x̂)); each column of dx sums to 0 (shifting every x of a column leaves x̂ unchanged). "
        "With N = 2, x̂ is always ±1, so dx is 0.")

    def draw(self, rng) -> dict:
        n, d = 4, 2
        col = int(rng.integers(d))
        x = np.array([friendly_column(rng, n, odd_half=j == col) for j in range(d)]).T
        rows = [int(r) for r in rng.choice(n, size=3, replace=False)]
        return {"x": cleaned(x), "gamma": cleaned(rng.choice(GAMMAS, size=d)),
                "beta": cleaned(rng.choice(BETAS, size=d)), "dout": cleaned(rng.choice(DOUTS, size=(n, d))),
                "col": col, "xhat_at": [rows[0], col], "dx_at": [[rows[1], col], [rows[2], col]]}

    def check_params(self, params) -> dict:
        p = Params(params, ("x", "gamma", "beta", "dout"), ("col", "xhat_at", "dx_at"))
        x = p.matrix("x", -100, 100, rows=range(2, 7), cols=range(1, 5))
        n, d = len(x), len(x[0])
        if any(len({row[j] for row in x}) == 1 for j in range(d)):
            raise ParamsError("params.x: 値がすべて等しい列は分散が 0 で、正規化できません",
                              "params.x: a column of equal values has variance 0 and cannot be normalized",
                              field="params.x")
        out: dict[str, Any] = {"x": x, "gamma": p.vector("gamma", -100, 100, sizes=(d,)),
                               "beta": p.vector("beta", -100, 100, sizes=(d,)),
                               "dout": p.matrix("dout", -100, 100, rows=(n,), cols=(d,))}
        out["col"] = p.index("col", (d,))[0] if p.has("col") else 0
        out["xhat_at"] = p.index("xhat_at", (n, d)) if p.has("xhat_at") else [0, out["col"]]
        out["dx_at"] = p.indices("dx_at", (n, d)) if p.has("dx_at") else [[0, out["col"]], [1, out["col"]]]
        return out

    def build(self, seed, params, layout, drawn) -> Exercise:
        x, gamma, beta, dout = (np.asarray(params[k], dtype=float) for k in ("x", "gamma", "beta", "dout"))
        if drawn:
            first_look(params)
        eng = run(batch_norm, x, gamma, beta, dout)
        right, scales = bn_right(x, gamma, dout, eng)
        parts, answers, asked = bn_parts(params, x.shape, right, drawn)
        mistakes = bn_mistakes(answers, asked, bn_wrong(x, gamma, dout, scales), drawn)
        verify(x, gamma, beta, dout, eng)
        graph, full = graph_views(eng["out"], inputs=("x", "gamma", "beta"))
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=bn_statement(x, gamma, beta, dout),
            params=dict(params), parts=parts, answers=answers, mistakes=mistakes, graph=graph,
            solution=solution(*bn_solution(x, gamma, beta, dout, eng, params), full),
            hints=self.hints, explanation=self.explanation)


def bn_right(x, gamma, dout, eng) -> tuple[dict, dict]:
    """The asked quantities as whole arrays, ε's traces snapped to 0, and their natural scales."""
    xv = Variable(x)
    mu = F.mean(xv, axis=0, keepdims=True)
    var = F.mean(F.square(xv - mu), axis=0)
    require_close("var (numpy)", var.data, np.var(x, axis=0))
    std = np.sqrt(var.data + BN_EPS)
    scales = {"mean": np.abs(x).max(), "var": np.abs(x).max() ** 2, "xhat": 1.0, "dbeta": np.abs(dout).max(),
              "dgamma": np.abs(dout).max(), "dx": np.abs(gamma).max() * np.abs(dout).max() / std.min()}
    right = {"mean": mu.data[0], "var": var.data, "xhat": eng["xn"], "dbeta": eng["dbeta"],
             "dgamma": eng["dgamma"], "dx": eng["dx"]}
    return {k: snap(v, scales[k]) for k, v in right.items()}, scales


def bn_wrong(x, gamma, dout, scales) -> dict:
    """{quantity: {misconception id: its whole array}}, from the mistaken engine graphs."""
    wrong: dict[str, dict] = {k: {} for k in scales}
    for mid, (forward, rules) in BN_MISTAKES.items():
        got = run(forward, x, gamma, np.zeros_like(gamma), dout, rules)
        for qty in ("xhat", "dbeta", "dgamma", "dx"):
            wrong[qty][mid] = got["xn" if qty == "xhat" else qty]
    wrong["var"]["bn_unbiased_variance"] = np.var(x, axis=0, ddof=1)
    return {k: {m: snap(v, scales[k]) for m, v in found.items()} for k, found in wrong.items()}


def bn_parts(params, shape, right, drawn) -> tuple[list, dict, dict]:
    """The parts, their answers and where each comes from ({part: (quantity, index)}); a drawn
    exercise with a guessable answer (0, ±1, a given number, another part's) is redrawn."""
    col, (xn, xd) = params["col"], params["xhat_at"]
    scalars = [("mean", "mean", (col,), t(f"列 {col} のミニバッチ平均 `mu[{col}]` を求めなさい。",
                                          f"Find the mini-batch mean of column {col}, `mu[{col}]`.")),
               ("var", "var", (col,), t(f"列 {col} のミニバッチ分散 `var[{col}]` を求めなさい。",
                                        f"Find the mini-batch variance of column {col}, `var[{col}]`.")),
               ("xhat", "xhat", (xn, xd), t(f"正規化した値 `xn[{xn}, {xd}]`（$\\hat{{x}}$）を求めなさい。",
                                            f"Find the normalized value `xn[{xn}, {xd}]` ($\\hat{{x}}$)."))]
    many = len(params["dx_at"]) > 1
    for i, (r, c) in enumerate(params["dx_at"], start=1):
        scalars.append((f"dx_{i}" if many else "dx", "dx", (r, c),
                        t(f"dx $= \\partial L / \\partial x$ の要素 `dx[{r}, {c}]` を求めなさい。",
                          f"Find the element `dx[{r}, {c}]` of dx $= \\partial L / \\partial x$.")))
    parts: list[Part] = []
    answers: dict[str, Any] = {}
    asked: dict[str, tuple] = {}
    for pid, qty, at, prompt in scalars:
        value = float(right[qty][at]) + 0.0
        if drawn and (guessable(value, params) or any(abs(value - v) <= PRECISION.tolerance(value)
                                                      for v in answers.values())):
            raise Rejected("guessable", f"{pid} = {value:g}, a given number or another part's answer")
        answers[pid], asked[pid] = value, (qty, at)
        parts.append(Part(pid, "gradient" if qty == "dx" else "value", prompt, PRECISION))
    d = shape[1]
    for pid, what in (("dbeta", ("β の勾配", "the gradient of β")), ("dgamma", ("γ の勾配", "the gradient of γ"))):
        values = tuple(float(v) + 0.0 for v in right[pid])
        if drawn and any(v == 0 for v in values):
            raise Rejected("guessable", f"{pid} has a 0")
        answers[pid], asked[pid] = ArrayKey(values, (d,)), (pid, None)
        parts.append(Part(pid, "vector", t(
            f"{what[0]} `{pid}`（形 ({d},)）を求め、要素をカンマで区切って入力しなさい（例: 1.5, -2）。",
            f"Find {what[1]}, `{pid}` (shape ({d},)); type its elements separated by commas (e.g. 1.5, -2)."),
            PRECISION, shape=(d,)))
    return parts, answers, asked


def bn_mistakes(answers: dict, asked: dict, wrong: dict, drawn: bool) -> dict:
    out = {}
    for pid, (qty, at) in asked.items():
        if at is None:
            out[pid] = vector_mistakes(qty, answers[pid].values, wrong[qty], drawn)
        else:
            out[pid] = scalar_mistakes(qty, answers[pid], {m: float(v[at]) for m, v in wrong[qty].items()}, drawn)
    return out


def bn_statement(x, gamma, beta, dout) -> dict:
    n, d = x.shape
    defs = (r"$$\mu = \frac{1}{N}\sum_{n} x_{n}, \quad \sigma^2 = \frac{1}{N}\sum_{n} (x_{n} - \mu)^2, \quad "
            r"\hat{x}_{n} = \frac{x_{n} - \mu}{\sqrt{\sigma^2 + \varepsilon}}, \quad y_{n} = \gamma \hat{x}_{n} + \beta$$")
    given = rf"$$x = {pmatrix(x)}, \quad \gamma = {pmatrix(gamma)}, \quad \beta = {pmatrix(beta)}$$"
    upstream = rf"$$\mathrm{{dout}} = \frac{{\partial L}}{{\partial y}} = {pmatrix(dout)}$$"
    return t(
        f"バッチ正規化レイヤ（学習時、`train_flg=True`）に、ミニバッチ $x$（$N = {n}$ 個のデータ、$D = {d}$ 個の特徴）を"
        f"入力しました。特徴ごと（列ごと）に次を計算します（$\\varepsilon$ は本のコードの `10e-7`、つまり $10^{{-6}}$ で、"
        f"答えにはほとんど影響しません）。\n\n{defs}\n\n{given}\n\n逆伝播で上流から次の勾配が流れてきました。\n\n{upstream}\n\n"
        "本のコードの名前（`mu`, `var`, `xn`, `dgamma`, `dbeta`, `dx`）で問います。添字は numpy と同じく 0 始まりです。"
        "有効数字3桁で答えなさい。",
        f"A batch normalization layer (training, `train_flg=True`) gets the mini-batch $x$ ($N = {n}$ samples, "
        f"$D = {d}$ features). Per feature (column) it computes the following ($\\varepsilon$ is the book's "
        f"`10e-7`, that is $10^{{-6}}$, which barely changes the answers).\n\n{defs}\n\n{given}\n\n"
        f"In the backward pass this gradient arrives from upstream.\n\n{upstream}\n\n"
        "The questions use the book's names (`mu`, `var`, `xn`, `dgamma`, `dbeta`, `dx`). Indices start at 0, "
        "as in numpy. Give 3 significant figures.")


def bn_solution(x, gamma, beta, dout, eng, params) -> tuple[list, list]:
    mu, var = x.mean(axis=0), x.var(axis=0)
    std = np.sqrt(var + BN_EPS)
    xn = eng["xn"]
    forward = [rf"$\mu = {pmatrix(mu, 4)}, \quad \sigma^2 = {pmatrix(var, 4)}, \quad "
               rf"\sigma = \sqrt{{\sigma^2 + \varepsilon}} = {pmatrix(std, 4)}$",
               rf"$\hat{{x}} = \frac{{x - \mu}}{{\sigma}} = {pmatrix(xn, 4)}$",
               rf"$y = \gamma \hat{{x}} + \beta = {pmatrix(eng['y'], 4)}$"]
    m1, m2 = dout.mean(axis=0), (dout * xn).mean(axis=0)
    backward = [rf"$d\beta = \sum_{{n}} \mathrm{{dout}}_{{n}} = {pmatrix(eng['dbeta'], 4)}$",
                rf"$d\gamma = \sum_{{n}} \hat{{x}}_{{n}} \mathrm{{dout}}_{{n}} = {pmatrix(eng['dgamma'], 4)}$",
                rf"$\overline{{\mathrm{{dout}}}} = {pmatrix(m1, 4)}, \quad "
                rf"\overline{{\mathrm{{dout}} \cdot \hat{{x}}}} = {pmatrix(m2, 4)}$",
                rf"$dx = \frac{{\gamma}}{{\sigma}}\left(\mathrm{{dout}} - \overline{{\mathrm{{dout}}}} - "
                rf"\hat{{x}}\,\overline{{\mathrm{{dout}} \cdot \hat{{x}}}}\right) = {pmatrix(eng['dx'], 4)}$"]
    for r, c in params["dx_at"]:
        backward.append(
            rf"$\mathrm{{dx}}[{r}, {c}] = \frac{{{num(gamma[c], 4)}}}{{{num(std[c], 4)}}}\left({num(dout[r, c])} - "
            rf"{pnum(m1[c], 4)} - {pnum(xn[r, c], 4)} \times {pnum(m2[c], 4)}\right) = {num(eng['dx'][r, c], 4)}$")
    return forward, backward

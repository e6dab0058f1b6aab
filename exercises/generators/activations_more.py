"""More activations (family ``activations-losses``).

``LeakyReluGelu``: Leaky ReLU forward and backward on a vector (DeZero's ``F.leaky_relu``), and
GELU exact (x Φ(x), with erf) and its tanh approximation at a point, with GELU's derivative.
``SoftmaxTemperature``: softmax(x / T), log-sum-exp with the maximum subtracted, and which rows
of a batch give nan in float64 without the maximum subtracted, or with the whole batch's.

References come from the engine (``exercises.autodiff``), checked against math.erf / numpy
formulas and central differences; what goes nan is run in numpy and checked against the
float64 limits of exp (overflow above log(max) ≈ 709.78, 0 below log(tiny subnormal) ≈ -745.13).
"""
from __future__ import annotations

import math

import numpy as np

from ..autodiff import BackwardRules, Variable
from ..autodiff import functions as F
from ..autodiff.activations_extra import LeakyReLU, np_gelu, np_gelu_tanh
from ..autodiff.losses import np_softmax
from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..misconceptions import MISCONCEPTIONS
from ..numdiff import numerical_grad
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, cleaned, differing, num, pmatrix, require_close, solution, t
from .regularization import array_key, array_mistakes, array_part

ARRAY = Precision("decimals", 3)
GELU_P = Precision("decimals", 5)
X_VALUES = np.array([-3, -2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 3])
DOUT_VALUES = np.array([-2, -1, -0.5, 0.5, 1.5, 2, 3])
SLOPES = (0.2, 0.1, 0.05, 0.3)
Z_VALUES = (-2.5, -2, -1.5, -1, -0.8, -0.5, 0.5, 0.8, 1, 2)
SLOPE_FORGOTTEN = BackwardRules({LeakyReLU: lambda f, gy: gy * (f.inputs[0].data > 0)})


def leaky_engine(x, dout, slope: float, rules=None):
    xv = Variable(np.asarray(x, dtype=float), name="x")
    y = F.leaky_relu(xv, slope=slope)
    y.grad = np.asarray(dout, dtype=float)
    y.backward(rules=rules)
    return np.asarray(y.data), np.asarray(xv.grad)


def point_grad(fn, z: float) -> tuple[float, float]:
    zv = Variable(np.array(float(z)))
    y = fn(zv)
    y.backward()
    return float(y.data), float(np.asarray(zv.grad))


class LeakyReluGelu(BuiltinGenerator):
    slug = "leaky-relu-gelu"
    version = 1
    family = "activations-losses"
    difficulty = 2
    topics = ("activation-functions", "backprop")
    syllabus = ("3-1-4", "3-2-2")
    title = t("Leaky ReLU と GELU（厳密な式と tanh 近似）", "Leaky ReLU and GELU (exact and tanh approximation)")
    statement = t("Leaky ReLU の順伝播・逆伝播をベクトルで求め、GELU の厳密な値・tanh 近似の値・微分をある点で求める問題です。",
                  "Find Leaky ReLU's forward and backward pass on a vector, and GELU's exact value, tanh approximation "
                  "and derivative at a point.")
    source = ("built-in generator exercises.generators.activations_more.LeakyReluGelu "
              "(ゼロから作るDeep Learning ③ F.leaky_relu; GELU: Hendrycks & Gimpel 2016)")
    params_doc = t("x（長さ 3〜5、0 以外、-10〜10、正と負を含む）、dout（x と同じ長さ、-10〜10）、slope（α、0.01〜0.5）、"
                   "z（GELU を求める点、-4〜4、0 以外）。",
                   "x (3 to 5 numbers, nonzero, -10..10, with both signs), dout (as long as x, -10..10), slope (α, "
                   "0.01..0.5), z (the point for GELU, -4..4, nonzero).")
    hints = (
        t("Leaky ReLU は x > 0 で x、x ≤ 0 で αx。逆伝播の局所的な傾きは 1 か α で、dout に掛けます。",
          "Leaky ReLU is x for x > 0 and αx for x ≤ 0; its local slope is 1 or α, times dout."),
        t("GELU(x) = xΦ(x)、Φ(x) = ½(1 + erf(x/√2))。微分は積の微分で Φ(x) + xφ(x)、φ(x) = exp(-x²/2)/√(2π)。",
          "GELU(x) = xΦ(x), Φ(x) = ½(1 + erf(x/√2)); by the product rule its derivative is Φ(x) + xφ(x), "
          "φ(x) = exp(-x²/2)/√(2π)."),
    )
    explanation = t(
        "Leaky ReLU は負の側にも小さな傾き α を残すので、x ≤ 0 の要素でも出力は αx、勾配は α·dout です（ReLU のように 0 に"
        "しない）。GELU は入力を「x が標準正規分布の確率変数より大きい確率」Φ(x) で重み付けした xΦ(x) で、Transformer"
        "（BERT・GPT）で使われます。tanh による近似式は値が非常に近いものの同じではないので、問われている式で計算します。"
        "微分は積 x·Φ(x) の微分なので Φ(x) + xφ(x) となり、Φ(x) だけではありません。",
        "Leaky ReLU keeps a small slope α on the negative side: for x ≤ 0 the output is αx and the gradient α·dout (not 0 "
        "as in ReLU). GELU weighs its input by Φ(x), the probability that a standard normal variable is below x: xΦ(x), "
        "used in Transformers (BERT, GPT). The tanh formula approximates it very closely but is not the same, so use the "
        "one asked for. The derivative of the product x·Φ(x) is Φ(x) + xφ(x), not Φ(x) alone.")

    def draw(self, rng) -> dict:
        return {"x": cleaned(rng.choice(X_VALUES, size=4)), "dout": cleaned(rng.choice(DOUT_VALUES, size=4)),
                "slope": float(SLOPES[int(rng.integers(len(SLOPES)))]),
                "z": float(Z_VALUES[int(rng.integers(len(Z_VALUES)))])}

    def check_params(self, params) -> dict:
        p = Params(params, ("x", "dout", "slope", "z"))
        x = p.vector("x", -10, 10, sizes=range(3, 6))
        if any(v == 0 for v in x) or not (min(x) < 0 < max(x)):
            raise ParamsError("params.x: 0 を含めず、正と負の両方を含めてください",
                              "params.x: no 0, and both positive and negative numbers", field="params.x")
        z = p.number("z", -4, 4)
        if z == 0:
            raise ParamsError("params.z: 0 以外にしてください", "params.z: must not be 0", field="params.z")
        return {"x": x, "dout": p.vector("dout", -10, 10, sizes=(len(x),)), "slope": p.number("slope", 0.01, 0.5),
                "z": z}

    def build(self, seed, params, layout, drawn) -> Exercise:
        x, dout, a, z = (np.asarray(params["x"], dtype=float), np.asarray(params["dout"], dtype=float),
                         float(params["slope"]), float(params["z"]))
        if drawn and not (np.any(x > 0) and np.any(x < 0)):
            raise Rejected("degenerate", "x needs positive and negative elements")
        y, dx = leaky_engine(x, dout, a)
        require_close("leaky y (formula)", y, np.where(x > 0, x, a * x))
        require_close("leaky dx (numerical)", dx, numerical_grad(lambda v: np.sum(dout * np.where(v > 0, v, a * v)), x))
        g, dg = point_grad(F.gelu, z)
        gt, dgt = point_grad(F.gelu_tanh, z)
        cdf, pdf = 0.5 * (1 + math.erf(z / math.sqrt(2))), math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
        require_close("gelu (math.erf)", g, z * cdf)
        require_close("gelu_tanh (formula)", gt, 0.5 * z * (1 + math.tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z ** 3))))
        require_close("gelu' (numerical)", dg, numerical_grad(lambda v: np_gelu(v), np.array(z)))
        require_close("gelu' (Φ + xφ)", dg, cdf + z * pdf)
        require_close("gelu_tanh' (numerical)", dgt, numerical_grad(lambda v: np_gelu_tanh(v), np.array(z)))
        keys = {"leaky_y": array_key(y), "leaky_dx": array_key(dx)}
        wrong = {"leaky_y": {"leaky_relu_slope_forgotten": np.maximum(x, 0)},
                 "leaky_dx": {"leaky_relu_slope_forgotten": leaky_engine(x, dout, a, SLOPE_FORGOTTEN)[1],
                              "dropped_upstream": leaky_engine(x, dout, a, MISCONCEPTIONS["dropped_upstream"].rules)[1]}}
        mistakes: dict[str, dict] = {pid: array_mistakes(ARRAY, keys[pid], wrong[pid], drawn) for pid in keys}
        answers: dict = dict(keys) | {"gelu": g, "gelu_tanh": gt, "dgelu": dg}
        mistakes["gelu"] = differing(GELU_P, g, {"gelu_approx_confused": gt}, drawn)
        mistakes["gelu_tanh"] = differing(GELU_P, gt, {"gelu_approx_confused": g}, drawn)
        mistakes["dgelu"] = differing(GELU_P, dg, {"gelu_approx_confused": dgt, "gelu_product_rule_forgotten": cdf}, drawn)
        zs = num(z)
        parts = [
            array_part("leaky_y", t("Leaky ReLU の出力 $\\mathbf{y}$ をベクトルで求めなさい。",
                                    "Find Leaky ReLU's output $\\mathbf{y}$ as a vector."), keys["leaky_y"], ARRAY),
            array_part("leaky_dx", t("逆伝播で Leaky ReLU が返す dx をベクトルで求めなさい。",
                                     "Find dx returned by Leaky ReLU's backward pass, as a vector."), keys["leaky_dx"], ARRAY),
            Part("gelu", "value", t(f"厳密な GELU の値 $\\mathrm{{GELU}}({zs})$ を求めなさい。",
                                    f"Find the exact $\\mathrm{{GELU}}({zs})$."), GELU_P),
            Part("gelu_tanh", "value", t(f"tanh 近似の値 $\\mathrm{{GELU}}_{{\\tanh}}({zs})$ を求めなさい。",
                                         f"Find the tanh approximation $\\mathrm{{GELU}}_{{\\tanh}}({zs})$."), GELU_P),
            Part("dgelu", "gradient", t(f"厳密な GELU の微分 $\\mathrm{{GELU}}'({zs})$ を求めなさい。",
                                        f"Find the exact GELU's derivative $\\mathrm{{GELU}}'({zs})$."), GELU_P),
        ]
        forward = [rf"$\mathbf{{y}} = {pmatrix(y, 4)}$",
                   rf"$\Phi({zs}) = \tfrac{{1}}{{2}}(1 + \mathrm{{erf}}({zs}/\sqrt{{2}})) = {num(cdf, 7)}$",
                   rf"$\mathrm{{GELU}}({zs}) = {zs} \times {num(cdf, 7)} = {num(g, 7)}$",
                   rf"$\mathrm{{GELU}}_{{\tanh}}({zs}) = {num(gt, 7)}$"]
        backward = [rf"$\mathrm{{dx}} = \mathrm{{dout}} \odot {pmatrix(np.where(x > 0, 1.0, a))} = {pmatrix(dx, 4)}$",
                    rf"$\mathrm{{GELU}}'({zs}) = \Phi + x\phi = {num(cdf, 7)} + {zs} \times {num(pdf, 7)} = {num(dg, 7)}$"]
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_leaky_statement(x, dout, a, z), params=dict(params),
            parts=parts, answers=answers, mistakes=mistakes, graph=None, solution=solution(forward, backward),
            hints=self.hints, explanation=self.explanation)


def _leaky_statement(x, dout, a: float, z: float) -> dict:
    shown = rf"$$\mathbf{{x}} = {pmatrix(x)}, \quad \mathrm{{dout}} = {pmatrix(dout)}, \quad \alpha = {num(a)}$$"
    defs = (r"$$\mathrm{LeakyReLU}(x) = \begin{cases} x & (x > 0) \\ \alpha x & (x \le 0) \end{cases}, \quad "
            r"\mathrm{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + \mathrm{erf}\frac{x}{\sqrt{2}}\right), \quad "
            r"\mathrm{GELU}_{\tanh}(x) = \frac{x}{2}\left(1 + \tanh\left(\sqrt{2/\pi}\,(x + 0.044715x^3)\right)\right)$$")
    return t(f"ベクトル $\\mathbf{{x}}$ を傾き α の Leaky ReLU（`F.leaky_relu(x, slope=α)`）に通し、逆伝播で上流から dout が"
             f"流れてきました。また GELU を点 $z = {num(z)}$ で考えます。\n\n{shown}\n\n{defs}\n\n"
             "Φ は標準正規分布の累積分布関数です。",
             f"The vector $\\mathbf{{x}}$ goes through Leaky ReLU with slope α (`F.leaky_relu(x, slope=α)`), and dout "
             f"comes back from upstream. GELU is taken at the point $z = {num(z)}$.\n\n{shown}\n\n{defs}\n\n"
             "Φ is the standard normal CDF.")


# =============================================================================== softmax: T, stability
SOFT_P = Precision("decimals", 4)
SCORES = np.array([-2, -1, 0, 1, 2, 3])
TEMPERATURES = (0.5, 2, 4, 3)
OFFSETS = (800, 1000, 1200)
# exp overflows above log(max) ≈ 709.78 and rounds to 0 below log(smallest subnormal / 2) ≈ -745.13
EXP_MAX, EXP_MIN = math.log(np.finfo(float).max), math.log(np.nextafter(0.0, 1.0)) - math.log(2.0)
NAIVE = "np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)"


def nan_rows(batch: np.ndarray, shift: np.ndarray) -> tuple:
    """The rows whose softmax of ``batch - shift`` (numpy, float64) holds a nan."""
    with np.errstate(all="ignore"):
        e = np.exp(batch - shift)
        y = e / np.sum(e, axis=1, keepdims=True)
    return tuple(int(r) for r in np.flatnonzero(~np.all(np.isfinite(y), axis=1)))


def predicted_nan(batch: np.ndarray, shift: np.ndarray) -> tuple:
    """The same from the limits: a row's largest shifted score above EXP_MAX overflows (inf / inf),
    all of them below EXP_MIN underflow (0 / 0); a sum that overflows gives 0s, not nan."""
    top = np.max(batch - shift, axis=1)
    return tuple(int(r) for r in np.flatnonzero((top > EXP_MAX) | (top < EXP_MIN)))


def rows_text(rows: tuple, n: int) -> dict:
    if not rows:
        return t("どの行も nan にならない", "No row")
    if len(rows) == n:
        return t("すべての行", "Every row")
    listed = ", ".join(map(str, rows))
    return t(f"行 {listed} だけ", f"Rows {' and '.join(map(str, rows))} only" if len(rows) > 1 else f"Row {listed} only")


def subset_choice(right: tuple, named: dict, n: int, layout) -> tuple[tuple, int, dict]:
    """Four subsets of the rows as options: the answer, the named slips, then others from ``layout``."""
    subsets = [tuple(r for r in range(n) if k >> r & 1) for k in range(2 ** n)]
    kept: dict = {}
    for mid, s in named.items():  # one name per option, the first
        if s != right and s not in kept.values():
            kept[mid] = s
    options = [right] + list(kept.values())
    rest = [s for s in subsets if s not in options]
    options = list(dict.fromkeys(options + [rest[int(i)] for i in layout.permutation(len(rest))]))[:4]
    order = [options[int(i)] for i in layout.permutation(len(options))]
    marks = {mid: order.index(s) for mid, s in kept.items() if mid in MISCONCEPTIONS}
    return tuple(rows_text(s, n) for s in order), order.index(right), marks


class SoftmaxTemperature(BuiltinGenerator):
    slug = "softmax-temperature-stability"
    version = 1
    family = "activations-losses"
    difficulty = 3
    topics = ("activation-functions", "loss-functions")
    syllabus = ("3-1-3", "3-1-4")
    title = t("温度付きソフトマックスと数値的な安定性（最大値を引く）",
              "Softmax with temperature, and stability (subtracting the max)")
    statement = t("温度 T のソフトマックス、最大値を引いた log-sum-exp、最大値を引かない（またはバッチ全体の最大値を引く）"
                  "ソフトマックスがどの行で nan になるかを問う問題です。",
                  "Softmax with a temperature T, log-sum-exp with the maximum subtracted, and which rows go nan without "
                  "subtracting the maximum (or with the whole batch's).")
    source = "built-in generator exercises.generators.activations_more.SoftmaxTemperature (ゼロから作るDeep Learning 3.5.2)"
    params_doc = t("x（長さ 3〜4、-10〜10、すべて同じ値は不可）、T（0.1〜10、1 以外）、batch（3 行 3 列、-2000〜2000）、"
                   "任意で lse_row（log-sum-exp を求める batch の行、既定は最初に nan になる行か 0）。",
                   "x (3 or 4 numbers, -10..10, not all equal), T (0.1..10, not 1), batch (3 by 3, -2000..2000), "
                   "optionally lse_row (the batch row for log-sum-exp; by default the first that overflows, else 0).")
    hints = (
        t("温度付きソフトマックスは $y_k = \\exp(x_k/T) / \\sum_j \\exp(x_j/T)$。",
          "With a temperature, $y_k = \\exp(x_k/T) / \\sum_j \\exp(x_j/T)$."),
        t("float64 の exp は約 709.78 を超えると inf、約 -745 より小さいと 0 になります。inf/inf も 0/0 も nan です。",
          "float64's exp gives inf above about 709.78 and 0 below about -745; inf/inf and 0/0 are both nan."),
        t("$\\log\\sum e^{x_k} = m + \\log\\sum e^{x_k - m}$（m は最大値）。",
          "$\\log\\sum e^{x_k} = m + \\log\\sum e^{x_k - m}$ (m the maximum)."),
    )
    explanation = t(
        "ソフトマックスは各行に同じ定数を足し引きしても変わらないので、本の実装は `x - np.max(x)` で最大値を引いてから exp を"
        "取ります。こうすると最大の要素が exp(0) = 1 になり、オーバーフロー（inf/inf）もすべての要素のアンダーフロー（0/0）も"
        "起きません。バッチでは**行ごとの**最大値を引きます。バッチ全体の最大値だと、それよりずっと小さい行が 0/0 になります。"
        "温度 T で割ると、T > 1 で分布がなだらかに、T < 1 で鋭くなります。"
        "log-sum-exp も同じく最大値を引いて計算し、最後に足し戻します。",
        "Softmax does not change when a row is shifted by a constant, so the book subtracts the maximum first "
        "(`x - np.max(x)`): the largest element becomes exp(0) = 1, and neither overflow (inf/inf) nor underflow of every "
        "element (0/0) can happen. In a batch, subtract **each row's** maximum; with the whole batch's, a row far below it "
        "becomes 0/0. Dividing by T > 1 flattens the distribution, T < 1 sharpens it. log-sum-exp is computed the same "
        "way, with the maximum added back at the end.")

    def draw(self, rng) -> dict:
        kinds = ["large", "small", ["large", "small", "negative"][int(rng.integers(3))]]
        kinds = [kinds[int(i)] for i in rng.permutation(3)]
        offsets = {"large": 1, "small": 0, "negative": -1}
        shifts = [offsets[k] * float(OFFSETS[int(rng.integers(3))]) for k in kinds]
        batch = [[float(v) + c for v in rng.choice(SCORES, 3, replace=False)] for c in shifts]
        return {"x": cleaned(rng.choice(SCORES, size=3, replace=False)),
                "T": float(TEMPERATURES[int(rng.integers(len(TEMPERATURES)))]), "batch": cleaned(batch),
                "lse_row": kinds.index("large")}

    def check_params(self, params) -> dict:
        p = Params(params, ("x", "T", "batch"), ("lse_row",))
        x = p.vector("x", -10, 10, sizes=(3, 4))
        if len(set(x)) == 1:
            raise ParamsError("params.x: すべて同じ値にはできません", "params.x: not all equal", field="params.x")
        temp = p.number("T", 0.1, 10)
        if temp == 1:
            raise ParamsError("params.T: 1 以外にしてください", "params.T: must not be 1", field="params.T")
        batch = p.matrix("batch", -2000, 2000, rows=(3,), cols=(3,))
        default = (nan_rows(np.asarray(batch, dtype=float), np.zeros((3, 1))) or (0,))[0]
        row = p.index("lse_row", (3,))[0] if p.has("lse_row") else default
        return {"x": x, "T": temp, "batch": batch, "lse_row": row}

    def build(self, seed, params, layout, drawn) -> Exercise:
        x, temp, batch = np.asarray(params["x"], dtype=float), float(params["T"]), np.asarray(params["batch"], dtype=float)
        xv = Variable(x / temp)
        y = np.asarray(F.softmax(xv).data)
        require_close("softmax(x/T) (formula)", y, np.exp(x / temp) / np.sum(np.exp(x / temp)))
        require_close("softmax shifted", y, np_softmax(x / temp - np.max(x / temp)))
        if drawn and (np.any(y < 5e-4) or np.any(y > 1 - 5e-4)):
            raise Rejected("degenerate", "a softmax element rounds to 0 or 1")
        row = batch[params["lse_row"]]
        rv = Variable(row.copy())
        lse_v = F.log(F.sum(F.exp(rv - row.max()))) + row.max()
        lse_v.backward()
        lse = float(lse_v.data)
        require_close("log-sum-exp (np.logaddexp)", lse, np.logaddexp.reduce(row))
        require_close("d lse / dx = softmax (numerical)", np.asarray(rv.grad), numerical_grad(np.logaddexp.reduce, row))
        shifts = {"naive": np.zeros((3, 1)), "batch": np.full((3, 1), batch.max()),
                  "row": np.max(batch, axis=1, keepdims=True)}
        found = {k: nan_rows(batch, s) for k, s in shifts.items()}
        if found["row"] or any(found[k] != predicted_nan(batch, shifts[k]) for k in ("naive", "batch")):
            raise Rejected("gradient_check", f"nan rows {found} do not follow the float64 limits")
        if drawn and (not found["naive"] or not found["batch"] or found["naive"] == found["batch"]):
            raise Rejected("degenerate", "the two nan questions need different, non-empty answers")
        over = predicted_nan(batch, shifts["naive"])
        over = tuple(r for r in over if np.max(batch[r]) > 0)
        naive_text, naive_key, naive_named = subset_choice(
            found["naive"], {"softmax_underflow_ignored": over, "wrong_choice": ()}, 3, layout)
        batch_text, batch_key, batch_named = subset_choice(
            found["batch"], {"softmax_max_per_batch": (), "wrong_choice": found["naive"]}, 3, layout)
        keys = {"y_temp": array_key(y)}
        hot_t = {"temperature_multiplied": np_softmax(x * temp)}
        mistakes: dict[str, dict] = {"y_temp": array_mistakes(SOFT_P, keys["y_temp"], hot_t, drawn)}
        mistakes["lse"] = differing(SOFT_P, lse, {"logsumexp_max_not_added_back": lse - row.max()}, drawn)
        mistakes |= {"naive": naive_named, "batch_max": batch_named}
        parts = [
            array_part("y_temp", t(f"$\\mathbf{{y}} = \\mathrm{{softmax}}(\\mathbf{{x}}/T)$（T = {num(temp)}）を"
                                "ベクトルで求めなさい。",
                                f"Find $\\mathbf{{y}} = \\mathrm{{softmax}}(\\mathbf{{x}}/T)$ (T = {num(temp)}) as a vector."),
                       keys["y_temp"], SOFT_P),
            Part("lse", "value", t(f"batch の行 {params['lse_row']} の log-sum-exp $\\log\\sum_k \\exp(x_k)$ を求めなさい。",
                                   f"Find the log-sum-exp $\\log\\sum_k \\exp(x_k)$ of row {params['lse_row']} of the batch."),
                 SOFT_P),
            Part("naive", "choice", t("`softmax_naive(batch)` の出力で nan を含む行はどれですか（行は 0 始まり）。",
                                      "Which rows of `softmax_naive(batch)` contain nan (rows from 0)?"), None, naive_text),
            Part("batch_max", "choice", t("`softmax_batch_max(batch)` の出力で nan を含む行はどれですか。",
                                          "Which rows of `softmax_batch_max(batch)` contain nan?"), None, batch_text),
        ]
        answers = {"y_temp": keys["y_temp"], "lse": lse, "naive": naive_key, "batch_max": batch_key}
        forward = [rf"$\mathbf{{x}}/T = {pmatrix(x / temp, 4)},\ \mathbf{{y}} = {pmatrix(y, 4)}$",
                   rf"$\log\sum e^{{x_k}} = {num(row.max())} + \log\sum e^{{x_k - {num(row.max())}}} = {num(lse, 8)}$"]
        backward = [rf"$\text{{naive nan rows}}: {list(found['naive'])},\ \text{{batch-max nan rows}}: {list(found['batch'])},\ "
                    rf"e^{{x}} = \infty \ (x > {EXP_MAX:.2f}),\ e^{{x}} = 0 \ (x < {EXP_MIN:.2f})$"]
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_soft_statement(x, temp, batch), params=dict(params),
            parts=parts, answers=answers, mistakes=mistakes, graph=None, solution=solution(forward, backward),
            hints=self.hints, explanation=self.explanation)


def _soft_statement(x, temp: float, batch) -> dict:
    code = {lang: "```python\ndef softmax_naive(x):\n    return " + NAIVE + "\n\ndef softmax_batch_max(x):\n"
            f"    x = x - np.max(x)  # {note}\n    return " + NAIVE + "\n```"
            for lang, note in (("ja", "バッチ全体の最大値"), ("en", "the whole batch's max"))}
    shown = rf"$$\mathbf{{x}} = {pmatrix(x)}, \quad T = {num(temp)}, \quad \mathrm{{batch}} = {pmatrix(batch)}$$"
    return t(f"スコア $\\mathbf{{x}}$ と温度 T、3 行のバッチ batch（float64 の numpy 配列、各行が1つのデータ）があります。\n\n"
             f"{shown}\n\n{code['ja']}\n\n`np.exp` は float64 で計算され、警告は無視するものとします。",
             f"Here are scores $\\mathbf{{x}}$, a temperature T and a batch of 3 rows (a float64 numpy array, one sample "
             f"per row).\n\n{shown}\n\n{code['en']}\n\n`np.exp` works in float64; warnings are ignored.")

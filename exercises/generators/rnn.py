"""Vanishing and exploding gradients through time (family ``rnn``).

A scalar RNN h_t = tanh(w h_{t-1} + x_t) over T = 3 or 4 steps: the factor ∂h_T/∂h_0 =
Π w tanh'(a_t) = Π w (1 - h_t²), by the engine (backward from h_T to the leaf h_0), checked
against central differences and the product written out. Then the book's simplification
(ゼロから作るDeep Learning ② 6.1.3: tanh left aside, only the MatMul node): N steps back the
factor is w^N, by the engine (N multiplications, backward) against w ** N; which way it goes
(vanishing below 0.01, exploding above 100: decided from that number, other draws refused) and
the remedy that fits (gradient clipping against exploding, LSTM/GRU gates against vanishing).
Misconceptions: vanishing_product_as_sum (Σ instead of Π, on both factors), vanishing_tanh_ignored
(w^T), tanh_from_x (the engine's mutated Tanh rule), and on the choices wrong_choice,
clipping_for_vanishing, gating_for_exploding.
"""
from __future__ import annotations

import math

import numpy as np

from ..autodiff import Variable
from ..autodiff import functions as F
from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..graphview import graph_views
from ..kinds.carried import trivial
from ..misconceptions import MISCONCEPTIONS
from ..numdiff import numerical_grad
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, differing, num, pnum, require_close, solution, t
from .initialization import shuffled

PRECISION = Precision("sig", 3)
TANH_FROM_X = MISCONCEPTIONS["tanh_from_x"].rules
W_VALUES = (0.5, 0.6, 0.7, -0.5, -0.6, 1.5, 1.6, 2, -1.5, -2)
X_VALUES = (-1, -0.5, -0.2, 0.2, 0.5, 1)
H0_VALUES = (-0.5, 0, 0.5)
N_VALUES = (10, 20, 30, 50)


def clear_regime(w: float, n: int) -> bool:
    """|w|^N clearly vanishing or exploding, and still a number a learner can type."""
    size = abs(w) ** n
    return 1e-8 <= size < 0.01 or 100 < size <= 1e8

REGIMES = [
    (t("指数関数的に小さくなって 0 に近づく（勾配消失）", "It shrinks exponentially towards 0 (vanishing gradients)"),
     "vanish", t("$|w| < 1$ の積を何度も掛けると、$|w|^N$ は 0 に近づきます",
                 "multiplying by $|w| < 1$ again and again drives $|w|^N$ to 0")),
    (t("指数関数的に大きくなる（勾配爆発）", "It grows exponentially (exploding gradients)"),
     "explode", t("$|w| > 1$ の積を何度も掛けると、$|w|^N$ は際限なく大きくなります",
                  "multiplying by $|w| > 1$ again and again makes $|w|^N$ grow without bound")),
    (t("どの時刻の勾配もほぼ同じ大きさのまま伝わる", "It keeps about the same size at every step"),
     "wrong_choice", t("大きさが保たれるのは係数の大きさがちょうど 1 のときだけです",
                       "the size is kept only when the factor's size is exactly 1")),
]
REMEDIES = {
    "vanish": [
        (t("LSTM や GRU のようなゲート付きの RNN に替える", "Switch to a gated RNN such as an LSTM or a GRU"), None,
         t("記憶セルを通る経路では勾配が $W_h$ の繰り返しの積と tanh を通らないので、消えにくくなります",
           "along the memory cell the gradient avoids the repeated product with $W_h$ and tanh, so it does not vanish")),
        (t("勾配クリッピングを使う", "Use gradient clipping"), "clipping_for_vanishing",
         t("クリッピングは大きすぎる勾配を縮めるだけで、小さな勾配は大きくしません",
           "clipping only shrinks gradients that are too large; it never enlarges small ones")),
        (t("学習率を大きくする", "Raise the learning rate"), "wrong_choice",
         t("遠い過去からの勾配は近い過去からの勾配に比べて指数的に小さいままで、比率は変わりません",
           "the gradient from the distant past stays exponentially smaller than the recent one; the ratio is unchanged")),
        (t("活性化関数を tanh から sigmoid に替える", "Replace tanh by the sigmoid"), "wrong_choice",
         t("sigmoid の微分の最大値は 0.25 で、tanh（最大 1）よりもさらに勾配が小さくなります",
           "the sigmoid's derivative is at most 0.25, smaller than tanh's (at most 1): the gradient shrinks faster")),
    ],
    "explode": [
        (t("勾配クリッピングを使う", "Use gradient clipping"), None,
         t("勾配のノルムがしきい値を超えたら勾配全体を縮めるので、爆発した勾配で大きく跳ぶことを防げます",
           "when the gradient's norm exceeds a threshold the whole gradient is scaled down, preventing huge steps")),
        (t("LSTM や GRU のゲートを使えばクリッピングは要らない", "Gates (LSTM, GRU) make clipping unnecessary"),
         "gating_for_exploding",
         t("ゲートは主に勾配消失への対策で、LSTM でも勾配爆発にはクリッピングを併用します",
           "gates mainly address vanishing gradients; LSTMs are trained with clipping against exploding ones")),
        (t("活性化関数を ReLU に替える", "Replace tanh by ReLU"), "wrong_choice",
         t("ReLU の微分は 1 なので、$|w| > 1$ の積はそのまま大きくなります（ReLU は勾配消失への対策）",
           "ReLU's derivative is 1, so the product of $|w| > 1$ grows just the same (ReLU is a remedy for vanishing)")),
        (t("Truncated BPTT のブロックをもっと長くする", "Make the truncated BPTT blocks longer"), "wrong_choice",
         t("さかのぼる時刻が増えるほど積の回数が増え、爆発はひどくなります",
           "more steps back means more factors in the product and a worse explosion")),
    ],
}


def rnn_factor(w: float, xs, h0: float, rules=None) -> tuple[float, list, Variable]:
    """∂h_T/∂h_0 by the engine, the states h_1..h_T and the output h_T."""
    wv, h0v = Variable(np.array(float(w)), "w"), Variable(np.array(float(h0)), "h0")
    h, hs = h0v, []
    for k, x in enumerate(xs, start=1):
        h = F.tanh(wv * h + Variable(np.array(float(x)), f"x{k}"))
        h.name = f"h{k}"
        hs.append(float(h.data))
    h.backward(rules=rules)
    return float(h0v.grad), hs, h


def matmul_only(w: float, n: int) -> float:
    """∂h_N/∂h_0 of h_t = w h_{t-1}, by the engine (the book's view with tanh left aside)."""
    h0 = Variable(np.array(1.0), "h0")
    h = h0
    for _ in range(n):
        h = w * h
    h.backward()
    return float(h0.grad)


def np_last_state(w: float, xs, h0: float) -> float:
    h = h0
    for x in xs:
        h = math.tanh(w * h + float(x))
    return h


class GradientVanishing(BuiltinGenerator):
    slug = "rnn-gradient-vanishing"
    version = 1
    family = "rnn"
    difficulty = 2
    topics = ("rnn", "backprop")
    syllabus = ("3-2-2", "3-5")
    title = t("RNN の勾配消失と勾配爆発", "Vanishing and exploding gradients in an RNN")
    statement = t("スカラーの RNN で時間をさかのぼる勾配の係数 $\\partial h_T/\\partial h_0$ を求め、系列が長いときに"
                  "勾配が消えるか爆発するか、どの対策が効くかを選ぶ問題です。",
                  "In a scalar RNN find the factor $\\partial h_T/\\partial h_0$ carried back through time, then choose "
                  "whether the gradient vanishes or explodes over a long sequence and which remedy fits.")
    source = ("built-in generator exercises.generators.rnn.GradientVanishing "
              "(ゼロから作るDeep Learning ② 6.1.3 勾配消失もしくは勾配爆発の原因, 6.1.4 勾配爆発への対策)")
    params_doc = t(
        "w（-3〜3、|w| は 1 以外）、x（3〜4 個の数、各 -3〜3）、h0（-1〜1）、N（tanh を無視した系列長、10〜100 の整数）。"
        "$|w|^N$ が 1e-8〜0.01 未満か 100 超〜1e8 になる組み合わせだけを受け付けます。",
        "w (-3..3, |w| not 1), x (3 or 4 numbers, each -3..3), h0 (-1..1), N (the sequence length with tanh left "
        "aside, an integer 10..100); only combinations where $|w|^N$ is from 1e-8 to below 0.01 or above 100 up to "
        "1e8 are accepted.")
    hints = (
        t("連鎖律で $\\dfrac{\\partial h_T}{\\partial h_0} = \\prod_{t=1}^{T} \\dfrac{\\partial h_t}{\\partial h_{t-1}}$、"
          "$\\dfrac{\\partial h_t}{\\partial h_{t-1}} = w\\,(1 - h_t^2)$ です。",
          "By the chain rule $\\dfrac{\\partial h_T}{\\partial h_0} = \\prod_{t=1}^{T} \\dfrac{\\partial h_t}{\\partial "
          "h_{t-1}}$ with $\\dfrac{\\partial h_t}{\\partial h_{t-1}} = w\\,(1 - h_t^2)$."),
        t("tanh を無視すると、各時刻の係数は $w$ だけなので、N ステップで $w^N$ です。",
          "With tanh left aside each step's factor is $w$ alone: $w^N$ over N steps."),
        t("勾配クリッピングは大きすぎる勾配を縮める方法、ゲートは勾配を消えにくくする仕組みです。",
          "Clipping shrinks gradients that are too large; gates keep gradients from vanishing."),
    )

    def draw(self, rng) -> dict:
        T = 3 if rng.random() < 0.7 else 4
        w = float(rng.choice(W_VALUES))
        ns = [n for n in N_VALUES if clear_regime(w, n)]
        return {"w": w, "x": [float(v) for v in rng.choice(X_VALUES, size=T)],
                "h0": float(rng.choice(H0_VALUES)), "N": ns[int(rng.integers(len(ns)))]}

    def check_params(self, params) -> dict:
        p = Params(params, ("w", "x", "h0", "N"))
        out = {"w": p.number("w", -3, 3), "x": p.vector("x", -3, 3, sizes=(3, 4)), "h0": p.number("h0", -1, 1),
               "N": int(p.number("N", 10, 100, integer=True))}
        if not clear_regime(out["w"], out["N"]):
            raise ParamsError("params.w: $|w|^N$ が 1e-8 以上 0.01 未満か、100 より大きく 1e8 以下になるようにしてください",
                              "params.w: choose w and N with $|w|^N$ from 1e-8 to below 0.01, or above 100 up to 1e8",
                              field="params.w")
        return out

    def build(self, seed, params, layout, drawn) -> Exercise:
        w, xs, h0, n = float(params["w"]), params["x"], float(params["h0"]), int(params["N"])
        factor, hs, h_last = rnn_factor(w, xs, h0)
        local = [w * (1 - h * h) for h in hs]
        require_close("factor (product of w tanh')", factor, math.prod(local))
        require_close("factor (numerical)", factor,
                      numerical_grad(lambda a: np_last_state(w, xs, float(a)), np.array(h0)))
        long = matmul_only(w, n)
        require_close("w^N (closed form)", long, w ** n)
        regime = "vanish" if abs(long) < 0.01 else "explode" if abs(long) > 100 else None
        if regime is None:
            raise Rejected("degenerate", f"|w|^N = {abs(long):g} neither vanishes nor explodes clearly")
        givens = (w, h0, float(n), *(float(x) for x in xs))
        if drawn and (trivial(factor, givens, PRECISION.tolerance) or abs(factor) < 1e-3):
            raise Rejected("degenerate", f"the factor {factor:g} is 0, ±1 or a given number")
        mistakes = {
            "factor": differing(PRECISION, factor, {
                "vanishing_product_as_sum": sum(local), "vanishing_tanh_ignored": w ** len(xs),
                "tanh_from_x": rnn_factor(w, xs, h0, TANH_FROM_X)[0]}, drawn),
            "long": differing(PRECISION, long, {"vanishing_product_as_sum": n * w}, drawn),
        }
        other = "explode" if regime == "vanish" else "vanish"
        reg = shuffled(REGIMES, [int(i) for i in layout.permutation(len(REGIMES))], regime, {other: "wrong_choice"})
        rem = shuffled(REMEDIES[regime], [int(i) for i in layout.permutation(4)], None)
        mistakes |= {"regime": reg[2], "remedy": rem[2]}
        parts = _parts(len(xs), n, reg[0], rem[0])
        answers = {"factor": factor, "long": long, "regime": reg[1], "remedy": rem[1]}
        graph, full = graph_views(h_last)
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_statement(w, xs, h0), params=dict(params),
            parts=parts, answers=answers, mistakes=mistakes, graph=graph,
            solution=solution(*_solution(w, xs, h0, hs, (factor, n, long)), full),
            hints=self.hints, explanation=_explanation(regime, reg, rem))


def _parts(T: int, n: int, regime_texts: tuple, remedy_texts: tuple) -> list:
    return [
        Part("factor", "gradient", t(f"$\\dfrac{{\\partial h_{T}}}{{\\partial h_0}}$ を求めなさい。",
                                     f"Find $\\dfrac{{\\partial h_{T}}}{{\\partial h_0}}$."), PRECISION),
        Part("long", "gradient", t(
            f"本（ゼロから作るDeep Learning ② 6.1.3）のように tanh を無視して $h_t = w\\,h_{{t-1}}$ とみなすと、"
            f"$N = {n}$ ステップさかのぼった $\\dfrac{{\\partial h_{{{n}}}}}{{\\partial h_0}}$ はいくらですか。",
            f"Leaving tanh aside as the book does (ゼロから作るDeep Learning ② 6.1.3), $h_t = w\\,h_{{t-1}}$: what is "
            f"$\\dfrac{{\\partial h_{{{n}}}}}{{\\partial h_0}}$, $N = {n}$ steps back?"), PRECISION),
        Part("regime", "choice", t("この $w$ のまま系列が長くなると、過去の時刻へさかのぼる勾配の大きさはどうなりますか"
                                   "（tanh を無視した見方で）。",
                                   "With this $w$ and ever longer sequences, what happens to the size of the gradient "
                                   "carried back to early steps (tanh left aside)?"), None, regime_texts),
        Part("remedy", "choice", t("この問題への対策として最も適切なものを選びなさい。",
                                   "Choose the most suitable remedy for this problem."), None, remedy_texts),
    ]


def _statement(w: float, xs, h0: float) -> dict:
    T = len(xs)
    model = rf"$$h_t = \tanh(w\,h_{{t-1}} + x_t) \qquad (t = 1, \dots, {T})$$"
    given = rf"$$w = {num(w)}, \quad h_0 = {num(h0)}, \quad " + r", \quad ".join(
        rf"x_{k} = {num(x)}" for k, x in enumerate(xs, start=1)) + "$$"
    return t(
        "隠れ状態が1次元の RNN を考えます（$x_t$ は時刻 t の入力から来る項で、入力の重みを掛けてバイアスを足したもの"
        f"です）。\n\n{model}\n\n"
        f"{given}\n\n"
        "誤差逆伝播で過去の時刻へさかのぼる勾配は、時刻ごとの係数 $\\partial h_t/\\partial h_{t-1}$ を掛け合わせて伝わります。"
        "途中の値は丸めずに計算し、有効数字3桁で答えなさい。",
        f"Consider an RNN with a one-dimensional hidden state ($x_t$ is the term from step t's input: the input "
        "times its weight, plus the bias).\n\n"
        f"{model}\n\n{given}\n\n"
        "Backpropagation carries the gradient back in time multiplied by the per-step factors "
        "$\\partial h_t/\\partial h_{t-1}$. Do not round intermediate values; give 3 significant figures.")


def _solution(w, xs, h0, hs, long_values) -> tuple[list, list]:
    factor, n, long = long_values
    previous = [h0, *hs[:-1]]
    forward = [rf"$h_{k} = \tanh({num(w)} \cdot {pnum(hp, 5)} + {pnum(x)}) = {num(h, 5)}$"
               for k, (hp, x, h) in enumerate(zip(previous, xs, hs), start=1)]
    backward = [rf"$\frac{{\partial h_{k}}}{{\partial h_{k - 1}}} = w\,(1 - h_{k}^2) = {num(w)} \cdot "
                rf"(1 - {pnum(h, 5)}^2) = {num(w * (1 - h * h), 5)}$" for k, h in enumerate(hs, start=1)]
    T = len(xs)
    backward.append(rf"$\frac{{\partial h_{T}}}{{\partial h_0}} = " + r" \cdot ".join(
        pnum(w * (1 - h * h), 5) for h in hs) + rf" = {num(factor, 5)}$")
    backward.append(rf"$w^{{{n}}} = {pnum(w)}^{{{n}}} = {num(long, 4)}$")
    return forward, backward


def _explanation(regime: str, reg: tuple, rem: tuple) -> dict:
    def notes(lang: str, texts, key, whys) -> str:
        mark = {"ja": ("（正解）", "（誤り）"), "en": (" (right)", " (wrong)")}[lang]
        colon = "：" if lang == "ja" else ": "
        return "\n".join(f"- {x[lang]}{mark[k != key]}{colon}{y[lang]}" for k, (x, y) in enumerate(zip(texts, whys)))
    body = {lang: f"{notes(lang, reg[0], reg[1], reg[3])}\n\n{notes(lang, rem[0], rem[1], rem[3])}" for lang in ("ja", "en")}
    return t(
        "RNN の逆伝播では、勾配が過去へ1ステップさかのぼるたびに $\\partial h_t/\\partial h_{t-1} = w\\,\\tanh'(a_t)$ が"
        "**掛かり**ます。$\\tanh' = 1 - h^2 \\le 1$ なので tanh は勾配を小さくする一方で、$|w|$ が 1 より小さければ積は"
        "指数的に 0 に近づき（勾配消失）、大きければ指数的に大きくなり得ます（勾配爆発）。行列の場合は $W_h$ の最大特異値が"
        "1 より大きいか小さいかで決まります。勾配爆発には勾配クリッピング、勾配消失には LSTM・GRU のゲート（ほかに ReLU や"
        f"適切な初期値）で対処します。\n\n{body['ja']}",
        "In an RNN's backward pass every step back in time multiplies the gradient by $\\partial h_t/\\partial h_{t-1} "
        "= w\\,\\tanh'(a_t)$. Since $\\tanh' = 1 - h^2 \\le 1$, tanh only shrinks it, while $|w| < 1$ makes the product "
        "go to 0 exponentially (vanishing) and $|w| > 1$ can make it grow exponentially (exploding); for matrices the "
        "largest singular value of $W_h$ decides. Exploding gradients are handled by gradient clipping, vanishing ones "
        f"by the gates of LSTMs and GRUs (also ReLU and a good initialization).\n\n{body['en']}")

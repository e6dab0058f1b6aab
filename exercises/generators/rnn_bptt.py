"""Backpropagation through time on a scalar RNN (family ``rnn``).

h_t = tanh(w_h h_{t-1} + w_x x_t + b) for t = 1..T (T = 3 or 4), h_0 = 0, L = ½(h_T - y)².
Asked: the hidden states (an ``ordered`` part: each h_t graded from the learner's own h_{t-1}),
the per-step terms δ_t h_{t-1} of ∂L/∂w_h for t = 2..T (t = 1 is 0 since h_0 = 0), and
∂L/∂w_h, ∂L/∂w_x summed over time.

The references come from the engine: the unrolled graph with w_h, w_x shared by every step
(BPTT is backward through it; the fan-out sums the steps), and the same graph with one copy of
the weights per step, whose gradients are the per-step terms. They are checked against each
other, against central differences of the loss written in numpy and against a hand BPTT loop
(``hand_bptt``, the book's TimeRNN backward order). Misconceptions: tanh_from_x (the engine's
mutated Tanh rule, 1 - a²), bptt_last_step_only (the t = T term), bptt_not_summed (per-step
gradients overwritten, leaving the t = 1 term: on ∂L/∂w_x, where it is not 0).
"""
from __future__ import annotations

import math
from functools import partial

import numpy as np

from ..autodiff import Variable
from ..autodiff import functions as F
from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..graphview import graph_views
from ..kinds.carried import trivial
from ..kinds.ordered import OrderedKey
from ..misconceptions import MISCONCEPTIONS
from ..numdiff import numerical_grad
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, differing, num, pnum, require_close, solution, t
from .regularization import array_key, array_mistakes, array_part

PRECISION = Precision("sig", 3)
TANH_FROM_X = MISCONCEPTIONS["tanh_from_x"].rules
WH_VALUES = (-1.5, -1, -0.5, 0.5, 0.8, 1.5, 2)
WX_VALUES = (-1, -0.5, 0.5, 1.5, 2)
B_VALUES = (-0.5, -0.2, 0, 0.2, 0.5)
X_VALUES = (-1, -0.5, 0.5, 1, 2)
Y_VALUES = (-0.5, 0, 0.5, 1)


def unrolled(p: dict, shared: bool):
    """The unrolled graph; ``shared``: one w_h and one w_x for every step, else a copy per step."""
    T = len(p["x"])
    if shared:
        whs = [Variable(np.array(float(p["wh"])), "w_h")] * T
        wxs = [Variable(np.array(float(p["wx"])), "w_x")] * T
    else:
        whs = [Variable(np.array(float(p["wh"])), f"w_h{k}") for k in range(1, T + 1)]
        wxs = [Variable(np.array(float(p["wx"])), f"w_x{k}") for k in range(1, T + 1)]
    b = Variable(np.array(float(p["b"])), "b")
    h = Variable(np.array(0.0), "h0")
    hs = []
    for k, x in enumerate(p["x"]):
        h = F.tanh(whs[k] * h + wxs[k] * Variable(np.array(float(x)), f"x{k + 1}") + b)
        h.name = f"h{k + 1}"
        hs.append(h)
    loss = 0.5 * (h - Variable(np.array(float(p["y"])), "y")) ** 2
    loss.name = "L"
    return loss, hs, whs, wxs


def engine_terms(p: dict, rules=None) -> tuple[list, list]:
    """The per-step terms of ∂L/∂w_h and ∂L/∂w_x: the gradients of the per-step copies."""
    loss, _, whs, wxs = unrolled(p, shared=False)
    loss.backward(rules=rules)
    return [float(w.grad) for w in whs], [float(w.grad) for w in wxs]


def np_loss(p: dict, theta) -> float:
    wh, wx = float(theta[0]), float(theta[1])
    h = 0.0
    for x in p["x"]:
        h = math.tanh(wh * h + wx * float(x) + float(p["b"]))
    return 0.5 * (h - float(p["y"])) ** 2


def hand_bptt(p: dict) -> tuple[list, list, list, list, list]:
    """Forward, then the backward loop from t = T down to 1: hs (h_0..h_T), ∂L/∂h_t, δ_t, and
    the per-step terms δ_t h_{t-1} and δ_t x_t."""
    wh, wx, b, xs = float(p["wh"]), float(p["wx"]), float(p["b"]), [float(x) for x in p["x"]]
    hs = [0.0]
    for x in xs:
        hs.append(math.tanh(wh * hs[-1] + wx * x + b))
    T = len(xs)
    dhs, deltas, terms_h, terms_x = [0.0] * T, [0.0] * T, [0.0] * T, [0.0] * T
    dh = hs[T] - float(p["y"])
    for k in range(T, 0, -1):
        da = dh * (1 - hs[k] ** 2)
        dhs[k - 1], deltas[k - 1], terms_h[k - 1], terms_x[k - 1] = dh, da, da * hs[k - 1], da * xs[k - 1]
        dh = da * wh
    return hs, dhs, deltas, terms_h, terms_x


def rnn_step(p: dict, k: int, h: float) -> float | None:
    """h_{k+1} from the learner's own h_k (the ordered part's error carried forward)."""
    if k >= len(p["x"]) or not math.isfinite(h):
        return None
    return math.tanh(float(p["wh"]) * h + float(p["wx"]) * float(p["x"][k]) + float(p["b"]))


def givens_of(p: dict) -> tuple:
    return (float(p["wh"]), float(p["wx"]), float(p["b"]), float(p["y"]), *(float(x) for x in p["x"]))


class RnnBpttScalar(BuiltinGenerator):
    slug = "rnn-bptt-scalar"
    version = 1
    family = "rnn"
    difficulty = 3
    topics = ("rnn", "backprop")
    syllabus = ("3-5",)
    title = t("スカラー RNN の BPTT（時間方向の誤差逆伝播）", "BPTT through a scalar RNN")
    statement = t("1次元の RNN を数ステップ展開し、隠れ状態、重み $w_h$ の勾配の時刻ごとの項、時間方向に足し合わせた "
                  "$\\partial L/\\partial w_h$ と $\\partial L/\\partial w_x$ を求める問題です。",
                  "Unroll a one-dimensional RNN over a few steps: find the hidden states, the per-step terms of the "
                  "gradient of $w_h$, and $\\partial L/\\partial w_h$, $\\partial L/\\partial w_x$ summed over time.")
    source = ("built-in generator exercises.generators.rnn_bptt.RnnBpttScalar "
              "(ゼロから作るDeep Learning ② 5.2 RNN, 5.3 RNN の実装 TimeRNN)")
    params_doc = t(
        "wh, wx（0 以外、-3〜3）、b（-3〜3）、x（3〜4 個の数、各 -5〜5）、y（目標、-3〜3）。$h_0 = 0$。",
        "wh, wx (nonzero, -3..3), b (-3..3), x (3 or 4 numbers, each -5..5), y (the target, -3..3); $h_0 = 0$.")
    hints = (
        t("順伝播で $h_1, h_2, \\dots$ を順に求め、逆伝播は $\\partial L/\\partial h_T = h_T - y$ から時刻を逆にたどります。",
          "Compute $h_1, h_2, \\dots$ forward; backward starts from $\\partial L/\\partial h_T = h_T - y$ and walks back "
          "in time."),
        t("$\\delta_t = \\dfrac{\\partial L}{\\partial h_t}(1 - h_t^2)$、$\\dfrac{\\partial L}{\\partial h_{t-1}} = "
          "\\delta_t\\,w_h$。tanh の微分は出力 $h_t$ で $1 - h_t^2$ です。",
          "$\\delta_t = \\dfrac{\\partial L}{\\partial h_t}(1 - h_t^2)$ and $\\dfrac{\\partial L}{\\partial h_{t-1}} = "
          "\\delta_t\\,w_h$; tanh′ is $1 - h_t^2$, from the output $h_t$."),
        t("同じ $w_h$ がすべての時刻で使われるので、$\\partial L/\\partial w_h = \\sum_t \\delta_t\\,h_{t-1}$、"
          "$\\partial L/\\partial w_x = \\sum_t \\delta_t\\,x_t$ と時刻ごとの項を足します。",
          "The same $w_h$ is used at every step, so $\\partial L/\\partial w_h = \\sum_t \\delta_t\\,h_{t-1}$ and "
          "$\\partial L/\\partial w_x = \\sum_t \\delta_t\\,x_t$: add up the per-step terms."),
    )
    explanation = t(
        "RNN を時間方向に展開すると、同じ重み $w_h, w_x$ を各時刻で使う1本の長い計算グラフになります。BPTT"
        "（Backpropagation Through Time）はこの展開したグラフの普通の誤差逆伝播です。同じ変数が何か所でも使われると"
        "勾配はそれぞれの経路から戻ってくる分の和になるので、重みの勾配は時刻ごとの項 $\\delta_t h_{t-1}$ "
        "（$\\delta_t = \\partial L/\\partial a_t$）の和です。本の TimeRNN も、各時刻の RNN レイヤの勾配を "
        "`grads[i] += grad` で足し合わせます。$h_0 = 0$ なので $t = 1$ の $w_h$ の項は 0 ですが、$w_x$ の項は "
        "$\\delta_1 x_1$ で 0 ではありません。過去の時刻ほど $\\delta_t$ には $w_h(1 - h^2)$ が何度も掛かります。",
        "Unrolled in time, an RNN is one long graph that uses the same weights $w_h, w_x$ at every step, and BPTT "
        "(backpropagation through time) is ordinary backpropagation through it. A variable used in several places "
        "gets the sum of the gradients coming back along every path, so a weight's gradient is the sum of the "
        "per-step terms $\\delta_t h_{t-1}$ ($\\delta_t = \\partial L/\\partial a_t$); the book's TimeRNN adds up "
        "every step's layer gradients with `grads[i] += grad`. With $h_0 = 0$ the $t = 1$ term of $w_h$ is 0, but "
        "that of $w_x$, $\\delta_1 x_1$, is not. The further back the step, the more factors $w_h(1 - h^2)$ its "
        "$\\delta_t$ carries.")

    def draw(self, rng) -> dict:
        T = 3 if rng.random() < 0.75 else 4

        def pick(values):
            return values[int(rng.integers(len(values)))]
        return {"wh": pick(WH_VALUES), "wx": pick(WX_VALUES), "b": pick(B_VALUES),
                "x": [pick(X_VALUES) for _ in range(T)], "y": pick(Y_VALUES)}

    def check_params(self, params) -> dict:
        p = Params(params, ("wh", "wx", "b", "x", "y"))
        out = {"wh": p.number("wh", -3, 3), "wx": p.number("wx", -3, 3), "b": p.number("b", -3, 3),
               "x": p.vector("x", -5, 5, sizes=(3, 4)), "y": p.number("y", -3, 3)}
        for key in ("wh", "wx"):
            if out[key] == 0:
                raise ParamsError(f"params.{key}: 0 では時間方向に勾配が流れません。0 以外にしてください",
                                  f"params.{key}: with 0 no gradient flows through time; use a nonzero value",
                                  field=f"params.{key}")
        return out

    def build(self, seed, params, layout, drawn) -> Exercise:
        p = params
        hs, dhs, deltas, terms_h, terms_x = hand_bptt(p)
        loss, hvars, whs, wxs = unrolled(p, shared=True)
        loss.backward()
        dwh, dwx = float(whs[0].grad), float(wxs[0].grad)
        eng_h, eng_x = engine_terms(p)
        require_close("h (engine vs hand)", [float(h.data) for h in hvars], hs[1:])
        require_close("terms (engine copies vs hand BPTT)", eng_h + eng_x, terms_h + terms_x)
        require_close("dL/dw (shared vs sum of per-step copies)", [dwh, dwx], [sum(eng_h), sum(eng_x)])
        require_close("dL/dw (numerical)", [dwh, dwx],
                      numerical_grad(lambda th: np_loss(p, th), np.array([float(p["wh"]), float(p["wx"])])))
        givens = givens_of(p)
        if drawn:
            _reject_guessable(hs[1:], eng_h[1:], dwh, dwx, givens)
        wrong_h, wrong_x = engine_terms(p, TANH_FROM_X)
        T = len(p["x"])
        h_key = OrderedKey(tuple(float(h) for h in hs[1:]), 0.0, partial(rnn_step, dict(p)), givens)
        terms_key = array_key(eng_h[1:])
        parts = _parts(T, h_key, terms_key)
        answers = {"h": h_key, "terms": terms_key, "dwh": dwh, "dwx": dwx}
        mistakes = {
            "terms": array_mistakes(PRECISION, terms_key, {"tanh_from_x": wrong_h[1:]}, drawn),
            "dwh": differing(PRECISION, dwh, {"bptt_last_step_only": eng_h[-1], "tanh_from_x": sum(wrong_h)}, drawn),
            "dwx": differing(PRECISION, dwx, {"bptt_last_step_only": eng_x[-1], "bptt_not_summed": eng_x[0],
                                              "tanh_from_x": sum(wrong_x)}, drawn),
        }
        graph, full = graph_views(loss)
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_statement(p), params=dict(p),
            parts=parts, answers=answers, mistakes=mistakes, graph=graph,
            solution=solution(*_solution(p, hs, (dhs, deltas, terms_h, terms_x)), full),
            hints=self.hints, explanation=self.explanation)


def _reject_guessable(hs, terms, dwh: float, dwx: float, givens: tuple) -> None:
    tol = PRECISION.tolerance
    if any(trivial(v, givens, tol) for v in (*hs, *terms, dwh, dwx)):
        raise Rejected("degenerate", "a hidden state, term or gradient is 0, ±1 or a given number")
    if any(abs(v) < 5e-3 for v in (*terms, dwh, dwx)):
        raise Rejected("degenerate", "the earlier terms vanish at the precision asked")


def _parts(T: int, h_key: OrderedKey, terms_key) -> list:
    steps = ", ".join(f"h_{k}" for k in range(1, T + 1))
    term_range = "t = 2, 3" if T == 3 else "t = 2, 3, 4"
    return [
        Part("h", "ordered", t(f"隠れ状態 ${steps}$ を順に求めなさい。", f"Find the hidden states ${steps}$, in order."),
             PRECISION, shape=(T,)),
        array_part("terms", t(
            f"$\\partial L/\\partial w_h$ の時刻ごとの項 $\\delta_t\\,h_{{t-1}}$（$\\delta_t = \\partial L/\\partial a_t$、"
            f"時刻 t で使われた $w_h$ を別の変数とみなしたときの勾配）を ${term_range}$ の順に求めなさい"
            "（$t = 1$ の項は $h_0 = 0$ なので 0 です）。",
            f"Find the per-step terms $\\delta_t\\,h_{{t-1}}$ of $\\partial L/\\partial w_h$ ($\\delta_t = \\partial L/"
            f"\\partial a_t$: the gradient of the $w_h$ used at step t, taken as a variable of its own) for "
            f"${term_range}$, in order (the $t = 1$ term is 0 since $h_0 = 0$)."), terms_key, PRECISION),
        Part("dwh", "gradient", t("$\\dfrac{\\partial L}{\\partial w_h}$ を求めなさい。",
                                  "Find $\\dfrac{\\partial L}{\\partial w_h}$."), PRECISION),
        Part("dwx", "gradient", t("$\\dfrac{\\partial L}{\\partial w_x}$ を求めなさい。",
                                  "Find $\\dfrac{\\partial L}{\\partial w_x}$."), PRECISION),
    ]


def _statement(p: dict) -> dict:
    T = len(p["x"])
    xs = r", \quad ".join(f"x_{k} = {num(x)}" for k, x in enumerate(p["x"], start=1))
    model = (r"$$a_t = w_h\,h_{t-1} + w_x\,x_t + b, \qquad h_t = \tanh(a_t) \qquad (t = 1, \dots, " + str(T) +
             r"), \qquad L = \frac{1}{2}(h_" + str(T) + r" - y)^2$$")
    given = (rf"$$w_h = {num(p['wh'])}, \quad w_x = {num(p['wx'])}, \quad b = {num(p['b'])}, \quad h_0 = 0, \quad "
             rf"y = {num(p['y'])}$$" + "\n\n" + rf"$${xs}$$")
    return t(
        "隠れ状態も入力も1次元（スカラー）の RNN を、時刻 $t = 1$ から "
        f"${T}$ まで展開します。重み $w_h, w_x$ とバイアス $b$ はすべての時刻で共通です。\n\n{model}\n\n{given}\n\n"
        "誤差逆伝播法で時間方向にさかのぼって（BPTT）勾配を求めます。途中の値は丸めずに計算し、有効数字3桁で答えなさい。",
        f"A recurrent network with one-dimensional (scalar) hidden state and input is unrolled from $t = 1$ to ${T}$; "
        f"the weights $w_h, w_x$ and the bias $b$ are shared by every step.\n\n{model}\n\n{given}\n\n"
        "Backpropagate back through time (BPTT) to find the gradients. Do not round intermediate values; give 3 "
        "significant figures.")


def _solution(p, hs, backward_values) -> tuple[list, list]:
    T = len(p["x"])
    dhs, deltas, terms_h, terms_x = backward_values
    forward = []
    for k in range(1, T + 1):
        a = float(p["wh"]) * hs[k - 1] + float(p["wx"]) * float(p["x"][k - 1]) + float(p["b"])
        forward.append(rf"$a_{k} = {num(p['wh'])} \cdot {pnum(hs[k - 1], 5)} + {pnum(p['wx'])} \cdot "
                       rf"{pnum(p['x'][k - 1])} + {pnum(p['b'])} = {num(a, 5)}, \quad h_{k} = \tanh(a_{k}) = "
                       rf"{num(hs[k], 5)}$")
    forward.append(rf"$L = \frac{{1}}{{2}}({num(hs[T], 5)} - {pnum(p['y'])})^2 = "
                   rf"{num(0.5 * (hs[T] - float(p['y'])) ** 2, 5)}$")
    backward = [rf"$\frac{{\partial L}}{{\partial h_{T}}} = h_{T} - y = {num(hs[T] - float(p['y']), 5)}$"]
    for k in range(T, 0, -1):
        backward.append(rf"$\delta_{k} = {pnum(dhs[k - 1], 5)} \cdot (1 - {pnum(hs[k], 5)}^2) = {num(deltas[k - 1], 5)}, "
                        rf"\quad \delta_{k} h_{k - 1} = {num(terms_h[k - 1], 5)}, \quad \delta_{k} x_{k} = "
                        rf"{num(terms_x[k - 1], 5)}$")
        if k > 1:
            backward.append(rf"$\frac{{\partial L}}{{\partial h_{k - 1}}} = \delta_{k}\,w_h = "
                            rf"{num(deltas[k - 1] * float(p['wh']), 5)}$")
    backward.append(r"$\frac{\partial L}{\partial w_h} = " + " + ".join(pnum(v, 5) for v in terms_h) +
                    rf" = {num(sum(terms_h), 5)}$")
    backward.append(r"$\frac{\partial L}{\partial w_x} = " + " + ".join(pnum(v, 5) for v in terms_x) +
                    rf" = {num(sum(terms_x), 5)}$")
    return forward, backward

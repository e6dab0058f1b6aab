"""One LSTM step's backward through the memory cell (family ``rnn``), ゼロから作るDeep Learning ② 6.3.

c_t = f ⊙ c_{t-1} + i ⊙ g and h_t = o ⊙ tanh(c_t), with the gate values f, i, g, o given. With
dc_t (from the next step's cell) and dh_t (from h_t; 0 in some draws) the gradient reaching c_t
is ds = dc_t + dh_t ⊙ o ⊙ (1 - tanh² c_t); then dc_{t-1} = ds ⊙ f, df = ds ⊙ c_{t-1},
di = ds ⊙ g, dg = ds ⊙ i (before the gates' own activation derivatives, as in the book's
``LSTM.backward``). The reference is the engine (the cell as Variables, L = Σ dc_t ⊙ c_t +
Σ dh_t ⊙ h_t differentiated by backward, ds read off c_t's retained gradient), checked against
the book's backward lines and central differences of L. Misconceptions (closed forms, except
the engine's mutated Tanh rule for tanh_from_x): lstm_dc_not_times_f, lstm_gate_swapped (f and
i exchanged in c_t), mul_no_swap (each product's gradient taken times its own factor),
lstm_dh_path_dropped (ds = dc_t), tanh_from_x.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autodiff import Variable
from ..autodiff import functions as F
from ..errors import ParamsError
from ..exercise import Exercise
from ..graphview import graph_views
from ..misconceptions import MISCONCEPTIONS
from ..numdiff import numerical_grad
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, cleaned, pmatrix, require_close, solution, t
from .regularization import array_key, array_mistakes, array_part

PRECISION = Precision("sig", 3)
TANH_FROM_X = MISCONCEPTIONS["tanh_from_x"].rules
GATES = ("c_prev", "f", "i", "g", "o")
OUTPUTS = ("ds", "dc_prev", "df", "di", "dg")
UNIT = np.array([0.1, 0.2, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9])
G_VALUES = np.array([-0.8, -0.6, -0.4, -0.2, 0.2, 0.4, 0.6, 0.8])
C_VALUES = np.array([-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2])
DC_VALUES = np.array([-2, -1.5, -0.5, 0.5, 1.5, 2, 3])
DH_VALUES = np.array([-1, -0.5, 0.5, 1, 2])
SHOWN = {"c_prev": "c_{t-1}", "f": "f", "i": "i", "g": "g", "o": "o", "dc_next": "dc_t", "dh_next": "dh_t"}


def lstm_engine(p: dict, rules=None) -> tuple[dict, Any]:
    """ds, dc_prev, df, di, dg by the engine, and the loss (for the graph)."""
    v = {k: Variable(np.asarray(p[k], dtype=float), k) for k in GATES}
    c = v["f"] * v["c_prev"] + v["i"] * v["g"]
    c.name = "c_next"
    h = v["o"] * F.tanh(c)
    h.name = "h_next"
    loss = F.sum(c * np.asarray(p["dc_next"], dtype=float)) + F.sum(h * np.asarray(p["dh_next"], dtype=float))
    loss.name = "L"
    loss.backward(retain_grad=True, rules=rules)
    grads = {"ds": c.grad, "dc_prev": v["c_prev"].grad, "df": v["f"].grad, "di": v["i"].grad, "dg": v["g"].grad}
    return {k: np.asarray(g, dtype=float) for k, g in grads.items()}, loss


def book_backward(p: dict) -> dict:
    """The book's LSTM.backward lines up to the gates' activation derivatives."""
    c_prev, f, i, g, o = (np.asarray(p[k], dtype=float) for k in GATES)
    dc_next, dh_next = np.asarray(p["dc_next"], dtype=float), np.asarray(p["dh_next"], dtype=float)
    tanh_c_next = np.tanh(f * c_prev + i * g)
    ds = dc_next + (dh_next * o) * (1 - tanh_c_next ** 2)
    return {"ds": ds, "dc_prev": ds * f, "df": ds * c_prev, "di": ds * g, "dg": ds * i}


def np_loss(p: dict):
    dc_next, dh_next = np.asarray(p["dc_next"], dtype=float), np.asarray(p["dh_next"], dtype=float)

    def loss(c_prev, f, i, g, o):
        c = f * c_prev + i * g
        return np.sum(dc_next * c) + np.sum(dh_next * o * np.tanh(c))
    return loss


def lstm_mistakes(p: dict, ds: np.ndarray, mutated: dict, with_dh: bool) -> dict:
    """Per part, what each slip gives."""
    c_prev, f, i, g, _ = (np.asarray(p[k], dtype=float) for k in GATES)
    dc = np.asarray(p["dc_next"], dtype=float)
    out: dict[str, dict] = {
        "ds": {},
        "dc_prev": {"lstm_dc_not_times_f": ds, "lstm_gate_swapped": ds * i, "mul_no_swap": ds * c_prev},
        "df": {"lstm_gate_swapped": ds * g, "mul_no_swap": ds * f},
        "di": {"lstm_gate_swapped": ds * c_prev, "mul_no_swap": ds * i},
        "dg": {"lstm_gate_swapped": ds * f, "mul_no_swap": ds * g},
    }
    if with_dh:
        partner = {"ds": 1.0, "dc_prev": f, "df": c_prev, "di": g, "dg": i}
        for pid in OUTPUTS:
            out[pid]["lstm_dh_path_dropped"] = dc * partner[pid]
            out[pid]["tanh_from_x"] = mutated[pid]
    return out


class LstmForgetGate(BuiltinGenerator):
    slug = "lstm-forget-gate"
    version = 1
    family = "rnn"
    difficulty = 3
    topics = ("rnn", "backprop")
    syllabus = ("3-5",)
    title = t("LSTM の記憶セルの逆伝播（忘却ゲート）", "LSTM backward through the memory cell (the forget gate)")
    statement = t("LSTM の1ステップで、記憶セル $c_t = f \\odot c_{t-1} + i \\odot g$ を通る逆伝播から "
                  "$dc_{t-1}$ とゲートの勾配を求める問題です。",
                  "In one LSTM step, backpropagate through the memory cell $c_t = f \\odot c_{t-1} + i \\odot g$ to "
                  "find $dc_{t-1}$ and the gates' gradients.")
    source = "built-in generator exercises.generators.lstm.LstmForgetGate (ゼロから作るDeep Learning ② 6.3 LSTM の実装)"
    params_doc = t(
        "c_prev（長さ 2〜3、各 -5〜5）、f, i, o（同じ長さ、0 より大きく 1 未満）、g（同じ長さ、-1 より大きく 1 未満）、"
        "dc_next, dh_next（同じ長さ、-10〜10。dh_next はすべて 0 でもよい）。",
        "c_prev (length 2 or 3, each -5..5), f, i, o (as long, above 0 and below 1), g (as long, above -1 and below "
        "1), dc_next, dh_next (as long, -10..10; dh_next may be all 0).")
    hints = (
        t("$c_t = f \\odot c_{t-1} + i \\odot g$ は加算ノードと乗算ノード（要素ごと）です。乗算ノードの勾配は"
          "**もう一方の入力**を掛けます。",
          "$c_t = f \\odot c_{t-1} + i \\odot g$ is an add node over elementwise mul nodes; a mul node's gradient is "
          "times the **other** input."),
        t("$c_t$ は $h_t = o \\odot \\tanh(c_t)$ にも使われるので、$c_t$ に届く勾配は "
          "$ds = dc_t + dh_t \\odot o \\odot (1 - \\tanh^2 c_t)$ です。",
          "$c_t$ also feeds $h_t = o \\odot \\tanh(c_t)$, so the gradient reaching $c_t$ is "
          "$ds = dc_t + dh_t \\odot o \\odot (1 - \\tanh^2 c_t)$."),
        t("$dc_{t-1} = ds \\odot f$：記憶セルの経路の勾配は忘却ゲートの値を掛けて過去へ流れます。",
          "$dc_{t-1} = ds \\odot f$: along the memory cell the gradient flows back times the forget gate."),
    )
    explanation = t(
        "LSTM の記憶セルの更新 $c_t = f \\odot c_{t-1} + i \\odot g$ は要素ごとの乗算と加算だけなので、逆伝播は乗算ノードの"
        "規則（もう一方の入力を掛ける）どおりです：$dc_{t-1} = ds \\odot f$、$df = ds \\odot c_{t-1}$、$di = ds \\odot g$、"
        "$dg = ds \\odot i$。$c_t$ は $h_t = o \\odot \\tanh(c_t)$ にも分岐しているので、$ds$ は次の時刻からの $dc_t$ と "
        "$h_t$ からの $dh_t \\odot o \\odot (1 - \\tanh^2 c_t)$ の和です。記憶セルの経路では勾配に行列 $W_h$ も tanh の微分も"
        "掛からず、忘却ゲート f（データごとに変わる値）が掛かるだけなので、RNN より勾配が消えにくくなります。"
        "実装では、この後で各ゲートの活性化関数の微分（sigmoid なら $f(1 - f)$、tanh なら $1 - g^2$）を掛けます。",
        "The memory cell update $c_t = f \\odot c_{t-1} + i \\odot g$ is elementwise products and a sum, so backward "
        "follows the mul node's rule (times the other input): $dc_{t-1} = ds \\odot f$, $df = ds \\odot c_{t-1}$, "
        "$di = ds \\odot g$, $dg = ds \\odot i$. $c_t$ also branches into $h_t = o \\odot \\tanh(c_t)$, so $ds$ is the "
        "sum of $dc_t$ from the next step and $dh_t \\odot o \\odot (1 - \\tanh^2 c_t)$ from $h_t$. Along the memory "
        "cell the gradient meets neither $W_h$ nor tanh′, only the forget gate f (which changes with the data), so it "
        "vanishes far less than in a plain RNN. The implementation then multiplies by each gate's activation "
        "derivative ($f(1 - f)$ for a sigmoid, $1 - g^2$ for tanh).")

    def draw(self, rng) -> dict:
        n = 2 if rng.random() < 0.6 else 3
        with_dh = rng.random() < 0.6
        return {"c_prev": cleaned(rng.choice(C_VALUES, size=n)), "f": cleaned(rng.choice(UNIT, size=n)),
                "i": cleaned(rng.choice(UNIT, size=n)), "g": cleaned(rng.choice(G_VALUES, size=n)),
                "o": cleaned(rng.choice(UNIT, size=n)), "dc_next": cleaned(rng.choice(DC_VALUES, size=n)),
                "dh_next": cleaned(rng.choice(DH_VALUES, size=n)) if with_dh else [0] * n}

    def check_params(self, params) -> dict:
        p = Params(params, (*GATES, "dc_next", "dh_next"))
        c_prev = p.vector("c_prev", -5, 5, sizes=(2, 3))
        n = len(c_prev)
        out: dict[str, Any] = {"c_prev": c_prev}
        for key, low, high in (("f", 0, 1), ("i", 0, 1), ("g", -1, 1), ("o", 0, 1)):
            out[key] = p.vector(key, low, high, sizes=(n,))
            if any(v in (low, high) for v in out[key]):
                raise ParamsError(f"params.{key}: ゲートの値は {low} と {high} の間（両端を除く）にしてください",
                                  f"params.{key}: gate values lie strictly between {low} and {high}",
                                  field=f"params.{key}")
        out["dc_next"] = p.vector("dc_next", -10, 10, sizes=(n,))
        out["dh_next"] = p.vector("dh_next", -10, 10, sizes=(n,))
        return out

    def build(self, seed, params, layout, drawn) -> Exercise:
        p = params
        with_dh = any(v != 0 for v in p["dh_next"])
        eng, loss = lstm_engine(p)
        book = book_backward(p)
        for pid in OUTPUTS:
            require_close(f"{pid} (book's LSTM.backward)", eng[pid], book[pid])
        numeric = numerical_grad(np_loss(p), *(np.asarray(p[k], dtype=float) for k in GATES))
        require_close("dc_prev, df, di, dg (numerical)", [eng[k] for k in ("dc_prev", "df", "di", "dg")],
                      [numeric[0], numeric[1], numeric[2], numeric[3]])
        mutated = lstm_engine(p, TANH_FROM_X)[0] if with_dh else {}
        wrong = lstm_mistakes(p, eng["ds"], mutated, with_dh)
        asked = OUTPUTS if with_dh else OUTPUTS[1:]
        keys = {pid: array_key(eng[pid]) for pid in asked}
        mistakes = {pid: array_mistakes(PRECISION, keys[pid], wrong[pid], drawn) for pid in asked}
        parts = [array_part(pid, PROMPTS[pid], keys[pid], PRECISION) for pid in asked]
        graph, full = graph_views(loss)
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_statement(p, with_dh), params=dict(p),
            parts=parts, answers=keys, mistakes=mistakes, graph=graph,
            solution=solution(*_solution(p, eng, with_dh), full), hints=self.hints, explanation=self.explanation)


PROMPTS = {
    "ds": t("$c_t$ に届く勾配 $ds = \\partial L/\\partial c_t$（2つの経路の和）を求めなさい。",
            "Find the gradient reaching $c_t$, $ds = \\partial L/\\partial c_t$ (the sum of both paths)."),
    "dc_prev": t("$dc_{t-1} = \\partial L/\\partial c_{t-1}$ を求めなさい。", "Find $dc_{t-1} = \\partial L/\\partial c_{t-1}$."),
    "df": t("忘却ゲートの値についての勾配 $df = \\partial L/\\partial f$ を求めなさい。",
            "Find the gradient of the forget gate's value, $df = \\partial L/\\partial f$."),
    "di": t("入力ゲートの値についての勾配 $di = \\partial L/\\partial i$ を求めなさい。",
            "Find the gradient of the input gate's value, $di = \\partial L/\\partial i$."),
    "dg": t("新しい記憶の候補についての勾配 $dg = \\partial L/\\partial g$ を求めなさい。",
            "Find the gradient of the new candidate, $dg = \\partial L/\\partial g$."),
}


def _statement(p: dict, with_dh: bool) -> dict:
    model = r"$$c_t = f \odot c_{t-1} + i \odot g, \qquad h_t = o \odot \tanh(c_t)$$"
    given = "$$" + r", \quad ".join(rf"{SHOWN[k]} = {pmatrix(p[k])}" for k in GATES) + "$$"
    upstream = rf"$$dc_t = {pmatrix(p['dc_next'])}, \quad dh_t = {pmatrix(p['dh_next'])}$$"
    dh_ja = "" if with_dh else "（$dh_t = 0$：$h_t$ の側から流れてくる勾配はありません）"
    dh_en = "" if with_dh else " ($dh_t = 0$: no gradient comes from the $h_t$ side)"
    return t(
        "LSTM の1ステップを考えます。f, i, o は sigmoid、g は tanh を通した後のゲートの値（与えられた数）で、"
        f"$\\odot$ は要素ごとの積です。\n\n{model}\n\n{given}\n\n"
        "逆伝播で、次の時刻の記憶セルから $dc_t = \\partial L/\\partial c_t$、"
        f"出力 $h_t$ から $dh_t = \\partial L/\\partial h_t$ が流れてきました{dh_ja}。\n\n{upstream}\n\n"
        "ゲートの勾配は、ゲートの値 f, i, g についての勾配（活性化関数の微分を掛ける前）を答えます。"
        "有効数字3桁で、ベクトルをカンマ区切りで答えなさい。",
        "Consider one LSTM step. f, i, o are the gates' values after the sigmoid and g after tanh (given numbers); "
        f"$\\odot$ is the elementwise product.\n\n{model}\n\n{given}\n\nIn the backward pass $dc_t = \\partial L/\\partial c_t$ "
        f"arrives from the next step's memory cell and $dh_t = \\partial L/\\partial h_t$ from the output $h_t${dh_en}.\n\n"
        f"{upstream}\n\nFor the gates, give the gradients of the gate values f, i, g (before their activation "
        "derivatives). Give 3 significant figures, vectors separated by commas.")


def _solution(p: dict, eng: dict, with_dh: bool) -> tuple[list, list]:
    c_prev, f, i, g, o = (np.asarray(p[k], dtype=float) for k in GATES)
    c = f * c_prev + i * g
    forward = [rf"$c_t = f \odot c_{{t-1}} + i \odot g = {pmatrix(c, 4)}$",
               rf"$\tanh(c_t) = {pmatrix(np.tanh(c), 4)}$"]
    if with_dh:
        ds = (rf"$ds = dc_t + dh_t \odot o \odot (1 - \tanh^2 c_t) = {pmatrix(p['dc_next'])} + "
              rf"{pmatrix(np.asarray(p['dh_next']) * o * (1 - np.tanh(c) ** 2), 4)} = {pmatrix(eng['ds'], 4)}$")
    else:
        ds = rf"$ds = dc_t = {pmatrix(eng['ds'], 4)}\quad (dh_t = 0)$"
    backward = [ds,
                rf"$dc_{{t-1}} = ds \odot f = {pmatrix(eng['dc_prev'], 4)}$",
                rf"$df = ds \odot c_{{t-1}} = {pmatrix(eng['df'], 4)}$",
                rf"$di = ds \odot g = {pmatrix(eng['di'], 4)}$",
                rf"$dg = ds \odot i = {pmatrix(eng['dg'], 4)}$"]
    return forward, backward


"""Weight decay (family ``regularization``): the L2 or L1 penalty's value, the total gradient
dW = dW_data + λW (L2, the book's ½λ‖W‖²) or dW_data + λ·sign(W) (L1), and one SGD step.

The reference comes from the engine: L = Σ W ⊙ G + penalty(W), whose gradient is G + the
penalty's (G = the given dW_data), built with Variables and differentiated by backward;
it is checked against the closed form and central differences of the same loss. The
misconception answers are the closed forms of the classic slips. ``array_mistakes`` and
``array_key`` are shared with the dropout generator.
"""
from __future__ import annotations

import numpy as np

from ..autodiff import Variable
from ..autodiff import functions as F
from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..kinds.arrays import ArrayKey, distinct_mistakes
from ..misconceptions import MISCONCEPTIONS
from ..numdiff import numerical_grad
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, cleaned, differing, num, pmatrix, pnum, require_close, solution, t

VALUE = Precision("sig", 3)
ARRAY = Precision("decimals", 4)
W_VALUES = np.array([-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 3])
G_VALUES = np.array([-0.4, -0.3, -0.2, -0.1, 0.1, 0.2, 0.3, 0.5])
LAMBDAS = (0.1, 0.01, 0.5, 0.05, 0.2)
RATES = (0.1, 0.5)
PENALTIES = ("l2", "l1")


# --------------------------------------------------------------------------- shared with dropout
def array_key(a) -> ArrayKey:
    """An array answer as the vector/matrix kinds keep it (no -0.0)."""
    a = np.asarray(a, dtype=float) + 0.0
    values = tuple(float(v) for v in a) if a.ndim == 1 else tuple(tuple(float(v) for v in r) for r in a)
    return ArrayKey(values, a.shape)


def array_mistakes(precision: Precision, right: ArrayKey, found: dict, drawn: bool) -> dict:
    """The known misconceptions' arrays a grader can tell apart from the answer; in a drawn
    exercise one it cannot rejects the draw (as ``differing`` does for numbers)."""
    known = {k: array_key(v).values for k, v in found.items() if k in MISCONCEPTIONS}
    kept = distinct_mistakes(right.values, known, precision.tolerance)
    if drawn and set(kept) != set(known):
        raise Rejected("indistinct_misconception", f"{sorted(set(known) - set(kept))} give the right array")
    return kept


def array_part(pid: str, prompt: dict, key: ArrayKey, precision: Precision) -> Part:
    return Part(pid, "vector" if len(key.shape) == 1 else "matrix", prompt, precision, shape=tuple(key.shape))


# --------------------------------------------------------------------------- weight decay
def penalty_np(w, lam: float, penalty: str) -> float:
    return float(0.5 * lam * np.sum(w ** 2) if penalty == "l2" else lam * np.sum(np.abs(w)))


def decay_engine(W, G, lam: float, penalty: str) -> tuple[float, np.ndarray]:
    """The penalty's value and dL/dW of L = Σ W ⊙ G + penalty(W), by the engine."""
    wv = Variable(np.asarray(W, dtype=float), name="W")
    pen = 0.5 * lam * F.sum(F.square(wv)) if penalty == "l2" else lam * F.sum(F.abs(wv))
    loss = F.sum(wv * G) + pen
    loss.backward()
    return float(pen.data), np.asarray(wv.grad)


def decay_mistakes(W, G, lam: float, penalty: str, right_value: float) -> tuple[dict, dict]:
    """What each slip gives for the penalty's value and for dW."""
    if penalty == "l2":
        value = {"l2_factor_two": 2 * right_value, "l2_as_l1": penalty_np(W, lam, "l1")}
        grad = {"l2_factor_two": G + 2 * lam * W, "l2_half_lambda": G + 0.5 * lam * W,
                "weight_decay_forgotten": G, "l2_as_l1": G + lam * np.sign(W)}
    else:
        value = {"l1_as_l2": penalty_np(W, lam, "l2")}
        grad = {"weight_decay_forgotten": G, "l1_as_l2": G + lam * W}
    return value, grad


class WeightDecayGradient(BuiltinGenerator):
    slug = "weight-decay-gradient"
    version = 1
    family = "regularization"
    difficulty = 2
    topics = ("regularization", "optimization")
    syllabus = ("3-3",)
    title = t("荷重減衰（L2・L1 正則化）の勾配と更新", "Weight decay (L2, L1): the gradient and one update")
    statement = t("重み W とデータの損失の勾配から、正則化項の値、損失全体の勾配 dW、SGD で 1 回更新した重みを求める問題です。",
                  "From the weights W and the data loss's gradient, find the penalty's value, the total gradient dW and "
                  "the weights after one SGD step.")
    source = "built-in generator exercises.generators.regularization.WeightDecayGradient (ゼロから作るDeep Learning 6.4.1)"
    params_doc = t(
        "penalty（\"l2\" か \"l1\"）、W（長さ 2〜4 のリスト、または 1〜3 行 1〜3 列の表、各値 -100〜100、L1 では 0 を含まない）、"
        "dW_data（W と同じ形）、lam（λ、0 より大きく 10 以下）、任意で lr（学習率、0 より大きく 10 以下、既定 0.1）。",
        "penalty (\"l2\" or \"l1\"), W (a list of 2 to 4 numbers or a 1-3 by 1-3 table, values -100..100, no 0 for L1), "
        "dW_data (the shape of W), lam (λ, above 0 and at most 10), optionally lr (above 0, at most 10; default 0.1).")
    hints = (
        t("L2: $\\frac{1}{2}\\lambda\\sum w^2$ を w で微分すると $\\lambda w$（½ と 2 が打ち消し合う）。"
          "L1: $\\lambda\\sum |w|$ の微分は $\\lambda\\,\\mathrm{sign}(w)$。",
          "L2: the derivative of $\\frac{1}{2}\\lambda\\sum w^2$ in w is $\\lambda w$ (the ½ cancels the 2). "
          "L1: that of $\\lambda\\sum |w|$ is $\\lambda\\,\\mathrm{sign}(w)$."),
        t("損失全体の勾配は、データの損失の勾配に正則化項の勾配を足したものです。",
          "The total gradient is the data loss's gradient plus the penalty's."),
        t("SGD の更新は $W \\leftarrow W - \\eta\\,\\partial L/\\partial W$ です。",
          "SGD updates $W \\leftarrow W - \\eta\\,\\partial L/\\partial W$."),
    )
    explanation = t(
        "荷重減衰（L2 正則化）では損失に $\\frac{1}{2}\\lambda\\|W\\|^2$ を足します。½ は微分の 2 を打ち消すための係数で、"
        "勾配には $\\lambda W$ が加わります。SGD の更新は $W \\leftarrow W - \\eta(\\partial L_{\\text{data}}/\\partial W + "
        "\\lambda W)"
        " = (1 - \\eta\\lambda)W - \\eta\\,\\partial L_{\\text{data}}/\\partial W$ となり、毎回重みが一定の割合で 0 に向かっ"
        "て縮みます"
        "（荷重「減衰」の名の由来）。L1 正則化 $\\lambda\\|W\\|_1$ の勾配 $\\lambda\\,\\mathrm{sign}(W)$ は重みの大きさによら"
        "ず一定なので、"
        "小さな重みをちょうど 0 にしやすく、疎な重みになります。",
        "Weight decay (L2) adds $\\frac{1}{2}\\lambda\\|W\\|^2$ to the loss; the ½ cancels the 2 of the derivative, so the "
        "gradient gains $\\lambda W$. The SGD step becomes $W \\leftarrow (1 - \\eta\\lambda)W - \\eta\\,\\partial "
        "L_{\\text{data}}/\\partial W$: "
        "every step shrinks the weights by a fixed share towards 0 (hence the name). The L1 penalty's gradient "
        "$\\lambda\\,\\mathrm{sign}(W)$ has the same size whatever the weight, which drives small weights to exactly 0 "
        "(sparse weights).")

    def draw(self, rng) -> dict:
        shape = (2, 2) if rng.random() < 0.5 else (3,)
        return {"penalty": PENALTIES[int(rng.integers(2))], "W": cleaned(rng.choice(W_VALUES, size=shape)),
                "dW_data": cleaned(rng.choice(G_VALUES, size=shape)),
                "lam": float(LAMBDAS[int(rng.integers(len(LAMBDAS)))]), "lr": float(RATES[int(rng.integers(len(RATES)))])}

    def check_params(self, params) -> dict:
        p = Params(params, ("penalty", "W", "dW_data", "lam"), ("lr",))
        penalty = p.one_of("penalty", PENALTIES)
        raw = params["W"]
        if isinstance(raw, (list, tuple)) and raw and all(isinstance(r, (list, tuple)) for r in raw):
            W = p.matrix("W", -100, 100, rows=range(1, 4), cols=range(1, 4))
            G = p.matrix("dW_data", -100, 100, rows=(len(W),), cols=(len(W[0]),))
        else:
            W = p.vector("W", -100, 100, sizes=range(2, 5))
            G = p.vector("dW_data", -100, 100, sizes=(len(W),))
        if penalty == "l1" and np.any(np.asarray(W, dtype=float) == 0):
            raise ParamsError("params.W: |w| は w = 0 で微分できないので、L1 では W に 0 を使えません",
                              "params.W: |w| has no derivative at w = 0, so W must not contain 0 with L1",
                              field="params.W")
        out = {"penalty": penalty, "W": W, "dW_data": G}
        for key in ("lam", "lr"):
            v = p.number(key, 0, 10) if key == "lam" or p.has(key) else 0.1
            if v <= 0:
                raise ParamsError(f"params.{key}: 0 より大きくしてください", f"params.{key}: must be above 0",
                                  field=f"params.{key}")
            out[key] = v
        return out

    def build(self, seed, params, layout, drawn) -> Exercise:
        W, G = np.asarray(params["W"], dtype=float), np.asarray(params["dW_data"], dtype=float)
        lam, lr, penalty = float(params["lam"]), float(params["lr"]), params["penalty"]
        value, dW = decay_engine(W, G, lam, penalty)
        closed = G + (lam * W if penalty == "l2" else lam * np.sign(W))
        require_close("penalty value (closed form)", value, penalty_np(W, lam, penalty))
        require_close("dW (closed form)", dW, closed)
        require_close("dW (numerical)", dW, numerical_grad(lambda w: np.sum(w * G) + penalty_np(w, lam, penalty), W))
        W_new = W - lr * dW
        if drawn:
            given = [0.0, 1.0, lam, lr, *np.ravel(W), *np.ravel(G)]
            if any(abs(value - g) <= VALUE.tolerance(value) for g in given):
                raise Rejected("degenerate", f"the penalty {value:g} is 0, 1 or a given number")
            if np.any(np.abs(dW) < 1e-12):
                raise Rejected("degenerate", "an element of dW is 0: dW_data cancels the penalty's gradient")
        wrong_value, wrong_grad = decay_mistakes(W, G, lam, penalty, value)
        wrong_new = {k: W - lr * g for k, g in wrong_grad.items()}
        wrong_new |= {"update_wrong_sign": W + lr * dW, "update_no_lr": W - dW}
        dw_key, new_key = array_key(dW), array_key(W_new)
        parts = [Part("penalty", "value", _penalty_prompt(penalty), VALUE),
                 array_part("dw", t("損失全体の勾配 $\\dfrac{\\partial L}{\\partial W}$ を求めなさい。",
                                    "Find the gradient of the whole loss, $\\dfrac{\\partial L}{\\partial W}$."), dw_key, ARRAY),
                 array_part("w_new", t(f"学習率 $\\eta = {num(lr)}$ の SGD で 1 回更新した後の重み $W$ を求めなさい。",
                                       f"Find the weights $W$ after one SGD step with learning rate $\\eta = {num(lr)}$."),
                            new_key, ARRAY)]
        answers = {"penalty": value, "dw": dw_key, "w_new": new_key}
        mistakes = {"penalty": differing(VALUE, value, wrong_value, drawn),
                    "dw": array_mistakes(ARRAY, dw_key, wrong_grad, drawn),
                    "w_new": array_mistakes(ARRAY, new_key, wrong_new, drawn)}
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_decay_statement(W, G, lam, penalty),
            params=dict(params), parts=parts, answers=answers, mistakes=mistakes, graph=None,
            solution=solution(*_decay_solution(W, G, lam, lr, penalty, value, dW)),
            hints=self.hints, explanation=self.explanation)


def _term(penalty: str) -> str:
    return r"\frac{1}{2}\lambda \|W\|^2" if penalty == "l2" else r"\lambda \|W\|_1"


def _penalty_prompt(penalty: str) -> dict:
    return t(f"正則化項の値 ${_term(penalty)}$ を求めなさい。", f"Find the value of the penalty ${_term(penalty)}$.")


def _decay_statement(W, G, lam: float, penalty: str) -> dict:
    if penalty == "l2":
        loss = r"$$L = L_{\text{data}} + \frac{1}{2}\lambda \|W\|^2 = L_{\text{data}} + \frac{1}{2}\lambda \sum w^2$$"
        name = t("L2 正則化（荷重減衰、Weight decay）", "L2 regularization (weight decay)")
    else:
        loss = r"$$L = L_{\text{data}} + \lambda \|W\|_1 = L_{\text{data}} + \lambda \sum |w|$$"
        name = t("L1 正則化", "L1 regularization")
    given = (rf"$$W = {pmatrix(W)}, \qquad \frac{{\partial L_{{\text{{data}}}}}}{{\partial W}} = {pmatrix(G)}$$")
    sums = t("和は W のすべての要素についてとります", "the sums run over every element of W")
    return t(
        f"ある層の重み $W$ の学習に {name['ja']}を使います。損失関数は\n\n{loss}\n\nで、$\\lambda = {num(lam)}$ です"
        f"（{sums['ja']}）。現在の重み $W$ と、誤差逆伝播法で求めたデータの損失 $L_{{\\text{{data}}}}$ の勾配は次のとおりです。"
        f"\n\n{given}\n\n正則化項の値、損失 $L$ 全体の勾配、SGD で 1 回更新した後の重みを求めなさい。",
        f"A layer's weights $W$ are trained with {name['en']}. The loss is\n\n{loss}\n\nwith $\\lambda = {num(lam)}$ "
        f"({sums['en']}). The current weights $W$ and the gradient of the data loss $L_{{\\text{{data}}}}$, found by "
        f"backpropagation, are\n\n{given}\n\nFind the penalty's value, the gradient of the whole loss $L$ and the weights "
        "after one SGD step.")


def _decay_solution(W, G, lam, lr, penalty, value, dW) -> tuple[list, list]:
    flat = np.ravel(W)
    if penalty == "l2":
        terms = " + ".join(f"{pnum(w)}^2" for w in flat)
        forward = [rf"${_term(penalty)} = \frac{{1}}{{2}} \cdot {num(lam)} \cdot ({terms}) = {num(value, 4)}$"]
        local = (rf"$\frac{{\partial}}{{\partial W}} \frac{{1}}{{2}}\lambda\|W\|^2 = \lambda W = "
                 rf"{num(lam)} \cdot {pmatrix(W)} = {pmatrix(lam * W)}$")
    else:
        terms = " + ".join(f"|{num(w)}|" for w in flat)
        forward = [rf"${_term(penalty)} = {num(lam)} \cdot ({terms}) = {num(value, 4)}$"]
        local = (rf"$\frac{{\partial}}{{\partial W}} \lambda\|W\|_1 = \lambda\,\mathrm{{sign}}(W) = "
                 rf"{num(lam)} \cdot {pmatrix(np.sign(W))} = {pmatrix(lam * np.sign(W))}$")
    backward = [local,
                rf"$\frac{{\partial L}}{{\partial W}} = {pmatrix(G)} + {pmatrix(dW - G)} = {pmatrix(dW)}$",
                rf"$W - \eta \frac{{\partial L}}{{\partial W}} = {pmatrix(W)} - {num(lr)} \cdot {pmatrix(dW)} = "
                rf"{pmatrix(W - lr * dW)}$"]
    return forward, backward

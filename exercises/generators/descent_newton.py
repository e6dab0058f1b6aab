"""DeZero's optimisation steps (ゼロから作るDeep Learning ③), family ``gradient-descent``.

``RosenbrockSteps`` (step 28): gradient descent on y = 100 (x1 - x0²)² + (1 - x0)²; the
gradient at the start, the point after one and after two steps. The engine's gradient is
checked against central differences and the closed form; misconceptions: the wrong sign, no
learning rate, the inner derivative -2 x0 forgotten, and the engine's mutated power rule.
``NewtonDoubleBackprop`` (steps 33-34): Newton's method on f(x) = x⁴ - 2x² with f'(x) and
f''(x) from the engine by double backprop (``backward(create_graph=True)``, then the gradient's
own backward), checked against 4x³ - 4x, 12x² - 4 and central differences; the iterates are an
``ordered`` part graded with error carried forward (each step recomputed by the engine at the
learner's own previous iterate).
"""
from __future__ import annotations

import math

import numpy as np

from ..autodiff import Variable
from ..errors import Rejected
from ..exercise import Exercise, Part
from ..graphview import graph_views
from ..kinds.arrays import ArrayKey
from ..kinds.carried import trivial
from ..kinds.ordered import OrderedKey
from ..numdiff import numerical_grad
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, cleaned, differing, num, pmatrix, pnum, require_close, t
from .descent import (DESCENT_HEADINGS, POWER_RULE, UPDATES, VECTOR, build_exercise, code_number, descend,
                      floats, vector_mistakes)


# =============================================================================== Rosenbrock
def rosenbrock_engine(x, rules=None):
    """y = 100 (x1 - x0²)² + (1 - x0)² and its gradient, as DeZero's step 28 writes it."""
    x0, x1 = Variable(np.array(float(x[0])), "x0"), Variable(np.array(float(x[1])), "x1")
    y = 100 * (x1 - x0 ** 2) ** 2 + (1 - x0) ** 2
    y.name = "y"
    y.backward(rules=rules)
    return np.array([float(x0.grad), float(x1.grad)]), y


def rosenbrock_np(a) -> float:
    return 100 * (a[1] - a[0] ** 2) ** 2 + (1 - a[0]) ** 2


def rosenbrock_closed(x) -> np.ndarray:
    x0, x1 = float(x[0]), float(x[1])
    return np.array([-400 * x0 * (x1 - x0 ** 2) - 2 * (1 - x0), 200 * (x1 - x0 ** 2)])


def rosenbrock_inner_forgotten(x) -> np.ndarray:
    """∂/∂x0 of 100 (x1 - x0²)² without the inner derivative -2 x0: 200 (x1 - x0²)."""
    x0, x1 = float(x[0]), float(x[1])
    return np.array([200 * (x1 - x0 ** 2) - 2 * (1 - x0), 200 * (x1 - x0 ** 2)])


def rosenbrock_grad(x) -> np.ndarray:
    return rosenbrock_engine(x)[0]


def rosenbrock_no_factor(x) -> np.ndarray:
    return rosenbrock_engine(x, POWER_RULE)[0]


def rosenbrock_checked(x) -> np.ndarray:
    g = rosenbrock_grad(x)
    require_close("gradient (numerical)", g, numerical_grad(rosenbrock_np, np.asarray(x, dtype=float)))
    require_close("gradient (closed form)", g, rosenbrock_closed(x))
    return g


X0S, X1S, ROSEN_LRS = (-1, 0, 0.5, 1, 1.5), (-1, 0, 1, 2, 3), (0.001, 0.002, 0.0005)
ROSEN_CODE = """```python
def rosenbrock(x0, x1):
    y = 100 * (x1 - x0 ** 2) ** 2 + (1 - x0) ** 2
    return y

x0 = Variable(np.array({a}))
x1 = Variable(np.array({b}))
lr = {lr}

for i in range(iters):
    y = rosenbrock(x0, x1)

    x0.cleargrad()
    x1.cleargrad()
    y.backward()

    x0.data -= lr * x0.grad
    x1.data -= lr * x1.grad
```"""


class RosenbrockSteps(BuiltinGenerator):
    slug = "rosenbrock-gd-steps"
    version = 1
    family = "gradient-descent"
    difficulty = 3
    topics = ("optimization", "backprop", "chain-rule")
    syllabus = ("3-2-1",)
    source = ("built-in generator exercises.generators.descent_newton.RosenbrockSteps "
              "(ゼロから作るDeep Learning ③ ステップ28 関数の最適化)")
    title = t("ローゼンブロック関数の勾配降下法（DeZero）", "Gradient descent on the Rosenbrock function (DeZero)")
    statement = t("DeZero のコードでローゼンブロック関数を勾配降下法で最小化するとき、出発点での勾配と、"
                  "1回・2回更新した後の点を求める問題です。",
                  "DeZero minimises the Rosenbrock function by gradient descent: find the gradient at the start "
                  "and the point after one and after two updates.")
    params_doc = t("start（2つの数 -3〜3）、lr（0.0001〜0.01）。", "start (two numbers -3..3), lr (0.0001 to 0.01).")
    hints = (
        t("$\\dfrac{\\partial y}{\\partial x_0} = 200(x_1 - x_0^2)\\cdot(-2x_0) - 2(1 - x_0)$：内側の $x_1 - x_0^2$ を "
          "$x_0$ で微分した $-2x_0$ を掛けます。",
          "$\\dfrac{\\partial y}{\\partial x_0} = 200(x_1 - x_0^2)\\cdot(-2x_0) - 2(1 - x_0)$: multiply by $-2x_0$, the "
          "derivative of the inner $x_1 - x_0^2$."),
        t("$\\dfrac{\\partial y}{\\partial x_1} = 200(x_1 - x_0^2)$ です。",
          "$\\dfrac{\\partial y}{\\partial x_1} = 200(x_1 - x_0^2)$."),
        t("2回目の更新では、1回目の更新後の点で勾配を計算し直します。",
          "For the second update, recompute the gradient at the point after the first."),
    )
    explanation = t(
        "ローゼンブロック関数 $y = 100(x_1 - x_0^2)^2 + (1 - x_0)^2$ の最小値は $(x_0, x_1) = (1, 1)$ です。"
        "DeZero では `y.backward()` で `x0.grad`, `x1.grad` が求まり、`x.data -= lr * x.grad` で勾配と逆向きに進みます。"
        "出発点 (0, 2) では勾配は (-2, 400) で、$x_1$ 方向の勾配がとても大きいので、学習率は 0.001 のように小さくしないと"
        "発散します。本では 50000 回ほど繰り返してようやく (1, 1) に着きます。細長い谷に沿って進む必要があり、"
        "勾配降下法が苦手とする関数です。勾配をやり直さずに古い勾配で2回目を更新しないこと、"
        "連鎖律で内側の微分 $-2x_0$ を忘れないことがポイントです。",
        "The Rosenbrock function $y = 100(x_1 - x_0^2)^2 + (1 - x_0)^2$ has its minimum at $(x_0, x_1) = (1, 1)$. In "
        "DeZero `y.backward()` fills `x0.grad` and `x1.grad`, and `x.data -= lr * x.grad` steps against the gradient. At "
        "the start (0, 2) the gradient is (-2, 400): the slope along $x_1$ is huge, so the learning rate must be small "
        "(0.001) or the descent diverges, and the book needs some 50000 iterations to reach (1, 1) along the narrow "
        "valley, a hard case for gradient descent. Recompute the gradient before the second step, and keep the chain "
        "rule's inner derivative $-2x_0$.")

    def draw(self, rng) -> dict:
        if rng.random() < 0.25:
            return {"start": [0, 2], "lr": 0.001}
        return {"start": cleaned([rng.choice(X0S), rng.choice(X1S)]), "lr": float(rng.choice(ROSEN_LRS))}

    def check_params(self, params) -> dict:
        p = Params(params, ("start", "lr"))
        return {"start": p.vector("start", -3, 3, sizes=(2,)), "lr": p.number("lr", 1e-4, 0.01)}

    def statement_for(self, params) -> dict:
        a, b = params["start"]
        code = ROSEN_CODE.format(a=code_number(a), b=code_number(b), lr=code_number(params["lr"]))
        return t(
            "ゼロから作るDeep Learning ③ ステップ28 のように、DeZero でローゼンブロック関数 "
            f"$y = 100(x_1 - x_0^2)^2 + (1 - x_0)^2$ を勾配降下法で最小化します。\n\n{code}\n\n"
            "ベクトルは $x_0, x_1$ の順にカンマで区切って、有効数字4桁で答えなさい。",
            "As in step 28 of ゼロから作るDeep Learning ③, DeZero minimises the Rosenbrock function "
            f"$y = 100(x_1 - x_0^2)^2 + (1 - x_0)^2$ by gradient descent.\n\n{code}\n\n"
            "Give vectors as $x_0, x_1$ separated by a comma, to 4 significant figures.")

    def build(self, seed, params, layout, drawn) -> Exercise:
        start, lr = np.asarray(params["start"], dtype=float), float(params["lr"])
        g0 = rosenbrock_checked(start)
        x1 = start - lr * g0
        g1 = rosenbrock_checked(x1)
        x2 = x1 - lr * g1
        if np.any(np.abs(np.concatenate([g0, x1, x2])) < 1e-9):
            raise Rejected("degenerate", "a zero gradient or iterate element cannot be told apart at 4 figures")
        grads = {"chain_inner_forgotten": rosenbrock_inner_forgotten, "power_rule_no_factor": rosenbrock_no_factor}
        traj = {mid: descend(g, start, lr, 2) for mid, g in grads.items()}
        traj |= {mid: descend(rosenbrock_grad, start, lr, 2, upd) for mid, upd in UPDATES.items() if mid}
        answers = {"grad": ArrayKey(floats(g0), (2,)), "x_1": ArrayKey(floats(x1), (2,)),
                   "x_2": ArrayKey(floats(x2), (2,))}
        mistakes = {"grad": vector_mistakes(answers["grad"].values, {m: g(start) for m, g in grads.items()},
                                            VECTOR, drawn)}
        for pid, i in (("x_1", 1), ("x_2", 2)):
            mistakes[pid] = vector_mistakes(answers[pid].values, {m: xs[i] for m, xs in traj.items()}, VECTOR, drawn)
        prompts = {
            "grad": t("1回目のループの `y.backward()` の後の勾配 (`x0.grad`, `x1.grad`) を求めなさい。",
                      "Find the gradient (`x0.grad`, `x1.grad`) after `y.backward()` in the first iteration."),
            "x_1": t("1回更新した後の (`x0.data`, `x1.data`) を求めなさい。",
                     "Find (`x0.data`, `x1.data`) after one update."),
            "x_2": t("2回更新した後の (`x0.data`, `x1.data`) を求めなさい。",
                     "Find (`x0.data`, `x1.data`) after two updates."),
        }
        parts = [Part(pid, "vector", prompts[pid], VECTOR, shape=(2,)) for pid in ("grad", "x_1", "x_2")]
        graph, full = graph_views(rosenbrock_engine(start)[1])
        a, b = start
        forward = [rf"$y = 100({num(b)} - {pnum(a)}^2)^2 + (1 - {pnum(a)})^2 = {num(rosenbrock_np(start), 6)}$"]
        backward = [
            r"$\dfrac{\partial y}{\partial x_0} = 200(x_1 - x_0^2)\cdot(-2x_0) - 2(1 - x_0),\quad "
            r"\dfrac{\partial y}{\partial x_1} = 200(x_1 - x_0^2)$",
            rf"$\nabla y({num(a)}, {num(b)}) = {pmatrix(g0, 6)}$",
            rf"$\mathbf{{x}}_1 = {pmatrix(start)} - {num(lr)} \times {pmatrix(g0, 8)} = {pmatrix(x1, 8)}$",
            rf"$\nabla y(\mathbf{{x}}_1) = {pmatrix(g1, 8)}$",
            rf"$\mathbf{{x}}_2 = \mathbf{{x}}_1 - {num(lr)} \times \nabla y(\mathbf{{x}}_1) = {pmatrix(x2, 8)}$",
        ]
        return build_exercise(self, seed, params, parts, answers, mistakes, graph, forward, backward, full,
                              DESCENT_HEADINGS)


# =============================================================================== Newton
def newton_engine(x: float, rules=None):
    """f(x), f'(x), f''(x) by double backprop, as DeZero's step 33 does it (``rules``: the
    second backward mutated). Also returns the graph of f."""
    xv = Variable(np.array(float(x)), "x")
    y = xv ** 4 - 2 * xv ** 2
    y.name = "y"
    y.backward(create_graph=True)
    gx = xv.grad
    xv.cleargrad()
    gx.backward(rules=rules)
    return float(y.data), float(gx.data), float(xv.grad), y


def first_derivative(x: float, rules=None) -> float:
    xv = Variable(np.array(float(x)), "x")
    y = xv ** 4 - 2 * xv ** 2
    y.backward(rules=rules)
    return float(xv.grad)


def newton_step(k: int, w: float) -> float | None:
    """The next Newton iterate from ``w``, with the engine's f' and f'' there."""
    if not math.isfinite(w) or abs(w) > 1e6:
        return None
    _, d1, d2, _ = newton_engine(w)
    return None if abs(d2) < 1e-12 else w - d1 / d2


def wrong_newton(update):
    """A mistaken iteration ``update(w, f', f'')`` (closed forms: the derivatives are right)."""
    def step(w):
        d1, d2 = 4 * w ** 3 - 4 * w, 12 * w ** 2 - 4
        return update(w, d1, d2)
    return step


NEWTON_MISTAKES = {
    "newton_as_gradient_step": wrong_newton(lambda w, d1, d2: w - d1),
    "newton_ratio_inverted": wrong_newton(lambda w, d1, d2: w - d2 / d1 if d1 else math.nan),
    "update_wrong_sign": wrong_newton(lambda w, d1, d2: w + d1 / d2 if d2 else math.nan),
}
NEWTON_STARTS = (2, -2, 1.5, -1.5, 2.5, -2.5, 3, -3, 0.75, -0.75)
SIG4 = Precision("sig", 4)
NEWTON_HEADINGS = {"forward": t("関数の値", "The function"),
                   "backward": t("1階・2階微分（double backprop）とニュートン法の更新",
                                 "First and second derivatives (double backprop) and Newton's updates")}
NEWTON_CODE = """```python
def f(x):
    y = x ** 4 - 2 * x ** 2
    return y

x = Variable(np.array({x0}))
iters = 10

for i in range(iters):
    print(i, x)

    y = f(x)
    x.cleargrad()
    y.backward(create_graph=True)

    gx = x.grad
    x.cleargrad()
    gx.backward()
    gx2 = x.grad

    x.data -= gx.data / gx2.data
```"""


class NewtonDoubleBackprop(BuiltinGenerator):
    slug = "newton-double-backprop"
    version = 1
    family = "gradient-descent"
    difficulty = 3
    topics = ("optimization", "backprop")
    syllabus = ("3-2-1",)
    source = ("built-in generator exercises.generators.descent_newton.NewtonDoubleBackprop "
              "(ゼロから作るDeep Learning ③ ステップ33・34 ニュートン法と2階微分)")
    title = t("ニュートン法と2階微分（double backprop）", "Newton's method with second derivatives (double backprop)")
    statement = t("f(x) = x⁴ - 2x² の1階微分と2階微分を DeZero の double backprop で求め、ニュートン法の"
                  "反復 x1, x2, x3 を求める問題です。",
                  "The first and second derivatives of f(x) = x⁴ - 2x² by DeZero's double backprop, and the "
                  "Newton iterates x1, x2, x3.")
    params_doc = t("x0（-3〜3 の数。f′(x0) ≠ 0、f″(x0) ≠ 0 で、反復の途中でも f″ が 0 にならないこと）。",
                   "x0 (a number -3..3 with f′(x0) ≠ 0 and f″(x0) ≠ 0, and f″ nonzero along the iterates).")
    hints = (
        t("$f'(x) = 4x^3 - 4x$、$f''(x) = 12x^2 - 4$ です。`gx` が $f'$、`gx2` が $f''$ です。",
          "$f'(x) = 4x^3 - 4x$ and $f''(x) = 12x^2 - 4$: `gx` is $f'$ and `gx2` is $f''$."),
        t("ニュートン法の更新は $x \\leftarrow x - \\dfrac{f'(x)}{f''(x)}$ です（学習率はありません）。",
          "Newton's update is $x \\leftarrow x - \\dfrac{f'(x)}{f''(x)}$ (there is no learning rate)."),
        t("次の反復では、新しい $x$ で $f'$ と $f''$ を計算し直します。",
          "At the next iteration recompute $f'$ and $f''$ at the new $x$."),
    )
    explanation = t(
        "ニュートン法は $f$ を $x$ の周りで2次関数 $f(x) + f'(x)h + \\frac{1}{2}f''(x)h^2$ で近似し、その最小点 "
        "$h = -f'(x)/f''(x)$ へ進む方法です：$x \\leftarrow x - \\dfrac{f'(x)}{f''(x)}$。2階微分で割るので、"
        "勾配降下法のような学習率の調整が要らず、最小値の近くでは非常に速く収束します（$x_0 = 2$ から "
        "2 → 1.4545… → 1.1510… → 1.0253… と、7回ほどで最小点 $x = 1$ に着きます。勾配降下法 lr=0.001 では "
        "何千回もかかります）。DeZero では `y.backward(create_graph=True)` で逆伝播の計算自体もグラフに残し、"
        "`gx = x.grad` をもう一度 `gx.backward()` すると2階微分が得られます（double backprop）。"
        "その前に `x.cleargrad()` で1階微分を消しておかないと、勾配が足し合わされてしまいます。",
        "Newton's method replaces $f$ near $x$ by the quadratic $f(x) + f'(x)h + \\frac{1}{2}f''(x)h^2$ and moves to its "
        "minimum $h = -f'(x)/f''(x)$: $x \\leftarrow x - \\dfrac{f'(x)}{f''(x)}$. Dividing by the second derivative "
        "removes the learning rate, and near the minimum it converges very fast (from $x_0 = 2$: 2 → 1.4545… → "
        "1.1510… → 1.0253…, at $x = 1$ in about 7 iterations, where gradient descent with lr=0.001 needs thousands). "
        "In DeZero `y.backward(create_graph=True)` records the backward pass itself, so `gx = x.grad` can be "
        "differentiated again with `gx.backward()` (double backprop). Call `x.cleargrad()` first, or the second "
        "derivative is added to the first.")

    def draw(self, rng) -> dict:
        return {"x0": float(rng.choice(NEWTON_STARTS))}

    def check_params(self, params) -> dict:
        return {"x0": Params(params, ("x0",)).number("x0", -3, 3)}

    def statement_for(self, params) -> dict:
        code = NEWTON_CODE.format(x0=code_number(params["x0"]))
        return t(
            "ゼロから作るDeep Learning ③ ステップ33 のように、DeZero で $f(x) = x^4 - 2x^2$ の最小値をニュートン法で"
            f"探します。1階微分と2階微分は double backprop で求めます。\n\n{code}\n\n有効数字4桁で答えなさい。",
            "As in step 33 of ゼロから作るDeep Learning ③, DeZero looks for the minimum of $f(x) = x^4 - 2x^2$ by "
            f"Newton's method, with both derivatives from double backprop.\n\n{code}\n\nGive 4 significant figures.")

    def build(self, seed, params, layout, drawn) -> Exercise:
        x0 = float(params["x0"])
        f0, d1, d2, y = newton_engine(x0)
        for what, engine, closed, numeric in (
                ("f'", d1, 4 * x0 ** 3 - 4 * x0, numerical_grad(lambda a: a ** 4 - 2 * a ** 2, np.array(x0))),
                ("f''", d2, 12 * x0 ** 2 - 4, numerical_grad(lambda a: 4 * a ** 3 - 4 * a, np.array(x0)))):
            require_close(f"{what} (closed form)", engine, closed)
            require_close(f"{what} (numerical)", engine, numeric)
        if abs(d1) < 1e-9 or abs(d2) < 1e-9:
            raise Rejected("degenerate", f"f'(x0) = {d1:g}, f''(x0) = {d2:g}: Newton's method has no step")
        values = [x0]
        for k in range(3):
            nxt = newton_step(k, values[-1])
            if nxt is None:
                raise Rejected("degenerate", f"f'' vanishes at iterate {k}")
            values.append(nxt)
        iterates = tuple(values[1:])
        if drawn and any(trivial(v, (x0,), SIG4.tolerance) for v in (d1, d2, *iterates)):
            raise Rejected("guessable", "an answer is 0, ±1 or x0 to 4 significant figures")
        answers = {"d1": d1, "d2": d2, "iterates": OrderedKey(iterates, x0, newton_step, (x0,))}
        mistakes = {
            "d1": differing(SIG4, d1, {"power_rule_no_factor": first_derivative(x0, POWER_RULE)}, drawn),
            "d2": differing(SIG4, d2, {"power_rule_no_factor": newton_engine(x0, POWER_RULE)[2]}, drawn),
            "iterates": vector_mistakes(iterates, {mid: descend_scalar(step, x0) for mid, step in
                                                   NEWTON_MISTAKES.items()}, SIG4, drawn),
        }
        parts = [
            Part("d1", "value", t("1回目のループ（i = 0）の `gx`、つまり $f'(x_0)$ の値を求めなさい。",
                                  "Find `gx` in the first iteration (i = 0), that is $f'(x_0)$."), SIG4),
            Part("d2", "value", t("1回目のループの `gx2`、つまり $f''(x_0)$ の値を求めなさい。",
                                  "Find `gx2` in the first iteration, that is $f''(x_0)$."), SIG4),
            Part("iterates", "ordered", t("1〜3回目の更新後の x の値 $x_1, x_2, x_3$ を順にカンマで区切って答えなさい。",
                                          "Give x after the first three updates, $x_1, x_2, x_3$, separated by commas."),
                 SIG4, shape=(3,)),
        ]
        graph, full = graph_views(y)
        forward = [rf"$f({num(x0)}) = {pnum(x0)}^4 - 2 \times {pnum(x0)}^2 = {num(f0)}$"]
        backward = [rf"$f'(x) = 4x^3 - 4x,\quad f'({num(x0)}) = {num(d1, 6)}$",
                    rf"$f''(x) = 12x^2 - 4,\quad f''({num(x0)}) = {num(d2, 6)}$"]
        for k in range(3):
            w = values[k]
            _, g1, g2, _ = newton_engine(w)
            backward.append(rf"$x_{{{k + 1}}} = {num(w, 6)} - \dfrac{{{num(g1, 6)}}}{{{num(g2, 6)}}} = "
                            rf"{num(values[k + 1], 6)}$")
        return build_exercise(self, seed, params, parts, answers, mistakes, graph, forward, backward, full,
                              NEWTON_HEADINGS)


def descend_scalar(step, x0: float, n: int = 3) -> tuple | None:
    """``n`` iterates of a mistaken update from ``x0`` (None once one is not a usable number)."""
    out, w = [], x0
    with np.errstate(all="ignore"):
        for _ in range(n):
            w = step(w)
            if not math.isfinite(w) or abs(w) > 1e15:
                return None
            out.append(float(w))
    return tuple(out)

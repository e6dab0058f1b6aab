"""Gradient descent by hand (family ``gradient-descent``), and what its generators share.

``QuadraticTrajectory``: the book's ``gradient_descent(f, init_x, lr, step_num)`` on
f(x0, x1) = x0² + x1² (ゼロから作るDeep Learning 4.4.1): the point after one and after k
steps, what a too-large or too-small learning rate does, and how many steps bring ‖x‖ below ε.
DeZero's Rosenbrock descent and Newton's method are in ``descent_newton``, mini-batch counts in
``minibatch``.

Gradients come from the engine (Variable + backward), checked against central differences and
the closed form 2x; the trajectories are iterated with them. Misconception answers are the
same descent run with the wrong update (sign, no learning rate) or with the engine's mutated
power rule (``power_rule_no_factor``: d(x²)/dx taken as x).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autodiff import Variable
from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..graphview import graph_views
from ..kinds.arrays import ArrayKey, distinct_mistakes
from ..misconceptions import MISCONCEPTIONS
from ..numdiff import numerical_grad
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, clean, differing, num, pmatrix, pnum, require_close, solution, t

VECTOR = Precision("sig", 4)
STEPS = Precision("decimals", 0)
POWER_RULE = MISCONCEPTIONS["power_rule_no_factor"].rules
DESCENT_HEADINGS = {"forward": t("関数の値", "The function"),
                    "backward": t("勾配と更新（逆伝播で求めた勾配）", "Gradients and updates (gradients by backprop)")}
TYPABLE = 1e15  # answers beyond this are not read (exercises.answers): no learner types them

# x <- x - lr g, and the two wrong updates
UPDATES = {
    None: lambda x, g, lr: x - lr * g,
    "update_wrong_sign": lambda x, g, lr: x + lr * g,
    "update_no_lr": lambda x, g, lr: x - g,
}


def vector_mistakes(values, found: dict, precision: Precision, drawn: bool) -> dict:
    """The catalogued misconception arrays a grader can tell apart from ``values``; a finite
    one that it cannot tell apart rejects a drawn exercise (the wrong method would pass)."""
    usable = {mid: tuple(float(v) for v in np.ravel(w)) for mid, w in found.items()
              if mid in MISCONCEPTIONS and w is not None and np.all(np.isfinite(w))
              and np.all(np.abs(w) <= TYPABLE)}
    kept = distinct_mistakes(values, usable, precision.tolerance)
    if drawn and set(kept) != set(usable):
        raise Rejected("indistinct_misconception", f"{sorted(set(usable) - set(kept))} give the answer")
    return kept


def floats(a) -> tuple:
    """An array's elements as plain floats (``-0.0`` as 0.0), for an answer key."""
    return tuple(float(v) + 0.0 for v in np.ravel(a))


def descend(grad, start, lr: float, steps: int, update=UPDATES[None]) -> list[np.ndarray]:
    """The book's loop ``x -= lr * grad`` (``update`` replaced for a mistake): x0 ... x_steps."""
    xs = [np.asarray(start, dtype=float)]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            xs.append(update(xs[-1], grad(xs[-1]), lr))
    return xs


def build_exercise(gen, seed, params, parts, answers, mistakes, graph, forward, backward, full,
                   headings: dict | None = None) -> Exercise:
    sol = solution(forward, backward, full) | ({"headings": headings} if headings else {})
    return Exercise(
        slug=gen.slug, version=gen.version, seed=seed, family=gen.family, topics=gen.topics,
        difficulty=gen.difficulty, title=gen.title, statement=gen.statement_for(params), params=dict(params),
        parts=parts, answers=answers, mistakes=mistakes, graph=graph,
        solution=sol, hints=gen.hints, explanation=gen.explanation)


# =============================================================================== x0² + x1²
def quadratic_engine(x, rules=None):
    """f = x0² + x1² and its gradient from the engine (``rules``: a mutated backward)."""
    x0, x1 = Variable(np.array(float(x[0])), "x0"), Variable(np.array(float(x[1])), "x1")
    y = x0 ** 2 + x1 ** 2
    y.name = "f"
    y.backward(rules=rules)
    return np.array([float(x0.grad), float(x1.grad)]), y


def quadratic_grad(x) -> np.ndarray:
    return quadratic_engine(x)[0]


def quadratic_grad_no_factor(x) -> np.ndarray:
    return quadratic_engine(x, POWER_RULE)[0]


def gradient_descent(init_x, lr: float, step_num: int, grad=quadratic_grad) -> np.ndarray:
    """The book's ``gradient_descent(function_2, init_x, lr, step_num)`` with the engine's gradient."""
    return descend(grad, init_x, lr, step_num)[-1]


def behaviour(xs: list[np.ndarray]) -> str:
    """What the iterates do, read off the trajectory itself."""
    norms = [float(np.linalg.norm(x)) for x in xs]
    n0 = norms[0]
    if not math.isfinite(norms[-1]) or norms[-1] > 1e3 * n0:
        return "diverges"
    if max(float(np.max(np.abs(x - xs[0]))) for x in xs) < 1e-6 * n0:
        return "stays"
    if norms[1] <= 1e-12 * n0:
        return "one_step"
    if all(abs(n - n0) <= 1e-9 * n0 for n in norms) and np.allclose(xs[2], xs[0]):
        return "oscillates"
    return "converges" if norms[-1] < 1e-6 * n0 else "other"


def behaviour_closed_form(lr: float) -> str:
    """The same from the factor r = 1 - 2 lr of x_k = r^k x_0."""
    r = 1 - 2 * lr
    if abs(r) > 1:
        return "diverges"
    if r == 0:
        return "one_step"
    if abs(r) == 1:
        return "oscillates"
    return "stays" if 100 * (1 - r) < 1e-6 else "converges"


def steps_below(n0: float, factor: float, eps: float) -> int | None:
    """Smallest k with n0 |factor|^k < eps (None if it never gets there)."""
    if n0 < eps:
        return 0
    if abs(factor) >= 1:
        return None
    if factor == 0:
        return 1
    return math.floor(math.log(eps / n0) / math.log(abs(factor))) + 1


def steps_iterated(start, lr: float, eps: float, limit: int = 1000) -> int | None:
    x, k = np.asarray(start, dtype=float), 0
    while np.linalg.norm(x) >= eps:
        if k == limit:
            return None
        x, k = x - lr * quadratic_grad(x), k + 1
    return k


LRS = (0.1, 0.2, 0.25, 0.4)
PROBE_LRS = (10.0, 1e-10, 1.0, 0.5)
EPSILONS = (0.1, 0.01, 0.001)


BEHAVIOURS = {
    "diverges": t("発散する（更新のたびに値の絶対値が大きくなっていく）",
                  "It diverges (the values grow in size with every step)"),
    "stays": t("ほとんど動かない（100 回更新しても初期値とほぼ同じ）",
               "It barely moves (after 100 steps it is almost where it started)"),
    "converges": t("最小値 (0, 0) に少しずつ近づく（収束する）", "It approaches the minimum (0, 0) step by step (converges)"),
    "oscillates": t("2 つの点の間を行き来し続ける（収束も発散もしない）",
                    "It jumps back and forth between two points (neither converges nor diverges)"),
    "one_step": t("1 回目の更新でちょうど (0, 0) に着き、その後は動かない",
                  "It lands exactly on (0, 0) at the first step and stays there"),
}
BEHAVIOUR_TEX = {"diverges": r"|1 - 2\eta| > 1", "stays": r"1 - 2\eta \approx 1",
                 "converges": r"0 < |1 - 2\eta| < 1", "oscillates": r"|1 - 2\eta| = 1", "one_step": r"1 - 2\eta = 0"}
BOOK_CODE = """```python
def function_2(x):
    return x[0]**2 + x[1]**2

def gradient_descent(f, init_x, lr=0.01, step_num=100):
    x = init_x
    for i in range(step_num):
        grad = numerical_gradient(f, x)
        x -= lr * grad
    return x
```"""


def code_number(v) -> str:
    """A number as Python code writes it: 4.0, 0.1, 1e-10."""
    return repr(float(v))


def quadratic_statement(params) -> dict:
    x0, x1 = (code_number(v) for v in params["start"])
    call = f"gradient_descent(function_2, init_x=np.array([{x0}, {x1}]), lr={code_number(params['lr'])}, step_num=...)"
    return t(
        "ゼロから作るDeep Learning 4.4.1 の勾配降下法で、$f(x_0, x_1) = x_0^2 + x_1^2$ の最小値を探します。"
        "勾配は本では `numerical_gradient`（数値微分）で求めますが、自動微分（`Variable` と `backward`）で"
        f"求めても同じです。\n\n{BOOK_CODE}\n\n`{call}` のように、初期値 "
        f"$\\mathbf{{x}}_0 = ({num(params['start'][0])}, {num(params['start'][1])})$、学習率 "
        f"$\\eta = {num(params['lr'])}$ で実行します。ベクトルは $x_0, x_1$ の順にカンマで区切って、"
        "有効数字4桁で答えなさい。",
        "Gradient descent from ゼロから作るDeep Learning 4.4.1 looks for the minimum of $f(x_0, x_1) = x_0^2 + x_1^2$. "
        "The book takes the gradient with `numerical_gradient` (numerical differentiation); automatic differentiation "
        f"(`Variable` and `backward`) gives the same.\n\n{BOOK_CODE}\n\nRun it as `{call}`: from "
        f"$\\mathbf{{x}}_0 = ({num(params['start'][0])}, {num(params['start'][1])})$ with learning rate "
        f"$\\eta = {num(params['lr'])}$. Give vectors as $x_0, x_1$ separated by a comma, to 4 significant figures.")


def quadratic_prompts(params) -> dict:
    k, probe, eps, lr = params["steps"], code_number(params["probe_lr"]), num(params["eps"]), num(params["lr"])
    return {
        "x_1": t("`step_num=1` のときの戻り値 $\\mathbf{x}_1$ を求めなさい。",
                 "Find the result $\\mathbf{x}_1$ for `step_num=1`."),
        "x_k": t(f"`step_num={k}` のときの戻り値 $\\mathbf{{x}}_{{{k}}}$ を求めなさい。",
                 f"Find the result $\\mathbf{{x}}_{{{k}}}$ for `step_num={k}`."),
        "behaviour": t(f"同じ初期値で学習率だけを `lr={probe}` に変え、`step_num=100` で実行すると、"
                       "$\\mathbf{x}$ はどうなりますか。",
                       f"With the same start but `lr={probe}` and `step_num=100`, what does $\\mathbf{{x}}$ do?"),
        "steps_until": t(f"学習率 $\\eta = {lr}$ のとき、$\\|\\mathbf{{x}}\\| = \\sqrt{{x_0^2 + x_1^2}}$ が初めて "
                         f"$\\varepsilon = {eps}$ より小さくなるのは何回目の更新の後ですか"
                         "（そうなる `step_num` の最小値を整数で）。",
                         f"With learning rate $\\eta = {lr}$, after which step does $\\|\\mathbf{{x}}\\| = "
                         f"\\sqrt{{x_0^2 + x_1^2}}$ first drop below $\\varepsilon = {eps}$ "
                         "(the smallest `step_num` for which it does, an integer)?"),
    }


class QuadraticTrajectory(BuiltinGenerator):
    slug = "gd-quadratic-trajectory"
    version = 1
    family = "gradient-descent"
    difficulty = 2
    topics = ("optimization", "backprop")
    syllabus = ("3-2-1",)
    source = ("built-in generator exercises.generators.descent.QuadraticTrajectory "
              "(ゼロから作るDeep Learning 4.4.1 勾配法)")
    title = t("勾配降下法の軌跡（f = x₀² + x₁²）", "The path of gradient descent on f = x₀² + x₁²")
    statement = t("本の gradient_descent を f(x₀, x₁) = x₀² + x₁² に使い、1回・k回更新後の点、学習率が大きすぎる・"
                  "小さすぎるときの振る舞い、‖x‖ が ε を下回るまでの回数を求める問題です。",
                  "The book's gradient_descent on f(x₀, x₁) = x₀² + x₁²: the point after one and after k steps, "
                  "what a too-large or too-small learning rate does, and the steps until ‖x‖ drops below ε.")
    params_doc = t(
        "start（2つの数 -10〜10、(0, 0) 以外）、lr（0.05〜0.45）。任意で steps（2〜100 の整数、既定 3）、"
        "probe_lr（10, 1e-10, 1, 0.5 のどれか、既定 10）、eps（0.1, 0.01, 0.001 のどれか、既定 0.01）。",
        "start (two numbers -10..10, not (0, 0)), lr (0.05 to 0.45); optionally steps (an integer 2 to 100, "
        "default 3), probe_lr (one of 10, 1e-10, 1, 0.5; default 10) and eps (one of 0.1, 0.01, 0.001; "
        "default 0.01).")
    hints = (
        t("$\\nabla f = (2x_0,\\ 2x_1)$ なので、1回の更新は $\\mathbf{x} \\leftarrow \\mathbf{x} - \\eta \\cdot 2\\mathbf{x} "
          "= (1 - 2\\eta)\\,\\mathbf{x}$ です。",
          "$\\nabla f = (2x_0,\\ 2x_1)$, so one step is $\\mathbf{x} \\leftarrow \\mathbf{x} - \\eta \\cdot 2\\mathbf{x} "
          "= (1 - 2\\eta)\\,\\mathbf{x}$."),
        t("$k$ 回後は $\\mathbf{x}_k = (1 - 2\\eta)^k\\,\\mathbf{x}_0$、ノルムも $|1 - 2\\eta|^k$ 倍になります。",
          "After $k$ steps $\\mathbf{x}_k = (1 - 2\\eta)^k\\,\\mathbf{x}_0$; the norm is multiplied by $|1 - 2\\eta|^k$."),
        t("$|1 - 2\\eta| > 1$ なら発散、$|1 - 2\\eta| = 1$ なら往復、$\\eta$ が極端に小さいとほとんど動きません。",
          "$|1 - 2\\eta| > 1$ diverges, $|1 - 2\\eta| = 1$ goes back and forth, and a tiny $\\eta$ barely moves."),
    )
    explanation = t(
        "勾配降下法は $\\mathbf{x} \\leftarrow \\mathbf{x} - \\eta \\nabla f(\\mathbf{x})$ を繰り返します。"
        "$f = x_0^2 + x_1^2$ では $\\nabla f = 2\\mathbf{x}$（$x^2$ の微分は係数 2 の付いた $2x$）なので、"
        "1回ごとに $\\mathbf{x}$ が $(1 - 2\\eta)$ 倍になり、$k$ 回後は $(1 - 2\\eta)^k \\mathbf{x}_0$ です。"
        "学習率はハイパーパラメータで、本のとおり lr=10.0 のように大きすぎると $|1 - 2\\eta| > 1$ で値が発散し、"
        "lr=1e-10 のように小さすぎるとほとんど更新されずに終わります。$0 < \\eta < 1$ なら最小値 (0, 0) に収束し、"
        "$\\eta = 0.5$ では1回で到達します。",
        "Gradient descent repeats $\\mathbf{x} \\leftarrow \\mathbf{x} - \\eta \\nabla f(\\mathbf{x})$. For "
        "$f = x_0^2 + x_1^2$, $\\nabla f = 2\\mathbf{x}$ (the derivative of $x^2$ is $2x$, with its factor 2), so each step "
        "multiplies $\\mathbf{x}$ by $(1 - 2\\eta)$ and after $k$ steps it is $(1 - 2\\eta)^k \\mathbf{x}_0$. The learning "
        "rate is a hyperparameter: as the book shows, one too large (lr=10.0) gives $|1 - 2\\eta| > 1$ and the values "
        "diverge, one too small (lr=1e-10) leaves $\\mathbf{x}$ almost where it started. For $0 < \\eta < 1$ it converges "
        "to the minimum (0, 0), and $\\eta = 0.5$ gets there in one step.")

    def draw(self, rng) -> dict:
        start = [-3, 4] if rng.random() < 0.25 else [int(v) * int(rng.choice([-1, 1])) for v in rng.integers(1, 6, 2)]
        return {"start": start, "lr": float(rng.choice(LRS)), "steps": int(rng.choice([3, 4, 5, 10])),
                "probe_lr": float(rng.choice(PROBE_LRS)), "eps": float(rng.choice(EPSILONS))}

    def check_params(self, params) -> dict:
        p = Params(params, ("start", "lr"), ("steps", "probe_lr", "eps"))
        start = p.vector("start", -10, 10, sizes=(2,))
        if start == [0, 0]:
            raise ParamsError("params.start: (0, 0) は最小値そのものです", "params.start: (0, 0) is the minimum itself",
                              field="params.start")
        out = {"start": start, "lr": p.number("lr", 0.05, 0.45)}
        out["steps"] = int(p.number("steps", 2, 100, integer=True)) if p.has("steps") else 3
        out["probe_lr"] = clean(p.one_of("probe_lr", PROBE_LRS)) if p.has("probe_lr") else 10
        out["eps"] = clean(p.one_of("eps", EPSILONS)) if p.has("eps") else 0.01
        return out

    def statement_for(self, params) -> dict:
        return quadratic_statement(params)

    def build(self, seed, params, layout, drawn) -> Exercise:
        start, lr, k = np.asarray(params["start"], dtype=float), float(params["lr"]), int(params["steps"])
        g0, y = quadratic_engine(start)
        require_close("grad (numerical)", g0, numerical_grad(lambda a: a[0] ** 2 + a[1] ** 2, start))
        require_close("grad (closed form)", g0, 2 * start)
        n_steps = self._steps(start, lr, float(params["eps"]), params, drawn)  # the cheap rejections first
        xs = descend(quadratic_grad, start, lr, k)
        require_close("x_k (closed form)", xs[k], (1 - 2 * lr) ** k * start)
        wrong = {mid: descend(quadratic_grad, start, lr, k, upd) for mid, upd in UPDATES.items() if mid}
        wrong["power_rule_no_factor"] = descend(quadratic_grad_no_factor, start, lr, k)
        answers: dict[str, Any] = {"x_1": ArrayKey(floats(xs[1]), (2,)), "x_k": ArrayKey(floats(xs[k]), (2,))}
        mistakes = {pid: vector_mistakes(answers[pid].values, {m: w[i] for m, w in wrong.items()}, VECTOR, drawn)
                    for pid, i in (("x_1", 1), ("x_k", k))}
        seen = behaviour(descend(quadratic_grad, start, float(params["probe_lr"]), 100))
        if seen != behaviour_closed_form(float(params["probe_lr"])):
            raise Rejected("behaviour_check", f"iterated {seen}, closed form {behaviour_closed_form(params['probe_lr'])}")
        order = [int(i) for i in layout.permutation(len(BEHAVIOURS))]
        names = list(BEHAVIOURS)
        answers["behaviour"] = order.index(names.index(seen))
        answers["steps_until"] = float(n_steps)
        no_factor = steps_below(float(np.linalg.norm(start)), 1 - lr, float(params["eps"]))  # x ← x − η x
        mistakes["steps_until"] = differing(STEPS, float(n_steps), {"power_rule_no_factor": no_factor}, drawn)
        prompts = quadratic_prompts(params)
        parts = [Part("x_1", "vector", prompts["x_1"], VECTOR, shape=(2,)),
                 Part("x_k", "vector", prompts["x_k"], VECTOR, shape=(2,)),
                 Part("behaviour", "choice", prompts["behaviour"], choices=tuple(BEHAVIOURS[names[i]] for i in order)),
                 Part("steps_until", "value", prompts["steps_until"], STEPS)]
        graph, full = graph_views(y)
        forward, backward = self._solution(start, lr, k, xs, params, seen, n_steps)
        return build_exercise(self, seed, params, parts, answers, mistakes, graph, forward, backward, full,
                              DESCENT_HEADINGS)

    @staticmethod
    def _steps(start, lr, eps, params, drawn) -> int:
        n0 = float(np.linalg.norm(start))
        ratio = math.log(eps / n0) / math.log(abs(1 - 2 * lr))
        if n0 <= eps or abs(ratio - round(ratio)) < 1e-6:
            raise Rejected("boundary", f"‖x‖ reaches {eps} exactly or starts below it")
        closed, iterated = steps_below(n0, 1 - 2 * lr, eps), steps_iterated(start, lr, eps)
        if closed != iterated or closed is None:
            raise Rejected("steps_check", f"closed form {closed}, iterated {iterated}")
        givens = [*params["start"], params["steps"], params["lr"], params["eps"], params["probe_lr"]]
        if drawn and (closed <= 1 or any(closed == abs(v) for v in givens)):
            raise Rejected("guessable", f"{closed} steps is a number the statement gives")
        return closed

    @staticmethod
    def _solution(start, lr, k, xs, params, seen, n_steps) -> tuple[list, list]:
        r = 1 - 2 * lr
        n0 = float(np.linalg.norm(start))
        forward = [rf"$f(x_0, x_1) = x_0^2 + x_1^2,\quad f({num(start[0])}, {num(start[1])}) = "
                   rf"{num(start @ start)}$"]
        backward = [
            rf"$\nabla f = (2x_0,\ 2x_1) = {pmatrix(2 * start)}$",
            rf"$\mathbf{{x}} \leftarrow \mathbf{{x}} - \eta \nabla f = (1 - 2\eta)\,\mathbf{{x}} = "
            rf"{num(r)}\,\mathbf{{x}}$",
            rf"$\mathbf{{x}}_1 = {num(r)} \times {pmatrix(start)} = {pmatrix(xs[1], 5)}$",
            rf"$\mathbf{{x}}_{{{k}}} = {pnum(r)}^{{{k}}} \times {pmatrix(start)} = {pmatrix(xs[k], 5)}$",
            rf"$\eta = {num(params['probe_lr'])}:\ 1 - 2\eta = {num(1 - 2 * params['probe_lr'], 12)}"
            rf",\ {BEHAVIOUR_TEX[seen]}$",
            rf"$\|\mathbf{{x}}_k\| = {num(abs(r))}^k \times {num(n0, 5)} < {num(params['eps'])} \iff "
            rf"k > {num(math.log(params['eps'] / n0) / math.log(abs(r)), 5)}\ \Rightarrow\ k = {n_steps}$",
        ]
        return forward, backward



"""Reading PyTorch and TensorFlow autograd code (family ``framework-code``): a short program is
shown (``framework_programs``) and the learner gives the number it prints, or picks what
happens when it runs. Neither framework is imported, and no code is ever exec'd or eval'd:
for every program a small function below runs its equivalent in our engine
(``exercises.autodiff``), and that run decides the answer. What stands in for what:

- ``requires_grad=True`` / a trainable ``tf.Variable``: an engine ``Variable`` (the engine
  differentiates every leaf; which leaves the framework reports is the model's part below);
- ``backward()``: ``Variable.backward()``; ``.grad`` accumulating over two backward calls: the
  engine's ``x.grad`` adds up the same way; ``zero_grad()`` / ``x.grad.zero_()``: ``cleargrad()``
  (None and 0 add the same);
- ``torch.no_grad()`` / ``tape.stop_recording()``: the engine's ``no_grad()``
  (``exercises.autodiff.config``): nothing is recorded, the result is a constant;
- ``detach()`` / ``tf.stop_gradient``: a detached copy, ``Variable(y.data)``;
- ``torch.autograd.grad(..., create_graph=True)`` and an inner tape's ``gradient`` inside the
  outer tape's block: ``backward(create_graph=True)`` (the gradient is a Variable with a
  graph), then ``cleargrad()`` and a second ``backward()``; without it the gradient is a plain
  array: PyTorch raises (nothing requires grad), TensorFlow returns None (unconnected);
- ``tape.gradient``: ``cleargrad()`` of the sources and ``backward()``, the gradient returned.

Two framework rules have no engine counterpart, since the engine keeps every graph and knows
no tapes; they are modelled in front of it and stated here: PyTorch frees a graph after a
backward without ``retain_graph=True`` (``Graph``: a second backward raises), and a tape
without ``persistent=True`` answers one ``gradient`` call (``Tape``), reports only what it
watches (trainable Variables, ``tape.watch``; a ``tf.constant`` or ``trainable=False`` gives
None), as PyTorch reports ``.grad`` only for tensors with ``requires_grad=True``.

A misconception is the same run with the learner's belief in place of the rule (``slip``):
``.grad`` overwritten, no_grad still recording, a detach that keeps the graph, a graph kept, a
tape used twice, an unwatched value watched, a second derivative without recording.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import cast

import numpy as np

from ..autodiff import Variable, no_grad
from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..misconceptions import MISCONCEPTIONS
from ..numdiff import numerical_grad
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, clean, differing, num, require_close, t
from .framework_programs import CASES, CLOSED, ERROR, FRAMEWORKS, NAMES, PROGRAMS, SLIPS, SLIPS_OF, X_VALUES, code_of

PRECISION = Precision("sig", 4)
Outcome = float | str | None


class FrameworkError(Exception):
    """What the framework raises here (a RuntimeError)."""


class Graph:
    """PyTorch's graph lifetime in front of the engine: a backward without ``retain_graph``
    frees the graph of its output, and another backward from it raises."""

    def __init__(self, kept: bool = False):
        self.kept, self.freed = kept, set[int]()

    def backward(self, y: Variable, retain_graph: bool = False) -> None:
        if id(y) in self.freed:
            raise FrameworkError("Trying to backward through the graph a second time")
        y.backward()
        if not (retain_graph or self.kept):
            self.freed.add(id(y))


class Tape:
    """tf.GradientTape in front of the engine: which sources it reports (watched), how often
    it answers (persistent), and a fresh gradient per call (cleargrad first)."""

    def __init__(self, watched=(), persistent: bool = False, accumulates: bool = False):
        self.watched = {id(v) for v in watched}
        self.persistent, self.accumulates, self.calls = persistent, accumulates, 0

    def variable(self, value, trainable: bool = True) -> Variable:
        v = Variable(float(value))
        if trainable:
            self.watched.add(id(v))
        return v

    def gradients(self, target: Variable, sources: list) -> list:
        if self.calls and not self.persistent:
            raise FrameworkError("A non-persistent GradientTape can only be used to compute one set of gradients")
        self.calls += 1
        for s in sources:
            if not self.accumulates:
                s.cleargrad()
        target.backward()
        return [float(s.grad) if id(s) in self.watched and s.grad is not None else None for s in sources]

    def gradient(self, target: Variable, source: Variable):
        return self.gradients(target, [source])[0]


# ----------------------------------------------------------------------------- the programs, run
def pt_accumulate(x0, k, slip):
    x = Variable(x0)
    for _ in range(2):
        if slip == "grad_accumulates":
            x.cleargrad()  # the belief: every backward overwrites .grad
        (x ** k).backward()
    return float(x.grad)


def pt_zero_grad(x0, k, slip):
    x = Variable(x0)
    for i in range(3):
        if i == 1 or slip == "grad_accumulates":
            x.cleargrad()  # x.grad.zero_()
        (x ** k).backward()
    return float(x.grad)


def no_grad_case(x0, k, slip):
    x = Variable(x0)
    y = x ** k
    if slip == "no_grad_still_tracks":
        z = y * 2
    else:
        with no_grad():  # torch.no_grad() / tape.stop_recording()
            z = y * 2
    (y + z).backward()
    return float(x.grad)


def detach_case(x0, k, slip):
    x = Variable(x0)
    y = x ** k
    kept = y if slip == "detach_keeps_graph" else Variable(y.data)  # y.detach() / tf.stop_gradient(y)
    (kept * x).backward()
    return float(x.grad)


def pt_reuse(x0, k, slip):
    x = Variable(x0)
    y = x ** k
    graph = Graph(kept=slip == "retain_graph_forgotten")
    graph.backward(y)
    graph.backward(y)
    return float(x.grad)


def pt_untracked(x0, k, slip):
    x, c = Variable(x0), Variable(2.0)
    requires_grad = {id(x)} | ({id(c)} if slip == "requires_grad_missing" else set())
    (c * x ** k).backward()
    return float(c.grad) if id(c) in requires_grad else None


def second_derivative(x0, k, recorded: bool, unconnected: Outcome):
    """d²(x^k)/dx² by double backprop; ``unconnected`` when the first gradient has no graph."""
    x = Variable(x0)
    (x ** k).backward(create_graph=recorded)
    gx = x.grad
    if not isinstance(gx, Variable) or gx.creator is None:
        if unconnected == ERROR:
            raise FrameworkError("element 0 of tensors does not require grad and does not have a grad_fn")
        return unconnected
    x.cleargrad()  # autograd.grad / outer.gradient return a new gradient
    gx.backward()
    return float(x.grad)


def tf_accumulate(x0, k, slip):
    x = Variable(x0)
    g = None
    for _ in range(2):
        tape = Tape(watched=(x,), accumulates=slip == "grad_accumulates")
        g = tape.gradient(x ** k, x)
    return g


def tf_reuse(x0, k, slip):
    tape = Tape(persistent=slip == "tape_not_persistent")
    x = tape.variable(x0)
    y = x ** k
    z = y * x
    tape.gradient(y, x)
    return tape.gradient(z, x)


def tf_untracked(x0, k, slip):
    tape = Tape()
    x = tape.variable(x0, trainable=False)  # tf.constant: not watched
    if slip == "tape_constant_unwatched":
        tape.watched.add(id(x))
    return tape.gradient(x ** k, x)


def tf_trainable(x0, k, slip):
    tape = Tape()
    w = tape.variable(x0, trainable=slip == "tape_constant_unwatched")
    v = tape.variable(2.0)
    return tape.gradients(v * w ** k, [v, w])[1]


def first_derivative(x0, k) -> float:
    x = Variable(x0)
    (x ** k).backward()
    return float(x.grad)


def power(x0, k) -> float:
    return float((Variable(x0) ** k).data)


RunFn = Callable[[float, int, str | None], Outcome]
RUN: dict[tuple[str, str], RunFn] = {
    ("pytorch", "accumulate"): pt_accumulate, ("pytorch", "zero_grad"): pt_zero_grad,
    ("pytorch", "no_grad"): no_grad_case, ("pytorch", "detach"): detach_case, ("pytorch", "reuse"): pt_reuse,
    ("pytorch", "untracked"): pt_untracked,
    ("pytorch", "double"): lambda x0, k, slip: second_derivative(x0, k, True, ERROR),
    ("pytorch", "create_graph"): lambda x0, k, slip: second_derivative(x0, k, slip == "create_graph_missing", ERROR),
    ("tensorflow", "accumulate"): tf_accumulate, ("tensorflow", "no_grad"): no_grad_case,
    ("tensorflow", "detach"): detach_case, ("tensorflow", "reuse"): tf_reuse,
    ("tensorflow", "untracked"): tf_untracked, ("tensorflow", "trainable"): tf_trainable,
    ("tensorflow", "double"): lambda x0, k, slip: second_derivative(x0, k, True, None),
    ("tensorflow", "create_graph"): lambda x0, k, slip: second_derivative(x0, k, slip == "create_graph_missing",
                                                                          None),
}
FILLER: dict[str, Callable[[float, int], Outcome]] = {
    "reuse": first_derivative, "untracked": lambda x0, k: 0.0, "trainable": power, "create_graph": first_derivative}


def slips(framework: str, case: str) -> tuple:
    return SLIPS_OF[(framework, case)] if (framework, case) in SLIPS_OF else SLIPS[case]


def run(framework: str, case: str, x0: float, k: int, slip: str | None = None) -> Outcome:
    """What the program prints (a float or None), or ERROR: decided by the engine."""
    try:
        return RUN[(framework, case)](float(x0), int(k), slip)
    except FrameworkError:
        return ERROR


def same(a: Outcome, b: Outcome) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return bool(np.isclose(a, b, rtol=1e-9, atol=1e-12))
    return a == b


def outcome_text(o: Outcome) -> dict:
    if o == ERROR:
        return t("RuntimeError（実行時エラー）で止まる", "it stops with a RuntimeError")
    if o is None:
        return t("`None` が表示される", "`None` is printed")
    return t(f"`{float(cast(float, o))!r}` という値が表示される", f"the value `{float(cast(float, o))!r}` is printed")


def verify(framework: str, case: str, x0: float, k: int) -> Outcome:
    """The engine's answer, checked against the closed form and, through the first derivative
    every program rests on, against central differences."""
    got, closed = run(framework, case, x0, k), CLOSED[(framework, case)](x0, k)
    expected = float(closed) if isinstance(closed, (int, float)) else cast(Outcome, closed)
    if not same(got, expected):
        raise Rejected("engine_check", f"{framework}.{case} at x={x0}, k={k}: engine {got!r}, closed form {closed!r}",
                       fatal=True)
    require_close("d(x^k)/dx (numerical)", first_derivative(x0, k),
                  numerical_grad(lambda a: a ** k, np.array(float(x0))))
    return got


def choice_options(framework: str, case: str, x0: float, k: int, right: Outcome, drawn: bool) -> list:
    """[(outcome, misconception id or None)], the right one first; the others distinct from it."""
    options: list[tuple[Outcome, str | None]] = [(right, None)]
    wrong = [(run(framework, case, x0, k, slip), slip) for slip in slips(framework, case)]
    wrong.append((FILLER[case](x0, k), "wrong_choice"))
    for o, mid in wrong:
        if any(same(o, seen) for seen, _ in options):
            if drawn:
                raise Rejected("indistinct_choice", f"{mid} gives {o!r}, an option already there")
            continue
        options.append((o, mid))
    return options


def guessable(value: float, x0: float, k: int, literals: tuple) -> bool:
    """0, ±1, or a number the program shows."""
    return any(np.isclose(value, g) for g in (0.0, 1.0, -1.0, x0, k, *literals))


class FrameworkAutogradCode(BuiltinGenerator):
    slug = "framework-autograd-code"
    version = 1
    family = "framework-code"
    difficulty = 2
    topics = ("backprop", "framework")
    syllabus = ("3-2-2",)
    preferences = ("framework",)  # fixed (the learner's), the drawn one is replaced; see generation.py
    title = t("PyTorch・TensorFlow の自動微分コードを読む", "Reading PyTorch and TensorFlow autograd code")
    statement = t("PyTorch または TensorFlow の短い自動微分のプログラムを読み、表示される値や実行結果を答える問題です。",
                  "Read a short PyTorch or TensorFlow autograd program and give what it prints or what happens.")
    source = ("built-in generator exercises.generators.framework_code.FrameworkAutogradCode (PyTorch autograd, "
              "TensorFlow tf.GradientTape; ゼロから作るDeep Learning ③ steps 18 and 33-34)")
    params_doc = t(
        "framework（pytorch（既定）/ tensorflow）、case（pytorch: accumulate / zero_grad / no_grad / detach / reuse / "
        "untracked / double / create_graph、tensorflow: accumulate / no_grad / detach / reuse / untracked / trainable / "
        "double / create_graph）、x（0 以外、-10〜10）、k（指数：double と create_graph は 3 か 4、ほかは 2 か 3）。",
        "framework (pytorch, the default, or tensorflow), case (pytorch: accumulate, zero_grad, no_grad, detach, reuse, "
        "untracked, double, create_graph; tensorflow: accumulate, no_grad, detach, reuse, untracked, trainable, double, "
        "create_graph), x (nonzero, -10..10), k (the exponent: 3 or 4 for double and create_graph, else 2 or 3).")
    hints = (
        t("PyTorch の `.grad` は backward のたびに足し込まれます。TensorFlow の `tape.gradient` は毎回新しい値を返します。",
          "PyTorch's `.grad` adds up at every backward; TensorFlow's `tape.gradient` returns a new value each time."),
        t("`no_grad()`・`stop_recording()` の中や `detach()`・`stop_gradient` の値は定数として扱われます。",
          "Values made inside `no_grad()` / `stop_recording()`, or passed through `detach()` / `stop_gradient`, are "
          "constants."),
        t("グラフやテープは 1 回使うと解放されます（retain_graph=True・persistent=True で残せます）。",
          "A graph or a tape is released after one use (retain_graph=True, persistent=True keep it)."),
    )
    explanation = t(
        "PyTorch と TensorFlow の自動微分の基本的な振る舞い（勾配の累積、グラフやテープの解放、記録しない計算、"
        "勾配を止める値、監視する変数、2 階微分）を、短いプログラムで確かめます。",
        "The basic behaviour of PyTorch and TensorFlow autograd (gradient accumulation, releasing graphs and tapes, "
        "unrecorded computations, values that stop gradients, watched variables, second derivatives) in short programs.")

    def draw(self, rng) -> dict:
        framework = FRAMEWORKS[int(rng.integers(len(FRAMEWORKS)))]
        case = CASES[framework][int(rng.integers(len(CASES[framework])))]
        ks = PROGRAMS[framework][case].ks
        return {"framework": framework, "case": case, "x": clean(X_VALUES[int(rng.integers(len(X_VALUES)))]),
                "k": int(ks[int(rng.integers(len(ks)))])}

    def check_params(self, params) -> dict:
        p = Params(params, (), ("framework", "case", "x", "k"))
        framework = cast(str, p.one_of("framework", FRAMEWORKS)) if p.has("framework") else "pytorch"
        case = cast(str, p.one_of("case", CASES[framework])) if p.has("case") else CASES[framework][0]
        ks = PROGRAMS[framework][case].ks
        x = p.number("x", -10, 10) if p.has("x") else 3
        if x == 0:
            raise ParamsError("params.x: x = 0 では勾配が 0 になり区別できないので、0 以外にしてください",
                              "params.x: at x = 0 the gradients are 0 and cannot be told apart; use a nonzero x",
                              field="params.x")
        k = int(cast(int, p.one_of("k", ks))) if p.has("k") else int(ks[0])
        return {"framework": framework, "case": case, "x": x, "k": k}

    def build(self, seed, params, layout, drawn) -> Exercise:
        framework, case, x0, k = params["framework"], params["case"], params["x"], params["k"]
        program = PROGRAMS[framework][case]
        right = verify(framework, case, x0, k)
        code = code_of(framework, case, x0, k)
        if program.kind == "value":
            value = cast(float, right)
            if drawn and guessable(value, x0, k, program.literals):
                raise Rejected("guessable", f"{value} is 0, ±1 or a number the program shows")
            found = {mid: run(framework, case, x0, k, mid) for mid in slips(framework, case)}
            mistakes = differing(PRECISION, value, {m: v for m, v in found.items() if isinstance(v, float)}, drawn)
            part = Part("printed", "value", t("最後の `print` で表示される値を答えなさい（有効数字4桁）。",
                                              "Give the value the last `print` shows (4 significant figures)."), PRECISION)
            answers, checks = {"printed": value}, [{"slip": m, "outcome": v} for m, v in found.items()]
        else:
            options = choice_options(framework, case, x0, k, right, drawn)
            order = [int(i) for i in layout.permutation(len(options))]
            shown = [options[i] for i in order]
            part = Part("outcome", "choice", t("このプログラムを実行するとどうなりますか。",
                                               "What happens when the program runs?"), None,
                        tuple(outcome_text(o) for o, _ in shown))
            answers = {"outcome": order.index(0)}
            mistakes = {mid: i for i, (_, mid) in enumerate(shown) if mid and mid in MISCONCEPTIONS}
            checks = [{"option": i, "outcome": o, "misconception": mid} for i, (o, mid) in enumerate(shown)]
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_statement(framework, program.kind, code, x0, k),
            params=dict(params), parts=[part], answers=answers, mistakes={part.id: mistakes}, graph=None,
            solution=_solution(framework, case, x0, k, right, code, checks), hints=self.hints,
            explanation=_explanation(program.explanation, right))


def _statement(framework: str, kind: str, code: str, x0: float, k: int) -> dict:
    name, math = NAMES[framework], t(f"値 ${num(x0)}$、指数 $k = {k}$", f"value ${num(x0)}$, exponent $k = {k}$")
    ask = (t("最後の `print` で表示される値を答えなさい。", "Give the value the last `print` shows.") if kind == "value"
           else t("実行するとどうなるかを選びなさい。", "Choose what happens when it runs."))
    return t(f"次の {name} のプログラムを実行します（{math['ja']}、浮動小数点の誤差は考えません）。{ask['ja']}\n\n"
             f"```python\n{code}\n```",
             f"The following {name} program is run ({math['en']}; ignore floating-point rounding). {ask['en']}\n\n"
             f"```python\n{code}\n```")


def _explanation(feature: dict, right: Outcome) -> dict:
    result = outcome_text(right)
    return t(f"{feature['ja']}\n\n答え：{result['ja']}。", f"{feature['en']}\n\nAnswer: {result['en']}.")


def _solution(framework, case, x0, k, right, code, checks) -> dict:
    d1 = first_derivative(x0, k)
    forward = [rf"$x^{{{k}}} = ({num(x0)})^{{{k}}} = {num(power(x0, k))}$"]
    backward = [rf"$\frac{{d}}{{dx}} x^{{{k}}} = {k}x^{{{k - 1}}} = {num(d1)}\quad (x = {num(x0)})$"]
    if case in ("double", "create_graph"):
        backward.append(rf"$\frac{{d^2}}{{dx^2}} x^{{{k}}} = {k * (k - 1)}x^{{{k - 2}}} = {num(k * (k - 1) * x0 ** (k - 2))}$")
    shown = {"ja": outcome_text(right)["ja"], "en": outcome_text(right)["en"]}
    backward.append(r"$\text{" + shown["en"].replace("`", "").replace("_", r"\_") + "}$")
    return {"forward": forward, "backward": backward,
            "headings": {"forward": t("順伝播", "Forward pass"),
                         "backward": t("逆伝播と表示されるもの", "Backward pass and what is printed")},
            "graph": None, "checks": checks, "code": code, "engine": {"framework": framework, "case": case}}

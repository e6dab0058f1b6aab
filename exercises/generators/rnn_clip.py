"""Gradient clipping by the global norm (family ``rnn``): the book's ``clip_grads(grads,
max_norm)`` (ゼロから作るDeep Learning ② 6.1.4, common/util.py) on 2-3 small gradient arrays.

Asked: the total norm √(Σ g²) over every array, rate = max_norm / (total_norm + 1e-6), whether
the gradients are changed and how (a choice), and, when rate < 1, every array after the call.
The reference is the engine (the norm and the scaled arrays as Variables), checked against
``book_clip_grads`` (the book's function, written out, run on copies) and ``np.linalg.norm`` of
all the gradients concatenated. Misconceptions: clip_norm_not_sqrt (the sum of squares used as
the norm), clip_per_array (each array clipped by its own norm), clip_elementwise (np.clip to
±max_norm), and wrong_choice.
"""
from __future__ import annotations

import numpy as np

from ..autodiff import Variable
from ..autodiff import functions as F
from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..kinds.carried import trivial
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, cleaned, differing, num, pmatrix, require_close, solution, t
from .initialization import shuffled
from .regularization import array_key, array_mistakes, array_part

PRECISION = Precision("sig", 3)
EPS = 1e-6
G_VALUES = np.array([-3, -2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 3, 4])
MAX_NORMS = (0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
CODE = """def clip_grads(grads, max_norm):
    total_norm = 0
    for grad in grads:
        total_norm += np.sum(grad ** 2)
    total_norm = np.sqrt(total_norm)

    rate = max_norm / (total_norm + 1e-6)
    if rate < 1:
        for grad in grads:
            grad *= rate"""
OPTIONS = [
    (t("全体のノルムが max_norm より大きいので、すべての勾配に同じ rate を掛けて縮める",
       "The global norm exceeds max_norm, so every gradient is multiplied by the same rate"), "scale",
     t("rate < 1 のとき、どの配列にも同じ rate を掛けるので、勾配全体の向きは変わりません",
       "with rate < 1 every array is multiplied by the same rate, so the direction of the whole gradient is kept")),
    (t("全体のノルムが max_norm 以下なので、勾配は変更されない",
       "The global norm is at most max_norm, so the gradients are left unchanged"), "keep",
     t("rate ≥ 1 のときは `if rate < 1` が成り立たず、何もしません", "with rate ≥ 1 `if rate < 1` fails and nothing happens")),
    (t("自分のノルムが max_norm を超える配列だけを、その配列のノルムで縮める",
       "Only the arrays whose own norm exceeds max_norm are scaled, each by its own norm"), "clip_per_array",
     t("`clip_grads` はすべての配列をまとめた1つのノルムで判定します", "`clip_grads` decides with one norm over all arrays")),
    (t("絶対値が max_norm を超える要素だけを ±max_norm に切り詰める",
       "Only the elements larger than max_norm in size are cut to ±max_norm"), "clip_elementwise",
     t("それは np.clip による要素ごとのクリッピングで、`clip_grads` ではありません",
       "that is elementwise clipping with np.clip, not `clip_grads`")),
]


def clip_engine(grads, max_norm: float) -> tuple[float, float, list]:
    """The total norm, rate and the arrays after clipping, as Variables."""
    vs = [Variable(np.asarray(g, dtype=float), f"g{k}") for k, g in enumerate(grads)]
    squares = F.sum(F.square(vs[0]))
    for v in vs[1:]:
        squares = squares + F.sum(F.square(v))
    total = F.sqrt(squares)
    rate = max_norm / (total + EPS)
    out = [v * rate for v in vs] if float(rate.data) < 1 else vs
    return float(total.data), float(rate.data), [np.asarray(v.data, dtype=float) for v in out]


def book_clip_grads(grads, max_norm: float) -> None:
    """The book's function, as it is (in place)."""
    total_norm = 0
    for grad in grads:
        total_norm += np.sum(grad ** 2)
    total_norm = np.sqrt(total_norm)
    rate = max_norm / (total_norm + 1e-6)
    if rate < 1:
        for grad in grads:
            grad *= rate


def scaled(grads, norm: float, max_norm: float) -> list:
    rate = max_norm / (norm + EPS)
    return [g * rate if rate < 1 else g for g in grads]


def clip_mistakes(grads, max_norm: float) -> dict:
    """Per misconception, the arrays it leaves."""
    squares = float(sum(np.sum(g ** 2) for g in grads))
    return {"clip_norm_not_sqrt": scaled(grads, squares, max_norm),
            "clip_per_array": [scaled([g], float(np.sqrt(np.sum(g ** 2))), max_norm)[0] for g in grads],
            "clip_elementwise": [np.clip(g, -max_norm, max_norm) for g in grads]}


class GradClippingGlobalNorm(BuiltinGenerator):
    slug = "grad-clipping-global-norm"
    version = 1
    family = "rnn"
    difficulty = 2
    topics = ("rnn", "backprop")
    syllabus = ("3-2-2", "3-5")
    title = t("勾配クリッピング（全体のノルムによる clip_grads）", "Gradient clipping by the global norm (clip_grads)")
    statement = t("本の clip_grads に小さな勾配の配列を与えて、全体の L2 ノルム、rate、クリッピングが起きるかどうかと、"
                  "クリッピング後の勾配を求める問題です。",
                  "Give the book's clip_grads a few small gradient arrays: find the global L2 norm, the rate, whether "
                  "clipping happens, and the gradients afterwards.")
    source = ("built-in generator exercises.generators.rnn_clip.GradClippingGlobalNorm "
              "(ゼロから作るDeep Learning ② 6.1.4 勾配爆発への対策, common/util.py clip_grads)")
    params_doc = t(
        "gradients（2〜3 個の配列、それぞれ長さ 1〜3 の数のリスト、各値 -100〜100。コードの grads）、"
        "max_norm（0 より大きく 1000 以下）。",
        "gradients (the code's grads: 2 or 3 arrays, each a list of 1 to 3 numbers in -100..100), "
        "max_norm (above 0, at most 1000).")
    hints = (
        t("total_norm はすべての配列のすべての要素の2乗和の平方根です（配列ごとではありません）。",
          "total_norm is the square root of the sum of squares of every element of every array (not per array)."),
        t("rate = max_norm / (total_norm + 1e-6)。rate < 1 のときだけ、すべての勾配に rate を掛けます。",
          "rate = max_norm / (total_norm + 1e-6); only when rate < 1 is every gradient multiplied by it."),
    )
    explanation = t(
        "勾配クリッピングは勾配爆発への対策です。すべてのパラメータの勾配を1つのベクトル $\\hat{g}$ とみなし、"
        "$\\|\\hat{g}\\| \\ge$ threshold なら "
        "$\\hat{g} \\leftarrow \\dfrac{\\text{threshold}}{\\|\\hat{g}\\|}\\hat{g}$ とします。"
        "全体を同じ割合で縮めるので勾配の向きは変わらず、大きさだけがしきい値に抑えられます。",
        "Gradient clipping is the remedy for exploding gradients. All the parameters' gradients are taken as one vector "
        "$\\hat{g}$; if $\\|\\hat{g}\\| \\ge$ threshold, $\\hat{g} \\leftarrow \\dfrac{\\text{threshold}}{\\|\\hat{g}\\|}"
        "\\hat{g}$. Scaling everything by the same factor keeps the direction and caps only the size.")

    def draw(self, rng) -> dict:
        count = 2 if rng.random() < 0.6 else 3
        grads = [cleaned(rng.choice(G_VALUES, size=int(rng.integers(2, 4)))) for _ in range(count)]
        norm = float(np.sqrt(sum(np.sum(np.square(g)) for g in grads)))
        clip = rng.random() < 0.75
        fitting = [m for m in MAX_NORMS if (m < norm) == clip and abs(m - norm) > 0.5]
        if not fitting:
            raise Rejected("degenerate", "no max_norm on the grid fits this draw")
        return {"gradients": grads, "max_norm": fitting[int(rng.integers(len(fitting)))]}

    def check_params(self, params) -> dict:
        p = Params(params, ("gradients", "max_norm"))
        grads = params["gradients"]
        if not isinstance(grads, (list, tuple)) or len(grads) not in (2, 3):
            raise ParamsError("params.gradients: 2〜3 個の配列（数のリスト）のリストにしてください",
                              "params.gradients: must be a list of 2 or 3 arrays (lists of numbers)",
                              field="params.gradients")
        arrays = [Params({"gradients": g}, ("gradients",)).vector("gradients", -100, 100, sizes=range(1, 4))
                  for g in grads]
        max_norm = p.number("max_norm", 0, 1000)
        if max_norm <= 0:
            raise ParamsError("params.max_norm: 0 より大きくしてください", "params.max_norm: must be above 0",
                              field="params.max_norm")
        if not any(v != 0 for g in arrays for v in g):
            raise ParamsError("params.gradients: すべて 0 の勾配はノルムが 0 です",
                              "params.gradients: all-zero gradients have norm 0", field="params.gradients")
        return {"gradients": arrays, "max_norm": max_norm}

    def build(self, seed, params, layout, drawn) -> Exercise:
        grads = [np.asarray(g, dtype=float) for g in params["gradients"]]
        max_norm = float(params["max_norm"])
        norm, rate, clipped = clip_engine(grads, max_norm)
        copies = [g.copy() for g in grads]
        book_clip_grads(copies, max_norm)
        require_close("norm (concatenated)", norm, np.linalg.norm(np.concatenate(grads)))
        require_close("clipped (book's clip_grads)", np.concatenate(clipped), np.concatenate(copies))
        givens = (max_norm, *(float(v) for g in grads for v in g))
        if drawn and (trivial(norm, givens, PRECISION.tolerance) or trivial(rate, givens, PRECISION.tolerance)):
            raise Rejected("degenerate", "the norm or the rate is 0, ±1 or a given number")
        squares = float(sum(np.sum(g ** 2) for g in grads))
        clips = rate < 1
        texts, key, named, whys = shuffled(OPTIONS, [int(i) for i in layout.permutation(len(OPTIONS))],
                                           "scale" if clips else "keep", {"keep" if clips else "scale": "wrong_choice"})
        parts = [Part("norm", "value", t("`total_norm`（全体の L2 ノルム）を求めなさい。",
                                         "Find `total_norm` (the global L2 norm)."), PRECISION),
                 Part("rate", "value", t("`rate` を求めなさい。", "Find `rate`."), PRECISION),
                 Part("clips", "choice", t("`clip_grads(grads, max_norm)` は grads をどうしますか。",
                                           "What does `clip_grads(grads, max_norm)` do to grads?"), None, texts)]
        answers: dict = {"norm": norm, "rate": rate, "clips": key}
        mistakes: dict = {"norm": differing(PRECISION, norm, {"clip_norm_not_sqrt": squares}, drawn),
                          "rate": differing(PRECISION, rate, {"clip_norm_not_sqrt": max_norm / (squares + EPS)}, drawn),
                          "clips": named}
        if clips:
            wrong = clip_mistakes(grads, max_norm)
            for k, arr in enumerate(clipped):
                pid, arr_key = f"g{k}", array_key(arr)
                parts.append(array_part(pid, t(f"呼び出した後の `grads[{k}]` を求めなさい。",
                                               f"Find `grads[{k}]` after the call."), arr_key, PRECISION))
                answers[pid] = arr_key
                mistakes[pid] = array_mistakes(PRECISION, arr_key, {m: v[k] for m, v in wrong.items()}, drawn)
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_statement(grads, max_norm), params=dict(params),
            parts=parts, answers=answers, mistakes=mistakes, graph=None,
            solution=solution(*_solution(grads, max_norm, (norm, rate, clipped))), hints=self.hints,
            explanation=_explanation(texts, key, whys, self.explanation))


def _array_text(g) -> str:
    return "np.array([" + ", ".join(f"{float(v):g}" for v in g) + "])"


def _statement(grads, max_norm: float) -> dict:
    code = f"```python\n{CODE}\n```"
    arrays = ", ".join(_array_text(g) for g in grads)
    call = f"```python\ngrads = [{arrays}]\nclip_grads(grads, max_norm={max_norm:g})\n```"
    return t(
        "本（ゼロから作るDeep Learning ②）の勾配クリッピングの関数です（`import numpy as np` 済み）。\n\n"
        f"{code}\n\nパラメータの勾配の配列が次のとき、この関数を呼び出します。\n\n{call}\n\n"
        f"しきい値は $\\text{{max\\_norm}} = {num(max_norm)}$ です。有効数字3桁で答えなさい（配列はカンマ区切り）。",
        "Here is the book's gradient clipping function (ゼロから作るDeep Learning ②; `import numpy as np` done).\n\n"
        f"{code}\n\nIt is called with these parameter gradients:\n\n{call}\n\n"
        f"The threshold is $\\text{{max\\_norm}} = {num(max_norm)}$. Give 3 significant figures (arrays separated by "
        "commas).")


def _solution(grads, max_norm: float, found: tuple) -> tuple[list, list]:
    norm, rate, clipped = found
    squares = " + ".join(f"{float(v) ** 2:g}" for g in grads for v in g)
    forward = [rf"$\text{{total\_norm}} = \sqrt{{{squares}}} = {num(norm, 5)}$",
               rf"$\text{{rate}} = \frac{{{num(max_norm)}}}{{{num(norm, 5)} + 10^{{-6}}}} = {num(rate, 5)}$"]
    if rate < 1:
        backward = [rf"$\text{{rate}} < 1:\ \text{{grads}}[{k}] = {pmatrix(g)} \times {num(rate, 5)} = {pmatrix(c, 4)}$"
                    for k, (g, c) in enumerate(zip(grads, clipped))]
    else:
        backward = [r"$\text{rate} \ge 1:\ \text{grads are left unchanged}$"]
    return forward, backward


def _explanation(texts, key, whys, base: dict) -> dict:
    def notes(lang: str) -> str:
        mark = {"ja": ("（正解）", "（誤り）"), "en": (" (right)", " (wrong)")}[lang]
        colon = "：" if lang == "ja" else ": "
        return "\n".join(f"- {x[lang]}{mark[k != key]}{colon}{y[lang]}" for k, (x, y) in enumerate(zip(texts, whys)))
    return t(f"{base['ja']}\n\n{notes('ja')}", f"{base['en']}\n\n{notes('en')}")

"""Weight initialization (family ``initialization``): the standard deviations of the Xavier
(1/√n) and He (√(2/n)) initializations for a layer whose previous layer has n nodes (as the
book defines them), which one suits the activation, and why all-equal weights fail.

The standard deviations are closed forms; what is checked is that they are standard
deviations of the weights the book's code draws (``np.random.randn(n, m) * std``: 20000 such
weights sampled from ``layout`` have a sample std within 5 % of it, ten standard errors) and
that their variances are 1/n and 2/n (n·σ² = 1 or 2). The choice parts are fixed texts whose
order ``layout`` draws; every option's reason is written out in the explanation.
"""
from __future__ import annotations

import numpy as np

from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..misconceptions import MISCONCEPTIONS
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, differing, num, require_close, solution, t

PRECISION = Precision("sig", 3)
SIZES = (100, 784, 50, 256, 64, 128, 20, 300, 1000)
ACTIVATIONS = ("sigmoid", "tanh", "relu")
SHOWN = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"}
SAMPLE = 20000

# (text, misconception or None for the right one, why); the first option is Xavier, the second He.
SUITS = [
    (t("Xavier の初期値", "Xavier's initialization"), "xavier",
     t("前の層のノード数 n に対して標準偏差 $1/\\sqrt{n}$。sigmoid や tanh のような左右対称で中央付近が線形な関数向けです",
       "std $1/\\sqrt{n}$ for n nodes in the previous layer; for symmetric functions linear near 0 such as sigmoid and tanh")),
    (t("He の初期値", "He's initialization"), "he",
     t("標準偏差 $\\sqrt{2/n}$。ReLU は負の側を 0 にして広がりが半分になるので、分散を 2 倍にしてあります（ReLU 向け）",
       "std $\\sqrt{2/n}$: ReLU zeroes the negative half and halves the spread, so the variance is doubled (for ReLU)")),
    (t("標準偏差 0.01 のガウス分布（層の大きさによらず一定）", "A Gaussian with std 0.01, whatever the layer's size"),
     "wrong_choice",
     t("層が深いと各層のアクティベーションが 0 付近に集まり、表現力が失われ勾配も小さくなります（本の 6.2.2 の実験）",
       "in a deep network the activations crowd near 0, losing expressiveness and shrinking the gradients (the book's 6.2.2)")),
    (t("すべて 0", "All zeros"), "init_equal_weights",
     t("同じ層のニューロンがすべて同じになり、対称性が崩れないので学習できません",
       "every unit of a layer stays identical: the symmetry is never broken")),
]
SYMMETRY = [
    (t("同じ層のすべてのニューロンが同じ値を出力し、逆伝播でも同じ勾配を受け取るので、重みが互いに同じ値のまま更新され続け"
       "（対称性が崩れず）、たくさんのニューロンを持つ意味がなくなるから",
       "Every unit of a layer outputs the same value and receives the same gradient, so the weights stay equal to each "
       "other through every update (the symmetry is never broken) and the many units act as one"), None,
     t("0 に限らず、すべて同じ値ならどれでも同じことが起こります",
       "the same happens with any value, as long as all weights are equal")),
    (t("出力が 0 になって勾配が流れないことが原因なので、0 以外の同じ値（例えばすべて 0.01）にすれば解決するから",
       "The output becomes 0 and no gradient flows, so the same non-zero value everywhere (say 0.01) solves it"),
     "init_equal_weights",
     t("すべて 0.01 でも、同じ層のニューロンは同じ出力・同じ勾配のままで、対称性は崩れません",
       "with 0.01 everywhere the units of a layer still share their outputs and gradients: the symmetry stays")),
    (t("バイアスも 0 であることが原因なので、バイアスをすべて 0.1 のような 0 以外の値にすれば重みは 0 のままでよいから",
       "The zero biases are the cause: with every bias set to a non-zero value such as 0.1 the weights may stay 0"),
     "init_bias_breaks_symmetry",
     t("同じ値のバイアスを足しても、ニューロンどうしの出力と勾配は同じままです",
       "adding the same bias to every unit leaves their outputs and gradients equal")),
    (t("重みが 0 だと逆伝播で勾配が爆発（発散）するから", "With zero weights the gradients explode in backpropagation"),
     "wrong_choice",
     t("勾配は爆発しません。上流へ流れる勾配 dout·Wᵀ はむしろ 0 になります",
       "they do not explode: the gradient passed upstream, dout·Wᵀ, is in fact 0")),
]


def init_stds(n: int) -> dict:
    return {"xavier": 1.0 / np.sqrt(n), "he": np.sqrt(2.0 / n)}


def init_mistakes(n: int, m: int) -> dict:
    """What each slip gives: the variance, the next layer's count, the other initialization."""
    return {"xavier": {"init_variance_for_std": 1.0 / n, "xavier_he_swapped": np.sqrt(2.0 / n),
                       "init_wrong_fan": 1.0 / np.sqrt(m)},
            "he": {"init_variance_for_std": 2.0 / n, "xavier_he_swapped": 1.0 / np.sqrt(n),
                   "init_wrong_fan": np.sqrt(2.0 / m)}}


def coinciding(found: dict) -> list:
    """Pairs of mistakes a grader could not tell apart (m = n/2 makes 1/√m = √(2/n))."""
    items = list(found.items())
    return [(a, b) for i, (a, u) in enumerate(items) for b, v in items[i + 1:]
            if abs(u - v) <= PRECISION.tolerance(min(u, v))]


def shuffled(options: list, order: list, right, rename: dict | None = None) -> tuple[tuple, int, dict, list]:
    """The options in ``order``: their texts, the answer's index, {misconception: index} (a tag
    renamed by ``rename`` first) and the reasons as shown."""
    shown = [options[i] for i in order]
    key = next(k for k, (_, tag, _) in enumerate(shown) if tag == right)
    tags = [(rename or {}).get(tag, tag) for _, tag, _ in shown]
    named = {tag: k for k, tag in enumerate(tags) if tag in MISCONCEPTIONS and k != key}
    return tuple(text for text, _, _ in shown), key, named, [why for _, _, why in shown]


class InitStd(BuiltinGenerator):
    slug = "init-std"
    version = 1
    family = "initialization"
    difficulty = 1
    topics = ("initialization", "activation-functions")
    syllabus = ("3-2-4",)
    title = t("重みの初期値：Xavier と He の標準偏差", "Weight initialization: the Xavier and He standard deviations")
    statement = t("層のノード数から Xavier と He の初期値の標準偏差を求め、活性化関数に合う初期値と、重みを同じ値で初期化して"
                  "はいけない理由を選ぶ問題です。",
                  "From a layer's node counts, find the Xavier and He standard deviations, choose the initialization that "
                  "suits the activation, and why weights must not all start equal.")
    source = "built-in generator exercises.generators.initialization.InitStd (ゼロから作るDeep Learning 6.2)"
    params_doc = t(
        "n（前の層のノード数、3〜100000 の整数）、m（この層のノード数、1〜100000 の整数、n と異なる）、"
        "activation（\"sigmoid\"・\"tanh\"・\"relu\"）。",
        "n (the previous layer's node count, an integer 3..100000), m (this layer's node count, an integer "
        "1..100000 other than n), activation (\"sigmoid\", \"tanh\" or \"relu\").")
    hints = (
        t("本では、前の層のノード数を n として、Xavier の初期値は標準偏差 $1/\\sqrt{n}$、He の初期値は $\\sqrt{2/n}$ のガウス"
          "分布です。",
          "In the book, with n nodes in the previous layer, Xavier's initialization is a Gaussian with std $1/\\sqrt{n}$ "
          "and He's one with std $\\sqrt{2/n}$."),
        t("分散と標準偏差を取り違えないこと：分散 $1/n$ の標準偏差は $1/\\sqrt{n}$ です。",
          "Do not mix up variance and standard deviation: variance $1/n$ means std $1/\\sqrt{n}$."),
        t("sigmoid・tanh には Xavier、ReLU には He が向いています。",
          "Xavier suits sigmoid and tanh; He suits ReLU."),
    )

    def draw(self, rng) -> dict:
        n, m = (int(v) for v in rng.choice(SIZES, size=2, replace=False))
        return {"n": n, "m": m, "activation": ACTIVATIONS[int(rng.integers(len(ACTIVATIONS)))]}

    def check_params(self, params) -> dict:
        p = Params(params, ("n", "m", "activation"))
        n, m = int(p.number("n", 3, 100000, integer=True)), int(p.number("m", 1, 100000, integer=True))
        if n == m:
            raise ParamsError("params.m: 前の層と区別できるように n と異なる値にしてください",
                              "params.m: must differ from n so that the two layers can be told apart", field="params.m")
        return {"n": n, "m": m, "activation": p.one_of("activation", ACTIVATIONS)}

    def build(self, seed, params, layout, drawn) -> Exercise:
        n, m, activation = params["n"], params["m"], params["activation"]
        stds = init_stds(n)
        require_close("Xavier: n·σ² = 1", n * stds["xavier"] ** 2, 1.0)
        require_close("He: n·σ² = 2", n * stds["he"] ** 2, 2.0)
        sample = layout.standard_normal(SAMPLE)
        for name, std in stds.items():
            if abs(float(np.std(sample * std)) / std - 1.0) > 0.05:
                raise Rejected("gradient_check", f"{name}: the sampled weights' std is not {std:g}", fatal=True)
            if any(abs(std - g) <= PRECISION.tolerance(std) for g in (0.0, 1.0, n, m)):
                raise Rejected("degenerate", f"{name} std {std:g} is 0, 1 or a given number")
        wrong = init_mistakes(n, m)
        if drawn and any(coinciding(found) for found in wrong.values()):
            raise Rejected("indistinct_misconception", f"two mistakes give the same number at n = {n}, m = {m}")
        right, other = ("he", "xavier") if activation == "relu" else ("xavier", "he")
        suits_text, suits_key, suits_named, suits_why = shuffled(
            SUITS, [int(i) for i in layout.permutation(len(SUITS))], right, {other: "xavier_he_swapped"})
        sym_text, sym_key, sym_named, sym_why = shuffled(
            SYMMETRY, [int(i) for i in layout.permutation(len(SYMMETRY))], None)
        parts = [
            Part("xavier", "value", t("Xavier の初期値を使うとき、この層の重み W の標準偏差を求めなさい。",
                                      "With Xavier's initialization, find the standard deviation of this layer's weights W."),
                 PRECISION),
            Part("he", "value", t("He の初期値を使うとき、この層の重み W の標準偏差を求めなさい。",
                                  "With He's initialization, find the standard deviation of this layer's weights W."), PRECISION),
            Part("suits", "choice", t(f"活性化関数が {SHOWN[activation]} のとき、この層の重みの初期値として"
                                        "最も適したものを選びなさい。",
                                      f"With the activation {SHOWN[activation]}, choose the best initialization of this layer's "
                                      "weights."),
                 None, suits_text),
            Part("symmetry", "choice", t("重みをすべて 0 で初期化すると学習がうまく進みません。"
                                         "その理由として正しいものを選びなさい。",
                                         "Initializing every weight to 0 makes learning fail. Choose the right reason."),
                 None, sym_text),
        ]
        answers = {"xavier": float(stds["xavier"]), "he": float(stds["he"]), "suits": suits_key, "symmetry": sym_key}
        mistakes = {pid: differing(PRECISION, answers[pid], {k: float(v) for k, v in wrong[pid].items()}, drawn)
                    for pid in ("xavier", "he")} | {"suits": suits_named, "symmetry": sym_named}
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_statement(n, m, activation),
            params=dict(params), parts=parts, answers=answers, mistakes=mistakes, graph=None,
            solution=solution(*_solution(n, stds)), hints=self.hints,
            explanation=_explanation((suits_text, suits_key, suits_why), (sym_text, sym_key, sym_why)))


def _statement(n: int, m: int, activation: str) -> dict:
    activation = SHOWN[activation]
    return t(
        f"全結合のニューラルネットワークで、前の層のノード数が ${n}$、この層のノード数が ${m}$ です"
        f"（重み $W$ の形は $({n}, {m})$）。この層の活性化関数は {activation} です。重みはガウス分布から"
        f" `np.random.randn({n}, {m}) * std` のように初期化します。本（ゼロから作るDeep Learning）の定義にしたがって答えなさい。",
        f"In a fully connected network the previous layer has ${n}$ nodes and this layer ${m}$ (the weights $W$ have "
        f"shape $({n}, {m})$); this layer's activation is {activation}. The weights are drawn from a Gaussian as "
        f"`np.random.randn({n}, {m}) * std`. Answer with the book's definitions (ゼロから作るDeep Learning).")


def _solution(n: int, stds: dict) -> tuple[list, list]:
    forward = [rf"$n = {n}$ (前の層のノード数 / nodes in the previous layer)"]
    backward = [rf"$\sigma_{{\text{{Xavier}}}} = \frac{{1}}{{\sqrt{{n}}}} = \frac{{1}}{{\sqrt{{{n}}}}} = "
                rf"{num(stds['xavier'], 4)}$",
                rf"$\sigma_{{\text{{He}}}} = \sqrt{{\frac{{2}}{{n}}}} = \sqrt{{\frac{{2}}{{{n}}}}} = {num(stds['he'], 4)}$",
                r"$\text{Var} = \sigma^2 = \frac{1}{n},\ \frac{2}{n}$"]
    return forward, backward


def _explanation(suits: tuple, symmetry: tuple) -> dict:
    """The reasons for every option as shown; ``suits`` and ``symmetry`` are (texts, key, whys)."""
    mark = {"ja": ("（正解）", "（誤り）"), "en": (" (right)", " (wrong)")}

    def notes(lang: str, part: tuple) -> str:
        texts, key, whys = part
        colon = "：" if lang == "ja" else ": "
        return "\n".join(f"- {x[lang]}{mark[lang][k != key]}{colon}{w[lang]}"
                          for k, (x, w) in enumerate(zip(texts, whys)))
    return t(
        "本では前の層のノード数を n として、Xavier の初期値は標準偏差 $1/\\sqrt{n}$（分散 $1/n$）、He の初期値は"
        " $\\sqrt{2/n}$（分散 $2/n$）のガウス分布です。各ニューロンは前の層の n 個の出力の重み付き和を受け取るので、"
        "n が大きいほど重みを小さくして、各層のアクティベーションの広がりをそろえます。\n\n"
        f"活性化関数に合う初期値の選択肢：\n{notes('ja', suits)}\n\n"
        f"重みを 0 にしてはいけない理由の選択肢：\n{notes('ja', symmetry)}",
        "In the book, with n nodes in the previous layer, Xavier's initialization is a Gaussian with std $1/\\sqrt{n}$ "
        "(variance $1/n$) and He's with std $\\sqrt{2/n}$ (variance $2/n$). Each unit sums n weighted outputs of the "
        "previous layer, so the larger n, the smaller the weights, keeping the spread of the activations even across "
        "layers.\n\n"
        f"The options for the initialization:\n{notes('en', suits)}\n\n"
        f"The options for why weights must not start at 0:\n{notes('en', symmetry)}")

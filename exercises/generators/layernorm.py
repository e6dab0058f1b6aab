"""Layer normalization's forward pass, and the concepts that set it beside batch normalization
(family ``normalization``).

``LayerNormForward``: x (N, D) with small integers, gamma and beta (D,): one normalized value
x̂[n, d] and the output row y[n, :]; the engine's ``layer_norm`` checked against the book-style
``LayerNormalization`` layer; the mistaken answers are the same engine graph with the
statistics over the batch or the variance divided by D − 1.
``NormalizationConcepts``: which axis each layer takes its statistics over, what inference
uses, why layer normalization suits RNNs and Transformers (choices, every wrong option a named
misconception), and one update of the running mean and variance from drawn numbers (the
book's ``BatchNormalization`` layer, checked against the moving-average formula).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autodiff import BatchNormalization, LayerNormalization, layer_norm
from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..graphview import graph_views
from ..kinds.arrays import ArrayKey
from .base import BuiltinGenerator, Params, cleaned, num, pmatrix, pnum, require_close, solution, t
from .batchnorm import PRECISION, guessable, run, snap, told_apart, variant, vector_mistakes

LN_EPS = 1e-7  # LayerNormalization's default
LN_MISTAKES = {"ln_wrong_axis": variant(0, eps=LN_EPS), "bn_unbiased_variance": variant(-1, ddof=1, eps=LN_EPS)}
ROW_VALUES = np.arange(-2, 7)
GAMMAS = np.array([0.5, 1.5, 2.0, 3.0])
BETAS = np.array([-1.0, 0.0, 1.0, 2.0])


def friendly_row(rng, d: int) -> list:
    """d small integers, not all equal, whose mean is a whole number (D = 3) or a half (D = 4)."""
    for _ in range(50):
        row = rng.choice(ROW_VALUES, size=d)
        if len(set(row.tolist())) > 1 and (2 * row.sum()) % d == 0:
            return row.tolist()
    raise Rejected("degenerate", "no friendly row")


class LayerNormForward(BuiltinGenerator):
    slug = "layernorm-forward"
    version = 1
    family = "normalization"
    difficulty = 2
    topics = ("normalization",)
    syllabus = ("3-7",)
    title = t("レイヤ正規化の順伝播", "Layer normalization, forward")
    statement = t("小さな入力でレイヤ正規化の正規化した値と出力の1行を計算する問題です。",
                  "Compute a normalized value and one output row of layer normalization on a small input.")
    source = ("built-in generator exercises.generators.layernorm.LayerNormForward "
              "(Layer Normalization, Ba et al. 2016; ゼロから作るDeep Learning 6.3 と同じ書き方)")
    params_doc = t(
        "x（N×D、N は 1〜4、D は 2〜6、各値 -100〜100、各行の値がすべて等しくないこと）、gamma・beta（長さ D）。"
        "任意で row（出力を問う行）、xhat_at（xn の添字 [n, d]）。",
        "x (N×D with N from 1 to 4, D from 2 to 6, values -100..100, no row of equal values), gamma and beta "
        "(length D); optionally row (the output row asked) and xhat_at (an index [n, d] into xn).")
    hints = (
        t("レイヤ正規化は各行（各データ）ごとに、その D 個の特徴の平均 μ と分散 σ²（D で割る）を取ります。",
          "Layer normalization takes, for each row (sample), the mean μ and variance σ² (divided by D) of its D features."),
        t("x̂ = (x − μ)/√(σ² + ε)、y = γ ⊙ x̂ + β（γ, β は特徴ごと、形 (D,)）。",
          "x̂ = (x − μ)/√(σ² + ε) and y = γ ⊙ x̂ + β (γ and β per feature, shape (D,))."),
    )
    explanation = t(
        "レイヤ正規化は、バッチ正規化と同じ「平均を引いて標準偏差で割り、γ 倍して β を足す」計算を、"
        "バッチ方向ではなく各データの特徴方向（最後の軸）で行います。統計量が 1 つのデータの中だけで決まるので、"
        "バッチサイズや他のデータに左右されず、学習時と推論時で同じ計算になります。"
        "γ と β は特徴ごとのパラメータ（形 (D,)）です。",
        "Layer normalization does batch normalization's computation (subtract the mean, divide by the standard "
        "deviation, scale by γ, shift by β) over each sample's features (the last axis) instead of over the batch. "
        "The statistics come from one sample alone, so they do not depend on the batch size or the other samples, "
        "and training and inference compute the same thing. γ and β are per-feature parameters, of shape (D,).")

    def draw(self, rng) -> dict:
        n, d = 2, int(rng.choice([3, 4]))
        row = int(rng.integers(n))
        return {"x": cleaned(np.array([friendly_row(rng, d) for _ in range(n)])),
                "gamma": cleaned(rng.choice(GAMMAS, size=d)), "beta": cleaned(rng.choice(BETAS, size=d)),
                "row": row, "xhat_at": [int(rng.integers(n)), int(rng.integers(d))]}

    def check_params(self, params) -> dict:
        p = Params(params, ("x", "gamma", "beta"), ("row", "xhat_at"))
        x = p.matrix("x", -100, 100, rows=range(1, 5), cols=range(2, 7))
        n, d = len(x), len(x[0])
        if any(len(set(r)) == 1 for r in x):
            raise ParamsError("params.x: 値がすべて等しい行は分散が 0 で、正規化できません",
                              "params.x: a row of equal values has variance 0 and cannot be normalized",
                              field="params.x")
        out: dict[str, Any] = {"x": x, "gamma": p.vector("gamma", -100, 100, sizes=(d,)),
                               "beta": p.vector("beta", -100, 100, sizes=(d,))}
        out["row"] = p.index("row", (n,))[0] if p.has("row") else 0
        out["xhat_at"] = p.index("xhat_at", (n, d)) if p.has("xhat_at") else [out["row"], 0]
        return out

    def build(self, seed, params, layout, drawn) -> Exercise:
        x, gamma, beta = (np.asarray(params[k], dtype=float) for k in ("x", "gamma", "beta"))
        (xn, xd), row, d = params["xhat_at"], params["row"], x.shape[1]
        eng = run(layer_norm, x, gamma, beta)
        layer = LayerNormalization(gamma, beta)
        require_close("y (book layer)", eng["y"], layer.forward(x))
        require_close("x̂ (book layer)", eng["xn"], layer.xn)
        wrong = {mid: run(forward, x, gamma, beta) for mid, forward in LN_MISTAKES.items()}
        scale = float(np.abs(gamma).max() + np.abs(beta).max())
        xhat = float(snap(eng["xn"][xn, xd], 1.0))
        y_row = tuple(float(v) for v in snap(eng["y"][row], scale))
        if drawn and guessable(xhat, params):
            raise Rejected("guessable", f"xhat = {xhat:g}")
        mistakes = {"xhat": told_apart(xhat, {m: float(snap(w["xn"][xn, xd], 1.0)) for m, w in wrong.items()}, drawn),
                    "y_row": vector_mistakes("y_row", y_row, {m: snap(w["y"][row], scale) for m, w in wrong.items()},
                                             drawn, bears=tuple(LN_MISTAKES))}
        parts = [Part("xhat", "value", t(f"正規化した値 `xn[{xn}, {xd}]`（$\\hat{{x}}$）を求めなさい。",
                                         f"Find the normalized value `xn[{xn}, {xd}]` ($\\hat{{x}}$)."), PRECISION),
                 Part("y_row", "vector", t(
                     f"出力の行 `y[{row}]`（形 ({d},)）を求め、要素をカンマで区切って入力しなさい（例: 1.5, -2, 0.25）。",
                     f"Find the output row `y[{row}]` (shape ({d},)); type its elements separated by commas "
                     "(e.g. 1.5, -2, 0.25)."), PRECISION, shape=(d,))]
        graph, full = graph_views(eng["out"], inputs=("x", "gamma", "beta"))
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=ln_statement(x, gamma, beta),
            params=dict(params), parts=parts, answers={"xhat": xhat, "y_row": ArrayKey(y_row, (d,))},
            mistakes=mistakes, graph=graph, solution=ln_solution(x, eng, full),
            hints=self.hints, explanation=self.explanation)


def ln_statement(x, gamma, beta) -> dict:
    n, d = x.shape
    defs = (r"$$\mu_{n} = \frac{1}{D}\sum_{d} x_{nd}, \quad \sigma^2_{n} = \frac{1}{D}\sum_{d} (x_{nd} - \mu_{n})^2, "
            r"\quad \hat{x}_{nd} = \frac{x_{nd} - \mu_{n}}{\sqrt{\sigma^2_{n} + \varepsilon}}, \quad "
            r"y_{nd} = \gamma_{d} \hat{x}_{nd} + \beta_{d}$$")
    given = rf"$$x = {pmatrix(x)}, \quad \gamma = {pmatrix(gamma)}, \quad \beta = {pmatrix(beta)}$$"
    return t(
        f"レイヤ正規化に、$N = {n}$ 個のデータ（行）、$D = {d}$ 個の特徴（列）の入力 $x$ を与えます。各データについて次を"
        f"計算します（$\\varepsilon = 10^{{-7}}$ は答えにほとんど影響しません）。\n\n{defs}\n\n{given}\n\n"
        "本のコードの名前（`xn` が $\\hat{x}$）で問います。添字は numpy と同じく 0 始まりです。有効数字3桁で答えなさい。",
        f"Layer normalization gets the input $x$ of $N = {n}$ samples (rows) and $D = {d}$ features (columns). "
        f"For each sample it computes the following ($\\varepsilon = 10^{{-7}}$ barely changes the answers).\n\n"
        f"{defs}\n\n{given}\n\nThe questions use the book's names (`xn` is $\\hat{{x}}$). Indices start at 0, as in "
        "numpy. Give 3 significant figures.")


LN_HEADINGS = {"forward": t("各データ（行）の統計量", "Each sample's (row's) statistics"),
               "backward": t("正規化と出力", "Normalizing, then scale and shift")}


def ln_solution(x, eng, full) -> dict:
    mu, var = x.mean(axis=-1, keepdims=True), x.var(axis=-1, keepdims=True)
    forward = [rf"$\mu = {pmatrix(mu, 4)}, \quad \sigma^2 = {pmatrix(var, 4)}, \quad "
               rf"\sqrt{{\sigma^2 + \varepsilon}} = {pmatrix(np.sqrt(var + LN_EPS), 4)}$"]
    backward = [rf"$\hat{{x}} = \frac{{x - \mu}}{{\sqrt{{\sigma^2 + \varepsilon}}}} = {pmatrix(eng['xn'], 4)}$",
                rf"$y = \gamma \odot \hat{{x}} + \beta = {pmatrix(eng['y'], 4)}$"]
    return solution(forward, backward, full, headings=LN_HEADINGS)


# =============================================================================== concepts
SHAPES_N, SHAPES_D = np.array([16, 32, 64, 128, 256]), np.array([10, 20, 50, 100, 784])
MOMENTA, RUNNING_MEANS, RUNNING_VARS = np.array([0.9, 0.8, 0.7]), np.array([-1.0, 0.0, 0.5, 2.0]), np.array([0.5, 1.0, 2.0])


def axis_options(n: int, d: int, layer: str) -> list:
    """(ja, en, misconception) for the statistics' axis; the first is right for ``layer``."""
    batch = (f"axis=0（バッチ方向）：特徴ごとに N = {n} 個のデータの平均・分散を取る（平均の形は (D,) = ({d},)）",
             f"axis=0 (over the batch): per feature, the mean and variance of the N = {n} samples "
             f"(the mean has shape (D,) = ({d},))")
    features = (f"axis=1（最後の軸、特徴方向）：データごとに D = {d} 個の特徴の平均・分散を取る（平均の形は (N, 1) = ({n}, 1)）",
                f"axis=1 (the last axis, over the features): per sample, the mean and variance of its D = {d} "
                f"features (the mean has shape (N, 1) = ({n}, 1))")
    everything = ("すべての要素をまとめて 1 つの平均・分散を取る（平均はスカラー）",
                  "one mean and variance over all the elements together (the mean is a scalar)")
    if layer == "bn":
        return [(*batch, None), (*features, "bn_wrong_axis"), (*everything, "wrong_choice")]
    return [(*features, None), (*batch, "ln_wrong_axis"), (*everything, "wrong_choice")]


INFERENCE_OPTIONS = [
    ("学習中に momentum を使って更新し続けた移動平均 running_mean と running_var",
     "running_mean and running_var, the moving averages updated with momentum during training", None),
    ("推論に入力したミニバッチ自身の平均と分散", "the mean and variance of the mini-batch being predicted",
     "bn_batch_stats_at_inference"),
    ("正規化はせず（x̂ = x として）γ と β だけを使う", "no normalization (x̂ = x), only γ and β", "wrong_choice"),
]
WHY_LN_OPTIONS = [
    ("平均と分散を各データの中だけ（特徴方向）で計算するので、バッチサイズや同じバッチの他のデータに依存せず、"
     "学習時と推論時で同じ計算になるから",
     "its mean and variance come from each sample alone (over its features), so they depend neither on the "
     "batch size nor on the other samples, and training and inference compute the same thing", None),
    ("バッチ全体の平均と分散で正規化するので、バッチが大きいほど統計量が安定するから",
     "it normalizes with the mean and variance of the whole batch, which are steadier for larger batches",
     "ln_wrong_axis"),
    ("学習するパラメータ γ, β を持たないので計算が軽いから",
     "it has no learnable parameters γ and β, so it is cheaper", "wrong_choice"),
]


def choice_part(pid: str, prompt: dict, options: list, layout) -> tuple[Part, int, dict]:
    order = [int(i) for i in layout.permutation(len(options))]
    choices = tuple(t(options[i][0], options[i][1]) for i in order)
    named = {options[i][2]: k for k, i in enumerate(order) if options[i][2]}
    return Part(pid, "choice", prompt, None, choices), order.index(0), named


def running_update(batch, running_mean: float, running_var: float, momentum: float) -> tuple[float, float]:
    """The book's layer after one training forward of one feature's mini-batch."""
    layer = BatchNormalization(np.ones(1), np.zeros(1), momentum=momentum,
                               running_mean=np.array([running_mean], dtype=float),
                               running_var=np.array([running_var], dtype=float))
    layer.forward(np.asarray(batch, dtype=float).reshape(-1, 1))
    return float(layer.running_mean[0]), float(layer.running_var[0])


class NormalizationConcepts(BuiltinGenerator):
    slug = "batchnorm-concepts"
    version = 1
    family = "normalization"
    difficulty = 1
    topics = ("normalization",)
    syllabus = ("3-7",)
    title = t("バッチ正規化とレイヤ正規化の考え方", "Batch and layer normalization: the ideas")
    statement = t("統計量を取る軸、推論時の移動平均、レイヤ正規化の利点を選び、移動平均の更新を1回計算する問題です。",
                  "Choose the axis of the statistics, what inference uses and why layer normalization helps; "
                  "compute one update of the moving averages.")
    source = ("built-in generator exercises.generators.layernorm.NormalizationConcepts "
              "(ゼロから作るDeep Learning 6.3 Batch Normalization, common/layers.py)")
    params_doc = t(
        "N, D（2〜4096 の互いに異なる整数、入力 x の形）、batch（ある特徴のミニバッチの値、2〜8 個、-100〜100）、"
        "running_mean（-100〜100）、running_var（0〜100）、momentum（0 と 1 の間）。",
        "N, D (distinct integers from 2 to 4096, the shape of x), batch (one feature's values in a mini-batch, "
        "2 to 8 numbers in -100..100), running_mean (-100..100), running_var (0..100), momentum (between 0 and 1).")
    hints = (
        t("バッチ正規化は特徴ごとにバッチ方向、レイヤ正規化はデータごとに特徴方向の統計量を使います。",
          "Batch normalization takes statistics per feature over the batch; layer normalization per sample over its features."),
        t("running_mean = momentum × running_mean + (1 − momentum) × (バッチの平均)。分散も同じ形で、N で割る分散を使います。",
          "running_mean = momentum × running_mean + (1 − momentum) × (the batch mean); the variance likewise, "
          "with the variance divided by N."),
    )
    explanation = t(
        "バッチ正規化は (N, D) の入力の各特徴について、ミニバッチの N 個のデータの平均・分散（axis=0）で正規化します。"
        "推論時はバッチに頼れないので、学習中に running = momentum × running + (1 − momentum) × (バッチの統計量) と"
        "更新した移動平均を使います。レイヤ正規化は各データの D 個の特徴の平均・分散（最後の軸）で正規化するので、"
        "バッチサイズや他のデータに依存せず、学習時と推論時で同じ計算になります。系列の長さが変わる RNN や、"
        "Transformer、小さなバッチでの学習に向いているのはこのためです。γ と β はどちらの正規化にもあります。",
        "Batch normalization normalizes each feature of an (N, D) input with the mean and variance of the N samples "
        "of the mini-batch (axis=0). Inference cannot rely on a batch, so it uses the moving averages updated "
        "during training as running = momentum × running + (1 − momentum) × (the batch statistic). Layer "
        "normalization normalizes with the mean and variance of each sample's D features (the last axis), so it "
        "depends neither on the batch size nor on the other samples, and training and inference compute the same "
        "thing: that is why it suits RNNs (whose sequence lengths vary), Transformers and small batches. Both "
        "have γ and β.")

    def draw(self, rng) -> dict:
        batch = friendly_row(rng, 4)
        return {"N": int(rng.choice(SHAPES_N)), "D": int(rng.choice(SHAPES_D)), "batch": cleaned(batch),
                "running_mean": float(rng.choice(RUNNING_MEANS)), "running_var": float(rng.choice(RUNNING_VARS)),
                "momentum": float(rng.choice(MOMENTA))}

    def check_params(self, params) -> dict:
        p = Params(params, ("N", "D", "batch", "running_mean", "running_var", "momentum"))
        out = {"N": p.number("N", 2, 4096, integer=True), "D": p.number("D", 2, 4096, integer=True),
               "batch": p.vector("batch", -100, 100, sizes=range(2, 9)),
               "running_mean": p.number("running_mean", -100, 100), "running_var": p.number("running_var", 0, 100),
               "momentum": p.number("momentum", 0, 1)}
        if out["N"] == out["D"]:
            raise ParamsError("N と D は区別できるように異なる値にしてください",
                              "N and D must differ so that the shapes can be told apart", field="params.D")
        if out["momentum"] in (0, 1):
            raise ParamsError("params.momentum: 0 と 1 の間の値にしてください（両端は含みません）",
                              "params.momentum: must lie strictly between 0 and 1", field="params.momentum")
        return out

    def build(self, seed, params, layout, drawn) -> Exercise:
        n, d, m = params["N"], params["D"], params["momentum"]
        batch, rm, rv = np.asarray(params["batch"], dtype=float), params["running_mean"], params["running_var"]
        new_mean, new_var = running_update(batch, rm, rv, m)
        require_close("running_mean (formula)", new_mean, m * rm + (1 - m) * batch.mean())
        require_close("running_var (formula)", new_var, m * rv + (1 - m) * np.mean((batch - batch.mean()) ** 2))
        if drawn and any(guessable(v, params) for v in (new_mean, new_var)):
            raise Rejected("guessable", f"running_mean {new_mean:g}, running_var {new_var:g}")
        swapped = running_update(batch, rm, rv, 1 - m)
        found = {"running_mean": {"bn_momentum_swapped": swapped[0]},
                 "running_var": {"bn_momentum_swapped": swapped[1],
                                 "bn_unbiased_variance": m * rv + (1 - m) * np.var(batch, ddof=1)}}
        answers = {"running_mean": new_mean, "running_var": new_var}
        mistakes = {pid: told_apart(answers[pid], found[pid], drawn) for pid in answers}
        parts = []
        for pid, prompt, options in concept_questions(n, d):
            part, answers[pid], mistakes[pid] = choice_part(pid, prompt, options, layout)
            parts.append(part)
        parts[3:3] = [Part("running_mean", "value", t("更新後の `running_mean` を求めなさい。",
                                                       "Find `running_mean` after the update."), PRECISION),
                      Part("running_var", "value", t("更新後の `running_var` を求めなさい。",
                                                      "Find `running_var` after the update."), PRECISION)]
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=concepts_statement(params),
            params=dict(params), parts=parts, answers=answers, mistakes=mistakes, graph=None,
            solution=concepts_solution(params, new_mean, new_var), hints=self.hints, explanation=self.explanation)


def concept_questions(n: int, d: int) -> list:
    return [
        ("bn_axis", t("バッチ正規化が平均と分散を計算する向きはどれですか。",
                      "Over what does batch normalization take its mean and variance?"), axis_options(n, d, "bn")),
        ("ln_axis", t("レイヤ正規化が平均と分散を計算する向きはどれですか。",
                      "Over what does layer normalization take its mean and variance?"), axis_options(n, d, "ln")),
        ("inference", t("推論時（`train_flg=False`）のバッチ正規化は、何を使って正規化しますか。",
                        "At inference (`train_flg=False`), what does batch normalization normalize with?"),
         INFERENCE_OPTIONS),
        ("why_ln", t("RNN や Transformer、小さなバッチでの学習でレイヤ正規化がよく使われる理由はどれですか。",
                     "Why is layer normalization the usual choice in RNNs, Transformers and small-batch training?"),
         WHY_LN_OPTIONS),
    ]


def concepts_statement(params: dict) -> dict:
    n, d, m = params["N"], params["D"], num(params["momentum"])
    batch = ", ".join(num(v) for v in params["batch"])
    rm, rv = num(params["running_mean"]), num(params["running_var"])
    code = ("```python\nself.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu\n"
            "self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var\n```")
    return t(
        f"全結合層の出力 $x$（形 $(N, D) = ({n}, {d})$、$N$ はバッチサイズ、$D$ は特徴の数）に、バッチ正規化またはレイヤ正規化を"
        f"適用します。\n\n本の `BatchNormalization` は、学習時（`train_flg=True`）の順伝播でミニバッチの平均 `mu` と分散 `var`"
        f"（$N$ で割る）を求め、次のように移動平均を更新します。\n\n{code}\n\nある特徴について `running_mean` $= {rm}$、"
        f"`running_var` $= {rv}$、`momentum` $= {m}$ のとき、その特徴の値が $({batch})$ のミニバッチで学習時の順伝播を"
        "1回行いました。数値は有効数字3桁で答えなさい。",
        f"Batch or layer normalization is applied to the output $x$ of a fully connected layer (shape "
        f"$(N, D) = ({n}, {d})$: $N$ is the batch size, $D$ the number of features).\n\nIn training "
        "(`train_flg=True`) the book's `BatchNormalization` takes the mini-batch mean `mu` and variance `var` "
        f"(divided by $N$) and updates its moving averages:\n\n{code}\n\nFor one feature with `running_mean` "
        f"$= {rm}$, `running_var` $= {rv}$ and `momentum` $= {m}$, one training forward runs on a mini-batch in "
        f"which that feature takes the values $({batch})$. Give numbers to 3 significant figures.")


CONCEPT_HEADINGS = {"forward": t("ミニバッチの統計量", "The mini-batch's statistics"),
                    "backward": t("移動平均の更新", "Updating the moving averages")}


def concepts_solution(params: dict, new_mean: float, new_var: float) -> dict:
    batch, m = np.asarray(params["batch"], dtype=float), params["momentum"]
    mu, var, size = batch.mean(), batch.var(), len(batch)
    terms = " + ".join(pnum(v) for v in batch)
    forward = [rf"$\mu_B = \frac{{1}}{{{size}}}({terms}) = {num(mu, 4)}$",
               rf"$\sigma_B^2 = \frac{{1}}{{{size}}}\sum (x - \mu_B)^2 = {num(var, 4)}$"]
    backward = [rf"$\mathrm{{running\_mean}} = {num(m)} \times {pnum(params['running_mean'])} + {num(1 - m, 4)} \times "
                rf"{pnum(mu, 4)} = {num(new_mean, 4)}$",
                rf"$\mathrm{{running\_var}} = {num(m)} \times {num(params['running_var'])} + {num(1 - m, 4)} \times "
                rf"{num(var, 4)} = {num(new_var, 4)}$"]
    return solution(forward, backward, None, headings=CONCEPT_HEADINGS)

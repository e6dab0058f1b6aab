"""Variance propagation through a layer (family ``initialization``): the argument behind the
Xavier and He initializations (ゼロから作るDeep Learning 6.2). For z = Σ_{i=1..n} w_i x_i with
independent zero-mean weights of std σ and zero-mean inputs of variance v, Var(z) = n σ² v;
σ = 1/√n keeps Var(z) = v (Xavier); z is symmetric, so E[relu(z)²] = Var(z)/2 and σ = √(2/n)
keeps the second moment through ReLU (He); L linear layers multiply the variance by (n σ²)^L.
A choice part asks what the book's histograms of sigmoid activations show.

These are moments of random variables, not derivatives: the autodiff engine has nothing to
compute here, so it is not used. Each closed form is checked against a second computation
written independently (the moment algebra term by term, Var(w x) = E[w²]E[x²] − (E[w]E[x])²
summed over the n terms; the L layers iterated one at a time; n σ_Xavier² = 1 and
n σ_He²/2 = 1) and against Monte Carlo from ``layout`` with Gaussian w and x:

- literally Σ w_i x_i on K = 32768 // n rows: the products' mean square against σ² v and the
  sums' against n σ² v, within 8 standard errors computed from the known kurtosis (Gaussian
  products have E[(wx)⁴] = 9σ⁴v², so E[z⁴] = (3 + 6/n)(nσ²v)²): a coarse check that catches
  a missing n or σ for σ²;
- 20000 exact draws of the same z (given x, Σ w_i x_i ~ N(0, σ² Σ x_i²), and Σ x_i² ~ v χ²_n):
  the mean of z² against n σ² v and the mean of relu(z)² against n σ² v / 2, within 6
  standard errors (about 2 % and 2.4 % of the value: a factor 2 is caught).
A failed check is a broken generator (``Rejected(fatal=True)``), never a redraw.
"""
from __future__ import annotations

import numpy as np

from ..errors import Rejected
from ..exercise import Exercise, Part
from .base import BuiltinGenerator, Params, differing, num, require_close, solution, t
from .initialization import PRECISION, coinciding, shuffled

SIZES = (20, 50, 64, 100, 128, 200, 256)
STDS = (0.01, 0.02, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.5)
VARIANCES = (0.25, 0.5, 1, 2, 3, 4)
HISTOGRAMS = ("std1", "std0.01", "xavier")
BUDGET = 32768  # products of the literal Monte Carlo sum
SAMPLE = 20000  # exact draws of z
SHOWN = {"std1": t("標準偏差 1 のガウス分布", "a Gaussian with std 1"),
         "std0.01": t("標準偏差 0.01 のガウス分布", "a Gaussian with std 0.01"),
         "xavier": t("Xavier の初期値（標準偏差 $1/\\sqrt{100} = 0.1$）", "Xavier's initialization (std $1/\\sqrt{100} = 0.1$)")}

# (text, kind, why); per setting, the right kind and the misconception each other kind is.
HISTOGRAM_OPTIONS = [
    (t("0 と 1 に偏って分布する。sigmoid の微分が 0 に近づくので、逆伝播で勾配が消失する",
       "Crowded at 0 and 1: sigmoid's derivative is near 0 there, so the gradients vanish in backpropagation"),
     "saturated",
     t("標準偏差 1 では n σ² = 100 で z が大きくなり、sigmoid が飽和します（本の図 6-10）",
       "with std 1, n σ² = 100 makes z large and saturates the sigmoid (the book's Figure 6-10)")),
    (t("0.5 付近に集中する。勾配消失は起きにくいが、どのニューロンもほぼ同じ値を出すので表現力が失われる",
       "Concentrated near 0.5: no vanishing gradient to speak of, but all units output nearly the same value, "
       "so the network loses its expressiveness"),
     "middle",
     t("標準偏差 0.01 では n σ² = 0.01 で z がほぼ 0 になり、sigmoid(0) = 0.5 付近に集まります（図 6-11）",
       "with std 0.01, n σ² = 0.01 shrinks z to about 0 and the outputs gather near sigmoid(0) = 0.5 (Figure 6-11)")),
    (t("どの層でも適度な広がりを持って分布する", "Spread out with a reasonable width in every layer"), "spread",
     t("Xavier の初期値では n σ² = 1 で z の分散が層を通して保たれ、広がりのある分布になります（図 6-13）",
       "with Xavier's initialization n σ² = 1 keeps the variance of z through the layers: a spread-out "
       "distribution (Figure 6-13)")),
    (t("層を重ねるごとに値が大きくなり、やがてオーバーフローして発散する",
       "The values grow layer after layer until they overflow"), "overflow",
     t("sigmoid の出力は常に 0 と 1 の間にあり、発散しません。大きくなりうるのは活性化関数に入る前の z です",
       "a sigmoid's output always lies between 0 and 1 and cannot blow up; only z, before the activation, can grow")),
]
RIGHT = {"std1": "saturated", "std0.01": "middle", "xavier": "spread"}
TAGS = {"std1": {"middle": "init_scale_effects_swapped", "overflow": "wrong_choice"},
        "std0.01": {"saturated": "init_scale_effects_swapped", "overflow": "wrong_choice"},
        "xavier": {"overflow": "wrong_choice"}}


def closed_forms(n: int, sigma: float, v: float, layers: int) -> dict:
    var = n * sigma ** 2 * v
    return {"var_z": var, "xavier": 1.0 / np.sqrt(n), "relu_moment": var / 2, "he": np.sqrt(2.0 / n),
            "deep": v * (n * sigma ** 2) ** layers}


def moment_algebra(n: int, sigma: float, v: float, layers: int) -> dict:
    """The same numbers the long way: per-term moments summed, the layers one at a time, and
    the He std solved from n σ² E[relu(z)²] = Var(z) with E[relu(z)²] = E[z²]/2 (z symmetric)."""
    ew, ew2, ex, ex2 = 0.0, sigma ** 2, 0.0, v  # zero-mean weights and inputs
    var = float(np.sum(np.full(n, ew2 * ex2 - (ew * ex) ** 2)))
    deep = v
    for _ in range(layers):
        deep = float(np.sum(np.full(n, sigma ** 2 * deep)))
    moment = var / 2
    return {"var_z": var, "xavier": np.sqrt(v / (n * v)), "relu_moment": moment,
            "he": np.sqrt(var / (n * moment)), "deep": deep}


def mistakes(n: int, sigma: float, v: float, layers: int) -> dict:
    """Each slip's answer: σ²v without n, σ for σ², the ReLU halving forgotten, layers added."""
    s2, g = sigma ** 2, n * sigma ** 2
    return {"var_z": {"variance_not_times_n": s2 * v, "std_for_variance": n * sigma * v},
            "xavier": {"init_variance_for_std": 1.0 / n, "variance_not_times_n": 1.0},
            "relu_moment": {"relu_variance_not_halved": g * v, "variance_not_times_n": s2 * v / 2,
                            "std_for_variance": n * sigma * v / 2},
            "he": {"relu_variance_not_halved": 1.0 / np.sqrt(n), "init_variance_for_std": 2.0 / n},
            "deep": {"layers_added_not_multiplied": layers * g * v, "variance_not_times_n": v * s2 ** layers,
                     "std_for_variance": v * (n * sigma) ** layers}}


def _within(what: str, estimate: float, exact: float, se: float, k: float) -> None:
    if abs(estimate - exact) > k * se:
        raise Rejected("gradient_check", f"{what}: Monte Carlo {estimate:.6g} vs {exact:.6g} "
                                         f"(more than {k:g} standard errors {se:.3g})", fatal=True)


def monte_carlo(layout, n: int, sigma: float, v: float, claimed: dict) -> None:
    """The ``claimed`` E[(w x)²] ("term"), Var(z) ("var_z") and E[relu(z)²] ("relu_moment")
    against samples of z = Σ w_i x_i (see the module's docstring); Rejected if one is off."""
    kurt = 3.0 + 6.0 / n
    rows = max(BUDGET // n, 1)
    products = (layout.standard_normal((rows, n)) * sigma) * (layout.standard_normal((rows, n)) * np.sqrt(v))
    term, var, relu = claimed["term"], claimed["var_z"], claimed["relu_moment"]
    _within("E[(w x)²]", float(np.mean(products ** 2)), term, term * np.sqrt(8.0 / products.size), 8)
    z = products.sum(axis=1)
    _within("Var(Σ w x)", float(np.mean(z ** 2)), var, var * np.sqrt((kurt - 1) / rows), 8)
    exact = sigma * np.sqrt(v * layout.chisquare(n, SAMPLE)) * layout.standard_normal(SAMPLE)
    _within("Var(z), exact draws", float(np.mean(exact ** 2)), var, var * np.sqrt((kurt - 1) / SAMPLE), 6)
    relu2 = np.maximum(exact, 0.0) ** 2
    _within("E[relu(z)²]", float(np.mean(relu2)), relu, 2 * relu * np.sqrt((kurt / 2 - 0.25) / SAMPLE), 6)


class InitVariance(BuiltinGenerator):
    slug = "init-variance-propagation"
    version = 1
    family = "initialization"
    difficulty = 2
    topics = ("initialization",)
    syllabus = ("3-2-4",)
    title = t("重みの初期値：層を通る分散の伝わり方", "Weight initialization: how the variance passes through layers")
    statement = t("z = Σ w x の分散 n σ² v から Xavier と He の初期値を導き、層を重ねたときの分散の増え方・減り方と、"
                  "本のアクティベーション分布の実験の結果を答える問題です。",
                  "From the variance n σ² v of z = Σ w x, derive the Xavier and He initializations, find how the "
                  "variance grows or shrinks through L layers, and read the book's activation-distribution experiment.")
    source = "built-in generator exercises.generators.init_variance.InitVariance (ゼロから作るDeep Learning 6.2)"
    params_doc = t(
        "n（入力の数、2〜1000 の整数）、sigma（重みの標準偏差、0.0001〜10）、v（入力の分散、0.001〜100）、"
        "L（層の数、2〜50 の整数）、histogram（\"std1\"・\"std0.01\"・\"xavier\"：ヒストグラムを問う初期値）。"
        "答えが 0・1・与えられた数になるものや、L 層後の分散が 1e-12〜1e12 の外になるものは使えません。",
        "n (the number of inputs, an integer 2..1000), sigma (the weights' std, 0.0001..10), v (the inputs' "
        "variance, 0.001..100), L (the number of layers, an integer 2..50), histogram (\"std1\", \"std0.01\" or "
        "\"xavier\": the initialization whose histogram is asked). Parameters making an answer 0, 1 or a given "
        "number, or the variance after L layers fall outside 1e-12..1e12, are refused.")
    hints = (
        t("独立な確率変数の和の分散は分散の和です。平均 0 で独立な w と x の積の分散は $\\sigma^2 v$ です。",
          "The variance of a sum of independent variables is the sum of their variances; for independent zero-mean "
          "w and x, Var(w x) = $\\sigma^2 v$."),
        t("z は 0 について対称なので、ReLU で負の側を 0 にすると $E[\\mathrm{relu}(z)^2]$ は $E[z^2]$ のちょうど半分です。",
          "z is symmetric about 0, so zeroing its negative side leaves $E[\\mathrm{relu}(z)^2]$ exactly half of "
          "$E[z^2]$."),
        t("1 層ごとに分散は $n\\sigma^2$ 倍されます。L 層なら、その倍率を L 回掛けます。",
          "Each layer multiplies the variance by $n\\sigma^2$; L layers multiply by it L times."),
    )

    def draw(self, rng) -> dict:
        return {"n": int(rng.choice(SIZES)), "sigma": float(rng.choice(STDS)), "v": float(rng.choice(VARIANCES)),
                "L": int(rng.integers(3, 9)), "histogram": HISTOGRAMS[int(rng.integers(len(HISTOGRAMS)))]}

    def check_params(self, params) -> dict:
        p = Params(params, ("n", "sigma", "v", "L", "histogram"))
        return {"n": int(p.number("n", 2, 1000, integer=True)), "sigma": p.number("sigma", 1e-4, 10),
                "v": p.number("v", 1e-3, 100), "L": int(p.number("L", 2, 50, integer=True)),
                "histogram": p.one_of("histogram", HISTOGRAMS)}

    def build(self, seed, params, layout, drawn) -> Exercise:
        n, sigma, v, layers = params["n"], params["sigma"], params["v"], params["L"]
        answers = {k: float(x) for k, x in closed_forms(n, sigma, v, layers).items()}
        other = moment_algebra(n, sigma, v, layers)
        for key, value in answers.items():
            require_close(f"{key}: closed form vs the moment algebra", value, other[key])
        require_close("Xavier: n σ² = 1", n * answers["xavier"] ** 2, 1.0)
        require_close("He: n σ² E[relu(z)²] = Var(z)", n * answers["he"] ** 2 * answers["relu_moment"], answers["var_z"])
        bound = 1e6 if drawn else 1e12  # drawn: readable numbers; explicit: the book's 1e10 too
        if not 1 / bound <= answers["deep"] <= bound:
            raise Rejected("degenerate", f"the variance after {layers} layers, {answers['deep']:.3g}, is out of range")
        for key, value in answers.items():
            if any(abs(value - g) <= PRECISION.tolerance(value) for g in (0.0, 1.0, n, sigma, v, layers)):
                raise Rejected("degenerate", f"{key} = {value:.6g} is 0, 1 or a given number")
        monte_carlo(layout, n, sigma, v, {"term": sigma ** 2 * v, "var_z": answers["var_z"],
                                          "relu_moment": answers["relu_moment"]})
        wrong = {pid: {k: float(x) for k, x in found.items()} for pid, found in mistakes(n, sigma, v, layers).items()}
        if drawn and any(coinciding(found) for found in wrong.values()):
            raise Rejected("indistinct_misconception", "two mistakes give the same number")
        found = {pid: differing(PRECISION, answers[pid], wrong[pid], drawn) for pid in wrong}
        setting = params["histogram"]
        texts, key, named, whys = shuffled(HISTOGRAM_OPTIONS, [int(i) for i in layout.permutation(4)],
                                           RIGHT[setting], TAGS[setting])
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_statement(n, sigma, v, layers),
            params=dict(params), parts=_parts(layers, setting, texts), answers={**answers, "histogram": key},
            mistakes={**found, "histogram": named}, graph=None, solution=solution(*_solution(params, answers)),
            hints=self.hints, explanation=_explanation(texts, key, whys))


def _parts(layers: int, setting: str, texts: tuple) -> list:
    def value(pid, ja, en):
        return Part(pid, "value", t(ja, en), PRECISION)
    shown = SHOWN[setting]
    return [
        value("var_z", "$\\mathrm{Var}(z)$ を求めなさい。", "Find $\\mathrm{Var}(z)$."),
        value("xavier", "$\\mathrm{Var}(z) = v$（入力と同じ分散）となる重みの標準偏差 $\\sigma$ を求めなさい"
                        "（Xavier の初期値）。",
              "Find the weights' std $\\sigma$ that makes $\\mathrm{Var}(z) = v$, the inputs' variance (Xavier's "
              "initialization)."),
        value("relu_moment", "与えられた $\\sigma$ のとき、$a = \\mathrm{relu}(z) = \\max(0, z)$ の 2 乗の平均 $E[a^2]$ を"
                             "求めなさい。",
              "With the given $\\sigma$, find the mean square $E[a^2]$ of $a = \\mathrm{relu}(z) = \\max(0, z)$."),
        value("he", "次の層は ReLU の出力 $a_1, \\ldots, a_n$（それぞれ上の $a$ と同じ分布で互いに独立）を入力として "
                    "$z' = \\sum_{i=1}^{n} w'_i a_i$ を計算します（$w'_i$ は $a$ と独立で平均 0）。$\\mathrm{Var}(z') = "
                    "\\mathrm{Var}(z)$ となる $w'_i$ の標準偏差を求めなさい（He の初期値）。",
              "The next layer takes the ReLU outputs $a_1, \\ldots, a_n$ (independent, each distributed as $a$ above) "
              "and computes $z' = \\sum_{i=1}^{n} w'_i a_i$ ($w'_i$ zero-mean and independent of $a$). Find the std "
              "of $w'_i$ that makes $\\mathrm{Var}(z') = \\mathrm{Var}(z)$ (He's initialization)."),
        value("deep", f"活性化関数のない（恒等写像の）全結合層を ${layers}$ 層重ねます。どの層も入力の数は $n$、重みは互いに"
                      f"独立で平均 0・標準偏差 $\\sigma$ です。最初の入力の分散が $v$ のとき、${layers}$ 層目の出力の分散を"
                      "求めなさい。",
              f"Stack ${layers}$ fully connected layers without activation (the identity), each with $n$ inputs and "
              f"independent zero-mean weights of std $\\sigma$. With input variance $v$, find the variance of the "
              f"output of layer ${layers}$."),
        Part("histogram", "choice", t(
            f"本の 6.2.2 の実験（5 層・各層 100 ノード・活性化関数 sigmoid）で、重みを{shown['ja']}で初期化したとき、"
            "各層のアクティベーション（sigmoid の出力）のヒストグラムについて正しいものを選びなさい。",
            f"In the book's experiment of 6.2.2 (5 layers of 100 nodes, sigmoid activation), with the weights drawn "
            f"from {shown['en']}, choose what the histograms of each layer's activations (the sigmoid outputs) show."),
             None, texts),
    ]


def _statement(n: int, sigma: float, v: float, layers: int) -> dict:
    return t(
        f"ある層の出力 $z = \\sum_{{i=1}}^{{n}} w_i x_i$ を考えます（$n = {n}$）。重み $w_i$ は互いに独立で平均 0・標準偏差 "
        f"$\\sigma = {num(sigma)}$、入力 $x_i$ は互いに、また重みとも独立で平均 0・分散 $v = {num(v)}$ とします。"
        "$\\mathrm{Var}$ は分散、$E$ は平均（期待値）を表します。",
        f"Consider a layer's output $z = \\sum_{{i=1}}^{{n}} w_i x_i$ ($n = {n}$). The weights $w_i$ are independent, "
        f"zero-mean with std $\\sigma = {num(sigma)}$; the inputs $x_i$ are independent of each other and of the "
        f"weights, zero-mean with variance $v = {num(v)}$. $\\mathrm{{Var}}$ is the variance and $E$ the mean "
        "(expectation).")


def _solution(params: dict, a: dict) -> tuple[list, list]:
    n, sigma, v, layers = params["n"], params["sigma"], params["v"], params["L"]
    forward = [rf"$n = {n},\ \sigma = {num(sigma)},\ v = {num(v)},\ L = {layers}$",
               r"$\mathrm{Var}(w_i x_i) = E[w_i^2]\,E[x_i^2] = \sigma^2 v$"]
    backward = [
        rf"$\mathrm{{Var}}(z) = n\sigma^2 v = {n} \times {num(sigma)}^2 \times {num(v)} = {num(a['var_z'], 4)}$",
        rf"$n\sigma^2 v = v \Rightarrow \sigma = \frac{{1}}{{\sqrt{{n}}}} = {num(a['xavier'], 4)}$",
        rf"$E[\mathrm{{relu}}(z)^2] = \frac{{\mathrm{{Var}}(z)}}{{2}} = {num(a['relu_moment'], 4)}$",
        rf"$n\sigma'^2 \cdot \frac{{\mathrm{{Var}}(z)}}{{2}} = \mathrm{{Var}}(z) \Rightarrow \sigma' = \sqrt{{\frac{{2}}{{n}}}}"
        rf" = {num(a['he'], 4)}$",
        rf"$v\,(n\sigma^2)^L = {num(v)} \times {num(n * sigma ** 2, 4)}^{{{layers}}} = {num(a['deep'], 4)}$",
    ]
    return forward, backward


def _explanation(texts: tuple, key: int, whys: list) -> dict:
    def notes(lang: str) -> str:
        mark = {"ja": ("（正解）", "（誤り）"), "en": (" (right)", " (wrong)")}[lang]
        colon = "：" if lang == "ja" else ": "
        return "\n".join(f"- {x[lang]}{mark[k != key]}{colon}{w[lang]}" for k, (x, w) in enumerate(zip(texts, whys)))
    return t(
        "平均 0 で独立な重みと入力の積の分散は $\\sigma^2 v$、独立な n 項の和なので $\\mathrm{Var}(z) = n\\sigma^2 v$ です。"
        "分散を保つには $n\\sigma^2 = 1$、つまり $\\sigma = 1/\\sqrt{n}$（Xavier）。ReLU は 0 について対称な z の負の側を 0 に"
        "するので $E[\\mathrm{relu}(z)^2] = \\mathrm{Var}(z)/2$ となり、これを補うには $\\sigma = \\sqrt{2/n}$（He）。"
        "層を重ねると 1 層ごとに分散が $n\\sigma^2$ 倍されるので、L 層で $(n\\sigma^2)^L$ 倍：$n\\sigma^2 > 1$ なら爆発し、"
        f"$< 1$ なら消えていきます。\n\nヒストグラムの選択肢：\n{notes('ja')}",
        "The product of independent zero-mean weight and input has variance $\\sigma^2 v$, and z sums n independent "
        "terms: $\\mathrm{Var}(z) = n\\sigma^2 v$. Keeping the variance needs $n\\sigma^2 = 1$, i.e. $\\sigma = "
        "1/\\sqrt{n}$ (Xavier). ReLU zeroes the negative side of the symmetric z, so $E[\\mathrm{relu}(z)^2] = "
        "\\mathrm{Var}(z)/2$, made up for by $\\sigma = \\sqrt{2/n}$ (He). Each layer multiplies the variance by "
        "$n\\sigma^2$, so L layers multiply it by $(n\\sigma^2)^L$: it explodes when $n\\sigma^2 > 1$ and vanishes "
        f"when $< 1$.\n\nThe options for the histograms:\n{notes('en')}")

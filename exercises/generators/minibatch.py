"""Mini-batch arithmetic (family ``gradient-descent``): iterations per epoch, total iterations,
samples seen, and the number of mini-batches when the batch size does not divide the data.

The answers follow the book's ``iter_per_epoch = max(train_size / batch_size, 1)``
(ゼロから作るDeep Learning 4.5.3) and are checked against an epoch actually split into
mini-batches (``range(0, N, B)``, as a data loader walks it). Misconceptions: the ratio
inverted (B / N), epochs times the batch size, the last smaller batch rounded the other way.
"""
from __future__ import annotations

import math

from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, differing, t
from .descent import build_exercise

EXACT = Precision("decimals", 0)
BATCHES = (32, 50, 64, 100, 128, 200, 250, 500)
PER_EPOCH = (100, 120, 150, 200, 250, 300, 400, 500, 600)
EPOCHS = (5, 10, 20, 30, 50, 100)
OTHER_SIZES = (1000, 1050, 2500, 3000, 5000, 9999, 10000, 12345)


def split(n: int, b: int) -> list[int]:
    """The sizes of the mini-batches of one epoch over ``n`` samples, in order."""
    return [min(b, n - s) for s in range(0, n, b)]


def counts(N: int, B: int, E: int, N2: int) -> dict:
    """The answers from the book's formulas, checked against epochs split into mini-batches."""
    per_epoch = int(max(N / B, 1))
    out = {"per_epoch": per_epoch, "total": E * per_epoch, "samples": E * N,
           "kept": math.ceil(N2 / B), "dropped": N2 // B}
    batches, other = split(N, B), split(N2, B)
    walked = {"per_epoch": len(batches), "total": E * len(batches), "samples": E * sum(batches),
              "kept": len(other), "dropped": sum(1 for s in other if s == B)}
    if walked != out:
        raise Rejected("count_check", f"formulas {out} vs walked epochs {walked}")
    return out


def wrong_counts(N: int, B: int, E: int, N2: int) -> dict:
    return {
        "per_epoch": {"iterations_per_epoch_inverted": B / N},
        "total": {"epochs_times_batch": E * B, "iterations_per_epoch_inverted": E * B / N},
        "samples": {"epochs_times_batch": E * B},
        "kept": {"batch_rounding": N2 // B, "iterations_per_epoch_inverted": B / N2},
        "dropped": {"batch_rounding": math.ceil(N2 / B), "iterations_per_epoch_inverted": B / N2},
    }


PROMPTS = {
    "per_epoch": t("1エポックあたりの繰り返し回数 `iter_per_epoch` を求めなさい。",
                   "Find the number of iterations per epoch, `iter_per_epoch`."),
    "total": t("$E$ エポック学習したときの繰り返し（パラメータ更新）の回数の合計を求めなさい。",
               "Find the total number of iterations (parameter updates) over the $E$ epochs."),
    "samples": t("$E$ エポックの間に使われる訓練データの数の合計（のべ数）を求めなさい。",
                 "Find the total number of training samples used over the $E$ epochs (counting repeats)."),
    "kept": t("データ数 $N' = {n2}$ のとき、最後の $B$ 個に満たないミニバッチも**使う**場合"
              "（`drop_last=False`）の1エポックのミニバッチ数を求めなさい。",
              "With $N' = {n2}$ samples, find the number of mini-batches per epoch when the last, smaller "
              "mini-batch is **kept** (`drop_last=False`)."),
    "dropped": t("データ数 $N' = {n2}$ のとき、最後の $B$ 個に満たないミニバッチを**捨てる**場合"
                 "（`drop_last=True`）の1エポックのミニバッチ数を求めなさい。",
                 "With $N' = {n2}$ samples, find the number of mini-batches per epoch when the last, smaller "
                 "mini-batch is **dropped** (`drop_last=True`)."),
}
LOOP_CODE = """```python
train_size = x_train.shape[0]      # N
batch_size = {B}                    # B
iter_per_epoch = max(train_size / batch_size, 1)
```"""


class MinibatchArithmetic(BuiltinGenerator):
    slug = "minibatch-arithmetic"
    version = 1
    family = "gradient-descent"
    difficulty = 1
    topics = ("optimization",)
    syllabus = ("3-2-1",)
    source = ("built-in generator exercises.generators.minibatch.MinibatchArithmetic "
              "(ゼロから作るDeep Learning 4.2.3 ミニバッチ学習, 4.5.3 テストデータで評価)")
    title = t("ミニバッチ学習の回数の計算", "Counting mini-batch iterations")
    statement = t("訓練データ数・バッチサイズ・エポック数から、1エポックの繰り返し回数、繰り返しの合計、"
                  "使われるデータ数、割り切れないときのミニバッチ数（切り上げ・切り捨て）を求める問題です。",
                  "From the number of samples, the batch size and the epochs: iterations per epoch, total "
                  "iterations, samples seen, and the mini-batches when the batch size does not divide the data "
                  "(rounded up or down).")
    params_doc = t("N（訓練データ数、B の倍数で N/B ≥ 2）、B（バッチサイズ 2〜100000）、E（エポック数 1〜1000）、"
                   "N2（別のデータ数、B より大きく B で割り切れない）。すべて整数。",
                   "N (training samples, a multiple of B with N/B ≥ 2), B (batch size 2 to 100000), E (epochs "
                   "1 to 1000), N2 (another data size, above B and not divisible by B); all integers.")
    hints = (
        t("1エポックは訓練データを1回り使い切る単位です。1回の繰り返しで $B$ 個使うので $N / B$ 回です。",
          "An epoch uses the training data once; each iteration uses $B$ samples, so it has $N / B$ iterations."),
        t("繰り返しの合計は（1エポックの回数）×（エポック数）、使うデータ数は（繰り返しの合計）× $B$ です。",
          "Total iterations = (iterations per epoch) × (epochs); samples used = (total iterations) × $B$."),
        t("割り切れないとき、最後のミニバッチを使うなら切り上げ $\\lceil N'/B \\rceil$、捨てるなら切り捨て "
          "$\\lfloor N'/B \\rfloor$ です。",
          "If $B$ does not divide the data, keeping the last batch rounds up, $\\lceil N'/B \\rceil$, dropping it "
          "rounds down, $\\lfloor N'/B \\rfloor$."),
    )
    explanation = t(
        "ミニバッチ学習では、訓練データから $B$ 個ずつ取り出して1回パラメータを更新します（1イテレーション）。"
        "訓練データを1回り使い切るまでを1エポックと呼び、その繰り返し回数は $N / B$ です"
        "（本の例: 60000 / 100 = 600）。本のコードの `max(train_size / batch_size, 1)` は、データがバッチより"
        "少なくても1回は数えるためのものです。$E$ エポックでは $E N / B$ 回更新し、のべ $E N$ 個のデータを使います。"
        "$N$ が $B$ で割り切れないときは最後に小さなミニバッチが残り、それも使うか（PyTorch の `drop_last=False`：切り上げ）"
        "捨てるか（`drop_last=True`：切り捨て）でミニバッチ数が1つ変わります。",
        "Mini-batch learning takes $B$ samples at a time and updates the parameters once per batch (one iteration). "
        "Using the training data once is an epoch, of $N / B$ iterations (the book: 60000 / 100 = 600); the book's "
        "`max(train_size / batch_size, 1)` counts at least one even when the data are fewer than a batch. $E$ epochs "
        "make $E N / B$ updates and use $E N$ samples. When $B$ does not divide $N$ a smaller last batch remains; "
        "keeping it (PyTorch's `drop_last=False`) rounds the count up, dropping it (`drop_last=True`) rounds down, "
        "a difference of one mini-batch.")

    def draw(self, rng) -> dict:
        if rng.random() < 0.25:
            N, B = 60000, 100
        else:
            B = int(rng.choice(BATCHES))
            N = B * int(rng.choice(PER_EPOCH))
        return {"N": N, "B": B, "E": int(rng.choice(EPOCHS)), "N2": int(rng.choice(OTHER_SIZES))}

    def check_params(self, params) -> dict:
        p = Params(params, ("N", "B", "E", "N2"))
        B = int(p.number("B", 2, 100000, integer=True))
        N = int(p.number("N", 2, 10 ** 8, integer=True))
        E = int(p.number("E", 1, 1000, integer=True))
        N2 = int(p.number("N2", 2, 10 ** 8, integer=True))
        if N % B or N // B < 2:
            raise ParamsError("params.N: N は B の2倍以上の倍数にしてください", "params.N: N must be a multiple of B, "
                              "at least 2 B", field="params.N")
        if N2 % B == 0 or N2 < B:
            raise ParamsError("params.N2: N2 は B より大きく、B で割り切れない数にしてください",
                              "params.N2: N2 must be larger than B and not divisible by B", field="params.N2")
        return {"N": N, "B": B, "E": E, "N2": N2}

    def statement_for(self, params) -> dict:
        N, B, E = params["N"], params["B"], params["E"]
        code = LOOP_CODE.format(B=B)
        return t(
            f"訓練データが $N = {N}$ 個あり、バッチサイズ $B = {B}$ のミニバッチ学習を $E = {E}$ エポック行います。"
            "1回の繰り返し（イテレーション）で $B$ 個のデータを使ってパラメータを1回更新し、訓練データを1回り"
            f"使い切るまでを1エポックとします。ゼロから作るDeep Learning 4.5 のコードでは次のように書きます。\n\n{code}\n\n"
            "後半の問いでは、同じバッチサイズで、$B$ で割り切れない別のデータ数 $N'$ を考えます。"
            "答えはすべて整数です。",
            f"Mini-batch learning on $N = {N}$ training samples with batch size $B = {B}$ runs for $E = {E}$ epochs. "
            "Each iteration updates the parameters once from $B$ samples; one pass over the training data is an epoch. "
            f"ゼロから作るDeep Learning 4.5 writes it as\n\n{code}\n\nThe last questions keep the batch size and take "
            "another data size $N'$ that $B$ does not divide. All answers are integers.")

    def build(self, seed, params, layout, drawn) -> Exercise:
        N, B, E, N2 = (int(params[k]) for k in ("N", "B", "E", "N2"))
        right = counts(N, B, E, N2)
        if drawn and any(v in (0, 1, N, B, E, N2) for v in right.values()):
            raise Rejected("guessable", f"an answer is 0, 1 or a number the statement gives: {right}")
        answers = {pid: float(v) for pid, v in right.items()}
        wrong = wrong_counts(N, B, E, N2)
        mistakes = {pid: differing(EXACT, answers[pid], {m: float(v) for m, v in wrong[pid].items()}, drawn)
                    for pid in answers}
        parts = [Part(pid, "value", {lang: text.format(n2=N2) for lang, text in PROMPTS[pid].items()}, EXACT)
                 for pid in ("per_epoch", "total", "samples", "kept", "dropped")]
        per = right["per_epoch"]
        forward = [rf"$\mathrm{{iter\_per\_epoch}} = \max(N / B, 1) = \max({N} / {B}, 1) = {per}$",
                   rf"$E \times N / B = {E} \times {per} = {right['total']}$",
                   rf"$E \times N = {E} \times {N} = {right['samples']}$"]
        backward = [rf"$N' / B = {N2} / {B} = {N2 / B:.6g}$",
                    rf"$\lceil {N2} / {B} \rceil = {right['kept']}\quad(\text{{drop\_last=False}})$",
                    rf"$\lfloor {N2} / {B} \rfloor = {right['dropped']}\quad(\text{{drop\_last=True}})$"]
        headings = {"forward": t("1エポックと合計", "One epoch and the totals"),
                    "backward": t("割り切れないとき", "When B does not divide the data")}
        return build_exercise(self, seed, params, parts, answers, mistakes, None, forward, backward, None, headings)

"""Mistakes of the gradient-descent trajectories, Newton's method, mini-batch arithmetic exercises.

Reused from the core catalogue (exercises/misconceptions.py): ``update_wrong_sign``,
``update_no_lr``, ``power_rule_no_factor`` (computed by the engine with its mutated rule) and
``chain_inner_forgotten``."""
from __future__ import annotations

from .model import Misconception, text

MISTAKES: list[Misconception] = [
    Misconception(
        "newton_as_gradient_step",
        text("ニュートン法を学習率 1 の勾配降下法にしている（x − f′(x)）",
             "Newton's method taken as a gradient step with learning rate 1 (x − f′(x))"),
        text("ニュートン法の更新は $x \\leftarrow x - \\dfrac{f'(x)}{f''(x)}$ です。2階微分 $f''(x)$ で割ることで、"
             "曲率に合わせた歩幅が自動的に決まります。$x - f'(x)$ は学習率 1 の勾配降下法で、"
             "2階微分の情報を使っていません（$f(x) = x^4 - 2x^2$ ではすぐに発散します）。",
             "Newton's update is $x \\leftarrow x - \\dfrac{f'(x)}{f''(x)}$: dividing by the second derivative "
             "$f''(x)$ sets the step size from the curvature. $x - f'(x)$ is gradient descent with learning rate 1 "
             "and uses no second-order information (on $f(x) = x^4 - 2x^2$ it soon diverges).")),
    Misconception(
        "newton_ratio_inverted",
        text("ニュートン法の比を逆にしている（f″/f′）", "Newton's ratio inverted (f″/f′)"),
        text("ニュートン法は、$x$ の周りの2次近似 $f(x) + f'(x)\\,h + \\frac{1}{2} f''(x)\\,h^2$ を最小にする "
             "$h = -\\dfrac{f'(x)}{f''(x)}$ だけ進みます。分子が1階微分、分母が2階微分です。"
             "$f''/f'$ では単位（次元）も合わず、最小値に近づきません。",
             "Newton's method moves by the $h = -\\dfrac{f'(x)}{f''(x)}$ that minimises the quadratic model "
             "$f(x) + f'(x)\\,h + \\frac{1}{2} f''(x)\\,h^2$: the first derivative on top, the second below. "
             "$f''/f'$ does not even have the units of $x$ and does not approach the minimum.")),
    Misconception(
        "iterations_per_epoch_inverted",
        text("1エポックの繰り返し回数を B / N（または N × B）にしている",
             "Iterations per epoch taken as B / N (or N × B)"),
        text("1エポックは訓練データを1回り使い切る単位です。1回の繰り返し（イテレーション）で $B$ 個のデータを使うので、"
             "1エポックの繰り返し回数は $N / B$ です（ゼロから作るDeep Learning の "
             "`iter_per_epoch = max(train_size / batch_size, 1)`）。$B / N$ や $N \\times B$ ではありません。",
             "An epoch uses the training data once. Each iteration uses $B$ samples, so an epoch has $N / B$ "
             "iterations (the book's `iter_per_epoch = max(train_size / batch_size, 1)`), not $B / N$ or "
             "$N \\times B$.")),
    Misconception(
        "epochs_times_batch",
        text("エポック数 × バッチサイズで計算している", "Epochs times batch size"),
        text("繰り返し回数の合計は（1エポックの繰り返し回数 $N / B$）×（エポック数 $E$）$= E N / B$ です。"
             "$E \\times B$ は「1エポックに1回だけ更新する」と考えたときのデータ数で、繰り返し回数ではありません。"
             "見たデータ数の合計は $E \\times N$ です。",
             "The total number of iterations is (iterations per epoch $N / B$) × (epochs $E$) $= E N / B$. "
             "$E \\times B$ would be the samples seen with one update per epoch, not a number of iterations; "
             "the samples seen in total are $E \\times N$.")),
    Misconception(
        "batch_rounding",
        text("最後の小さいミニバッチの扱い（切り上げ・切り捨て）を取り違えている",
             "Rounding of the last, smaller mini-batch mixed up"),
        text("$N$ が $B$ で割り切れないとき、最後に $N \\bmod B$ 個だけのミニバッチが残ります。"
             "それも使う（PyTorch の `drop_last=False`）ならミニバッチ数は $\\lceil N / B \\rceil$（切り上げ）、"
             "捨てる（`drop_last=True`）なら $\\lfloor N / B \\rfloor$（切り捨て）です。問題文の指定を確認しましょう。",
             "When $B$ does not divide $N$, a last mini-batch of only $N \\bmod B$ samples remains. Keeping it "
             "(PyTorch's `drop_last=False`) gives $\\lceil N / B \\rceil$ mini-batches (rounded up), dropping it "
             "(`drop_last=True`) gives $\\lfloor N / B \\rfloor$ (rounded down). Check which the question asks.")),
]

"""Mistakes of the weight initialization exercises."""
from __future__ import annotations

from .model import Misconception, text

MISTAKES: list[Misconception] = [
    Misconception(
        "init_variance_for_std",
        text("分散を標準偏差として答えている", "The variance given as the standard deviation"),
        text("Xavier の初期値は**分散**が $1/n$、つまり標準偏差が $1/\\sqrt{n}$ のガウス分布です（He は分散 $2/n$、標準偏差 "
             "$\\sqrt{2/n}$）。コードでは `np.random.randn(n, m) * std` と標準偏差を掛けるので、平方根を取り忘れないこと。",
             "Xavier's initialization has **variance** $1/n$, i.e. the standard deviation $1/\\sqrt{n}$ (He: variance $2/n$, "
             "std $\\sqrt{2/n}$). Code multiplies `np.random.randn(n, m)` by the standard deviation, so take the square root.")),
    Misconception(
        "xavier_he_swapped",
        text("Xavier の初期値と He の初期値を取り違えている", "Xavier and He initializations swapped"),
        text("Xavier の初期値（標準偏差 $1/\\sqrt{n}$）は sigmoid や tanh のような左右対称で中央付近が線形な活性化関数向け、"
             "He の初期値（標準偏差 $\\sqrt{2/n}$）は ReLU 向けです。ReLU は負の側を 0 にして広がりを半分にするので、"
             "分散を 2 倍にして補います。",
             "Xavier's initialization (std $1/\\sqrt{n}$) suits symmetric activations that are linear near 0, such as "
             "sigmoid and tanh; He's (std $\\sqrt{2/n}$) suits ReLU, which zeroes the negative half and so halves the "
             "spread: the variance is doubled to make up for it.")),
    Misconception(
        "init_wrong_fan",
        text("次の層のノード数で計算している", "The next layer's node count used"),
        text("本の Xavier・He の初期値の $n$ は**前の層**のノード数（その層への入力の数、重み W の行数）です。"
             "各ニューロンは前の層の n 個の出力の重み付き和を受け取るので、その和の分散がそろうように n で割ります。",
             "In the book the $n$ of the Xavier and He initializations is the **previous** layer's node count (the inputs "
             "of the layer, the rows of W): each unit sums n weighted outputs of the previous layer, and dividing by n "
             "keeps the spread of that sum in check.")),
    Misconception(
        "init_equal_weights",
        text("重みをすべて同じ値（0 など）で初期化してよいと考えている", "All-equal initial weights (such as 0) taken as fine"),
        text("重みをすべて同じ値にすると、同じ層のニューロンはどれも同じ値を出力し、逆伝播でも同じ勾配を受け取るので、"
             "いつまでも同じ値のまま更新されます（重みの対称性が崩れない）。値が 0 でも 0.01 でも同じで、"
             "ランダムな初期値が必要です。",
             "With all weights equal, every unit of a layer outputs the same value and receives the same gradient, so they "
             "stay identical through training (the symmetry is never broken), whether the value is 0 or 0.01: the initial "
             "weights must be random.")),
    Misconception(
        "init_bias_breaks_symmetry",
        text("同じ値のバイアスで重みの対称性が崩れると考えている", "Equal biases taken to break the weights' symmetry"),
        text("すべて同じ値のバイアスを足しても、同じ層のニューロンの出力と勾配は互いに同じままです。"
             "対称性を崩すのは重みのランダムな初期値で、バイアスは 0 で初期化するのが普通です。",
             "Adding the same bias to every unit leaves the units of a layer with equal outputs and equal gradients; what "
             "breaks the symmetry is random initial weights, and biases usually start at 0.")),
    Misconception(
        "variance_not_times_n",
        text("和の分散で項の数 n を掛け忘れている", "The number of terms n left out of the variance of the sum"),
        text("$z = \\sum_{i=1}^{n} w_i x_i$ の各項は互いに独立なので、和の分散は各項の分散の和、つまり"
             " $\\mathrm{Var}(z) = n\\sigma^2 v$ です。1 項分の $\\sigma^2 v$ で止めないこと。ノード数 n が大きいほど z の"
             "分散が大きくなるので、Xavier・He の初期値は n で割っています。",
             "The terms of $z = \\sum_{i=1}^{n} w_i x_i$ are independent, so the variance of the sum is the sum of "
             "their variances: $\\mathrm{Var}(z) = n\\sigma^2 v$, not one term's $\\sigma^2 v$. The more inputs, the "
             "larger the variance of z: that is why the Xavier and He initializations divide by n.")),
    Misconception(
        "std_for_variance",
        text("分散の計算で σ² の代わりに標準偏差 σ を使っている", "The std σ used where the variance σ² belongs"),
        text("標準偏差 $\\sigma$ の重みの分散は $\\sigma^2$ です。平均 0 で独立な w と x の積の分散は"
             " $E[w^2]E[x^2] = \\sigma^2 v$ なので、$\\mathrm{Var}(z) = n\\sigma^2 v$（$n\\sigma v$ ではない）。"
             "L 層後の倍率も $(n\\sigma^2)^L$ です。",
             "Weights with std $\\sigma$ have variance $\\sigma^2$. The product of independent zero-mean w and x has "
             "variance $E[w^2]E[x^2] = \\sigma^2 v$, so $\\mathrm{Var}(z) = n\\sigma^2 v$ (not $n\\sigma v$), and L "
             "layers multiply the variance by $(n\\sigma^2)^L$.")),
    Misconception(
        "relu_variance_not_halved",
        text("ReLU を通すと 2 乗の平均が半分になることを忘れている", "ReLU's halving of the mean square forgotten"),
        text("z は 0 について対称なので、ReLU で負の側を 0 にすると $E[\\mathrm{relu}(z)^2] = E[z^2]/2 = "
             "\\mathrm{Var}(z)/2$ になります。次の層の分散は $n\\sigma^2 \\cdot \\mathrm{Var}(z)/2$ なので、分散を保つには"
             " $\\sigma^2 = 2/n$、つまり He の初期値 $\\sigma = \\sqrt{2/n}$ が必要です"
             "（$1/\\sqrt{n}$ では層ごとに半分になる）。",
             "z is symmetric about 0, so zeroing its negative side gives $E[\\mathrm{relu}(z)^2] = E[z^2]/2 = "
             "\\mathrm{Var}(z)/2$. The next layer's variance is $n\\sigma^2 \\cdot \\mathrm{Var}(z)/2$: keeping it needs "
             "$\\sigma^2 = 2/n$, He's $\\sigma = \\sqrt{2/n}$ ($1/\\sqrt{n}$ halves the variance at every layer).")),
    Misconception(
        "layers_added_not_multiplied",
        text("層ごとの分散の倍率を足している（掛けていない）", "The layers' variance factors added, not multiplied"),
        text("1 層ごとに分散は $n\\sigma^2$ 倍になり、次の層はその結果をさらに $n\\sigma^2$ 倍します。L 層では"
             " $(n\\sigma^2)^L$ 倍で、$L \\cdot n\\sigma^2$ 倍ではありません。指数的に増える（減る）ので、$n\\sigma^2$ が 1 から"
             "少しずれるだけで深い層では分散が爆発したり消えたりします。",
             "Each layer multiplies the variance by $n\\sigma^2$ and the next multiplies that result again: L layers "
             "give $(n\\sigma^2)^L$, not $L \\cdot n\\sigma^2$. The growth (or decay) is exponential, so an $n\\sigma^2$ "
             "only a little away from 1 makes the variance explode or vanish in a deep network.")),
    Misconception(
        "init_scale_effects_swapped",
        text("重みが大きすぎる場合と小さすぎる場合の影響を取り違えている",
             "The effects of too large and too small weights swapped"),
        text("標準偏差 1 のように重みが大きいと z の分散が大きくなり、sigmoid の出力は 0 と 1 に偏って微分がほぼ 0 になる"
             "（勾配消失）。標準偏差 0.01 のように小さいと z がほぼ 0 になり、出力は 0.5 付近に集まってどのニューロンも"
             "同じような値を出す（表現力が失われる）。本の 6.2.2 のヒストグラムの実験です。",
             "Large weights (std 1) give z a large variance: the sigmoid outputs crowd at 0 and 1, where its "
             "derivative is about 0 (vanishing gradients). Small weights (std 0.01) leave z near 0: the outputs "
             "gather near 0.5 and every unit says about the same (lost expressiveness). These are the book's "
             "histograms of 6.2.2.")),
]

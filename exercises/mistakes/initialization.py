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
]

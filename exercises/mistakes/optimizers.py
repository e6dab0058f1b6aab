"""Mistakes of the optimizer steps and optimizer code exercises."""
from __future__ import annotations

from .model import Misconception, text  # noqa: F401

MISTAKES: list[Misconception] = [
    Misconception(
        "eps_inside_sqrt",
        text("ε を平方根の中に入れている", "ε put inside the square root"),
        text("AdaGrad・RMSProp・Adam の更新式は $\\eta\\, g / (\\sqrt{h} + \\varepsilon)$ で、ε は**平方根の外**で"
             "分母に足します（ゼロ除算を防ぐための小さな値）。$\\sqrt{h + \\varepsilon}$ とすると、h が小さいときや"
             " ε が大きいときに更新量が変わります。",
             "AdaGrad, RMSProp and Adam divide by $\\sqrt{h} + \\varepsilon$: ε is added **outside** the square "
             "root (a small value that prevents division by zero). With $\\sqrt{h + \\varepsilon}$ the step changes "
             "when h is small or ε is large.")),
    Misconception(
        "adam_no_bias_correction",
        text("Adam のバイアス補正を忘れている", "Adam without the bias correction"),
        text("m と v は 0 から始まるので、はじめのうちは 0 の側に偏っています。Adam はこれを "
             "$\\hat m_t = m_t/(1-\\beta_1^t)$、$\\hat v_t = v_t/(1-\\beta_2^t)$ で補正します（本の実装では "
             "$\\eta_t = \\eta\\sqrt{1-\\beta_2^t}/(1-\\beta_1^t)$ にまとめています）。補正しないと、"
             "β₁ = 0.9, β₂ = 0.999 の1回目の更新は約 $\\sqrt{0.001}/0.1$ 倍ずれます。",
             "m and v start at 0, so early on they are biased towards 0. Adam corrects them with "
             "$\\hat m_t = m_t/(1-\\beta_1^t)$ and $\\hat v_t = v_t/(1-\\beta_2^t)$ (the book folds this into "
             "$\\eta_t = \\eta\\sqrt{1-\\beta_2^t}/(1-\\beta_1^t)$). Without it, with β₁ = 0.9 and β₂ = 0.999 the "
             "first step is off by a factor of about $0.1/\\sqrt{0.001}$.")),
    Misconception(
        "momentum_sign_mixed",
        text("Momentum の2つの符号の書き方を混ぜている", "The two sign conventions of Momentum mixed"),
        text("Momentum には2通りの書き方があります。本（common/optimizer.py）は $v \\leftarrow \\alpha v - \\eta g$、"
             "$W \\leftarrow W + v$（v は進む向きそのもの）。もう1つは $v \\leftarrow \\alpha v + \\eta g$、"
             "$W \\leftarrow W - v$ で、どちらも同じ更新です。片方の v の式ともう片方の W の式を組み合わせると"
             "（$v = \\alpha v + \\eta g$ のあと $W \\mathrel{+}= v$ など）、勾配の方向に進んでしまいます。",
             "Momentum is written in two ways. The book (common/optimizer.py) uses $v \\leftarrow \\alpha v - \\eta g$, "
             "$W \\leftarrow W + v$ (v is the direction of travel); the other form is $v \\leftarrow \\alpha v + \\eta g$, "
             "$W \\leftarrow W - v$. Both give the same update. Taking v from one and W's update from the other "
             "(e.g. $v = \\alpha v + \\eta g$, then $W \\mathrel{+}= v$) moves uphill, along the gradient.")),
    Misconception(
        "adagrad_rmsprop_confused",
        text("AdaGrad の和と RMSProp の移動平均を取り違えている", "AdaGrad's sum and RMSProp's moving average confused"),
        text("AdaGrad は過去の勾配の2乗を**すべて足し合わせ**ます（$h \\leftarrow h + g^2$）。そのため学習が進むほど"
             "更新量は小さくなります。RMSProp は古い勾配を少しずつ忘れる**指数移動平均** "
             "$h \\leftarrow \\rho h + (1-\\rho) g^2$ を使い、更新量が 0 に向かって縮み続けるのを防ぎます"
             "（Adam の v も同じ移動平均です）。",
             "AdaGrad **adds up** all past squared gradients ($h \\leftarrow h + g^2$), so its steps keep shrinking. "
             "RMSProp uses an **exponential moving average** that slowly forgets old gradients, "
             "$h \\leftarrow \\rho h + (1-\\rho) g^2$, so the steps do not shrink towards 0 (Adam's v is the same "
             "moving average).")),
    Misconception(
        "nesterov_as_momentum",
        text("Nesterov を普通の Momentum として計算している", "Nesterov computed as plain Momentum"),
        text("Nesterov の加速勾配法は、速度 v で先に進んだ位置での勾配を使う分だけ Momentum と違います。本の実装では "
             "$v \\leftarrow \\alpha v - \\eta g$ のあと $W \\leftarrow W + \\alpha^2 v - (1+\\alpha)\\eta g$ と更新し、"
             "Momentum の $W \\leftarrow W + v$ ではありません。",
             "Nesterov's accelerated gradient differs from Momentum by looking ahead along the velocity. The book "
             "updates $v \\leftarrow \\alpha v - \\eta g$, then $W \\leftarrow W + \\alpha^2 v - (1+\\alpha)\\eta g$, "
             "not Momentum's $W \\leftarrow W + v$.")),
    Misconception(
        "adaptive_step_scaled",
        text("AdaGrad・RMSProp・Adam の更新量が勾配に比例すると考えている",
             "The step of AdaGrad, RMSProp or Adam taken as proportional to the gradient"),
        text("AdaGrad・RMSProp・Adam は勾配を $\\sqrt{h}$（過去の勾配の大きさ）で割るので、1回目の更新量は"
             " ε が小さければ勾配の大きさによらず、ほぼ学習率で決まります（AdaGrad・Adam ではほぼ η、"
             "RMSProp ではほぼ $\\eta/\\sqrt{1-\\rho}$）。勾配が10倍でも、更新量は10倍にはなりません。",
             "AdaGrad, RMSProp and Adam divide the gradient by $\\sqrt{h}$ (the size of past gradients), so when ε "
             "is small the first step hardly depends on the gradient's size: it is set by the learning rate "
             "(about η for AdaGrad and Adam, about $\\eta/\\sqrt{1-\\rho}$ for RMSProp). A 10 times larger "
             "gradient does not make a 10 times larger step.")),
]

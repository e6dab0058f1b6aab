"""Mistakes of the L1/L2 weight decay and dropout exercises."""
from __future__ import annotations

from .model import Misconception, text

MISTAKES: list[Misconception] = [
    # ---------------------------------------------------------------- weight decay (L2, L1)
    Misconception(
        "l2_factor_two",
        text("L2 正則化の ½ を落としている（勾配 2λW）", "The ½ of the L2 penalty dropped (gradient 2λW)"),
        text("荷重減衰の項は $\\frac{1}{2}\\lambda\\|W\\|^2$ です。½ は微分で出てくる 2 と打ち消し合うために付けてあり、"
             "勾配はちょうど $\\lambda W$ になります。½ を忘れて $\\lambda\\|W\\|^2$ とすると、項の値は 2 倍、勾配は "
             "$2\\lambda W$ になります。",
             "The weight decay term is $\\frac{1}{2}\\lambda\\|W\\|^2$: the ½ is there to cancel the 2 that differentiating "
             "the square brings down, so the gradient is exactly $\\lambda W$. Without the ½ the term doubles and the "
             "gradient becomes $2\\lambda W$.")),
    Misconception(
        "l2_half_lambda",
        text("L2 正則化の勾配を ½λW にしている", "The L2 gradient taken as ½λW"),
        text("$\\frac{1}{2}\\lambda\\|W\\|^2 = \\frac{1}{2}\\lambda\\sum w^2$ を $w$ で微分すると、$w^2$ の微分 $2w$ が ½ と"
             "打ち消し合って "
             "$\\lambda w$ です。½ を残したまま $\\frac{1}{2}\\lambda W$ とするのは、べき乗の微分の係数 2 を忘れた誤りです。",
             "Differentiating $\\frac{1}{2}\\lambda\\sum w^2$ in $w$: the derivative of $w^2$ is $2w$, and the 2 cancels the ½, "
             "giving $\\lambda w$. Keeping the ½ ($\\frac{1}{2}\\lambda W$) forgets the power rule's factor 2.")),
    Misconception(
        "weight_decay_forgotten",
        text("正則化項の勾配を足し忘れている", "The penalty's gradient not added"),
        text("損失に正則化項を足したので、重みの勾配にも正則化項の勾配（L2 なら $\\lambda W$、L1 なら "
             "$\\lambda\\,\\mathrm{sign}(W)$）を"
             "足します。データの損失の勾配だけでは、正則化の効果（重みを 0 に近づける力）がなくなります。",
             "The penalty is part of the loss, so its gradient ($\\lambda W$ for L2, $\\lambda\\,\\mathrm{sign}(W)$ for L1) "
             "is added to "
             "the weight gradient. The data loss's gradient alone drops the pull of the weights towards 0.")),
    Misconception(
        "l1_as_l2",
        text("L1 正則化の勾配を λW にしている（L2 と混同）", "The L1 gradient taken as λW (as in L2)"),
        text("L1 正則化 $\\lambda\\|W\\|_1 = \\lambda\\sum |w|$ の勾配は $\\lambda\\,\\mathrm{sign}(w)$ で、重みの大きさによ"
             "らず一定の大きさ λ です"
             "（小さな重みをちょうど 0 にしやすい）。$\\lambda W$ は L2 正則化の勾配です。",
             "The L1 penalty $\\lambda\\sum |w|$ has the gradient $\\lambda\\,\\mathrm{sign}(w)$, of size λ whatever the weight "
             "(which drives small weights to exactly 0); $\\lambda W$ is the L2 gradient.")),
    Misconception(
        "l2_as_l1",
        text("L2 正則化を L1 の式で計算している", "The L2 penalty computed as L1"),
        text("L2 正則化（荷重減衰）は重みの 2 乗和 $\\frac{1}{2}\\lambda\\sum w^2$ で、勾配は $\\lambda W$（重みに比例）です。"
             "絶対値の和 $\\lambda\\sum |w|$ と勾配 $\\lambda\\,\\mathrm{sign}(W)$ は L1 正則化のものです。",
             "L2 regularization (weight decay) is the sum of squares $\\frac{1}{2}\\lambda\\sum w^2$ with the gradient "
             "$\\lambda W$ "
             "(proportional to the weight); the sum of absolute values $\\lambda\\sum |w|$ and $\\lambda\\,\\mathrm{sign}(W)$ "
             "belong to L1.")),
    # ---------------------------------------------------------------- dropout
    Misconception(
        "dropout_no_mask_backward",
        text("Dropout の逆伝播で mask を掛けていない", "Dropout backward without the mask"),
        text("順伝播で消したニューロン（mask が False）は出力に関わっていないので、逆伝播でも勾配は 0 です。"
             "Dropout の backward は ReLU と同じく `dout * self.mask` で、dout をそのまま流すのではありません。",
             "A unit dropped in the forward pass (mask False) did not affect the output, so its gradient is 0: Dropout's "
             "backward is `dout * self.mask`, like ReLU's, not dout passed through unchanged.")),
    Misconception(
        "dropout_test_unscaled",
        text("本の Dropout でテスト時に (1 − ratio) を掛けていない", "No (1 − ratio) at test time in the book's Dropout"),
        text("本の Dropout は学習時に出力を割合 (1 − dropout_ratio) だけ残すので、テスト時には全ニューロンを使う代わりに "
             "`x * (1.0 - self.dropout_ratio)` として、学習時の出力の期待値に合わせます。x をそのまま出すのは逆ドロップアウト"
             "（学習時に 1/(1 − p) 倍しておく方式）のテスト時です。",
             "The book's Dropout keeps a share (1 − dropout_ratio) of the units in training, so at test time, with every "
             "unit on, it outputs `x * (1.0 - self.dropout_ratio)` to match the training output's expectation. Passing x "
             "unchanged is the test time of inverted dropout, which scales by 1/(1 − p) in training instead.")),
    Misconception(
        "dropout_scaling_confused",
        text("2 つの方式のスケーリング（1 − p と 1/(1 − p)）を取り違えている",
             "The two versions' scalings, (1 − p) and 1/(1 − p), swapped"),
        text("本の Dropout は学習時には mask を掛けるだけで、テスト時に (1 − p) 倍します。逆ドロップアウト（PyTorch・Keras）は"
             "学習時に mask を掛けて 1/(1 − p) 倍し、テスト時は何もしません。どちらも学習時とテスト時の出力の期待値をそろえる"
             "ためで、(1 − p) 倍と 1/(1 − p) 倍を入れ替えると逆の向きに補正してしまいます。",
             "The book's Dropout only applies the mask in training and multiplies by (1 − p) at test time; inverted dropout "
             "(PyTorch, Keras) applies the mask and divides by (1 − p) in training and does nothing at test time. Both make "
             "the expected outputs of training and test agree; swapping (1 − p) and 1/(1 − p) corrects the wrong way.")),
    Misconception(
        "dropout_ratio_as_keep",
        text("dropout_ratio を残す割合として使っている", "dropout_ratio used as the keep probability"),
        text("dropout_ratio（p）は**消す**割合で、残る割合は 1 − p です（本のコードでは `rand > dropout_ratio` の要素が残る）。"
             "スケーリングには残る割合 1 − p を使います。",
             "dropout_ratio (p) is the share of units **dropped**; the share kept is 1 − p (the book keeps the elements where "
             "`rand > dropout_ratio`), and the scaling uses the kept share 1 − p.")),
    Misconception(
        "dropout_inverted_unscaled",
        text("逆ドロップアウトの学習時に 1/(1 − p) 倍していない", "Inverted dropout without 1/(1 − p) in training"),
        text("逆ドロップアウトはテスト時に何もしない代わりに、学習時に残ったニューロンの出力を 1/(1 − p) 倍して、"
             "期待値をテスト時の出力 x にそろえます。mask を掛けるだけでは本の Dropout の学習時の出力です。",
             "Inverted dropout does nothing at test time; instead it divides the kept units' outputs by (1 − p) in training "
             "so that their expectation is the test output x. Applying the mask alone is the book's training output.")),
]

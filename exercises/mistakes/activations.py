"""Mistakes of the activation functions and losses exercises (Leaky ReLU, GELU, softmax with a
temperature and its numerical stability, regression and classification losses)."""
from __future__ import annotations

from .model import Misconception, text

MISTAKES: list[Misconception] = [
    # ---------------------------------------------------------------- Leaky ReLU, GELU
    Misconception(
        "leaky_relu_slope_forgotten",
        text("Leaky ReLU の負の側の傾き α を忘れている（ReLU と同じく 0 にしている）",
             "Leaky ReLU's slope α for x < 0 forgotten (0 there, as in ReLU)"),
        text("Leaky ReLU は x > 0 で x、x ≤ 0 で αx です。負の側も 0 にはならず、順伝播の出力は αx、逆伝播の局所的な傾きは α"
             "（dx = α·dout）です。負の側でも勾配が流れ続けることが、ReLU との違い（dying ReLU を防ぐ工夫）です。",
             "Leaky ReLU is x for x > 0 and αx for x ≤ 0: the negative side is not 0, the output there is αx and the local "
             "slope is α (dx = α·dout). That the gradient keeps flowing for x < 0 is the point of it (against dying ReLUs).")),
    Misconception(
        "gelu_approx_confused",
        text("GELU の厳密な式（erf）と tanh による近似式を取り違えている",
             "Exact GELU (erf) and its tanh approximation mixed up"),
        text("GELU は $x\\Phi(x)$ で、$\\Phi(x) = \\frac{1}{2}(1 + \\mathrm{erf}(x/\\sqrt{2}))$ は"
             "標準正規分布の累積分布関数です。"
             "$\\frac{1}{2}x(1 + \\tanh(\\sqrt{2/\\pi}(x + 0.044715x^3)))$ はその近似（BERT・GPT-2 の実装）で、値は近いものの"
             "小数第4位あたりで違います。問われている方の式で計算しましょう。",
             "GELU is $x\\Phi(x)$, with $\\Phi(x) = \\frac{1}{2}(1 + \\mathrm{erf}(x/\\sqrt{2}))$ the standard normal CDF. "
             "$\\frac{1}{2}x(1 + \\tanh(\\sqrt{2/\\pi}(x + 0.044715x^3)))$ approximates it (BERT's and GPT-2's code): close, "
             "but different around the fourth decimal. Use the formula asked for.")),
    Misconception(
        "gelu_product_rule_forgotten",
        text("GELU の微分で積の微分を忘れている（Φ(x) だけにしている）",
             "GELU's derivative without the product rule (Φ(x) alone)"),
        text("GELU $= x\\Phi(x)$ は x と Φ(x) の積なので、微分は積の微分法則で $\\Phi(x) + x\\,\\phi(x)$ です"
             "（$\\phi(x) = e^{-x^2/2}/\\sqrt{2\\pi}$ は標準正規分布の密度）。"
             "$\\Phi(x)$ だけでは $x\\,\\phi(x)$ の項が抜けます。",
             "GELU $= x\\Phi(x)$ is a product, so by the product rule its derivative is $\\Phi(x) + x\\,\\phi(x)$ "
             "($\\phi(x) = e^{-x^2/2}/\\sqrt{2\\pi}$, the standard normal density). $\\Phi(x)$ alone drops $x\\,\\phi(x)$.")),
    # ---------------------------------------------------------------- softmax: temperature, stability
    Misconception(
        "temperature_multiplied",
        text("温度 T で割らずに掛けている（softmax(x·T)）", "Scores multiplied by the temperature T, not divided (softmax(x·T))"),
        text("温度付きソフトマックスは $\\mathrm{softmax}(\\mathbf{x}/T)$ です。T > 1 で分布がなだらかに（一様に近く）、"
             "T < 1 で鋭く（最大の要素に集中）なります。x·T では効果が逆になります。",
             "The softmax with temperature is $\\mathrm{softmax}(\\mathbf{x}/T)$: T > 1 flattens the distribution (towards "
             "uniform), T < 1 sharpens it (towards the largest score). x·T does the opposite.")),
    Misconception(
        "softmax_max_per_batch",
        text("バッチ全体の最大値を引いても問題ないと考えている", "The whole batch's maximum taken as a safe shift"),
        text("ソフトマックスは各行に同じ定数を足し引きしても値が変わらないので、数学的にはどんな定数を引いても同じです。"
             "しかしバッチ全体の最大値を引くと、最大値よりずっと小さい行（差が約 745 以上）ではすべての exp が 0 に"
             "アンダーフローし、0/0 = nan になります。引くのは**各行の**最大値（`np.max(x, axis=1, keepdims=True)`）です。",
             "Softmax does not change when a row is shifted by a constant, so mathematically any constant will do. But with "
             "the whole batch's maximum, a row far below it (by about 745 or more) has every exp underflow to 0, giving "
             "0/0 = nan. Subtract **each row's** maximum (`np.max(x, axis=1, keepdims=True)`).")),
    Misconception(
        "softmax_underflow_ignored",
        text("オーバーフローだけを考え、すべて大きな負の値の行のアンダーフローを見落としている",
             "Only overflow considered: a row of large negative scores underflows too"),
        text("float64 の exp は約 709.78 を超えると inf にオーバーフローし（inf/inf = nan）、約 -745 より小さいと 0 にアンダー"
             "フローします。行のすべての要素が大きな負の値なら分子も分母も 0 になり、0/0 = nan です。最大値を引けば、どちらも"
             "起こりません（最大の要素が exp(0) = 1 になる）。",
             "In float64, exp overflows to inf above about 709.78 (inf/inf = nan) and underflows to 0 below about -745. A row "
             "of large negative scores makes numerator and denominator 0: 0/0 = nan. Subtracting the row's maximum prevents "
             "both (the largest element becomes exp(0) = 1).")),
    Misconception(
        "logsumexp_max_not_added_back",
        text("log-sum-exp で引いた最大値を足し戻していない", "log-sum-exp without adding the maximum back"),
        text("$\\log\\sum_k e^{x_k} = m + \\log\\sum_k e^{x_k - m}$（m = 最大値）です。安定化のために m を引いたら、"
             "対数を取ったあとに m を足し戻します。足し戻さない値はずれた分だけ小さくなります。",
             "$\\log\\sum_k e^{x_k} = m + \\log\\sum_k e^{x_k - m}$ (m the maximum): after subtracting m for stability, add "
             "it back outside the log; without it the value is off by m.")),
    # ---------------------------------------------------------------- regression losses
    Misconception(
        "mse_half_factor_kept",
        text("½ の付いた二乗和誤差の勾配に ½ を残している（(y - t)/2）", "The ½ kept in the gradient of ½Σ(y - t)² ((y - t)/2)"),
        text("二乗和誤差 $E = \\frac{1}{2}\\sum (y_k - t_k)^2$ の ½ は、微分で出てくる 2 と打ち消し合うために付けてあります。"
             "勾配はちょうど $y_k - t_k$ です。½ を残して $(y_k - t_k)/2$ とするのは、べき乗の係数 2 を忘れた誤りです。",
             "The ½ of the sum of squares $E = \\frac{1}{2}\\sum (y_k - t_k)^2$ is there to cancel the 2 of the square's "
             "derivative: the gradient is exactly $y_k - t_k$. Keeping the ½, $(y_k - t_k)/2$, forgets the power rule's 2.")),
    Misconception(
        "mse_no_mean",
        text("平均の 1/N を忘れている（MSE・MAE を合計にしている）", "The mean's 1/N forgotten (MSE or MAE as a sum)"),
        text("平均二乗誤差 $\\frac{1}{N}\\sum (y - t)^2$ と平均絶対誤差 $\\frac{1}{N}\\sum |y - t|$ は"
             "データ数 N で割った平均です。"
             "損失にも勾配にも 1/N が付きます（MSE の勾配は $2(y - t)/N$、MAE は $\\mathrm{sign}(y - t)/N$）。",
             "The mean squared error $\\frac{1}{N}\\sum (y - t)^2$ and the mean absolute error $\\frac{1}{N}\\sum |y - t|$ "
             "are means over the N samples: the loss and the gradient both carry 1/N (MSE: $2(y - t)/N$, MAE: "
             "$\\mathrm{sign}(y - t)/N$).")),
    Misconception(
        "mae_gradient_as_residual",
        text("MAE の勾配を残差 (y - t)/N にしている", "MAE's gradient taken as the residual (y - t)/N"),
        text("$|u|$ の微分は $\\mathrm{sign}(u)$（u > 0 で 1、u < 0 で -1）なので、MAE の勾配は $\\mathrm{sign}(y - t)/N$ で、"
             "誤差の大きさによらず一定です。$(y - t)/N$ は二乗誤差（の半分）の勾配で、MAE の外れ値への強さはこの違いから来ます。",
             "The derivative of $|u|$ is $\\mathrm{sign}(u)$ (1 for u > 0, -1 for u < 0), so MAE's gradient is "
             "$\\mathrm{sign}(y - t)/N$, the same size whatever the error. $(y - t)/N$ belongs to (half) the squared error; "
             "MAE's robustness to outliers comes from this difference.")),
    # ---------------------------------------------------------------- classification losses
    Misconception(
        "bce_sign_error",
        text("交差エントロピーの先頭のマイナスを落としている（負の損失）",
             "The leading minus of the cross-entropy dropped (a negative loss)"),
        text("確率 y は 0 と 1 の間なので $\\log y < 0$ です。交差エントロピー $-[t\\log y + (1 - t)\\log(1 - y)]$ は先頭の"
             "マイナスで正の値になり、正解の確率が 1 に近いほど 0 に近づきます。マイナスがないと損失が負になります。",
             "A probability y lies between 0 and 1, so $\\log y < 0$: the leading minus makes the cross-entropy "
             "$-[t\\log y + (1 - t)\\log(1 - y)]$ positive, and it goes to 0 as the right answer's probability goes to 1. "
             "Without it the loss is negative.")),
    Misconception(
        "ce_log_of_wrong_class",
        text("正解ではないクラスの確率の対数を取っている", "The log of a class other than the correct one"),
        text("交差エントロピーは正解のクラスの確率だけを使います：多クラスでは $-\\log y_{t}$（one-hot の t が 1 の要素）、"
             "二値では t = 1 のとき $-\\log y$、t = 0 のとき $-\\log(1 - y)$ です。最も大きい出力のクラスや、"
             "反対のクラスの確率を使ってはいけません。",
             "Cross-entropy uses the correct class's probability only: $-\\log y_{t}$ for several classes (where the "
             "one-hot t is 1), and for two classes $-\\log y$ when t = 1, $-\\log(1 - y)$ when t = 0. Not the largest "
             "output's class, nor the other class.")),
    Misconception(
        "ce_no_mean",
        text("交差エントロピー（とその勾配）をバッチで平均していない",
             "Cross-entropy (or its gradient) not averaged over the batch"),
        text("本の `cross_entropy_error` はバッチの合計を `batch_size` で割った平均を返します。損失が平均なら、勾配も "
             "$(y - t)/N$ と 1/N が付きます。",
             "The book's `cross_entropy_error` returns the batch's sum divided by `batch_size`, a mean; with a mean loss "
             "the gradient carries 1/N too, $(y - t)/N$.")),
    Misconception(
        "ce_reduction_confused",
        text("合計（sum）で集計した損失の勾配を N で割っている", "The gradient of a summed loss divided by N"),
        text("損失をバッチの合計（reduction='sum'）にすると、各データの勾配は $y - t$ そのもので、N では割りません。"
             "N で割るのは平均（reduction='mean'）のときだけです。集計の仕方が勾配の大きさを決めます。",
             "With the loss summed over the batch (reduction='sum') each sample's gradient is $y - t$ itself, not divided "
             "by N; dividing by N belongs to the mean (reduction='mean'). The reduction sets the gradient's scale.")),
]

"""Mistakes of the batch and layer normalization exercises."""
from __future__ import annotations

from .model import Misconception, text

MISTAKES: list[Misconception] = [
    Misconception(
        "bn_wrong_axis",
        text("バッチ正規化の平均・分散を特徴の軸（axis=1）で計算している",
             "Batch-norm statistics taken over the features (axis=1)"),
        text("バッチ正規化は、特徴（列）ごとにミニバッチの N 個のデータについて平均と分散を計算します。"
             "入力が (N, D) なら x.mean(axis=0) で、μ と σ² の形は (D,) です。"
             "axis=1（データごとに特徴について）の平均・分散を使うのはレイヤ正規化の方です。",
             "Batch normalization takes, for each feature (column), the mean and variance over the N samples "
             "of the mini-batch: for an (N, D) input that is x.mean(axis=0), and μ and σ² have shape (D,). "
             "Statistics per sample over its features (axis=1) are what layer normalization uses.")),
    Misconception(
        "dbeta_averaged",
        text("dβ をバッチで平均している", "dβ averaged over the batch instead of summed"),
        text("β はバッチのすべてのデータ（すべての行）に足されているので、その勾配は各データから戻ってくる勾配の"
             "**合計**です：dβ = np.sum(dout, axis=0)。平均すると 1/N 倍の値になります。",
             "β is added to every sample (every row) of the batch, so its gradient is the **sum** of the "
             "gradients coming back from each sample: dβ = np.sum(dout, axis=0). The mean is 1/N times that.")),
    Misconception(
        "bn_dx_ignores_statistics",
        text("dx で平均と分散を通る経路を忘れている", "dx without the paths through the mean and the variance"),
        text("μ と σ² はミニバッチのすべての x から計算されるので、x は x̂ に直接効くだけでなく、μ と σ² を通しても"
             "同じ列のすべての x̂ に効きます。dx = γ·dout/σ は直接の経路だけで、正しくは "
             "dx = (γ/σ)(dout − mean(dout) − x̂·mean(dout·x̂))（平均はバッチ方向）です。",
             "μ and σ² are computed from every x of the mini-batch, so x reaches every x̂ of its column through "
             "μ and σ² as well as directly. dx = γ·dout/σ keeps only the direct path; the right gradient is "
             "dx = (γ/σ)(dout − mean(dout) − x̂·mean(dout·x̂)), with the means over the batch.")),
    Misconception(
        "bn_unbiased_variance",
        text("分散を要素数 − 1 で割っている（不偏分散）", "Variance divided by the count minus 1 (unbiased)"),
        text("正規化に使う分散は、平均を取ったのと同じ要素数（バッチ正規化ならバッチサイズ N、レイヤ正規化なら特徴の数 D）"
             "で割る標本分散 (1/N)Σ(x − μ)² です（np.var や np.mean(xc**2) と同じ、ddof=0）。"
             "N − 1 で割る不偏分散ではありません。",
             "The variance used to normalize divides by the same count as the mean (the batch size N in batch "
             "normalization, the number of features D in layer normalization): (1/N)Σ(x − μ)², as np.var or "
             "np.mean(xc**2) (ddof=0), not the unbiased estimate with N − 1.")),
    Misconception(
        "bn_batch_stats_at_inference",
        text("推論時にもミニバッチの平均・分散で正規化している", "Mini-batch statistics used at inference"),
        text("推論時（train_flg=False）のバッチ正規化は、学習中に移動平均で蓄えた running_mean と running_var で"
             "正規化します。推論するバッチ自身の統計量を使うと、1 つのデータの出力が一緒に入力した他のデータで変わり、"
             "バッチサイズ 1 では正規化そのものができません。",
             "At inference (train_flg=False) batch normalization normalizes with running_mean and running_var, "
             "the moving averages accumulated during training. With the statistics of the batch being "
             "predicted, one sample's output would depend on the other samples fed with it, and a batch of one "
             "could not be normalized at all.")),
    Misconception(
        "ln_wrong_axis",
        text("レイヤ正規化の平均・分散をバッチの軸で計算している", "Layer-norm statistics taken over the batch"),
        text("レイヤ正規化は、各データ（各行）ごとにその特徴について平均と分散を計算します（最後の軸、axis=-1）。"
             "入力が (N, D) なら平均の形は (N, 1) です。バッチ方向（axis=0）の統計量はバッチ正規化のもので、"
             "それではバッチに依存しないというレイヤ正規化の利点がなくなります。",
             "Layer normalization takes the mean and variance of each sample (each row) over its features (the "
             "last axis, axis=-1): for an (N, D) input the mean has shape (N, 1). Statistics over the batch "
             "(axis=0) are batch normalization's, and they lose layer normalization's independence of the batch.")),
    Misconception(
        "bn_momentum_swapped",
        text("移動平均で momentum と 1 − momentum を逆に掛けている", "Moving average with momentum and 1 − momentum swapped"),
        text("running_mean = momentum × running_mean + (1 − momentum) × (バッチの平均) です。momentum（0.9 など）は"
             "これまでの値に掛かり、新しいバッチの統計量は 1 − momentum の割合だけ取り込まれます。",
             "running_mean = momentum × running_mean + (1 − momentum) × (the batch mean): momentum (e.g. 0.9) "
             "weights the value so far, and the new batch's statistic comes in with weight 1 − momentum.")),
]

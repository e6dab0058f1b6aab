"""Mistakes of the convolution and pooling exercises."""
from __future__ import annotations

from .model import Misconception, text

MISTAKES: list[Misconception] = [
    Misconception(
        "conv_size_pad_once",
        text("出力サイズの式でパディングを片側分（P）しか足していない", "Padding added once (P) instead of 2P"),
        text("パディングは入力の上下（左右）の両側に P ずつ付くので、高さは H + 2P になります。"
             "出力サイズは OH = (H + 2P − FH)/S + 1 です。P を 1 回だけ足すと、P が奇数のときは割り切れるかどうかも"
             "変わってしまいます。",
             "Padding adds P on both sides (top and bottom, left and right), so the padded height is H + 2P and "
             "OH = (H + 2P − FH)/S + 1. Adding P only once also changes whether the division comes out even when "
             "P is odd.")),
    Misconception(
        "conv_size_no_plus_one",
        text("出力サイズの式の「+ 1」を忘れている", "The + 1 of the output-size formula forgotten"),
        text("(H + 2P − FH)/S はフィルタを最初の位置から何回ずらせるかの回数なので、最初の位置を含めた"
             "出力の数は OH = (H + 2P − FH)/S + 1 です。たとえば H = FH なら出力は 0 ではなく 1 つです。",
             "(H + 2P − FH)/S counts how many times the filter can be shifted from its first position; the number "
             "of outputs includes that first position: OH = (H + 2P − FH)/S + 1. With H = FH there is one "
             "output, not zero.")),
    Misconception(
        "conv_size_stride_ignored",
        text("出力サイズの式でストライドで割っていない", "The stride left out of the output-size formula"),
        text("ストライド S でフィルタを S マスずつずらすので、ずらせる回数は (H + 2P − FH)/S 回です。"
             "S で割らずに (H + 2P − FH) + 1 とすると、ストライド 1 の場合の大きさになってしまいます。",
             "With stride S the filter moves S cells at a time, so it can be shifted (H + 2P − FH)/S times. "
             "Without the division, (H + 2P − FH) + 1 is the output size of stride 1.")),
    Misconception(
        "conv_out_channels_as_input",
        text("出力のチャンネル数を入力のチャンネル数 C にしている", "Output channels taken as the input's C"),
        text("フィルタ 1 つは入力の C チャンネルすべてにまたがって 1 枚の特徴マップを出力します。"
             "出力のチャンネル数はフィルタの数 FN で、出力は (N, FN, OH, OW) です。",
             "One filter spans all C input channels and produces one feature map, so the output has as many "
             "channels as there are filters: (N, FN, OH, OW).")),
    Misconception(
        "im2col_shape_transposed",
        text("im2col の行列の行と列を逆にしている", "im2col's matrix with rows and columns swapped"),
        text("本の im2col は、フィルタを当てる 1 か所（出力の 1 要素）を 1 行に展開します。"
             "行の数は N·OH·OW、列の数はフィルタ 1 つの要素数 C·FH·FW で、形は (N·OH·OW, C·FH·FW) です。",
             "The book's im2col unrolls each place the filter is applied (one output element) into one row: "
             "N·OH·OW rows of C·FH·FW columns (the size of one filter), shape (N·OH·OW, C·FH·FW).")),
    Misconception(
        "conv_filter_matrix_not_transposed",
        text("フィルタを reshape した後の転置（.T）を忘れている", "The filter matrix not transposed after reshape"),
        text("W.reshape(FN, -1) は (FN, C·FH·FW) で、im2col の行列 (N·OH·OW, C·FH·FW) と掛けるには"
             "転置して (C·FH·FW, FN) にします（col_W = W.reshape(FN, -1).T）。積は (N·OH·OW, FN) です。",
             "W.reshape(FN, -1) is (FN, C·FH·FW); to multiply it with im2col's (N·OH·OW, C·FH·FW) matrix it is "
             "transposed to (C·FH·FW, FN) (col_W = W.reshape(FN, -1).T), giving (N·OH·OW, FN).")),
    Misconception(
        "conv_filter_flipped",
        text("順伝播でフィルタを 180° 回転させている（数学の畳み込み）", "The filter flipped in the forward pass"),
        text("CNN の「畳み込み」は、フィルタをそのまま入力に重ねて対応する要素どうしを掛けて足す演算"
             "（相互相関）です：y[i, j] = Σₐ Σ_b x[i+a, j+b]·W[a, b] + b。信号処理の畳み込みのように"
             "フィルタを上下左右反転させてはいけません。",
             "A CNN's 'convolution' lays the filter on the input as it is and sums the products of the elements "
             "that meet (a cross-correlation): y[i, j] = Σₐ Σ_b x[i+a, j+b]·W[a, b] + b. The filter is not "
             "flipped as in the convolution of signal processing.")),
    Misconception(
        "conv_dw_not_summed",
        text("dW を 1 か所の出力だけから計算している（全位置の和を取っていない）",
             "dW from one output position only, not summed over all of them"),
        text("同じフィルタの重み W[a, b] は、出力のすべての位置で使われています（重み共有）。"
             "なので dW[a, b] は全位置の寄与の和 Σᵢ Σⱼ dout[i, j]·x[i+a, j+b] です。"
             "左上の位置の dout[0, 0]·x[a, b] だけでは足りません。",
             "The same filter weight W[a, b] is used at every output position (weight sharing), so dW[a, b] "
             "sums every position's contribution: Σᵢ Σⱼ dout[i, j]·x[i+a, j+b], not only dout[0, 0]·x[a, b] "
             "of the top-left position.")),
    Misconception(
        "conv_dx_filter_not_flipped",
        text("dx の計算でフィルタを 180° 回転させていない", "dx computed without flipping the filter"),
        text("x[p, q] は出力 y[i, j] に重み W[p−i, q−j] で効くので、dx[p, q] = Σᵢ Σⱼ dout[i, j]·W[p−i, q−j] です。"
             "これは dout（周りを 0 で埋めたもの）と 180° 回転したフィルタの畳み込みで、回転させずに W をそのまま"
             "重ねると別の値になります（col2im で逆伝播すれば自動的に正しくなります）。",
             "x[p, q] reaches y[i, j] with weight W[p−i, q−j], so dx[p, q] = Σᵢ Σⱼ dout[i, j]·W[p−i, q−j]: a "
             "convolution of the zero-padded dout with the filter rotated by 180°. Laying W on dout unrotated "
             "gives other numbers (backward through col2im gets this right by itself).")),
    Misconception(
        "maxpool_grad_everywhere",
        text("Max プーリングの逆伝播で、dout をウィンドウのすべての要素に流している",
             "Max-pooling backward sends dout to every element of the window"),
        text("Max プーリングの出力はウィンドウの最大値 1 つだけで決まるので、勾配 dout はその最大値の位置にだけ"
             "流れ、ほかの位置の勾配は 0 です（ReLU のマスクと同じ考え方）。",
             "A max-pooling output depends only on the maximum of its window, so dout flows to that one position "
             "and the others get 0 (the same idea as ReLU's mask).")),
    Misconception(
        "maxpool_grad_averaged",
        text("Max プーリングの逆伝播で、dout をウィンドウの要素数で割って全要素に配っている",
             "Max-pooling backward spreads dout divided by the window size"),
        text("dout / 4 をウィンドウの全要素に配るのは Average プーリングの逆伝播です。Max プーリングでは"
             "最大値の位置に dout をそのまま流し、ほかは 0 にします。",
             "Giving dout / 4 to every element of the window is average pooling's backward pass. Max pooling "
             "passes dout unchanged to the maximum's position and 0 to the others.")),
    Misconception(
        "avgpool_not_divided",
        text("Average プーリングの逆伝播で、ウィンドウの要素数で割っていない",
             "Average-pooling backward not divided by the window size"),
        text("Average プーリングの出力は y = (x₁ + x₂ + x₃ + x₄)/4 なので、各要素の勾配は dout/4 です。"
             "dout をそのまま全要素に配ると 4 倍の値になります。",
             "Average pooling outputs y = (x₁ + x₂ + x₃ + x₄)/4, so each element's gradient is dout/4; passing "
             "dout unchanged to every element gives 4 times that.")),
]

"""Known mistakes, each able to compute the answer it would produce.

Graph mistakes are mutated backward rules: the grader runs the exercise's own graph with
them, so every template gets them for free. The others (a forward difference, an update with
the wrong sign, ...) are computed by the part kinds and generators that can make them. The
training families' mistakes (optimizers, regularization, normalization, ...) are listed by
family in exercises/mistakes/.
"""
from __future__ import annotations

import numpy as np

from .autodiff import Add, BackwardRules, Mul, Neg, Pow, Square, Sub
from .autodiff.elementwise import ReLU, Sigmoid, Tanh
from .mistakes import TRAINING
from .mistakes.model import Misconception
from .mistakes.model import text as _t


def _ones_upstream(f, gy):
    return f.backward(np.ones_like(gy))


GRAPH = [
    Misconception("mul_no_swap", _t("乗算ノードで入力を入れ替えていない", "Mul node without swapping the inputs"),
                  _t("乗算ノード z = xy の逆伝播では、x への勾配は上流の勾配に**もう一方の入力 y** を掛けたもの、y への勾配は x を掛けたものです。入力を「入れ替えて」掛けるのがポイントです。",
                     "At a mul node z = xy the gradient to x is the upstream gradient times the *other* input y, and to y it is times x: the inputs swap places."),
                  BackwardRules({Mul: lambda f, gy: (gy * f.inputs[0].data, gy * f.inputs[1].data)}), (Mul,)),
    Misconception("dropped_upstream", _t("上流の勾配を掛け忘れている", "Upstream gradient dropped"),
                  _t("連鎖律では、各ノードの局所的な微分に上流（出力側）から流れてきた勾配を**掛け合わせ**ます。局所的な微分だけでは、出力に対する勾配になりません。",
                     "The chain rule multiplies each node's local derivative by the gradient flowing from upstream (the output side); the local derivative alone is not the gradient of the output."),
                  BackwardRules(every=_ones_upstream)),
    Misconception("fanout_overwritten", _t("分岐した勾配を足していない", "Fan-out gradients overwritten, not summed"),
                  _t("同じ変数が複数の場所で使われているときは、それぞれの経路から戻ってくる勾配を**すべて足し合わせ**ます（経路についての和）。",
                     "When a variable is used in several places, the gradients coming back along every path are summed (the sum over paths)."),
                  BackwardRules(overwrite_fanout=True)),
    Misconception("sign_error", _t("符号の扱いを間違えている（neg・引き算）", "Sign error through neg or subtraction"),
                  _t("y = -x の微分は -1、z = x - y の y についての微分は -1 です。引き算の右側と符号反転のノードでは、勾配の符号が反転します。",
                     "d(-x)/dx = -1 and d(x - y)/dy = -1: the gradient changes sign through a negation and through the right-hand side of a subtraction."),
                  BackwardRules({Neg: lambda f, gy: gy, Sub: lambda f, gy: (gy, gy)}), (Neg, Sub)),
    Misconception("add_swapped_like_mul", _t("加算ノードで入力を掛けている", "Add node treated like a mul node"),
                  _t("加算ノードの逆伝播は、上流の勾配を**そのまま**（1 倍して）両方の入力に流します。乗算ノードのように入力の値を掛けてはいけません。",
                     "An add node passes the upstream gradient on unchanged (times 1) to both inputs; it does not multiply by the inputs like a mul node."),
                  BackwardRules({Add: lambda f, gy: (gy * f.inputs[1].data, gy * f.inputs[0].data)}), (Add,)),
    Misconception("power_rule_no_factor", _t("べき乗の微分で係数を落としている", "Power rule without its factor"),
                  _t("$x^n$ の微分は $n x^{n-1}$ です。$x^2$ なら $2x$ で、係数 2 を忘れないようにしましょう。",
                     "The derivative of $x^n$ is $n x^{n-1}$: for $x^2$ it is $2x$; keep the factor 2."),
                  BackwardRules({Square: lambda f, gy: gy * f.inputs[0].data,
                                 Pow: lambda f, gy: gy * f.inputs[0].data ** (f.c - 1)}), (Square, Pow)),
    Misconception("sigmoid_from_x", _t("シグモイドの微分を入力 x で計算している", "Sigmoid' computed from x instead of y"),
                  _t("シグモイド y = σ(x) の微分は y(1 - y) で、**出力 y** を使います。x(1 - x) ではありません。",
                     "The derivative of y = sigmoid(x) is y(1 - y), in terms of the output y, not x(1 - x)."),
                  BackwardRules({Sigmoid: lambda f, gy: gy * f.inputs[0].data * (1 - f.inputs[0].data)}), (Sigmoid,)),
    Misconception("relu_no_mask", _t("ReLU で勾配を止めていない", "ReLU gradient not masked"),
                  _t("ReLU は順伝播で x > 0 だった要素だけ勾配を通し、x ≤ 0 だった要素では勾配を 0 にします（mask）。",
                     "ReLU passes the gradient only where x > 0 in the forward pass and sets it to 0 elsewhere (the mask)."),
                  BackwardRules({ReLU: lambda f, gy: gy}), (ReLU,)),
    Misconception("tanh_from_x", _t("tanh の微分を入力 x で計算している", "tanh' computed from x instead of y"),
                  _t("y = tanh(x) の微分は 1 - y² で、**出力 y** を使います。1 - x² ではありません。",
                     "The derivative of y = tanh(x) is 1 - y², in terms of the output y, not 1 - x²."),
                  BackwardRules({Tanh: lambda f, gy: gy * (1 - f.inputs[0].data ** 2)}), (Tanh,)),
]

OTHER = [
    Misconception("chain_inner_forgotten", _t("連鎖律で内側の関数の微分を掛け忘れている", "Inner derivative forgotten in the chain rule"),
                  _t("合成関数 y = f(g(x)) の微分は f'(g(x))·g'(x) です。外側の関数を微分しただけでは足りず、内側の関数の微分 g'(x) を掛けます（sin(x²) なら cos(x²)·2x）。",
                     "The derivative of y = f(g(x)) is f'(g(x))·g'(x): differentiating the outer function is not enough, the inner derivative g'(x) multiplies it (for sin(x²): cos(x²)·2x).")),
    Misconception("tax_forgotten", _t("消費税（税率）を掛け忘れている", "Tax factor forgotten"),
                  _t("税込み価格 = 合計 × 税率 なので、りんごの単価などについての微分にも税率が掛かります。逆伝播では最後の乗算ノードから税率が流れてきます。",
                     "price = total × tax, so the gradient for each unit price also carries the tax factor, which flows back from the last mul node.")),
    Misconception("path_missed", _t("経路の一方だけをたどっている（経路の和を取っていない）", "Only one path followed, not the sum over paths"),
                  _t("b から E へは c を通る経路と d を通る経路があります。∂E/∂b は経路ごとの微分の積を**すべての経路について足したもの**です（∂E/∂c·∂c/∂b + ∂E/∂d·∂d/∂b）。",
                     "From b to E there is a path through c and one through d. ∂E/∂b is the product of the derivatives along each path, **summed over every path** (∂E/∂c·∂c/∂b + ∂E/∂d·∂d/∂b).")),
    Misconception("extra_sigmoid_derivative", _t("シグモイドと交差エントロピーで σ′ を余分に掛けている", "An extra σ′ with sigmoid and cross-entropy"),
                  _t("交差エントロピーを y で微分した -(t/y) + (1-t)/(1-y) に σ′(u) = y(1-y) を掛けると、ちょうど y - t になります。σ′ はこの約分で使い切っているので、y - t にさらに y(1-y) を掛けるのは二重計上です。",
                     "Multiplying the cross-entropy's derivative in y, -(t/y) + (1-t)/(1-y), by σ′(u) = y(1-y) gives exactly y - t: σ′ is used up in that cancellation, so multiplying y - t by y(1-y) again counts it twice.")),
    Misconception("central_over_h", _t("中心差分を 2h ではなく h で割っている", "Central difference divided by h, not 2h"),
                  _t("中心差分は x-h から x+h までの幅 2h の区間の傾きなので、(f(x+h) - f(x-h)) / 2h です。h で割ると、ちょうど 2 倍の値になります。",
                     "The central difference is the slope over the interval from x-h to x+h, whose width is 2h: (f(x+h) - f(x-h)) / 2h. Dividing by h gives exactly twice that.")),
    Misconception("dtax_total_price", _t("dTax に税込みの支払い金額を答えている", "dTax answered with the price including tax"),
                  _t("price = (税抜きの合計) × tax なので、∂price/∂tax は乗算ノードのもう一方の入力、つまり税抜きの合計です。税込みの price ではありません。",
                     "price = (total before tax) × tax, so ∂price/∂tax is the mul node's other input, the total before tax, not the price with tax.")),
    Misconception("forward_difference", _t("中心差分ではなく前進差分で計算している", "Forward instead of central difference"),
                  _t("中心差分は (f(x+h) - f(x-h)) / 2h です。(f(x+h) - f(x)) / h は前進差分で、誤差が h に比例して大きくなります。",
                     "The central difference is (f(x+h) - f(x-h)) / 2h; (f(x+h) - f(x)) / h is the forward difference, whose error grows in proportion to h.")),
    Misconception("update_wrong_sign", _t("更新の符号が逆（勾配の方向に進んでいる）", "Update with the wrong sign"),
                  _t("勾配降下法の更新は w ← w - η ∂L/∂w です。勾配は損失が増える方向なので、**引いて**逆向きに進みます。",
                     "Gradient descent updates w ← w - η ∂L/∂w: the gradient points uphill, so we subtract it.")),
    Misconception("update_no_lr", _t("学習率を掛け忘れている", "Learning rate forgotten"),
                  _t("更新量は勾配そのものではなく、学習率 η を掛けた η ∂L/∂w です。",
                     "The step is the gradient times the learning rate η, not the gradient itself.")),
    Misconception("dw_no_transpose", _t("dW で転置を忘れている", "dW without the transpose"),
                  _t("Affine レイヤでは dW = Xᵀ · dout です。X を転置しないと形が合わないか、別の値になります。",
                     "In an affine layer dW = Xᵀ · dout; without transposing X the shape or the values are wrong.")),
    Misconception("dx_no_transpose", _t("dx で W の転置を忘れている", "dx without transposing W"),
                  _t("Affine レイヤでは dx = dout · Wᵀ です。W をそのまま掛けると、形が合わないか（W が正方行列なら）別の値になります。",
                     "In an affine layer dx = dout · Wᵀ; multiplying by W itself gives the wrong shape or, for a square W, the wrong values.")),
    Misconception("relu_mask_inverted", _t("ReLU の mask を逆に使っている", "ReLU mask inverted"),
                  _t("mask は順伝播で x ≤ 0 だった要素を表します。逆伝播では mask が True の要素の勾配を 0 にし、x > 0 だった要素はそのまま通します。",
                     "The mask marks the elements where x ≤ 0 in the forward pass; backward sets the gradient to 0 where the mask is True and passes it where x > 0.")),
    Misconception("dw_dout_xt", _t("dW を dout·xᵀ（列ベクトルの式）で計算している", "dW computed as dout·xᵀ (the column-vector formula)"),
                  _t("Y = XW + b（X の各行が1つのデータ）では dW = Xᵀ·dout で、形は W と同じ (D, M) です。y = Wx（列ベクトル）の式 dW = dout·xᵀ をそのまま持ち込むと、掛ける順序と転置が合いません。",
                     "With Y = XW + b (one sample per row of X), dW = Xᵀ·dout, of W's shape (D, M). Carrying over dW = dout·xᵀ from the column-vector form y = Wx gets the order and the transposes wrong.")),
    Misconception("dw_uses_w", _t("dW に X ではなく W を使っている", "dW computed with W instead of X"),
                  _t("W についての勾配には、W に掛かっているもう一方の入力 X を使います（dW = Xᵀ·dout）。W を使うのは dx = dout·Wᵀ の方です。",
                     "The gradient for W uses the other input of the product, X (dW = Xᵀ·dout). W belongs in dx = dout·Wᵀ.")),
    Misconception("db_averaged", _t("db を平均している", "db averaged instead of summed"),
                  _t("バイアスはバッチのすべてのデータに足されているので、db は dout をバッチ方向（axis=0）に**合計**したものです。",
                     "The bias is added to every row of the batch, so db is the sum of dout over the batch axis (axis=0), not the mean.")),
    Misconception("db_wrong_axis", _t("db を間違った軸で合計している", "db summed over the wrong axis"),
                  _t("db = np.sum(dout, axis=0) です。axis=1 で合計するとデータごとの和になり、b の形と合いません。",
                     "db = np.sum(dout, axis=0); summing over axis=1 gives one value per sample, not per bias."),),
    Misconception("softmax_no_n", _t("Softmax-with-Loss の勾配を N で割っていない", "Softmax-with-loss gradient not divided by N"),
                  _t("損失をバッチで平均しているので、逆伝播も (y - t) / N になります。",
                     "The loss is the mean over the batch, so the gradient is (y - t) / N.")),
    Misconception("residual_reversed", _t("(y - t) ではなく (t - y) にしている", "(t - y) instead of (y - t)"),
                  _t("交差エントロピー（や二乗和誤差）の勾配は、出力から正解を引いた (y - t) です。(t - y) では符号が逆になり、勾配降下法で損失が増える向きに進みます。",
                     "The gradient of cross-entropy (and of the squared error) is the output minus the target, (y - t). (t - y) has the opposite sign, and gradient descent would then climb the loss.")),
    Misconception("softmax_n_twice", _t("Softmax-with-Loss の勾配を N で2回割っている", "Softmax-with-loss gradient divided by N twice"),
                  _t("損失をバッチで平均するとき、1/N は一度だけ掛かります。逆伝播は (y - t) / N で、さらに N で割ると N² で割ったことになります。",
                     "Averaging the loss over the batch brings one factor 1/N: the gradient is (y - t) / N, and dividing by N again divides by N².")),
    Misconception("relu_blocks_negative_dout", _t("ReLU で dout が負のところの勾配を止めている", "ReLU blocking where dout is negative"),
                  _t("ReLU の mask は順伝播の入力 x で決まります（x > 0 なら通す）。流れてくる dout の符号は関係なく、x > 0 の要素では負の dout もそのまま通ります。",
                     "ReLU's mask comes from the forward input x (pass where x > 0). The sign of the incoming dout does not matter: where x > 0 a negative dout passes unchanged.")),
    Misconception("wrong_choice", _t("選択肢の誤り", "Wrong choice"),
                  _t("解説を読んで、どこが違うか確かめましょう。", "Read the explanation to see what differs.")),
]

MISCONCEPTIONS: dict[str, Misconception] = {m.id: m for m in GRAPH + OTHER + TRAINING}
FAMILY_ALIASES = {("shopping", "dropped_upstream"): "tax_forgotten"}


def for_family(family: str, misconception_id: str) -> Misconception:
    """The name a learner of this family knows the mistake by."""
    return MISCONCEPTIONS[FAMILY_ALIASES.get((family, misconception_id), misconception_id)]

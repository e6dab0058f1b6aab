"""Mistakes of the RNN, BPTT, clipping and LSTM exercises."""
from __future__ import annotations

from .model import Misconception, text

MISTAKES: list[Misconception] = [
    # ---------------------------------------------------------------- BPTT
    Misconception(
        "bptt_last_step_only",
        text("BPTT で最後の時刻の項だけを使っている", "BPTT with the last time step's term only"),
        text("RNN では同じ重み $W_h$ がすべての時刻で使われます。$\\partial L/\\partial W_h$ は時刻ごとの項 "
             "$\\delta_t\\,h_{t-1}$（$\\delta_t = \\partial L/\\partial a_t$）を**すべての時刻について足したもの**です。"
             "最後の時刻の項だけでは、$h_{T-1}$ を通って過去へさかのぼる経路の勾配が抜け落ちます。",
             "An RNN uses the same weight $W_h$ at every time step, so $\\partial L/\\partial W_h$ is the sum over all "
             "time steps of the terms $\\delta_t\\,h_{t-1}$ ($\\delta_t = \\partial L/\\partial a_t$). The last step's "
             "term alone leaves out every path that runs back through $h_{T-1}$ into the past.")),
    Misconception(
        "bptt_not_summed",
        text("時刻ごとの重みの勾配を足し合わせず上書きしている", "Per-step weight gradients overwritten, not summed"),
        text("本の TimeRNN の backward は、各時刻の RNN レイヤの勾配を `grads[i] += grad` で**足し合わせ**ます。"
             "`grads[i] = grad` と上書きすると、逆向きのループで最後に処理した時刻 $t = 1$ の項だけが残ります。",
             "The book's TimeRNN backward adds up the gradients of every time step's RNN layer with "
             "`grads[i] += grad`. Overwriting them with `grads[i] = grad` keeps only the term of the step the "
             "backward loop handles last, $t = 1$.")),
    # ---------------------------------------------------------------- vanishing / exploding
    Misconception(
        "vanishing_product_as_sum",
        text("時間方向の勾配の係数を積ではなく和にしている", "The factors through time added instead of multiplied"),
        text("連鎖律により $\\partial h_T/\\partial h_0 = \\prod_t \\partial h_t/\\partial h_{t-1} = "
             "\\prod_t w\\,\\tanh'(a_t)$ で、時刻ごとの係数の**積**です。積なので、係数の大きさが 1 より小さければ"
             "指数的に小さく（勾配消失）、1 より大きければ指数的に大きく（勾配爆発）なります。",
             "By the chain rule $\\partial h_T/\\partial h_0 = \\prod_t \\partial h_t/\\partial h_{t-1} = "
             "\\prod_t w\\,\\tanh'(a_t)$, a **product** of the per-step factors: below 1 in size it shrinks "
             "exponentially (vanishing), above 1 it grows exponentially (exploding).")),
    Misconception(
        "vanishing_tanh_ignored",
        text("tanh の微分を掛け忘れている（w^T としている）", "tanh′ left out (taken as w^T)"),
        text("$h_t = \\tanh(a_t)$ なので、各時刻の係数は $w$ だけでなく $\\tanh'(a_t) = 1 - h_t^2$ との積 "
             "$w\\,(1 - h_t^2)$ です。$\\tanh' \\le 1$ なので、この分だけ勾配はさらに小さくなります。",
             "$h_t = \\tanh(a_t)$, so each step's factor is not $w$ alone but $w\\,\\tanh'(a_t) = w\\,(1 - h_t^2)$; "
             "since $\\tanh' \\le 1$ it shrinks the gradient further.")),
    Misconception(
        "clipping_for_vanishing",
        text("勾配クリッピングで勾配消失を防げると考えている", "Gradient clipping taken as a remedy for vanishing"),
        text("勾配クリッピングは勾配のノルムがしきい値を超えたときに**縮める**だけなので、勾配爆発への対策です。"
             "小さくなりすぎた勾配を大きくはしません。勾配消失には LSTM・GRU のゲート付きのセル（記憶セルを通る"
             "経路では $W_h$ の繰り返しの積を通らない）、ReLU、適切な初期値などを使います。",
             "Gradient clipping only **shrinks** a gradient whose norm exceeds a threshold: it is a remedy for "
             "exploding gradients and never enlarges one that has become too small. Vanishing gradients call for "
             "gated cells (LSTM, GRU: the path through the memory cell avoids the repeated product with $W_h$), ReLU "
             "or a good initialization.")),
    Misconception(
        "gating_for_exploding",
        text("勾配爆発の対策に LSTM・GRU のゲートを選んでいる", "Gating (LSTM, GRU) chosen against exploding gradients"),
        text("LSTM・GRU のゲートは、記憶セルを通る経路で勾配が $W_h$ の繰り返しの積を通らないようにして"
             "**勾配消失**を和らげる仕組みです。勾配爆発に対する標準的な対策は勾配クリッピングで、LSTM でも"
             "クリッピングを併用します。",
             "The gates of an LSTM or GRU ease **vanishing** gradients: along the memory cell the gradient avoids the "
             "repeated product with $W_h$. The standard remedy for exploding gradients is gradient clipping, used with "
             "LSTMs too.")),
    # ---------------------------------------------------------------- gradient clipping
    Misconception(
        "clip_per_array",
        text("配列ごとに自分のノルムでクリッピングしている", "Each array clipped by its own norm"),
        text("本の `clip_grads` は、すべてのパラメータの勾配をまとめた**全体の**ノルム "
             "$\\sqrt{\\sum g^2}$ を1つ求め、それが max_norm を超えたら**すべての**勾配に同じ rate を掛けます。"
             "配列ごとに別々のノルムで縮めると、勾配の向きが変わってしまいます。",
             "The book's `clip_grads` computes one **global** norm $\\sqrt{\\sum g^2}$ over every parameter's "
             "gradient and, when it exceeds max_norm, multiplies **every** gradient by the same rate. Clipping each "
             "array by its own norm changes the gradient's direction.")),
    Misconception(
        "clip_elementwise",
        text("要素ごとに ±max_norm で切り詰めている（np.clip）", "Elements cut to ±max_norm (np.clip)"),
        text("勾配クリッピング（ノルムによるクリッピング）は勾配全体を rate 倍して**向きを保ったまま**大きさだけを"
             "max_norm にそろえます。`np.clip(g, -max_norm, max_norm)` のように要素ごとに切り詰めるのは別の方法で、"
             "本の `clip_grads` ではありません。",
             "Gradient clipping by norm multiplies the whole gradient by rate, keeping its **direction** and bringing "
             "its size down to max_norm. Cutting each element with `np.clip(g, -max_norm, max_norm)` is another "
             "method, not the book's `clip_grads`.")),
    Misconception(
        "clip_norm_not_sqrt",
        text("ノルムの平方根を取り忘れている（2乗和のまま）", "The norm's square root forgotten (the sum of squares)"),
        text("L2 ノルムは $\\|g\\| = \\sqrt{\\sum g^2}$ です。`np.sqrt` を忘れて2乗和のまま比べると、"
             "rate = max_norm / total_norm も違う値になります。",
             "The L2 norm is $\\|g\\| = \\sqrt{\\sum g^2}$; without `np.sqrt` the sum of squares is compared with "
             "max_norm and rate = max_norm / total_norm comes out wrong too.")),
    # ---------------------------------------------------------------- LSTM
    Misconception(
        "lstm_dc_not_times_f",
        text("記憶セルの勾配に忘却ゲート f を掛けていない", "dc_prev without the forget gate f"),
        text("$c_t = f \\odot c_{t-1} + i \\odot g$ なので、$\\partial c_t/\\partial c_{t-1} = f$ で、"
             "$dc_{t-1} = ds \\odot f$ です（ds は $c_t$ に流れてきた勾配）。"
             "記憶セルの経路の勾配は、忘却ゲートの値を掛けながら過去へ流れます。",
             "$c_t = f \\odot c_{t-1} + i \\odot g$, so $\\partial c_t/\\partial c_{t-1} = f$ and "
             "$dc_{t-1} = ds \\odot f$ (ds being the gradient reaching $c_t$): along the memory cell the gradient "
             "flows back multiplied by the forget gate.")),
    Misconception(
        "lstm_gate_swapped",
        text("忘却ゲート f と入力ゲート i を取り違えている", "The forget gate f and the input gate i swapped"),
        text("$c_t = f \\odot c_{t-1} + i \\odot g$ で、忘却ゲート f は過去の記憶 $c_{t-1}$ に、入力ゲート i は"
             "新しい情報 g に掛かります。したがって $dc_{t-1} = ds \\odot f$、$df = ds \\odot c_{t-1}$、"
             "$di = ds \\odot g$、$dg = ds \\odot i$ です。",
             "In $c_t = f \\odot c_{t-1} + i \\odot g$ the forget gate f multiplies the old memory $c_{t-1}$ and the "
             "input gate i the new information g, so $dc_{t-1} = ds \\odot f$, $df = ds \\odot c_{t-1}$, "
             "$di = ds \\odot g$ and $dg = ds \\odot i$.")),
    Misconception(
        "lstm_dh_path_dropped",
        text("h_t から c_t に戻る勾配を足していない", "The gradient from h_t back into c_t not added"),
        text("$c_t$ は次の時刻の記憶セルだけでなく $h_t = o \\odot \\tanh(c_t)$ にも使われているので、$c_t$ の勾配は"
             "2つの経路の和 $ds = dc_t + dh_t \\odot o \\odot (1 - \\tanh^2 c_t)$ です（本の LSTM の backward）。",
             "$c_t$ feeds the next memory cell and also $h_t = o \\odot \\tanh(c_t)$, so its gradient is the sum of "
             "both paths, $ds = dc_t + dh_t \\odot o \\odot (1 - \\tanh^2 c_t)$ (the book's LSTM backward).")),
]

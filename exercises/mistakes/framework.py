"""Mistakes of the framework autograd code (PyTorch, TensorFlow) exercises."""
from __future__ import annotations

from .model import Misconception, text

MISTAKES: list[Misconception] = [
    Misconception(
        "grad_accumulates",
        text("勾配が足し込まれるかどうかを取り違えている（PyTorch の .grad は zero_grad まで累積する）",
             "Gradient accumulation mistaken (PyTorch's .grad adds up until zero_grad)"),
        text("PyTorch の `backward()` は勾配を `.grad` に**足し込み**ます。`optimizer.zero_grad()`（`x.grad.zero_()`）で"
             "0 に戻さない限り、前の backward の勾配が残ったままです。一方 TensorFlow の `tape.gradient` は毎回新しい勾配を"
             "戻り値で返すだけで、どこにも累積しません。",
             "PyTorch's `backward()` **adds** the gradient into `.grad`: until `optimizer.zero_grad()` "
             "(`x.grad.zero_()`) resets it, the earlier backward passes' gradients stay in it. TensorFlow's "
             "`tape.gradient` instead returns a new gradient each time and accumulates nothing.")),
    Misconception(
        "no_grad_still_tracks",
        text("torch.no_grad()（tape.stop_recording()）の中の計算も微分されると思っている",
             "Computations inside torch.no_grad() (tape.stop_recording()) taken as still tracked"),
        text("`torch.no_grad()` や `tape.stop_recording()` の中の計算は計算グラフに記録されません。そこで作った値は"
             "入力につながらない定数として扱われ、そこを通る経路の勾配は 0 です。",
             "Nothing computed inside `torch.no_grad()` or `tape.stop_recording()` is recorded: the values made there "
             "are constants, not connected to the inputs, and no gradient flows along that path.")),
    Misconception(
        "detach_keeps_graph",
        text("detach()（tf.stop_gradient）した値にも勾配が流れると思っている",
             "A detach()ed value (tf.stop_gradient) taken as still passing gradients"),
        text("`y.detach()` と `tf.stop_gradient(y)` は、y と同じ値を持つが計算グラフから切り離された値です。"
             "逆伝播ではそこで勾配が止まるので、その値は定数として微分します。",
             "`y.detach()` and `tf.stop_gradient(y)` have y's value but are cut off from the graph: the gradient stops "
             "there, and the value is differentiated as a constant.")),
    Misconception(
        "retain_graph_forgotten",
        text("backward のあと計算グラフが解放されることを忘れている（retain_graph）",
             "Forgetting that backward frees the graph (retain_graph)"),
        text("PyTorch は `backward()` が終わると計算グラフ（逆伝播に使う途中の値）を解放します。同じグラフで 2 回目の "
             "backward をすると RuntimeError です。2 回以上 backward するには、前の呼び出しで "
             "`retain_graph=True` を指定します。",
             "PyTorch frees the graph (the values saved for the backward pass) once `backward()` is done; a second "
             "backward on the same graph raises a RuntimeError. To go backward again, the earlier call needs "
             "`retain_graph=True`.")),
    Misconception(
        "requires_grad_missing",
        text("requires_grad=False のテンソルにも勾配が入ると思っている",
             "A tensor with requires_grad=False taken as getting a gradient"),
        text("PyTorch が `.grad` に勾配を入れるのは `requires_grad=True` の葉テンソルだけです。"
             "`torch.tensor(2.0)` のように作ったテンソルの `.grad` は `None` のままです。",
             "PyTorch fills `.grad` only for leaf tensors with `requires_grad=True`; the `.grad` of a tensor made as "
             "`torch.tensor(2.0)` stays `None`.")),
    Misconception(
        "tape_not_persistent",
        text("persistent=False のテープで tape.gradient を 2 回呼べると思っている",
             "A non-persistent tape taken as usable for two tape.gradient calls"),
        text("`tf.GradientTape()` は既定で `persistent=False` で、`tape.gradient` を 1 回呼ぶと記録を解放します。"
             "2 回目の呼び出しは RuntimeError です。複数の勾配を求めるには `tf.GradientTape(persistent=True)` を使います。",
             "`tf.GradientTape()` is `persistent=False` by default and releases its record after one `tape.gradient` "
             "call; a second call raises a RuntimeError. Use `tf.GradientTape(persistent=True)` for several gradients.")),
    Misconception(
        "tape_constant_unwatched",
        text("監視されていない値（tf.constant、trainable=False）でも勾配が求まると思っている",
             "An unwatched value (tf.constant, trainable=False) taken as having a gradient"),
        text("GradientTape が自動で監視するのは学習可能な `tf.Variable` だけです。`tf.constant` や "
             "`trainable=False` の Variable についての勾配は `None` になります。必要なら `tape.watch(x)` で監視します。",
             "A GradientTape watches trainable `tf.Variable`s only: the gradient with respect to a `tf.constant` or a "
             "`trainable=False` Variable is `None`. Call `tape.watch(x)` to watch one.")),
    Misconception(
        "create_graph_missing",
        text("微分の計算を記録せずに 2 階微分が求まると思っている（create_graph）",
             "A second derivative expected without recording the first (create_graph)"),
        text("2 階微分を求めるには、1 回目の微分の計算そのものを計算グラフに記録しておく必要があります。PyTorch では "
             "`create_graph=True`、TensorFlow では内側の `gradient` を外側のテープの `with` の中で計算します。"
             "記録しないと 1 回目の勾配はただの値（定数）で、もう一度は微分できません。",
             "A second derivative needs the first differentiation itself recorded in the graph: `create_graph=True` "
             "in PyTorch, the inner `gradient` computed inside the outer tape's `with` block in TensorFlow. Unrecorded, "
             "the first gradient is a plain value (a constant) and cannot be differentiated again.")),
]

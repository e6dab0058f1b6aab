"""The table of programs of ``framework-autograd-code``: for each framework and case, the code
shown (``{x}`` and ``{k}`` filled in), what the question asks, and the explanation of the
feature. What each program prints is decided elsewhere (``framework_code``), by running its
equivalent in our engine; nothing here is ever executed.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .base import t

FRAMEWORKS = ("pytorch", "tensorflow")
ERROR = "error"  # the program stops with a RuntimeError
NAMES = {"pytorch": "PyTorch", "tensorflow": "TensorFlow"}


@dataclass(frozen=True)
class Program:
    kind: str            # "value": the number printed; "choice": what happens
    ks: tuple            # the exponents k the program is drawn with
    code: str
    explanation: dict    # ja/en: the feature, and why the program prints what it prints
    literals: tuple = ()  # other numbers the code shows (an answer equal to one is redrawn)


PT = "import torch\n\n"
TF = "import tensorflow as tf\n\n"

PYTORCH = {
    "accumulate": Program("value", (2, 3), PT + """x = torch.tensor({x}, requires_grad=True)
for _ in range(2):
    y = x ** {k}
    y.backward()
print(x.grad.item())""", t(
        "PyTorch の `backward()` は勾配を `x.grad` に**足し込み**ます（上書きしません）。ループで 2 回 backward すると "
        "$2 \\cdot kx^{k-1}$ になります。学習ループで毎回 `optimizer.zero_grad()`（または `x.grad.zero_()`）を"
        "呼ぶのはこのためです。",
        "PyTorch's `backward()` **adds** into `x.grad` (it does not overwrite it): two backward calls in the loop give "
        "$2 \\cdot kx^{k-1}$. That is why a training loop calls `optimizer.zero_grad()` (or `x.grad.zero_()`) every time."),
        (2,)),
    "zero_grad": Program("value", (2, 3), PT + """x = torch.tensor({x}, requires_grad=True)
for i in range(3):
    if i == 1:
        x.grad.zero_()
    y = x ** {k}
    y.backward()
print(x.grad.item())""", t(
        "`x.grad` は backward のたびに足し込まれ、`zero_()` で 0 に戻ります。i = 0 で $kx^{k-1}$、i = 1 の最初に 0 に戻して "
        "$kx^{k-1}$、i = 2 で足し込まれて $2kx^{k-1}$ が表示されます。",
        "`x.grad` accumulates at every backward and `zero_()` resets it: $kx^{k-1}$ after i = 0, reset then $kx^{k-1}$ at "
        "i = 1, and $2kx^{k-1}$ after i = 2 adds into it."), (1, 3)),
    "no_grad": Program("value", (2, 3), PT + """x = torch.tensor({x}, requires_grad=True)
y = x ** {k}
with torch.no_grad():
    z = y * 2
w = y + z
w.backward()
print(x.grad.item())""", t(
        "`torch.no_grad()` の中の計算は計算グラフに記録されません。z は x につながらない定数扱いになり、w = y + z の勾配は "
        "y を通る経路だけ、$kx^{k-1}$ です（記録されていれば $3kx^{k-1}$）。推論やパラメータの更新で使います。",
        "Nothing computed inside `torch.no_grad()` is recorded: z is a constant not connected to x, so w = y + z has the "
        "gradient of the path through y only, $kx^{k-1}$ (recorded it would be $3kx^{k-1}$). Used for inference and "
        "parameter updates."), (2,)),
    "detach": Program("value", (2, 3), PT + """x = torch.tensor({x}, requires_grad=True)
y = x ** {k}
z = y.detach() * x
z.backward()
print(x.grad.item())""", t(
        "`detach()` は同じ値を持つ、グラフから切り離されたテンソルを返します。z = (定数 $x^k$) × x なので "
        "dz/dx は $x^k$ です（切り離さなければ $z = x^{k+1}$ で $(k+1)x^k$）。",
        "`detach()` returns a tensor with the same values, cut off from the graph: z = (the constant $x^k$) × x, so "
        "dz/dx = $x^k$ (without the detach z = $x^{k+1}$ and the gradient $(k+1)x^k$)."), ()),
    "reuse": Program("choice", (2, 3), PT + """x = torch.tensor({x}, requires_grad=True)
y = x ** {k}
y.backward()
y.backward()
print(x.grad.item())""", t(
        "PyTorch は backward が終わると計算グラフ（途中の値）を解放するので、同じグラフで 2 回目の `y.backward()` は "
        "RuntimeError になります。2 回 backward したいときは 1 回目を `y.backward(retain_graph=True)` にします"
        "（そのときは勾配が足し込まれて $2kx^{k-1}$）。",
        "PyTorch frees the graph (its saved values) once backward is done, so a second `y.backward()` on the same graph "
        "raises a RuntimeError. To go backward twice the first call must be `y.backward(retain_graph=True)` (then the "
        "gradients add up to $2kx^{k-1}$)."), ()),
    "untracked": Program("choice", (2, 3), PT + """x = torch.tensor({x}, requires_grad=True)
c = torch.tensor(2.0)
y = c * x ** {k}
y.backward()
print(c.grad)""", t(
        "勾配が計算されて `.grad` に入るのは `requires_grad=True` の葉テンソルだけです。c は requires_grad=False なので "
        "`c.grad` は `None` のままです（x.grad は $2kx^{k-1}$）。",
        "Only leaf tensors with `requires_grad=True` get a gradient in `.grad`. c has requires_grad=False, so `c.grad` "
        "stays `None` (x.grad is $2kx^{k-1}$)."), (2,)),
    "double": Program("value", (3, 4), PT + """x = torch.tensor({x}, requires_grad=True)
y = x ** {k}
(gx,) = torch.autograd.grad(y, x, create_graph=True)
(gxx,) = torch.autograd.grad(gx, x)
print(gxx.item())""", t(
        "`create_graph=True` で 1 回目の微分そのものが計算グラフに記録されるので、gx = $kx^{k-1}$ をもう一度微分でき、"
        "2 階微分 $k(k-1)x^{k-2}$ が得られます（ニュートン法やヘッセ行列の計算に使う二重逆伝播）。",
        "With `create_graph=True` the first differentiation is itself recorded, so gx = $kx^{k-1}$ can be differentiated "
        "again: the second derivative $k(k-1)x^{k-2}$ (double backprop, as in Newton's method)."), ()),
    "create_graph": Program("choice", (3, 4), PT + """x = torch.tensor({x}, requires_grad=True)
y = x ** {k}
(gx,) = torch.autograd.grad(y, x)
(gxx,) = torch.autograd.grad(gx, x)
print(gxx.item())""", t(
        "`create_graph` を指定しない 1 回目の `torch.autograd.grad` は逆伝播を記録しないので、gx はグラフを持たない"
        "（requires_grad=False の）テンソルです。それをもう一度微分しようとすると RuntimeError になります。"
        "2 階微分には `create_graph=True` が必要です。",
        "Without `create_graph` the first `torch.autograd.grad` does not record its backward pass, so gx is a tensor "
        "with no graph (requires_grad=False); differentiating it again raises a RuntimeError. A second derivative needs "
        "`create_graph=True`."), ()),
}

TENSORFLOW = {
    "accumulate": Program("value", (2, 3), TF + """x = tf.Variable({x})
for _ in range(2):
    with tf.GradientTape() as tape:
        y = x ** {k}
    g = tape.gradient(y, x)
print(g.numpy())""", t(
        "`tape.gradient` は勾配を**戻り値として**新しく返し、どこかに足し込むことはありません（PyTorch の `.grad` との違い）。"
        "2 回目のテープの勾配もそのまま $kx^{k-1}$ です。",
        "`tape.gradient` **returns** a new gradient each time and adds it into nothing (unlike PyTorch's `.grad`): the "
        "second tape's gradient is $kx^{k-1}$ again."), (2,)),
    "no_grad": Program("value", (2, 3), TF + """x = tf.Variable({x})
with tf.GradientTape() as tape:
    y = x ** {k}
    with tape.stop_recording():
        z = y * 2
    w = y + z
print(tape.gradient(w, x).numpy())""", t(
        "`tape.stop_recording()` の中の計算はテープに記録されません（PyTorch の `torch.no_grad()` に当たります）。"
        "z は定数扱いで、w = y + z の勾配は y の経路だけの $kx^{k-1}$ です（記録されていれば $3kx^{k-1}$）。",
        "Nothing inside `tape.stop_recording()` goes on the tape (PyTorch's `torch.no_grad()`): z is a constant and "
        "w = y + z has the gradient of y's path only, $kx^{k-1}$ (recorded it would be $3kx^{k-1}$)."), (2,)),
    "detach": Program("value", (2, 3), TF + """x = tf.Variable({x})
with tf.GradientTape() as tape:
    y = x ** {k}
    z = tf.stop_gradient(y) * x
print(tape.gradient(z, x).numpy())""", t(
        "`tf.stop_gradient(y)` は順伝播では y と同じ値、逆伝播では勾配を通さない定数です（PyTorch の `detach()`）。"
        "z = (定数 $x^k$) × x なので勾配は $x^k$ です（止めなければ $(k+1)x^k$）。",
        "`tf.stop_gradient(y)` has y's value forward and passes no gradient backward (PyTorch's `detach()`): "
        "z = (the constant $x^k$) × x, so the gradient is $x^k$ (without it $(k+1)x^k$)."), ()),
    "reuse": Program("choice", (2, 3), TF + """x = tf.Variable({x})
with tf.GradientTape() as tape:
    y = x ** {k}
    z = y * x
dy = tape.gradient(y, x)
dz = tape.gradient(z, x)
print(dz.numpy())""", t(
        "`persistent=True` を付けない GradientTape は、`tape.gradient` を 1 回呼ぶと資源を解放します。2 回目の呼び出しは "
        "RuntimeError です。同じテープで何度も勾配を求めるには `tf.GradientTape(persistent=True)` にします"
        "（そのとき dz は $(k+1)x^k$）。",
        "A GradientTape without `persistent=True` releases its resources after one `tape.gradient` call; the second "
        "call raises a RuntimeError. For several gradients from one tape use `tf.GradientTape(persistent=True)` "
        "(then dz is $(k+1)x^k$)."), ()),
    "untracked": Program("choice", (2, 3), TF + """x = tf.constant({x})
with tf.GradientTape() as tape:
    y = x ** {k}
print(tape.gradient(y, x))""", t(
        "テープが自動で監視（watch）するのは学習可能な `tf.Variable` だけです。`tf.constant` は監視されないので、"
        "勾配は `None` になります。定数で微分したいときは `tape.watch(x)` を先に呼びます（そのとき $kx^{k-1}$）。",
        "A tape watches trainable `tf.Variable`s only: a `tf.constant` is not watched, so the gradient is `None`. "
        "Call `tape.watch(x)` first to differentiate with respect to a constant (then it is $kx^{k-1}$)."), ()),
    "trainable": Program("choice", (2, 3), TF + """w = tf.Variable({x}, trainable=False)
v = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y = v * w ** {k}
gv, gw = tape.gradient(y, [v, w])
print(gw)""", t(
        "`trainable=False` の Variable はテープに自動では監視されないので、その勾配は `None` です（gv は $w^k$）。"
        "学習させない重み（凍結した層など）に使います。",
        "A Variable with `trainable=False` is not watched automatically, so its gradient is `None` (gv is $w^k$). "
        "Used for weights that are not trained (frozen layers)."), (2,)),
    "double": Program("value", (3, 4), TF + """x = tf.Variable({x})
with tf.GradientTape() as outer:
    with tf.GradientTape() as inner:
        y = x ** {k}
    dy = inner.gradient(y, x)
d2y = outer.gradient(dy, x)
print(d2y.numpy())""", t(
        "内側のテープの `inner.gradient` を外側のテープの `with` の中で計算すると、その微分の計算自体が外側のテープに"
        "記録されます。dy = $kx^{k-1}$ をもう一度微分して、2 階微分 $k(k-1)x^{k-2}$ が得られます。",
        "Computing `inner.gradient` inside the outer tape's `with` block records the differentiation itself on the "
        "outer tape, so dy = $kx^{k-1}$ can be differentiated again: the second derivative $k(k-1)x^{k-2}$."), ()),
    "create_graph": Program("choice", (3, 4), TF + """x = tf.Variable({x})
with tf.GradientTape() as outer:
    with tf.GradientTape() as inner:
        y = x ** {k}
dy = inner.gradient(y, x)
d2y = outer.gradient(dy, x)
print(d2y)""", t(
        "`inner.gradient` が外側のテープの `with` の**外**で呼ばれているので、その計算は外側のテープに記録されません。"
        "外側から見ると dy は x につながっていない値なので、`outer.gradient(dy, x)` は `None` を返します。"
        "2 階微分には内側の gradient を外側の `with` の中で計算します。",
        "`inner.gradient` is called **outside** the outer tape's `with` block, so the outer tape records nothing of it: "
        "for the outer tape dy is not connected to x and `outer.gradient(dy, x)` returns `None`. For the second "
        "derivative compute the inner gradient inside the outer `with`."), ()),
}

PROGRAMS = {"pytorch": PYTORCH, "tensorflow": TENSORFLOW}
CASES = {fw: tuple(table) for fw, table in PROGRAMS.items()}
X_VALUES = (2.0, 3.0, -2.0, -3.0, 1.5, -1.5, 2.5, 0.5)


def code_of(framework: str, case: str, x: float, k: int) -> str:
    return PROGRAMS[framework][case].code.format(x=repr(float(x)), k=int(k))


# The misconceptions each program shows (a choice also gets one more printed value, wrong_choice).
SLIPS = {"accumulate": ("grad_accumulates",), "zero_grad": ("grad_accumulates",), "no_grad": ("no_grad_still_tracks",),
         "detach": ("detach_keeps_graph",), "double": (), "create_graph": ("create_graph_missing",),
         "untracked": ("tape_constant_unwatched",), "trainable": ("tape_constant_unwatched",)}
SLIPS_OF = {("pytorch", "reuse"): ("retain_graph_forgotten",), ("tensorflow", "reuse"): ("tape_not_persistent",),
            ("pytorch", "untracked"): ("requires_grad_missing",)}
# What the explanation says each program gives (the closed forms), checked against the engine.
CLOSED: dict[tuple[str, str], Callable[[float, int], object]] = {
    ("pytorch", "accumulate"): lambda x, k: 2 * k * x ** (k - 1), ("pytorch", "zero_grad"): lambda x, k: 2 * k * x ** (k - 1),
    ("pytorch", "no_grad"): lambda x, k: k * x ** (k - 1), ("pytorch", "detach"): lambda x, k: x ** k,
    ("pytorch", "reuse"): lambda x, k: ERROR, ("pytorch", "untracked"): lambda x, k: None,
    ("pytorch", "double"): lambda x, k: k * (k - 1) * x ** (k - 2), ("pytorch", "create_graph"): lambda x, k: ERROR,
    ("tensorflow", "accumulate"): lambda x, k: k * x ** (k - 1), ("tensorflow", "no_grad"): lambda x, k: k * x ** (k - 1),
    ("tensorflow", "detach"): lambda x, k: x ** k, ("tensorflow", "reuse"): lambda x, k: ERROR,
    ("tensorflow", "untracked"): lambda x, k: None, ("tensorflow", "trainable"): lambda x, k: None,
    ("tensorflow", "double"): lambda x, k: k * (k - 1) * x ** (k - 2), ("tensorflow", "create_graph"): lambda x, k: None,
}



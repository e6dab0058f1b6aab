"""Dropout (family ``regularization``): the book's Dropout layer with a given mask, training
output x * mask, backward dout * mask, test output x * (1 - ratio), and inverted dropout's
training output x * mask / (1 - ratio) (PyTorch, Keras: scaled in training, not at test).

The reference comes from the engine's ``Dropout`` layer (its random draws replaced by the
given mask) and the autodiff engine (y = x ⊙ mask differentiated by backward), checked
against the formulas written out here and central differences of Σ dout ⊙ y.
"""
from __future__ import annotations

from typing import Any, cast

import numpy as np

from ..autodiff import Dropout, Variable
from ..errors import ParamsError, Rejected
from ..exercise import Exercise
from ..numdiff import numerical_grad
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, cleaned, num, pmatrix, require_close, solution, t
from .regularization import array_key, array_mistakes, array_part

PRECISION = Precision("decimals", 3)
RATIOS = (0.5, 0.3, 0.2)
X_VALUES = np.array([-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 2.5, 3])
DOUT_VALUES = np.array([-2, -1, -0.5, 0.5, 1.5, 2, 3])
CODE = """class Dropout:
    def __init__(self, dropout_ratio=0.5):
        self.dropout_ratio = dropout_ratio
        self.mask = None

    def forward(self, x, train_flg=True):
        if train_flg:
            self.mask = np.random.rand(*x.shape) > self.dropout_ratio
            return x * self.mask
        else:
            return x * (1.0 - self.dropout_ratio)

    def backward(self, dout):
        return dout * self.mask"""


class GivenDraws:
    """Stands in for the layer's random generator: 1 where the given mask keeps a unit and 0
    where it drops one, so ``rand > dropout_ratio`` gives the mask back for any 0 < ratio < 1."""

    def __init__(self, mask):
        self.mask = np.asarray(mask, dtype=bool)

    def random(self, shape):
        return np.where(self.mask, 1.0, 0.0).reshape(shape)


def dropout_engine(x, mask, dout, ratio: float) -> dict:
    """The book's layer (train, backward, test) with the given mask, and dx by autodiff."""
    layer = Dropout(ratio)
    layer.rng = cast(Any, GivenDraws(mask))  # the draws give the mask back
    train = layer.forward(x, train_flg=True)
    if not np.array_equal(layer.mask, mask):
        raise Rejected("gradient_check", "the layer's mask is not the given one", fatal=True)
    dx = layer.backward(dout)
    test = layer.forward(x, train_flg=False)
    xv = Variable(np.asarray(x, dtype=float), name="x")
    y = xv * mask.astype(float)
    y.grad = np.asarray(dout, dtype=float)
    y.backward()
    return {"train": train, "dx": dx, "test": test, "autodiff_y": np.asarray(y.data), "autodiff_dx": np.asarray(xv.grad)}


def dropout_mistakes(x, mask, dout, ratio: float) -> dict:
    """What each slip gives, per part; ratio-as-keep is the same number at ratio 0.5."""
    keep = 1.0 - ratio
    out: dict[str, dict] = {
        "train": {"dropout_scaling_confused": x * mask / keep},
        "dx": {"dropout_no_mask_backward": dout, "dropout_scaling_confused": dout * mask / keep},
        "test": {"dropout_test_unscaled": x, "dropout_scaling_confused": x / keep},
        "inverted": {"dropout_inverted_unscaled": x * mask, "dropout_scaling_confused": x * mask * keep},
    }
    if abs(ratio - 0.5) > 1e-12:
        out["test"]["dropout_ratio_as_keep"] = x * ratio
        out["inverted"]["dropout_ratio_as_keep"] = x * mask / ratio
    return out


def mask_text(mask) -> str:
    return "[" + ", ".join("True" if m else "False" for m in mask) + "]"


class DropoutForwardBackward(BuiltinGenerator):
    slug = "dropout-forward-backward"
    version = 1
    family = "regularization"
    difficulty = 2
    topics = ("regularization", "backprop")
    syllabus = ("3-3",)
    title = t("Dropout の順伝播・逆伝播と 2 つのスケーリング", "Dropout forward and backward, and its two scalings")
    statement = t("入力 x と mask から、本の Dropout レイヤの学習時・テスト時の出力と逆伝播、逆ドロップアウトの学習時の出力を"
                  "求める問題です。",
                  "From an input x and a mask, find the book's Dropout layer's training and test outputs and backward "
                  "pass, and inverted dropout's training output.")
    source = "built-in generator exercises.generators.dropout.DropoutForwardBackward (ゼロから作るDeep Learning 6.4.3)"
    params_doc = t(
        "x（長さ 2〜6、各値 -100〜100）、mask（x と同じ長さの 1（残す）と 0（消す）のリスト、両方を含む）、"
        "dout（x と同じ長さ、-100〜100）、ratio（dropout_ratio、0.05〜0.95）。",
        "x (2 to 6 numbers, -100..100), mask (1 kept or 0 dropped, as long as x, with both values), dout (as long as x, "
        "-100..100), ratio (dropout_ratio, 0.05 to 0.95).")
    hints = (
        t("学習時の本の Dropout は `x * self.mask`：mask が False の要素は 0 になります。逆伝播も同じ mask を掛けます。",
          "In training the book's Dropout returns `x * self.mask`: elements where the mask is False become 0; backward "
          "multiplies by the same mask."),
        t("本の Dropout はテスト時に `x * (1.0 - self.dropout_ratio)` を出力します（残る割合 1 − p を掛ける）。",
          "At test time the book's Dropout outputs `x * (1.0 - self.dropout_ratio)` (the kept share 1 − p)."),
        t("逆ドロップアウトは学習時に `x * mask / (1 - p)` とし、テスト時は x をそのまま出力します。",
          "Inverted dropout outputs `x * mask / (1 - p)` in training and x unchanged at test time."),
    )
    explanation = t(
        "Dropout は学習時にニューロンを割合 p（dropout_ratio）でランダムに消し、残った出力だけを次の層に渡します。"
        "消したニューロンは出力に関わらないので、逆伝播の勾配も 0 で、`dout * self.mask` となります（ReLU と同じ形）。"
        "学習時の出力の期待値は $(1-p)x$ なので、本の Dropout はテスト時に全ニューロンを使い、出力を $(1-p)$ 倍して期待値をそ"
        "ろえます。"
        "PyTorch や Keras の逆ドロップアウトは逆に、学習時に残った出力を $1/(1-p)$ 倍して期待値を $x$ にしておき、テスト時は"
        "何もしません。"
        "どちらも「学習時とテスト時の出力の期待値をそろえる」という同じ考えで、補正する場所が違うだけです。",
        "Dropout drops units at random with probability p (dropout_ratio) in training and passes on only the kept outputs. "
        "A dropped unit does not affect the output, so its gradient is 0: backward is `dout * self.mask`, like ReLU. The "
        "training output's expectation is $(1-p)x$, so the book's Dropout uses every unit at test time and multiplies by "
        "$(1-p)$ to match. Inverted dropout (PyTorch, Keras) scales the kept outputs by $1/(1-p)$ in training instead, so "
        "that their expectation is $x$, and does nothing at test time: the same idea, corrected in the other place.")

    def draw(self, rng) -> dict:
        size = int(rng.integers(4, 7))
        ratio = float(RATIOS[int(rng.integers(len(RATIOS)))])
        mask = [int(m) for m in rng.random(size) > ratio]  # as the book draws it; 1 keeps, 0 drops
        return {"x": cleaned(rng.choice(X_VALUES, size=size)), "mask": mask,
                "dout": cleaned(rng.choice(DOUT_VALUES, size=size)), "ratio": ratio}

    def check_params(self, params) -> dict:
        p = Params(params, ("x", "mask", "dout", "ratio"))
        x = p.vector("x", -100, 100, sizes=range(2, 7))
        mask = params["mask"]
        if not isinstance(mask, (list, tuple)) or len(mask) != len(x) or \
                not all(type(m) is int and m in (0, 1) for m in mask) or len(set(mask)) != 2:
            raise ParamsError(f"params.mask: x と同じ長さ {len(x)} の 1（残す）と 0（消す）のリストで、両方を含めてください",
                              f"params.mask: must be {len(x)} values 1 (kept) or 0 (dropped), as long as x, with both",
                              field="params.mask")
        out: dict[str, Any] = {"x": x, "mask": list(mask), "dout": p.vector("dout", -100, 100, sizes=(len(x),)),
                               "ratio": p.number("ratio", 0.05, 0.95)}
        return out

    def build(self, seed, params, layout, drawn) -> Exercise:
        x, dout = np.asarray(params["x"], dtype=float), np.asarray(params["dout"], dtype=float)
        mask, ratio = np.asarray(params["mask"], dtype=bool), float(params["ratio"])
        if mask.all() or not mask.any():
            raise Rejected("degenerate", "the mask keeps every unit or none")
        eng = dropout_engine(x, mask, dout, ratio)
        keep = 1.0 - ratio
        require_close("train (formula)", eng["train"], np.where(mask, x, 0.0))
        require_close("train (autodiff)", eng["train"], eng["autodiff_y"])
        require_close("dx (formula)", eng["dx"], np.where(mask, dout, 0.0))
        require_close("dx (autodiff)", eng["dx"], eng["autodiff_dx"])
        require_close("dx (numerical)", eng["dx"], numerical_grad(lambda a: np.sum(dout * a * mask), x))
        require_close("test (formula)", eng["test"], x * keep)
        inverted = eng["train"] / keep
        require_close("inverted (formula)", inverted, np.where(mask, x / keep, 0.0))
        keys = {"train": array_key(eng["train"]), "dx": array_key(eng["dx"]), "test": array_key(eng["test"]),
                "inverted": array_key(inverted)}
        wrong = dropout_mistakes(x, mask, dout, ratio)
        mistakes = {pid: array_mistakes(PRECISION, keys[pid], wrong[pid], drawn) for pid in keys}
        parts = [array_part(pid, prompt, keys[pid], PRECISION) for pid, prompt in _prompts(ratio).items()]
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_statement(x, mask, dout, ratio),
            params=dict(params), parts=parts, answers=keys, mistakes=mistakes, graph=None,
            solution=solution(*_solution(x, mask, dout, ratio, keys)), hints=self.hints, explanation=self.explanation)


def _prompts(ratio: float) -> dict:
    return {
        "train": t("本の `Dropout` クラスで、学習時の順伝播 `forward(x, train_flg=True)` の出力を求めなさい。",
                   "With the book's `Dropout` class, find the training output `forward(x, train_flg=True)`."),
        "dx": t("本の `Dropout` クラスで、その後の逆伝播 `backward(dout)` が返す dx を求めなさい。",
                "With the book's `Dropout` class, find dx returned by the following `backward(dout)`."),
        "test": t("本の `Dropout` クラスで、テスト時の順伝播 `forward(x, train_flg=False)` の出力を求めなさい。",
                  "With the book's `Dropout` class, find the test-time output `forward(x, train_flg=False)`."),
        "inverted": t(f"**逆ドロップアウト**（PyTorch・Keras の方式：学習時にスケーリングし、テスト時は x をそのまま出力）で、"
                      f"同じ mask と $p = {num(ratio)}$ を使ったときの学習時の出力を求めなさい。",
                      f"With **inverted dropout** (PyTorch, Keras: scaled in training, x unchanged at test time), find the "
                      f"training output with the same mask and $p = {num(ratio)}$."),
    }


def _statement(x, mask, dout, ratio: float) -> dict:
    given = rf"$$\mathbf{{x}} = {pmatrix(x)}, \qquad \mathrm{{dout}} = {pmatrix(dout)}$$"
    shown = f"```python\nself.mask = {mask_text(mask)}\n```"
    code = f"```python\n{CODE}\n```"
    return t(
        f"次は本（ゼロから作るDeep Learning）の Dropout レイヤです（`import numpy as np` 済み）。\n\n{code}\n\n"
        f"`dropout_ratio` $= p = {num(ratio)}$ のこのレイヤに、入力 $\\mathbf{{x}}$ を学習時（`train_flg=True`）に与えたところ、"
        f"乱数から次の mask が得られました。続いて逆伝播で上流から dout が流れてきました。\n\n{shown}\n\n{given}\n\n"
        "本の Dropout はテスト時に出力をスケーリングし、逆ドロップアウト（PyTorch・Keras）は学習時にスケーリングします。"
        "各設問がどちらの方式を問うかに注意して、ベクトルで答えなさい。",
        f"Here is the book's Dropout layer (with `import numpy as np`).\n\n{code}\n\nWith `dropout_ratio` $= p = {num(ratio)}$ "
        f"the layer got the input $\\mathbf{{x}}$ in training (`train_flg=True`) and its random draws gave the mask below; "
        f"then dout arrived from upstream in the backward pass.\n\n{shown}\n\n{given}\n\n"
        "The book's Dropout scales its output at test time; inverted dropout (PyTorch, Keras) scales in training. Mind "
        "which version each question asks about, and answer with vectors.")


def _solution(x, mask, dout, ratio: float, keys: dict) -> tuple[list, list]:
    m = pmatrix(mask.astype(float))
    keep = num(1.0 - ratio)
    forward = [
        rf"$\text{{train}} = \mathbf{{x}} \odot \mathrm{{mask}} = {pmatrix(x)} \odot {m} = {pmatrix(keys['train'].values, 4)}$",
        rf"$\text{{test}} = (1 - p)\,\mathbf{{x}} = {keep} \cdot {pmatrix(x)} = {pmatrix(keys['test'].values, 4)}$",
        rf"$\text{{inverted}} = \mathbf{{x}} \odot \mathrm{{mask}} / (1 - p) = {pmatrix(keys['train'].values, 4)} / {keep} = "
        rf"{pmatrix(keys['inverted'].values, 4)}$",
    ]
    backward = [rf"$\mathrm{{dx}} = \mathrm{{dout}} \odot \mathrm{{mask}} = {pmatrix(dout)} \odot {m} = "
                rf"{pmatrix(keys['dx'].values, 4)}$"]
    return forward, backward

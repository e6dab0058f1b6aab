"""Exam-style code fill-in (family ``code-fill``): one line of a layer's ``backward`` is
blanked and the learner picks the right one among candidate lines.

Every candidate line has its meaning written here as a small Python function (``CANDIDATES``
maps the exact text to it; nothing is ever exec'd or eval'd). Each exercise runs every
candidate on random inputs and compares it with the engine's gradient for the same layer:
exactly the designated correct line must match and every distractor must not (a wrong shape,
an error, or different numbers). The correct line is also checked against the book's layer in
``exercises.autodiff.layers``. Distractors that come from a known misconception are listed in
``ex.mistakes[part] = {misconception id: option index}``, which ``grade`` uses to name them.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import numpy as np

from ..autodiff import AddLayer, Affine, MulLayer, Relu, SigmoidLayer, SoftmaxWithLoss, Variable
from ..autodiff import functions as F
from ..autodiff.losses import np_softmax
from ..errors import Rejected
from ..exercise import Exercise, Part
from ..misconceptions import MISCONCEPTIONS
from .base import BuiltinGenerator, Params, close, solution, t
from .codefill_lines import BLANK, BLANKS, CANDIDATES, CODE, LAYERS, VARIANTS, Option, Variant  # noqa: F401

def blanked_code(variant: Variant) -> str:
    code = CODE[variant.layer]
    if variant.line not in code:
        raise Rejected("bad_variant", f"{variant.layer}: line {variant.line!r} not in the code", fatal=True)
    if variant.blank == "mask":
        return code.replace(variant.line, BLANK)
    lhs = variant.line.split(" = ", 1)[0]
    return code.replace(variant.line, f"{lhs} = {BLANK}")


# ----------------------------------------------------------------------------- engine checks
def reference(variant: Variant, rng) -> tuple[SimpleNamespace, object, np.ndarray]:
    """Random inputs for the layer, the state the shown class would hold after forward, the
    upstream gradient, and the engine's gradient for the blank. The book's layer must agree."""
    layer, blank = variant.layer, variant.blank
    book: Any  # the book's layer: a different class in each branch
    if layer in ("MulLayer", "AddLayer"):
        x, y, dout = (np.asarray(rng.normal()) for _ in range(3))  # numbers, as in the book
        xv, yv = Variable(x), Variable(y)
        z = xv * yv if layer == "MulLayer" else xv + yv
        z.grad = dout
        z.backward()
        book = MulLayer() if layer == "MulLayer" else AddLayer()
        book.forward(x, y)
        book_dx, book_dy = book.backward(dout)
        got, book_got = (xv.grad, book_dx) if blank == "dx" else (yv.grad, book_dy)
        return SimpleNamespace(x=x, y=y), dout, _agree(variant, got, book_got)
    if layer in ("Relu", "Sigmoid"):
        x, dout = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
        xv = Variable(x)
        out = F.relu(xv) if layer == "Relu" else F.sigmoid(xv)
        out.grad = dout
        out.backward()
        book = Relu() if layer == "Relu" else SigmoidLayer()
        fwd = book.forward(x)
        state = SimpleNamespace(x=x, mask=x <= 0, out=fwd)
        return state, dout, _agree(variant, xv.grad, book.backward(dout.copy()))
    if layer == "Affine":
        n, d, m = 4, 3, 2  # all different, so a misplaced transpose shows in the shape
        x, W, b, dout = rng.normal(size=(n, d)), rng.normal(size=(d, m)), rng.normal(size=m), rng.normal(size=(n, m))
        xv, wv, bv = Variable(x), Variable(W), Variable(b)
        out = F.linear(xv, wv, bv)
        out.grad = dout
        out.backward()
        book = Affine(W, b)
        book.forward(x)
        book_dx = book.backward(dout)
        got = {"dx": (xv.grad, book_dx), "dW": (wv.grad, book.dW), "db": (bv.grad, book.db)}[blank]
        return SimpleNamespace(x=x, W=W, b=b), dout, _agree(variant, *got)
    if layer == "SoftmaxWithLoss":
        n, c = 3, 4
        x, labels = rng.normal(size=(n, c)), rng.integers(c, size=n)
        xv = Variable(x)
        F.softmax_cross_entropy(xv, labels).backward()
        hot = np.eye(c)[labels]
        book = SoftmaxWithLoss()
        book.forward(x, hot)
        state = SimpleNamespace(y=np_softmax(x), t=hot, batch_size=n)
        return state, 1, _agree(variant, xv.grad, book.backward())
    raise Rejected("bad_variant", f"no reference for {layer}", fatal=True)


def _agree(variant: Variant, engine, book) -> np.ndarray:
    if not close(engine, book):
        raise Rejected("layer_check", f"{variant.layer}.{variant.blank}: the book's layer disagrees with the engine",
                       fatal=True)
    return np.asarray(engine, dtype=float)


def verdict(text: str, state, dout, expected: np.ndarray) -> str:
    """Run one candidate: "match", "mismatch" (other numbers), "shape" (another shape) or
    "error" (numpy refuses the shapes)."""
    fn = CANDIDATES[text]
    try:
        with np.errstate(all="ignore"):
            got = fn(state, np.array(dout, dtype=float) if np.ndim(dout) else dout)
    except ValueError:
        return "error"
    got = np.asarray(got, dtype=float)
    if got.shape != expected.shape:
        return "shape"
    return "match" if close(got, expected) else "mismatch"


def verify(variant: Variant, rng, attempts: int = 5) -> dict:
    """{candidate text: verdict}; exactly the first (designated) option must match."""
    texts = [o.text for o in variant.options]
    unknown = [x for x in texts if x not in CANDIDATES]
    if unknown or len(set(texts)) != len(texts):
        raise Rejected("bad_variant", f"{variant.layer}.{variant.blank}: unknown or repeated options "
                                      f"{unknown or texts}", fatal=True)
    last = None
    for _ in range(attempts):
        state, dout, expected = reference(variant, rng)
        verdicts = {o.text: verdict(o.text, state, dout, expected) for o in variant.options}
        matching = [text for text, v in verdicts.items() if v == "match"]
        if matching == [variant.options[0].text]:
            return verdicts
        last = verdicts
    raise Rejected("candidate_check", f"{variant.layer}.{variant.blank}: verdicts {last}", fatal=True)


# ----------------------------------------------------------------------------- generator
VERDICT_TEXT = {
    "match": t("エンジンの勾配と一致", "matches the engine's gradient"),
    "mismatch": t("値がエンジンの勾配と異なる", "different values from the engine's gradient"),
    "shape": t("形がエンジンの勾配と異なる", "a different shape from the engine's gradient"),
    "error": t("形が合わず numpy がエラーを出す", "numpy raises an error: the shapes do not fit"),
}


class LayerBackwardCodeFill(BuiltinGenerator):
    slug = "layer-backward-code-fill"
    version = 1
    family = "code-fill"
    difficulty = 2
    topics = ("backprop", "affine-layer", "activation-functions", "loss-functions")
    syllabus = ("3-1-1", "3-1-4", "3-2-2")
    title = t("レイヤの backward の穴埋め", "Fill in a layer's backward")
    statement = t("MulLayer・AddLayer・Relu・Sigmoid・Affine・SoftmaxWithLoss の backward から1行を空欄にした、"
                  "E資格形式のコード穴埋め問題です。",
                  "Exam-style code fill-in: one line of the backward of MulLayer, AddLayer, Relu, Sigmoid, "
                  "Affine or SoftmaxWithLoss is blanked.")
    source = "built-in generator exercises.generators.codefill.LayerBackwardCodeFill (ゼロから作るDeep Learning 5章)"
    params_doc = t(
        "layer（MulLayer / AddLayer / Relu / Sigmoid / Affine / SoftmaxWithLoss）と blank（dx / dy / dW / db / mask："
        "レイヤにある行）。",
        "layer (MulLayer, AddLayer, Relu, Sigmoid, Affine or SoftmaxWithLoss) and blank (dx, dy, dW, db or mask: "
        "a line the layer has).")
    hints = (
        t("順伝播の式を局所的に微分し、上流から来た dout を掛けます。",
          "Differentiate the forward formula locally and multiply by dout from upstream."),
        t("行列の式では、勾配が元の変数と同じ形になるように転置を選びます。",
          "With matrices, place the transpose so that each gradient has its variable's shape."),
    )
    explanation = t("", "")

    def draw(self, rng) -> dict:
        keys = list(VARIANTS)
        layer, blank = keys[int(rng.integers(len(keys)))]
        return {"layer": layer, "blank": blank}

    def check_params(self, params) -> dict:
        p = Params(params, ("layer",), ("blank",))
        layer = cast(str, p.one_of("layer", LAYERS))
        if p.has("blank"):
            blank = p.one_of("blank", BLANKS[layer])
        else:
            blank = BLANKS[layer][0]
        return {"layer": layer, "blank": blank}

    def build(self, seed, params, layout, drawn) -> Exercise:
        variant = VARIANTS[(params["layer"], params["blank"])]
        verdicts = verify(variant, layout)
        order = [int(i) for i in layout.permutation(len(variant.options))]
        options = [variant.options[i] for i in order]
        choices = tuple(t(o.text, o.text) for o in options)
        key = order.index(0)
        named = {o.misconception: k for k, o in enumerate(options)
                 if o.misconception and o.misconception in MISCONCEPTIONS}
        code = blanked_code(variant)
        what = "空欄 `____` の行" if variant.blank == "mask" else f" `{variant.line.split(' = ')[0]} = ____` の空欄"
        what_en = "the blank line `____`" if variant.blank == "mask" else \
            f"the blank in `{variant.line.split(' = ')[0]} = ____`"
        statement = t(
            f"次は `{variant.layer}` レイヤの実装です（`import numpy as np` 済み）。"
            f"`backward` の{what}に入る正しいものを選びなさい。\n\n```python\n{code}\n```",
            f"Here is the `{variant.layer}` layer (with `import numpy as np`). Choose what goes in "
            f"{what_en} of `backward`.\n\n```python\n{code}\n```")
        part = Part("blank", "choice", t("空欄に入るものを選びなさい。", "Choose the line for the blank."),
                    None, choices)
        checks = [{"option": k, "text": o.text, "verdict": verdicts[o.text], "correct": k == key}
                  for k, o in enumerate(options)]
        notes_ja = [f"- `{o.text}`：{o.why['ja']}（{VERDICT_TEXT[verdicts[o.text]]['ja']}）" for o in options]
        notes_en = [f"- `{o.text}`: {o.why['en']} ({VERDICT_TEXT[verdicts[o.text]]['en']})" for o in options]
        explanation = t(
            f"順伝播 ${variant.forward}$ の逆伝播は ${variant.backward}$ なので、正解は `{variant.line}` です。\n\n"
            + "\n".join(notes_ja) +
            "\n\n各選択肢をランダムな入力で実際に計算し、自動微分エンジンの勾配と比べて確かめています。",
            f"The forward pass ${variant.forward}$ has the backward pass ${variant.backward}$, so the right line is "
            f"`{variant.line}`.\n\n" + "\n".join(notes_en) +
            "\n\nEach option was run on random inputs and compared with the autodiff engine's gradient.")
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=statement, params=dict(params),
            parts=[part], answers={"blank": key}, mistakes={"blank": named}, graph=None,
            solution=solution([f"${variant.forward}$"], [f"${variant.backward}$"], None, checks=checks,
                              code=CODE[variant.layer]),
            hints=self.hints, explanation=explanation)

"""Convolution shapes (family ``cnn``): the output size OH = (H + 2P − FH)/S + 1, im2col's matrix
and the reshaped filter, and recognising a padding/stride that does not divide.

The shapes come from the engine: ``F.conv2d`` and ``F.im2col`` run on random arrays of the drawn
shapes (and backward, whose gradients must have their inputs' shapes), checked against the
book's ``Convolution`` layer (its ``col`` and ``col_W``) and the formula. Whether a setting
divides is checked against the engine's ``col2im``: it does exactly when the last row of the padded
input is read by a window. Misconception answers are the formula with one slip.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from ..autodiff import Variable
from ..autodiff import functions as F
from ..autodiff.conv import col2im_array, im2col_array
from ..autodiff.layers import Convolution
from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, solution, t
from .regularization import array_key, array_mistakes, array_part

INTEGER = Precision("decimals", 0)
SIZE_KEYS = ("N", "C", "H", "W", "FN", "FH", "FW", "P", "S")
LIMITS = {"N": (1, 100), "C": (1, 64), "H": (1, 256), "W": (1, 256), "FN": (1, 256), "FH": (1, 11), "FW": (1, 11),
          "P": (0, 5), "S": (1, 5)}
MAX_ELEMENTS = 10**6  # x, W and im2col's matrix are built to verify the shapes: at most this many numbers each


def out_fraction(size: int, kernel: int, pad: int, stride: int, pads: int = 2, plus: int = 1, divide: bool = True):
    """(size + pads*P − kernel)/S + plus as a Fraction; the defaults are the right formula."""
    moved = Fraction(size + pads * pad - kernel, stride if divide else 1)
    return moved + plus


def whole(v: Fraction) -> int | None:
    return int(v) if v.denominator == 1 and v > 0 else None


def size_slips(p: dict) -> dict:
    """{misconception: (OH, OW)} for each slip that bears on this setting and gives whole sizes."""
    slips: dict[str, dict[str, Any]] = {}
    if p["P"] > 0:
        slips["conv_size_pad_once"] = {"pads": 1}
    slips["conv_size_no_plus_one"] = {"plus": 0}
    if p["S"] > 1:
        slips["conv_size_stride_ignored"] = {"divide": False}
    out = {}
    for mid, kw in slips.items():
        oh = whole(out_fraction(p["H"], p["FH"], p["P"], p["S"], **kw))
        ow = whole(out_fraction(p["W"], p["FW"], p["P"], p["S"], **kw))
        if oh is not None and ow is not None:
            out[mid] = (oh, ow)
    return out


def reads_last_row(size: int, kernel: int, pad: int, stride: int) -> bool:
    """The engine's col2im of all-ones windows: whether the last row of the padded input is read
    (the windows start at 0, S, 2S, ...: the last one ends on that row exactly when S divides)."""
    padded = size + 2 * pad
    ones = np.ones_like(im2col_array(np.zeros((1, 1, padded, 1)), (kernel, 1), stride, 0))
    return bool(col2im_array(ones, (1, 1, padded, 1), (kernel, 1), stride, 0)[0, 0, -1, 0] > 0)


def engine_shapes(p: dict, layout) -> dict:
    """Shapes from the engine (forward, im2col, backward) checked against the book's layer."""
    x = layout.normal(size=(p["N"], p["C"], p["H"], p["W"]))
    W, b = layout.normal(size=(p["FN"], p["C"], p["FH"], p["FW"])), layout.normal(size=p["FN"])
    xv, wv = Variable(x), Variable(W)
    y = F.conv2d(xv, wv, b, stride=p["S"], pad=p["P"])
    col = F.im2col(xv, (p["FH"], p["FW"]), stride=p["S"], pad=p["P"])
    F.sum(y).backward()
    layer = Convolution(W, b, p["S"], p["P"])
    out = layer.forward(x)
    shapes = {"out": y.shape, "col": col.shape, "col_W": layer.col_W.shape}
    if out.shape != y.shape or layer.col.shape != col.shape or xv.grad.shape != x.shape or wv.grad.shape != W.shape:
        raise Rejected("shape_check", f"engine {shapes} vs the book's layer {out.shape}, {layer.col.shape}", fatal=True)
    return shapes


class ConvOutputSize(BuiltinGenerator):
    slug = "conv-output-size"
    version = 1
    family = "cnn"
    difficulty = 2
    topics = ("cnn",)
    syllabus = ("3-4",)
    title = t("畳み込みの出力サイズと im2col の形", "Convolution output size and im2col's shapes")
    statement = t("入力・フィルタ・パディング・ストライドから、畳み込みの出力の形、im2col の行列の形、"
                  "フィルタを展開した行列の形を求め、割り切れない設定を見分ける問題です。",
                  "From the input, filters, padding and stride, find the convolution's output shape, im2col's matrix "
                  "shape and the unrolled filter's shape, and tell a setting that does not divide.")
    source = "built-in generator exercises.generators.cnn.ConvOutputSize (ゼロから作るDeep Learning 7.2.4, 7.4)"
    params_doc = t(
        "N, C, H, W, FN, FH, FW, P, S（整数。FH ≤ H + 2P、FW ≤ W + 2P、(H + 2P − FH) と (W + 2P − FW) が S で割り切れること）、"
        "fit_H, fit_F（2 つ目の入力の高さとフィルタの高さ）、fit_options（[P, S] を 4 つ、ちょうど 1 つだけ割り切れる）。"
        "x・W・im2col の行列はそれぞれ要素数 100 万以下。",
        "N, C, H, W, FN, FH, FW, P, S (integers; FH ≤ H + 2P, FW ≤ W + 2P, (H + 2P − FH) and (W + 2P − FW) divisible by S), "
        "fit_H, fit_F (a second input height and filter height), fit_options (four [P, S], exactly one of which divides); "
        "x, W and im2col's matrix at most a million elements each.")
    hints = (
        t("出力サイズは OH = (H + 2P − FH)/S + 1、OW = (W + 2P − FW)/S + 1 です。パディングは両側に付きます。",
          "The output size is OH = (H + 2P − FH)/S + 1 and OW = (W + 2P − FW)/S + 1; padding goes on both sides."),
        t("出力のチャンネル数はフィルタの数 FN です。im2col は出力 1 要素ぶんの入力（C·FH·FW 個）を 1 行にします。",
          "The output has FN channels, one per filter. im2col puts the C·FH·FW inputs of one output element in one row."),
        t("(H + 2P − FH) が S で割り切れないと、最後のフィルタ位置が入力からはみ出すので、その設定は使えません。",
          "If (H + 2P − FH) is not divisible by S the last filter position sticks out of the input: the setting fails."),
    )
    explanation = t(
        "高さ H の入力に上下 P ずつパディングすると高さは H + 2P になり、高さ FH のフィルタを S ずつずらせる回数は "
        "(H + 2P − FH)/S 回、最初の位置を含めて出力は OH = (H + 2P − FH)/S + 1 個です（幅も同じ）。"
        "これが整数にならない設定では、最後の位置でフィルタが入力からはみ出すので使えません（本のコードは // で切り捨てます）。"
        "FN 個のフィルタがそれぞれ 1 枚の特徴マップを作るので出力は (N, FN, OH, OW) です。"
        "im2col は各出力位置の C·FH·FW 個の入力を 1 行に並べ、行列は (N·OH·OW, C·FH·FW)、"
        "フィルタは W.reshape(FN, -1).T で (C·FH·FW, FN) になり、"
        "その積 (N·OH·OW, FN) を reshape・transpose して出力の形に戻します。",
        "Padding P on both sides makes the height H + 2P; a filter of height FH moved by S can be shifted (H + 2P − FH)/S "
        "times, so with its first position there are OH = (H + 2P − FH)/S + 1 outputs (the same for the width). A setting "
        "where this is not a whole number leaves the filter sticking out at its last position and cannot be used (the "
        "book's code floors with //). Each of the FN filters makes one feature map: the output is (N, FN, OH, OW). im2col "
        "puts the C·FH·FW inputs of each output position in one row, (N·OH·OW, C·FH·FW); the filters become "
        "W.reshape(FN, -1).T, (C·FH·FW, FN), and the product (N·OH·OW, FN) is reshaped and transposed to the output.")

    def draw(self, rng) -> dict:
        while True:  # a setting that divides (at most a few tries)
            p = {"N": int(rng.integers(1, 9)), "C": int(rng.choice([1, 3])), "H": int(rng.integers(5, 17)),
                 "FN": int(rng.integers(2, 17)), "FH": int(rng.choice([2, 3, 5])), "P": int(rng.choice([0, 1, 1, 2])),
                 "S": int(rng.choice([1, 2, 2, 3]))}
            p["W"], p["FW"] = p["H"] + int(rng.choice([0, 1, 2])), p["FH"]
            if whole(out_fraction(p["H"], p["FH"], p["P"], p["S"])) and whole(out_fraction(p["W"], p["FW"], p["P"], p["S"])):
                break
        return {k: p[k] for k in SIZE_KEYS} | draw_fit(rng)

    def check_params(self, params) -> dict:
        p = Params(params, (*SIZE_KEYS, "fit_H", "fit_F", "fit_options"))
        out = {k: p.number(k, *LIMITS[k], integer=True) for k in SIZE_KEYS}
        for dim, kernel in (("H", "FH"), ("W", "FW")):
            if whole(out_fraction(out[dim], out[kernel], out["P"], out["S"])) is None:
                raise ParamsError(f"params.{dim}: ({dim} + 2P − {kernel})/S が正の整数になりません",
                                  f"params.{dim}: ({dim} + 2P − {kernel})/S is not a whole number of shifts",
                                  field=f"params.{dim}")
        oh, ow = (int(out_fraction(out[d], out[k], out["P"], out["S"])) for d, k in (("H", "FH"), ("W", "FW")))
        sizes = (out["N"] * out["C"] * (out["H"] + 2 * out["P"]) * (out["W"] + 2 * out["P"]),
                 out["FN"] * out["C"] * out["FH"] * out["FW"], out["N"] * oh * ow * out["C"] * out["FH"] * out["FW"])
        if max(sizes) > MAX_ELEMENTS:
            raise ParamsError(f"params: 配列が大きすぎます（要素数 {max(sizes)} > {MAX_ELEMENTS}）",
                              f"params: the arrays are too large ({max(sizes)} > {MAX_ELEMENTS} elements)", field="params")
        out["fit_H"], out["fit_F"] = p.number("fit_H", 2, 256, integer=True), p.number("fit_F", 2, 11, integer=True)
        opts = params["fit_options"]
        if not isinstance(opts, list) or len(opts) != 4 or not all(isinstance(o, list) and len(o) == 2 for o in opts):
            raise ParamsError("params.fit_options: [P, S] を 4 つ並べてください", "params.fit_options: give four [P, S]",
                              field="params.fit_options")
        out["fit_options"] = [[p.number("fit_options", 0, 5, o[0], True), p.number("fit_options", 2, 5, o[1], True)]
                              for o in opts]
        if any(out["fit_H"] + 2 * a < out["fit_F"] for a, _ in out["fit_options"]):
            raise ParamsError("params.fit_options: フィルタが入力（パディング込み）より大きくなる組があります",
                              "params.fit_options: the filter is taller than the padded input for one of them",
                              field="params.fit_options")
        works = [whole(out_fraction(out["fit_H"], out["fit_F"], a, s)) is not None for a, s in out["fit_options"]]
        if sum(works) != 1 or len({tuple(o) for o in out["fit_options"]}) != 4:
            raise ParamsError("params.fit_options: 異なる 4 つのうち、ちょうど 1 つだけが割り切れるようにしてください",
                              "params.fit_options: four different settings, exactly one of which divides",
                              field="params.fit_options")
        return out

    def build(self, seed, params, layout, drawn) -> Exercise:
        p = params
        oh, ow = (whole(out_fraction(p[d], p[k], p["P"], p["S"])) for d, k in (("H", "FH"), ("W", "FW")))
        if oh is None or ow is None:
            raise Rejected("shape_check", "the setting does not divide", fatal=True)  # check_params refuses it
        if drawn and ({oh, ow} & {0, 1, *(p[k] for k in SIZE_KEYS)}):
            raise Rejected("degenerate", f"OH, OW = {oh}, {ow}: 1 or a given number")
        shapes = engine_shapes(p, layout)
        n, fn, cff = p["N"], p["FN"], p["C"] * p["FH"] * p["FW"]
        expected = {"out": (n, fn, oh, ow), "col": (n * oh * ow, cff), "col_W": (cff, fn)}
        if shapes != expected:
            raise Rejected("shape_check", f"engine {shapes} vs formula {expected}", fatal=True)
        keys = {"out_shape": array_key(shapes["out"]), "col_shape": array_key(shapes["col"]),
                "w_shape": array_key(shapes["col_W"])}
        wrong: dict[str, dict] = {"out_shape": {mid: (n, fn, a, b) for mid, (a, b) in size_slips(p).items()},
                 "col_shape": {"im2col_shape_transposed": (cff, n * oh * ow)},
                 "w_shape": {"conv_filter_matrix_not_transposed": (fn, cff)}}
        if p["C"] != fn:
            wrong["out_shape"]["conv_out_channels_as_input"] = (n, p["C"], oh, ow)
        mistakes = {pid: array_mistakes(INTEGER, keys[pid], wrong[pid], drawn) for pid in keys}
        parts = [array_part(pid, prompt, keys[pid], INTEGER) for pid, prompt in PROMPTS.items()]
        fit_answer, fit_mistakes, fit_lines = fit_choice(p)
        parts.append(Part("fits", "choice", fit_prompt(p), None, tuple(fit_texts(p))))
        answers: dict = {**keys, "fits": fit_answer}
        mistakes["fits"] = fit_mistakes
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_statement(p), params=dict(params),
            parts=parts, answers=answers, mistakes=mistakes, graph=None,
            solution=solution(_forward_lines(p, oh, ow) + fit_lines, _backward_lines(p), None,
                              checks={k: list(v) for k, v in shapes.items()}),
            hints=self.hints, explanation=self.explanation)


def draw_fit(rng) -> dict:
    """A second input and filter height with four (P, S), exactly one dividing; one of the
    others divides with the padding counted once (the conv_size_pad_once distractor)."""
    while True:
        h, f = int(rng.integers(6, 33)), int(rng.choice([2, 3, 4, 5, 7]))
        pairs = [(a, s) for a in range(4) for s in (2, 3, 4) if h + 2 * a >= f]
        good = [q for q in pairs if (h + 2 * q[0] - f) % q[1] == 0]
        once = [q for q in pairs if q not in good and (h + q[0] - f) % q[1] == 0]
        other = [q for q in pairs if q not in good and q not in once]
        if good and once and len(other) >= 2:
            break
    picks = [good[int(rng.integers(len(good)))], once[int(rng.integers(len(once)))]]
    picks += [other[int(i)] for i in rng.choice(len(other), size=2, replace=False)]
    order = rng.permutation(4)
    return {"fit_H": h, "fit_F": f, "fit_options": [list(picks[int(i)]) for i in order]}


def fit_choice(p: dict) -> tuple[int, dict, list]:
    """The dividing option (checked against the engine's col2im), the pad-once distractor, and
    the solution's lines."""
    h, f = p["fit_H"], p["fit_F"]
    answer, mistakes, lines = -1, dict[str, int](), list[str]()
    for i, (pad, s) in enumerate(p["fit_options"]):
        v = out_fraction(h, f, pad, s)
        divides = whole(v) is not None
        if divides != reads_last_row(h, f, pad, s):
            raise Rejected("shape_check", f"H={h}, F={f}, P={pad}, S={s}: formula and col2im disagree", fatal=True)
        if divides:
            answer = i
        elif whole(out_fraction(h, f, pad, s, pads=1)) is not None and not mistakes:
            mistakes["conv_size_pad_once"] = i
        shown = str(int(v)) if divides else rf"{float(v):.4g}\ (\times)"
        lines.append(rf"$P = {pad},\ S = {s}:\ ({h} + 2 \cdot {pad} - {f})/{s} + 1 = {shown}$")
    return answer, mistakes, lines


def fit_texts(p: dict) -> list[dict]:
    return [t(f"P = {a}, S = {s}", f"P = {a}, S = {s}") for a, s in p["fit_options"]]


def fit_prompt(p: dict) -> dict:
    h, f = p["fit_H"], p["fit_F"]
    return t(f"別の入力で、高さ H = {h} の入力に高さ FH = {f} のフィルタを使います。出力の高さが整数になり、"
             "この設定で畳み込めるパディング P とストライド S の組を選びなさい（ほかの 3 つは割り切れません）。",
             f"Another input has height H = {h} and the filter height FH = {f}. Choose the padding P and stride S for "
             "which the output height is a whole number, so that the convolution works (the other three do not divide).")


PROMPTS = {
    "out_shape": t("畳み込みの出力の形 (N, FN, OH, OW) を、4 つの整数で答えなさい（例: 10, 30, 24, 24）。",
                   "Give the shape (N, FN, OH, OW) of the convolution's output as four integers (e.g. 10, 30, 24, 24)."),
    "col_shape": t("本の `im2col(x, FH, FW, S, P)` が返す行列の形（行数, 列数）を答えなさい。",
                   "Give the shape (rows, columns) of the matrix the book's `im2col(x, FH, FW, S, P)` returns."),
    "w_shape": t("`col_W = self.W.reshape(FN, -1).T` の形（行数, 列数）を答えなさい。",
                 "Give the shape (rows, columns) of `col_W = self.W.reshape(FN, -1).T`."),
}


def _statement(p: dict) -> dict:
    x = rf"(N, C, H, W) = ({p['N']}, {p['C']}, {p['H']}, {p['W']})"
    w = rf"(FN, C, FH, FW) = ({p['FN']}, {p['C']}, {p['FH']}, {p['FW']})"
    return t(
        f"入力データ $\\mathbf{{x}}$ の形が ${x}$、フィルタ $\\mathbf{{W}}$ の形が ${w}$ の畳み込みレイヤを、"
        f"パディング $P = {p['P']}$、ストライド $S = {p['S']}$ で順伝播します。"
        "本（ゼロから作るDeep Learning）の `Convolution` と同じく、`im2col` で入力を行列に展開し、"
        "フィルタを `reshape` して行列の積で計算します。次の問いに答えなさい。",
        f"A convolution layer runs forward on input data $\\mathbf{{x}}$ of shape ${x}$ with filters $\\mathbf{{W}}$ of "
        f"shape ${w}$, padding $P = {p['P']}$ and stride $S = {p['S']}$. As in the book's `Convolution`, the input is "
        "unrolled into a matrix by `im2col` and the filters are reshaped, so that one matrix product computes the layer. "
        "Answer the questions below.")


def _forward_lines(p: dict, oh: int, ow: int) -> list[str]:
    n, c, fn, cff = p["N"], p["C"], p["FN"], p["C"] * p["FH"] * p["FW"]
    return [
        rf"$OH = (H + 2P - FH)/S + 1 = ({p['H']} + 2 \cdot {p['P']} - {p['FH']})/{p['S']} + 1 = {oh}$",
        rf"$OW = (W + 2P - FW)/S + 1 = ({p['W']} + 2 \cdot {p['P']} - {p['FW']})/{p['S']} + 1 = {ow}$",
        rf"$\text{{out}}: (N, FN, OH, OW) = ({n}, {fn}, {oh}, {ow})$",
        rf"$\text{{col}}: (N \cdot OH \cdot OW,\ C \cdot FH \cdot FW) = ({n * oh * ow}, {cff})$",
        rf"$\text{{col\_W}}: (C \cdot FH \cdot FW,\ FN) = ({cff}, {fn}),\ \ \text{{col}} \cdot \text{{col\_W}}: "
        rf"({n * oh * ow}, {fn}) \to ({n}, {fn}, {oh}, {ow})\ (C = {c})$",
    ]


def _backward_lines(p: dict) -> list[str]:
    """The gradients have their variables' shapes (checked on the engine's backward pass)."""
    return [
        rf"$\partial L/\partial \mathbf{{x}}: ({p['N']}, {p['C']}, {p['H']}, {p['W']})\ (\text{{col2im}})$",
        rf"$\partial L/\partial \mathbf{{W}}: ({p['FN']}, {p['C']}, {p['FH']}, {p['FW']}),\ "
        rf"\partial L/\partial \mathbf{{b}}: ({p['FN']},)$",
    ]

"""Affine layer gradients (family ``layer-gradients``): the shapes of dW, db and dx, and
their elements for small integer matrices.

Y = X W + b with X (N, D), W (D, M), b (M,) broadcast to every row, dout = dL/dY (N, M):
dx = dout W^T (N, D), dW = X^T dout (D, M), db = sum of dout over axis 0 (M,).
The reference answers come from the engine (``F.linear`` + backward with dout), checked
against the book's ``Affine`` layer and central differences; misconception answers come from
the same engine graph run with a mutated ``Linear`` backward rule.
"""
from __future__ import annotations

import numpy as np

from ..autodiff import Affine, BackwardRules, Linear, Variable
from ..autodiff import functions as F
from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..numdiff import numerical_grad
from ..spec.model import Precision
from ..graphview import graph_views
from .base import (BuiltinGenerator, Params, cleaned, differing, num, pmatrix, pnum,
                   require_close, shape_text, solution, t)

X_, W_, B_, Y_ = r"\mathbf{X}", r"\mathbf{W}", r"\mathbf{b}", r"\mathbf{Y}"
DL = r"\frac{\partial L}{\partial %s}"


def affine_engine(X, W, b, dout, rules=None) -> dict:
    """dx, dW, db from the engine: Y = linear(X, W, b), seeded with dout at Y."""
    xv, wv, bv = Variable(np.asarray(X, float), "X"), Variable(np.asarray(W, float), "W"), \
        Variable(np.asarray(b, float), "b")
    y = F.linear(xv, wv, bv)
    y.name = "Y"
    y.grad = np.asarray(dout, float)
    with np.errstate(all="ignore"):
        y.backward(retain_grad=rules is None, rules=rules)
    return {"dx": xv.grad, "dW": wv.grad, "db": bv.grad, "Y": y}


# Mutated Linear rules: each returns (gx, gW, gb) with one of them computed the wrong way.
def _rule(dx=None, dw=None, db=None):
    def rule(f, gy):
        x, W, b = (v.data for v in f.inputs)
        gx = dx(gy, W) if dx else gy @ W.T
        gW = dw(x, gy, W) if dw else x.T @ gy
        gb = db(gy) if db else gy.sum(axis=0)
        return gx, gW, gb
    return BackwardRules({Linear: rule})


def _dw_no_transpose(x, gy, W):
    if x.shape[0] == x.shape[1]:
        return x @ gy          # X . dout: the shapes fit only when N == D
    return gy.T @ x            # dout^T . X: shape (M, D), the transpose of dW's shape


MUTATIONS = {
    "dw_no_transpose": ("dW", _rule(dw=_dw_no_transpose)),
    # The column-vector form dW = dout·xᵀ carried over: (N, M)·(D, N) fits only when M == D.
    "dw_dout_xt": ("dW", _rule(dw=lambda x, gy, W: gy @ x.T)),
    # W instead of X (dx's factor): W·dout fits only when M == N.
    "dw_uses_w": ("dW", _rule(dw=lambda x, gy, W: W @ gy)),
    "db_averaged": ("db", _rule(db=lambda gy: gy.mean(axis=0))),
    "db_wrong_axis": ("db", _rule(db=lambda gy: gy.sum(axis=1))),
    # dout . W (no transpose): fits only when M == D. Named once the core knows the id.
    "dx_no_transpose": ("dx", _rule(dx=lambda gy, W: gy @ W if W.shape[0] == W.shape[1] else None)),
}


def affine_mistakes(X, W, b, dout) -> dict:
    """{misconception id: (which gradient, the array it gives or None)}."""
    out = {}
    for mid, (which, rules) in MUTATIONS.items():
        try:
            out[mid] = (which, affine_engine(X, W, b, dout, rules)[which])
        except ValueError:  # the mutated formula does not fit these shapes
            out[mid] = (which, None)
    return out


def _at(a, index):
    """a[index] if the wrong-shaped array has that element, else None."""
    if a is None:
        return None
    a = np.asarray(a)
    if a.ndim != len(index) or any(not 0 <= i < n for i, n in zip(index, a.shape)):
        return None
    return float(a[tuple(index)])


# =============================================================================== shapes
class AffineShapes(BuiltinGenerator):
    slug = "affine-gradient-shapes"
    version = 1
    family = "layer-gradients"
    difficulty = 1
    topics = ("affine-layer", "backprop")
    syllabus = ("3-1-1", "3-2-2")
    title = t("Affine レイヤの勾配の形", "Shapes of the affine layer's gradients")
    statement = t("X (N, D)、W (D, M)、b (M,) の Affine レイヤで、dW・db・dx の形を選ぶ問題です。",
                  "Choose the shapes of dW, db and dx for an affine layer with X (N, D), W (D, M), b (M,).")
    source = "built-in generator exercises.generators.affine.AffineShapes (ゼロから作るDeep Learning 5.6)"
    params_doc = t("N, D, M: 1〜10 の互いに異なる整数", "N, D, M: distinct integers from 1 to 10")
    hints = (
        t("勾配は元の変数と同じ形になります。dW は W と、db は b と、dx は X と同じ形です。",
          "A gradient has the shape of its variable: dW like W, db like b, dx like X."),
        t("行列積の形は (a, b)·(b, c) → (a, c) です。dW = Xᵀ·dout の形を確かめましょう。",
          "A matrix product goes (a, b)·(b, c) → (a, c): check the shape of dW = Xᵀ·dout."),
    )
    explanation = t(
        "勾配 ∂L/∂W は W の各要素についての微分を並べたものなので、必ず W と同じ形 (D, M) になります。"
        "dW = Xᵀ·dout は (D, N)·(N, M) → (D, M)、dx = dout·Wᵀ は (N, M)·(M, D) → (N, D) です。"
        "b はバッチのすべての行に足されている（ブロードキャスト）ので、db は dout を axis=0 で合計した (M,) です。"
        "axis=1 で合計すると (N,)（データごとの値）になってしまいます。",
        "∂L/∂W collects the derivative for every element of W, so it always has W's shape (D, M). "
        "dW = Xᵀ·dout is (D, N)·(N, M) → (D, M) and dx = dout·Wᵀ is (N, M)·(M, D) → (N, D). "
        "b is added to every row of the batch (broadcast), so db sums dout over axis 0 to shape (M,); "
        "summing over axis 1 gives (N,), one value per sample.")

    def draw(self, rng) -> dict:
        n, d, m = (int(v) for v in rng.choice(np.arange(2, 7), size=3, replace=False))
        return {"N": n, "D": d, "M": m}

    def check_params(self, params) -> dict:
        p = Params(params, ("N", "D", "M"))
        out = {k: p.number(k, 1, 10, integer=True) for k in ("N", "D", "M")}
        if len(set(out.values())) != 3:
            raise ParamsError("形を区別できるように N, D, M は互いに異なる値にしてください",
                              "N, D and M must differ so that the shapes can be told apart", field="params")
        return out

    def build(self, seed, params, layout, drawn) -> Exercise:
        n, d, m = params["N"], params["D"], params["M"]
        X, W, b = layout.normal(size=(n, d)), layout.normal(size=(d, m)), layout.normal(size=m)
        dout = layout.normal(size=(n, m))
        eng = affine_engine(X, W, b, dout)
        layer = Affine(W, b)
        layer.forward(X)
        require_close("dx", eng["dx"], layer.backward(dout))
        require_close("dW", eng["dW"], layer.dW)
        require_close("db", eng["db"], layer.db)
        size = {"N": n, "D": d, "M": m}
        # (letters, misconception the distractor comes from); the first one is right.
        options: dict[str, tuple[str, list[tuple[str, str | None]]]] = {
            "dw": ("dW", [("D, M", None), ("M, D", "dw_no_transpose"), ("N, M", None), ("N, D", None)]),
            "db": ("db", [("M,", None), ("N,", "db_wrong_axis"), ("N, M", None), ("", None)]),
            "dx": ("dx", [("N, D", None), ("N, M", None), ("D, N", None), ("D, M", None)]),
        }
        parts, answers, mistakes, checks = [], {}, {}, {}
        for pid, (grad, opts) in options.items():
            engine_shape = tuple(np.shape(eng[grad]))
            shapes = [tuple(size[c.strip()] for c in letters.split(",") if c.strip()) for letters, _ in opts]
            if shapes[0] != engine_shape or engine_shape in shapes[1:]:
                raise Rejected("shape_check", f"{grad}: engine {engine_shape}, options {shapes}", fatal=True)
            order = [int(i) for i in layout.permutation(len(opts))]
            texts = []
            for i in order:
                letters, _ = opts[i]
                if letters:
                    texts.append(t(f"({letters}) = {shape_text(shapes[i])}", f"({letters}) = {shape_text(shapes[i])}"))
                else:
                    texts.append(t("() （スカラー）", "() (a scalar)"))
            answers[pid] = order.index(0)
            mistakes[pid] = {mid: order.index(i) for i, (_, mid) in enumerate(opts) if mid}
            checks[pid] = {"engine": list(engine_shape), "options": [list(shapes[i]) for i in order]}
            parts.append(Part(pid, "choice", _shape_prompt(grad), None, tuple(texts)))
        statement = _affine_statement(n, d, m)
        st = shape_text
        forward = [rf"${Y_} = {X_}{W_} + {B_}:\ {st((n, d))} \cdot {st((d, m))} + {st((m,))} \to {st((n, m))}$"]
        backward = [
            rf"${DL % X_} = {DL % Y_}\,{W_}^{{\top}}:\ {st((n, m))} \cdot {st((m, d))} \to {st((n, d))}$",
            rf"${DL % W_} = {X_}^{{\top}} {DL % Y_}:\ {st((d, n))} \cdot {st((n, m))} \to {st((d, m))}$",
            rf"${DL % B_} = \sum_{{n}} \left({DL % Y_}\right)_{{n,:}}\ (\texttt{{axis=0}}):\ {st((n, m))} \to {st((m,))}$",
        ]
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=statement, params=dict(params),
            parts=parts, answers=answers, mistakes=mistakes, graph=None,
            solution=solution(forward, backward, None, checks=checks),
            hints=self.hints, explanation=self.explanation)


def _affine_statement(n: int, d: int, m: int) -> dict:
    """The statement: the shapes of X, W, b and dout for an affine layer."""
    shapes_tex = {
        "X": f"(N, D) = {shape_text((n, d))}", "W": f"(D, M) = {shape_text((d, m))}",
        "b": f"(M,) = {shape_text((m,))}", "dout": f"(N, M) = {shape_text((n, m))}",
    }
    statement = t(
        f"Affine レイヤ ${Y_} = {X_}{W_} + {B_}$ があります。入力 ${X_}$ の形は ${shapes_tex['X']}$、"
        f"重み ${W_}$ は ${shapes_tex['W']}$、バイアス ${B_}$ は ${shapes_tex['b']}$ で、"
        f"${B_}$ はバッチの各行にブロードキャストして足されます。\n\n"
        f"逆伝播で上流から ${DL % Y_}$（コードでは `dout`、形 ${shapes_tex['dout']}$）が流れてきました。"
        "dW、db、dx の形をそれぞれ選びなさい。",
        f"An affine layer computes ${Y_} = {X_}{W_} + {B_}$. The input ${X_}$ has shape ${shapes_tex['X']}$, "
        f"the weights ${W_}$ ${shapes_tex['W']}$ and the bias ${B_}$ ${shapes_tex['b']}$, broadcast to every "
        f"row of the batch.\n\nIn the backward pass ${DL % Y_}$ (`dout` in code, shape ${shapes_tex['dout']}$) "
        "arrives from upstream. Choose the shapes of dW, db and dx.")
    return statement


def _shape_prompt(grad: str) -> dict:
    of = {"dW": W_, "db": B_, "dx": X_}[grad]
    return t(f"{grad} $= {DL % of}$ の形を選びなさい。", f"Choose the shape of {grad} $= {DL % of}$.")


# =============================================================================== numbers
PRECISION = Precision("decimals", 2)
DRAW_VALUES = np.array([-3, -2, -1, 1, 2, 3])
DRAW_DOUT = np.array([-2, -1, 1, 2])


class AffineNumbers(BuiltinGenerator):
    slug = "affine-gradient-numbers"
    version = 1
    family = "layer-gradients"
    difficulty = 2
    topics = ("affine-layer", "backprop")
    syllabus = ("3-1-1", "3-2-2")
    title = t("Affine レイヤの逆伝播を数値で計算する", "Affine backward with numbers")
    statement = t("小さな整数の行列で Affine レイヤの dW・db・dx の要素を計算する問題です。",
                  "Compute elements of dW, db and dx of an affine layer on small integer matrices.")
    source = "built-in generator exercises.generators.affine.AffineNumbers (ゼロから作るDeep Learning 5.6.2)"
    params_doc = t(
        "X (N×D)、W (D×M)、b (M)、dout (N×M)：N, D, M は 1〜4、各値は -100〜100。"
        "任意で dw_at（dW の添字 2 つ）、db_at（db の添字）、dx_at（dx の添字）。",
        "X (N×D), W (D×M), b (M), dout (N×M) with N, D, M from 1 to 4 and values in -100..100; "
        "optionally dw_at (two indices into dW), db_at (an index into db), dx_at (an index into dx).")
    hints = (
        t("dW = Xᵀ·dout、db = np.sum(dout, axis=0)、dx = dout·Wᵀ です。",
          "dW = Xᵀ·dout, db = np.sum(dout, axis=0), dx = dout·Wᵀ."),
        t("dW[i, j] = Σₙ X[n, i]·dout[n, j]：X の i 列目と dout の j 列目の内積です。",
          "dW[i, j] = Σₙ X[n, i]·dout[n, j]: the dot product of column i of X and column j of dout."),
        t("dx[n, i] = Σⱼ dout[n, j]·W[i, j]：dout の n 行目と W の i 行目の内積です。",
          "dx[n, i] = Σⱼ dout[n, j]·W[i, j]: row n of dout times row i of W."),
    )
    explanation = t(
        "Y = XW + b の Y[n, j] = Σᵢ X[n, i]W[i, j] + b[j] を W[i, j] で微分すると X[n, i] なので、"
        "dW[i, j] = Σₙ X[n, i]·dout[n, j]、つまり dW = Xᵀ·dout です（「バイアスの勾配 × 入力」をデータについて足したもの）。"
        "b[j] は全データの Y[n, j] に足されているので db[j] = Σₙ dout[n, j]（axis=0 の合計、平均ではない）。"
        "X[n, i] は Y[n, 0..M-1] のすべてに W[i, j] 倍で効くので dx[n, i] = Σⱼ dout[n, j]W[i, j]、つまり dx = dout·Wᵀ です。",
        "Y[n, j] = Σᵢ X[n, i]W[i, j] + b[j]; its derivative with respect to W[i, j] is X[n, i], so "
        "dW[i, j] = Σₙ X[n, i]·dout[n, j], i.e. dW = Xᵀ·dout (the bias gradient times the input, summed over "
        "the batch). b[j] is added to Y[n, j] for every sample, so db[j] = Σₙ dout[n, j] (a sum over axis 0, "
        "not a mean). X[n, i] feeds every Y[n, j] with weight W[i, j], so dx[n, i] = Σⱼ dout[n, j]W[i, j], "
        "i.e. dx = dout·Wᵀ.")

    def draw(self, rng) -> dict:
        n, d, m = 2, int(rng.choice([2, 3])), 2
        return {"X": cleaned(rng.choice(DRAW_VALUES, size=(n, d))),
                "W": cleaned(rng.choice(DRAW_VALUES, size=(d, m))),
                "b": cleaned(rng.integers(-3, 4, size=m)),
                "dout": cleaned(rng.choice(DRAW_DOUT, size=(n, m)))}

    def check_params(self, params) -> dict:
        p = Params(params, ("X", "W", "b", "dout"), ("dw_at", "db_at", "dx_at"))
        X = p.matrix("X", -100, 100)
        n, d = len(X), len(X[0])
        W = p.matrix("W", -100, 100, rows=(d,))
        m = len(W[0])
        out = {"X": X, "W": W, "b": p.vector("b", -100, 100, sizes=(m,)),
               "dout": p.matrix("dout", -100, 100, rows=(n,), cols=(m,))}
        if p.has("dw_at"):
            out["dw_at"] = p.indices("dw_at", (d, m))
        if p.has("db_at"):
            out["db_at"] = p.index("db_at", (m,))[0]
        if p.has("dx_at"):
            out["dx_at"] = p.index("dx_at", (n, d))
        return out


    def build(self, seed, params, layout, drawn) -> Exercise:
        X, W, b, dout = (np.asarray(params[k], dtype=float) for k in ("X", "W", "b", "dout"))
        (n, d), m = X.shape, W.shape[1]
        eng = affine_engine(X, W, b, dout)
        layer = Affine(W, b)
        layer.forward(X)
        require_close("dx (book layer)", eng["dx"], layer.backward(dout))
        require_close("dW (book layer)", eng["dW"], layer.dW)
        require_close("db (book layer)", eng["db"], layer.db)
        num_dx, num_dW, num_db = numerical_grad(lambda x, w, bb: np.sum((x @ w + bb) * dout), X, W, b)
        require_close("dx (numerical)", eng["dx"], num_dx)
        require_close("dW (numerical)", eng["dW"], num_dW)
        require_close("db (numerical)", eng["db"], num_db)
        wrong = affine_mistakes(X, W, b, dout)

        def found(grad: str, at) -> dict:
            """What each mutated rule gives for this element (None: it has no such element)."""
            return {mid: _at(arr, at) for mid, (which, arr) in wrong.items() if which == grad}

        def score(grad: str, at) -> tuple[int, bool]:
            """(how much the element tells apart, whether every possible mistake differs)."""
            right = float(eng[grad][tuple(at)])
            made = [v for v in found(grad, at).values() if v is not None]
            told = sum(abs(v - right) > 2 * PRECISION.tolerance(right) for v in made)
            return 2 * told + (right != 0), right != 0 and told == len(made)

        def pick(grad: str, shape, k: int) -> list:
            cells = [list(map(int, c)) for c in np.ndindex(*shape)]
            tiebreak = layout.permutation(len(cells))
            ranked = sorted(range(len(cells)), key=lambda i: (-score(grad, cells[i])[0], int(tiebreak[i])))
            return [cells[i] for i in ranked[:k]]

        dw_at = params["dw_at"] if "dw_at" in params else pick("dW", (d, m), min(2, d * m))
        db_at = params["db_at"] if "db_at" in params else pick("db", (m,), 1)[0][0]
        dx_at = params["dx_at"] if "dx_at" in params else pick("dx", (n, d), 1)[0]
        asked = [(f"dw_{i + 1}" if len(dw_at) > 1 else "dw", "dW", list(at)) for i, at in enumerate(dw_at)] + \
            [("db", "db", [int(db_at)]), ("dx", "dx", list(dx_at))]
        if drawn:  # a drawn exercise must tell every possible mistake from the right answer
            weak = [pid for pid, grad, at in asked if not score(grad, at)[1]]
            if weak:
                raise Rejected("degenerate", f"{', '.join(weak)}: zero, or equal to a mistake's answer")
        parts, answers, mistakes = [], {}, {}
        for pid, grad, at in asked:
            right = float(eng[grad][tuple(at)]) + 0.0  # never -0.0
            answers[pid] = right
            mistakes[pid] = differing(PRECISION, right, {k: v for k, v in found(grad, at).items() if v is not None}, drawn)
            parts.append(Part(pid, "gradient", _element_prompt(grad, at), PRECISION))
        out_params = {k: params[k] for k in ("X", "W", "b", "dout")} | {
            "dw_at": [list(a) for a in dw_at], "db_at": int(db_at), "dx_at": list(dx_at)}
        graph, full = graph_views(eng["Y"])
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_numbers_statement(X, W, b, dout),
            params=out_params, parts=parts, answers=answers, mistakes=mistakes, graph=graph,
            solution=solution(*_numbers_solution(X, W, b, dout, eng, asked), full),
            hints=self.hints, explanation=self.explanation)


def _element_prompt(grad: str, at) -> dict:
    of = {"dW": W_, "db": B_, "dx": X_}[grad]
    idx = ", ".join(map(str, at))
    return t(f"{grad} $= {DL % of}$ の要素 `{grad}[{idx}]` を求めなさい（添字は 0 始まり）。",
             f"Find the element `{grad}[{idx}]` of {grad} $= {DL % of}$ (indices from 0).")


def _numbers_statement(X, W, b, dout) -> dict:
    given = rf"$${X_} = {pmatrix(X)}, \quad {W_} = {pmatrix(W)}, \quad {B_} = {pmatrix(b)}$$"
    upstream = rf"$${DL % Y_} = {pmatrix(dout)}$$"
    shapes = f"N = {X.shape[0]},\\ D = {X.shape[1]},\\ M = {W.shape[1]}"
    return t(
        f"Affine レイヤ ${Y_} = {X_}{W_} + {B_}$（${B_}$ は各行に足される）に、次の入力・重み・バイアスを与えて"
        f"順伝播しました（${shapes}$）。\n\n{given}\n\n逆伝播で上流から次の勾配（コードでは `dout`）が流れてきました。"
        f"\n\n{upstream}\n\n次の勾配の要素を求めなさい。添字は numpy と同じく 0 始まりです。",
        f"An affine layer ${Y_} = {X_}{W_} + {B_}$ (${B_}$ added to every row) ran forward on the input, "
        f"weights and bias below (${shapes}$).\n\n{given}\n\nIn the backward pass this gradient (`dout` in code) "
        f"arrives from upstream.\n\n{upstream}\n\nFind the elements of the gradients asked below; indices start "
        "at 0, as in numpy.")


def _numbers_solution(X, W, b, dout, eng, asked) -> tuple[list, list]:
    Y = X @ W + b
    forward = [rf"${Y_} = {X_}{W_} + {B_} = {pmatrix(X)}{pmatrix(W)} + {pmatrix(b)} = {pmatrix(Y)}$"]
    backward = [
        rf"${DL % X_} = {DL % Y_}\,{W_}^{{\top}} = {pmatrix(dout)}{pmatrix(W.T)} = {pmatrix(eng['dx'])}$",
        rf"${DL % W_} = {X_}^{{\top}} {DL % Y_} = {pmatrix(X.T)}{pmatrix(dout)} = {pmatrix(eng['dW'])}$",
        rf"${DL % B_} = \sum_{{n}} \left({DL % Y_}\right)_{{n,:}} = {pmatrix(eng['db'])}$",
    ]
    for _, grad, at in asked:
        if grad == "dW":
            i, j = at
            terms = [f"{pnum(X[k, i])} \\times {pnum(dout[k, j])}" for k in range(X.shape[0])]
            lhs = rf"\mathrm{{dW}}[{i}, {j}] = \sum_{{n}} X_{{n{i}}}\,\mathrm{{dout}}_{{n{j}}}"
        elif grad == "db":
            (j,) = at
            terms = [pnum(dout[k, j]) for k in range(dout.shape[0])]
            lhs = rf"\mathrm{{db}}[{j}] = \sum_{{n}} \mathrm{{dout}}_{{n{j}}}"
            backward.append(f"${lhs} = {' + '.join(terms)} = {num(eng['db'][j])}$")
            continue
        else:
            r, i = at
            terms = [f"{pnum(dout[r, k])} \\times {pnum(W[i, k])}" for k in range(W.shape[1])]
            lhs = rf"\mathrm{{dx}}[{r}, {i}] = \sum_{{j}} \mathrm{{dout}}_{{{r}j}}\,W_{{{i}j}}"
        backward.append(f"${lhs} = {' + '.join(terms)} = {num(eng[grad][tuple(at)])}$")
    return forward, backward

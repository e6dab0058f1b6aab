"""The graph nodes of ゼロから作るDeep Learning ② 1.3.4 (family ``node-backprop``): the
backward of a Repeat node, of a Sum node and of a MatMul node with a broadcast bias.

- Repeat: a vector x (D,) copied N times, y = np.repeat(x[None], N, axis=0) (N, D); it is the
  engine's ``F.broadcast_to(x, (N, D))``, whose backward is ``sum_to``: dx = dy.sum(axis=0).
- Sum: y = x.sum(axis=0) for x (N, D), the engine's ``F.sum(x, axis=0)``; its backward is a
  repeat: dx = np.repeat(dy[None], N, axis=0).
- MatMul + bias: y = x·W + b with b (H,) broadcast to every row: the engine's ``F.matmul`` and
  an ``Add`` whose broadcast input gets ``sum_to``: dx = dy·Wᵀ, dW = xᵀ·dy, db = dy.sum(axis=0),
  checked also against ``F.sum_to(dy, (H,))``.

Every answer comes from the engine (each node seeded with its given upstream gradient), checked
against the book's formulas in numpy and central differences of Σ dy ⊙ y. Misconception answers
are the same engine graphs run with one mutated backward rule (``BackwardRules``).
"""
from __future__ import annotations

import numpy as np

from ..autodiff import Add, BackwardRules, BroadcastTo, MatMul, Sum, Variable
from ..autodiff import functions as F
from ..errors import Rejected
from ..exercise import Exercise
from ..graphview import graph_views
from ..numdiff import numerical_grad
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, cleaned, pmatrix, require_close, solution, t
from .regularization import array_key, array_mistakes, array_part

PRECISION = Precision("decimals", 2)
VALUES = np.array([-3, -2, -1, 1, 2, 3])


def _seeded(y: Variable, dout) -> None:
    y.grad = np.asarray(dout, dtype=float)


def nodes_engine(p: dict, rules: BackwardRules | None = None) -> dict:
    """Every asked gradient from the engine, each node seeded with its upstream gradient."""
    rd, sd, mx, mw, md = (np.asarray(p[k], dtype=float) for k in ("repeat_dout", "sum_dout", "x", "W", "dout"))
    n, d = rd.shape
    xr = Variable(np.ones(d), "x_r")
    yr = F.broadcast_to(xr, (n, d))
    yr.name = "y_repeat"
    xs = Variable(np.ones((p["sum_n"], len(sd))), "x_s")
    ys = F.sum(xs, axis=0)
    ys.name = "y_sum"
    xm, wm, bm = Variable(mx, "x"), Variable(mw, "W"), Variable(np.zeros(mw.shape[1]), "b")
    ym = F.matmul(xm, wm) + bm
    ym.name = "y"
    for y, g in ((yr, rd), (ys, sd), (ym, md)):
        _seeded(y, g)
        with np.errstate(all="ignore"):
            y.backward(retain_grad=rules is None, rules=rules)
    return {"repeat_dx": xr.grad, "sum_dx": xs.grad, "matmul_dx": xm.grad, "matmul_dw": wm.grad,
            "db": bm.grad, "outputs": (yr, ys, ym)}


def _mean_rows(gy, shape):
    return gy.mean(axis=0) if gy.shape != tuple(shape) else gy


# {misconception id: (part, mutated rules)}: one wrong local rule each.
MUTATIONS = {
    "repeat_backward_not_summed": ("repeat_dx", BackwardRules({BroadcastTo: lambda f, gy: gy[0]})),
    "repeat_backward_averaged": ("repeat_dx", BackwardRules({BroadcastTo: lambda f, gy: gy.mean(axis=0)})),
    "sum_backward_not_repeated": ("sum_dx", BackwardRules({Sum: lambda f, gy: np.concatenate(
        [gy[None], np.zeros((f.x_shape[0] - 1, *gy.shape))])})),
    "sum_backward_averaged": ("sum_dx", BackwardRules({Sum: lambda f, gy: np.broadcast_to(
        gy / f.x_shape[0], f.x_shape)})),
    "dx_no_transpose": ("matmul_dx", BackwardRules({MatMul: lambda f, gy: (
        gy @ f.inputs[1].data, f.inputs[0].data.T @ gy)})),
    "dw_no_transpose": ("matmul_dw", BackwardRules({MatMul: lambda f, gy: (
        gy @ f.inputs[1].data.T, f.inputs[0].data @ gy)})),
    "dw_dout_xt": ("matmul_dw", BackwardRules({MatMul: lambda f, gy: (
        gy @ f.inputs[1].data.T, gy @ f.inputs[0].data.T)})),
    "db_averaged": ("db", BackwardRules({Add: lambda f, gy: (gy, _mean_rows(gy, f.inputs[1].shape))})),
    "db_wrong_axis": ("db", BackwardRules({Add: lambda f, gy: (gy, gy.sum(axis=1))})),
}


def nodes_mistakes(p: dict, right: dict | None = None) -> dict:
    """{part: {misconception id: array}}; a mutated rule that does not fit the shapes gives nothing."""
    right = nodes_engine(p) if right is None else right
    out: dict[str, dict] = {}
    for mid, (part, rules) in MUTATIONS.items():
        try:
            wrong = nodes_engine(p, rules)[part]
        except ValueError:
            continue
        if wrong is not None and np.shape(wrong) == np.shape(right[part]):
            out.setdefault(part, {})[mid] = wrong
    return out


def book_formulas(p: dict) -> dict:
    """The book's layers written out in numpy (Repeat, Sum, MatMul backward)."""
    rd, sd, mx, mw, md = (np.asarray(p[k], dtype=float) for k in ("repeat_dout", "sum_dout", "x", "W", "dout"))
    return {"repeat_dx": np.sum(rd, axis=0), "sum_dx": np.repeat(sd[None], p["sum_n"], axis=0),
            "matmul_dx": np.dot(md, mw.T), "matmul_dw": np.dot(mx.T, md), "db": np.sum(md, axis=0)}


def numerical(p: dict) -> dict:
    rd, sd, mx, mw, md = (np.asarray(p[k], dtype=float) for k in ("repeat_dout", "sum_dout", "x", "W", "dout"))
    n, d = rd.shape
    gr = numerical_grad(lambda x: np.sum(np.broadcast_to(x, (n, d)) * rd), np.zeros(d))
    gs = numerical_grad(lambda x: np.sum(x.sum(axis=0) * sd), np.zeros((p["sum_n"], len(sd))))
    gx, gw, gb = numerical_grad(lambda x, w, b: np.sum((x @ w + b) * md), mx, mw, np.zeros(mw.shape[1]))
    return {"repeat_dx": gr, "sum_dx": gs, "matmul_dx": gx, "matmul_dw": gw, "db": gb}


def _summed(rng, shape) -> list:
    """Small integers whose column sums are nonzero and not all equal (a few tries; build
    still turns down what gets through)."""
    a = rng.choice(VALUES, size=shape)
    for _ in range(10):
        sums = a.sum(axis=0)
        if np.all(sums != 0) and len(set(sums)) > 1:
            break
        a = rng.choice(VALUES, size=shape)
    return cleaned(a)


PROMPTS = {
    "repeat_dx": t("Repeat ノードの入力の勾配 dx（形 (D,)）を求めなさい。",
                   "Find the gradient dx of the Repeat node's input (shape (D,))."),
    "sum_dx": t("Sum ノードの入力の勾配 dx（形 (N, D)）を求めなさい。",
                "Find the gradient dx of the Sum node's input (shape (N, D))."),
    "matmul_dx": t("MatMul ノードの x の勾配 dx を求めなさい。", "Find the MatMul node's gradient dx for x."),
    "matmul_dw": t("MatMul ノードの W の勾配 dW を求めなさい。", "Find the MatMul node's gradient dW for W."),
    "db": t("ブロードキャストして足したバイアスの勾配 db（形 (H,)、sum_to の結果）を求めなさい。",
            "Find the gradient db of the broadcast bias (shape (H,), what sum_to gives)."),
}


class RepeatSumMatMulNodes(BuiltinGenerator):
    slug = "repeat-sum-matmul-nodes"
    version = 1
    family = "node-backprop"
    difficulty = 2
    topics = ("backprop", "computational-graph")
    syllabus = ("3-2-2",)
    title = t("Repeat・Sum・MatMul ノードの逆伝播", "Backward through Repeat, Sum and MatMul nodes")
    statement = t("Repeat ノード・Sum ノード・MatMul ノード（とブロードキャストしたバイアス）の逆伝播を、"
                  "小さな配列で計算する問題です。",
                  "Compute the backward pass of a Repeat node, a Sum node and a MatMul node (with a broadcast "
                  "bias) on small arrays.")
    source = ("built-in generator exercises.generators.graph_nodes.RepeatSumMatMulNodes "
              "(ゼロから作るDeep Learning ② 1.3.4)")
    params_doc = t(
        "repeat_dout（Repeat の出力の勾配、N×D：N 2〜5、D 1〜4）、sum_n（Sum の入力の行数 2〜5）、"
        "sum_dout（Sum の出力の勾配、長さ 1〜4）、x（N×D）、W（D×H）、dout（N×H）：各値は -100〜100。",
        "repeat_dout (the Repeat output's gradient, N×D with N 2-5, D 1-4), sum_n (the Sum input's rows, 2-5), "
        "sum_dout (the Sum output's gradient, length 1-4), x (N×D), W (D×H), dout (N×H); values in -100..100.")
    hints = (
        t("Repeat は分岐（コピー）なので逆伝播は合計、Sum は合計なので逆伝播はコピー（repeat）です。",
          "Repeat is a fan-out (copies), so its backward sums; Sum adds, so its backward copies (repeats)."),
        t("MatMul y = xW の逆伝播は dx = dy·Wᵀ、dW = xᵀ·dy。形が x・W と同じになることを確かめましょう。",
          "MatMul y = xW has dx = dy·Wᵀ and dW = xᵀ·dy: check that they have the shapes of x and W."),
        t("ブロードキャストで各行に足した b の勾配は、dy を b の形まで合計したもの（sum_to）です。",
          "A bias broadcast to every row gets dy summed down to its own shape (sum_to)."),
    )
    explanation = t(
        "Repeat ノードは x を N 個にコピーするので、逆伝播では N 個のコピーから戻る勾配を合計します"
        "（dx = np.sum(dy, axis=0, keepdims=True)）。逆に Sum ノードは N 行を足すので、どの行にも上流の勾配を"
        "そのままコピーします（dx = np.repeat(dy, N, axis=0)）。2 つは互いに逆の関係です。"
        "MatMul ノード y = xW では dx = dy·Wᵀ、dW = xᵀ·dy です（転置を忘れると正方行列では別の値になります）。"
        "バイアスを各行にブロードキャストして足すのは Repeat ノードと同じなので、db は dy を axis=0 で合計したもの"
        "（sum_to）で、平均ではありません。",
        "A Repeat node copies x N times, so its backward adds the gradients of the N copies "
        "(dx = np.sum(dy, axis=0, keepdims=True)). A Sum node adds N rows, so its backward copies the upstream "
        "gradient to every row (dx = np.repeat(dy, N, axis=0)): the two are each other's reverse. A MatMul node "
        "y = xW has dx = dy·Wᵀ and dW = xᵀ·dy (without the transpose a square matrix gives other values). "
        "Broadcasting a bias to every row is a Repeat node, so db sums dy over axis 0 (sum_to), not a mean.")

    def draw(self, rng) -> dict:
        n, d = int(rng.choice([2, 3])), int(rng.choice([2, 3]))
        return {"repeat_dout": _summed(rng, (n, d)), "sum_n": int(rng.choice([2, 3])),
                "sum_dout": cleaned(rng.choice(VALUES, size=int(rng.choice([2, 3])))),
                "x": cleaned(rng.choice(VALUES, size=(2, 2))), "W": cleaned(rng.choice(VALUES, size=(2, 2))),
                "dout": _summed(rng, (2, 2))}

    def check_params(self, params) -> dict:
        p = Params(params, ("repeat_dout", "sum_n", "sum_dout", "x", "W", "dout"))
        x = p.matrix("x", -100, 100)
        W = p.matrix("W", -100, 100, rows=(len(x[0]),))
        return {"repeat_dout": p.matrix("repeat_dout", -100, 100, rows=range(2, 6)),
                "sum_n": int(p.number("sum_n", 2, 5, integer=True)),
                "sum_dout": p.vector("sum_dout", -100, 100), "x": x, "W": W,
                "dout": p.matrix("dout", -100, 100, rows=(len(x),), cols=(len(W[0]),))}

    def build(self, seed, params, layout, drawn) -> Exercise:
        book = book_formulas(params)  # cheap: a guessable draw is turned down before the engine runs
        if drawn and (np.any(book["repeat_dx"] == 0) or np.any(book["db"] == 0)
                      or any(len(set(np.ravel(book[pid]))) == 1 for pid in PROMPTS)):
            raise Rejected("guessable", "a sum of 0 or an array of one repeated value")
        eng, nums = nodes_engine(params), numerical(params)
        md = np.asarray(params["dout"], dtype=float)
        require_close("db (F.sum_to)", eng["db"], F.sum_to(Variable(md), (md.shape[1],)).data)
        for pid in PROMPTS:
            require_close(f"{pid} (book)", eng[pid], book[pid])
            require_close(f"{pid} (numerical)", eng[pid], nums[pid])
        keys = {pid: array_key(eng[pid]) for pid in PROMPTS}
        found = nodes_mistakes(params, eng)
        mistakes = {pid: array_mistakes(PRECISION, keys[pid], found.get(pid, {}), drawn) for pid in PROMPTS}
        parts = [array_part(pid, PROMPTS[pid], keys[pid], PRECISION) for pid in PROMPTS]
        graph, full = graph_views(*eng["outputs"])
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_statement(params), params=dict(params),
            parts=parts, answers=keys, mistakes=mistakes, graph=graph,
            solution=solution(*_solution_lines(params, eng), full), hints=self.hints, explanation=self.explanation)


def _statement(p: dict) -> dict:
    rd, sd = np.asarray(p["repeat_dout"], dtype=float), np.asarray(p["sum_dout"], dtype=float)
    n, d = rd.shape
    mats = (rf"$$\mathbf{{x}} = {pmatrix(p['x'])}, \quad \mathbf{{W}} = {pmatrix(p['W'])}, \quad "
            rf"\frac{{\partial L}}{{\partial \mathbf{{y}}}} = {pmatrix(p['dout'])}$$")
    rep = rf"$$\frac{{\partial L}}{{\partial \mathbf{{y}}}} = {pmatrix(rd)}$$"
    sm = rf"$$\frac{{\partial L}}{{\partial \mathbf{{y}}}} = {pmatrix(sd)}$$"
    code = "```python\ny = np.repeat(x, N, axis=0)     # Repeat: x (1, D) -> y (N, D)\n" \
           "y = np.sum(x, axis=0)           # Sum: x (N, D) -> y (D,)\ny = np.dot(x, W) + b            # MatMul + bias\n```"
    return t(
        f"『ゼロから作るDeep Learning ②』1.3.4 の計算グラフのノードについて、逆伝播を計算します。\n\n{code}\n\n"
        f"(1) Repeat ノード：長さ D = {d} のベクトル $\\mathbf{{x}}$ を N = {n} 個コピーして $\\mathbf{{y}}$（{n}×{d}）"
        f"を作りました。上流からの勾配は\n\n{rep}\n\n"
        f"(2) Sum ノード：{p['sum_n']}×{len(sd)} の行列 $\\mathbf{{x}}$ を axis=0 で合計して $\\mathbf{{y}}$（長さ {len(sd)}）"
        f"を作りました。上流からの勾配は\n\n{sm}\n\n"
        "(3) MatMul ノードとバイアス：$\\mathbf{y} = \\mathbf{x}\\mathbf{W} + \\mathbf{b}$（$\\mathbf{b}$ は各行に"
        f"ブロードキャストして足す）。\n\n{mats}\n\n"
        "ベクトルは「1, 2, 3」、行列は「1, 2; 3, 4」の形で答えなさい。",
        f"Backward through the computational-graph nodes of Deep Learning from Scratch 2, 1.3.4.\n\n{code}\n\n"
        f"(1) Repeat node: a vector $\\mathbf{{x}}$ of length D = {d} is copied N = {n} times into $\\mathbf{{y}}$ "
        f"({n}×{d}). The upstream gradient is\n\n{rep}\n\n"
        f"(2) Sum node: a {p['sum_n']}×{len(sd)} matrix $\\mathbf{{x}}$ is summed over axis 0 into $\\mathbf{{y}}$ "
        f"(length {len(sd)}). The upstream gradient is\n\n{sm}\n\n"
        "(3) MatMul node and bias: $\\mathbf{y} = \\mathbf{x}\\mathbf{W} + \\mathbf{b}$ ($\\mathbf{b}$ broadcast "
        f"to every row).\n\n{mats}\n\n"
        "Give vectors as \"1, 2, 3\" and matrices as \"1, 2; 3, 4\".")


def _solution_lines(p: dict, eng: dict) -> tuple[list, list]:
    rd, sd = np.asarray(p["repeat_dout"], dtype=float), np.asarray(p["sum_dout"], dtype=float)
    dy = r"\frac{\partial L}{\partial \mathbf{y}}"
    forward = [r"$\text{Repeat: } \mathbf{y}_{n,:} = \mathbf{x}\ (n = 0, \dots, N-1)$",
               r"$\text{Sum: } \mathbf{y} = \sum_{n} \mathbf{x}_{n,:}$",
               r"$\text{MatMul: } \mathbf{y} = \mathbf{x}\mathbf{W} + \mathbf{b}$"]
    backward = [
        rf"$\text{{Repeat: }} \mathrm{{dx}} = \sum_n \left({dy}\right)_{{n,:}} = \sum_n {pmatrix(rd)}_{{n,:}} = "
        rf"{pmatrix(eng['repeat_dx'])}$",
        rf"$\text{{Sum: }} \mathrm{{dx}}_{{n,:}} = {dy} = {pmatrix(sd)}\ (\text{{{p['sum_n']} rows}}) \Rightarrow "
        rf"{pmatrix(eng['sum_dx'])}$",
        rf"$\mathrm{{dx}} = {dy}\,\mathbf{{W}}^\top = {pmatrix(p['dout'])}{pmatrix(np.asarray(p['W']).T)} = "
        rf"{pmatrix(eng['matmul_dx'])}$",
        rf"$\mathrm{{dW}} = \mathbf{{x}}^\top {dy} = {pmatrix(np.asarray(p['x']).T)}{pmatrix(p['dout'])} = "
        rf"{pmatrix(eng['matmul_dw'])}$",
        rf"$\mathrm{{db}} = \texttt{{sum\_to}}\left({dy}, (H,)\right) = {pmatrix(eng['db'])}$",
    ]
    return forward, backward

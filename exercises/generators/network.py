"""Seed 001 with numbers (family ``layer-gradients``): the gradients of the last and the
second-to-last layer's bias and weight in a tiny sigmoid network with squared error.

    z1_j = sum_i x_i w1_ij + b1_j,  h_j = sigmoid(z1_j),
    z2 = sum_j h_j w2_j + b2,       y = sigmoid(z2),       L = (y - t)^2 / 2

for n = 1 (a 1-1-1 network) or n = 2 (2-2-1). The seed's observations are the answers:
dL/db2 = (y - t) * y(1 - y); dL/dw2_j = dL/db2 * h_j ("the weight's gradient is the bias's
gradient times the input"); dL/db1_j = dL/db2 * w2_j * h_j(1 - h_j); dL/dw1_ij = dL/db1_j * x_i.

The network is built from scalar engine Variables, so its graph can be drawn and every graph
misconception (sigmoid' from x, the upstream gradient dropped, ...) is the same graph run with
mutated backward rules. The answers are checked against central differences and against the
book's Affine and Sigmoid layers.
"""
from __future__ import annotations

import re
from typing import cast

import numpy as np

from ..autodiff import Affine, SigmoidLayer, Variable
from ..autodiff import functions as F
from ..errors import Rejected
from ..exercise import Exercise, Part
from ..misconceptions import GRAPH
from ..spec.model import Precision
from ..graphview import graph_views
from ..numbers import off_grid
from .base import (BuiltinGenerator, Params, bears, cleaned, differing, num, pnum,
                   require_close, solution, t)

PRECISION = Precision("sig", 3)
X_VALUES = np.array([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0])
W_VALUES = np.array([-1.5, -1.0, -0.5, 0.5, 1.0, 1.5])
B_VALUES = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
MIN_GRADIENT = 1e-3  # a drawn gradient must be readable to 3 significant figures


def sigmoid(u):
    return 1.0 / (1.0 + np.exp(-u))


class Net:
    """The network as named scalar Variables (names: x1, w1_12, b1_2, w2_1, b2, t, ...)."""

    def __init__(self, p: dict):
        self.n = n = len(p["x"])
        self.one = n == 1
        self.leaves: dict[str, Variable] = {}
        leaf = self._leaf
        xs = [leaf(self.name("x", i), p["x"][i]) for i in range(n)]
        w1 = [[leaf(self.name("w1_", i, j), p["W1"][i][j]) for j in range(n)] for i in range(n)]
        b1 = [leaf(self.name("b1_", j), p["b1"][j]) for j in range(n)]
        w2 = [leaf(self.name("w2_", j), p["W2"][j]) for j in range(n)]
        b2, tv = leaf("b2", p["b2"]), leaf("t", p["t"])
        self.z1, self.h = [], []
        for j in range(n):
            z = xs[0] * w1[0][j]
            for i in range(1, n):
                z = z + xs[i] * w1[i][j]
            z = z + b1[j]
            z.name = self.name("z1_", j)
            h = F.sigmoid(z)
            h.name = self.name("h", j)
            self.z1.append(z)
            self.h.append(h)
        z2 = self.h[0] * w2[0]
        for j in range(1, n):
            z2 = z2 + self.h[j] * w2[j]
        self.z2 = z2 + b2
        self.z2.name = "z2"
        self.y = F.sigmoid(self.z2)
        self.y.name = "y"
        self.L = F.square(self.y - tv) / 2
        self.L.name = "L"

    def _leaf(self, name, value):
        v = Variable(np.float64(value), name=name)
        self.leaves[name] = v
        return v

    def name(self, stem: str, *idx: int) -> str:
        if self.one:
            return stem.rstrip("_")
        return stem + "".join(str(i + 1) for i in idx)

    def _functions(self) -> list:
        out, stack, seen = [], [self.L.creator], set()
        while stack:
            f = stack.pop()
            if id(f) in seen:
                continue
            seen.add(id(f))
            out.append(f)
            stack.extend(x.creator for x in f.inputs if x.creator is not None)
        return out

    def function_types(self) -> set:
        return {type(f) for f in self._functions()}

    def grads(self, rules=None, retain: bool = False) -> dict[str, float]:
        """dL/d(leaf) for every leaf; every gradient in the graph is cleared first (a
        retained one would otherwise be added to)."""
        self.L.cleargrad()
        for f in self._functions():
            for x in f.inputs:
                x.cleargrad()
        with np.errstate(all="ignore"):
            self.L.backward(retain_grad=retain, rules=rules)
        return {k: float(v.grad) if v.grad is not None else 0.0 for k, v in self.leaves.items()}


def numpy_loss(p: dict) -> float:
    x, W1, b1 = np.asarray(p["x"], float), np.asarray(p["W1"], float), np.asarray(p["b1"], float)
    h = sigmoid(x @ W1 + b1)
    y = sigmoid(h @ np.asarray(p["W2"], float) + float(p["b2"]))
    return 0.5 * (y - float(p["t"])) ** 2


def numeric_grads(p: dict, eps: float = 1e-6) -> dict:
    """Central differences of the loss for every parameter, in the engine's names."""
    out = {}
    n = len(p["x"])
    one = n == 1

    def nm(stem, *idx):
        return stem.rstrip("_") if one else stem + "".join(str(i + 1) for i in idx)

    def diff(key, index):
        up, down = _copy(p), _copy(p)
        _bump(up, key, index, eps)
        _bump(down, key, index, -eps)
        return (numpy_loss(up) - numpy_loss(down)) / (2 * eps)

    for i in range(n):
        for j in range(n):
            out[nm("w1_", i, j)] = diff("W1", (i, j))
    for j in range(n):
        out[nm("b1_", j)] = diff("b1", (j,))
        out[nm("w2_", j)] = diff("W2", (j,))
    out["b2"] = diff("b2", ())
    return out


def _copy(p):
    return {k: (np.array(v, dtype=float) if isinstance(v, list) else float(v)) for k, v in p.items()}


def _bump(p, key, index, h):
    if index:
        p[key][index] += h
    else:
        p[key] += h


def layer_grads(p: dict) -> dict:
    """The same gradients from the book's layers: Affine -> Sigmoid -> Affine -> Sigmoid."""
    x = np.asarray(p["x"], float).reshape(1, -1)
    a1, s1 = Affine(np.asarray(p["W1"], float), np.asarray(p["b1"], float)), SigmoidLayer()
    a2, s2 = Affine(np.asarray(p["W2"], float).reshape(-1, 1), np.array([float(p["b2"])])), SigmoidLayer()
    y = s2.forward(a2.forward(s1.forward(a1.forward(x))))
    dy = y - float(p["t"])  # dL/dy for L = (y - t)^2 / 2
    a1.backward(s1.backward(a2.backward(s2.backward(dy))))
    return {"W1": a1.dW, "b1": a1.db, "W2": a2.dW.reshape(-1), "b2": float(a2.db[0])}


class SigmoidNetGradients(BuiltinGenerator):
    slug = "sigmoid-net-bias-weight-grads"
    version = 1
    family = "layer-gradients"
    difficulty = 3
    topics = ("backprop", "chain-rule", "activation-functions")
    syllabus = ("3-1-1", "3-1-2", "3-1-4", "3-2-2")
    title = t("最後の層と最後から2番目の層のバイアス・重みの勾配",
              "Bias and weight gradients of the last two layers")
    statement = t("シグモイドと二乗誤差の小さなネットワーク（1-1-1 または 2-2-1）で、"
                  "最後の層と最後から2番目の層のバイアス・重みについての損失の勾配を求める問題です。",
                  "In a tiny sigmoid network (1-1-1 or 2-2-1) with squared error, find the loss gradients "
                  "for the biases and weights of the last and the second-to-last layer.")
    source = "built-in generator exercises.generators.network.SigmoidNetGradients (seed 001: 逆誤差伝播法)"
    params_doc = t(
        "x（長さ n = 1 か 2）、W1（n×n）、b1（n）、W2（n）、b2、t（0〜1）：各値は -5〜5。"
        "任意で w2_at、b1_at（0〜n-1）、w1_at（[i, j]）で問う要素を指定。",
        "x (length n = 1 or 2), W1 (n×n), b1 (n), W2 (n), b2, t (0 to 1), values in -5..5; optionally "
        "w2_at, b1_at (0..n-1) and w1_at ([i, j]) choose the elements asked.")
    hints = (
        t("シグモイド σ(u) の微分は σ(u)(1 - σ(u)) で、出力の値から計算できます。",
          "The derivative of σ(u) is σ(u)(1 - σ(u)), computed from the output."),
        t("最後のバイアスの勾配は (y - t)·y(1 - y) です。重みの勾配は、それに重みが掛かっている入力を掛けたものです。",
          "The last bias gradient is (y - t)·y(1 - y); a weight's gradient is that times the input the weight multiplies."),
        t("最後から2番目のバイアスの勾配は、最後のバイアスの勾配 × その先の重み × 活性化の微分 h(1 - h) です。",
          "The second-to-last bias gradient is the last bias gradient × the weight beyond it × the activation's h(1 - h)."),
    )
    explanation = t(
        "注目するバイアス以外を定数とみなすと、z = b + C なので ∂z/∂b = 1。連鎖律で "
        "∂L/∂b⁽²⁾ = 1 × σ'(z⁽²⁾) × ∂L/∂y = y(1 - y)(y - t) です。重み w⁽²⁾ⱼ の係数は入力 hⱼ なので "
        "∂L/∂w⁽²⁾ⱼ = hⱼ × ∂L/∂b⁽²⁾（重みの勾配はバイアスの勾配の「入力」倍）。"
        "1つ手前の層では、hⱼ が次の層に w⁽²⁾ⱼ 倍で効くので ∂L/∂b⁽¹⁾ⱼ = ∂L/∂b⁽²⁾ × w⁽²⁾ⱼ × hⱼ(1 - hⱼ)、"
        "さらに ∂L/∂w⁽¹⁾ᵢⱼ = xᵢ × ∂L/∂b⁽¹⁾ⱼ です。出力が複数あるときは、それぞれの経路の勾配を足し合わせます。",
        "Holding everything but the bias fixed, z = b + C, so ∂z/∂b = 1 and by the chain rule "
        "∂L/∂b⁽²⁾ = 1 × σ'(z⁽²⁾) × ∂L/∂y = y(1 - y)(y - t). The weight w⁽²⁾ⱼ multiplies the input hⱼ, so "
        "∂L/∂w⁽²⁾ⱼ = hⱼ × ∂L/∂b⁽²⁾ (a weight's gradient is the bias gradient times its input). "
        "One layer down, hⱼ feeds the next layer with weight w⁽²⁾ⱼ, so ∂L/∂b⁽¹⁾ⱼ = ∂L/∂b⁽²⁾ × w⁽²⁾ⱼ × hⱼ(1 - hⱼ) "
        "and ∂L/∂w⁽¹⁾ᵢⱼ = xᵢ × ∂L/∂b⁽¹⁾ⱼ. With several outputs, the gradients along the paths are summed.")

    def draw(self, rng) -> dict:
        n = int(rng.choice([1, 2]))
        return {"x": cleaned(rng.choice(X_VALUES, size=n)), "W1": cleaned(rng.choice(W_VALUES, size=(n, n))),
                "b1": cleaned(rng.choice(B_VALUES, size=n)), "W2": cleaned(rng.choice(W_VALUES, size=n)),
                "b2": float(rng.choice(B_VALUES)), "t": int(rng.integers(2)),
                "w2_at": int(rng.integers(n)), "b1_at": int(rng.integers(n)),
                "w1_at": [int(v) for v in rng.integers(n, size=2)]}

    def check_params(self, params) -> dict:
        p = Params(params, ("x", "W1", "b1", "W2", "b2", "t"), ("w2_at", "b1_at", "w1_at"))
        x = p.vector("x", -5, 5, sizes=(1, 2))
        n = len(x)
        out = {"x": x, "W1": p.matrix("W1", -5, 5, rows=(n,), cols=(n,)),
               "b1": p.vector("b1", -5, 5, sizes=(n,)), "W2": p.vector("W2", -5, 5, sizes=(n,)),
               "b2": p.number("b2", -5, 5), "t": p.number("t", 0, 1)}
        out["w2_at"] = p.index("w2_at", (n,))[0] if p.has("w2_at") else 0
        out["b1_at"] = p.index("b1_at", (n,))[0] if p.has("b1_at") else 0
        out["w1_at"] = p.index("w1_at", (n, n)) if p.has("w1_at") else [0, 0]
        return out

    def build(self, seed, params, layout, drawn) -> Exercise:
        net = Net(params)
        n = net.n
        grads = net.grads(retain=True)
        graph, full = graph_views(net.L)
        values = {v.name: float(v.data) for v in [*net.z1, *net.h, net.z2, net.y, net.L]}
        numeric = numeric_grads(params)
        layers = layer_grads(params)
        for name, g in grads.items():
            if name != "t" and name in numeric:
                require_close(f"{name} (numerical)", g, numeric[name])
        require_close("W1 (book layers)", [[grads[net.name("w1_", i, j)] for j in range(n)] for i in range(n)],
                      layers["W1"])
        require_close("b1 (book layers)", [grads[net.name("b1_", j)] for j in range(n)], layers["b1"])
        require_close("W2 (book layers)", [grads[net.name("w2_", j)] for j in range(n)], layers["W2"])
        require_close("b2 (book layers)", grads["b2"], layers["b2"])
        k, j = params["w2_at"], params["b1_at"]
        i1, j1 = params["w1_at"]
        asked = [("d_b2", "b2"), ("d_w2", net.name("w2_", k)), ("d_b1", net.name("b1_", j)),
                 ("d_w1", net.name("w1_", i1, j1))]
        for pid, leaf in asked:
            g = grads[leaf]
            if not np.isfinite(g) or abs(g) < (MIN_GRADIENT if drawn else 1e-12):
                raise Rejected("gradient_too_small", f"{pid}: {g!r} cannot be graded to 3 significant figures")
        types = net.function_types()
        wrong = {m.id: net.grads(m.rules) for m in GRAPH if m.applies_to(types)}
        generic = Net({**params, **{k: off_grid(params[k], i) for i, k in enumerate(("x", "W1", "b1", "W2", "b2"))}})
        right_generic = generic.grads()
        bearing = {m.id: {leaf for leaf, g in generic.grads(m.rules).items()
                          if bears(right_generic[leaf], g)} for m in GRAPH if m.id in wrong}
        tex = _Tex(net)
        parts = [Part("y", "value", t("出力 $y$ の値を求めなさい。", "Find the output $y$."), PRECISION)]
        mistakes: dict[str, dict]
        answers, mistakes = {"y": values["y"]}, {"y": {}}
        for pid, leaf in asked:
            d = rf"\dfrac{{\partial L}}{{\partial {tex.leaf(leaf)}}}"
            parts.append(Part(pid, "gradient", t(f"${d}$ を求めなさい。", f"Find ${d}$."), PRECISION))
            answers[pid] = grads[leaf] + 0.0
            mistakes[pid] = differing(PRECISION, grads[leaf],
                                      {mid: g[leaf] for mid, g in wrong.items() if leaf in bearing[mid]}, drawn)
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=tex.statement(params),
            params=dict(params), parts=parts, answers=answers, mistakes=mistakes, graph=graph,
            solution=solution(*tex.solution(params, values, grads), full),
            hints=self.hints, explanation=self.explanation)


class _Tex:
    """LaTeX names and lines for the network (1-based indices, as in the formulas)."""

    def __init__(self, net: Net):
        self.net, self.n, self.one = net, net.n, net.one

    def leaf(self, name: str) -> str:
        """The LaTeX of a leaf's engine name: w1_12 -> w^{(1)}_{12}, b2 -> b^{(2)}."""
        if name in ("b2", "t"):
            return {"b2": "b^{(2)}", "t": "t"}[name]
        if self.one:
            return {"x": "x", "w1": "w^{(1)}", "b1": "b^{(1)}", "w2": "w^{(2)}"}[name]
        stem, idx = cast(re.Match[str], re.fullmatch(r"(x|w1_|b1_|w2_)(\d+)", name)).groups()
        return {"x": "x", "w1_": "w^{(1)}", "b1_": "b^{(1)}", "w2_": "w^{(2)}"}[stem] + f"_{{{idx}}}"

    def x(self, i):
        return "x" if self.one else f"x_{{{i + 1}}}"

    def w1(self, i, j):
        return "w^{(1)}" if self.one else f"w^{{(1)}}_{{{i + 1}{j + 1}}}"

    def b1(self, j):
        return "b^{(1)}" if self.one else f"b^{{(1)}}_{{{j + 1}}}"

    def z1(self, j):
        return "z^{(1)}" if self.one else f"z^{{(1)}}_{{{j + 1}}}"

    def h(self, j):
        return "h" if self.one else f"h_{{{j + 1}}}"

    def w2(self, j):
        return "w^{(2)}" if self.one else f"w^{{(2)}}_{{{j + 1}}}"

    def statement(self, p: dict) -> dict:
        n = self.n
        if self.one:
            eqs = (r"z^{(1)} = w^{(1)} x + b^{(1)},\quad h = \sigma(z^{(1)}),\quad "
                   r"z^{(2)} = w^{(2)} h + b^{(2)},\quad y = \sigma(z^{(2)}),\quad L = \frac{1}{2}(y - t)^2")
            shape_ja, shape_en = "入力1・中間1・出力1", "one input, one hidden unit and one output"
        else:
            eqs = (r"z^{(1)}_j = \sum_{i=1}^{2} x_i w^{(1)}_{ij} + b^{(1)}_j,\quad h_j = \sigma(z^{(1)}_j),\quad "
                   r"z^{(2)} = \sum_{j=1}^{2} h_j w^{(2)}_j + b^{(2)},\quad y = \sigma(z^{(2)}),\quad "
                   r"L = \frac{1}{2}(y - t)^2")
            shape_ja, shape_en = "入力2・中間2・出力1", "two inputs, two hidden units and one output"
        vals = [f"{self.x(i)} = {num(p['x'][i])}" for i in range(n)]
        vals += [f"{self.w1(i, j)} = {num(p['W1'][i][j])}" for i in range(n) for j in range(n)]
        vals += [f"{self.b1(j)} = {num(p['b1'][j])}" for j in range(n)]
        vals += [f"{self.w2(j)} = {num(p['W2'][j])}" for j in range(n)]
        vals += [f"b^{{(2)}} = {num(p['b2'])}", f"t = {num(p['t'])}"]
        given = r"$$" + r",\quad ".join(vals) + r"$$"
        sig = r"$\sigma(u) = \dfrac{1}{1 + e^{-u}}$"
        return t(
            f"{shape_ja}の小さなニューラルネットワークがあります。活性化関数はシグモイド {sig}、"
            f"損失は二乗誤差です。\n\n$${eqs}$$\n\n各値は次のとおりです。\n\n{given}\n\n"
            "順伝播で出力を求め、逆伝播で最後の層と最後から2番目の層のバイアス・重みについての損失 $L$ の勾配を求めなさい"
            "（有効数字3桁）。",
            f"A tiny neural network has {shape_en}. The activation is the sigmoid {sig} and the loss "
            f"is the squared error.\n\n$${eqs}$$\n\nThe values are:\n\n{given}\n\n"
            "Find the output by the forward pass and, by backpropagation, the gradients of the loss $L$ for the "
            "biases and weights of the last and the second-to-last layer (3 significant figures).")

    def solution(self, p: dict, v: dict, g: dict) -> tuple[list, list]:
        net, n = self.net, self.n
        fwd = []
        for j in range(n):
            terms = " + ".join(f"{pnum(p['x'][i])} \\times {pnum(p['W1'][i][j])}" for i in range(n))
            z = v[net.name("z1_", j)]
            fwd.append(f"${self.z1(j)} = {terms} + {pnum(p['b1'][j])} = {num(z)}$")
            fwd.append(rf"${self.h(j)} = \sigma({num(z)}) = {num(v[net.name('h', j)])}$")
        terms = " + ".join(f"{num(v[net.name('h', j)])} \\times {pnum(p['W2'][j])}" for j in range(n))
        fwd.append(f"$z^{{(2)}} = {terms} + {pnum(p['b2'])} = {num(v['z2'])}$")
        fwd.append(rf"$y = \sigma({num(v['z2'])}) = {num(v['y'])}$")
        fwd.append(rf"$L = \frac{{1}}{{2}}({num(v['y'])} - {pnum(p['t'])})^2 = {num(v['L'])}$")
        y, db2 = v["y"], g["b2"]
        bwd = [
            rf"$\frac{{\partial L}}{{\partial y}} = y - t = {num(y - float(p['t']))}$",
            rf"$\frac{{\partial L}}{{\partial b^{{(2)}}}} = \frac{{\partial L}}{{\partial z^{{(2)}}}} = (y - t)\,y(1 - y) "
            rf"= {pnum(y - float(p['t']))} \times {num(y)} \times {num(1 - y)} = {num(db2)}$",
        ]
        for j in range(n):
            h = v[net.name("h", j)]
            bwd.append(rf"$\frac{{\partial L}}{{\partial {self.w2(j)}}} = \frac{{\partial L}}{{\partial b^{{(2)}}}}\,"
                       rf"{self.h(j)} = {pnum(db2)} \times {num(h)} = {num(g[net.name('w2_', j)])}$")
        for j in range(n):
            h = v[net.name("h", j)]
            db1 = g[net.name("b1_", j)]
            bwd.append(rf"$\frac{{\partial L}}{{\partial {self.b1(j)}}} = \frac{{\partial L}}{{\partial b^{{(2)}}}}\,"
                       rf"{self.w2(j)}\,{self.h(j)}(1 - {self.h(j)}) = {pnum(db2)} \times {pnum(p['W2'][j])} \times "
                       rf"{num(h)} \times {num(1 - h)} = {num(db1)}$")
            for i in range(n):
                bwd.append(rf"$\frac{{\partial L}}{{\partial {self.w1(i, j)}}} = \frac{{\partial L}}{{\partial {self.b1(j)}}}"
                           rf"\,{self.x(i)} = {pnum(db1)} \times {pnum(p['x'][i])} = {num(g[net.name('w1_', i, j)])}$")
        return fwd, bwd

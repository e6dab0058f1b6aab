"""The optimizer code family's material: each optimizer's ``update`` as the book writes it
(ゼロから作るDeep Learning, common/optimizer.py), the candidate lines for a blank, and each line's
meaning as a small Python function (``CANDIDATES``: exact text -> function; nothing is ever
exec'd or eval'd).

A line's function is ``(s, params, grads, key) -> None``: it does what the line does to the
optimizer's state ``s`` (``s.lr``, ``s.momentum``, ``s.v``, ``s.h``, ``s.m``, ``s.iter``, and
``s.lr_t`` for Adam's local variable) and to ``params``; ``key`` is None for the lines outside
the ``for key`` loop. ``PROGRAMS`` lists every optimizer's lines in order, as the simulator
runs them."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import t

BLANK = "____"


def _put(d: dict, key, value) -> None:
    d[key] = value


def _set(s, name: str, value) -> None:
    setattr(s, name, value)


SQ = "np.sqrt(self.h[key]) + 1e-7"
CANDIDATES = {
    # SGD
    "params[key] -= self.lr * grads[key]": lambda s, p, g, k: _put(p, k, p[k] - s.lr * g[k]),
    "params[key] += self.lr * grads[key]": lambda s, p, g, k: _put(p, k, p[k] + s.lr * g[k]),
    "params[key] -= grads[key]": lambda s, p, g, k: _put(p, k, p[k] - g[k]),
    "params[key] -= self.lr * params[key]": lambda s, p, g, k: _put(p, k, p[k] - s.lr * p[k]),
    "params[key] = -self.lr * grads[key]": lambda s, p, g, k: _put(p, k, -s.lr * g[k]),
    # Momentum
    "self.v[key] = self.momentum*self.v[key] - self.lr*grads[key]":
        lambda s, p, g, k: _put(s.v, k, s.momentum * s.v[k] - s.lr * g[k]),
    "self.v[key] = self.momentum*self.v[key] + self.lr*grads[key]":
        lambda s, p, g, k: _put(s.v, k, s.momentum * s.v[k] + s.lr * g[k]),
    "self.v[key] = self.momentum*self.v[key] - grads[key]": lambda s, p, g, k: _put(s.v, k, s.momentum * s.v[k] - g[k]),
    "self.v[key] = self.v[key] - self.lr*grads[key]": lambda s, p, g, k: _put(s.v, k, s.v[k] - s.lr * g[k]),
    "self.v[key] = self.momentum*(self.v[key] - self.lr*grads[key])":
        lambda s, p, g, k: _put(s.v, k, s.momentum * (s.v[k] - s.lr * g[k])),
    "params[key] += self.v[key]": lambda s, p, g, k: _put(p, k, p[k] + s.v[k]),
    "params[key] -= self.v[key]": lambda s, p, g, k: _put(p, k, p[k] - s.v[k]),
    "params[key] += self.momentum*self.v[key]": lambda s, p, g, k: _put(p, k, p[k] + s.momentum * s.v[k]),
    "params[key] -= self.lr*self.v[key]": lambda s, p, g, k: _put(p, k, p[k] - s.lr * s.v[k]),
    # Nesterov
    "self.v[key] *= self.momentum": lambda s, p, g, k: _put(s.v, k, s.v[k] * s.momentum),
    "self.v[key] -= self.lr * grads[key]": lambda s, p, g, k: _put(s.v, k, s.v[k] - s.lr * g[k]),
    "self.v[key] += self.lr * grads[key]": lambda s, p, g, k: _put(s.v, k, s.v[k] + s.lr * g[k]),
    "self.v[key] -= grads[key]": lambda s, p, g, k: _put(s.v, k, s.v[k] - g[k]),
    "self.v[key] = -self.lr * grads[key]": lambda s, p, g, k: _put(s.v, k, -s.lr * g[k]),
    "params[key] += self.momentum * self.momentum * self.v[key]":
        lambda s, p, g, k: _put(p, k, p[k] + s.momentum * s.momentum * s.v[k]),
    "params[key] -= self.momentum * self.momentum * self.v[key]":
        lambda s, p, g, k: _put(p, k, p[k] - s.momentum * s.momentum * s.v[k]),
    "params[key] += self.momentum * self.v[key]": lambda s, p, g, k: _put(p, k, p[k] + s.momentum * s.v[k]),
    "params[key] -= (1 + self.momentum) * self.lr * grads[key]":
        lambda s, p, g, k: _put(p, k, p[k] - (1 + s.momentum) * s.lr * g[k]),
    "params[key] += (1 + self.momentum) * self.lr * grads[key]":
        lambda s, p, g, k: _put(p, k, p[k] + (1 + s.momentum) * s.lr * g[k]),
    "params[key] -= (1 + self.momentum) * grads[key]": lambda s, p, g, k: _put(p, k, p[k] - (1 + s.momentum) * g[k]),
    # AdaGrad and RMSprop
    "self.h[key] += grads[key] * grads[key]": lambda s, p, g, k: _put(s.h, k, s.h[k] + g[k] * g[k]),
    "self.h[key] = 0.9 * self.h[key] + 0.1 * grads[key] * grads[key]":
        lambda s, p, g, k: _put(s.h, k, 0.9 * s.h[k] + 0.1 * g[k] * g[k]),
    "self.h[key] += grads[key]": lambda s, p, g, k: _put(s.h, k, s.h[k] + g[k]),
    "self.h[key] = grads[key] * grads[key]": lambda s, p, g, k: _put(s.h, k, g[k] * g[k]),
    "self.h[key] *= self.decay_rate": lambda s, p, g, k: _put(s.h, k, s.h[k] * s.decay_rate),
    "self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]":
        lambda s, p, g, k: _put(s.h, k, s.h[k] + (1 - s.decay_rate) * g[k] * g[k]),
    "self.h[key] += self.decay_rate * grads[key] * grads[key]":
        lambda s, p, g, k: _put(s.h, k, s.h[k] + s.decay_rate * g[k] * g[k]),
    "self.h[key] += (1 - self.decay_rate) * grads[key]": lambda s, p, g, k: _put(s.h, k, s.h[k] + (1 - s.decay_rate) * g[k]),
    f"params[key] -= self.lr * grads[key] / ({SQ})":
        lambda s, p, g, k: _put(p, k, p[k] - s.lr * g[k] / (np.sqrt(s.h[k]) + 1e-7)),
    "params[key] -= self.lr * grads[key] / np.sqrt(self.h[key] + 1e-7)":
        lambda s, p, g, k: _put(p, k, p[k] - s.lr * g[k] / np.sqrt(s.h[k] + 1e-7)),
    f"params[key] += self.lr * grads[key] / ({SQ})":
        lambda s, p, g, k: _put(p, k, p[k] + s.lr * g[k] / (np.sqrt(s.h[k]) + 1e-7)),
    "params[key] -= self.lr * grads[key] / (self.h[key] + 1e-7)":
        lambda s, p, g, k: _put(p, k, p[k] - s.lr * g[k] / (s.h[k] + 1e-7)),
    f"params[key] -= self.lr * grads[key] * ({SQ})":
        lambda s, p, g, k: _put(p, k, p[k] - s.lr * g[k] * (np.sqrt(s.h[k]) + 1e-7)),
    # Adam
    "self.iter += 1": lambda s, p, g, k: _set(s, "iter", s.iter + 1),
    "lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)":
        lambda s, p, g, k: _set(s, "lr_t", s.lr * np.sqrt(1.0 - s.beta2 ** s.iter) / (1.0 - s.beta1 ** s.iter)),
    "lr_t = self.lr": lambda s, p, g, k: _set(s, "lr_t", s.lr),
    "lr_t = self.lr * np.sqrt(1.0 - self.beta1**self.iter) / (1.0 - self.beta2**self.iter)":
        lambda s, p, g, k: _set(s, "lr_t", s.lr * np.sqrt(1.0 - s.beta1 ** s.iter) / (1.0 - s.beta2 ** s.iter)),
    "lr_t = self.lr * (1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)":
        lambda s, p, g, k: _set(s, "lr_t", s.lr * (1.0 - s.beta2 ** s.iter) / (1.0 - s.beta1 ** s.iter)),
    "self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])":
        lambda s, p, g, k: _put(s.m, k, s.m[k] + (1 - s.beta1) * (g[k] - s.m[k])),
    "self.m[key] += self.beta1 * (grads[key] - self.m[key])":
        lambda s, p, g, k: _put(s.m, k, s.m[k] + s.beta1 * (g[k] - s.m[k])),
    "self.m[key] += (1 - self.beta1) * grads[key]": lambda s, p, g, k: _put(s.m, k, s.m[k] + (1 - s.beta1) * g[k]),
    "self.m[key] += (1 - self.beta1) * (grads[key]**2 - self.m[key])":
        lambda s, p, g, k: _put(s.m, k, s.m[k] + (1 - s.beta1) * (g[k] ** 2 - s.m[k])),
    "self.v[key] += (1 - self.beta2) * (grads[key]**2 - self.v[key])":
        lambda s, p, g, k: _put(s.v, k, s.v[k] + (1 - s.beta2) * (g[k] ** 2 - s.v[k])),
    "self.v[key] += grads[key]**2": lambda s, p, g, k: _put(s.v, k, s.v[k] + g[k] ** 2),
    "self.v[key] += (1 - self.beta2) * (grads[key] - self.v[key])":
        lambda s, p, g, k: _put(s.v, k, s.v[k] + (1 - s.beta2) * (g[k] - s.v[k])),
    "self.v[key] += (1 - self.beta1) * (grads[key]**2 - self.v[key])":
        lambda s, p, g, k: _put(s.v, k, s.v[k] + (1 - s.beta1) * (g[k] ** 2 - s.v[k])),
    "params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)":
        lambda s, p, g, k: _put(p, k, p[k] - s.lr_t * s.m[k] / (np.sqrt(s.v[k]) + 1e-7)),
    "params[key] -= lr_t * self.m[key] / np.sqrt(self.v[key] + 1e-7)":
        lambda s, p, g, k: _put(p, k, p[k] - s.lr_t * s.m[k] / np.sqrt(s.v[k] + 1e-7)),
    "params[key] += lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)":
        lambda s, p, g, k: _put(p, k, p[k] + s.lr_t * s.m[k] / (np.sqrt(s.v[k]) + 1e-7)),
    "params[key] -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)":
        lambda s, p, g, k: _put(p, k, p[k] - s.lr * s.m[k] / (np.sqrt(s.v[k]) + 1e-7)),
    "params[key] -= lr_t * grads[key] / (np.sqrt(self.v[key]) + 1e-7)":
        lambda s, p, g, k: _put(p, k, p[k] - s.lr_t * g[k] / (np.sqrt(s.v[k]) + 1e-7)),
}

ADAGRAD_STEP = f"params[key] -= self.lr * grads[key] / ({SQ})"
ADAM_LR = "lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)"
# Every optimizer's update, line by line: ("once", line) before the loop, ("key", line) inside it.
PROGRAMS = {
    "SGD": (("key", "params[key] -= self.lr * grads[key]"),),
    "Momentum": (("key", "self.v[key] = self.momentum*self.v[key] - self.lr*grads[key]"),
                 ("key", "params[key] += self.v[key]")),
    "Nesterov": (("key", "self.v[key] *= self.momentum"), ("key", "self.v[key] -= self.lr * grads[key]"),
                 ("key", "params[key] += self.momentum * self.momentum * self.v[key]"),
                 ("key", "params[key] -= (1 + self.momentum) * self.lr * grads[key]")),
    "AdaGrad": (("key", "self.h[key] += grads[key] * grads[key]"), ("key", ADAGRAD_STEP)),
    "RMSprop": (("key", "self.h[key] *= self.decay_rate"),
                ("key", "self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]"), ("key", ADAGRAD_STEP)),
    "Adam": (("once", "self.iter += 1"), ("once", ADAM_LR),
             ("key", "self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])"),
             ("key", "self.v[key] += (1 - self.beta2) * (grads[key]**2 - self.v[key])"),
             ("key", "params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)")),
}
# The state each optimizer keeps, and the constructor's hyperparameters (the book's defaults)
STATE = {"SGD": (), "Momentum": ("v",), "Nesterov": ("v",), "AdaGrad": ("h",), "RMSprop": ("h",), "Adam": ("m", "v")}
INIT = {"SGD": "lr=0.01", "Momentum": "lr=0.01, momentum=0.9", "Nesterov": "lr=0.01, momentum=0.9",
        "AdaGrad": "lr=0.01", "RMSprop": "lr=0.01, decay_rate=0.99", "Adam": "lr=0.001, beta1=0.9, beta2=0.999"}


def book_code(optimizer: str) -> str:
    """The class as common/optimizer.py writes it."""
    names = [n.split("=")[0] for n in INIT[optimizer].split(", ")]
    init = [f"        self.{n} = {n}" for n in names]
    if optimizer == "Adam":
        init.append("        self.iter = 0")
    init += [f"        self.{s} = None" for s in STATE[optimizer]]
    lines = [f"class {optimizer}:", f"    def __init__(self, {INIT[optimizer]}):", *init, "",
             "    def update(self, params, grads):"]
    if STATE[optimizer]:
        first = STATE[optimizer][0]
        lines += [f"        if self.{first} is None:",
                  "            " + ", ".join(f"self.{s}" for s in STATE[optimizer]) + " = "
                  + ", ".join("{}" for _ in STATE[optimizer]),
                  "            for key, val in params.items():",
                  *[f"                self.{s}[key] = np.zeros_like(val)" for s in STATE[optimizer]], ""]
    once = [line for scope, line in PROGRAMS[optimizer] if scope == "once"]
    if once:
        lines += [f"        {line}" for line in once] + [""]
    lines.append("        for key in params.keys():")
    lines += [f"            {line}" for scope, line in PROGRAMS[optimizer] if scope == "key"]
    return "\n".join(lines)


CODE = {name: book_code(name) for name in PROGRAMS}
# What each update computes, per parameter W with gradient g (ε is the code's 1e-7)
FORMULAS = {
    "SGD": r"W \leftarrow W - \eta g",
    "Momentum": r"v \leftarrow \alpha v - \eta g, \qquad W \leftarrow W + v",
    "Nesterov": r"v \leftarrow \alpha v - \eta g, \qquad W \leftarrow W + \alpha^2 v - (1 + \alpha)\,\eta g",
    "AdaGrad": r"h \leftarrow h + g \odot g, \qquad W \leftarrow W - \eta \frac{g}{\sqrt{h} + 10^{-7}}",
    "RMSprop": r"h \leftarrow \rho h + (1 - \rho)\, g \odot g, \qquad W \leftarrow W - \eta \frac{g}{\sqrt{h} + 10^{-7}}",
    "Adam": r"m \leftarrow m + (1 - \beta_1)(g - m), \quad v \leftarrow v + (1 - \beta_2)(g \odot g - v), \quad "
            r"\eta_t = \eta \frac{\sqrt{1 - \beta_2^t}}{1 - \beta_1^t}, \quad "
            r"W \leftarrow W - \eta_t \frac{m}{\sqrt{v} + 10^{-7}}",
}


@dataclass(frozen=True)
class Option:
    text: str
    misconception: str | None  # the known mistake this distractor comes from (None: the answer, or unnamed)
    why: dict                  # ja/en: what the line computes


@dataclass(frozen=True)
class Variant:
    optimizer: str
    blank: str        # which line: "update", "v", "h", "lr_t", ...
    line: str         # the correct line as it appears in the code
    options: tuple    # Option, the first one correct
    formula: str      # LaTeX of what the line computes


O = Option  # noqa: E741 - one letter keeps the option tables readable
RIGHT = t("本の実装どおり（正解）", "as the book writes it (right)")
WRONG_SIGN = t("符号が逆で、勾配の方向（損失が増える向き）に進む", "the wrong sign: it moves along the gradient, uphill")
NO_LR = t("学習率 lr を掛けていない", "the learning rate is not applied")
MIXED = t("v の符号の書き方を混ぜている（v は既に −lr·g を含む）", "the two sign conventions mixed (v already holds −lr·g)")
EPS_IN = t("ε を平方根の中に入れている（√h・√v が小さいと値が変わる）",
           "ε inside the square root (differs where √h or √v is small)")
NO_SQRT = t("平方根を取っていない", "no square root")


def _update_options(step: str) -> tuple:
    """AdaGrad's and RMSprop's last line: W -= lr g / (sqrt(h) + 1e-7)."""
    return (O(step, None, RIGHT),
            O("params[key] -= self.lr * grads[key] / np.sqrt(self.h[key] + 1e-7)", "eps_inside_sqrt", EPS_IN),
            O(f"params[key] += self.lr * grads[key] / ({SQ})", "update_wrong_sign", WRONG_SIGN),
            O("params[key] -= self.lr * grads[key] / (self.h[key] + 1e-7)", None, NO_SQRT),
            O(f"params[key] -= self.lr * grads[key] * ({SQ})", None,
              t("√h で割らずに掛けている", "multiplies by √h instead of dividing")))


ADAPTIVE_STEP = r"W \leftarrow W - \eta \frac{g}{\sqrt{h} + 10^{-7}}"
_VARIANTS = [
    Variant("SGD", "update", "params[key] -= self.lr * grads[key]", (
        O("params[key] -= self.lr * grads[key]", None, RIGHT),
        O("params[key] += self.lr * grads[key]", "update_wrong_sign", WRONG_SIGN),
        O("params[key] -= grads[key]", "update_no_lr", NO_LR),
        O("params[key] -= self.lr * params[key]", None,
          t("勾配ではなくパラメータ自身を使っている", "uses the parameter, not its gradient")),
        O("params[key] = -self.lr * grads[key]", None,
          t("更新量を足さず、パラメータを置き換えている", "replaces the parameter instead of updating it")),
    ), r"W \leftarrow W - \eta g"),
    Variant("Momentum", "v", "self.v[key] = self.momentum*self.v[key] - self.lr*grads[key]", (
        O("self.v[key] = self.momentum*self.v[key] - self.lr*grads[key]", None, RIGHT),
        O("self.v[key] = self.momentum*self.v[key] + self.lr*grads[key]", "momentum_sign_mixed",
          t("v ← αv + ηg は W ← W − v と組で使う書き方。ここでは W += v なので勾配の方向に進む",
            "v ← αv + ηg belongs with W ← W − v; with W += v here it moves uphill")),
        O("self.v[key] = self.momentum*self.v[key] - grads[key]", "update_no_lr", NO_LR),
        O("self.v[key] = self.v[key] - self.lr*grads[key]", None,
          t("α を掛けず、速度が減衰しない", "no α: the velocity never decays")),
        O("self.v[key] = self.momentum*(self.v[key] - self.lr*grads[key])", None,
          t("勾配の項にまで α を掛けている", "α multiplies the gradient term too")),
    ), r"v \leftarrow \alpha v - \eta g"),
    Variant("Momentum", "update", "params[key] += self.v[key]", (
        O("params[key] += self.v[key]", None, RIGHT),
        O("params[key] -= self.v[key]", "momentum_sign_mixed", MIXED),
        O("params[key] += self.momentum*self.v[key]", None, t("α を2回掛けている", "α applied twice")),
        O("params[key] -= self.lr*self.v[key]", None, t("lr を2回掛け、符号も逆", "lr applied twice, and the wrong sign")),
    ), r"W \leftarrow W + v"),
    Variant("Nesterov", "v", "self.v[key] -= self.lr * grads[key]", (
        O("self.v[key] -= self.lr * grads[key]", None, RIGHT),
        O("self.v[key] += self.lr * grads[key]", "momentum_sign_mixed",
          t("v の符号の書き方を混ぜている（後の行は v = αv − ηg の書き方）",
            "sign conventions mixed (the next lines use v = αv − ηg)")),
        O("self.v[key] -= grads[key]", "update_no_lr", NO_LR),
        O("self.v[key] = -self.lr * grads[key]", None, t("直前の αv を捨てている", "throws away the αv just computed")),
    ), r"v \leftarrow \alpha v - \eta g"),
    Variant("Nesterov", "lookahead", "params[key] += self.momentum * self.momentum * self.v[key]", (
        O("params[key] += self.momentum * self.momentum * self.v[key]", None, RIGHT),
        O("params[key] += self.v[key]", "nesterov_as_momentum",
          t("Momentum の更新行 W += v（α² がない）", "Momentum's line W += v (no α²)")),
        O("params[key] -= self.momentum * self.momentum * self.v[key]", "momentum_sign_mixed", MIXED),
        O("params[key] += self.momentum * self.v[key]", None, t("α² ではなく α", "α instead of α²")),
    ), r"W \leftarrow W + \alpha^2 v"),
    Variant("Nesterov", "gradient", "params[key] -= (1 + self.momentum) * self.lr * grads[key]", (
        O("params[key] -= (1 + self.momentum) * self.lr * grads[key]", None, RIGHT),
        O("params[key] += (1 + self.momentum) * self.lr * grads[key]", "update_wrong_sign", WRONG_SIGN),
        O("params[key] -= self.lr * grads[key]", None, t("係数 (1 + α) がない", "the factor (1 + α) is missing")),
        O("params[key] -= (1 + self.momentum) * grads[key]", "update_no_lr", NO_LR),
    ), r"W \leftarrow W - (1 + \alpha)\,\eta g"),
    Variant("AdaGrad", "h", "self.h[key] += grads[key] * grads[key]", (
        O("self.h[key] += grads[key] * grads[key]", None, RIGHT),
        O("self.h[key] = 0.9 * self.h[key] + 0.1 * grads[key] * grads[key]", "adagrad_rmsprop_confused",
          t("RMSProp の移動平均（ρ = 0.9）で、AdaGrad の和ではない", "RMSProp's moving average (ρ = 0.9), not AdaGrad's sum")),
        O("self.h[key] += grads[key]", None, t("勾配を2乗していない", "the gradient is not squared")),
        O("self.h[key] = grads[key] * grads[key]", None,
          t("過去の勾配を足し合わせていない", "past gradients are not accumulated")),
    ), r"h \leftarrow h + g \odot g"),
    Variant("AdaGrad", "update", ADAGRAD_STEP, _update_options(ADAGRAD_STEP), ADAPTIVE_STEP),
    Variant("RMSprop", "h", "self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]", (
        O("self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]", None, RIGHT),
        O("self.h[key] += grads[key] * grads[key]", "adagrad_rmsprop_confused",
          t("AdaGrad のように g² をそのまま足している（1 − ρ がない）", "adds g² as AdaGrad does (no 1 − ρ)")),
        O("self.h[key] += self.decay_rate * grads[key] * grads[key]", None, t("ρ と 1 − ρ が逆", "ρ and 1 − ρ swapped")),
        O("self.h[key] += (1 - self.decay_rate) * grads[key]", None, t("勾配を2乗していない", "the gradient is not squared")),
    ), r"h \leftarrow \rho h + (1 - \rho)\, g \odot g"),
    Variant("RMSprop", "update", ADAGRAD_STEP, _update_options(ADAGRAD_STEP)[:4], ADAPTIVE_STEP),
    Variant("Adam", "lr_t", ADAM_LR, (
        O(ADAM_LR, None, RIGHT),
        O("lr_t = self.lr", "adam_no_bias_correction", t("バイアス補正をしていない", "no bias correction")),
        O("lr_t = self.lr * np.sqrt(1.0 - self.beta1**self.iter) / (1.0 - self.beta2**self.iter)", None,
          t("β₁ と β₂ が逆", "β₁ and β₂ swapped")),
        O("lr_t = self.lr * (1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)", None,
          t("v の補正に平方根がない", "no square root on v's correction")),
    ), r"\eta_t = \eta \sqrt{1 - \beta_2^t} / (1 - \beta_1^t)"),
    Variant("Adam", "m", "self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])", (
        O("self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])", None, RIGHT),
        O("self.m[key] += self.beta1 * (grads[key] - self.m[key])", None, t("β₁ と 1 − β₁ が逆", "β₁ and 1 − β₁ swapped")),
        O("self.m[key] += (1 - self.beta1) * grads[key]", None, t("古い m を減衰させていない", "the old m does not decay")),
        O("self.m[key] += (1 - self.beta1) * (grads[key]**2 - self.m[key])", None,
          t("勾配を2乗している（v の式）", "squares the gradient (v's formula)")),
    ), r"m \leftarrow m + (1 - \beta_1)(g - m)"),
    Variant("Adam", "v", "self.v[key] += (1 - self.beta2) * (grads[key]**2 - self.v[key])", (
        O("self.v[key] += (1 - self.beta2) * (grads[key]**2 - self.v[key])", None, RIGHT),
        O("self.v[key] += grads[key]**2", "adagrad_rmsprop_confused",
          t("AdaGrad のように g² を足し続けている（移動平均ではない）", "keeps adding g² as AdaGrad does (no moving average)")),
        O("self.v[key] += (1 - self.beta2) * (grads[key] - self.v[key])", None,
          t("勾配を2乗していない", "the gradient is not squared")),
        O("self.v[key] += (1 - self.beta1) * (grads[key]**2 - self.v[key])", None, t("β₂ ではなく β₁", "β₁ instead of β₂")),
    ), r"v \leftarrow v + (1 - \beta_2)(g \odot g - v)"),
    Variant("Adam", "update", "params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)", (
        O("params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)", None, RIGHT),
        O("params[key] -= lr_t * self.m[key] / np.sqrt(self.v[key] + 1e-7)", "eps_inside_sqrt", EPS_IN),
        O("params[key] += lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)", "update_wrong_sign", WRONG_SIGN),
        O("params[key] -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)", "adam_no_bias_correction",
          t("補正した lr_t ではなく lr を使っている", "uses lr instead of the corrected lr_t")),
        O("params[key] -= lr_t * grads[key] / (np.sqrt(self.v[key]) + 1e-7)", None,
          t("m ではなく今の勾配を使っている", "uses the current gradient instead of m")),
    ), r"W \leftarrow W - \eta_t \frac{m}{\sqrt{v} + 10^{-7}}"),
]
VARIANTS = {(v.optimizer, v.blank): v for v in _VARIANTS}
OPTIMIZERS = tuple(dict.fromkeys(o for o, _ in VARIANTS))
BLANKS = {o: tuple(b for (o2, b) in VARIANTS if o2 == o) for o in OPTIMIZERS}

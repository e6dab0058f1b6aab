"""Optimizer iterates (family ``optimizers``): from w0 and a given gradient sequence g1, g2, g3,
the iterates w1, w2, w3 of SGD, Momentum, Nesterov, AdaGrad, RMSprop or Adam, in the form of
the book's ``common/optimizer.py`` (ゼロから作るDeep Learning 6.1), and the first iterate had
g1 been c times larger (adaptive methods take a step of about η whatever the gradient's size).

The reference iterates come from the engine's optimizers (``exercises.autodiff.optimizers``),
checked against the formulas written out here by hand (Nesterov expanded, Adam in the paper's
m̂ / v̂ form). Each misconception is the whole wrong sequence from the same hand formulas with
one slip (ε inside the square root, no bias correction, ...); only those a grader can tell
apart are stored. The iterates are graded with error carried forward: the gradients do not
depend on w, so iterate k+1 is the learner's own iterate k plus the optimizer's step k+1.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from ..autodiff.optimizers import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop
from ..errors import ParamsError, Rejected
from ..exercise import Exercise, Part
from ..kinds import OrderedKey
from ..kinds.arrays import distinct_mistakes
from ..kinds.carried import trivial
from ..spec.model import Precision
from .base import BuiltinGenerator, Params, differing, num, pnum, require_close, t

PRECISION = Precision("decimals", 4)
OPTIMIZERS = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam")
ADAPTIVE = ("AdaGrad", "RMSprop", "Adam")
ENGINE = {"SGD": SGD, "Momentum": Momentum, "Nesterov": Nesterov, "AdaGrad": AdaGrad, "RMSprop": RMSprop,
          "Adam": Adam}
HYPER = {"SGD": (), "Momentum": ("momentum",), "Nesterov": ("momentum",), "AdaGrad": ("eps",),
         "RMSprop": ("decay_rate", "eps"), "Adam": ("beta1", "beta2", "eps")}
DEFAULTS = {"momentum": 0.9, "decay_rate": 0.99, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7, "scale": 10}
TEX = {"lr": r"\eta", "momentum": r"\alpha", "decay_rate": r"\rho", "beta1": r"\beta_1", "beta2": r"\beta_2",
       "eps": r"\varepsilon"}
# Exam-like draws
W0 = (-2, -1.5, -0.5, 0.5, 1.5, 2, 2.5, 3)
GRADS = (-3, -2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 3, 4)
DRAWS: dict[str, Any] = {"lr": {"SGD": (0.1, 0.01, 0.5, 0.05), "Momentum": (0.1, 0.01, 0.05), "Nesterov": (0.1, 0.01, 0.05),
                "AdaGrad": (0.1, 0.5, 0.01), "RMSprop": (0.01, 0.1), "Adam": (0.1, 0.01)},
         "momentum": (0.9, 0.5), "decay_rate": (0.9, 0.99), "beta1": (0.9,), "beta2": (0.999,),
         "eps": {"AdaGrad": (1e-7, 0.01, 0.1), "RMSprop": (1e-7, 0.01, 0.1), "Adam": (1e-8, 1e-7, 0.001)},
         "scale": (10, 0.1)}
MIN_STEP = 0.001  # 20 units of the last digit asked for: a step is never lost in the rounding


# ----------------------------------------------------------------------------- the formulas
@dataclass(frozen=True)
class Slip:
    """One classic mistake in the update formulas."""
    sign: float = 1.0           # -1: the update added instead of subtracted
    lr_one: bool = False        # the learning rate forgotten
    eps_inside: bool = False    # sqrt(h + eps) instead of sqrt(h) + eps
    bias: bool = True           # Adam's bias correction
    summed: bool = False        # RMSprop's moving average replaced by AdaGrad's sum
    plain: bool = False         # Nesterov computed as Momentum


SLIPS = {
    "update_wrong_sign": Slip(sign=-1.0), "momentum_sign_mixed": Slip(sign=-1.0),
    "update_no_lr": Slip(lr_one=True), "eps_inside_sqrt": Slip(eps_inside=True),
    "adam_no_bias_correction": Slip(bias=False), "adagrad_rmsprop_confused": Slip(summed=True),
    "nesterov_as_momentum": Slip(plain=True),
}
# For Momentum and Nesterov "the update added" is the mix of the two sign conventions.
APPLIES = {
    "SGD": ("update_wrong_sign", "update_no_lr"),
    "Momentum": ("momentum_sign_mixed",),
    "Nesterov": ("momentum_sign_mixed", "nesterov_as_momentum"),
    "AdaGrad": ("update_wrong_sign", "eps_inside_sqrt"),
    "RMSprop": ("update_wrong_sign", "eps_inside_sqrt", "adagrad_rmsprop_confused"),
    "Adam": ("update_wrong_sign", "eps_inside_sqrt", "adam_no_bias_correction"),
}


def hand_steps(opt: str, hp: dict, grads, slip: Slip = Slip()) -> list[dict]:
    """Each step's state and update ``d`` (w_t = w_{t-1} + d), by the formulas, not the code."""
    lr, eps = (1.0 if slip.lr_one else hp["lr"]), hp.get("eps", 0.0)
    out, v, h, m = [], 0.0, 0.0, 0.0

    def denominator(x):
        return math.sqrt(x + eps) if slip.eps_inside else math.sqrt(x) + eps
    for step, g in enumerate(grads, start=1):
        if opt == "SGD":
            state, d = {}, -lr * g
        elif opt in ("Momentum", "Nesterov"):
            a, before = hp["momentum"], v
            v = a * v - lr * g
            plain = opt == "Momentum" or slip.plain   # Nesterov: a^2 v_t - (1 + a) lr g, expanded
            state, d = {"v": v}, v if plain else a ** 3 * before - (1 + a + a * a) * lr * g
        elif opt in ("AdaGrad", "RMSprop"):
            rho = 1.0 if opt == "AdaGrad" or slip.summed else hp["decay_rate"]
            h = rho * h + (1.0 if opt == "AdaGrad" or slip.summed else 1 - rho) * g * g
            state, d = {"h": h}, -lr * g / denominator(h)
        else:
            b1, b2 = hp["beta1"], hp["beta2"]
            m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
            mhat, vhat = m / (1 - b1 ** step), v / (1 - b2 ** step)
            lr_t = lr * math.sqrt(1 - b2 ** step) / (1 - b1 ** step) if slip.bias else lr
            state = {"m": m, "v": v, "lr_t": lr_t, "mhat": mhat, "vhat": vhat}
            if slip.bias and not slip.eps_inside:  # the paper's form: eps scaled like v-hat
                d = -lr * mhat / (math.sqrt(vhat) + eps / math.sqrt(1 - b2 ** step))
            else:
                d = -lr_t * m / denominator(v)
        out.append({**state, "d": slip.sign * d})
    return out


def engine_iterates(opt: str, hp: dict, w0: float, grads) -> list[float]:
    """w1, w2, ... from the engine's optimizer, one ``update`` per gradient."""
    optimizer = ENGINE[opt](lr=hp["lr"], **{k: hp[k] for k in HYPER[opt]})
    params = {"w": np.array([float(w0)])}
    out = []
    for g in grads:
        optimizer.update(params, {"w": np.array([float(g)])})
        out.append(float(params["w"][0]))
    return out


@dataclass(frozen=True)
class CarriedStep:
    """Iterate k + 1 from the learner's iterate k: the optimizer's step k + 1 does not depend on w
    (a value, so that two builds of the same exercise compare equal)."""
    deltas: tuple

    def __call__(self, k: int, w: float) -> float | None:
        return w + self.deltas[k] if 0 <= k < len(self.deltas) else None


# ----------------------------------------------------------------------------- text
FORMULAS = {
    "SGD": r"w_t = w_{t-1} - \eta\, g_t",
    "Momentum": r"v_t = \alpha v_{t-1} - \eta\, g_t, \qquad w_t = w_{t-1} + v_t \qquad (v_0 = 0)",
    "Nesterov": r"v_t = \alpha v_{t-1} - \eta\, g_t, \qquad w_t = w_{t-1} + \alpha^2 v_t - (1 + \alpha)\,\eta\, g_t"
                r" \qquad (v_0 = 0)",
    "AdaGrad": r"h_t = h_{t-1} + g_t^2, \qquad w_t = w_{t-1} - \eta\, \frac{g_t}{\sqrt{h_t} + \varepsilon}"
               r" \qquad (h_0 = 0)",
    "RMSprop": r"h_t = \rho\, h_{t-1} + (1 - \rho)\, g_t^2, \qquad w_t = w_{t-1} - \eta\, \frac{g_t}{\sqrt{h_t} + "
               r"\varepsilon} \qquad (h_0 = 0)",
    "Adam": r"m_t = m_{t-1} + (1 - \beta_1)(g_t - m_{t-1}), \quad v_t = v_{t-1} + (1 - \beta_2)(g_t^2 - v_{t-1}), "
            r"\quad \eta_t = \eta\, \frac{\sqrt{1 - \beta_2^{\,t}}}{1 - \beta_1^{\,t}}, \quad "
            r"w_t = w_{t-1} - \eta_t\, \frac{m_t}{\sqrt{v_t} + \varepsilon} \qquad (m_0 = v_0 = 0)",
}
NAMES = {"SGD": "SGD", "Momentum": "Momentum", "Nesterov": "Nesterov", "AdaGrad": "AdaGrad",
         "RMSprop": "RMSProp", "Adam": "Adam"}


def _givens_tex(p: dict) -> str:
    hp = [rf"{TEX[k]} = {num(p[k])}" for k in ("lr", *HYPER[p["optimizer"]])]
    gs = ", ".join(rf"g_{i} = {num(g)}" for i, g in enumerate(p["gradients"], start=1))
    return rf"$$w_0 = {num(p['w0'])}, \quad " + r", \quad ".join(hp) + rf"; \qquad {gs}$$"


def _statement(p: dict) -> dict:
    name, shown = NAMES[p["optimizer"]], rf"$${FORMULAS[p['optimizer']]}$$"
    return t(
        f"1つのパラメータ $w$ を {name} で更新します。更新式は『ゼロから作るDeep Learning』の "
        f"common/optimizer.py と同じく次のとおりです。\n\n{shown}\n\n初期値・ハイパーパラメータと、各ステップで使う"
        f"勾配 $g_t = \\partial L / \\partial w$ は次のとおりです（勾配は $w$ によらず、この値を順に使います）。"
        f"\n\n{_givens_tex(p)}",
        f"One parameter $w$ is updated with {name}, in the form of the book's common/optimizer.py "
        f"(Deep Learning from Scratch):\n\n{shown}\n\nThe start, the hyperparameters and the gradients "
        f"$g_t = \\partial L / \\partial w$ used at each step (given; they do not depend on $w$):\n\n{_givens_tex(p)}")


def _state_lines(opt: str, hp: dict, grads, steps: list[dict]) -> list[str]:
    lines = []
    for k, (g, s) in enumerate(zip(grads, steps), start=1):
        prev = steps[k - 2] if k > 1 else {"v": 0.0, "h": 0.0, "m": 0.0}
        if opt in ("Momentum", "Nesterov"):
            lines.append(rf"$v_{k} = {num(hp['momentum'])} \cdot {pnum(prev['v'])} - {num(hp['lr'])} \cdot {pnum(g)}"
                         rf" = {num(s['v'])}$")
        elif opt == "AdaGrad":
            lines.append(rf"$h_{k} = {num(prev['h'])} + {pnum(g)}^2 = {num(s['h'])}$")
        elif opt == "RMSprop":
            rho = num(hp["decay_rate"])
            lines.append(rf"$h_{k} = {rho} \cdot {num(prev['h'])} + (1 - {rho}) \cdot {pnum(g)}^2 = {num(s['h'])}$")
        elif opt == "Adam":
            b1, b2 = num(hp["beta1"]), num(hp["beta2"])
            lines.append(rf"$m_{k} = {num(prev['m'])} + (1 - {b1})({num(g)} - {pnum(prev['m'])}) = {num(s['m'])}, "
                         rf"\quad v_{k} = {num(prev['v'])} + (1 - {b2})({pnum(g)}^2 - {num(prev['v'])}) = {num(s['v'])}$")
            lines.append(rf"$\eta_{k} = {num(hp['lr'])} \cdot \sqrt{{1 - {b2}^{{{k}}}}} / (1 - {b1}^{{{k}}}) = "
                         rf"{num(s['lr_t'])} \quad (\hat m_{k} = m_{k} / (1 - \beta_1^{{{k}}}) = {num(s['mhat'])}, "
                         rf"\ \hat v_{k} = v_{k} / (1 - \beta_2^{{{k}}}) = {num(s['vhat'])})$")
    return lines


def _update_lines(opt: str, hp: dict, w0: float, grads, steps: list[dict], iterates) -> list[str]:
    lines, eta, eps = [], num(hp["lr"]), num(hp.get("eps", 0))
    for k, (g, s, w) in enumerate(zip(grads, steps, iterates), start=1):
        before = pnum(w0 if k == 1 else iterates[k - 2], 8)
        formula = {
            "SGD": rf"{before} - {eta} \cdot {pnum(g)}",
            "Momentum": rf"{before} + {pnum(s.get('v', 0))}",
            "Nesterov": rf"{before} + {num(hp.get('momentum', 0))}^2 \cdot {pnum(s.get('v', 0))} - "
                        rf"(1 + {num(hp.get('momentum', 0))}) \cdot {eta} \cdot {pnum(g)}",
            "AdaGrad": rf"{before} - {eta} \cdot \frac{{{num(g)}}}{{\sqrt{{{num(s.get('h', 0))}}} + {eps}}}",
            "RMSprop": rf"{before} - {eta} \cdot \frac{{{num(g)}}}{{\sqrt{{{num(s.get('h', 0))}}} + {eps}}}",
            "Adam": rf"{before} - {num(s.get('lr_t', 0))} \cdot \frac{{{num(s.get('m', 0))}}}"
                    rf"{{\sqrt{{{num(s.get('v', 0))}}} + {eps}}}",
        }[opt]
        lines.append(rf"$w_{k} = {formula} = {num(w, 8)}$")
    return lines


def _sequence(opt: str, hp: dict, w0: float, grads, slip: Slip = Slip()) -> tuple:
    w, out = float(w0), []
    for s in hand_steps(opt, hp, grads, slip):
        w += s["d"]
        out.append(w)
    return tuple(out)


def _checked_iterates(opt: str, hp: dict, w0: float, grads) -> tuple[tuple, tuple, list]:
    """(iterates, steps, states): the engine's, checked against the hand formulas."""
    iterates = tuple(engine_iterates(opt, hp, w0, grads))
    states = hand_steps(opt, hp, grads)
    require_close(f"{opt} iterates (hand formulas)", iterates, _sequence(opt, hp, w0, grads))
    deltas = tuple(b - a for a, b in zip((float(w0), *iterates), iterates))
    return iterates, deltas, states


def _usable(values, deltas, givens) -> None:
    """A drawn exercise whose answers are all worth computing: no value anyone can type, no step
    lost in the rounding."""
    if any(abs(d) < MIN_STEP for d in deltas):
        raise Rejected("small_step", f"steps {deltas}")
    if any(trivial(v, givens, PRECISION.tolerance) or abs(v) > 1e4 for v in values):
        raise Rejected("trivial_answer", f"answers {values} (given {givens})")


def _scaled_mistakes(opt: str, hp: dict, w0: float, g: float, answer: float, first: float, scale: float,
                     drawn: bool) -> dict:
    """w1 with g1 scaled, computed with each slip; ε inside the root only where it shows."""
    # First the part's own mistake: the step taken as proportional to g (for RMSprop with ρ = 0.99 and
    # c = 0.1 AdaGrad's sum gives the same number; the grader names the first)
    found = {"adaptive_step_scaled": w0 + scale * first} if opt in ADAPTIVE else {}
    found.update({mid: w0 + hand_steps(opt, hp, [g], SLIPS[mid])[0]["d"] for mid in APPLIES[opt]})
    subtle = {"eps_inside_sqrt": found.pop("eps_inside_sqrt")} if "eps_inside_sqrt" in found else {}
    return {**differing(PRECISION, answer, found, drawn), **differing(PRECISION, answer, subtle, False)}


RANGES = {"momentum": (0.05, 0.99), "decay_rate": (0.5, 0.999), "beta1": (0.5, 0.99), "beta2": (0.9, 0.9999),
          "eps": (1e-12, 1.0)}
HEADINGS = {"forward": t("状態（v・h・m）の更新", "State updates (v, h, m)"),
            "backward": t("パラメータの更新", "Parameter updates")}


class OptimizerSteps(BuiltinGenerator):
    slug = "optimizer-steps"
    version = 1
    family = "optimizers"
    difficulty = 3
    topics = ("optimization",)
    syllabus = ("3-2-1", "3-2-3")
    title = t("最適化手法の更新を3ステップ計算する", "Three steps of an optimizer")
    statement = t("初期値 w₀ と与えられた勾配 g₁, g₂, g₃ から、SGD・Momentum・Nesterov・AdaGrad・RMSProp・Adam の"
                  "いずれかで w₁, w₂, w₃ を求め、勾配の大きさが更新量に与える影響を考える問題です。",
                  "From a start w₀ and given gradients g₁, g₂, g₃, find the iterates w₁, w₂, w₃ of SGD, Momentum, "
                  "Nesterov, AdaGrad, RMSProp or Adam, and how the gradient's size changes the step.")
    source = ("built-in generator exercises.generators.optimizer_steps.OptimizerSteps "
              "(ゼロから作るDeep Learning 6.1, common/optimizer.py)")
    params_doc = t(
        "optimizer（SGD / Momentum / Nesterov / AdaGrad / RMSprop / Adam）、w0（-10〜10）、gradients（0 以外の3つの数、"
        "-10〜10）、lr（0.0001〜1）。任意で手法のハイパーパラメータ momentum（Momentum・Nesterov）、decay_rate"
        "（RMSprop）、beta1・beta2（Adam）、eps（AdaGrad・RMSprop・Adam、既定 1e-7）と、scale（g₁ を何倍にするか、既定 10）。",
        "optimizer (SGD, Momentum, Nesterov, AdaGrad, RMSprop or Adam), w0 (-10..10), gradients (three nonzero numbers, "
        "-10..10), lr (0.0001..1); optionally the optimizer's hyperparameters momentum (Momentum, Nesterov), "
        "decay_rate (RMSprop), beta1 and beta2 (Adam), eps (AdaGrad, RMSprop, Adam; default 1e-7), and scale "
        "(the factor applied to g₁, default 10).")
    hints = (
        t("状態（v・h・m）はすべて 0 から始まります。各ステップで、まず状態を更新してから w を更新します。",
          "Every state (v, h, m) starts at 0. At each step update the state first, then w."),
        t("AdaGrad・RMSProp では ε は平方根の外で足します。Adam の η_t は 1 ステップ目から毎回計算し直します。",
          "In AdaGrad and RMSProp ε is added outside the square root. Adam's η_t is recomputed at every step, "
          "from step 1."),
        t("勾配を √h で割る手法では、1 回目の更新量は勾配の大きさにほとんどよりません。",
          "Methods that divide by √h take a first step that hardly depends on the gradient's size."),
    )
    explanation = t(
        "SGD は勾配に比例した量 η g だけ進み、Momentum は過去の更新を速度 v として溜めて、同じ向きの勾配が続くと"
        "加速します（本の形では v ← αv − ηg、W ← W + v）。Nesterov は速度で先に進んだ位置を見込んで修正します。"
        "AdaGrad は勾配の2乗の和 h で割るので、よく動いたパラメータほど更新が小さくなり、RMSProp はその和を移動平均に"
        "変えて古い勾配を忘れます。Adam は Momentum（m）と RMSProp（v）を組み合わせ、0 から始まる偏りをバイアス補正します。"
        "勾配を √h で割る手法では、ε が小さければ1回目の更新量はほぼ学習率で決まり（AdaGrad・Adam では約 η）、"
        "勾配の大きさによりません。",
        "SGD moves by η g, in proportion to the gradient. Momentum accumulates past updates as a velocity v and "
        "speeds up while the gradient keeps its direction (in the book's form v ← αv − ηg, W ← W + v); Nesterov "
        "corrects for the point the velocity is about to reach. AdaGrad divides by the sum h of squared "
        "gradients, so parameters that moved a lot take smaller steps; RMSProp replaces that sum by a moving "
        "average that forgets old gradients. Adam combines Momentum (m) with RMSProp (v) and corrects the bias "
        "of states that start at 0. Methods that divide by √h take, for a small ε, a first step set by the "
        "learning rate (about η for AdaGrad and Adam), whatever the gradient's size.")

    def draw(self, rng) -> dict:
        opt = OPTIMIZERS[int(rng.integers(len(OPTIMIZERS)))]
        out: dict[str, Any] = {"optimizer": opt, "w0": W0[int(rng.integers(len(W0)))],
               "gradients": [GRADS[int(i)] for i in rng.integers(len(GRADS), size=3)]}
        for k in ("lr", *HYPER[opt], "scale"):
            table = DRAWS[k][opt] if isinstance(DRAWS[k], dict) else DRAWS[k]
            out[k] = table[int(rng.integers(len(table)))]
        return out

    def check_params(self, params) -> dict:
        known = ("w0", "gradients", "lr", "scale", *DEFAULTS)
        opt = cast(str, Params(params, ("optimizer",), known).one_of("optimizer", OPTIMIZERS))
        p = Params(params, ("optimizer", "w0", "gradients", "lr"), (*HYPER[opt], "scale"))
        out: dict[str, Any] = {"optimizer": opt, "w0": p.number("w0", -10, 10),
                               "gradients": p.vector("gradients", -10, 10, sizes=(3,)), "lr": p.number("lr", 0.0001, 1)}
        if 0 in out["gradients"]:
            raise ParamsError("params.gradients: 勾配は 0 以外の数にしてください",
                              "params.gradients: the gradients must be nonzero", field="params.gradients")
        for k in HYPER[opt]:
            out[k] = p.number(k, *RANGES[k]) if p.has(k) else DEFAULTS[k]
        out["scale"] = p.number("scale", 0.01, 100) if p.has("scale") else DEFAULTS["scale"]
        if out["scale"] == 1:
            raise ParamsError("params.scale: 1 以外の倍率にしてください", "params.scale: the factor must not be 1",
                              field="params.scale")
        return out

    def build(self, seed, params, layout, drawn) -> Exercise:
        opt, w0, grads, scale = params["optimizer"], float(params["w0"]), params["gradients"], params["scale"]
        hp = {k: params[k] for k in ("lr", *HYPER[opt])}
        iterates, deltas, states = _checked_iterates(opt, hp, w0, grads)
        g1 = float(f"{scale * grads[0]:.12g}")  # 0.1 * 3 shown and used as 0.3
        scaled = engine_iterates(opt, hp, w0, [g1])[0]
        require_close(f"{opt} scaled first step (hand formulas)", scaled, w0 + hand_steps(opt, hp, [g1])[0]["d"])
        givens = tuple(float(v) for v in (w0, *grads, *hp.values(), scale, g1))
        if drawn:
            _usable((*iterates, scaled), (*deltas, scaled - w0), givens)
        found = {mid: _sequence(opt, hp, w0, grads, SLIPS[mid]) for mid in APPLIES[opt]}
        mistakes = {"iterates": distinct_mistakes(iterates, found, PRECISION.tolerance),
                    "scaled": _scaled_mistakes(opt, hp, w0, g1, scaled, deltas[0], scale, drawn)}
        parts = [
            Part("iterates", "ordered", t("$w_1, w_2, w_3$ を順にカンマで区切って答えなさい。",
                                          "Give $w_1, w_2, w_3$ in order, separated by commas."), PRECISION, shape=(3,)),
            Part("scaled", "value", t(
                f"はじめの勾配が $g_1 = {num(grads[0])}$ ではなくその {num(scale)} 倍の $g_1 = {num(g1)}$ だったとしたら、"
                "1 回目の更新後の $w_1$ はいくつになりますか。",
                f"Had the first gradient been {num(scale)} times as large, $g_1 = {num(g1)}$ instead of "
                f"${num(grads[0])}$, what would $w_1$ be after the first update?"), PRECISION),
        ]
        one = hand_steps(opt, hp, [g1])
        backward = _update_lines(opt, hp, w0, grads, states, iterates)
        backward.append(rf"$g_1 = {num(g1)}: \quad " + _update_lines(opt, hp, w0, [g1], one, [scaled])[0][1:])
        sol = {"forward": _state_lines(opt, hp, grads, states), "backward": backward, "headings": HEADINGS,
               "graph": None}
        key = OrderedKey(iterates, w0, CarriedStep(deltas), givens)
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=_statement(params), params=dict(params),
            parts=parts, answers={"iterates": key, "scaled": scaled}, mistakes=mistakes, graph=None,
            solution=sol, hints=self.hints, explanation=self.explanation)

"""Exam-style code fill-in for the optimizers (family ``optimizers``): one line of an
optimizer's ``update`` (ゼロから作るDeep Learning, common/optimizer.py) is blanked and the
learner picks the right one among candidate lines.

Every candidate line has its meaning written in ``optimizer_lines.CANDIDATES`` (nothing is
ever exec'd or eval'd). Each exercise runs the book's ``update`` line by line on random
parameters and gradients from ``layout``, three calls in a row, with the blank filled by each
candidate in turn, and compares the parameters after every call with the engine's optimizer
(``exercises.autodiff.optimizers``) on the same inputs: exactly the designated line must match.
The gradients are spread over several orders of magnitude, so that a 1e-7 moved inside the
square root shows where h is small.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import numpy as np

from ..autodiff.optimizers import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop
from ..errors import Rejected
from ..exercise import Exercise, Part
from ..misconceptions import MISCONCEPTIONS
from .base import BuiltinGenerator, Params, close, t
from .optimizer_lines import BLANK, BLANKS, CANDIDATES, CODE, FORMULAS, OPTIMIZERS, PROGRAMS, VARIANTS, Variant

ENGINE = {"SGD": SGD, "Momentum": Momentum, "Nesterov": Nesterov, "AdaGrad": AdaGrad, "RMSprop": RMSprop,
          "Adam": Adam}
BOOK_DEFAULTS = {"momentum": 0.9, "decay_rate": 0.99, "beta1": 0.9, "beta2": 0.999}
HYPER = {"Momentum": ("momentum",), "Nesterov": ("momentum",), "RMSprop": ("decay_rate",), "Adam": ("beta1", "beta2")}
CALLS = 3


def blanked_code(variant: Variant) -> str:
    code = CODE[variant.optimizer]
    if code.count(variant.line) != 1:
        raise Rejected("bad_variant", f"{variant.optimizer}: line {variant.line!r} not once in the code", fatal=True)
    return code.replace(variant.line, BLANK)


# ----------------------------------------------------------------------------- running the code
def random_inputs(rng) -> tuple[float, dict, list]:
    """A learning rate, parameters W (2, 3) and b (3,), and one gradient dict per call, with
    magnitudes from 1e-4 to about 3."""
    lr = float(rng.choice([0.05, 0.1, 0.3]))
    params = {"W": rng.normal(size=(2, 3)), "b": rng.normal(size=3)}

    def grad(shape):
        return rng.choice([-1.0, 1.0], size=shape) * 10.0 ** rng.uniform(-4, 0.5, size=shape)
    return lr, params, [{k: grad(v.shape) for k, v in params.items()} for _ in range(CALLS)]


def run_book(lines: tuple, lr: float, params: dict, grads: list) -> np.ndarray:
    """The parameters after each ``update`` call of the shown code, with ``lines`` (the
    program, one line possibly replaced by a candidate), all calls flattened in a row."""
    s = SimpleNamespace(lr=lr, iter=0, lr_t=None, **BOOK_DEFAULTS)
    p = {k: v.copy() for k, v in params.items()}
    s.v, s.h, s.m = ({k: np.zeros_like(v) for k, v in p.items()} for _ in range(3))
    trace = []
    for g in grads:
        for scope, text in lines:
            if scope == "once":
                CANDIDATES[text](s, p, g, None)
        for key in p.keys():
            for scope, text in lines:
                if scope == "key":
                    CANDIDATES[text](s, p, g, key)
        trace.append(np.concatenate([np.ravel(p[k]) for k in p]))
    return np.concatenate(trace)


def run_engine(optimizer: str, lr: float, params: dict, grads: list) -> np.ndarray:
    opt = ENGINE[optimizer](lr=lr, **{k: BOOK_DEFAULTS[k] for k in HYPER.get(optimizer, ())})
    p = {k: v.copy() for k, v in params.items()}
    trace = []
    for g in grads:
        opt.update(p, {k: v.copy() for k, v in g.items()})
        trace.append(np.concatenate([np.ravel(p[k]) for k in p]))
    return np.concatenate(trace)


def verdict(variant: Variant, text: str, inputs, expected: np.ndarray) -> str:
    """Run the code with ``text`` in the blank: "match", "mismatch" or "error"."""
    program = tuple((scope, text if line == variant.line else line) for scope, line in PROGRAMS[variant.optimizer])
    try:
        with np.errstate(all="ignore"):
            got = run_book(program, *inputs)
    except (ValueError, TypeError, KeyError, AttributeError, ZeroDivisionError):
        return "error"
    return "match" if got.shape == expected.shape and close(got, expected) else "mismatch"


def verify(variant: Variant, rng, attempts: int = 5) -> dict:
    """{candidate text: verdict}; exactly the first (designated) option must match."""
    texts = [o.text for o in variant.options]
    unknown = [x for x in texts if x not in CANDIDATES]
    if unknown or len(set(texts)) != len(texts) or variant.line not in {line for _, line in PROGRAMS[variant.optimizer]}:
        raise Rejected("bad_variant", f"{variant.optimizer}.{variant.blank}: unknown or repeated options "
                                      f"{unknown or texts}", fatal=True)
    last = None
    for _ in range(attempts):
        inputs = random_inputs(rng)
        expected = run_engine(variant.optimizer, *inputs)
        verdicts = {x: verdict(variant, x, inputs, expected) for x in texts}
        if [x for x, v in verdicts.items() if v == "match"] == [texts[0]]:
            return verdicts
        last = verdicts
    raise Rejected("candidate_check", f"{variant.optimizer}.{variant.blank}: verdicts {last}", fatal=True)


# ----------------------------------------------------------------------------- generator
VERDICT_TEXT = {
    "match": t("エンジンの最適化手法と一致", "matches the engine's optimizer"),
    "mismatch": t("3回の update のあとの値がエンジンと異なる", "different values from the engine after three updates"),
    "error": t("実行するとエラーになる", "raises an error when run"),
}
NAMES = {"SGD": "SGD", "Momentum": "Momentum", "Nesterov": "Nesterov", "AdaGrad": "AdaGrad", "RMSprop": "RMSprop",
         "Adam": "Adam"}


class OptimizerCodeFill(BuiltinGenerator):
    slug = "optimizer-code"
    version = 1
    family = "optimizers"
    difficulty = 2
    topics = ("optimization",)
    syllabus = ("3-2-1", "3-2-3")
    title = t("最適化手法の update の穴埋め", "Fill in an optimizer's update")
    statement = t("SGD・Momentum・Nesterov・AdaGrad・RMSprop・Adam の update から1行を空欄にした、"
                  "E資格形式のコード穴埋め問題です。",
                  "Exam-style code fill-in: one line of the update of SGD, Momentum, Nesterov, AdaGrad, RMSprop "
                  "or Adam is blanked.")
    source = ("built-in generator exercises.generators.optimizer_code.OptimizerCodeFill "
              "(ゼロから作るDeep Learning 6.1, common/optimizer.py)")
    params_doc = t(
        "optimizer（SGD / Momentum / Nesterov / AdaGrad / RMSprop / Adam）と、任意で blank（空欄にする行: SGD は update、"
        "Momentum は v / update、Nesterov は v / lookahead / gradient、AdaGrad・RMSprop は h / update、"
        "Adam は lr_t / m / v / update）。",
        "optimizer (SGD, Momentum, Nesterov, AdaGrad, RMSprop or Adam) and optionally blank (the line blanked: "
        "update for SGD; v or update for Momentum; v, lookahead or gradient for Nesterov; h or update for "
        "AdaGrad and RMSprop; lr_t, m, v or update for Adam).")
    hints = (
        t("勾配は損失が増える向きなので、パラメータは勾配と逆向きに動かします。",
          "The gradient points uphill, so the parameters move against it."),
        t("AdaGrad は g² の和、RMSprop と Adam の v は g² の移動平均を使い、ε（1e-7）は平方根の外で足します。",
          "AdaGrad sums g², RMSprop and Adam's v keep a moving average of g²; ε (1e-7) is added outside the square root."),
    )
    explanation = t("", "")

    def draw(self, rng) -> dict:
        keys = list(VARIANTS)
        optimizer, blank = keys[int(rng.integers(len(keys)))]
        return {"optimizer": optimizer, "blank": blank}

    def check_params(self, params) -> dict:
        p = Params(params, ("optimizer",), ("blank",))
        optimizer = cast(str, p.one_of("optimizer", OPTIMIZERS))
        blank = p.one_of("blank", BLANKS[optimizer]) if p.has("blank") else BLANKS[optimizer][0]
        return {"optimizer": optimizer, "blank": blank}

    def build(self, seed, params, layout, drawn) -> Exercise:
        variant = VARIANTS[(params["optimizer"], params["blank"])]
        verdicts = verify(variant, layout)
        order = [int(i) for i in layout.permutation(len(variant.options))]
        options = [variant.options[i] for i in order]
        key = order.index(0)
        named = {o.misconception: k for k, o in enumerate(options)
                 if o.misconception and o.misconception in MISCONCEPTIONS}
        name = NAMES[variant.optimizer]
        code, rule = blanked_code(variant), f"$${FORMULAS[variant.optimizer]}$$"
        statement = t(
            f"次は {name} の実装です（『ゼロから作るDeep Learning』common/optimizer.py、`import numpy as np` 済み）。"
            f"`update` は各パラメータ W = `params[key]`（勾配 g = `grads[key]`、学習率 η = `self.lr`）を次のように"
            f"更新します。\n\n{rule}\n\n空欄 `{BLANK}` に入る行を選びなさい。\n\n```python\n{code}\n```",
            f"Here is {name} as the book's common/optimizer.py writes it (with `import numpy as np`). `update` changes "
            f"every parameter W = `params[key]` (gradient g = `grads[key]`, learning rate η = `self.lr`) as follows."
            f"\n\n{rule}\n\nChoose the line for the blank `{BLANK}`.\n\n```python\n{code}\n```")
        # Backquotes: the options are shown as code in any family.
        part = Part("blank", "choice", t("空欄に入る行を選びなさい。", "Choose the line for the blank."), None,
                    tuple(t(f"`{o.text}`", f"`{o.text}`") for o in options))
        checks = [{"option": k, "text": o.text, "verdict": verdicts[o.text], "correct": k == key}
                  for k, o in enumerate(options)]
        notes = {lang: [f"- `{o.text}`：{o.why['ja']}（{VERDICT_TEXT[verdicts[o.text]]['ja']}）" if lang == "ja" else
                        f"- `{o.text}`: {o.why['en']} ({VERDICT_TEXT[verdicts[o.text]]['en']})" for o in options]
                 for lang in ("ja", "en")}
        explanation = t(
            f"空欄は ${variant.formula}$ を計算する行で、正解は `{variant.line}` です。\n\n" + "\n".join(notes["ja"]) +
            f"\n\n各選択肢を入れたコードをランダムなパラメータと勾配で {CALLS} 回 update し、"
            "自動微分エンジンの最適化手法と比べて確かめています。",
            f"The blank computes ${variant.formula}$, so the right line is `{variant.line}`.\n\n" + "\n".join(notes["en"]) +
            f"\n\nThe code with each option was run for {CALLS} updates on random parameters and gradients and "
            "compared with the engine's optimizer.")
        sol = {"forward": [f"${variant.formula}$"], "backward": [f"${variant.formula}$"],
               "headings": {"forward": t("空欄の行が計算するもの", "What the blank computes"),
                            "backward": t("パラメータの更新", "The update")},
               "graph": None, "checks": checks, "code": CODE[variant.optimizer]}
        return Exercise(
            slug=self.slug, version=self.version, seed=seed, family=self.family, topics=self.topics,
            difficulty=self.difficulty, title=self.title, statement=statement, params=dict(params),
            parts=[part], answers={"blank": key}, mistakes={"blank": named}, graph=None,
            solution=sol, hints=self.hints, explanation=explanation)

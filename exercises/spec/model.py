"""A validated template, as plain immutable data."""
from __future__ import annotations

import math

from dataclasses import dataclass, field
from typing import cast

from ..expr import Node
from ..text import TextLike


@dataclass(frozen=True)
class ParamSpec:
    name: str
    low: float | None = None
    high: float | None = None
    step: float | None = None
    choices: tuple[float, ...] = ()
    decimals: int = 0  # how the value is shown (and rounded to before computing)

    def draw(self, rng) -> float:
        if self.choices:
            return self.choices[int(rng.integers(len(self.choices)))]
        low, high, step = self._range()
        k = int(rng.integers(int(round((high - low) / step)) + 1))
        return round(low + k * step, self.decimals)

    def contains(self, value: float) -> bool:
        """On the grid the learner sees: one of the choices, or min + k * step within range."""
        if self.choices:
            return any(abs(value - c) <= 1e-9 * max(1.0, abs(c)) for c in self.choices)
        low, high, step = self._range()
        k = (value - low) / step
        return low - 1e-9 <= value <= high + 1e-9 and abs(k - round(k)) <= 1e-6

    def format(self, value: float) -> str:
        """As shown to the learner: 100, 1.1, 0.05 (never 100.0 or 1.1000000000000001)."""
        text = f"{value:.{self.decimals}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text

    def grid(self) -> tuple[float, ...]:
        if self.choices:
            return self.choices
        low, high, step = self._range()
        n = int(round((high - low) / step))
        return tuple(round(low + i * step, self.decimals) for i in range(n + 1))

    def _range(self) -> tuple[float, float, float]:
        """low, high, step: all set when there are no choices (spec.validate checks it)."""
        return cast(float, self.low), cast(float, self.high), cast(float, self.step)


@dataclass(frozen=True)
class Constraint:
    text: str
    left: Node
    op: str
    right: Node


@dataclass(frozen=True)
class Precision:
    kind: str  # "decimals", "sig", "rel", "abs"
    value: float

    def tolerance(self, reference: float) -> float:
        """How far an answer may be from the reference and still be right: half a unit of the
        last digit asked for ("小数第n位まで": of the n-th decimal; "有効数字n桁": of the n-th
        significant digit of the reference), so a correctly rounded answer is right, more
        digits are fine when they are that close, and nothing further off is."""
        if self.kind == "decimals":
            return 0.5 * 10.0 ** -self.value * (1 + 1e-9)
        if self.kind == "abs":
            return self.value
        if self.kind == "sig":
            if reference == 0 or not math.isfinite(reference):
                return 0.0
            leading = math.floor(math.log10(abs(reference)))
            return 0.5 * 10.0 ** (leading - int(self.value) + 1) * (1 + 1e-9)
        return self.value * abs(reference) * (1 + 1e-9)

    def describe(self) -> TextLike:
        v = self.value
        if self.kind == "decimals":
            n = int(v)
            return ({"ja": "小数第1位を四捨五入して、整数で答えなさい。",
                     "en": "Round to the nearest integer."} if n == 0 else
                    {"ja": f"小数第{n + 1}位を四捨五入して、小数第{n}位まで答えなさい。",
                     "en": f"Round to {n} decimal places."})
        if self.kind == "sig":
            n = int(v)
            return {"ja": f"{n + 1}桁目を四捨五入して、有効数字{n}桁で答えなさい。",
                    "en": f"Round to {n} significant figures."}
        if self.kind == "rel":
            return {"ja": f"相対誤差 {v:g} 以内で答えなさい。", "en": f"Within a relative error of {v:g}."}
        return {"ja": f"誤差 ±{v:g} 以内で答えなさい。", "en": f"Within ±{v:g}."}


@dataclass(frozen=True)
class PartSpec:
    id: str
    kind: str
    prompt: TextLike | None = None
    node: str | None = None        # value
    of: str | None = None          # gradient / formula / update: the differentiated node
    wrt: str | None = None         # gradient / formula / update: the input
    precision: Precision | None = None
    variables: tuple[str, ...] = ()  # formula
    answer: str | None = None      # formula: the reference formula text
    answer_node: Node | None = None
    choices: tuple[TextLike, ...] = ()  # choice
    correct: int | None = None     # choice
    lr: str | None = None          # update: the learning-rate parameter
    entries: tuple = ()            # vector: names; matrix: rows of names
    dims: tuple = ()               # shape: parameter names or integers
    accept: tuple = ()             # code: every right typed line, normalised
    mistakes: tuple = ()  # (misconception id, node name | parsed wrong-method expression | option index)
    functions: bool = False  # value / gradient / guided / update: answers may call tanh() etc.


@dataclass(frozen=True)
class Template:
    slug: str
    version: int
    family: str
    difficulty: int
    topics: tuple[str, ...]
    title: TextLike
    statement: TextLike
    params: tuple[ParamSpec, ...]
    constraints: tuple[Constraint, ...]
    nodes: tuple[tuple[str, Node], ...]
    output: str
    upstream: str | None
    parts: tuple[PartSpec, ...]
    hints: tuple[TextLike, ...] = ()
    explanation: TextLike = field(default_factory=lambda: {"ja": "", "en": ""})
    source: str = ""
    syllabus: tuple[str, ...] = ()  # JDLA syllabus ids (spec/syllabus.yaml); () takes the defaults

    def param(self, name: str) -> ParamSpec:
        return next(p for p in self.params if p.name == name)

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    @property
    def node_names(self) -> tuple[str, ...]:
        return tuple(n for n, _ in self.nodes)

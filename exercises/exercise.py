"""One generated exercise: what the learner sees, and the private answer key."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .kinds import KINDS, FormulaKey, GuidedKey
from .spec.model import Precision, TextLike

__all__ = ["Exercise", "Part", "FormulaKey", "GuidedKey"]


@dataclass(frozen=True)
class Part:
    id: str
    kind: str
    prompt: TextLike
    precision: Precision | None = None
    choices: tuple[TextLike, ...] = ()
    variables: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()  # guided: the nodes to fill in, from the output back
    shape: tuple[int, ...] = ()  # vector / matrix: the answer's shape
    functions: bool = False      # a numeric answer may call functions (the template allows it)

    def public(self) -> dict:
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "prompt": self.prompt}
        if self.precision is not None:
            out["precision"] = self.precision.describe()
        if self.choices:
            out["choices"] = list(self.choices)
        if self.variables:
            out["variables"] = list(self.variables)
        if self.steps:
            out["steps"] = list(self.steps)
        if self.shape:
            out["shape"] = list(self.shape)
        if self.functions:
            out["functions"] = True
        return out


@dataclass
class Exercise:
    slug: str
    version: int
    seed: int
    family: str
    topics: tuple[str, ...]
    difficulty: int
    title: TextLike
    statement: TextLike
    params: dict
    parts: list[Part]
    answers: dict                     # part id -> float | int | FormulaKey | GuidedKey
    mistakes: dict = field(default_factory=dict)  # part id -> {misconception id: value}
    graph: dict | None = None         # the computational graph without answers, for drawing
    solution: dict | None = None      # worked solution: steps (ja/en) and the full trace
    hints: tuple[TextLike, ...] = ()
    explanation: TextLike | None = None

    def part(self, part_id: str) -> Part:
        return next(p for p in self.parts if p.id == part_id)

    def answer_keys(self) -> list[str]:
        """The answer fields a client sends, flat: a part's id, or ``"part.step"`` per step of a
        guided part (the keys of the answers dict that ``grade`` reads)."""
        return [key for p in self.parts for key in KINDS[p.kind].answer_keys(p)]

    def public(self) -> dict:
        """What a learner or an API client may see before answering (no reference answers)."""
        return {
            "template": self.slug, "version": self.version, "seed": self.seed,
            "family": self.family, "topics": list(self.topics), "difficulty": self.difficulty,
            "title": self.title, "statement": self.statement, "params": dict(self.params),
            "parts": [p.public() for p in self.parts], "graph": self.graph,
            "hint_count": len(self.hints),
        }

"""A known mistake: its id, its name and explanation (ja/en), and for graph mistakes the
mutated backward rules that compute the answer it would produce."""
from __future__ import annotations

from dataclasses import dataclass

from ..autodiff import BackwardRules


@dataclass(frozen=True)
class Misconception:
    id: str
    name: dict
    explanation: dict
    rules: BackwardRules | None = None
    uses: tuple = ()  # function classes the graph must contain for the mistake to show

    def applies_to(self, function_types: set) -> bool:
        return self.rules is not None and (not self.uses or bool(function_types & set(self.uses)))


def text(ja: str, en: str) -> dict:
    return {"ja": ja, "en": en}



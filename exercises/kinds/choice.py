"""``choice``: one option picked by its index; a distractor may come from a misconception."""
from __future__ import annotations

from ..answers import parse_choice
from .base import Kind, PartResult


class ChoiceKind(Kind):
    name = "choice"
    fields = frozenset({"choices", "correct"})
    description = {"ja": "選択肢の番号（0 始まり）", "en": "the index of the chosen option (from 0)"}
    empty = None
    shows_precision = False

    def reference(self, builder, spec) -> tuple:
        return spec.correct, {mid: option for mid, option in spec.mistakes if option != spec.correct}

    def default_prompt(self, part, params: dict, template) -> dict:
        return {"ja": "正しいものを選びなさい。", "en": "Choose the correct one."}

    def shown_expected(self, part, key, result):
        return "choice", key

    def reference_answers(self, part, key) -> dict:
        return {part.id: str(key)}

    def grade(self, part, raw, key, mistakes: dict) -> PartResult:
        chosen = parse_choice(raw, len(part.choices))
        expected = f"{key}"
        if chosen == key:
            return PartResult(part.id, "correct", 1.0, chosen, expected)
        result = PartResult(part.id, "incorrect", 0.0, chosen, expected)
        for mid, option in mistakes.items():  # a distractor built from a mistake
            if option == chosen:
                result.misconception = mid
                break
        return result

"""The right answers typed as a learner would: for benchmarks, instructor previews, tests."""
from __future__ import annotations

from ..kinds import kind_of


def reference_answers(exercise) -> dict:
    """Field -> text: numbers at full precision, a choice's index, the reference formula, and
    for a guided part one ``"part.step"`` field per step (as the web form and the API send).
    Each part's kind types its own answer."""
    out = {}
    for part in exercise.parts:
        out.update(kind_of(part).reference_answers(part, exercise.answers[part.id]))
    return out

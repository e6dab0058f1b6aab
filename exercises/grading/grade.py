"""grade(exercise, answers) -> score 0..1, per-part verdicts, feedback, named misconceptions.

Each part's kind (``exercises.kinds.KINDS``) reads and grades its own answer; this module only
sums the parts and names the misconceptions for the exercise's family.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..exercise import Exercise
from ..kinds import PartResult, kind_of
from ..kinds.numeric import show
from ..misconceptions import for_family

__all__ = ["GradeResult", "PartResult", "from_verdicts", "grade", "show"]


@dataclass
class GradeResult:
    score: float
    parts: dict
    valid: bool  # False when some answer could not be read: shown, not stored as an attempt

    @property
    def misconceptions(self) -> list[str]:
        return [p.misconception["id"] for p in self.parts.values() if p.misconception]

    def to_dict(self) -> dict:
        return {"score": self.score, "valid": self.valid, "misconceptions": self.misconceptions,
                "parts": {k: p.to_dict() for k, p in self.parts.items()}}

    def verdicts(self) -> dict:
        """What is stored with an attempt: per part its status, score, expected answer,
        misconception id and step verdicts (``from_verdicts`` reads it back)."""
        return {pid: {"status": p.status, "score": p.score, "expected": p.expected,
                      "misconception": (p.misconception or {}).get("id"), "steps": p.steps}
                for pid, p in self.parts.items()}


def from_verdicts(exercise: Exercise, verdicts: dict, score: float) -> GradeResult:
    """The result of a stored attempt, as ``grade`` gave it, without grading again (only
    valid results are stored; the answers' parsed values are not kept)."""
    parts = {}
    for part in exercise.parts:
        v = verdicts[part.id]
        named = _named(exercise, v["misconception"]) if v.get("misconception") else None
        parts[part.id] = PartResult(part.id, v["status"], v["score"], expected=v["expected"],
                                    misconception=named, steps=v.get("steps") or {})
    return GradeResult(score, parts, True)


def grade(exercise: Exercise, answers: dict) -> GradeResult:
    if not isinstance(answers, dict):
        answers = {}
    results = {}
    for part in exercise.parts:
        kind = kind_of(part)
        result = kind.grade_answer(part, kind.answer_for(part, answers), exercise.answers[part.id],
                                   exercise.mistakes.get(part.id, {}))
        if isinstance(result.misconception, str):
            result.misconception = _named(exercise, result.misconception)
        results[part.id] = result
    valid = all(r.status != "invalid" for r in results.values())
    score = sum(r.score for r in results.values()) / len(results) if valid else 0.0
    return GradeResult(round(score, 6), results, valid)


def _named(ex: Exercise, misconception_id: str) -> dict:
    m = for_family(ex.family, misconception_id)
    return {"id": m.id, "name": m.name, "explanation": m.explanation}

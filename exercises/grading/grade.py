"""grade(exercise, answers) -> score 0..1, per-part verdicts, feedback, named misconceptions."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..exercise import Exercise, FormulaKey, GuidedKey, Part
from ..expr import evaluate
from ..guided import expected_given_upstream
from .answers import AnswerFormatError, parse_choice, parse_formula, parse_number
from .misconceptions import for_family


@dataclass
class PartResult:
    id: str
    status: str  # correct, incorrect, unanswered, or invalid (unreadable: not an attempt)
    score: float = 0.0
    given: object = None
    expected: str = ""
    misconception: dict | None = None
    error: dict | None = None
    steps: dict = field(default_factory=dict)  # guided: step -> {"status", "expected"}

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


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


def grade(exercise: Exercise, answers: dict) -> GradeResult:
    if not isinstance(answers, dict):
        answers = {}
    results = {p.id: _grade_part(exercise, p, _answer_for(answers, p)) for p in exercise.parts}
    valid = all(r.status != "invalid" for r in results.values())
    score = sum(r.score for r in results.values()) / len(results) if valid else 0.0
    return GradeResult(round(score, 6), results, valid)


def _answer_for(answers: dict, part: Part):
    if part.kind != "guided":
        return answers.get(part.id)
    given = answers.get(part.id)
    if isinstance(given, dict):
        return given
    prefix = f"{part.id}."
    return {k[len(prefix):]: v for k, v in answers.items() if isinstance(k, str) and k.startswith(prefix)}


def _grade_part(ex: Exercise, part: Part, raw) -> PartResult:
    key = ex.answers[part.id]
    if _blank(raw):
        return PartResult(part.id, "unanswered", 0.0, None, _expected_text(ex, part, key))
    try:
        if part.kind == "choice":
            return _choice(ex, part, parse_choice(raw, len(part.choices)), key)
        if part.kind == "formula":
            return _formula(part, raw, key)
        if part.kind == "guided":
            return _guided(part, raw, key)
        return _numeric(ex, part, parse_number(raw), key)
    except AnswerFormatError as err:
        return PartResult(part.id, "invalid", given=raw if isinstance(raw, (str, dict)) else None,
                          error=err.to_dict())


def _blank(raw) -> bool:
    if isinstance(raw, dict):
        return not any(not _blank(v) for v in raw.values())
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _expected_text(ex: Exercise, part: Part, key) -> str:
    if part.kind in ("value", "gradient", "update"):
        return show(key, part)
    if part.kind == "formula":
        return key.text
    return "" if part.kind == "guided" else str(key)


def show(value: float, part: Part) -> str:
    p = part.precision
    if p is not None and p.kind == "decimals":
        return f"{value:.{int(p.value)}f}"
    if p is not None and p.kind == "sig":
        return f"{value:.{int(p.value)}g}"
    return f"{value:.10g}"


def _numeric(ex: Exercise, part: Part, value: float, key: float) -> PartResult:
    tol = part.precision.tolerance(key)
    if abs(value - key) <= tol:
        return PartResult(part.id, "correct", 1.0, value, show(key, part))
    result = PartResult(part.id, "incorrect", 0.0, value, show(key, part))
    for mid, wrong in ex.mistakes.get(part.id, {}).items():
        if abs(value - wrong) <= part.precision.tolerance(wrong):
            result.misconception = _named(ex, mid)
            break
    return result


def _choice(ex: Exercise, part: Part, chosen: int, key: int) -> PartResult:
    expected = f"{key}"
    if chosen == key:
        return PartResult(part.id, "correct", 1.0, chosen, expected)
    result = PartResult(part.id, "incorrect", 0.0, chosen, expected)
    for mid, option in ex.mistakes.get(part.id, {}).items():  # a distractor built from a mistake
        if option == chosen:
            result.misconception = _named(ex, mid)
            break
    return result


def _named(ex: Exercise, misconception_id: str) -> dict:
    m = for_family(ex.family, misconception_id)
    return {"id": m.id, "name": m.name, "explanation": m.explanation}


def _formula(part: Part, raw, key: FormulaKey) -> PartResult:
    node = parse_formula(raw, part.variables)
    with np.errstate(all="ignore"):
        got = np.broadcast_to(np.asarray(evaluate(node, key.points), dtype=float), key.values.shape)
    both = np.isfinite(got)
    close = np.isclose(got, key.values, rtol=1e-6, atol=1e-9) & both
    ok = both.sum() >= min(4, len(key.values)) and close.sum() == both.sum() \
        and both.sum() >= 0.75 * len(key.values)
    return PartResult(part.id, "correct" if ok else "incorrect", 1.0 if ok else 0.0, raw, key.text)


def _guided(part: Part, raw: dict, key: GuidedKey) -> PartResult:
    values, steps = {}, {}
    for step in key.steps:
        values[step] = parse_number(raw.get(step))  # a missing step is a format error
    correct = 0
    for step in key.steps:
        expected = expected_given_upstream(key, step, values)
        ok = abs(values[step] - expected) <= part.precision.tolerance(expected)
        correct += ok
        steps[step] = {"status": "correct" if ok else "incorrect", "expected": f"{key.grads[step]:.10g}",
                       "expected_given_upstream": f"{expected:.10g}"}
    score = correct / len(key.steps) if key.steps else 1.0
    status = "correct" if score == 1.0 else "incorrect"
    return PartResult(part.id, status, score, values, "", steps=steps)

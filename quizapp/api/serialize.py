"""Domain objects -> response models. Nothing private leaks: an exercise goes out through
``Exercise.public()`` only; answers, mistakes and the solution only after grading."""
from __future__ import annotations

from datetime import UTC, datetime

from exercises.spec.vocab import FAMILIES
from quizapp.api.schemas.exercises import Exercise, Grading, Solution, SubmissionResult
from quizapp.services.api_grading import answer_keys


def exercise_model(instance, exercise) -> Exercise:
    public = exercise.public()
    return Exercise(
        id=instance.id, template=public["template"], version=public["version"], seed=public["seed"],
        family=public["family"], topics=public["topics"], difficulty=public["difficulty"],
        title=public["title"], prompt=public["statement"], params=public["params"],
        parts=public["parts"], answer_keys=answer_keys(exercise), graph=public["graph"],
        hint_count=public["hint_count"], created_at=utc(instance.created_at),
    )


def utc(value: datetime | None) -> datetime | None:
    """Always UTC on the wire (PostgreSQL hands back times in the session's time zone)."""
    return value.astimezone(UTC) if value is not None else None


def _misconceptions(result) -> list[dict]:
    seen: dict[str, dict] = {}
    for part in result.parts.values():
        if part.misconception and part.misconception["id"] not in seen:
            seen[part.misconception["id"]] = part.misconception
    return list(seen.values())


def feedback(result, misconceptions: list[dict]) -> dict:
    total = len(result.parts)
    correct = sum(1 for p in result.parts.values() if p.status == "correct")
    if not result.valid:
        bad = ", ".join(pid for pid, p in result.parts.items() if p.status == "invalid")
        return {"ja": f"読み取れない解答があります（{bad}）。書式を直して送り直してください。記録はされていません。",
                "en": f"Some answers could not be read ({bad}). Fix the format and send again; nothing was recorded."}
    ja = f"{total}問中{correct}問正解です。"
    en = f"{correct} of {total} parts correct."
    if correct == total:
        ja, en = ja + "よくできました。", en + " Well done."
    for m in misconceptions:
        ja += f"\n誤解の可能性: {m['name']['ja']} — {m['explanation']['ja']}"
        en += f"\nPossible misconception: {m['name']['en']} — {m['explanation']['en']}"
    return {"ja": ja, "en": en}


def grading_fields(result) -> dict:
    misconceptions = _misconceptions(result)
    parts = {pid: p.to_dict() for pid, p in result.parts.items()}
    return {"score": result.score, "valid": result.valid,
            "correct_parts": sum(1 for p in result.parts.values() if p.status == "correct"),
            "total_parts": len(result.parts), "misconceptions": misconceptions, "parts": parts,
            "feedback": feedback(result, misconceptions)}


def grading_model(result) -> Grading:
    return Grading(**grading_fields(result))


def solution_model(exercise) -> Solution:
    extra = dict(exercise.solution or {})
    return Solution(explanation=exercise.explanation, hints=list(exercise.hints), **extra)


def submission_model(attempt, exercise, result, *, with_solution: bool) -> SubmissionResult:
    return SubmissionResult(
        **grading_fields(result), attempt_id=attempt.id, exercise_id=attempt.instance_id,
        template=exercise.slug, version=exercise.version, seed=exercise.seed,
        submitted_at=utc(attempt.created_at), solution=solution_model(exercise) if with_solution else None,
    )


def family_name(family: str) -> dict:
    return FAMILIES.get(family) or {"ja": family, "en": family}

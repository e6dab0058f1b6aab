"""Attempts: grade a learner's answers and store them exactly once, with the progress update.

Shared by the study pages and the JSON API; works on a SQLAlchemy Session, no Flask.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exercises import grade as grade_answers
from quizapp.models import Attempt
from quizapp.services.exercise_cache import ExerciseCache
from quizapp.services.instances import load_instance
from quizapp.services.progress import record_result

MAX_ANSWER_CHARS = 500


@dataclass
class Submission:
    attempt: Attempt | None  # None when an answer could not be read (nothing stored)
    result: object            # exercises GradeResult
    replayed: bool = False    # True when an Idempotency-Key returned the first result


def clip_answers(answers) -> dict:
    """Answers as typed, each cut to a sane length, so nothing huge reaches the database."""
    if not isinstance(answers, dict):
        return {}
    out = {}
    for key, value in list(answers.items())[:100]:
        if isinstance(value, dict):
            value = {str(k)[:64]: str(v)[:MAX_ANSWER_CHARS] for k, v in list(value.items())[:100]}
        elif value is not None:
            value = str(value)[:MAX_ANSWER_CHARS]
        out[str(key)[:64]] = value
    return out


def submit(db, cache: ExerciseCache, instance_id: str, answers: dict, *, user_id: int | None,
           time_taken_ms: int | None = None, idempotency_key: str | None = None) -> Submission:
    """Grade and store one attempt in one short transaction. A retried request with the same
    idempotency key (even at the same moment) returns the first attempt and stores nothing."""
    answers = clip_answers(answers)
    with db.sessions() as session:
        _, row, exercise = load_instance(session, cache, instance_id, user_id=user_id)
    result = grade_answers(exercise, answers)
    if not result.valid:
        return Submission(None, result)
    if idempotency_key and user_id is not None:
        with db.sessions() as session:
            stored = _by_key(session, user_id, idempotency_key)
            if stored is not None:
                return Submission(stored, result, replayed=True)
    try:
        with db.write() as session:
            attempt = Attempt(instance_id=instance_id, user_id=user_id, answers=answers,
                              verdicts=_verdicts(result), score=result.score,
                              misconceptions=result.misconceptions, time_taken_ms=time_taken_ms,
                              idempotency_key=idempotency_key if user_id is not None else None)
            session.add(attempt)
            session.flush()
            if user_id is not None:
                record_result(session, user_id, exercise.family, result.score)
    except IntegrityError:
        if not idempotency_key:
            raise
        with db.sessions() as session:  # the same key won a race a moment ago
            return Submission(_by_key(session, user_id, idempotency_key), result, replayed=True)
    return Submission(attempt, result)


def _by_key(session: Session, user_id: int, key: str) -> Attempt | None:
    return session.scalar(select(Attempt).where(Attempt.user_id == user_id, Attempt.idempotency_key == key))


def _verdicts(result) -> dict:
    return {pid: {"status": p.status, "score": p.score, "expected": p.expected,
                  "misconception": (p.misconception or {}).get("id"), "steps": p.steps}
            for pid, p in result.parts.items()}

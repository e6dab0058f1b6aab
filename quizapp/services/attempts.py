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
from quizapp.services.instances import Loaded, load_instance
from quizapp.services.progress import record_result

MAX_ANSWER_CHARS = 500
MAX_ANSWERS = 100
MAX_KEY_CHARS = 65  # "part.step": a part id and a step name of 32 characters each, and the dot


@dataclass
class Submission:
    attempt: Attempt | None  # None when an answer could not be read (nothing stored)
    result: object            # exercises GradeResult
    replayed: bool = False    # True when an Idempotency-Key returned the first result


def clip_answers(answers) -> dict:
    """Answers as typed in the one stored shape, flat ``{answer key: text}`` ("part" or
    "part.step", as ``Exercise.answer_keys()`` names them; a nested ``{part: {step: text}}``
    is flattened), each cut to a sane length, so nothing huge reaches the database."""
    return dict(list(_clipped(flat_answers(answers) if isinstance(answers, dict) else {}))[:MAX_ANSWERS])


def flat_answers(answers: dict) -> dict:
    out = {}
    for key, value in answers.items():
        if isinstance(value, dict):
            out.update({f"{key}.{step}": v for step, v in value.items()})
        else:
            out[key] = value
    return out


def _clipped(answers: dict):
    for key, value in answers.items():
        yield str(key)[:MAX_KEY_CHARS], None if value is None else str(value)[:MAX_ANSWER_CHARS]


def submit(db, cache: ExerciseCache, instance_id: str, answers: dict, *, user_id: int | None,
           time_taken_ms: int | None = None, idempotency_key: str | None = None) -> Submission:
    """``submit_loaded`` for an instance given by id (``NotFound`` for another user's)."""
    with db.sessions() as session:
        loaded = load_instance(session, cache, instance_id, user_id=user_id)
    return submit_loaded(db, loaded, answers, user_id=user_id, time_taken_ms=time_taken_ms,
                         idempotency_key=idempotency_key)


def submit_loaded(db, loaded: Loaded, answers: dict, *, user_id: int | None,
                  time_taken_ms: int | None = None, idempotency_key: str | None = None) -> Submission:
    """Grade once, then store the attempt and the progress in one short write transaction.
    A retried request with the same idempotency key (even at the same moment) returns the
    first attempt and stores nothing."""
    answers = clip_answers(answers)
    result = grade_answers(loaded.exercise, answers)
    if not result.valid:
        return Submission(None, result)
    key = idempotency_key if user_id is not None else None
    try:
        with db.write() as session:
            return record(session, loaded, answers, result, user_id=user_id, time_taken_ms=time_taken_ms,
                          idempotency_key=key)
    except IntegrityError:
        if not key:
            raise
        with db.sessions() as session:  # the same key won a race a moment ago (PostgreSQL)
            return Submission(_by_key(session, user_id, key), result, replayed=True)


def record(session: Session, loaded: Loaded, answers: dict, result, *, user_id: int | None,
           time_taken_ms: int | None, idempotency_key: str | None) -> Submission:
    """Store a graded attempt and the progress in the caller's write transaction; a key used
    before returns that attempt and stores nothing."""
    if idempotency_key:
        stored = _by_key(session, user_id, idempotency_key)
        if stored is not None:
            return Submission(stored, result, replayed=True)
    attempt = Attempt(instance_id=loaded.instance.id, user_id=user_id, answers=answers,
                      verdicts=result.verdicts(), score=result.score, misconceptions=result.misconceptions,
                      time_taken_ms=time_taken_ms, idempotency_key=idempotency_key)
    session.add(attempt)
    session.flush()
    if user_id is not None:
        record_result(session, user_id, loaded.exercise.family, result.score)
    return Submission(attempt, result)


def _by_key(session: Session, user_id: int, key: str) -> Attempt | None:
    return session.scalar(select(Attempt).where(Attempt.user_id == user_id, Attempt.idempotency_key == key))

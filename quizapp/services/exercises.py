"""Exercises handed out and answered: instances, attempts (stored exactly once), progress.

Shared by the study pages and the JSON API; works on a SQLAlchemy Session, no Flask.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exercises import grade as grade_answers
from exercises.registry import builtin_version, is_generator
from exercises.errors import UnknownTemplate
from exercises.generation import generate_from
from exercises.spec import load_template
from quizapp.models import Attempt, ExerciseInstance, TemplateVersion
from quizapp.services.progress import record_result

MAX_ANSWER_CHARS = 500


class NotFound(LookupError):
    """No such exercise for this user (another learner's ids look the same as missing ones)."""


@lru_cache(maxsize=256)
def _parsed(slug: str, version: int, source: str):
    """A template version's object; versions are immutable, so (slug, version, source) keys it."""
    builtin = builtin_version(slug, version)
    if builtin is not None and builtin.source == source:
        return builtin  # built-ins may be Python generators, whose source is a description
    if is_generator(slug):  # a generator's stored source is no template: it needs its code
        raise UnknownTemplate(f"生成器 {slug} のバージョン {version} はもうありません",
                              f"generator {slug} version {version} is no longer available", slug=slug)
    return load_template(source)


def template_object(row: TemplateVersion):
    return _parsed(row.slug, row.version, row.source)


def latest_published(session: Session, slug: str) -> TemplateVersion:
    row = session.scalar(select(TemplateVersion).where(
        TemplateVersion.slug == slug, TemplateVersion.status == "published",
    ).order_by(TemplateVersion.version.desc()).limit(1))
    if row is None:
        raise UnknownTemplate(f"テンプレート {slug!r} はありません", f"no template named {slug!r}", slug=slug)
    return row


def published_templates(session: Session) -> list[TemplateVersion]:
    """The newest published version of every template."""
    rows = session.scalars(select(TemplateVersion).where(TemplateVersion.status == "published")
                           .order_by(TemplateVersion.slug, TemplateVersion.version.desc())).all()
    newest: dict[str, TemplateVersion] = {}
    for row in rows:
        newest.setdefault(row.slug, row)
    return list(newest.values())


def start_exercise(session: Session, slug: str, *, user_id: int | None,
                   seed: int | None = None, params: dict | None = None):
    """Generate and store a new instance; returns (instance, exercise)."""
    row = latest_published(session, slug)
    exercise = generate_from(template_object(row), seed=seed, params=params)
    instance = ExerciseInstance(template_version_id=row.id, seed=exercise.seed,
                                params=dict(params or {}), user_id=user_id)
    session.add(instance)
    session.flush()
    return instance, exercise


def load_instance(session: Session, instance_id: str, *, user_id: int | None):
    """The stored instance, regenerated; ``NotFound`` for missing ones and other users'."""
    instance = session.get(ExerciseInstance, instance_id) if isinstance(instance_id, str) else None
    if instance is None or instance.user_id != user_id:
        raise NotFound(instance_id)
    row = session.get(TemplateVersion, instance.template_version_id)
    try:
        template = template_object(row)
    except UnknownTemplate:
        raise NotFound(instance_id) from None
    exercise = generate_from(template, seed=instance.seed, params=instance.params or None)
    return instance, row, exercise


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


def submit(db, instance_id: str, answers: dict, *, user_id: int | None,
           time_taken_ms: int | None = None, idempotency_key: str | None = None) -> Submission:
    """Grade and store one attempt in one short transaction. A retried request with the same
    idempotency key (even at the same moment) returns the first attempt and stores nothing."""
    answers = clip_answers(answers)
    with db.sessions() as session:
        _, row, exercise = load_instance(session, instance_id, user_id=user_id)
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

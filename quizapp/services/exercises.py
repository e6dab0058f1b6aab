"""Exercises handed out and answered: instances, attempts (stored exactly once), progress.

Shared by the study pages and the JSON API; works on a SQLAlchemy Session, no Flask.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
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
INSTANCE_CACHE_SIZE = 2048


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


class InstanceCache:
    """A thread-safe LRU of generated exercises (``put`` lets POST /exercises warm it)."""

    def __init__(self, size: int):
        self.size, self.hits, self.misses = size, 0, 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, make):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        value = make()  # outside the lock: two threads may both generate; same result
        self.put(key, value)
        return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0


CACHE = InstanceCache(INSTANCE_CACHE_SIZE)


def source_digest(row) -> bytes:
    return hashlib.blake2b(row.source.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def cache_key(row, seed: int | None, params: dict | None, digest: bytes | None = None) -> tuple:
    # The source is part of the key (as a digest): an unused draft is updated in place.
    digest = digest or source_digest(row)
    params_key = None if not params else json.dumps(params, sort_keys=True, separators=(",", ":"))
    return (row.slug, row.version, digest, 0 if seed is None else seed, params_key)


def instance_for(row, seed: int | None, params: dict | None, digest: bytes | None = None):
    """The exercise of (row, seed, params); seed 0 when only params are given. ``row`` is a
    TemplateVersion (anything with slug, version and source)."""
    key = cache_key(row, seed, params, digest)
    return CACHE.get(key, lambda: generate_from(template_object(row), seed=key[3], params=params or None))


def remember(row, seed: int, params: dict | None, exercise) -> None:
    """Keep an exercise generated elsewhere (start_exercise) for its submissions."""
    CACHE.put(cache_key(row, seed, params), exercise)


def start_exercise(session: Session, slug: str, *, user_id: int | None,
                   seed: int | None = None, params: dict | None = None):
    """Generate and store a new instance; returns (instance, exercise)."""
    row = latest_published(session, slug)
    exercise = generate_from(template_object(row), seed=seed, params=params)
    instance = ExerciseInstance(template_version_id=row.id, seed=exercise.seed,
                                params=dict(params or {}), user_id=user_id)
    session.add(instance)
    session.flush()
    remember(row, instance.seed, instance.params, exercise)
    return instance, exercise


def load_instance(session: Session, instance_id: str, *, user_id: int | None):
    """The stored instance, regenerated; ``NotFound`` for missing ones and other users'."""
    instance = session.get(ExerciseInstance, instance_id) if isinstance(instance_id, str) else None
    if instance is None or instance.user_id != user_id:
        raise NotFound(instance_id)
    row = session.get(TemplateVersion, instance.template_version_id)
    try:
        exercise = instance_for(row, instance.seed, instance.params)
    except UnknownTemplate:
        raise NotFound(instance_id) from None
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

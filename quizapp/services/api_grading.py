"""Stateless batch grading for the JSON API (POST /grade): nothing is stored.

Each item names an instance by (template, seed) or (template, params[, seed]); the newest
published version of each template is looked up once per batch. Generating an instance
(forward, backward and a numerical check of every gradient) costs ~1-4 ms, grading ~0.1 ms,
so generated instances are kept in an LRU keyed by (slug, version, digest of the source, seed,
params): an instance is fully determined by that key.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from exercises import grade as grade_answers
from exercises.errors import ExerciseError, UnknownTemplate
from exercises.generation import generate_from
from quizapp.models import TemplateVersion
from quizapp.services.exercises import template_object

INSTANCE_CACHE_SIZE = 2048


@dataclass(frozen=True)
class BatchItem:
    template: str
    seed: int | None
    params: dict | None
    answers: dict


@dataclass
class ItemOutcome:
    index: int
    item: BatchItem
    exercise: object = None  # exercises.Exercise when generated
    result: object = None    # exercises GradeResult when graded
    error: ExerciseError | None = None


def latest_published_many(session: Session, slugs: set[str]) -> dict[str, TemplateVersion]:
    """The newest published version of each slug that has one."""
    rows = session.scalars(select(TemplateVersion).where(
        TemplateVersion.slug.in_(sorted(slugs)), TemplateVersion.status == "published",
    ).order_by(TemplateVersion.slug, TemplateVersion.version.desc())).all()
    newest: dict[str, TemplateVersion] = {}
    for row in rows:
        newest.setdefault(row.slug, row)
    return newest


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


class UnknownAnswerKey(ExerciseError):
    """An answer under a key that names no part: a typo would otherwise grade as blank."""

    code = "unknown_answer_key"


def answer_keys(exercise) -> list[str]:
    """The keys "answers" takes: part ids, and "part.step" for each step of a guided part."""
    keys = []
    for part in exercise.parts:
        if part.kind == "guided":
            keys.extend(f"{part.id}.{step}" for step in part.steps)
        else:
            keys.append(part.id)
    return keys


def check_answer_keys(exercise, answers: dict) -> None:
    known = set(answer_keys(exercise))
    unknown = [key for key in answers if key not in known]
    if unknown:
        listed = ", ".join(answer_keys(exercise))
        raise UnknownAnswerKey(f"どの小問にも当たらないキーです: {unknown[0]}（使えるキー: {listed}）",
                               f"no part has the key {unknown[0]} (keys: {listed})", field=f"answers.{unknown[0]}")


def grade_batch(session: Session, items: list[BatchItem]) -> list[ItemOutcome]:
    rows = latest_published_many(session, {item.template for item in items})
    digests = {slug: source_digest(row) for slug, row in rows.items()}
    outcomes = []
    for index, item in enumerate(items):
        outcome = ItemOutcome(index, item)
        row = rows.get(item.template)
        try:
            if row is None:
                raise UnknownTemplate(f"テンプレート {item.template!r} はありません",
                                      f"no template named {item.template!r}", slug=item.template)
            outcome.exercise = instance_for(row, item.seed, item.params, digests[item.template])
            check_answer_keys(outcome.exercise, item.answers)
            outcome.result = grade_answers(outcome.exercise, item.answers)
        except ExerciseError as err:
            outcome.error = err
        outcomes.append(outcome)
    return outcomes

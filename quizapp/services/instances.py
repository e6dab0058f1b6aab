"""Exercise instances: hand one out (stored, so that it can be answered later) and load a
learner's own instance back, its exercise from the app's ExerciseCache."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy.orm import Session

from exercises.errors import UnknownTemplate
from exercises.generation import generate_from
from quizapp.models import ExerciseInstance, TemplateVersion
from quizapp.services.catalog import latest_published
from quizapp.services.exercise_cache import ExerciseCache
from quizapp.services.learner_settings import learner_preferences


class NotFound(LookupError):
    """No such exercise for this user (another learner's ids look the same as missing ones)."""


class Loaded(NamedTuple):
    instance: ExerciseInstance
    row: TemplateVersion
    exercise: object  # exercises.Exercise


class Prepared(NamedTuple):
    row: TemplateVersion
    exercise: object  # exercises.Exercise
    params: dict      # what the instance stores (the learner's preferences, or explicit params)


def prepare_exercise(session: Session, cache: ExerciseCache, slug: str, *, user_id: int | None,
                     seed: int | None = None, params: dict | None = None) -> Prepared:
    """Generate and verify a new exercise: the CPU work, done before any write transaction
    (``session`` only reads). Without ``params``, a source that takes the framework as a
    preference is drawn with the learner's (PyTorch for no user); the instance keeps those
    params, so it regenerates the same."""
    row = latest_published(session, slug)
    source = cache.template(row)
    if params is None:
        params = learner_preferences(session, source, user_id)
    exercise = generate_from(source, seed=seed, params=params)
    return Prepared(row, exercise, dict(params or {}))


def store_exercise(session: Session, cache: ExerciseCache, prepared: Prepared, *,
                   user_id: int | None) -> ExerciseInstance:
    """The short write: one instance row (inside the caller's write transaction)."""
    instance = ExerciseInstance(template_version_id=prepared.row.id, seed=prepared.exercise.seed,
                                params=prepared.params, user_id=user_id)
    session.add(instance)
    session.flush()
    cache.remember(prepared.row, instance.seed, instance.params, prepared.exercise)
    return instance


def start_exercise(session: Session, cache: ExerciseCache, slug: str, *, user_id: int | None,
                   seed: int | None = None, params: dict | None = None):
    """Prepare and store in one session (scripts and tests); returns (instance, exercise).
    Request handlers prepare first and store in a short write transaction of its own."""
    prepared = prepare_exercise(session, cache, slug, user_id=user_id, seed=seed, params=params)
    return store_exercise(session, cache, prepared, user_id=user_id), prepared.exercise


def load_instance(session: Session, cache: ExerciseCache, instance_id: str, *,
                  user_id: int | None) -> Loaded:
    """The stored instance and its exercise; ``NotFound`` for missing ones and other users'."""
    instance = session.get(ExerciseInstance, instance_id) if isinstance(instance_id, str) else None
    if instance is None or instance.user_id != user_id:
        raise NotFound(instance_id)
    row = session.get(TemplateVersion, instance.template_version_id)
    try:
        exercise = cache.exercise(row, instance.seed, instance.params)
    except UnknownTemplate:
        raise NotFound(instance_id) from None
    return Loaded(instance, row, exercise)

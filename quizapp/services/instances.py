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


def start_exercise(session: Session, cache: ExerciseCache, slug: str, *, user_id: int | None,
                   seed: int | None = None, params: dict | None = None):
    """Generate and store a new instance; returns (instance, exercise). Without ``params``, a
    source that takes the framework as a preference is drawn with the learner's (PyTorch for
    no user); the instance keeps those params, so it regenerates the same."""
    row = latest_published(session, slug)
    source = cache.template(row)
    if params is None:
        params = learner_preferences(session, source, user_id)
    exercise = generate_from(source, seed=seed, params=params)
    instance = ExerciseInstance(template_version_id=row.id, seed=exercise.seed,
                                params=dict(params or {}), user_id=user_id)
    session.add(instance)
    session.flush()
    cache.remember(row, instance.seed, instance.params, exercise)
    return instance, exercise


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

"""Stateless batch grading for the JSON API (POST /grade): nothing is stored.

Each item names an instance by (template, seed) or (template, params[, seed]); the newest
published version of each template is looked up once per batch. Generating an instance
(forward, backward and a numerical check of every gradient) costs ~1-4 ms, grading ~0.1 ms,
so generated instances come from the app's ExerciseCache (services/exercise_cache.py), keyed
by (slug, version, digest of the source, seed, params): an instance is fully determined by that key.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from exercises import grade as grade_answers
from exercises.errors import ExerciseError
from quizapp.services.catalog import latest_published_many, unknown_template
from quizapp.services.exercise_cache import ExerciseCache, source_digest


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


class UnknownAnswerKey(ExerciseError):
    """An answer under a key that names no part: a typo would otherwise grade as blank."""

    code = "unknown_answer_key"


def answer_keys(exercise) -> list[str]:
    """The keys "answers" takes: part ids, and "part.step" for each step of a guided part."""
    return exercise.answer_keys()


def check_answer_keys(exercise, answers: dict) -> None:
    known = set(answer_keys(exercise))
    unknown = [key for key in answers if key not in known]
    if unknown:
        listed = ", ".join(answer_keys(exercise))
        raise UnknownAnswerKey(f"どの小問にも当たらないキーです: {unknown[0]}（使えるキー: {listed}）",
                               f"no part has the key {unknown[0]} (keys: {listed})", field=f"answers.{unknown[0]}")


def grade_batch(session: Session, cache: ExerciseCache, items: list[BatchItem]) -> list[ItemOutcome]:
    rows = latest_published_many(session, {item.template for item in items})
    digests = {slug: source_digest(row) for slug, row in rows.items()}
    outcomes = []
    for index, item in enumerate(items):
        outcome = ItemOutcome(index, item)
        row = rows.get(item.template)
        try:
            if row is None:
                raise unknown_template(item.template)
            outcome.exercise = cache.exercise(row, item.seed, item.params, digests[item.template])
            check_answer_keys(outcome.exercise, item.answers)
            outcome.result = grade_answers(outcome.exercise, item.answers)
        except ExerciseError as err:
            outcome.error = err
        outcomes.append(outcome)
    return outcomes

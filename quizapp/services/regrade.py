"""Regrading: an instructor's explicit action, after the grader or a template's grading has
changed. Pages and reports show the verdicts stored with each attempt and never regrade on
their own; this grades the stored answers again and rewrites the verdicts, score and
misconceptions of the attempts whose grade changed. Progress (a moving average of the scores
as they were given) is left as it is.

Grading runs before the write, and the write is one short transaction.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select, update

from exercises import grade
from exercises.errors import ExerciseError
from quizapp.models import Attempt, ExerciseInstance, TemplateVersion
from quizapp.services.exercise_cache import ExerciseCache


@dataclass
class Regraded:
    attempts: int = 0   # attempts looked at
    changed: int = 0    # whose stored grade was rewritten
    skipped: int = 0    # whose exercise can no longer be generated (a removed generator version)


def regrade(db, cache: ExerciseCache, slug: str, version: int | None = None) -> Regraded:
    """Grade every stored attempt on ``slug`` (one version, or all) again; store what changed."""
    report, changes = Regraded(), []
    with db.sessions() as session:
        query = (select(Attempt, ExerciseInstance, TemplateVersion)
                 .join(ExerciseInstance, Attempt.instance_id == ExerciseInstance.id)
                 .join(TemplateVersion, ExerciseInstance.template_version_id == TemplateVersion.id)
                 .where(TemplateVersion.slug == slug).order_by(Attempt.id))
        if version is not None:
            query = query.where(TemplateVersion.version == version)
        for attempt, instance, row in session.execute(query):
            report.attempts += 1
            try:
                exercise = cache.exercise(row, instance.seed, instance.params)
            except ExerciseError:
                report.skipped += 1
                continue
            result = grade(exercise, attempt.answers)
            verdicts = json.loads(json.dumps(result.verdicts()))  # as the JSON column holds them
            if result.valid and (verdicts != attempt.verdicts or result.score != attempt.score):
                changes.append({"id": attempt.id, "verdicts": verdicts, "score": result.score,
                                "misconceptions": result.misconceptions})
    if changes:
        with db.write() as session:
            session.execute(update(Attempt), changes)
    report.changed = len(changes)
    return report

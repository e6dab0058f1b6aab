"""Mock exams: a timed set of questions, one per family, answered on one page and submitted once.

The time limit is enforced here, not in the browser: answers that arrive after the deadline plus
a short grace are graded as unanswered. Each question is graded once and stored as an ordinary
attempt (``attempts.record``, with an idempotency key of its own), all of them, the progress and
the exam's report in one write transaction, so a repeated submission stores nothing new.
"""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from exercises import grade as grade_answers
from exercises.spec.vocab import FAMILIES
from quizapp.models import MockExam, utcnow
from quizapp.services.attempts import clip_answers, record
from quizapp.services.catalog import published_templates
from quizapp.services.exercise_cache import ExerciseCache
from quizapp.services.instances import NotFound, load_instance, prepare_exercise, store_exercise
from quizapp.services.mock_report import build_report
from quizapp.services.progress_report import progress_by_family

QUESTION_COUNTS = (3, 6, 9)
DEFAULT_QUESTIONS = 6
SECONDS_PER_QUESTION = 5 * 60
GRACE = timedelta(seconds=30)  # a submit sent just before the deadline may arrive a little late

class NoExercises(LookupError):
    """Nothing is published, so there is nothing to ask."""


def now() -> datetime:
    """The service's clock; tests replace it to move time without sleeping."""
    return utcnow()


def plan(templates, mastery: dict[str, float], count: int, seed: int) -> list[tuple[str, int]]:
    """(slug, instance seed) per question: the learner's weakest families first (ties drawn
    by ``seed``), one template of each drawn by ``seed``; questions in the syllabus order."""
    rng = random.Random(seed)
    by_family: dict[str, list[str]] = {}
    for row in sorted(templates, key=lambda r: r.slug):
        by_family.setdefault(row.family, []).append(row.slug)
    draw = {family: rng.random() for family in sorted(by_family)}
    chosen = sorted(by_family, key=lambda f: (mastery.get(f, 0.0), draw[f]))[:count]
    order = [*FAMILIES, *sorted(set(by_family) - set(FAMILIES))]
    return [(rng.choice(by_family[f]), rng.randrange(2**31))
            for f in sorted(chosen, key=order.index)]


def start(db, cache: ExerciseCache, user_id: int, count: int = DEFAULT_QUESTIONS, seed: int | None = None) -> MockExam:
    """Create the exam and its exercise instances in one short write transaction (the
    exercises are generated before it)."""
    if count not in QUESTION_COUNTS:
        raise ValueError(f"count must be one of {QUESTION_COUNTS}")
    seed = secrets.randbelow(2**31) if seed is None else seed
    with db.sessions() as reading:  # plan and generate first: the write below only inserts
        mastery = {f: row.mastery for f, row in progress_by_family(reading, user_id).items()}
        questions = plan(published_templates(reading), mastery, count, seed)
        if not questions:
            raise NoExercises()
        prepared = [prepare_exercise(reading, cache, slug, user_id=user_id, seed=s) for slug, s in questions]
    with db.write() as session:
        ids = [store_exercise(session, cache, p, user_id=user_id).id for p in prepared]
        exam = MockExam(user_id=user_id, instance_ids=ids, started_at=now(),
                        time_limit_s=len(ids) * SECONDS_PER_QUESTION)
        session.add(exam)
        session.flush()
        return exam


def load(session: Session, exam_id: str, user_id: int) -> MockExam:
    """The learner's exam; ``NotFound`` for a missing one and for another learner's."""
    exam = session.get(MockExam, exam_id) if isinstance(exam_id, str) else None
    if exam is None or exam.user_id != user_id:
        raise NotFound(exam_id)
    return exam


def deadline(exam: MockExam) -> datetime:
    return exam.started_at + timedelta(seconds=exam.time_limit_s)


def is_closed(exam: MockExam, at: datetime) -> bool:
    return exam.finished_at is not None or at > deadline(exam) + GRACE


def seconds_left(exam: MockExam, at: datetime) -> int:
    return max(0, int((deadline(exam) - at).total_seconds()))


def questions(session: Session, cache: ExerciseCache, exam: MockExam) -> list[tuple]:
    """(instance, template version, exercise) per question, in the exam's order."""
    return [load_instance(session, cache, iid, user_id=exam.user_id) for iid in exam.instance_ids]


@dataclass
class Outcome:
    exam: MockExam
    invalid: dict = field(default_factory=dict)  # instance id -> GradeResult with unreadable answers
    already: bool = False                       # the exam had been submitted before
    late: bool = False                          # arrived after the deadline: graded as unanswered


def submit(db, cache: ExerciseCache, exam_id: str, user_id: int, answers: dict[str, dict]) -> Outcome:
    """Grade every question once. ``answers``: instance id -> {part id: text, or for a guided
    part {step: text}}. Unreadable answers before the deadline store nothing and come back in
    ``invalid`` so the learner can correct them, as on the exercise pages."""
    at = now()
    with db.sessions() as session:
        exam = load(session, exam_id, user_id)
        if exam.finished_at is not None:
            return Outcome(exam, already=True)
        late = at > deadline(exam) + GRACE
        loaded = questions(session, cache, exam)
    given = {} if late else answers
    given = {inst.id: clip_answers(given.get(inst.id, {})) for inst, _, _ in loaded}
    results = {inst.id: grade_answers(ex, given[inst.id]) for inst, _, ex in loaded}
    invalid = {iid: result for iid, result in results.items() if not result.valid}
    if invalid and at <= deadline(exam):
        return Outcome(exam, invalid=invalid)
    for inst, _, ex in loaded:
        if inst.id in invalid:  # in the grace period: unreadable parts count as unanswered
            given[inst.id] = _readable_only(given[inst.id], invalid[inst.id])
            results[inst.id] = grade_answers(ex, given[inst.id])
    taken = min(at - exam.started_at, timedelta(seconds=exam.time_limit_s))
    return _finish(db, exam.id, loaded, given, results, at, taken, late)


def _readable_only(given: dict, result) -> dict:
    """Within the grace period there is no time left to correct: unreadable parts count as
    unanswered instead of sending the page back."""
    return {pid: value for pid, value in given.items()
            if getattr(result.parts.get(pid), "status", None) != "invalid"}


def _finish(db, exam_id: str, loaded: list, given: dict, results: dict, at: datetime,
            taken: timedelta, late: bool) -> Outcome:
    """Every attempt, its progress and the report in one write transaction, unless a
    concurrent submission finished the exam first (the first one wins)."""
    with db.write() as session:
        exam = session.scalar(select(MockExam).where(MockExam.id == exam_id).with_for_update())
        if exam.finished_at is not None:
            return Outcome(exam, already=True, late=late)
        ms = int(taken.total_seconds() * 1000)
        attempts = [record(session, item, given[item.instance.id], results[item.instance.id],
                           user_id=exam.user_id, time_taken_ms=ms,
                           idempotency_key=f"mock:{exam.id}:{item.instance.id}").attempt
                    for item in loaded]
        report = build_report([(row, ex) for _, row, ex in loaded], attempts, taken, late)
        exam.finished_at, exam.score, exam.report = at, report["score"], report
        session.flush()
        return Outcome(exam, late=late)


def close_if_expired(db, cache: ExerciseCache, exam: MockExam) -> MockExam:
    """An exam left open past its deadline is closed with every answer unanswered."""
    if exam.finished_at is None and now() > deadline(exam) + GRACE:
        return submit(db, cache, exam.id, exam.user_id, {}).exam
    return exam


def history(session: Session, user_id: int, limit: int = 20) -> list[MockExam]:
    return list(session.scalars(select(MockExam).where(MockExam.user_id == user_id)
                                .order_by(MockExam.started_at.desc()).limit(limit)))

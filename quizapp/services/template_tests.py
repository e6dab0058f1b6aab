"""Checking a template before learners see it: the test report over N seeds, and the
instructor's pinned test cases (params + answers -> expected score) stored per slug.

Pinned cases are run after every save and shown in the editor; a failing case blocks
publishing (authoring.publish), not saving, so a half-finished edit is never lost.
"""
from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from exercises import grade
from exercises.errors import ExerciseError
from exercises.generation import draw_report, generate_from
from exercises.grading.probes import PROBES, probe
from exercises.kinds import KINDS
from exercises.source import Source
from quizapp.models import TemplateTestCase
from quizapp.services.ownership import AuthoringError, NotFound, check_can_edit

DEFAULT_N, MAX_N = 100, 500
PREVIEWS = 3
SCORE_TOLERANCE = 1e-6
MAX_CASES = 50


# --- the test report ------------------------------------------------------------------------

@dataclass
class Spread:
    part: str
    kind: str
    count: int
    low: float
    median: float
    high: float


@dataclass
class TestReport:
    __test__ = False  # not a pytest class

    n: int
    passed: int                      # seeds that gave a verified instance (gradient check passed)
    draws: int                       # every draw, accepted or rejected
    rejected: dict                   # reason -> rejected draws, most common first
    examples: dict                   # reason -> the first rejection's detail
    failed: dict                     # seed -> {"ja", "en"}: seeds without any instance
    spreads: list[Spread] = field(default_factory=list)
    previews: list = field(default_factory=list)  # the first few instances (Exercise)
    integrity: dict = field(default_factory=dict)  # probe -> instances where it got free credit

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def indistinct_share(self) -> float:
        """The share of draws rejected because a wrong method gave the right answer."""
        return self.rejected.get("indistinct_misconception", 0) / self.draws if self.draws else 0.0


def clamp_n(n) -> int:
    try:
        n = int(n)
    except (TypeError, ValueError):
        n = DEFAULT_N
    return max(1, min(MAX_N, n))


def test_report(template: Source, n: int = DEFAULT_N) -> TestReport:
    """Generate seeds 0..n-1 (n capped at MAX_N) exactly as learners would get them."""
    n = clamp_n(n)
    report = draw_report(template, range(n))
    return TestReport(
        n=n, passed=len(report.exercises), draws=report.draws,
        rejected=dict(report.rejected.most_common()), examples=dict(report.examples),
        failed={s: {"ja": b.message_ja, "en": b.message_en} for s, b in report.failed.items()},
        spreads=spreads(report.exercises), previews=report.exercises[:PREVIEWS],
        integrity=integrity(report.exercises))


def integrity(exercises: list) -> dict:
    """For each sceptical learner's probe (exercises.grading.probes), on how many instances it
    got credit it should not: all zero for a template whose grades mean something."""
    hits: Counter = Counter({key: 0 for key in PROBES})
    for ex in exercises:
        hits.update({key: 1 for key in probe(ex)})
    return dict(hits)


test_report.__test__ = False


def spreads(exercises: list) -> list[Spread]:
    """min / median / max of each numeric part's reference answer over the instances."""
    out = []
    for part in exercises[0].parts if exercises else ():
        values = [v for ex in exercises if (v := numeric_answer(ex.answers.get(part.id))) is not None]
        if values:
            out.append(Spread(part.id, part.kind, len(values), min(values),
                              statistics.median(values), max(values)))
    return out


def numeric_answer(key) -> float | None:
    """A plain-number answer key (value, gradient, update, a choice's index), else None."""
    if isinstance(key, bool) or not isinstance(key, (int, float)):
        return None
    value = float(key)
    return value if math.isfinite(value) else None


def reference_text(exercise, part) -> str:
    """A part's reference answer as the grader would show it."""
    return KINDS[part.kind].reference_text(part, exercise.answers[part.id])


# --- pinned test cases ----------------------------------------------------------------------

@dataclass
class CaseResult:
    id: int | None
    name: str
    passed: bool
    score: float | None
    expected: float
    message_ja: str = ""
    message_en: str = ""


def list_cases(session: Session, slug: str) -> list[TemplateTestCase]:
    return list(session.scalars(select(TemplateTestCase).where(TemplateTestCase.slug == slug)
                                .order_by(TemplateTestCase.id)))


def run_case(template: Source, case: TemplateTestCase) -> CaseResult:
    """Generate with the case's params (seed 0) and grade its answers."""
    expected = float(case.expected_score)
    try:
        exercise = generate_from(template, seed=0, params=dict(case.params or {}))
    except ExerciseError as err:
        return CaseResult(case.id, case.name, False, None, expected, err.message_ja, err.message_en)
    score = grade(exercise, dict(case.answers or {})).score
    if abs(score - expected) <= SCORE_TOLERANCE:
        return CaseResult(case.id, case.name, True, score, expected)
    return CaseResult(case.id, case.name, False, score, expected,
                      f"得点 {score:.3f}（期待 {expected:.3f}）", f"score {score:.3f} (expected {expected:.3f})")


def run_cases(session: Session, template: Source) -> list[CaseResult]:
    return [run_case(template, case) for case in list_cases(session, template.slug)]


def failing_cases(session: Session, template: Source) -> list[CaseResult]:
    return [r for r in run_cases(session, template) if not r.passed]


def add_case(session: Session, slug: str, user_id: int, *, name: str, params: dict,
             answers: dict, expected_score: float) -> TemplateTestCase:
    """Pin a case on a slug the user may edit. The params are not checked here: a case may
    be pinned before the template can satisfy it (it then fails and blocks publishing)."""
    check_can_edit(session, user_id, slug)
    if len(list_cases(session, slug)) >= MAX_CASES:
        raise AuthoringError(f"固定テストは {MAX_CASES} 件までです", f"at most {MAX_CASES} pinned test cases")
    if not isinstance(params, dict) or not isinstance(answers, dict) \
            or not 0.0 <= float(expected_score) <= 1.0:
        raise AuthoringError("params と answers は対応表、期待する得点は 0〜1 です",
                             "params and answers must be mappings and the expected score 0..1")
    case = TemplateTestCase(slug=slug, name=str(name)[:100], params=params, answers=answers,
                            expected_score=float(expected_score), author_id=user_id)
    session.add(case)
    session.flush()
    return case


def delete_case(session: Session, case_id: int, user_id: int) -> None:
    case = session.get(TemplateTestCase, case_id)
    if case is None:
        raise NotFound("その固定テストはありません", "no such pinned test case")
    check_can_edit(session, user_id, case.slug)
    session.delete(case)
    session.flush()

"""One submission path: a submission loads its instance once and grades once, the attempt and
the progress are written together, and the result page shows the stored verdicts instead of
grading again."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from exercises import catalog, generate
from exercises.grading import from_verdicts, grade, reference_answers
from quizapp.models import Attempt, Progress
from quizapp.services import attempts, instances
from quizapp.study import exercise_pages
from tests.web.exercise_helpers import CANONICAL, RIGHT, answer, load_templates, start, text_of

WRONG = {**RIGHT, "price": "650", "d_tax": "600"}


@pytest.fixture
def learner(db, make_user, auth):
    load_templates(db)
    user = make_user()
    auth.login()
    return user


def _counting(monkeypatch, module, name):
    calls = []
    real = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_web_submission_loads_once_grades_once_and_stores_attempt_with_progress(
        client, learner, db, monkeypatch):
    instance_id = start(db, learner.id, params=CANONICAL)
    page = client.get(f"/exercises/{instance_id}").get_data(as_text=True)
    assert "idempotency_key" in page
    loads = _counting(monkeypatch, instances, "load_instance")
    grades = _counting(monkeypatch, attempts, "grade_answers")
    response = answer(client, instance_id, WRONG)
    assert response.status_code == 302
    # answer() fetched the form page once (one load); the POST itself loads once more.
    assert (len(loads), len(grades)) == (2, 1)
    with db.sessions() as session:
        stored = session.scalars(select(Attempt)).all()
        progress = session.scalars(select(Progress).where(Progress.user_id == learner.id)).all()
    assert len(stored) == 1 and 0 < stored[0].score < 1
    assert [p.attempts for p in progress] == [1]


def test_the_result_page_shows_the_stored_verdicts_without_grading(client, learner, db, monkeypatch):
    instance_id = start(db, learner.id, params=CANONICAL)
    location = answer(client, instance_id, WRONG).headers["Location"]
    regraded = text_of(client.get(location))

    def no_grading(*args, **kwargs):
        raise AssertionError("the result page graded again")

    monkeypatch.setattr(exercise_pages, "grade", no_grading)
    monkeypatch.setattr(attempts, "grade_answers", no_grading)
    shown = text_of(client.get(location))
    assert shown == regraded
    assert "650" in shown and "715" in shown  # what was typed and what was expected


def test_the_result_page_shows_what_was_stored_even_when_grading_would_now_differ(
        client, learner, db):
    """Stored verdicts are the record: editing them (as an instructor's regrade would) is what
    the learner sees, not a fresh grade of the answers."""
    instance_id = start(db, learner.id, params=CANONICAL)
    location = answer(client, instance_id, RIGHT).headers["Location"]
    assert "（6 問中 6 問正解）" in text_of(client.get(location))
    with db.write() as session:
        attempt = session.scalars(select(Attempt)).one()
        verdicts = {pid: dict(v) for pid, v in attempt.verdicts.items()}
        verdicts["price"].update(status="incorrect", score=0.0)
        attempt.verdicts = verdicts
    assert "（6 問中 5 問正解）" in text_of(client.get(location))


def test_stored_verdicts_give_back_the_grade_of_every_built_in_template():
    for source in catalog():
        ex = generate(source.slug, seed=11)
        for answers in (reference_answers(ex), {}):
            result = grade(ex, answers)
            back = from_verdicts(ex, result.verdicts(), result.score)
            keep = ("status", "score", "expected", "misconception", "steps")
            assert back.score == result.score and back.misconceptions == result.misconceptions
            assert {k: {f: getattr(p, f) for f in keep} for k, p in back.parts.items()} == \
                   {k: {f: getattr(p, f) for f in keep} for k, p in result.parts.items()}, source.slug

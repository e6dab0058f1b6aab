"""Regrading is an explicit action: pages show stored verdicts, and an instructor's regrade
rewrites the ones whose grade changed (after the grader changed), nothing else."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.models import Attempt
from quizapp.services import authoring, regrade
from quizapp.services.exercise_cache import ExerciseCache
from tests.instructor.conftest import SOURCE, save
from tests.instructor.test_insight import answer

CANONICAL = {"x": 2, "y": 5}  # z = 10, dz/dx = 5


@pytest.fixture
def published(db, loaded, users):
    save(db, SOURCE, users["instructor"])
    with db.write() as session:
        authoring.publish(session, "my-mul", 1, users["instructor"])
    return db


def _as_an_older_grader_left_it(db):
    """Make the first attempt's stored grade disagree with today's grader."""
    with db.write() as session:
        attempt = session.scalars(select(Attempt).order_by(Attempt.id)).first()
        verdicts = {pid: dict(v) for pid, v in attempt.verdicts.items()}
        verdicts["dx"].update(status="incorrect", score=0.0)
        attempt.verdicts, attempt.score = verdicts, 0.5
        return attempt.id


def _stored(db):
    with db.sessions() as session:
        return {a.id: (a.score, a.verdicts["dx"]["status"], a.misconceptions)
                for a in session.scalars(select(Attempt))}


def test_regrade_rewrites_only_the_changed_grades_and_is_idempotent(published, users):
    db = published
    answer(db, users["learner"], {"z": "10", "dx": "5"}, params=CANONICAL)   # right
    answer(db, users["learner"], {"z": "10", "dx": "2"}, params=CANONICAL)   # mul_no_swap
    before = _stored(db)
    changed_id = _as_an_older_grader_left_it(db)
    assert _stored(db)[changed_id] != before[changed_id]

    done = regrade.regrade(db, ExerciseCache(), "my-mul")
    assert (done.attempts, done.changed, done.skipped) == (2, 1, 0)
    assert _stored(db) == before
    again = regrade.regrade(db, ExerciseCache(), "my-mul", version=1)
    assert (again.attempts, again.changed) == (2, 0)
    assert regrade.regrade(db, ExerciseCache(), "my-mul", version=2).attempts == 0


def test_the_owner_regrades_from_the_insight_page(client, published, users, login):
    db = published
    answer(db, users["learner"], {"z": "10", "dx": "5"}, params=CANONICAL)
    _as_an_older_grader_left_it(db)
    login("instructor")
    page = client.get("/instructor/t/my-mul/insight").get_data(as_text=True)
    assert "保存済みの解答を採点し直す" in page
    response = client.post("/instructor/t/my-mul/regrade", follow_redirects=True)
    assert response.status_code == 200
    assert "1 件の解答を採点し直し、1 件の採点が変わりました。" in response.get_data(as_text=True)
    assert [s for s, _, _ in _stored(db).values()] == [1.0]


@pytest.mark.parametrize("role, status", [("learner", 403), ("other", 403), ("admin", 302), ("anonymous", 302)])
def test_only_the_owner_or_an_admin_regrades_an_authored_template(client, published, users, login, role, status):
    db = published
    answer(db, users["learner"], {"z": "10", "dx": "5"}, params=CANONICAL)
    changed = _as_an_older_grader_left_it(db)
    login(role)
    response = client.post("/instructor/t/my-mul/regrade")
    assert response.status_code == status
    regraded = role == "admin"
    assert (_stored(db)[changed][0] == 1.0) is regraded
    if role == "anonymous":
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role, status", [("instructor", 403), ("admin", 302)])
def test_a_built_in_is_regraded_by_an_admin_only(client, loaded, users, login, role, status):
    login(role)
    page = client.get("/instructor/t/shopping-apples-tax/insight").get_data(as_text=True)
    assert ("regrade" in page) is False  # no attempts yet: nothing to regrade, no button
    assert client.post("/instructor/t/shopping-apples-tax/regrade").status_code == status

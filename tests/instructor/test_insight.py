"""Insight numbers and the CSV export, from attempts made through services.attempts.submit."""
from __future__ import annotations

import csv
import io

import pytest

from quizapp.models import Attempt
from quizapp.services import authoring, insight
from quizapp.services import attempts, instances
from quizapp.services.exercise_cache import ExerciseCache
from tests.instructor.conftest import SOURCE, save


@pytest.fixture
def published(db, loaded, users):
    save(db, SOURCE, users["instructor"])
    with db.write() as session:
        authoring.publish(session, "my-mul", 1, users["instructor"])
    return db


def answer(db, user_id, answers, *, seed=None, params=None):
    """Start an instance of my-mul and submit ``answers`` (a dict, or a function of the
    exercise's reference answers)."""
    cache = ExerciseCache()  # the helper runs outside the app: a cache of its own
    with db.write() as session:
        instance, exercise = instances.start_exercise(session, cache, "my-mul", user_id=user_id, seed=seed, params=params)
        instance_id = instance.id
    if callable(answers):
        answers = answers(exercise.answers)
    return attempts.submit(db, cache, instance_id, answers, user_id=user_id)


def right(key):
    return {"z": f"{key['z']:.0f}", "dx": f"{key['dx']:.0f}"}


def test_insight_numbers(published, users, make_user):
    db = published
    second = make_user(email="second@example.com").id
    canonical = {"x": 2, "y": 5}  # z = 10, dz/dx = 5; answering 2 for dx is mul_no_swap
    answer(db, users["learner"], {"z": "10", "dx": "5"}, params=canonical)       # 1.0
    answer(db, users["learner"], {"z": "10", "dx": "2"}, params=canonical)       # 0.5, mul_no_swap
    answer(db, second, {"z": "7", "dx": "2"}, params=canonical)                  # 0.0, mul_no_swap
    answer(db, second, {"z": "１０", "dx": "２"}, params=canonical)               # full-width: 0.5, mul_no_swap
    for _ in range(3):
        answer(db, second, {"z": "0", "dx": "0"}, seed=77)                       # seed 77: 0.0 three times
    for _ in range(3):
        answer(db, users["learner"], right, seed=5)                              # seed 5: 1.0 three times

    with db.sessions() as session:
        data = insight.template_insight(session, "my-mul")
    assert data.attempts == 10 and data.learners == 2
    assert data.average_score == pytest.approx((1 + 0.5 + 0 + 0.5 + 0 + 3) / 10)
    parts = {p.part: p for p in data.parts}
    assert parts["z"].attempts == 10 and parts["z"].correct == 6
    assert parts["z"].success_rate == pytest.approx(0.6)
    assert parts["dx"].correct == 4
    assert parts["dx"].wrong_answers == [("2", 3), ("0", 3)]
    assert ("0", 3) in parts["z"].wrong_answers and ("7", 1) in parts["z"].wrong_answers
    assert data.misconceptions == [("mul_no_swap", 3)]
    version, seed, mean, n = data.hardest_seeds[0]
    assert (version, seed, mean, n) == (1, 77, 0.0, 3)
    assert [s[1] for s in data.hardest_seeds] == [77, 5]  # instances with random seeds: < 3 attempts


def test_insight_per_version(published, users, client, login):
    db = published
    answer(db, users["learner"], {"z": "12", "dx": "4"}, params={"x": 3, "y": 4})
    save(db, SOURCE.replace("difficulty: 1", "difficulty: 2"), users["instructor"])
    with db.write() as session:
        authoring.publish(session, "my-mul", 2, users["instructor"])
    answer(db, users["learner"], {"z": "0", "dx": "0"}, params={"x": 3, "y": 4})
    with db.sessions() as session:
        assert insight.template_insight(session, "my-mul", 1).average_score == 1.0
        assert insight.template_insight(session, "my-mul", 2).average_score == 0.0
        assert insight.template_insight(session, "my-mul").attempts == 2
    login("instructor")
    page = client.get("/instructor/t/my-mul/insight?version=1").get_data(as_text=True)
    assert '<dd id="attempts">1</dd>' in page and '<dd id="average">100.0%</dd>' in page


def test_insight_page_shows_the_numbers(published, users, client, login):
    answer(published, users["learner"], {"z": "10", "dx": "2"}, params={"x": 2, "y": 5})
    login("instructor")
    page = client.get("/instructor/t/my-mul/insight").get_data(as_text=True)
    assert '<dd id="attempts">1</dd>' in page and '<dd id="learners">1</dd>' in page
    assert '<dd id="average">50.0%</dd>' in page
    assert "乗算ノードで入力を入れ替えていない" in page and "<code>2</code> ×1" in page


def test_csv_export_content_and_formula_injection_guard(published, users, client, login):
    db = published
    first = answer(db, users["learner"], {"z": "12", "dx": "-4"}, params={"x": 3, "y": 4})
    answer(db, users["learner"], {"z": "11", "dx": "+4"}, params={"x": 3, "y": 4})
    answer(db, users["learner"], {"z": "12", "dx": "4"}, params={"x": 3, "y": 4})
    with db.write() as session:  # what a spreadsheet would run, had it been stored somehow
        session.get(Attempt, first.attempt.id).answers = {"z": '=HYPERLINK("http://evil")', "dx": "@SUM(A1)"}
    login("instructor")
    response = client.get("/instructor/t/my-mul/attempts.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="my-mul-attempts.csv"'
    text = response.get_data(as_text=True).lstrip("\ufeff")
    table = list(csv.DictReader(io.StringIO(text)))
    assert [r["version"] for r in table] == ["1", "1", "1"]
    assert [r["user_id"] for r in table] == [str(users["learner"])] * 3
    assert [r["z_answer"] for r in table] == ['\'=HYPERLINK("http://evil")', "11", "12"]
    assert [r["dx_answer"] for r in table] == ["'@SUM(A1)", "'+4", "4"]
    assert [r["z_status"] for r in table] == ["correct", "incorrect", "correct"]
    assert [r["score"] for r in table] == ["0.5", "0.5", "1"]
    assert table[1]["misconceptions"] == "" and table[0]["seed"].isdigit()
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in table for cell in row.values())


@pytest.mark.parametrize(("value", "cell"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-1", "-1"), ("-0.5", "-0.5"), ("-1+2", "'-1+2"), ("-A1", "'-A1"),
    ("@x", "'@x"), ("\t=1", "'\t=1"), ("12", "12"), ("", ""), (None, ""), (0.5, "0.5"),
])
def test_safe_cell(value, cell):
    assert insight.safe_cell(value) == cell


def test_csv_for_one_version_and_empty_insight(published, client, login):
    login("instructor")
    response = client.get("/instructor/t/my-mul/attempts.csv?version=1")
    assert response.headers["Content-Disposition"] == 'attachment; filename="my-mul-v1-attempts.csv"'
    assert response.get_data(as_text=True).lstrip("\ufeff").startswith("attempt_id,created_at,user_id")
    page = client.get("/instructor/t/my-mul/insight").get_data(as_text=True)
    assert "まだ解答がありません。" in page and '<dd id="average">-</dd>' in page

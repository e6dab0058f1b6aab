"""POST /exercises, GET /exercises/{id}, POST /exercises/{id}/submissions, GET /me/progress."""
from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from exercises import catalog, generate
from exercises.registry import get_template
from quizapp.api.routes import exercises as exercises_routes
from quizapp.models import Attempt, ExerciseInstance
from quizapp.services.learner_settings import preferences_for
from tests.api.conftest import CANONICAL, RIGHT, SHOP, start
from tests.api.test_kinds import publish
from tests.instructor.conftest import SOURCE


def attempts(db) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(Attempt))


def test_exercise_has_id_prompt_parts_graph_and_no_reference_answers(client, learner):
    response = client.post("/api/v1/exercises", json={"template": SHOP, "params": CANONICAL}, headers=learner)
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/exercises/{body['id']}"
    assert body["template"] == SHOP and body["params"] == CANONICAL
    assert "りんご" in body["prompt"]["ja"] and body["prompt"]["en"]
    assert [p["id"] for p in body["parts"]] == list(RIGHT) == body["answer_keys"]
    assert body["graph"]["outputs"] and all("grad" not in n for n in body["graph"]["nodes"])
    # The reference answers of this instance must not appear; the random id, seed and timestamp
    # are left out of the search (a random seed or hex id can contain "165" by chance).
    text = json.dumps({k: v for k, v in body.items() if k not in ("id", "seed", "created_at")},
                      ensure_ascii=False)  # an escape such as \u5165 (入) holds digits too
    for secret in ("715", "650", "165"):
        assert secret not in text
    assert "solution" not in body and "answers" not in body and "mistakes" not in body


@pytest.mark.parametrize("template", [t.slug for t in catalog()])
def test_every_builtin_template_serves_and_grades_through_the_api(client, learner, template):
    exercise = start(client, learner, template=template, seed=11)
    # drawn with the token owner's framework (PyTorch by default) where the template takes it
    reference = generate(template, seed=11, params=preferences_for(get_template(template), "pytorch"))
    parts = [{k: v for k, v in part.items() if v is not None} for part in exercise["parts"]]
    assert parts == reference.public()["parts"]  # kind-specific fields are null when they do not apply
    answers = {key: "1" for key in exercise["answer_keys"]}
    result = client.post(f"/api/v1/exercises/{exercise['id']}/submissions?solution=1",
                         json={"answers": answers}, headers=learner)
    assert result.status_code in (201, 422), result.get_data(as_text=True)
    if result.status_code == 201:
        assert result.get_json()["solution"] is not None


def test_same_seed_gives_the_same_exercise(client, learner):
    first, second = start(client, learner, seed=42), start(client, learner, seed=42)
    assert first["id"] != second["id"]
    assert {k: v for k, v in first.items() if k not in ("id", "created_at")} == \
        {k: v for k, v in second.items() if k not in ("id", "created_at")}


def test_get_exercise_returns_the_same_exercise(client, learner):
    exercise = start(client, learner, seed=5)
    again = client.get(f"/api/v1/exercises/{exercise['id']}", headers=learner).get_json()
    assert again == exercise


def test_an_exercise_of_a_generator_version_no_longer_registered_is_404(client, db, learner):
    from quizapp.models import TemplateVersion

    exercise = start(client, learner, template="affine-gradient-shapes", seed=1)
    with db.write() as session:  # point the instance at a generator version the code lacks
        row = session.scalar(select(TemplateVersion).where(TemplateVersion.slug == "affine-gradient-shapes"))
        gone = TemplateVersion(slug=row.slug, version=99, source=row.source, family=row.family,
                               title_ja=row.title_ja, title_en=row.title_en, topics=row.topics, status="draft")
        session.add(gone)
        session.flush()
        session.get(ExerciseInstance, exercise["id"]).template_version_id = gone.id
    url = f"/api/v1/exercises/{exercise['id']}"
    for response in (client.get(url, headers=learner),
                     client.post(url + "/submissions", json={"answers": {}}, headers=learner)):
        assert response.status_code == 404 and response.get_json()["code"] == "exercise_not_found"


@pytest.mark.parametrize(("body", "code", "field"), [
    ({"template": "no-such-template"}, "unknown_template", "template"),
    ({"template": SHOP, "params": {"apple": 100}}, "invalid_params", "params"),
    ({"template": SHOP, "params": {**CANONICAL, "apple": 101}}, "invalid_params", "params.apple"),
    ({"template": SHOP, "seed": -1}, "validation_error", "seed"),
    ({"template": SHOP, "seed": "5"}, "validation_error", "seed"),
    ({"template": "Bad Slug"}, "validation_error", "template"),
    ({"seed": 1}, "validation_error", "template"),
    ({"template": SHOP, "colour": "red"}, "validation_error", "colour"),
])
def test_bad_exercise_requests_name_the_field(client, db, learner, body, code, field):
    response = client.post("/api/v1/exercises", json=body, headers=learner)
    problem = response.get_json()
    assert (problem["code"], problem["field"]) == (code, field)
    assert response.status_code == (404 if code == "unknown_template" else 422)
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ExerciseInstance)) == 0


def test_submission_is_graded_with_verdicts_misconceptions_and_feedback(client, db, learner):
    exercise = start(client, learner, params=CANONICAL)
    response = client.post(f"/api/v1/exercises/{exercise['id']}/submissions",
                           json={"answers": {"price": "715", "d_apple": "2"}, "time_taken_ms": 4200},
                           headers=learner)
    assert response.status_code == 201
    result = response.get_json()
    assert result["score"] == pytest.approx(1 / 6, rel=1e-5) and result["valid"] is True
    assert (result["correct_parts"], result["total_parts"]) == (1, 6)
    assert result["parts"]["price"]["status"] == "correct"
    assert result["parts"]["d_apple"]["expected"] == "2.20"
    assert result["parts"]["d_apple"]["misconception"]["id"] == "tax_forgotten"
    assert result["parts"]["d_tax"]["status"] == "unanswered" and result["parts"]["d_tax"]["expected"] == "650"
    assert [m["id"] for m in result["misconceptions"]] == ["tax_forgotten"]
    assert "6問中1問正解" in result["feedback"]["ja"] and "1 of 6 parts correct" in result["feedback"]["en"]
    assert result["solution"] is None and result["exercise_id"] == exercise["id"]
    with db.sessions() as session:
        attempt = session.scalar(select(Attempt))
    assert attempt.id == result["attempt_id"] and attempt.time_taken_ms == 4200


def test_worked_solution_only_on_request(client, learner):
    exercise = start(client, learner, params=CANONICAL)
    url = f"/api/v1/exercises/{exercise['id']}/submissions"
    solved = client.post(url + "?solution=1", json={"answers": RIGHT}, headers=learner).get_json()
    assert solved["score"] == 1.0 and "よくできました" in solved["feedback"]["ja"]
    solution = solved["solution"]
    assert solution["forward"] and solution["backward"] and solution["explanation"]["ja"]
    assert any("715" in line for line in solution["forward"])
    bad = client.post(url + "?solution=maybe", json={"answers": RIGHT}, headers=learner)
    assert bad.status_code == 422 and bad.get_json()["field"] == "solution"


def test_guided_parts_are_answered_per_step(client, learner):
    exercise = start(client, learner, template="chain-exp-neg-square", params={"x": 1})
    assert "backprop.b" in exercise["answer_keys"] and "backprop" not in exercise["answer_keys"]
    answers = {"backprop.b": "0.368", "backprop.a": "-0.368", "backprop.x": "-0.736"}
    result = client.post(f"/api/v1/exercises/{exercise['id']}/submissions", json={"answers": answers},
                         headers=learner).get_json()
    assert result["parts"]["backprop"]["status"] == "correct"
    assert set(result["parts"]["backprop"]["steps"]) == {"b", "a", "x"}


@pytest.mark.parametrize("typed, says_ja, says_en", [
    ("七百", "使えない文字", "U+4E03"),
    ("abs(715)", "関数 abs", "abs"),  # numbers and arithmetic only: the grader does not compute for you
])
def test_unreadable_answers_are_422_and_not_stored(client, db, learner, typed, says_ja, says_en):
    exercise = start(client, learner, params=CANONICAL)
    response = client.post(f"/api/v1/exercises/{exercise['id']}/submissions",
                           json={"answers": {**RIGHT, "price": typed}}, headers=learner)
    problem = response.get_json()
    assert response.status_code == 422 and problem["code"] == "unreadable_answer"
    error = problem["errors"][0]
    assert problem["field"] == "answers.price" and error["caret"].startswith(typed)
    assert says_ja in error["message_ja"] and says_en in error["message_en"]
    assert attempts(db) == 0


def test_unknown_answer_keys_are_refused_not_graded_as_blank(client, db, learner):
    exercise = start(client, learner, params=CANONICAL)
    response = client.post(f"/api/v1/exercises/{exercise['id']}/submissions",
                           json={"answers": {"prize": "715"}}, headers=learner)
    problem = response.get_json()
    assert (response.status_code, problem["code"], problem["field"]) == (422, "unknown_answer_key", "answers.prize")
    assert "price" in problem["detail"] and attempts(db) == 0


def test_answer_length_and_count_limits(client, db, learner):
    exercise = start(client, learner, params=CANONICAL)
    url = f"/api/v1/exercises/{exercise['id']}/submissions"
    long = client.post(url, json={"answers": {"price": "1" * 501}}, headers=learner)
    assert long.status_code == 422 and long.get_json()["code"] == "answer_too_long"
    assert long.get_json()["field"] == "answers.price" and "500" in long.get_json()["detail"]
    assert client.post(url, json={"answers": {"price": " " * 497 + "715"}}, headers=learner).status_code == 201
    many = client.post(url, json={"answers": {f"k{i}": "1" for i in range(101)}}, headers=learner)
    assert many.status_code == 422 and many.get_json()["field"] == "answers"
    assert attempts(db) == 1


def test_progress_follows_the_submissions(client, learner):
    empty = client.get("/api/v1/me/progress", headers=learner).get_json()
    assert empty["families"] == [] and empty["attempts"] == 0 and empty["user"]["token_scope"] == "learner"
    exercise = start(client, learner, params=CANONICAL)
    client.post(f"/api/v1/exercises/{exercise['id']}/submissions", json={"answers": {"price": "1"}}, headers=learner)
    progress = client.get("/api/v1/me/progress", headers=learner).get_json()
    shopping = progress["families"][0]
    assert (shopping["family"], shopping["attempts"], shopping["correct"]) == ("shopping", 1, 0)
    assert shopping["name"]["ja"] == "買い物の計算グラフ" and progress["attempts"] == 1
    assert shopping["next_review_at"] > shopping["last_attempt_at"]


def test_a_part_that_allows_functions_says_so_and_accepts_them(client, learner, instructor):
    source = SOURCE.replace("slug: my-mul", "slug: my-fn").replace(
        "{id: dx, kind: gradient, wrt: x, precision: {decimals: 0}}",
        "{id: dx, kind: gradient, wrt: x, precision: {decimals: 0}, functions: true}")
    publish(client, instructor, "my-fn", source)
    exercise = start(client, learner, template="my-fn", params={"x": 3, "y": 4})
    dx = next(p for p in exercise["parts"] if p["id"] == "dx")
    assert dx["functions"] is True and not exercise["parts"][0].get("functions")
    result = client.post(f"/api/v1/exercises/{exercise['id']}/submissions",
                         json={"answers": {"z": "12", "dx": "abs(4)"}}, headers=learner).get_json()
    assert result["parts"]["dx"]["status"] == "correct"


def test_a_locked_database_is_a_503_problem_with_retry_after(client, db, learner, monkeypatch):
    exercise = start(client, learner, params=CANONICAL)

    def locked(*args, **kwargs):
        raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(exercises_routes, "submit_loaded", locked)
    response = client.post(f"/api/v1/exercises/{exercise['id']}/submissions", json={"answers": RIGHT},
                           headers={**learner, "Idempotency-Key": "k-503"})
    problem = response.get_json()
    assert (response.status_code, problem["code"], response.headers["Retry-After"]) == (503, "service_busy", "3")
    assert response.mimetype == "application/problem+json" and attempts(db) == 0

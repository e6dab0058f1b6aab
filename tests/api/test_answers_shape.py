"""One answers shape: the same answers stored from the web form and from the API are the same
JSON, guided steps flat as "part.step" in both."""
from __future__ import annotations

from sqlalchemy import select

from exercises import generate
from exercises.grading import reference_answers
from quizapp.models import Attempt
from tests.web.exercise_helpers import answer, start

GUIDED = "chain-exp-neg-square"


def _answers_of(db, user_id: int) -> dict:
    with db.sessions() as session:
        return session.scalars(select(Attempt).where(Attempt.user_id == user_id)).one().answers


def test_web_and_api_store_the_same_json_for_the_same_answers(client, db, make_user, auth, token_for):
    typed = reference_answers(generate(GUIDED, seed=4))
    steps = [k for k in typed if "." in k]
    assert steps, "the template must have a guided part"
    typed[steps[0]] = "0.25"  # one wrong step, so the attempt is not all right

    headers = token_for("learner")
    made = client.post("/api/v1/exercises", json={"template": GUIDED, "seed": 4}, headers=headers).get_json()
    sent = client.post(f"/api/v1/exercises/{made['id']}/submissions", json={"answers": typed}, headers=headers)
    assert sent.status_code == 201

    learner = make_user(email="web@example.com")
    auth.login(email="web@example.com")
    assert answer(client, start(db, learner.id, slug=GUIDED, seed=4), typed).status_code == 302

    api_user = next(a.user_id for a in _all(db) if a.user_id != learner.id)
    assert _answers_of(db, learner.id) == _answers_of(db, api_user) == typed


def _all(db):
    with db.sessions() as session:
        return list(session.scalars(select(Attempt)))

"""Idempotency-Key: a retried submission returns the first result and stores nothing twice,
also when the copies arrive at the same moment."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from quizapp.models import Attempt, Progress
from tests.api.conftest import CANONICAL, RIGHT, start


def counts(db) -> tuple[int, int]:
    with db.sessions() as session:
        attempts = session.scalar(select(func.count()).select_from(Attempt))
        progress = session.scalar(select(func.coalesce(func.sum(Progress.attempts), 0)))
    return attempts, progress


@pytest.fixture
def exercise(client, learner):
    return start(client, learner, params=CANONICAL)


def submit(client, headers, exercise_id, answers, key=None, query=""):
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(f"/api/v1/exercises/{exercise_id}/submissions{query}", json={"answers": answers},
                       headers={**headers, **extra})


def test_retry_returns_the_first_result_byte_for_byte_and_stores_once(client, db, learner, exercise):
    first = submit(client, learner, exercise["id"], RIGHT, key="retry-1")
    again = submit(client, learner, exercise["id"], RIGHT, key="retry-1")
    assert first.status_code == again.status_code == 201
    assert again.data == first.data
    assert "Idempotent-Replayed" not in first.headers and again.headers["Idempotent-Replayed"] == "true"
    assert counts(db) == (1, 1)


def test_without_a_key_every_submission_is_an_attempt(client, db, learner, exercise):
    submit(client, learner, exercise["id"], RIGHT)
    submit(client, learner, exercise["id"], RIGHT)
    assert counts(db) == (2, 2)


def test_a_key_reused_for_other_answers_or_another_exercise_is_refused(client, db, learner, exercise):
    submit(client, learner, exercise["id"], RIGHT, key="k")
    other_answers = submit(client, learner, exercise["id"], {"price": "1"}, key="k")
    assert other_answers.status_code == 422 and other_answers.get_json()["code"] == "idempotency_key_reused"
    second = start(client, learner, params=CANONICAL)
    other_exercise = submit(client, learner, second["id"], RIGHT, key="k")
    assert other_exercise.get_json()["code"] == "idempotency_key_reused"
    assert counts(db) == (1, 1)


def test_keys_belong_to_their_user(client, db, token_for):
    alice, bob = token_for("learner"), token_for("learner")
    for who in (alice, bob):
        exercise = start(client, who, params=CANONICAL)
        assert submit(client, who, exercise["id"], RIGHT, key="same-key").status_code == 201
    assert counts(db) == (2, 2)


@pytest.mark.parametrize("key", ["", "has space", "x" * 101, "ключ"])
def test_malformed_keys_are_400(client, db, learner, exercise, key):
    response = client.post(f"/api/v1/exercises/{exercise['id']}/submissions", json={"answers": RIGHT},
                           headers={**learner, "Idempotency-Key": key.encode("utf-8").decode("latin-1")})
    assert response.status_code == 400 and response.get_json()["code"] == "invalid_idempotency_key"
    assert counts(db) == (0, 0)


def test_same_key_from_eight_threads_at_once_stores_one_attempt(app, db, learner, exercise):
    barrier, responses, errors = threading.Barrier(8), [], []

    def send():
        client = app.test_client()
        barrier.wait()
        try:
            responses.append(submit(client, learner, exercise["id"], RIGHT, key="race", query="?solution=1"))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {r.status_code for r in responses} == {201}
    assert len({r.data for r in responses}) == 1  # every copy got the same body
    assert sum(1 for r in responses if "Idempotent-Replayed" not in r.headers) <= 1
    assert counts(db) == (1, 1)

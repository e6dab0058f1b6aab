"""POST /exercises and the framework preference: params naming only the framework draw the
rest; without params the token owner's setting is used (PyTorch by default)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from exercises import generate
from quizapp.models import ExerciseInstance, User
from quizapp.services.learner_settings import set_framework
from tests.api.conftest import SHOP, start

FW = "framework-autograd-code"
TF = {"framework": "tensorflow"}


def owner_prefers(db, email: str, framework: str) -> None:
    with db.write() as session:
        set_framework(session, session.scalar(select(User.id).where(User.email == email)), framework)


def test_the_framework_alone_draws_the_rest(client, learner, db):
    drawn = [start(client, learner, template=FW, seed=seed, params=TF) for seed in range(6)]
    for seed, ex in enumerate(drawn):
        assert ex["params"]["framework"] == "tensorflow" and set(ex["params"]) == {"framework", "case", "x", "k"}
        assert "tf.GradientTape" in ex["prompt"]["en"] and "torch" not in ex["prompt"]["en"]
        reference = generate(FW, seed=seed, params=TF)
        assert ex["params"] == reference.params and ex["prompt"] == reference.statement
        again = client.get(f"/api/v1/exercises/{ex['id']}", headers=learner).get_json()
        assert again["params"] == ex["params"] and again["prompt"] == ex["prompt"]
    assert len({(ex["params"]["case"], ex["params"]["x"], ex["params"]["k"]) for ex in drawn}) > 1
    with db.sessions() as session:
        assert session.get(ExerciseInstance, drawn[0]["id"]).params == TF


def test_the_same_seed_and_framework_give_the_same_exercise(client, learner):
    first, second = (start(client, learner, template=FW, seed=9, params=TF) for _ in range(2))
    assert first["id"] != second["id"]
    assert {k: v for k, v in first.items() if k not in ("id", "created_at")} == \
        {k: v for k, v in second.items() if k not in ("id", "created_at")}


@pytest.mark.parametrize("bad", ["jax", "", "TensorFlow", 3])
def test_a_bad_framework_is_invalid_params(client, learner, bad):
    response = client.post("/api/v1/exercises", json={"template": FW, "seed": 1, "params": {"framework": bad}},
                           headers=learner)
    assert response.status_code == 422, response.get_data(as_text=True)
    problem = response.get_json()
    assert problem["code"] == "invalid_params" and problem["field"] == "params.framework"


def test_a_template_without_preferences_reads_it_as_an_explicit_param(client, learner):
    response = client.post("/api/v1/exercises", json={"template": SHOP, "params": TF}, headers=learner)
    assert response.status_code == 422 and response.get_json()["code"] == "invalid_params"


def test_without_params_the_token_owners_framework_is_used(client, token_for, db):
    headers = token_for("learner", email="owner@example.com")
    for seed in range(4):
        ex = start(client, headers, template=FW, seed=seed)
        assert ex["params"]["framework"] == "pytorch" and "import torch" in ex["prompt"]["en"]
        assert ex["params"] == generate(FW, seed=seed, params={"framework": "pytorch"}).params
    owner_prefers(db, "owner@example.com", "tensorflow")
    for seed in range(4):
        ex = start(client, headers, template=FW, seed=seed)
        assert ex["params"]["framework"] == "tensorflow" and "tf.GradientTape" in ex["prompt"]["en"]
        assert ex["params"] == generate(FW, seed=seed, params=TF).params
    explicit = start(client, headers, template=FW, seed=0, params={"framework": "pytorch"})
    assert explicit["params"]["framework"] == "pytorch"  # params win over the setting
    other = start(client, token_for("learner", email="other@example.com"), template=FW, seed=0)
    assert other["params"]["framework"] == "pytorch"  # another owner, another setting


def test_grading_the_reported_params_names_the_same_exercise(client, learner):
    ex = start(client, learner, template=FW, seed=5, params=TF)
    reference = generate(FW, seed=5, params=TF)
    key, value = next(iter(reference.answers.items()))
    answer = str(value) if key == "outcome" else repr(value)
    body = {"items": [{"template": FW, "seed": ex["seed"], "params": ex["params"], "answers": {key: answer}}]}
    graded = client.post("/api/v1/grade", json=body, headers=learner).get_json()
    assert graded["items"][0]["ok"] and graded["items"][0]["result"]["score"] == 1.0

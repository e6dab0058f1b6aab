"""POST /grade: stateless batch grading."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exercises import generate, grade
from quizapp.models import Attempt, ExerciseInstance
from tests.api.conftest import CANONICAL, RIGHT, SHOP


def post(client, headers, items):
    return client.post("/api/v1/grade", json={"items": items}, headers=headers)


def test_batch_grades_by_seed_and_by_params_and_stores_nothing(client, db, learner):
    seeded = generate(SHOP, seed=9)
    right_for_seed = {p.id: f"{seeded.answers[p.id]:.10g}" for p in seeded.parts}
    response = post(client, learner, [
        {"template": SHOP, "params": CANONICAL, "answers": RIGHT},
        {"template": SHOP, "seed": 9, "answers": right_for_seed},
        {"template": SHOP, "params": CANONICAL, "answers": {"price": "715", "d_apple": "2"}},
    ])
    assert response.status_code == 200
    body = response.get_json()
    scores = [item["result"]["score"] for item in body["items"]]
    assert scores[0] == 1.0 and scores[1] == 1.0 and scores[2] == pytest.approx(1 / 6, rel=1e-5)
    assert body["items"][1]["seed"] == 9 and body["items"][0]["seed"] == 0
    assert body["items"][2]["result"]["misconceptions"][0]["id"] == "tax_forgotten"
    assert body["summary"] == {"items": 3, "graded": 3, "failed": 0, "mean_score": pytest.approx((2 + 1 / 6) / 3)}
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Attempt)) == 0
        assert session.scalar(select(func.count()).select_from(ExerciseInstance)) == 0


def test_batch_grading_equals_the_library(client, learner):
    items = [{"template": SHOP, "seed": s, "answers": {"price": "715", "d_tax": "650"}} for s in range(5)]
    body = post(client, learner, items).get_json()
    for item, graded in zip(items, body["items"], strict=True):
        expected = grade(generate(SHOP, seed=item["seed"]), item["answers"])
        assert graded["result"]["score"] == expected.score
        assert {k: v["status"] for k, v in graded["result"]["parts"].items()} == \
            {k: v.status for k, v in expected.parts.items()}


def test_one_bad_item_does_not_sink_the_batch(client, learner):
    body = post(client, learner, [
        {"template": "no-such-template", "seed": 1, "answers": {}},
        {"template": SHOP, "params": {"apple": 1}, "answers": {}},
        {"template": SHOP, "params": CANONICAL, "answers": {"price": "七百"}},
        {"template": SHOP, "params": CANONICAL, "answers": {"prize": "715"}},
        {"template": SHOP, "params": CANONICAL, "answers": RIGHT},
    ]).get_json()
    errors = [(i["ok"], i["error"] and i["error"]["code"], i["error"] and i["error"]["field"]) for i in body["items"]]
    assert errors == [
        (False, "unknown_template", "items[0].template"),
        (False, "invalid_params", "items[1].params"),
        (False, "unreadable_answer", "items[2].answers.price"),
        (False, "unknown_answer_key", "items[3].answers.prize"),
        (True, None, None),
    ]
    assert body["items"][2]["result"]["valid"] is False  # the readable parts are still graded
    assert body["summary"] == {"items": 5, "graded": 1, "failed": 4, "mean_score": 1.0}


def test_english_item_errors(client, learner):
    body = client.post("/api/v1/grade", json={"items": [{"template": "no-such-template", "seed": 1, "answers": {}}]},
                       headers={**learner, "Accept-Language": "en-US,en;q=0.9"}).get_json()
    assert body["items"][0]["error"]["detail"] == "no template named 'no-such-template'"


@pytest.mark.parametrize(("items", "code", "field"), [
    ([], "validation_error", "items"),
    ([{"template": SHOP, "seed": 1, "answers": {}}] * 201, "too_many_items", "items"),
    ([{"template": SHOP, "answers": {}}], "validation_error", "items[0]"),
    ([{"template": SHOP, "seed": 1, "answers": {"price": "9" * 501}}], "answer_too_long", "items[0].answers.price"),
    ([{"template": SHOP, "seed": 1}], "validation_error", "items[0].answers"),
])
def test_batch_limits_and_shape(client, learner, items, code, field):
    response = post(client, learner, items)
    problem = response.get_json()
    assert (response.status_code, problem["code"], problem["field"]) == (422, code, field)


def test_two_hundred_items_are_fine(client, learner):
    items = [{"template": SHOP, "seed": i % 7, "answers": {"price": "1"}} for i in range(200)]
    body = post(client, learner, items).get_json()
    assert body["summary"]["graded"] == 200


def test_generated_instances_are_cached_by_template_version_seed_and_params(client, cache, learner):
    lru = cache.instances  # the app's own: empty in a new app
    items = [{"template": SHOP, "seed": 1, "answers": {}}, {"template": SHOP, "seed": 1, "answers": {}},
             {"template": SHOP, "params": CANONICAL, "answers": {}}, {"template": SHOP, "seed": 2, "answers": {}}]
    post(client, learner, items)
    assert (lru.hits, lru.misses) == (1, 3)
    post(client, learner, items)
    assert (lru.hits, lru.misses) == (5, 3)

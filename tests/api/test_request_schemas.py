"""The request schemas say what the server accepts: for each body below, the document's
schema and the server give the same verdict (a 422 ``validation_error`` exactly when the body
does not conform), and the patterns and bounds the document states hold for every built-in
template and generator."""
from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from exercises.generation import generate_from
from exercises.registry import catalog
from quizapp.api import routes  # noqa: F401  (registers the operations)
from quizapp.api.openapi import document
from quizapp.api.schemas.common import ANSWER_KEY_PATTERN, MAX_SEED, PARAM_NAME_PATTERN
from tests.api.conftest import CANONICAL, SHOP, start

BIG = 10**400  # an integer JSON may carry and no float holds


def conforms(model: str, body: dict) -> bool:
    doc = document()
    registry = Registry().with_resource("urn:doc", Resource.from_contents(doc, default_specification=DRAFT202012))
    schema = {"$ref": f"urn:doc#/components/schemas/{model}"}
    return Draft202012Validator(schema, registry=registry).is_valid(body)


def sources():
    found = catalog()
    return list(found.values()) if isinstance(found, dict) else list(found)


EXERCISE_BODIES = [
    ({"template": SHOP, "seed": 374.0}, True),  # a JSON Schema integer (2020-12: no fractional part)
    ({"template": SHOP, "seed": 374}, True),
    ({"template": SHOP, "seed": None}, True),  # null: a random seed
    ({"template": SHOP}, True),
    ({"template": SHOP, "seed": MAX_SEED}, True),
    ({"template": SHOP, "seed": MAX_SEED + 1}, False),
    ({"template": SHOP, "seed": 374.5}, False),
    ({"template": SHOP, "seed": -1}, False),
    ({"template": SHOP, "seed": "5"}, False),
    ({"template": SHOP, "seed": True}, False),
    ({"template": SHOP, "params": CANONICAL}, True),
    ({"template": SHOP, "params": {**CANONICAL, "apple": 100.0}}, True),
    ({"template": SHOP, "params": None}, True),
    ({"template": SHOP, "params": {**CANONICAL, "apple": BIG}}, False),
    ({"template": SHOP, "params": {**CANONICAL, "apple": 1e13}}, False),
    ({"template": SHOP, "params": {**CANONICAL, "apple": True}}, False),
    ({"template": SHOP, "params": {**CANONICAL, "apple": {"v": 1}}}, False),
    ({"template": SHOP, "params": {**CANONICAL, "apple": [[[1]]]}}, False),
    ({"template": SHOP, "params": {**CANONICAL, "apple": "x" * 33}}, False),
    ({"template": SHOP, "params": {**CANONICAL, "1apple": 100}}, False),
    ({"template": SHOP, "params": {**CANONICAL, "app-le": 100}}, False),
]


@pytest.mark.parametrize(("body", "valid"), EXERCISE_BODIES)
def test_exercise_bodies_the_document_refuses_are_the_ones_the_server_refuses(client, learner, body, valid):
    assert conforms("ExerciseCreate", body) is valid
    response = client.post("/api/v1/exercises", json=body, headers=learner)
    if valid:
        assert response.status_code == 201, response.get_json()
    else:
        assert response.status_code == 422 and response.get_json()["code"] == "validation_error"


def test_an_integral_float_seed_is_that_seed(client, learner):
    assert start(client, learner, seed=374.0)["seed"] == 374
    assert start(client, learner, seed=374.0)["prompt"] == start(client, learner, seed=374)["prompt"]


def test_a_null_seed_is_a_random_one_and_documented_as_such(client, learner):
    seed = document()["components"]["schemas"]["ExerciseCreate"]["properties"]["seed"]
    assert {"type": "null"} in seed["anyOf"] and "random" in seed["description"]
    assert {"type": "integer", "minimum": 0, "maximum": MAX_SEED}.items() <= seed["anyOf"][0].items()
    assert isinstance(start(client, learner, seed=None)["seed"], int)


GRADE_ITEMS = [
    ({"seed": 1}, True),
    ({"seed": 1.0}, True),
    ({"params": CANONICAL}, True),
    ({"seed": None, "params": CANONICAL}, True),  # seed 0
    ({"seed": 1, "params": None}, True),
    ({}, False),
    ({"seed": None}, False),  # a random seed would grade against an exercise nobody has seen
    ({"params": None}, False),
    ({"seed": None, "params": None}, False),
]


@pytest.mark.parametrize(("named", "valid"), GRADE_ITEMS)
def test_a_grade_item_needs_a_seed_or_params_that_is_not_null(client, learner, named, valid):
    body = {"items": [{"template": SHOP, "answers": {"price": "715"}, **named}]}
    assert conforms("GradeRequest", body) is valid
    response = client.post("/api/v1/grade", json=body, headers=learner)
    if valid:
        assert response.status_code == 200 and response.get_json()["items"][0]["ok"], response.get_json()
    else:
        assert response.status_code == 422 and response.get_json()["code"] == "validation_error"


@pytest.mark.parametrize(("answers", "valid"), [
    ({"price": "715"}, True),
    ({"price": "715", "d_tax": "650"}, True),
    ({"nosuchpart": "1"}, True),  # well-formed: refused as unknown_answer_key, which depends on the exercise
    ({"Price": "715"}, False),
    ({"price.": "1"}, False),
    ({"a.b.c": "1"}, False),
    ({"\r\u00fe@": "1"}, False),
    ({"p" * 33: "1"}, False),
])
def test_answer_keys_follow_the_documented_pattern(client, learner, answers, valid):
    exercise = start(client, learner, seed=1)
    body = {"answers": answers, "time_taken_ms": 1500.0}
    assert conforms("SubmissionCreate", body) is valid
    response = client.post(f"/api/v1/exercises/{exercise['id']}/submissions", json=body, headers=learner)
    if not valid:
        assert response.status_code == 422 and response.get_json()["code"] == "validation_error"
    elif "nosuchpart" in answers:
        assert response.status_code == 422 and response.get_json()["code"] == "unknown_answer_key"
    else:
        assert response.status_code == 201, response.get_json()


def test_the_idempotency_key_pattern_is_the_servers(client, learner):
    exercise = start(client, learner, seed=1)
    [param] = [p for p in document()["paths"]["/exercises/{exercise_id}/submissions"]["post"]["parameters"]
               if p["name"] == "Idempotency-Key"]
    pattern = re.compile(param["schema"]["pattern"])
    url = f"/api/v1/exercises/{exercise['id']}/submissions"
    for key in ("k" * 96, "k" * 97):
        response = client.post(url, json={"answers": {"price": "715"}}, headers={**learner, "Idempotency-Key": key})
        assert (response.status_code == 201) is bool(pattern.match(key)), (len(key), response.get_json())


@pytest.mark.parametrize("source", sources(), ids=lambda s: s.slug)
def test_built_in_keys_and_params_fit_the_documented_patterns(source):
    """Every answer key and parameter of the built-ins matches what the document allows, so
    the patterns never refuse a key or a parameter some exercise takes."""
    for seed in range(8):
        exercise = generate_from(source, seed=seed)
        for key in exercise.answer_keys():
            assert re.match(ANSWER_KEY_PATTERN, key), key
        assert conforms("ExerciseCreate", {"template": source.slug, "params": exercise.params}), exercise.params
        for name in exercise.params:
            assert re.match(PARAM_NAME_PATTERN, name), name

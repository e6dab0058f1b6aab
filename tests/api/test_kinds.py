"""The array kinds (vector, matrix, shape) end to end: an instructor's template over the API,
a learner's exercise and submission over the API, and the same exercise on the web form."""
from pathlib import Path

import pytest
from sqlalchemy import select

from exercises.kinds import KINDS
from quizapp.models import User
from tests.api.conftest import start
from tests.web.exercise_helpers import answer, text_of
from tests.web.exercise_helpers import start as web_start

KIND_TEMPLATES = Path(__file__).parents[1] / "exercises" / "kind_templates"
SOURCE = (KIND_TEMPLATES / "kinds-affine-shapes.yaml").read_text()
PARAMS = {"x1": 2, "x2": -0.5, "w1": 2, "w2": -1, "b": 2, "n": 50, "d": 10}
RIGHT = {"forward": "4, 0.5, 6.5", "dw": "[26, -6.5]", "jac": "[[26, -6.5], [26, -13]]", "xshape": "(50, 10)"}


def publish(client, instructor, slug: str, source: str) -> str:
    """Create the template over the API and publish it (a draft first is published by PUT)."""
    response = client.post("/api/v1/templates", json={"source": source, "publish": True}, headers=instructor)
    if response.status_code == 201 and response.get_json()["status"] != "published":
        response = client.put(f"/api/v1/templates/{slug}", json={"source": source, "publish": True},
                              headers=instructor)
    assert response.status_code in (200, 201), response.get_data(as_text=True)
    return slug


@pytest.fixture
def published(client, instructor):
    return publish(client, instructor, "kinds-affine-shapes", SOURCE)


def test_the_api_hands_out_shapes_and_answer_keys(client, learner, published):
    exercise = start(client, learner, template=published, params=PARAMS)
    assert exercise["answer_keys"] == ["forward", "dw", "jac", "xshape"]
    shapes = {p["id"]: p.get("shape") for p in exercise["parts"]}
    assert shapes == {"forward": [3], "dw": [2], "jac": [2, 2], "xshape": None}
    result = client.post(f"/api/v1/exercises/{exercise['id']}/submissions", json={"answers": RIGHT},
                         headers=learner).get_json()
    assert result["score"] == 1.0


def test_a_wrong_shape_over_the_api_is_an_invalid_answer(client, learner, published):
    exercise = start(client, learner, template=published, params=PARAMS)
    response = client.post(f"/api/v1/exercises/{exercise['id']}/submissions",
                           json={"answers": {**RIGHT, "jac": "1, 2, 3"}}, headers=learner)
    body = response.get_json()
    text = str(body)
    assert "2x2" in text and "2 行 2 列" in text, body


def test_the_schema_lists_every_kind_with_its_answer_text(client):
    part = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Part"]
    kind = part["properties"]["kind"]
    assert kind["enum"] == list(KINDS)
    assert all(k.description["en"] in kind["description"] for k in KINDS.values())
    assert "shape" in part["properties"]


def test_the_web_form_uses_the_kinds_partials(client, db, learner, published, auth):
    with db.sessions() as session:
        user = session.scalars(select(User).where(User.role == "learner")).first()
    auth.login(email=user.email)
    instance_id = web_start(db, user.id, published, params=PARAMS)
    page = text_of(client.get(f"/exercises/{instance_id}"))
    assert 'name="jac"' in page and "[[1, 2], [3, 4]]" in page and "(50, 10)" in page
    wrong_shape = answer(client, instance_id, {**RIGHT, "forward": "4, 0.5"})
    assert wrong_shape.status_code == 422
    assert "要素が 3 個のベクトルを入力してください" in text_of(wrong_shape)
    done = answer(client, instance_id, RIGHT)
    assert done.status_code in (302, 303)
    result_page = text_of(client.get(done.headers["Location"]))
    assert "status-correct" in result_page
    # The matrix's right answer is shown row under row, not as one bracketed line.
    assert r"\begin{pmatrix}26 &amp; -6.5 \\ 26 &amp; -13\end{pmatrix}" in result_page


CODE = (KIND_TEMPLATES / "kinds-mul-layer-code.yaml").read_text()


def test_a_code_part_over_the_api_and_the_web_form(client, db, instructor, learner, auth):
    publish(client, instructor, "kinds-mul-layer-code", CODE)
    exercise = start(client, learner, template="kinds-mul-layer-code", seed=2)
    assert exercise["answer_keys"] == ["dx_line", "dy_line"]
    result = client.post(f"/api/v1/exercises/{exercise['id']}/submissions",
                         json={"answers": {"dx_line": "dx=self.y*dout", "dy_line": "1"}}, headers=learner).get_json()
    assert result["score"] == 1.0
    with db.sessions() as session:
        user = session.scalars(select(User).where(User.role == "learner")).first()
    auth.login(email=user.email)
    instance_id = web_start(db, user.id, "kinds-mul-layer-code", seed=2)
    page = text_of(client.get(f"/exercises/{instance_id}"))
    assert '<span class="choice-label"><code>dy = dout * self.x</code></span>' in page
    assert 'name="dx_line"' in page and page.count('type="radio"') == 3
    done = answer(client, instance_id, {"dx_line": "dx = dout * self.x", "dy_line": "1"})
    assert done.status_code in (302, 303)
    result_page = text_of(client.get(done.headers["Location"]))
    assert "dx = dout * self.y" in result_page  # the right line is shown


GD = (KIND_TEMPLATES / "kinds-gd-iterates.yaml").read_text()


def test_ordered_iterates_over_the_api_and_the_web_form(client, db, instructor, learner, auth):
    publish(client, instructor, "kinds-gd-iterates", GD)
    params = {"w": 0, "x": 2, "t": 2, "lr": 0.1}
    exercise = start(client, learner, template="kinds-gd-iterates", params=params)
    assert exercise["parts"][0]["shape"] == [3] and exercise["answer_keys"] == ["iterates"]
    result = client.post(f"/api/v1/exercises/{exercise['id']}/submissions",
                         json={"answers": {"iterates": "0.8, 0.9, 0.98"}}, headers=learner).get_json()
    assert result["score"] == pytest.approx(2 / 3, abs=1e-6)
    assert result["parts"]["iterates"]["steps"]["3"]["status"] == "correct"
    with db.sessions() as session:
        user = session.scalars(select(User).where(User.role == "learner")).first()
    auth.login(email=user.email)
    instance_id = web_start(db, user.id, "kinds-gd-iterates", params=params)
    page = text_of(client.get(f"/exercises/{instance_id}"))
    assert 'name="iterates"' in page and "0.9, 0.81, 0.729" in page
    done = answer(client, instance_id, {"iterates": "0.8, 0.96, 0.992"})
    assert done.status_code in (302, 303)

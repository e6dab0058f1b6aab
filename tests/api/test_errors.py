"""Every error under /api/ is application/problem+json with a stable code, in the language
asked for; never an HTML page or a traceback. The HTML error pages elsewhere are unchanged."""
from __future__ import annotations

import json

import pytest

from tests.api.conftest import SHOP

PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "instance"}


def problem(response, status, code):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert PROBLEM_KEYS <= set(body) and body["status"] == status and body["code"] == code
    assert body["type"] == f"/api/v1/docs#problem-{code}"
    assert "Traceback" not in response.get_data(as_text=True) and "<html" not in response.get_data(as_text=True)
    return body


def test_400_invalid_json(client, learner):
    body = problem(client.post("/api/v1/grade", data="{not json", content_type="application/json",
                               headers=learner), 400, "invalid_json")
    assert body["detail"] == "本文を JSON として読めません"


def test_401_403_404_405(client, learner):
    problem(client.get("/api/v1/me/progress"), 401, "token_missing")
    problem(client.post("/api/v1/templates/validate", json={"source": ""}, headers=learner), 403, "insufficient_scope")
    problem(client.get("/api/v1/no/such/thing"), 404, "not_found")
    problem(client.get("/api/v2/templates"), 404, "not_found")
    problem(client.get(f"/api/v1/templates/{SHOP.upper()}"), 404, "not_found")
    body = problem(client.patch("/api/v1/templates"), 405, "method_not_allowed")
    assert body["instance"] == "/api/v1/templates"


def test_405_lists_the_allowed_methods(client):
    response = client.delete("/api/v1/grade")
    problem(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}


def test_413_body_over_64_kb_but_templates_may_be_larger(client, learner, instructor):
    big = {"items": [{"template": SHOP, "seed": 1, "answers": {"price": "1" * 400}}] * 200}
    assert len(json.dumps(big)) > 64 * 1024
    body = problem(client.post("/api/v1/grade", json=big, headers=learner), 413, "payload_too_large")
    assert body["detail"] == "送信データの上限を超えています。"
    source = "slug: big-one\n" + "# " + "x" * 100_000 + "\n"
    response = client.post("/api/v1/templates/validate", json={"source": source}, headers=instructor)
    assert response.status_code == 422 and response.get_json()["field"] == "source"  # over 64K chars
    yaml_64k = "slug: big-one\n" + "#" + "あ" * 21_000 + "\n"  # 64 KB of UTF-8, ~126 KB of JSON
    assert client.post("/api/v1/templates/validate", json={"source": yaml_64k}, headers=instructor).status_code == 200


def test_415_needs_json(client, learner):
    problem(client.post("/api/v1/grade", data="items=1", headers=learner), 415, "unsupported_media_type")
    problem(client.post("/api/v1/grade", data="{}", content_type="text/plain", headers=learner),
            415, "unsupported_media_type")


def test_422_lists_every_field(client, learner):
    body = problem(client.post("/api/v1/exercises", json={"template": 5, "seed": "x", "extra": 1}, headers=learner),
                   422, "validation_error")
    assert {e["field"]: e["code"] for e in body["errors"]} == {
        "template": "wrong_type", "seed": "wrong_type", "extra": "unknown_field"}
    assert body["field"] == "template"


def test_body_must_be_an_object(client, learner):
    body = problem(client.post("/api/v1/grade", json=[1, 2], headers=learner), 422, "validation_error")
    assert body["errors"][0]["code"] == "wrong_type"
    problem(client.post("/api/v1/grade", data="", content_type="application/json", headers=learner),
            422, "validation_error")


@pytest.mark.parametrize(("accept", "title"), [
    (None, "API トークンが必要です"), ("en", "An API token is required"),
    ("en-GB,en;q=0.8", "An API token is required"), ("fr-FR, de", "API トークンが必要です"),
    ("ja,en;q=0.5", "API トークンが必要です"),
])
def test_titles_follow_accept_language(client, accept, title):
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/api/v1/me/progress", headers=headers)
    assert response.get_json()["title"] == title
    assert response.headers["Content-Language"] == ("en" if "English" in title or "An API" in title else "ja")
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize("app_config", [{"PROPAGATE_EXCEPTIONS": False, "RATELIMIT_ENABLED": False}])
def test_500_is_a_problem_without_a_traceback(client, learner, monkeypatch):
    from quizapp.api.routes import me

    def boom(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(me, "get_session", boom)
    response = client.get("/api/v1/me/progress", headers=learner)
    body = problem(response, 500, "internal_error")
    assert "secret internals" not in response.get_data(as_text=True) and body["detail"]


@pytest.mark.parametrize("app_config", [{"PROPAGATE_EXCEPTIONS": False, "RATELIMIT_ENABLED": False}])
def test_html_pages_keep_their_html_errors(client):
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and missing.mimetype == "text/html"
    assert "ページが見つかりません" in missing.get_data(as_text=True)
    assert client.post("/").status_code == 405 and client.post("/").mimetype == "text/html"

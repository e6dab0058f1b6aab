"""Who may call what: no token, a malformed or unknown token, a revoked token, a learner
token on instructor endpoints, another learner's exercise; no cookies, no CSRF."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.models import ApiToken
from tests.api.conftest import SHOP, start

TOKEN_ENDPOINTS = [
    ("post", "/api/v1/exercises", {"template": SHOP}),
    ("get", "/api/v1/exercises/0123456789abcdef0123456789abcdef", None),
    ("post", "/api/v1/exercises/0123456789abcdef0123456789abcdef/submissions", {"answers": {}}),
    ("post", "/api/v1/grade", {"items": [{"template": SHOP, "seed": 1, "answers": {}}]}),
    ("get", "/api/v1/me/progress", None),
    ("post", "/api/v1/templates", {"source": "x"}),
    ("put", f"/api/v1/templates/{SHOP}", {"source": "x"}),
    ("post", "/api/v1/templates/validate", {"source": "x"}),
]
INSTRUCTOR_ENDPOINTS = TOKEN_ENDPOINTS[-3:]
PUBLIC_ENDPOINTS = ["/api/v1/templates", f"/api/v1/templates/{SHOP}", "/api/v1/openapi.json", "/api/v1/docs"]


def call(client, method, path, body, headers=None):
    return getattr(client, method)(path, json=body, headers=headers or {})


@pytest.mark.parametrize(("method", "path", "body"), TOKEN_ENDPOINTS)
def test_no_token_is_401_with_a_bearer_challenge(client, method, path, body):
    response = call(client, method, path, body)
    assert response.status_code == 401 and response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "token_missing"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("header", ["Bearer eqz_nope", "Bearer ", "Basic dXNlcjpwYXNz", "eqz_only", "Bearer x y"])
def test_malformed_or_unknown_tokens_are_401(client, header):
    response = client.get("/api/v1/me/progress", headers={"Authorization": header})
    assert response.status_code == 401 and response.get_json()["code"] == "token_invalid"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize(("method", "path", "body"), TOKEN_ENDPOINTS)
def test_revoked_token_is_401_everywhere(client, db, learner, method, path, body):
    with db.write() as session:
        session.scalar(select(ApiToken)).revoked_at = ApiToken.created_at
    response = call(client, method, path, body, learner)
    assert response.status_code == 401 and response.get_json()["code"] == "token_revoked"


@pytest.mark.parametrize(("method", "path", "body"), INSTRUCTOR_ENDPOINTS)
def test_learner_token_on_instructor_endpoints_is_403(client, learner, method, path, body):
    response = call(client, method, path, body, learner)
    assert response.status_code == 403 and response.get_json()["code"] == "insufficient_scope"
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


def test_learner_scope_token_of_an_instructor_is_still_only_a_learner(client, token_for):
    headers = token_for("instructor", scope="learner")
    response = client.post("/api/v1/templates/validate", json={"source": "x"}, headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize("path", PUBLIC_ENDPOINTS)
def test_public_endpoints_need_no_token(client, path):
    assert client.get(path).status_code == 200


def test_instructor_sees_the_source_of_a_template_others_do_not(client, learner, instructor):
    assert client.get(f"/api/v1/templates/{SHOP}").get_json()["source"] is None
    assert client.get(f"/api/v1/templates/{SHOP}", headers=learner).get_json()["source"] is None
    assert client.get(f"/api/v1/templates/{SHOP}", headers=instructor).get_json()["source"].startswith("slug:")


def test_another_learners_exercise_is_404_like_a_missing_one(client, token_for):
    alice, bob = token_for("learner"), token_for("learner")
    exercise = start(client, alice, seed=3)
    for path in (f"/api/v1/exercises/{exercise['id']}", "/api/v1/exercises/ffffffffffffffffffffffffffffffff"):
        assert client.get(path, headers=bob).get_json()["code"] == "exercise_not_found"
        sub = client.post(path + "/submissions", json={"answers": {"price": "1"}}, headers=bob)
        assert sub.status_code == 404 and sub.get_json()["code"] == "exercise_not_found"
    assert client.get(f"/api/v1/exercises/{exercise['id']}", headers=alice).status_code == 200


def test_api_sets_no_cookie_and_ignores_a_browser_session(client, auth, make_user):
    make_user()
    auth.login()  # the client now holds a logged-in session cookie
    response = client.get("/api/v1/me/progress")
    assert response.status_code == 401  # a cookie is not a credential for the API
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False}])
def test_api_posts_need_no_csrf_token_while_forms_do(client, learner):
    assert client.post("/api/v1/exercises", json={"template": SHOP, "seed": 1}, headers=learner).status_code == 201
    assert client.post("/logout").status_code == 400  # the web forms are still protected
    assert client.delete("/api/v1/templates").status_code == 405  # not turned into a CSRF error
    page = client.get("/")
    assert any(c.startswith("session=") for c in page.headers.getlist("Set-Cookie"))  # pages keep sessions

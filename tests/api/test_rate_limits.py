"""Rate limits per token and per IP -> 429 problem+json with Retry-After; in memory by
default, in Redis (the real server at 127.0.0.1:6379) when RATELIMIT_STORAGE_URL is set."""
from __future__ import annotations

import uuid

import pytest

from tests.api.conftest import SHOP, make_app_like

LIMITS = {
    "public": {"ip": "3 per minute"},
    "submit": {"token": "2 per minute", "ip": "5 per minute"},
    "grade": {"token": "2 per minute", "ip": "10 per minute"},
    "account": {"token": "100 per minute"},
}


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "API_RATE_LIMITS": LIMITS}


def new_exercise(client, headers):
    return client.post("/api/v1/exercises", json={"template": SHOP, "seed": 1}, headers=headers)


def assert_limited(response):
    assert response.status_code == 429 and response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= 61  # the window is a minute (+1 s rounding)


def test_per_token_limit(client, token_for):
    alice, bob = token_for(), token_for()
    assert [new_exercise(client, alice).status_code for _ in range(2)] == [201, 201]
    assert_limited(new_exercise(client, alice))
    assert new_exercise(client, bob).status_code == 201  # bob's token has its own budget


def test_per_ip_limit_across_tokens(client, token_for):
    tokens = [token_for() for _ in range(6)]
    statuses = [new_exercise(client, headers).status_code for headers in tokens[:5]]
    assert statuses == [201] * 5
    assert_limited(new_exercise(client, tokens[5]))
    other_ip = client.post("/api/v1/exercises", json={"template": SHOP, "seed": 1}, headers=tokens[5],
                           environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other_ip.status_code == 201


def test_token_less_endpoints_are_limited_per_ip(client):
    assert [client.get("/api/v1/templates").status_code for _ in range(3)] == [200, 200, 200]
    assert_limited(client.get("/api/v1/templates"))
    assert client.get("/api/v1/templates", environ_base={"REMOTE_ADDR": "192.0.2.8"}).status_code == 200


def test_batch_grading_is_limited_per_token(client, learner):
    body = {"items": [{"template": SHOP, "seed": 1, "answers": {}}]}
    assert [client.post("/api/v1/grade", json=body, headers=learner).status_code for _ in range(2)] == [200, 200]
    assert_limited(client.post("/api/v1/grade", json=body, headers=learner))


def test_limits_in_redis_are_shared_between_processes(app, database_url, tmp_path, token_for):
    import redis

    prefix = f"quizapp-test-{uuid.uuid4().hex}"
    config = {"RATELIMIT_ENABLED": True, "API_RATE_LIMITS": LIMITS,
              "RATELIMIT_STORAGE_URL": "redis://127.0.0.1:6379/0", "RATELIMIT_KEY_PREFIX": prefix}
    server = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    first, second = make_app_like(database_url, tmp_path / "a", config), make_app_like(database_url, tmp_path / "b", config)
    try:
        headers = token_for()
        assert first.test_client().post("/api/v1/exercises", json={"template": SHOP, "seed": 1},
                                        headers=headers).status_code == 201
        assert second.test_client().post("/api/v1/exercises", json={"template": SHOP, "seed": 1},
                                         headers=headers).status_code == 201
        assert_limited(first.test_client().post("/api/v1/exercises", json={"template": SHOP, "seed": 1},
                                                headers=headers))
        assert any(prefix in key.decode() for key in server.scan_iter(f"*{prefix}*"))
    finally:
        for key in server.scan_iter(f"*{prefix}*"):
            server.delete(key)
        server.close()
        for other in (first, second):
            other.extensions["quizapp.db"].dispose()

"""Two gunicorn servers on one PostgreSQL database and one Redis behave as one service:
shared rate limits and log-in throttling, one attempt per Idempotency-Key whichever server gets
it, a session and a mock exam that move from one server to the other."""
from __future__ import annotations

import json
import os
import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import create_engine, func, select

from quizapp.models import Attempt
from tests.production.servers import app_env, csrf_token, flask, gunicorns, postgres_database

pytestmark = pytest.mark.postgres
PUBLIC_LIMIT = 12
LIMITS = {"public": {"ip": f"{PUBLIC_LIMIT} per day"}, "submit": {"token": "600 per minute"},
          "grade": {"token": "600 per minute"}, "account": {"token": "600 per minute"}}
SHOP = {"template": "shopping-apple-orange",
        "params": {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1}}
RIGHT = {"price": "715", "d_apple": "2.2", "d_apple_num": "110", "d_orange": "3.3", "d_orange_num": "165",
         "d_tax": "650"}
PASSWORD = "two servers one database"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    with postgres_database(f"test_servers_{os.getpid()}") as url:
        env = app_env(url, RATELIMIT_STORAGE_URL="redis://127.0.0.1:6379/0",
                      FLASK_RATELIMIT_KEY_PREFIX=f"two-servers-{secrets.token_hex(6)}",
                      FLASK_API_RATE_LIMITS=json.dumps(LIMITS))
        flask(env, "setup")
        flask(env, "create-admin", "--email", "api@example.com", "--password-stdin", stdin=PASSWORD + "\n")
        token = flask(env, "create-token", "--email", "api@example.com", "--name", "two", "--scope", "learner")
        with gunicorns(env, 2, tmp_path_factory.mktemp("logs")) as servers:
            yield {"urls": [server.url for server in servers], "database_url": url, "token": token.splitlines()[-1].strip()}


def _attempts(database_url: str, instance_id: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(Attempt).where(Attempt.instance_id == instance_id))
    finally:
        engine.dispose()


def _signup(session: requests.Session, url: str, email: str) -> None:
    form = {"csrf_token": csrf_token(session, url + "/signup"), "email": email, "display_name": "学習者",
            "password": PASSWORD, "password_confirm": PASSWORD}
    assert session.post(url + "/signup", data=form, timeout=20, allow_redirects=False).status_code == 302


def _login(session: requests.Session, url: str, email: str, password: str) -> requests.Response:
    form = {"csrf_token": csrf_token(session, url + "/login"), "email": email, "password": password}
    return session.post(url + "/login", data=form, timeout=20, allow_redirects=False)


def test_api_rate_limits_are_counted_once_for_both_servers(service):
    a, b = service["urls"]
    statuses = [requests.get((a, b)[i % 2] + "/api/v1/templates", timeout=10).status_code
                for i in range(PUBLIC_LIMIT)]
    assert statuses == [200] * PUBLIC_LIMIT  # six on each server: twelve in the shared window
    over = requests.get(b + "/api/v1/templates", timeout=10)
    assert over.status_code == 429 and int(over.headers["Retry-After"]) >= 1


def test_log_in_failures_on_both_servers_lock_the_account_on_both(service):
    a, b = service["urls"]
    _signup(requests.Session(), a, "throttled@example.com")
    for i in range(5):
        failed = _login(requests.Session(), (a, b)[i % 2], "throttled@example.com", "not the password")
        assert failed.status_code in (422, 429)
    locked = _login(requests.Session(), a, "throttled@example.com", PASSWORD)
    assert locked.status_code == 429 and "一時的にログインできません" in locked.text


def test_one_idempotency_key_sent_to_both_servers_stores_one_attempt(service):
    a, b = service["urls"]
    auth = {"Authorization": f"Bearer {service['token']}"}
    created = requests.post(a + "/api/v1/exercises", json=SHOP, headers=auth, timeout=20)
    assert created.status_code == 201, created.text
    exercise_id = created.json()["id"]
    headers = {**auth, "Idempotency-Key": secrets.token_hex(16)}

    def send(url):
        return requests.post(f"{url}/api/v1/exercises/{exercise_id}/submissions", json={"answers": RIGHT},
                             headers=headers, timeout=20)
    with ThreadPoolExecutor(4) as pool:
        replies = list(pool.map(send, [a, b, a, b]))
    assert [r.status_code for r in replies] == [201] * 4
    assert len({r.json()["attempt_id"] for r in replies}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in replies) == 3
    assert _attempts(service["database_url"], exercise_id) == 1


def test_a_session_and_a_mock_exam_move_between_servers(service):
    a, b = service["urls"]
    browser = requests.Session()
    _signup(browser, a, "mock@example.com")
    assert browser.get(b + "/progress", timeout=10, allow_redirects=False).status_code == 200
    started = browser.post(a + "/mock", data={"csrf_token": csrf_token(browser, a + "/mock"), "count": "3"},
                           timeout=30, allow_redirects=False)
    assert started.status_code == 302 and "/mock/" in started.headers["Location"]
    exam_path = started.headers["Location"].split("127.0.0.1", 1)[-1].split(":", 1)[-1]
    exam_path = exam_path[exam_path.index("/mock/"):]
    token = csrf_token(browser, b + exam_path)  # the exam page, served by the other server
    finished = browser.post(b + exam_path, data={"csrf_token": token}, timeout=30, allow_redirects=False)
    assert finished.status_code == 302 and finished.headers["Location"].endswith(exam_path + "/report")
    report = browser.get(a + exam_path + "/report", timeout=10)
    assert report.status_code == 200 and "模擬試験" in report.text
    again = browser.post(a + exam_path, data={"csrf_token": csrf_token(browser, a + "/mock")}, timeout=30)
    assert "すでに提出されています" in again.text  # submitted once, whichever server is asked

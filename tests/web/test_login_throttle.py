"""Five failed log-ins for one (e-mail, IP) within 15 minutes lock that pair for a while."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from quizapp.models import LoginThrottle, utcnow

LOCKED = "ログインの失敗が続いたため、一時的にログインできません。15 分ほど待ってから"


@pytest.fixture
def learner(make_user):
    return make_user(email="learner@example.com")


def _fail(auth, times, **kwargs):
    return [auth.login(password="wrong password!", **kwargs).status_code for _ in range(times)]


def test_fifth_failure_locks_even_the_right_password_out(auth, learner):
    assert _fail(auth, 5) == [422, 422, 422, 422, 429]
    response = auth.login()
    assert response.status_code == 429
    assert LOCKED in response.get_data(as_text=True)


def test_lock_is_per_ip(auth, learner):
    _fail(auth, 5, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert auth.login(environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 302


def test_unknown_emails_are_throttled_too(auth):
    assert _fail(auth, 5)[-1] == 429


def test_lock_ends_and_a_success_clears_the_count(auth, learner, db):
    _fail(auth, 5)
    past = utcnow() - timedelta(minutes=16)
    with db.write() as session:
        session.execute(update(LoginThrottle).values(window_started_at=past, locked_until=past))
    assert auth.login().status_code == 302
    with db.sessions() as session:
        assert session.scalar(select(LoginThrottle)) is None


def test_failures_outside_the_window_start_a_new_count(auth, learner, db):
    _fail(auth, 4)
    with db.write() as session:
        session.execute(update(LoginThrottle).values(window_started_at=utcnow() - timedelta(minutes=20)))
    assert _fail(auth, 1) == [422]
    with db.sessions() as session:
        assert session.scalar(select(LoginThrottle.failures)) == 1

"""Production hardening: cookies and HSTS under TLS=1, and the authentication events log."""
from __future__ import annotations

import logging

import pytest

from quizapp.config import DEFAULTS, ConfigError
from quizapp.models import User
from quizapp.services.passwords import make_hasher
from tests.conftest import PASSWORD, make_test_app


def _events(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "quizapp.auth"]


def test_without_tls_cookies_are_not_secure_and_there_is_no_hsts(client, auth):
    response = auth.signup()
    assert "Strict-Transport-Security" not in response.headers
    assert "Secure" not in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("value", ["1", True])
def test_tls_makes_cookies_secure_and_sends_hsts(database_url, tmp_path, value):
    app = make_test_app(database_url, tmp_path, TLS=value)
    try:
        response = app.test_client().get("/login", base_url="https://localhost")
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
        assert "; Secure" in response.headers["Set-Cookie"]
    finally:
        app.extensions["quizapp.db"].dispose()


def test_a_bad_tls_setting_stops_the_app(database_url, tmp_path):
    with pytest.raises(ConfigError, match="TLS"):
        make_test_app(database_url, tmp_path, TLS="maybe")


def test_sign_up_log_in_failures_and_lock_out_are_logged_without_secrets(app, client, auth, caplog):
    caplog.set_level(logging.WARNING, logger="quizapp.auth")
    auth.signup(email="Learner@Example.com")
    auth.logout()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login(email="learner@example.com", password="wrong password!!")
    auth.login(email="learner@example.com")
    events = _events(caplog)
    assert [e.split()[1] for e in events] == (["event=signup"] + ["event=login_failed"] * 4
                                              + ["event=lockout", "event=login_locked_out"])
    assert all("ip=127.0.0.1" in e for e in events)
    assert all("learner@example.com" not in e.lower() and "wrong password" not in e for e in events)
    tags = {e.split("email=")[1] for e in events if "email=" in e}
    assert len(tags) == 1 and tags.pop().startswith("sha256:")  # one account, one tag


def test_a_rejected_api_token_is_logged_with_its_reason(client, caplog):
    caplog.set_level(logging.WARNING, logger="quizapp.auth")
    response = client.get("/api/v1/me/progress", headers={"Authorization": "Bearer not-a-real-token"})
    assert response.status_code == 401
    assert any("event=token_rejected" in e and "reason=invalid" in e for e in _events(caplog))


def test_the_default_password_hash_is_owasps_argon2id_minimum():
    encoded = make_hasher(DEFAULTS["ARGON2_PROFILE"]).hash("learning backprop daily")
    assert encoded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_hash_of_another_profile_still_logs_in_and_is_rehashed(app, db, client, auth, make_user):
    user = make_user()
    old = make_hasher("RFC_9106_LOW_MEMORY").hash(PASSWORD)
    with db.write() as session:
        session.get(User, user.id).password_hash = old
    assert auth.login().status_code == 302
    with db.sessions() as session:
        now = session.get(User, user.id).password_hash
    assert now != old and app.extensions["quizapp.hasher"].verify(now, PASSWORD)
    assert not app.extensions["quizapp.hasher"].check_needs_rehash(now)

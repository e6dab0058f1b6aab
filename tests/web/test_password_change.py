"""Changing the password: checks the current one, applies the policy, ends other sessions."""
from __future__ import annotations

import pytest

NEW = "a brand new passphrase"


@pytest.fixture
def logged_in(make_user, auth):
    make_user(email="learner@example.com")
    auth.login()


def _change(client, current, new=NEW, confirm=None):
    return client.post("/account/password", data={
        "current_password": current, "new_password": new,
        "new_password_confirm": new if confirm is None else confirm,
    })


def test_password_page_needs_login(client):
    assert client.get("/account/password").headers["Location"].startswith("/login")


def test_change_then_log_in_with_the_new_password(client, auth, logged_in):
    response = _change(client, auth.password)
    assert response.status_code == 302
    assert client.get("/progress").status_code == 200  # this session continues
    auth.logout()
    assert auth.login().status_code == 422
    assert auth.login(password=NEW).status_code == 302


def test_other_sessions_end_when_the_password_changes(app, client, auth, logged_in):
    other = app.test_client()
    other.post("/login", data={"email": "learner@example.com", "password": auth.password})
    assert other.get("/progress").status_code == 200
    _change(client, auth.password)
    assert other.get("/progress").status_code == 302


def test_wrong_current_password_changes_nothing(client, auth, logged_in):
    response = _change(client, "not my password")
    assert response.status_code == 422
    assert "現在のパスワードが違います。" in response.get_data(as_text=True)
    auth.logout()
    assert auth.login().status_code == 302


@pytest.mark.parametrize(("new", "confirm", "message"), [
    ("iloveyou123", None, "このパスワードはよく使われていて推測されやすいため使えません。"),
    ("short", None, "パスワードは 10 文字以上にしてください。"),
    (NEW, "something different", "パスワードが一致しません。"),
])
def test_new_password_follows_the_policy(client, auth, logged_in, new, confirm, message):
    response = _change(client, auth.password, new, confirm)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)

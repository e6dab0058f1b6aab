"""Log-in, log-out, session hygiene and safe redirects."""
from __future__ import annotations

import pytest


@pytest.fixture
def learner(make_user):
    return make_user(email="learner@example.com")


def test_login_and_logout(client, auth, learner):
    response = auth.login()
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/progress").status_code == 200
    assert auth.logout().headers["Location"] == "/"
    assert client.get("/progress").status_code == 302


def test_email_is_matched_case_insensitively(auth, learner):
    assert auth.login(email=" Learner@EXAMPLE.com ").status_code == 302


@pytest.mark.parametrize("email", ["learner@example.com", "nobody@example.com"])
def test_wrong_password_or_unknown_email_get_the_same_answer(auth, learner, email):
    response = auth.login(email=email, password="not the password")
    assert response.status_code == 422
    assert "メールアドレスまたはパスワードが違います。" in response.get_data(as_text=True)


def test_protected_page_sends_to_login_and_back(client, auth, learner):
    response = client.get("/progress")
    assert response.headers["Location"] == "/login?next=%2Fprogress"
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "このページを見るにはログインしてください。" in login_page
    assert 'name="next" type="hidden" value="/progress"' in login_page
    response = auth.login(next="/progress")
    assert response.headers["Location"] == "/progress"


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)",
    "/\t/evil.example", "http:/evil.example",
])
def test_next_never_leaves_the_site(auth, learner, target):
    response = auth.login(next=target)
    assert response.headers["Location"] == "/"


def test_login_starts_a_fresh_session_keeping_only_the_language(client, auth, learner):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["lang"] = "en"
    auth.login()
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "en"
        assert session["_user_id"].startswith(f"{learner.id}:")


def test_session_replayed_from_another_browser_is_dropped(client, auth, learner):
    auth.login(headers={"User-Agent": "browser-a"})
    assert client.get("/progress", headers={"User-Agent": "browser-a"}).status_code == 200
    assert client.get("/progress", headers={"User-Agent": "browser-b"}).status_code == 302


def test_logout_needs_post(client, auth, learner):
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.get("/progress").status_code == 200

"""Sign-up: the happy path and every way it refuses."""
from __future__ import annotations

import sqlite3

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from quizapp.models import User


def test_signup_page_shows_the_form(client):
    page = client.get("/signup").get_data(as_text=True)
    assert "新規登録" in page
    assert 'name="email"' in page and 'autocomplete="new-password"' in page


def test_signup_creates_a_learner_and_logs_in(client, auth, db):
    response = auth.signup(email="Taro@Example.com", display_name="太郎")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "ようこそ、太郎 さん。" in client.get("/").get_data(as_text=True)
    with db.sessions() as session:
        user = session.scalar(select(User))
    assert (user.email, user.role, user.display_name) == ("taro@example.com", "learner", "太郎")
    assert user.password_hash.startswith("$argon2id$")


def test_full_width_email_is_the_same_address(auth, db):
    assert auth.signup(email="ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ").status_code == 302
    with db.sessions() as session:
        assert session.scalar(select(User.email)) == "taro@example.com"


def test_duplicate_email_is_refused(auth, client):
    auth.signup(email="taro@example.com")
    auth.logout()
    response = auth.signup(email="TARO@example.com")
    assert response.status_code == 422
    assert "このメールアドレスはすでに登録されています。" in response.get_data(as_text=True)


@pytest.mark.parametrize(("password", "message"), [
    ("short1", "パスワードは 10 文字以上にしてください。"),
    ("password123", "このパスワードはよく使われていて推測されやすいため使えません。"),
    ("QWERTYUIOP", "このパスワードはよく使われていて推測されやすいため使えません。"),
    ("aaaaaaaaaaaaaaaa", "このパスワードはよく使われていて推測されやすいため使えません。"),
    ("learner@example.com", "メールアドレスと同じパスワードは使えません。"),
])
def test_weak_passwords_are_refused_with_the_reason(auth, db, password, message):
    response = auth.signup(password=password)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with db.sessions() as session:
        assert session.scalar(select(User)) is None


def test_no_composition_rules_a_long_lowercase_phrase_is_fine(auth):
    assert auth.signup(password="ringo to mikan no kaimono").status_code == 302


@pytest.mark.parametrize(("field", "data", "message"), [
    ("email", {"email": "not-an-address"}, "メールアドレスの形式が正しくありません。"),
    ("email", {"email": ""}, "入力してください。"),
    ("display_name", {"display_name": ""}, "入力してください。"),
    ("display_name", {"display_name": "長" * 41}, "40 文字以内で入力してください。"),
    ("password_confirm", {"confirm": "something else entirely"}, "パスワードが一致しません。"),
])
def test_invalid_fields_are_marked_for_screen_readers(auth, field, data, message):
    response = auth.signup(**data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert f'id="{field}-errors"' in page
    assert 'aria-invalid="true"' in page


def test_signed_in_users_are_sent_home_from_signup(auth, client):
    auth.signup()
    assert client.get("/signup").headers["Location"] == "/"


class ProbingHasher(PasswordHasher):
    """Hashes as usual, and first tries to take the SQLite write lock from another connection:
    if the app were hashing inside its own write transaction, the lock would be held."""

    def __init__(self, path: str):
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.path, self.lock_was_free = path, []

    def hash(self, password, *, salt=None):
        other = sqlite3.connect(self.path, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.rollback()
            self.lock_was_free.append(True)
        except sqlite3.OperationalError:
            self.lock_was_free.append(False)
        finally:
            other.close()
        return super().hash(password, salt=salt)


def test_no_write_transaction_waits_on_the_password_hash(app, auth, client, db):
    if not db.url.startswith("sqlite"):
        pytest.skip("the probe takes SQLite's write lock; PostgreSQL has row locks instead")
    probe = ProbingHasher(db.url.removeprefix("sqlite:///"))
    app.extensions["quizapp.hasher"] = probe
    assert auth.signup(email="taro@example.com").status_code == 302
    changed = client.post("/account/password", data={
        "current_password": auth.password, "new_password": "another long passphrase",
        "new_password_confirm": "another long passphrase"})
    assert changed.status_code == 302
    assert len(probe.lock_was_free) == 2 and all(probe.lock_was_free), probe.lock_was_free

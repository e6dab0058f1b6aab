"""Personal API tokens: the service, the settings page and the CLI."""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.models import ApiToken, User, utcnow
from quizapp.services import tokens as svc


def _user(db, user_id):
    with db.sessions() as session:
        return session.get(User, user_id)


def test_token_is_random_shown_once_and_stored_only_as_its_sha256(db, make_user):
    user = make_user()
    with db.write() as session:
        row, secret = svc.create_token(session, session.get(User, user.id), "notebook")
    assert re.fullmatch(r"eqz_[A-Za-z0-9_-]{43}", secret)
    with db.sessions() as session:
        stored = session.get(ApiToken, row.id)
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest() and secret not in stored.token_hash
    assert stored.scope == "learner" and stored.revoked_at is None


def test_learners_cannot_make_instructor_tokens_but_instructors_and_admins_can(db, make_user):
    learner = make_user()
    teacher = make_user(email="t@example.com", role="instructor")
    admin = make_user(email="a@example.com", role="admin")
    with db.write() as session, pytest.raises(svc.TokenError) as refused:
        svc.create_token(session, session.get(User, learner.id), "x", "instructor")
    assert refused.value.code == "scope_not_allowed"
    for user in (teacher, admin):
        with db.write() as session:
            row, _ = svc.create_token(session, session.get(User, user.id), "x", "instructor")
            assert row.scope == "instructor"


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_names_must_be_given_and_short(db, make_user, name):
    user = make_user()
    with db.write() as session, pytest.raises(svc.TokenError) as refused:
        svc.create_token(session, session.get(User, user.id), name)
    assert refused.value.code == "bad_name"


def test_at_most_twenty_active_tokens(db, make_user):
    user = make_user()
    with db.write() as session:
        for i in range(svc.MAX_ACTIVE_TOKENS):
            svc.create_token(session, session.get(User, user.id), f"t{i}")
    with db.write() as session, pytest.raises(svc.TokenError) as refused:
        svc.create_token(session, session.get(User, user.id), "one more")
    assert refused.value.code == "too_many_tokens"


def test_resolve_revoked_unknown_and_demoted(db, make_user):
    teacher = make_user(role="instructor")
    with db.write() as session:
        row, secret = svc.create_token(session, session.get(User, teacher.id), "ci", "instructor")
    with db.sessions() as session:
        assert svc.resolve(session, secret).principal.scope == "instructor"
        assert svc.resolve(session, secret + "x").reason == "invalid"
        assert svc.resolve(session, "not a token").reason == "invalid"
    with db.write() as session:  # demoted: the token now acts as a learner token
        session.get(User, teacher.id).role = "learner"
    with db.sessions() as session:
        assert svc.resolve(session, secret).principal.scope == "learner"
    with db.write() as session:
        assert svc.revoke_token(session, teacher.id, row.id).revoked_at is not None
    with db.sessions() as session:
        assert svc.resolve(session, secret).reason == "revoked"


def test_last_used_is_written_at_most_every_five_minutes(client, db, learner):
    client.get("/api/v1/me/progress", headers=learner)
    with db.sessions() as session:
        first = session.scalar(select(ApiToken.last_used_at))
    client.get("/api/v1/me/progress", headers=learner)
    with db.sessions() as session:
        assert session.scalar(select(ApiToken.last_used_at)) == first
        token = session.scalar(select(ApiToken))
        assert svc.resolve(session, learner["Authorization"][7:], now=first + timedelta(minutes=5)).touch
    assert first is not None and utcnow() - first < timedelta(minutes=1) and token.name == "tests"


# --- the settings page ----------------------------------------------------------------------

def test_settings_page_needs_a_login(client):
    response = client.get("/settings/tokens")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/settings/tokens", data={"name": "x"}).status_code == 302


def test_create_on_the_page_shows_the_secret_once_and_it_works(client, auth, db, make_user):
    make_user()
    auth.login()
    page = client.post("/settings/tokens", data={"name": "授業の採点", "scope": "learner"})
    assert page.status_code == 201 and page.headers["Cache-Control"] == "no-store"
    secret = re.search(r'value="(eqz_[^"]+)"', page.get_data(as_text=True)).group(1)
    assert "Set-Cookie" not in page.headers or secret not in page.headers["Set-Cookie"]
    listing = client.get("/settings/tokens").get_data(as_text=True)
    assert "授業の採点" in listing and secret not in listing
    api = client.application.test_client()  # a fresh client: no session cookie at all
    assert api.get("/api/v1/me/progress", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_page_offers_instructor_scope_only_to_instructors(client, auth, make_user):
    make_user()
    auth.login()
    html = client.get("/settings/tokens").get_data(as_text=True)
    assert 'value="learner"' in html and 'value="instructor"' not in html
    refused = client.post("/settings/tokens", data={"name": "x", "scope": "instructor"})
    assert refused.status_code == 422 and "eqz_" not in refused.get_data(as_text=True)


def test_instructor_makes_an_instructor_token_on_the_page(client, auth, db, make_user):
    make_user(role="instructor")
    auth.login()
    assert 'value="instructor"' in client.get("/settings/tokens").get_data(as_text=True)
    assert client.post("/settings/tokens", data={"name": "ci", "scope": "instructor"}).status_code == 201
    with db.sessions() as session:
        assert session.scalar(select(ApiToken.scope)) == "instructor"


def test_revoke_on_the_page_and_not_someone_elses(client, auth, db, make_user, learner):
    make_user()
    auth.login()
    client.post("/settings/tokens", data={"name": "mine", "scope": "learner"})
    with db.sessions() as session:
        mine = session.scalar(select(ApiToken).where(ApiToken.name == "mine"))
        theirs = session.scalar(select(ApiToken).where(ApiToken.name == "tests"))
    assert client.post(f"/settings/tokens/{theirs.id}/revoke").status_code == 404
    done = client.post(f"/settings/tokens/{mine.id}/revoke", follow_redirects=True)
    assert done.status_code == 200 and "無効にしました" in done.get_data(as_text=True)
    with db.sessions() as session:
        assert session.get(ApiToken, mine.id).revoked_at is not None
        assert session.get(ApiToken, theirs.id).revoked_at is None
    assert client.application.test_client().get("/api/v1/me/progress", headers=learner).status_code == 200


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False}])
def test_settings_forms_need_the_csrf_token(client, auth, make_user):
    make_user()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": "learner@example.com", "password": auth.password, "csrf_token": csrf})
    assert client.post("/settings/tokens", data={"name": "x", "scope": "learner"}).status_code == 400
    page = client.get("/settings/tokens").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    made = client.post("/settings/tokens", data={"name": "x", "scope": "learner", "csrf_token": csrf})
    assert made.status_code == 201


# --- the CLI --------------------------------------------------------------------------------

def test_cli_create_list_and_revoke(runner, client, make_user):
    make_user(email="teacher@example.com", role="instructor")
    made = runner.invoke(args=["create-token", "--email", "teacher@example.com", "--name", "ci",
                               "--scope", "instructor"])
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("eqz_")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.post("/api/v1/templates/validate", json={"source": "x"}, headers=headers).status_code == 200
    listed = runner.invoke(args=["list-tokens", "--email", "teacher@example.com"])
    assert "\tci\tinstructor\tactive\t" in listed.output and secret not in listed.output
    revoked = runner.invoke(args=["revoke-token", "--email", "teacher@example.com", "--name", "ci"])
    assert revoked.exit_code == 0 and "revoked 1 token(s)" in revoked.output
    assert client.get("/api/v1/me/progress", headers=headers).get_json()["code"] == "token_revoked"


def test_cli_refuses_what_the_page_refuses(runner, make_user):
    make_user()
    refused = runner.invoke(args=["create-token", "--email", "learner@example.com", "--name", "x",
                                  "--scope", "instructor"])
    assert refused.exit_code != 0 and "only instructors and admins" in refused.output
    assert runner.invoke(args=["create-token", "--email", "nobody@example.com", "--name", "x"]).exit_code != 0
    both = runner.invoke(args=["revoke-token", "--email", "learner@example.com", "--name", "x", "--id", "1"])
    assert both.exit_code != 0
    none = runner.invoke(args=["revoke-token", "--email", "learner@example.com", "--id", "999"])
    assert none.exit_code != 0 and "no such active token" in none.output


def test_settings_page_in_english_has_no_japanese_left(client, auth, db, make_user):
    from tests.web.test_i18n import _japanese_left

    make_user(display_name="Learner")
    client.post("/lang/en", data={"next": "/"})
    auth.login()
    client.get("/")  # the log-in flash is shown (and gone) before the token page
    created = client.post("/settings/tokens", data={"name": "course CI", "scope": "learner"}).get_data(as_text=True)
    assert "This token is shown only now" in created and "<h1>API tokens</h1>" in created
    assert _japanese_left(created) == []
    with db.sessions() as session:
        token_id = session.scalar(select(ApiToken.id))
    client.post(f"/settings/tokens/{token_id}/revoke")
    listing = client.get("/settings/tokens").get_data(as_text=True)
    assert "Revoked (" in listing and _japanese_left(listing) == []


def test_menu_links_to_the_token_page_when_signed_in(client, auth, make_user):
    assert "/settings/tokens" not in client.get("/").get_data(as_text=True)
    make_user()
    auth.login()
    page = client.get("/settings/tokens").get_data(as_text=True)
    assert '<a href="/settings/tokens" aria-current="page">API トークン</a>' in page

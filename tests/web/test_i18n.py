"""Japanese by default, English on request; catalogs complete and compiled; Japan time."""
from __future__ import annotations

import re
from datetime import datetime, UTC
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from quizapp.i18n import tokyo_time
from quizapp.models import Progress, User

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "quizapp/translations/en/LC_MESSAGES/messages"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff01-\uff5e]")


def _switch(client, code, next_path="/"):
    return client.post(f"/lang/{code}", data={"next": next_path})


def _japanese_left(page: str) -> list[str]:
    text = page.replace("日本語", "")  # the switch names each language in itself
    return sorted(set(JAPANESE.findall(text)))


def test_japanese_is_the_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="ja">' in page and ">ホーム</a>" in page


def test_switching_to_english_changes_the_text_and_returns(client):
    response = _switch(client, "en", "/login")
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert ">Home</a>" in page and ">Study record</a>" in page and "<h1>Log in</h1>" in page
    _switch(client, "ja")
    assert '<html lang="ja">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/login", "/signup", "/no-such-page"])
def test_english_pages_have_no_japanese_left(client, path):
    _switch(client, "en")
    assert _japanese_left(client.get(path).get_data(as_text=True)) == []


def test_english_form_errors_and_flashes(client, auth):
    _switch(client, "en")
    page = auth.signup(password="password123", display_name="Taro").get_data(as_text=True)
    assert "This password is too common" in page and _japanese_left(page) == []
    auth.signup(display_name="Taro")
    assert "Your account has been created. Welcome, Taro." in client.get("/").get_data(as_text=True)


def test_signed_in_choice_is_remembered_for_the_next_log_in(app, client, auth, make_user, db):
    user = make_user()
    auth.login()
    _switch(client, "en")
    with db.sessions() as session:
        assert session.get(User, user.id).locale == "en"
    other_browser = app.test_client()
    other_browser.post("/login", data={"email": user.email, "password": auth.password})
    assert '<html lang="en">' in other_browser.get("/").get_data(as_text=True)


def test_unknown_language_and_foreign_next(client):
    assert _switch(client, "fr").status_code == 404
    assert _switch(client, "en", "https://evil.example/").headers["Location"] == "/"


def test_tokyo_filter_shows_japan_time():
    assert tokyo_time(datetime(2025, 1, 1, 15, 30, tzinfo=UTC)) == "2025-01-02 00:30"
    assert tokyo_time(datetime(2025, 1, 1, 15, 30)) == "2025-01-02 00:30"  # naive = UTC
    assert tokyo_time(None) == ""


def test_study_record_shows_times_in_japan_time(client, auth, make_user, db):
    user = make_user()
    with db.write() as session:
        session.add(Progress(user_id=user.id, family="shopping", attempts=3, correct=2,
                             mastery=0.5, last_attempt_at=datetime(2025, 3, 1, 16, 5, tzinfo=UTC)))
    auth.login()
    page = client.get("/progress").get_data(as_text=True)
    assert "2025-03-02 01:05" in page and ">50%<" in page and "shopping" in page


def _catalog(read, path: Path) -> dict:
    with path.open("rb") as file:
        return {m.id: m.string for m in read(file) if m.id}


def test_compiled_mo_matches_the_po():
    po = _catalog(read_po, CATALOG.with_suffix(".po"))
    assert po == _catalog(read_mo, CATALOG.with_suffix(".mo"))
    assert all(po.values()), "every message needs an English translation"
    with CATALOG.with_suffix(".po").open("rb") as file:
        assert not [m.id for m in read_po(file) if m.id and m.fuzzy]


def test_every_string_in_the_code_is_in_the_catalog_and_nothing_stale(tmp_path):
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(ROOT / "quizapp/translations/babel.cfg"),
        "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(pot), str(ROOT / "quizapp"),
    ])
    extracted = set(_catalog(read_po, pot))
    translated = set(_catalog(read_po, CATALOG.with_suffix(".po")))
    assert extracted - translated == set(), "untranslated: run the steps in translations/README.md"
    assert translated - extracted == set(), "stale entries in messages.po"

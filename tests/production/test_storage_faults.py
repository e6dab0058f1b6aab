"""The SQLite file held by a long writer, opened read-only, or full: a clear 503 page (or
problem+json), the learner's typed answers kept, nothing half-written, nothing silently dropped."""
from __future__ import annotations

import html
import re
import sqlite3
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from quizapp.api.routes import exercises as api_exercises
from quizapp.models import Attempt
from quizapp.services import attempts
from quizapp.services.templates import load_builtin_templates
from tests.conftest import AuthActions, make_test_app
from tests.production.traffic import RIGHT, SHOP

HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)"')


@pytest.fixture
def sqlite_app(tmp_path):
    path = tmp_path / "storage.sqlite3"
    app = make_test_app(f"sqlite:///{path}", tmp_path)
    with app.extensions["quizapp.db"].write() as session:
        load_builtin_templates(session)
    client = app.test_client()
    assert AuthActions(client).signup().status_code == 302
    started = client.get(f"/exercises/{SHOP['template']}/new")
    instance_id = started.headers["Location"].rsplit("/", 1)[-1]
    yield app, client, instance_id, path
    app.extensions["quizapp.db"].dispose()


def _post_answers(client, instance_id):
    page = client.get(f"/exercises/{instance_id}").get_data(as_text=True)
    fields = dict(HIDDEN.findall(page))
    return client.post(f"/exercises/{instance_id}", data={**fields, **RIGHT})


def _attempts(app) -> int:
    with app.extensions["quizapp.db"].sessions() as session:
        return session.scalar(select(func.count()).select_from(Attempt))


def test_a_long_writer_gives_a_503_that_keeps_the_answers_then_the_resend_stores_once(sqlite_app):
    app, client, instance_id, path = sqlite_app
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a backup or a migration holding the write lock
    try:
        busy = _post_answers(client, instance_id)  # waits the busy timeout (5 s), then gives up
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    page = busy.get_data(as_text=True)
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "3" and "<code>715</code>" in page
    assert _attempts(app) == 0
    resend = {k: html.unescape(v) for k, v in HIDDEN.findall(page)}
    assert client.post(f"/exercises/{instance_id}", data=resend).status_code == 302
    assert _attempts(app) == 1


def test_a_read_only_database_says_so_and_stores_nothing(sqlite_app, tmp_path):
    app, client, instance_id, path = sqlite_app
    readonly = make_test_app(f"sqlite:///file:{path}?mode=ro&uri=true", tmp_path)
    try:
        ro_client = readonly.test_client()
        ro_client.set_cookie("session", client.get_cookie("session").value)  # the same learner
        response = _post_answers(ro_client, instance_id)
        page = response.get_data(as_text=True)
        assert response.status_code == 503 and response.headers["Retry-After"] == "60"
        assert "データを保存できません" in page and "<code>715</code>" in page  # the answers are still there
    finally:
        readonly.extensions["quizapp.db"].dispose()
    assert _attempts(app) == 0


def _full(*args, **kwargs):
    raise OperationalError("INSERT INTO attempts", {}, sqlite3.OperationalError("database or disk is full"))


def test_a_full_disk_is_a_clear_problem_in_the_api_and_a_clear_page(sqlite_app, monkeypatch, caplog):
    app, client, instance_id, _ = sqlite_app
    monkeypatch.setattr(attempts, "submit_loaded", _full)  # SQLITE_FULL, as sqlite3 reports it
    page = _post_answers(client, instance_id)
    assert page.status_code == 503 and "ディスクの空き不足" in page.get_data(as_text=True)
    assert any(r.levelname == "ERROR" and "cannot be written" in r.getMessage() for r in caplog.records)
    token = _token(client)
    monkeypatch.setattr(api_exercises, "submit_loaded", _full)  # the API's own import of it
    api = client.post(f"/api/v1/exercises/{instance_id}/submissions", json={"answers": RIGHT},
                      headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
    assert api.status_code == 503, api.get_data(as_text=True)[:300]
    assert api.get_json()["code"] == "storage_unavailable"
    assert api.headers["Retry-After"] == "60" and "nothing was recorded" in api.get_json()["title"]
    assert _attempts(app) == 0


def _token(client) -> str:
    page = client.post("/settings/tokens", data={"name": "full disk", "scope": "learner"})
    return re.search(r'id="new-token" type="text" readonly value="([^"]+)"', page.get_data(as_text=True)).group(1)


def test_concurrent_writers_queue_instead_of_failing(sqlite_app):
    app, client, instance_id, _ = sqlite_app
    results = []

    def submit():
        with app.test_client() as other:
            other.set_cookie("session", client.get_cookie("session").value)
            results.append(_post_answers(other, instance_id).status_code)
    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [302] * 4 and _attempts(app) == 4

"""Online backups while learners submit: ``flask backup`` on SQLite (the online backup API) and
PostgreSQL (pg_dump), then a restore that the service starts on and that holds the attempts."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess

import pytest
from sqlalchemy import create_engine, func, select

from quizapp.models import Attempt
from tests.production import traffic
from tests.production.servers import Gunicorn, app_env, flask, postgres_database

PASSWORD = "backups while we write"


def _token(env: dict) -> str:
    flask(env, "setup")
    flask(env, "create-admin", "--email", "backup@example.com", "--password-stdin", stdin=PASSWORD + "\n")
    return flask(env, "create-token", "--email", "backup@example.com", "--name", "backup").splitlines()[-1].strip()


def _attempts(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(Attempt))
    finally:
        engine.dispose()


def _backup_during_traffic(env: dict, server: Gunicorn, token: str, target) -> tuple[str, traffic.Traffic]:
    report = {}

    def take_backup():
        report["line"] = flask(env, "backup", "--to", str(target))
    sent = traffic.run(lambda: server.url, token, seconds=4, during=take_backup)
    return report["line"], sent


def test_a_sqlite_backup_taken_under_load_restores_and_serves(tmp_path):
    live = tmp_path / "live.sqlite3"
    env = app_env(f"sqlite:///{live}", FLASK_RATELIMIT_ENABLED="false")
    token = _token(env)
    server = Gunicorn(env, tmp_path / "gunicorn.log", workers=2).start()
    try:
        line, sent = _backup_during_traffic(env, server, token, tmp_path / "backup.sqlite3")
    finally:
        server.stop()
    assert "integrity ok" in line and sent.statuses[201] >= 10
    with sqlite3.connect(tmp_path / "backup.sqlite3") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    restored = tmp_path / "restored.sqlite3"
    shutil.copy(tmp_path / "backup.sqlite3", restored)  # the documented restore: the file in place
    env = app_env(f"sqlite:///{restored}", FLASK_RATELIMIT_ENABLED="false")
    assert "unchanged" in flask(env, "setup")  # the restored database is current: nothing to migrate
    in_backup = _attempts(f"sqlite:///{restored}")
    assert 0 < in_backup <= _attempts(f"sqlite:///{live}")
    again = Gunicorn(env, tmp_path / "restored.log").start()  # and the service runs on it
    try:
        assert traffic.run(lambda: again.url, token, seconds=1).acknowledged
    finally:
        again.stop()


@pytest.mark.postgres
def test_a_postgresql_backup_taken_under_load_restores(tmp_path):
    with postgres_database(f"test_backup_{os.getpid()}") as url, \
            postgres_database(f"test_restore_{os.getpid()}") as restore_url:
        env = app_env(url, FLASK_RATELIMIT_ENABLED="false")
        token = _token(env)
        server = Gunicorn(env, tmp_path / "gunicorn.log", workers=2).start()
        try:
            line, sent = _backup_during_traffic(env, server, token, tmp_path / "backup.dump")
        finally:
            server.stop()
        assert "pg_dump custom format" in line and sent.statuses[201] >= 10
        plain = restore_url.replace("postgresql+psycopg", "postgresql")
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={plain}", str(tmp_path / "backup.dump")],
                       check=True, capture_output=True, timeout=120)
        assert 0 < _attempts(restore_url) <= _attempts(url)

"""create_app's configuration: fail closed without a secret key, database URLs."""
from __future__ import annotations

import pytest

from quizapp import create_app
from quizapp.config import ConfigError, normalise_database_url


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ("SECRET_KEY", "DATABASE_URL", "FLASK_DEBUG", "INSTANCE_PATH"):
        monkeypatch.delenv(name, raising=False)


def _dispose(app):
    app.extensions["quizapp.db"].dispose()
    return app


def test_refuses_to_start_without_a_secret_key_in_production(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_reads_the_secret_key_from_the_environment_or_the_instance_file(tmp_path, monkeypatch):
    (tmp_path / "secret_key").write_text("from-the-file\n")
    assert _dispose(create_app({"INSTANCE_PATH": str(tmp_path)})).secret_key == "from-the-file"
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    app = _dispose(create_app({"INSTANCE_PATH": str(tmp_path)}))
    assert app.secret_key == "from-the-environment"


def test_tests_get_a_random_key_when_none_is_given(tmp_path):
    first = _dispose(create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path)}))
    second = _dispose(create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path)}))
    assert len(first.secret_key) == 64 and first.secret_key != second.secret_key


def test_database_defaults_to_sqlite_in_the_instance_folder(tmp_path):
    app = _dispose(create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path)}))
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'quizapp.sqlite3'}"


def test_database_url_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://quiz:pw@db.internal:5432/quiz")
    app = _dispose(create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path)}))
    assert app.config["DATABASE_URL"] == "postgresql+psycopg://quiz:pw@db.internal:5432/quiz"


@pytest.mark.parametrize(("given", "expected"), [
    ("postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
    ("postgres://u:p@h:5433/db", "postgresql+psycopg://u:p@h:5433/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:////var/lib/quiz.sqlite3", "sqlite:////var/lib/quiz.sqlite3"),
])
def test_postgresql_urls_are_sent_to_psycopg_3(given, expected):
    assert normalise_database_url(given) == expected


def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(database_url, tmp_path):
    from flask import request

    from tests.conftest import make_test_app

    seen = []
    for hops in (0, 1):
        app = make_test_app(database_url, tmp_path, PROXY_HOPS=hops)
        app.add_url_rule("/whoami", "whoami", lambda: seen.append(request.remote_addr) or "ok")
        app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.7"},
                              environ_base={"REMOTE_ADDR": "10.0.0.1"})
        app.extensions["quizapp.db"].dispose()
    assert seen == ["10.0.0.1", "203.0.113.7"]


def test_a_bad_proxy_hops_setting_stops_the_app(database_url, tmp_path):
    from quizapp.config import ConfigError
    from tests.conftest import make_test_app

    with pytest.raises(ConfigError, match="PROXY_HOPS"):
        make_test_app(database_url, tmp_path, PROXY_HOPS="many")

"""``flask setup`` and ``flask create-admin`` on a brand-new database."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from quizapp import create_app
from quizapp.models import Base, User
from quizapp.services.templates import builtin_template_records


@pytest.fixture
def fresh_app(empty_database_url, tmp_path):
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": empty_database_url(),
        "INSTANCE_PATH": str(tmp_path / "instance"), "ARGON2_PROFILE": "CHEAPEST",
        "WTF_CSRF_ENABLED": False,
    })
    yield app
    app.extensions["quizapp.db"].dispose()


def _head_revision() -> str:
    from alembic.script import ScriptDirectory

    from quizapp.schema import MIGRATIONS_DIR
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def test_setup_creates_instance_folder_and_schema_and_is_harmless_twice(fresh_app, tmp_path):
    runner = fresh_app.test_cli_runner()
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert (tmp_path / "instance").is_dir()
    assert f"at revision {_head_revision()}\n" in first.output
    builtin = len(builtin_template_records())
    assert f"built-in templates: {builtin} added, 0 unchanged" in first.output
    second = runner.invoke(args=["setup"])
    assert second.exit_code == 0, second.output
    assert f"built-in templates: 0 added, {builtin} unchanged" in second.output
    tables = set(inspect(fresh_app.extensions["quizapp.db"].engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def _create_admin(app, email="boss@example.com", password="a long admin passphrase"):
    return app.test_cli_runner().invoke(
        args=["create-admin", "--email", email, "--password-stdin"], input=password + "\n"
    )


def test_create_admin_makes_an_admin_who_can_log_in(fresh_app):
    assert fresh_app.test_cli_runner().invoke(args=["setup"]).exit_code == 0
    result = _create_admin(fresh_app)
    assert result.exit_code == 0, result.output
    with fresh_app.extensions["quizapp.db"].sessions() as session:
        admin = session.scalar(select(User).where(User.email == "boss@example.com"))
    assert admin.role == "admin"
    client = fresh_app.test_client()
    response = client.post("/login", data={"email": "boss@example.com",
                                           "password": "a long admin passphrase"})
    assert response.status_code == 302


def test_create_admin_refuses_a_duplicate_email_and_a_weak_password(fresh_app):
    assert fresh_app.test_cli_runner().invoke(args=["setup"]).exit_code == 0
    assert _create_admin(fresh_app).exit_code == 0
    duplicate = _create_admin(fresh_app)
    assert duplicate.exit_code == 1
    assert "already exists" in duplicate.output
    weak = _create_admin(fresh_app, email="other@example.com", password="password123")
    assert weak.exit_code == 1
    assert "password refused: common" in weak.output
    bad_email = _create_admin(fresh_app, email="not-an-email")
    assert bad_email.exit_code == 1

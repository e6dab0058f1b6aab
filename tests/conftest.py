"""Shared fixtures (flaskr style): a fresh app per test on its own database.

SQLite (default): every test gets a new database file in its tmp_path.
PostgreSQL (TEST_DATABASE_URL set): every xdist worker gets a database of its own
(``<name>_gw0_<pid>`` ...), created at the start and dropped at the end; tables are
emptied after each test. Tests that use a database fixture are marked ``db`` automatically, so that
scripts/test can run just those again on PostgreSQL (``-m db``).

Flask and quizapp are imported inside the fixtures: the pure-domain tests under
tests/ must not depend on the web shell being importable.
"""
from __future__ import annotations

import itertools
import os
import re

import pytest

_counter = itertools.count()
DATABASE_FIXTURES = {"database_url", "empty_database_url"}


@pytest.hookimpl(tryfirst=True)  # before -m selects on the marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


# --- PostgreSQL: one database per xdist worker --------------------------------------------

def _run_on(url: str, *statements: str) -> None:
    """Run statements in autocommit mode (CREATE DATABASE cannot run in a transaction)."""
    from sqlalchemy import create_engine

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _postgres_admin(url: str, *statements: str) -> None:
    """Run statements on the server's maintenance database."""
    from sqlalchemy import make_url

    _run_on(make_url(url).set(database="postgres").render_as_string(hide_password=False), *statements)


def _create_postgres_database(url: str) -> None:
    from sqlalchemy import make_url

    _postgres_admin(url, f'CREATE DATABASE "{make_url(url).database}"')


def _drop_postgres_database(url: str) -> None:
    from sqlalchemy import make_url

    _postgres_admin(url, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def _worker_database_url() -> str:
    """``<test db>_<xdist worker>_<pid>``: unique even when two test runs share the server
    (two engineers, two CI jobs), so that one run never drops the other's database."""
    from sqlalchemy import make_url

    from quizapp.config import normalise_database_url

    base = make_url(normalise_database_url(os.environ["TEST_DATABASE_URL"]))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return base.set(database=f"{base.database}_{worker}_{os.getpid()}").render_as_string(
        hide_password=False)


def _drop_databases_of_dead_runs(url: str) -> None:
    """A run that was killed leaves its databases behind; drop those whose process is gone
    (the pid is only meaningful for a server on this machine, which is what tests use)."""
    from sqlalchemy import create_engine, make_url, text

    prefix = make_url(url).database.rsplit("_", 2)[0]
    admin = make_url(url).set(database="postgres").render_as_string(hide_password=False)
    engine = create_engine(admin)
    try:
        with engine.connect() as connection:
            names = connection.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                       {"p": prefix + "\\_%"}).scalars().all()
    finally:
        engine.dispose()
    ours = re.compile(rf"{re.escape(prefix)}_(?:gw\d+|main)_(\d+)")
    for name in names:
        match = ours.fullmatch(name)
        if match and not os.path.exists(f"/proc/{match.group(1)}"):
            _postgres_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def _worker_postgres_url():
    """This worker's database with the schema (create_all), or None when testing on SQLite."""
    if not os.environ.get("TEST_DATABASE_URL"):
        yield None
        return
    from sqlalchemy import create_engine

    from quizapp.models import Base

    url = _worker_database_url()
    _drop_databases_of_dead_runs(url)
    _create_postgres_database(url)
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url
    _drop_postgres_database(url)


@pytest.fixture(scope="session")
def _postgres_cleaner(_worker_postgres_url):
    """Empties every table after a test: DELETE, children first (on a few rows it takes
    milliseconds, TRUNCATE ~150 ms), on one connection pool kept for the whole session."""
    from sqlalchemy import create_engine

    from quizapp.models import Base

    engine = create_engine(_worker_postgres_url)

    def empty_all_tables() -> None:
        with engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())

    yield empty_all_tables
    engine.dispose()


# --- the database and the app ---------------------------------------------------------------

@pytest.fixture
def database_url(request, tmp_path, _worker_postgres_url):
    """The URL of this test's database, with the schema once the ``app`` fixture ran."""
    if _worker_postgres_url is None:
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    empty_all_tables = request.getfixturevalue("_postgres_cleaner")
    yield _worker_postgres_url
    empty_all_tables()


@pytest.fixture
def empty_database_url(tmp_path, _worker_postgres_url):
    """A factory of brand-new, empty databases (for migration tests), removed afterwards.

    On PostgreSQL each is a schema of the worker's database, reached through search_path:
    creating a whole database takes ~0.4 s, a schema a few milliseconds.
    """
    schemas = []

    def make() -> str:
        n = next(_counter)
        if _worker_postgres_url is None:
            return f"sqlite:///{tmp_path / f'empty{n}.sqlite3'}"
        schema = f"empty{n}"
        _run_on(_worker_postgres_url, f"DROP SCHEMA IF EXISTS {schema} CASCADE", f"CREATE SCHEMA {schema}")
        schemas.append(schema)
        return f"{_worker_postgres_url}?options=-csearch_path%3D{schema}"

    yield make
    if schemas:
        _run_on(_worker_postgres_url, *(f"DROP SCHEMA {schema} CASCADE" for schema in schemas))


def make_test_app(database_url: str, tmp_path, **config):
    from quizapp import create_app
    from quizapp.db import get_db
    from quizapp.models import Base

    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test secret key",
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "WTF_CSRF_ENABLED": False,
        "ARGON2_PROFILE": "CHEAPEST",  # the real profile costs ~20 ms per hash
        **config,
    })
    if database_url.startswith("sqlite"):  # PostgreSQL: made once per worker
        with app.app_context():
            # create_all is several times faster than running the migrations; tests/web/
            # test_migrations.py checks that both give the same schema.
            Base.metadata.create_all(get_db().engine)
    return app


@pytest.fixture
def app_config():
    """Extra config for this test's app: override with ``@pytest.mark.parametrize`` or by
    redefining the fixture in a test module."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_config):
    app = make_test_app(database_url, tmp_path, **app_config)
    yield app
    app.extensions["quizapp.db"].dispose()


@pytest.fixture
def db(app):
    """The app's Database: ``with db.write() as session: ...``."""
    return app.extensions["quizapp.db"]


@pytest.fixture
def cache(app):
    """The app's ExerciseCache (built by create_app: a new app, an empty cache)."""
    return app.extensions["quizapp.exercises"]


@pytest.fixture
def loaded(db):
    """The database with the built-in templates loaded (as ``flask setup`` does)."""
    from quizapp.services.templates import load_builtin_templates

    with db.write() as session:
        load_builtin_templates(session)
    return db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- accounts -------------------------------------------------------------------------------

PASSWORD = "learning backprop daily"


class AuthActions:
    """Sign up, log in and log out through the real pages."""

    password = PASSWORD

    def __init__(self, client):
        self._client = client

    def signup(self, email="learner@example.com", password=PASSWORD, display_name="学習者",
               confirm=None, **kwargs):
        data = {"email": email, "display_name": display_name, "password": password,
                "password_confirm": password if confirm is None else confirm}
        return self._client.post("/signup", data=data, **kwargs)

    def login(self, email="learner@example.com", password=PASSWORD, next=None, **kwargs):
        data = {"email": email, "password": password}
        if next is not None:
            data["next"] = next
        return self._client.post("/login", data=data, **kwargs)

    def logout(self, **kwargs):
        return self._client.post("/logout", **kwargs)


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def make_user(db, app):
    """Create a user directly in the database: ``make_user(role="admin")``."""
    from quizapp.services.accounts import create_user

    def make(email="learner@example.com", password=PASSWORD, role="learner",
             display_name="学習者", locale=None):
        password_hash = app.extensions["quizapp.hasher"].hash(password)
        with db.write() as session:
            return create_user(session, email=email, password_hash=password_hash, role=role,
                               display_name=display_name, locale=locale)

    return make

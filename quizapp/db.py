"""One engine and session factory per app; short write transactions.

Reads use the request's session (``get_session()``). Writes go through ``write_session()``:
a separate, short transaction that commits on success. On SQLite it starts with
``BEGIN IMMEDIATE`` so that two writers queue on ``busy_timeout`` instead of one of them
failing with "database is locked" when it upgrades a read lock to a write lock.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

_IMMEDIATE = "quizapp_sqlite_immediate"
SQLITE_BUSY_TIMEOUT_MS = 5000


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url)
        _configure_sqlite(engine)
        return engine
    # pre_ping: a server restart must not turn the next request into a 500.
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take BEGIN away from the sqlite3 driver, so that _on_begin decides what to emit
        # (the pysqlite recipe in the SQLAlchemy SQLite documentation).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable enough with WAL, much faster
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.get_execution_options().get(_IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """The engine and session factory of one app (also usable without Flask)."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A short write transaction: commit on success, roll back on error.

        Read rows you are going to update with ``select(...).with_for_update()`` so that the
        same code is also race-free on PostgreSQL (SQLite ignores it; BEGIN IMMEDIATE
        already serialises writers there).
        """
        with self.sessions() as session, session.begin():
            # Must come first: the options apply when the connection emits its BEGIN.
            session.connection(execution_options={_IMMEDIATE: True})
            yield session

    def ping(self) -> None:
        """One round trip to the database; raises sqlalchemy's OperationalError when it is down."""
        with self.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")

    def dispose(self) -> None:
        self.engine.dispose()


def init_app(app: Flask) -> None:
    app.extensions["quizapp.db"] = Database(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close_request_session)


def get_db() -> Database:
    return current_app.extensions["quizapp.db"]


def get_session() -> Session:
    """The session of the current request (or CLI command), closed at teardown."""
    if "db_session" not in g:
        g.db_session = get_db().sessions()
    return g.db_session


def write_session():
    """``with write_session() as s:`` one short write transaction on the app's database."""
    return get_db().write()


def _close_request_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()
    except DBAPIError:
        # The server went away after the response was made (the rollback on close found the
        # connection dead): drop the connection from the pool; the response stands.
        current_app.logger.warning("database connection lost while closing the request's session")
        session.invalidate()

"""Alembic environment: the app's metadata and engine, batch mode so SQLite can ALTER."""
from __future__ import annotations

import os
from pathlib import Path

from alembic import context

from quizapp.config import default_database_url, normalise_database_url
from quizapp.db import make_engine
from quizapp.models import Base, JSONType, UTCDateTime

config = context.config
target_metadata = Base.metadata


def _engine():
    engine = config.attributes.get("engine")  # given by quizapp.schema.upgrade
    if engine is not None:
        return engine
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL")
    instance = Path(__file__).resolve().parent.parent / "instance"
    return make_engine(normalise_database_url(url or default_database_url(str(instance))))


def render_item(type_, obj, autogen_context):
    """Write our custom column types as plain SQLAlchemy types in new revisions."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and obj is JSONType:
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return "sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')"
    return False


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      render_as_batch=True, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _set_sqlite_foreign_keys(connection, on: bool) -> None:
    # On the driver connection: the pragma is a no-op inside a transaction, and any
    # statement through SQLAlchemy would begin one.
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def run_migrations_online() -> None:
    engine = _engine()
    try:
        _migrate(engine)
    finally:
        if engine is not config.attributes.get("engine"):
            engine.dispose()  # ours (alembic command line); the app's engine stays open


def _migrate(engine) -> None:
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        # Batch mode rebuilds a table (create new, copy, drop old); with foreign keys on,
        # dropping the old table would cascade into the rows that point at it.
        if sqlite:
            _set_sqlite_foreign_keys(connection, False)
        try:
            context.configure(connection=connection, target_metadata=target_metadata,
                              render_as_batch=True, render_item=render_item, compare_type=True)
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:
                _set_sqlite_foreign_keys(connection, True)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

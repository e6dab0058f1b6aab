"""Alembic migrations give exactly the schema of the models (on SQLite and PostgreSQL)."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from quizapp.db import Database
from quizapp.models import Base
from quizapp.schema import alembic_config, upgrade


def schema_of(db: Database) -> dict:
    """Tables, columns (type as the database reports it), keys, indexes and constraints."""
    inspector = inspect(db.engine)
    schema = {}
    for table in sorted(set(inspector.get_table_names()) - {"alembic_version"}):
        schema[table] = {
            "columns": [
                (c["name"], str(c["type"].compile(db.engine.dialect)), c["nullable"])
                for c in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table),
            "foreign_keys": sorted(
                (fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"],
                 fk["options"].get("ondelete"))
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (ix["name"], tuple(ix["column_names"]), ix["unique"])
                for ix in inspector.get_indexes(table)
            ),
            "uniques": sorted(
                (uq["name"], tuple(uq["column_names"]))
                for uq in inspector.get_unique_constraints(table)
            ),
            "checks": sorted(ck["name"] for ck in inspector.get_check_constraints(table)),
        }
    return schema


def test_migrated_database_has_the_same_schema_as_create_all(empty_database_url):
    migrated, created = Database(empty_database_url()), Database(empty_database_url())
    try:
        upgrade(migrated)
        Base.metadata.create_all(created.engine)
        migrated_schema = schema_of(migrated)
        assert set(migrated_schema) == set(Base.metadata.tables)
        assert migrated_schema == schema_of(created)
        with migrated.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []  # autogenerate sees nothing
    finally:
        migrated.dispose()
        created.dispose()


def test_downgrade_to_base_and_upgrade_again(empty_database_url):
    db = Database(empty_database_url())
    try:
        upgrade(db)
        command.downgrade(alembic_config(db), "base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade(db)
        assert set(schema_of(db)) == set(Base.metadata.tables)
    finally:
        db.dispose()

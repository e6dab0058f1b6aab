"""Alembic migrations give exactly the schema of the models (on SQLite and PostgreSQL), and
the data migrations rewrite stored rows both ways."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from quizapp.db import Database
from quizapp.models import Attempt, Base, TemplateTestCase, User
from quizapp.schema import alembic_config, upgrade
from quizapp.services.exercise_cache import ExerciseCache
from quizapp.services.instances import start_exercise
from quizapp.services.templates import load_builtin_templates


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


def _stored_answers(db: Database) -> list[dict]:
    with db.sessions() as session:
        return [a.answers for a in session.scalars(select(Attempt).order_by(Attempt.id))] + \
               [c.answers for c in session.scalars(select(TemplateTestCase))]


def test_0003_stores_every_guided_answer_flat_and_downgrades_back(empty_database_url):
    """Attempts from the web form before 0003 held guided parts nested; after it, the same
    flat "part.step" keys as the API. Downgrading nests them again."""
    db = Database(empty_database_url())
    nested = {"price": "715", "guided": {"a": "2", "b": "1.5"}}
    flat = {"price": "715", "guided.a": "2", "guided.b": "1.5"}
    try:
        upgrade(db)
        with db.write() as session:
            load_builtin_templates(session)
            user = User(email="old@example.com", display_name="old", password_hash="x", role="learner")
            session.add(user)
            session.flush()
            instance, _ = start_exercise(session, ExerciseCache(), "shopping-apple-orange", user_id=user.id, seed=1)
            session.add_all([Attempt(instance_id=instance.id, user_id=user.id, answers=a, verdicts={}, score=0.0)
                             for a in (nested, flat, {"price": "1"})])
            session.add(TemplateTestCase(slug="my-mul", name="old", params={}, answers=nested, expected_score=1.0))
        command.downgrade(alembic_config(db), "0002")  # as if these were stored before 0003
        assert _stored_answers(db) == [nested, nested, {"price": "1"}, nested]
        upgrade(db)
        assert _stored_answers(db) == [flat, flat, {"price": "1"}, flat]
    finally:
        db.dispose()

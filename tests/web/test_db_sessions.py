"""The database layer: SQLite pragmas, short write transactions, concurrent writers, UTC times."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import StatementError

from quizapp.models import LoginThrottle, Progress, User, utcnow


@pytest.fixture
def user_id(db) -> int:
    with db.write() as session:
        user = User(email="learner@example.com", display_name="学習者", password_hash="-")
        session.add(user)
        session.flush()
        return user.id


def _on_sqlite(db) -> bool:
    return db.engine.dialect.name == "sqlite"


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(db):
    if not _on_sqlite(db):
        pytest.skip("SQLite pragmas")
    with db.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("busy_timeout") == 5000
        assert pragma("foreign_keys") == 1


def test_write_commits_on_success_and_rolls_back_on_error(db, user_id):
    with pytest.raises(RuntimeError):
        with db.write() as session:
            session.add(Progress(user_id=user_id, family="chain-rule"))
            raise RuntimeError("boom")
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Progress)) == 0
    with db.write() as session:
        session.add(Progress(user_id=user_id, family="chain-rule"))
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Progress)) == 1


def test_two_threads_writing_at_once_neither_lose_data_nor_fail(db, user_id):
    """Read-modify-write from two threads: BEGIN IMMEDIATE on SQLite (FOR UPDATE on
    PostgreSQL) serialises them, so no increment is lost and no 'database is locked'."""
    with db.write() as session:
        session.add(Progress(user_id=user_id, family="chain-rule"))
    rounds, errors = 40, []
    start = threading.Barrier(2)

    def learner_answers(thread: int) -> None:
        try:
            start.wait()
            for n in range(rounds):
                with db.write() as session:
                    row = session.scalar(select(Progress).with_for_update())
                    row.attempts += 1
                    session.add(LoginThrottle(email=f"t{thread}-{n}@example.com", ip="::1",
                                              window_started_at=utcnow()))
        except Exception as error:  # collected: an exception in a thread would be lost
            errors.append(error)

    threads = [threading.Thread(target=learner_answers, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.sessions() as session:
        assert session.scalar(select(Progress.attempts)) == 2 * rounds
        assert session.scalar(select(func.count()).select_from(LoginThrottle)) == 2 * rounds


def test_times_come_back_timezone_aware_in_utc(db, user_id):
    tokyo_nine = datetime(2025, 1, 2, 9, 0, tzinfo=timezone(timedelta(hours=9)))
    with db.write() as session:
        session.add(Progress(user_id=user_id, family="f", next_review_at=tokyo_nine))
    with db.sessions() as session:
        stored = session.scalar(select(Progress.next_review_at))
    assert stored == tokyo_nine
    assert stored.utcoffset() == timedelta(0)
    assert stored.hour == 0


def test_naive_times_are_refused(db, user_id):
    with pytest.raises(StatementError, match="naive datetime"):
        with db.write() as session:
            session.add(Progress(user_id=user_id, family="f", next_review_at=datetime(2025, 1, 1)))

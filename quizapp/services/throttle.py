"""Log-in throttling per (e-mail, IP): too many failures in a window lock that pair for a while.

Stored in the database, so it holds across workers and restarts. Keyed on the pair so that
an attacker cannot lock a learner out from another address by guessing wrong on purpose.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quizapp.models import LoginThrottle

_KEEP_STALE_ROWS = timedelta(days=1)


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)


def _row(session: Session, email: str, ip: str, *, for_update: bool = False):
    query = select(LoginThrottle).where(LoginThrottle.email == email, LoginThrottle.ip == ip)
    return session.scalar(query.with_for_update() if for_update else query)


def locked_until(session: Session, email: str, ip: str, now: datetime) -> datetime | None:
    """When the pair may try again, or None if it may try now."""
    row = _row(session, email, ip)
    if row is not None and row.locked_until is not None and row.locked_until > now:
        return row.locked_until
    return None


def record_failure(
    session: Session, email: str, ip: str, policy: ThrottlePolicy, now: datetime
) -> datetime | None:
    """Count one failure (in the caller's write transaction); returns the lock end if locked."""
    row = _row(session, email, ip, for_update=True) or _insert(session, email, ip, now)
    if row.window_started_at + policy.window <= now:
        row.failures, row.window_started_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= policy.max_failures:
        row.locked_until = now + policy.lockout
    _prune(session, now)
    return row.locked_until


def clear(session: Session, email: str, ip: str) -> None:
    session.execute(delete(LoginThrottle).where(LoginThrottle.email == email, LoginThrottle.ip == ip))


def _insert(session: Session, email: str, ip: str, now: datetime) -> LoginThrottle:
    row = LoginThrottle(email=email, ip=ip, failures=0, window_started_at=now)
    try:
        with session.begin_nested():  # another worker may insert the same pair first
            session.add(row)
            session.flush()
    except IntegrityError:
        return _row(session, email, ip, for_update=True)
    return row


def _prune(session: Session, now: datetime) -> None:
    stale = now - _KEEP_STALE_ROWS
    session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_started_at < stale,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now),
        )
    )

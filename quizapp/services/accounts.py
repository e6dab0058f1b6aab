"""User accounts: create, authenticate, change password. Plain functions over a Session."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quizapp.models import ROLES, User
from quizapp.services.passwords import verify_password


class EmailTaken(Exception):
    """Another account already uses this e-mail address."""


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def looks_like_email(email: str) -> bool:
    """A deliberately loose check (one @, a dot in the domain): no mail is sent yet."""
    return len(email) <= 254 and bool(_EMAIL.match(normalise_email(email)))


def normalise_email(email: str) -> str:
    # Full-width input from a Japanese IME must match the same address typed in ASCII.
    return unicodedata.normalize("NFKC", email).strip().lower()


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    session: Session, *, email: str, display_name: str, password_hash: str,
    role: str = "learner", locale: str | None = None,
) -> User:
    """Add a user inside the caller's write transaction; raises EmailTaken. The password is
    hashed before (``hasher.hash``, tens of milliseconds of CPU): a write transaction holds the
    database's write lock, and no writer should queue behind a hash."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if find_user(session, email) is not None:
        raise EmailTaken(email)
    user = User(
        email=normalise_email(email), display_name=display_name.strip(),
        password_hash=password_hash, role=role, locale=locale,
    )
    session.add(user)
    try:
        # Flush inside a savepoint: a concurrent sign-up with the same address loses cleanly.
        with session.begin_nested():
            session.flush()
    except IntegrityError as error:
        raise EmailTaken(email) from error
    return user


# Verified against when the e-mail is unknown, so both failures take the same time.
_DUMMY_PASSWORD = "dummy password for timing"


def authenticate(
    session: Session, hasher: PasswordHasher, email: str, password: str
) -> User | None:
    user = find_user(session, email)
    if user is None:
        verify_password(hasher, _dummy_hash(hasher), password)
        return None
    return user if verify_password(hasher, user.password_hash, password) else None


@lru_cache(maxsize=4)
def _dummy_hash_for(time_cost: int, memory_cost: int, parallelism: int) -> str:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    return hasher.hash(_DUMMY_PASSWORD)


def _dummy_hash(hasher: PasswordHasher) -> str:
    return _dummy_hash_for(hasher.time_cost, hasher.memory_cost, hasher.parallelism)


def set_password(session: Session, user_id: int, password_hash: str) -> User:
    """Store a new hash, computed before the write transaction (also used to upgrade an old
    hash after a successful log-in)."""
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise LookupError(user_id)
    user.password_hash = password_hash
    return user


def set_locale(session: Session, user_id: int, locale: str) -> None:
    user = session.get(User, user_id, with_for_update=True)
    if user is not None:
        user.locale = locale

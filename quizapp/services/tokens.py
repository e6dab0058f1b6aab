"""Personal API tokens: created, listed, revoked, and resolved from a bearer header.

A token is ``eqz_`` + ``secrets.token_urlsafe(32)`` (256 random bits). It is shown once; only
its SHA-256 hash is stored, so a database leak does not leak usable tokens, and lookup by hash
needs no slow password hashing (the secret has full entropy, nothing to brute-force).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from exercises.text import BilingualError
from quizapp.models import TOKEN_SCOPES, ApiToken, User, utcnow

TOKEN_PREFIX = "eqz_"
MAX_ACTIVE_TOKENS = 20
MAX_NAME_CHARS = 100
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=5)


class TokenError(BilingualError, ValueError):
    """A token request that is refused; ``code`` is stable, messages are ja/en."""

    def __init__(self, code: str, message_ja: str, message_en: str):
        super().__init__(message_ja, message_en, args_text=message_en)
        self.code = code


@dataclass(frozen=True)
class Principal:
    """Who an API request acts for: the user and the scope the token really grants."""

    user_id: int
    token_id: int
    scope: str  # "learner" or "instructor" (never more than the user's role allows today)
    display_name: str
    role: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def allowed_scopes(user: User) -> tuple[str, ...]:
    """Learners may only make learner tokens; instructors and admins may make both."""
    return TOKEN_SCOPES if user.has_role("instructor") else ("learner",)


def create_token(session: Session, user: User, name: str, scope: str = "learner") -> tuple[ApiToken, str]:
    """Store a new token (in the caller's write transaction); returns (row, the secret)."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME_CHARS:
        raise TokenError("bad_name", f"トークン名は1〜{MAX_NAME_CHARS}文字にしてください",
                         f"the token name must be 1-{MAX_NAME_CHARS} characters")
    if scope not in TOKEN_SCOPES:
        raise TokenError("bad_scope", "スコープは learner か instructor です",
                         "the scope must be learner or instructor")
    if scope not in allowed_scopes(user):
        raise TokenError("scope_not_allowed", "instructor スコープのトークンは講師・管理者だけが作れます",
                         "only instructors and admins may create instructor tokens")
    if count_active(session, user.id) >= MAX_ACTIVE_TOKENS:
        raise TokenError("too_many_tokens", f"有効なトークンは{MAX_ACTIVE_TOKENS}個までです。使わないものを無効にしてください",
                         f"at most {MAX_ACTIVE_TOKENS} active tokens; revoke one you no longer use")
    secret = new_secret()
    row = ApiToken(user_id=user.id, name=name, token_hash=hash_token(secret), scope=scope)
    session.add(row)
    session.flush()
    return row, secret


def count_active(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count()).select_from(ApiToken).where(
        ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None)))


def tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    """Every token of the user, active ones first, newest first."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(
        ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(session: Session, user_id: int, token_id: int) -> ApiToken | None:
    """Revoke one of the user's tokens (another user's id is treated as missing)."""
    row = session.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
                         .with_for_update())
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def revoke_by_name(session: Session, user_id: int, name: str) -> int:
    """Revoke the user's active tokens with this name; returns how many."""
    rows = session.scalars(select(ApiToken).where(
        ApiToken.user_id == user_id, ApiToken.name == name.strip(), ApiToken.revoked_at.is_(None),
    ).with_for_update()).all()
    now = utcnow()
    for row in rows:
        row.revoked_at = now
    return len(rows)


@dataclass(frozen=True)
class Resolved:
    principal: Principal | None
    reason: str | None = None  # "invalid" or "revoked" when principal is None
    touch: bool = False        # True when last_used_at is due for an update


def resolve(session: Session, presented: str, now: datetime | None = None) -> Resolved:
    """The principal behind a presented secret. The scope is capped by the user's role today:
    an instructor token of a user who is no longer an instructor acts as a learner token."""
    if not presented.startswith(TOKEN_PREFIX) or len(presented) > 200:
        return Resolved(None, "invalid")
    found = session.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                            .where(ApiToken.token_hash == hash_token(presented))).first()
    if found is None:
        return Resolved(None, "invalid")
    token, user = found
    if token.revoked_at is not None:
        return Resolved(None, "revoked")
    scope = token.scope if token.scope in allowed_scopes(user) else "learner"
    now = now or utcnow()
    due = token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION
    return Resolved(Principal(user.id, token.id, scope, user.display_name, user.role), touch=due)


def touch(session: Session, token_id: int, now: datetime | None = None) -> None:
    """Record that the token was used (in the caller's write transaction)."""
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now or utcnow()))

"""SQLAlchemy 2.0 typed models. Times are stored in UTC and always come back timezone-aware."""
from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, UTC
from typing import Any

from sqlalchemy import (
    JSON, BigInteger, CheckConstraint, DateTime, ForeignKey, Index, Integer, MetaData, String,
    Text, TypeDecorator, UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES = ("learner", "instructor", "admin")
TOKEN_SCOPES = ("learner", "instructor")
TEMPLATE_STATUSES = ("draft", "published")
LOCALES = ("ja", "en")
FRAMEWORKS = ("pytorch", "tensorflow")  # a learner's deep learning framework (the exam lets them choose)

# Stable constraint names, so that Alembic can later drop or alter them on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSONB on PostgreSQL (comparable, indexable); JSON text elsewhere.
JSONType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC; SQLite's naive values come back as aware UTC datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware value")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONType, list[Any]: JSONType}


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        _one_of("role", ROLES, "role"),
        _one_of("locale", LOCALES, "locale"),
        _one_of("framework", FRAMEWORKS, "framework"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="learner")
    locale: Mapped[str | None] = mapped_column(String(8))  # None: follow the browser's choice
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The framework of the code exercises a learner is given (a source's "framework" preference).
    framework: Mapped[str] = mapped_column(String(16), default="pytorch", server_default="pytorch")

    # Flask-Login's user protocol, by duck typing (models import nothing from Flask).
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        """The id kept in the session cookie. It carries a fingerprint of the password hash,
        so changing the password ends every session started with the old one."""
        return f"{self.id}:{self.session_stamp}"

    @property
    def session_stamp(self) -> str:
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def has_role(self, *roles: str) -> bool:
        # An admin may do everything an instructor may.
        return self.role in roles or (self.role == "admin" and "instructor" in roles)


class TemplateVersion(Base):
    """One immutable version of an exercise template (built-in or authored)."""

    __tablename__ = "template_versions"
    __table_args__ = (
        UniqueConstraint("slug", "version"),
        _one_of("status", TEMPLATE_STATUSES, "status"),
        Index(None, "family"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)  # the template file's text, as authored
    family: Mapped[str] = mapped_column(String(64))
    title_ja: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    topics: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExerciseInstance(Base):
    """An exercise as handed out: fully determined by (template version, seed, params)."""

    __tablename__ = "exercise_instances"

    # Random, not sequential: anonymous API instances must not be enumerable.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    template_version_id: Mapped[int] = mapped_column(
        ForeignKey("template_versions.id", ondelete="RESTRICT"), index=True
    )
    seed: Mapped[int] = mapped_column(BigInteger)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attempt(Base):
    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "idempotency_key"),
        Index(None, "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str] = mapped_column(
        ForeignKey("exercise_instances.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    answers: Mapped[dict[str, Any]] = mapped_column()  # answer key ("part", "part.step") -> text as typed
    verdicts: Mapped[dict[str, Any]] = mapped_column()  # part -> verdict of the grader
    score: Mapped[float]
    misconceptions: Mapped[list[Any]] = mapped_column(default=list)
    time_taken_ms: Mapped[int | None]
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Progress(Base):
    """A learner's record on one template family, with the spaced-repetition due date."""

    __tablename__ = "progress"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    family: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(default=0)
    correct: Mapped[int] = mapped_column(default=0)
    mastery: Mapped[float] = mapped_column(default=0.0)  # 0..1
    last_attempt_at: Mapped[datetime | None]
    next_review_at: Mapped[datetime | None]


class LoginThrottle(Base):
    """Failed log-ins per (email, IP) in the current window; see services/throttle.py."""

    __tablename__ = "login_throttles"
    __table_args__ = (UniqueConstraint("email", "ip"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(45))  # long enough for IPv6
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]


class ApiToken(Base):
    """A bearer token for the JSON API; only a SHA-256 hash of the token is stored."""

    __tablename__ = "api_tokens"
    __table_args__ = (_one_of("scope", TOKEN_SCOPES, "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(16), default="learner")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class MockExam(Base):
    """A timed set of exercises across families, answered in one sitting (study/mock exam)."""

    __tablename__ = "mock_exams"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    instance_ids: Mapped[list[Any]] = mapped_column()  # ExerciseInstance ids, in order
    time_limit_s: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    score: Mapped[float | None]  # 0..1 once finished
    report: Mapped[dict[str, Any] | None] = mapped_column()  # per family / per topic results


class TemplateTestCase(Base):
    """An instructor's pinned check on a template: these params and answers give this score.
    Run on every save of a new version of the template."""

    __tablename__ = "template_test_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(100))
    params: Mapped[dict[str, Any]] = mapped_column()
    answers: Mapped[dict[str, Any]] = mapped_column()
    expected_score: Mapped[float]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

"""A learner's settings that shape the exercises they are given: today the framework (PyTorch
or TensorFlow) of the code exercises, since the E資格 exam lets each candidate choose one.

A setting reaches an exercise as a source's *preference* (``exercises.generation``): a source
that declares ``"framework"`` is drawn with the learner's framework fixed; other sources never
see it. Visitors, and learners who never chose, get PyTorch.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from quizapp.models import FRAMEWORKS, User

DEFAULT_FRAMEWORK = "pytorch"


def framework_of(session: Session, user_id: int | None) -> str:
    """The learner's framework; the default for a visitor (no user)."""
    user = session.get(User, user_id) if user_id is not None else None
    return user.framework if user is not None and user.framework else DEFAULT_FRAMEWORK


def takes_framework(source) -> bool:
    return "framework" in getattr(source, "preferences", ())


def preferences_for(source, framework: str) -> dict | None:
    """The params a source is drawn with for this framework: {"framework": ...} when it takes
    the framework as a preference, else None (drawn as before)."""
    return {"framework": framework} if takes_framework(source) else None


def learner_preferences(session: Session, source, user_id: int | None) -> dict | None:
    """``preferences_for`` with the learner's framework (read only for a source that takes it)."""
    return preferences_for(source, framework_of(session, user_id)) if takes_framework(source) else None


def set_framework(session: Session, user_id: int, framework: str) -> User:
    """Store the learner's framework inside the caller's write transaction."""
    if framework not in FRAMEWORKS:
        raise ValueError(f"unknown framework {framework!r}")
    user = session.get(User, user_id)
    if user is None:
        raise LookupError(user_id)
    user.framework = framework
    session.flush()
    return user

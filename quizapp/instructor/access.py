"""Who may see or change which template, and small helpers shared by the instructor views."""
from __future__ import annotations

from flask import abort, flash
from flask_babel import get_locale
from flask_login import current_user

from quizapp.db import get_session
from quizapp.services import ownership


def lang() -> str:
    return str(get_locale() or "ja")


def message(err) -> str:
    """An AuthoringError's (or ExerciseError's) message in the page's language."""
    return err.message(lang())


def flash_error(err) -> None:
    flash(message(err), "error")


def owned_versions(slug: str) -> list:
    """The versions of an authored slug the current user may edit; 404 / 403 otherwise."""
    session = get_session()
    rows = ownership.versions(session, slug)
    if not rows or ownership.is_builtin(slug):
        abort(404)
    if not ownership.can_edit(session, current_user, slug):
        abort(403)
    return rows


def owned_version(slug: str, version: int):
    rows = owned_versions(slug)
    row = next((r for r in rows if r.version == version), None)
    if row is None:
        abort(404)
    return row


def viewable(slug: str) -> None:
    """Insight: any instructor on a built-in; the owner or an admin on an authored slug."""
    if ownership.is_builtin(slug):
        return
    owned_versions(slug)


def can_regrade(slug: str) -> bool:
    """Regrading rewrites stored grades: an admin on a built-in, the owner or an admin otherwise."""
    if ownership.is_builtin(slug):
        return current_user.has_role("admin")
    return ownership.can_edit(get_session(), current_user, slug)


def may_regrade(slug: str) -> None:
    viewable(slug)
    if not can_regrade(slug):
        abort(403)

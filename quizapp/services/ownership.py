"""Who may change which template: built-in slugs are read-only, an authored slug belongs to the
author of its first version (admins may edit any), and the errors authoring actions raise."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exercises.registry import builtin_templates
from exercises.text import BilingualError
from quizapp.models import TemplateVersion, User


class AuthoringError(BilingualError):
    """A refused authoring action, with a stable ``code`` and a message in ja/en."""

    code = "authoring_error"
    status = 400

    def __init__(self, message_ja: str, message_en: str, problems: list[dict] | None = None):
        super().__init__(message_ja, message_en)
        self.problems = problems or []


class InvalidTemplate(AuthoringError):
    code, status = "invalid_template", 422


class Forbidden(AuthoringError):
    code, status = "forbidden", 403


class NotFound(AuthoringError):
    code, status = "not_found", 404


def is_builtin(slug: str) -> bool:
    return slug in builtin_templates()


def slug_owner(session: Session, slug: str) -> int | None:
    """The author of the slug's first version (None: built-in, or nobody's)."""
    return session.scalar(select(TemplateVersion.author_id).where(TemplateVersion.slug == slug)
                          .order_by(TemplateVersion.version).limit(1))


def versions(session: Session, slug: str) -> list[TemplateVersion]:
    return list(session.scalars(select(TemplateVersion).where(TemplateVersion.slug == slug)
                                .order_by(TemplateVersion.version.desc())))


def authored_slugs(session: Session, owner_id: int | None = None) -> list[tuple[str, list]]:
    """Authored (not built-in) slugs with their versions, newest first; ``owner_id=None``: all."""
    groups: dict[str, list[TemplateVersion]] = {}
    for row in session.scalars(select(TemplateVersion).order_by(TemplateVersion.slug,
                                                                TemplateVersion.version.desc())):
        if not is_builtin(row.slug):
            groups.setdefault(row.slug, []).append(row)
    return [(slug, rows) for slug, rows in groups.items()
            if owner_id is None or rows[-1].author_id == owner_id]


def can_edit(session: Session, user: User, slug: str) -> bool:
    if user is None or not user.has_role("instructor") or is_builtin(slug):
        return False
    if not versions(session, slug):
        return True  # a new slug
    return user.has_role("admin") or slug_owner(session, slug) == user.id


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.has_role("instructor"):
        raise Forbidden("テンプレートを編集できるのは講師と管理者だけです",
                        "only instructors and admins may edit templates")
    return user


def check_can_edit(session: Session, user_id: int, slug: str) -> User:
    user = _user(session, user_id)
    if is_builtin(slug):
        raise Forbidden(f"{slug} は組み込みテンプレートなので変更できません。コピーして新しい slug で編集してください",
                        f"{slug} is a built-in template and cannot be changed: copy it to a new slug to edit")
    if not can_edit(session, user, slug):
        raise Forbidden(f"テンプレート {slug} は別の講師のものです", f"template {slug} belongs to another instructor")
    return user

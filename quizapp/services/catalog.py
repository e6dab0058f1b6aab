"""The template catalog in the database: which versions are published, and the template
object (YAML template or Python generator) that a stored version stands for."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exercises.errors import UnknownTemplate
from quizapp.models import TemplateVersion


def unknown_template(slug: str) -> UnknownTemplate:
    return UnknownTemplate(f"テンプレート {slug!r} はありません", f"no template named {slug!r}", slug=slug)


def latest_published(session: Session, slug: str) -> TemplateVersion:
    row = session.scalar(select(TemplateVersion).where(
        TemplateVersion.slug == slug, TemplateVersion.status == "published",
    ).order_by(TemplateVersion.version.desc()).limit(1))
    if row is None:
        raise unknown_template(slug)
    return row


def latest_published_many(session: Session, slugs: set[str]) -> dict[str, TemplateVersion]:
    """The newest published version of each slug that has one."""
    rows = session.scalars(select(TemplateVersion).where(
        TemplateVersion.slug.in_(sorted(slugs)), TemplateVersion.status == "published",
    ).order_by(TemplateVersion.slug, TemplateVersion.version.desc())).all()
    newest: dict[str, TemplateVersion] = {}
    for row in rows:
        newest.setdefault(row.slug, row)
    return newest


def published_templates(session: Session) -> list[TemplateVersion]:
    """The newest published version of every template."""
    rows = session.scalars(select(TemplateVersion).where(TemplateVersion.status == "published")
                           .order_by(TemplateVersion.slug, TemplateVersion.version.desc())).all()
    newest: dict[str, TemplateVersion] = {}
    for row in rows:
        newest.setdefault(row.slug, row)
    return list(newest.values())


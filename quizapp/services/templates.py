"""Template versions in the database, and the seam where the built-in templates of
``exercises`` are loaded (``flask setup`` calls ``load_builtin_templates``)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from exercises import catalog
from quizapp.models import TemplateVersion


@dataclass(frozen=True)
class TemplateRecord:
    """What the web shell stores about one template version."""

    slug: str
    version: int
    source: str
    family: str
    title_ja: str
    title_en: str
    topics: list[str] = field(default_factory=list)


@dataclass
class LoadReport:
    inserted: int = 0
    unchanged: int = 0


class TemplateConflict(Exception):
    """A stored version has different source text: versions are immutable, bump the number."""


def upsert_template_versions(
    session: Session, records: Iterable[TemplateRecord], *, status: str = "published"
) -> LoadReport:
    """Insert the versions that are missing; running it twice changes nothing."""
    report = LoadReport()
    for record in records:
        stored = session.scalar(
            select(TemplateVersion).where(
                TemplateVersion.slug == record.slug, TemplateVersion.version == record.version
            )
        )
        if stored is None:
            session.add(TemplateVersion(**record.__dict__, status=status))
            report.inserted += 1
        elif stored.source != record.source:
            raise TemplateConflict(f"{record.slug} v{record.version}: source differs from the DB")
        else:
            report.unchanged += 1
    session.flush()
    return report


def builtin_template_records() -> list[TemplateRecord]:
    """The built-in templates and generators of ``exercises.catalog()``."""
    return [
        TemplateRecord(
            slug=t.slug, version=int(t.version), source=t.source, family=t.family,
            title_ja=t.title["ja"], title_en=t.title["en"], topics=list(t.topics),
        )
        for t in catalog()
    ]


def load_builtin_templates(session: Session) -> LoadReport:
    return upsert_template_versions(session, builtin_template_records())

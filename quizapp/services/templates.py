"""Template versions in the database, and the seam where the built-in templates of
``exercises`` are loaded (``flask setup`` calls ``load_builtin_templates``)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from types import ModuleType

from sqlalchemy import select
from sqlalchemy.orm import Session

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
    skipped_reason: str | None = None  # set when nothing could be loaded at all


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


def builtin_template_records() -> list[TemplateRecord] | None:
    """The built-in templates of ``exercises.catalog``, or None while it does not exist.

    Written against ``exercises.catalog.catalog()`` returning ``exercises.spec.model.Template``
    objects (slug, version, family, topics, title {"ja", "en"}, source); the same call
    whether ``exercises.catalog`` is, at the moment of the import, the package's function or
    the submodule (importing the submodule rebinds the name). If the Template shape changes,
    adapt this one function (tests/web/test_template_service.py pins it).
    """
    try:
        from exercises import catalog as found
    except ImportError as error:
        if error.name not in ("exercises", "exercises.catalog"):
            raise  # the catalog exists but is broken: say so, do not skip
        return None
    list_templates = found.catalog if isinstance(found, ModuleType) else found
    return [
        TemplateRecord(
            slug=t.slug, version=int(t.version), source=t.source, family=t.family,
            title_ja=t.title["ja"], title_en=t.title["en"], topics=list(t.topics),
        )
        for t in list_templates()
    ]


def load_builtin_templates(session: Session) -> LoadReport:
    records = builtin_template_records()
    if records is None:
        return LoadReport(skipped_reason="exercises.catalog is not available yet")
    return upsert_template_versions(session, records)

"""The seam where built-in templates from ``exercises`` enter the database."""
from __future__ import annotations

from types import SimpleNamespace

from exercises import catalog

import pytest
from sqlalchemy import func, select

from quizapp.models import TemplateVersion
from quizapp.services import templates
from quizapp.services.templates import (
    TemplateConflict, TemplateRecord, load_builtin_templates, upsert_template_versions,
)

CHAIN = TemplateRecord(slug="chain-rule-1", version=1, source="slug: chain-rule-1\n",
                       family="chain-rule", title_ja="連鎖律", title_en="Chain rule",
                       topics=["chain-rule"])


def _count(db) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(TemplateVersion))


def test_upsert_inserts_once_and_then_reports_unchanged(db):
    with db.write() as session:
        first = upsert_template_versions(session, [CHAIN])
    with db.write() as session:
        second = upsert_template_versions(session, [CHAIN])
    assert (first.inserted, first.unchanged) == (1, 0)
    assert (second.inserted, second.unchanged) == (0, 1)
    with db.sessions() as session:
        stored = session.scalar(select(TemplateVersion))
    assert (stored.slug, stored.version, stored.status, stored.topics) == (
        "chain-rule-1", 1, "published", ["chain-rule"])


def test_changed_source_under_the_same_version_is_refused(db):
    with db.write() as session:
        upsert_template_versions(session, [CHAIN])
    changed = TemplateRecord(**{**CHAIN.__dict__, "source": "slug: chain-rule-1\n# edited\n"})
    with pytest.raises(TemplateConflict, match="chain-rule-1 v1"):
        with db.write() as session:
            upsert_template_versions(session, [changed])
    assert _count(db) == 1


def test_builtin_templates_come_from_exercises_catalog(db, monkeypatch):
    template = SimpleNamespace(slug="shopping-apple", version=2, source="...", family="shopping",
                               title={"ja": "りんごの買い物", "en": "Buying apples"},
                               topics=("computational-graph",))
    monkeypatch.setattr(templates, "catalog", lambda: [template])
    with db.write() as session:
        report = load_builtin_templates(session)
    assert report.inserted == 1
    with db.sessions() as session:
        stored = session.scalar(select(TemplateVersion))
    assert (stored.title_ja, stored.title_en, stored.version) == ("りんごの買い物", "Buying apples", 2)


def test_loading_the_real_catalog_twice_inserts_every_template_once(db):
    with db.write() as session:
        first = load_builtin_templates(session)
    with db.write() as session:
        second = load_builtin_templates(session)
    assert first.inserted == len(catalog()) > 30
    assert (second.inserted, second.unchanged) == (0, first.inserted)

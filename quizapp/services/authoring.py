"""Authoring templates: validate, save as versions, publish and unpublish.

Plain functions over a SQLAlchemy Session (no Flask), shared by the instructor pages and the
JSON API's instructor endpoints. Rules (docs/instructor.md):

- Nothing is stored while a problem remains: ``validate_source`` lists every problem of the
  format (``exercises.spec.load_template``) and whether the first seeds can be generated.
- Version numbers belong to the service: the source's ``version:`` is rewritten to the number
  assigned. Saving over the newest version updates it in place only while it is an unused
  draft (not published, no instance handed out); otherwise a new version is created, so
  instances and attempts keep the version they came from.
- Slug ownership: the author of a slug's first version may add versions; admins may edit any
  authored slug. Built-in slugs (exercises.catalog()) are read-only for everyone: copy to edit.
- At most one version of a slug is published (live); publishing needs the pinned test cases
  to pass and ``PUBLISH_SEEDS`` seeds to generate.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exercises.errors import ExerciseError
from exercises.generation import generate_from
from exercises.registry import builtin_templates
from exercises.spec import TemplateError, load_template
from exercises.template_source import TemplateSource, from_yaml
from quizapp.models import ExerciseInstance, TemplateVersion
from quizapp.services.ownership import (
    AuthoringError, Forbidden, InvalidTemplate, NotFound, check_can_edit, is_builtin, versions)
from quizapp.services.template_source import set_top_level
from quizapp.services.template_tests import failing_cases

SMOKE_SEEDS = range(3)      # checked on every save: a template that cannot make these is broken
PUBLISH_SEEDS = range(50)   # checked before publishing


class PublishRefused(AuthoringError):
    code, status = "publish_refused", 409


# --- validation -----------------------------------------------------------------------------

def problem(code: str, ja: str, en: str, field: str = "", line: int | None = None) -> dict:
    return {"field": field, "line": line, "code": code, "message_ja": ja, "message_en": en, "caret": None}


def check_source(source) -> tuple[TemplateSource | None, list[dict]]:
    """(template, []) when the source is usable, else (None, every problem as a dict)."""
    if not isinstance(source, str) or not source.strip():
        return None, [problem("empty", "テンプレートのソース（YAML）を入力してください",
                              "enter the template source (YAML)")]
    try:
        template = from_yaml(source)
    except TemplateError as err:
        return None, [p.to_dict() for p in err.problems]
    broken = generation_problems(template, SMOKE_SEEDS)
    return (None, broken) if broken else (template, [])


def validate_source(source) -> list[dict]:
    """Every problem of a template source as dicts (field, line, code, message_ja,
    message_en, caret); an empty list when it can be saved."""
    return check_source(source)[1]


def generation_problems(template: TemplateSource, seeds) -> list[dict]:
    """Seeds that produce no verified instance (TemplateBroken, with its counted reasons)."""
    for seed in seeds:
        try:
            generate_from(template, seed=seed)
        except ExerciseError as err:
            return [problem(err.code, err.message_ja, err.message_en)]
    return []


# --- saving ---------------------------------------------------------------------------------

def save_template(session: Session, source: str, author_id: int) -> TemplateVersion:
    """Validate and store ``source`` as a draft version of its slug; ``InvalidTemplate``
    (with every problem) or ``Forbidden`` store nothing. Run ``template_tests.run_cases``
    afterwards to show the pinned test cases (they block publishing, not saving)."""
    template, problems = check_source(source)
    if problems:
        raise InvalidTemplate("テンプレートに問題があります", "the template has problems", problems)
    check_can_edit(session, author_id, template.slug)
    latest = _latest(session, template.slug)
    if latest is not None and _mutable(session, latest):
        row = latest
    else:
        row = TemplateVersion(slug=template.slug, version=(latest.version + 1) if latest else 1,
                              status="draft", author_id=author_id)
        session.add(row)
    source = set_top_level(source, "version", row.version)
    template = load_template(source)
    row.source, row.family, row.topics = source, template.family, list(template.topics)
    row.title_ja, row.title_en = template.title["ja"][:200], template.title["en"][:200]
    session.flush()
    return row


def _latest(session: Session, slug: str) -> TemplateVersion | None:
    return session.scalar(select(TemplateVersion).where(TemplateVersion.slug == slug)
                          .order_by(TemplateVersion.version.desc()).limit(1).with_for_update())


def instance_count(session: Session, row: TemplateVersion) -> int:
    return session.scalar(select(func.count()).select_from(ExerciseInstance)
                          .where(ExerciseInstance.template_version_id == row.id))


def _mutable(session: Session, row: TemplateVersion) -> bool:
    return row.status == "draft" and instance_count(session, row) == 0


def copy_builtin(session: Session, builtin_slug: str, new_slug: str, author_id: int) -> TemplateVersion:
    """A draft copy of a built-in YAML template under a new slug the instructor chose."""
    source = builtin_source(builtin_slug)
    if source is None:
        raise NotFound(f"コピーできる組み込みテンプレート {builtin_slug} はありません",
                       f"no built-in template {builtin_slug} that can be copied")
    if versions(session, new_slug) or is_builtin(new_slug):
        raise Forbidden(f"slug {new_slug} はすでに使われています", f"the slug {new_slug} is already taken")
    return save_template(session, set_top_level(source, "slug", new_slug), author_id)


def builtin_source(slug: str) -> str | None:
    """The YAML of a built-in template (None for Python generators, which have no YAML)."""
    template = builtin_templates().get(slug)
    return template.yaml if template is not None else None


# --- publishing -----------------------------------------------------------------------------

def get_version(session: Session, slug: str, version: int) -> TemplateVersion:
    row = session.scalar(select(TemplateVersion).where(TemplateVersion.slug == slug,
                                                       TemplateVersion.version == version))
    if row is None:
        raise NotFound(f"テンプレート {slug} v{version} はありません", f"no template {slug} v{version}")
    return row


def publish(session: Session, slug: str, version: int, user_id: int) -> TemplateVersion:
    """Make ``version`` the live one (other versions of the slug go back to draft)."""
    check_can_edit(session, user_id, slug)
    row = get_version(session, slug, version)
    template = from_yaml(row.source)
    problems = generation_problems(template, PUBLISH_SEEDS) + [
        problem("pinned_case_failed", f"固定テスト「{r.name}」が失敗しました: {r.message_ja}",
                f"pinned test case '{r.name}' failed: {r.message_en}", field=r.name)
        for r in failing_cases(session, template)]
    if problems:
        raise PublishRefused("公開できません", "cannot publish", problems)
    for other in versions(session, slug):
        other.status = "published" if other.id == row.id else "draft"
    session.flush()
    return row


def unpublish(session: Session, slug: str, user_id: int) -> None:
    """Take the slug off the learners' list; instances and attempts keep their version."""
    check_can_edit(session, user_id, slug)
    rows = versions(session, slug)
    if not rows:
        raise NotFound(f"テンプレート {slug} はありません", f"no template {slug}")
    for row in rows:
        row.status = "draft"
    session.flush()

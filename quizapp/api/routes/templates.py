"""Templates: the published catalog for everyone; create, update and validate for instructors
(through quizapp.services.authoring, the same rules and checks as the web editor)."""
from __future__ import annotations

from exercises.errors import UnknownTemplate
from exercises.spec.syllabus import SYLLABUS
from quizapp.api.blueprint import bp
from quizapp.api.domain import authoring_problem, problem_items
from quizapp.api.endpoint import Param, Reply, operation
from quizapp.api.problems import ApiError
from quizapp.api.schemas.templates import (
    TemplateDetail,
    TemplateList,
    TemplateSource,
    TemplateValidate,
    ValidationReport,
)
from quizapp.api.serialize import family_name, utc
from quizapp.api.validation import one_of
from quizapp.caches import get_cache
from quizapp.db import get_session, write_session
from quizapp.services import authoring
from quizapp.services import ownership
from quizapp.services.catalog import latest_published, published_templates
from quizapp.services.template_source import top_level

SLUG = Param("slug", "path", {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{2,63}$"},
             "テンプレートの slug（validate は予約語）/ the template's slug (validate is reserved)")
SYLLABUS_FILTER = Param("syllabus", "query", {"type": "string", "enum": list(SYLLABUS)},
                        "JDLA シラバスの項目 id で絞り込む（例: 3-2-3）/ only templates tagged with this "
                        "JDLA syllabus item (e.g. 3-2-3)")
TEMPLATE_BODY_LIMIT = 512 * 1024  # 64 KB of YAML, JSON-escaped (\uXXXX) at worst ~6x


def summary(row) -> dict:
    obj = get_cache().template(row)
    return {"slug": row.slug, "version": row.version, "family": row.family,
            "family_name": family_name(row.family), "difficulty": int(obj.difficulty),
            "topics": list(row.topics or []), "syllabus": list(obj.syllabus), "title": {"ja": row.title_ja, "en": row.title_en},
            "kind": obj.origin}


def detail(row, with_source: bool) -> TemplateDetail:
    obj = get_cache().template(row)
    return TemplateDetail(
        **summary(row), statement=obj.statement, status=row.status,
        params=obj.param_domains(), params_doc=obj.params_doc,
        created_at=utc(row.created_at), source=row.source if with_source else None)


@operation(bp, "/templates", "GET", summary="テンプレート一覧 / List templates", tag="templates",
           auth="optional", response=TemplateList, errors=(401, 422, 429), limit="public",
           params=(SYLLABUS_FILTER,))
def list_templates(principal):
    """公開中のテンプレート（各 slug の最新版）。トークンは不要です。syllabus で JDLA シラバスの項目に絞れます。
    The published templates (newest version of each slug), optionally only those of one JDLA
    syllabus item. No token needed."""
    wanted = one_of("syllabus", tuple(SYLLABUS))
    rows = sorted(published_templates(get_session()), key=lambda r: (r.family, r.slug))
    items = [item for item in map(summary, rows) if wanted is None or wanted in item["syllabus"]]
    return TemplateList(templates=items, count=len(items))


@operation(bp, "/templates/<slug:slug>", "GET", summary="テンプレートの詳細 / One template", tag="templates",
           auth="optional", response=TemplateDetail, errors=(401, 404, 429), limit="public", params=(SLUG,))
def get_template(slug: str, principal):
    """パラメータの定義域つき。instructor スコープでは YAML のソースも返します。
    With the parameters' domains; with an instructor token also the YAML source."""
    try:
        row = latest_published(get_session(), slug[:100])
    except UnknownTemplate as err:
        raise ApiError("unknown_template", err.message_ja, err.message_en, field="slug") from None
    return detail(row, with_source=principal is not None and principal.scope == "instructor")


def _slug_of(source: str) -> str | None:
    slug = top_level(source).get("slug")
    return slug if isinstance(slug, str) else None


def _store(source: str, publish: bool, user_id: int, *, must_exist: str | None):
    """Save (and publish) in one transaction: a refused publish stores nothing."""
    try:
        with write_session() as session:
            slug = _slug_of(source)
            taken = slug is not None and (ownership.is_builtin(slug) or bool(ownership.versions(session, slug)))
            if must_exist is None and taken:
                raise ApiError("template_exists", f"テンプレート {slug} はすでにあります（更新は PUT /templates/{slug}）",
                               f"template {slug} already exists (update it with PUT /templates/{slug})", field="source")
            if must_exist is not None:
                _check_target(session, must_exist, slug)
            row = authoring.save_template(session, source, user_id)
            if publish:
                authoring.publish(session, row.slug, row.version, user_id)
            return detail(row, with_source=True)
    except ownership.AuthoringError as err:
        raise authoring_problem(err) from None


def _check_target(session, slug: str, source_slug: str | None) -> None:
    if source_slug is not None and source_slug != slug:
        raise ApiError("validation_error", f"ソースの slug（{source_slug}）が URL の slug（{slug}）と違います",
                       f"the source's slug ({source_slug}) differs from the URL's ({slug})", field="source")
    if not ownership.is_builtin(slug) and not ownership.versions(session, slug):
        raise ApiError("unknown_template", f"テンプレート {slug} はありません（新規は POST /templates）",
                       f"no template {slug} (create one with POST /templates)", field="slug")


INSTRUCTOR_ERRORS = (400, 401, 403, 409, 413, 415, 422, 429)


@operation(bp, "/templates", "POST", summary="テンプレートを作る / Create a template", tag="instructor",
           auth="instructor", body=TemplateSource, response=TemplateDetail, status=201,
           errors=INSTRUCTOR_ERRORS, limit="account", max_body=TEMPLATE_BODY_LIMIT)
def create_template(principal, body: TemplateSource):
    """新しい slug を下書き（publish=true なら公開）で保存します。検査は web の編集画面と同じで、
    問題があれば 422（errors に field・line・code・メッセージ）。既存の slug は 409。
    Saves a new slug as a draft (published with publish=true). Same checks as the web editor:
    problems give 422 with each field, line, code and message. An existing slug gives 409."""
    return Reply(_store(body.source, body.publish, principal.user_id, must_exist=None))


@operation(bp, "/templates/<slug:slug>", "PUT", summary="テンプレートを更新する / Update a template",
           tag="instructor", auth="instructor", body=TemplateSource, response=TemplateDetail,
           errors=INSTRUCTOR_ERRORS + (404,), limit="account", max_body=TEMPLATE_BODY_LIMIT, params=(SLUG,))
def update_template(slug: str, principal, body: TemplateSource):
    """自分の slug に新しい版を保存します（未使用の下書きはその場で更新）。組み込みや他の講師の
    slug は 403。Saves a new version of your slug (an unused draft is updated in place);
    built-in slugs and other instructors' slugs are 403."""
    return _store(body.source, body.publish, principal.user_id, must_exist=slug)


@operation(bp, "/templates/validate", "POST", summary="テンプレートを検査する / Validate a template",
           tag="instructor", auth="instructor", body=TemplateValidate, response=ValidationReport,
           errors=(400, 401, 403, 413, 415, 422, 429), limit="account", max_body=TEMPLATE_BODY_LIMIT)
def validate_template(principal, body: TemplateValidate):
    """保存せずに検査します（web の編集画面と同じ検査）。Checks without saving (the web editor's checks)."""
    problems = authoring.validate_source(body.source)
    return ValidationReport(valid=not problems, problems=problem_items(problems))

"""Test report before publishing, pinned test cases, insight and the CSV export."""
from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from exercises.grading.probes import PROBES
from exercises.template_source import from_yaml
from quizapp.caches import get_cache
from quizapp.db import get_db, get_session, write_session
from quizapp.instructor.blueprint import bp
from quizapp.instructor.access import can_regrade, lang, may_regrade, owned_version, owned_versions, viewable
from quizapp.instructor.forms import ActionForm, CaseForm, RunForm
from quizapp.instructor.preview import misconception_name, preview
from quizapp.instructor.routes import template_page
from quizapp.services import insight, regrade, template_tests
from quizapp.services.ownership import AuthoringError, versions


@bp.get("/t/<slug>/v/<int:version>/test")
def test_run(slug: str, version: int):
    row = owned_version(slug, version)
    form = RunForm(request.args)
    if not form.validate():
        abort(400)
    template = from_yaml(row.source)
    report = template_tests.test_report(template, form.n.data or template_tests.DEFAULT_N)
    previews = [preview(ex, template, lang()) for ex in report.previews]
    return render_template("instructor/test_report.html", row=row, report=report, previews=previews,
                           form=form, max_n=template_tests.MAX_N, lang=lang(), probes=PROBES)


@bp.post("/t/<slug>/cases")
def add_case(slug: str):
    owned_versions(slug)
    form = CaseForm()
    params = answers = None
    if form.validate_on_submit():
        params, answers = _json_field(form.params), _json_field(form.answers)
    if params is None or answers is None:
        return template_page(slug, case_form=form, status=422)
    try:
        with write_session() as session:
            template_tests.add_case(session, slug, current_user.id, name=form.name.data, params=params,
                                    answers=answers, expected_score=float(form.expected_score.data))
    except AuthoringError as err:
        flash(err.message(lang()), "error")
    else:
        flash(_("固定テスト「%(name)s」を追加しました。", name=form.name.data), "success")
    return redirect(url_for(".template", slug=slug))


def _version_arg() -> int | None:
    """``?version=n``; a number no version can have is a 404, not a database overflow."""
    version = request.args.get("version", type=int)
    if version is not None and not 0 < version < 2**31:
        abort(404)
    return version


def _json_field(field) -> dict | None:
    try:
        value = json.loads(field.data or "")
    except ValueError:
        value = None
    if not isinstance(value, dict):
        field.errors = list(field.errors) + [_("JSON のオブジェクト（{\"x\": 1} の形）で書いてください。")]
        return None
    return value


@bp.post("/t/<slug>/cases/<int:case_id>/delete")
def delete_case(slug: str, case_id: int):
    owned_versions(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    case = get_session().get(template_tests.TemplateTestCase, case_id)
    if case is None or case.slug != slug:
        abort(404)
    with write_session() as session:
        template_tests.delete_case(session, case_id, current_user.id)
    flash(_("固定テストを削除しました。"), "success")
    return redirect(url_for(".template", slug=slug))


@bp.get("/t/<slug>/insight")
def insight_page(slug: str):
    viewable(slug)
    version = _version_arg()
    data = insight.template_insight(get_session(), slug, version)
    family = _family(slug)
    names = {mid: misconception_name(family, mid, lang()) for mid, _count in data.misconceptions}
    return render_template("instructor/insight.html", slug=slug, data=data, names=names,
                           versions=_versions(slug), lang=lang(), regrade_form=ActionForm(),
                           can_regrade=can_regrade(slug))


@bp.post("/t/<slug>/regrade")
def regrade_attempts(slug: str):
    """Grade the stored attempts again (after the grader changed): the owner or an admin on an
    authored slug, an admin on a built-in one."""
    may_regrade(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    version = _version_arg()
    done = regrade.regrade(get_db(), get_cache(), slug, version)
    flash(_("%(attempts)d 件の解答を採点し直し、%(changed)d 件の採点が変わりました。",
            attempts=done.attempts, changed=done.changed), "success")
    if done.skipped:
        flash(_("%(skipped)d 件は問題を再生成できないため、そのままです。", skipped=done.skipped), "info")
    return redirect(url_for(".insight_page", slug=slug, version=version))


@bp.get("/t/<slug>/attempts.csv")
def attempts_csv(slug: str):
    viewable(slug)
    version = _version_arg()
    text = insight.attempts_csv(get_session(), slug, version)
    suffix = f"-v{version}" if version else ""
    return Response("\ufeff" + text, mimetype="text/csv",  # BOM: Excel opens UTF-8 Japanese
                    headers={"Content-Disposition": f'attachment; filename="{slug}{suffix}-attempts.csv"'})


def _versions(slug: str) -> list[int]:
    return [r.version for r in versions(get_session(), slug)]


def _family(slug: str) -> str | None:
    rows = versions(get_session(), slug)
    return rows[0].family if rows else None

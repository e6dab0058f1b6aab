"""Template list, editor (source + metadata fields + upload), template page, publishing,
copy-to-edit of built-ins and source downloads."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from exercises.registry import catalog
from exercises.spec import load_template
from exercises.template_source import from_yaml
from quizapp.db import get_session, write_session
from quizapp.instructor.blueprint import bp
from quizapp.instructor.access import lang, owned_version, owned_versions
from quizapp.instructor.forms import ActionForm, CaseForm, CopyForm, RunForm, TemplateForm
from quizapp.instructor.sources import apply_metadata, source_placeholders, uploaded_source
from quizapp.services import authoring, template_tests
from quizapp.services import ownership
from quizapp.services.ownership import AuthoringError, Forbidden, InvalidTemplate

INVALID = 422


@bp.get("/")
def index():
    session = get_session()
    mine = ownership.authored_slugs(session, None if current_user.has_role("admin") else current_user.id)
    builtins = [t for t in catalog() if t.yaml is not None]  # copyable YAML
    return render_template("instructor/index.html", mine=mine, builtins=builtins, lang=lang())


# --- the editor -----------------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
def new():
    return _editor(TemplateForm(), slug=None)


@bp.route("/t/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    rows = owned_versions(slug)
    form = TemplateForm()
    if not form.is_submitted():
        version = request.args.get("version", type=int)
        row = next((r for r in rows if r.version == version), rows[0])
        form.source.data = row.source
    return _editor(form, slug=slug)


def _editor(form: TemplateForm, slug: str | None):
    if not form.validate_on_submit():
        return _render_editor(form, slug, status=INVALID if form.errors else 200)
    source = uploaded_source(form)
    if source is None:
        return _render_editor(form, slug, status=INVALID)
    source = apply_metadata(source, form)
    form.source.data = source
    try:
        with write_session() as session:
            row = authoring.save_template(session, source, current_user.id)
            saved = (row.slug, row.version)
    except InvalidTemplate as err:
        return _render_editor(form, slug, problems=err.problems, status=INVALID)
    except Forbidden as err:
        problem = authoring.problem(err.code, err.message_ja, err.message_en, field="slug")
        return _render_editor(form, slug, problems=[problem], status=403)
    except IntegrityError:  # the same slug saved at the same moment by another request
        problem = authoring.problem("conflict", "同時に保存されました。もう一度保存してください",
                                    "saved by another request at the same moment: save again")
        return _render_editor(form, slug, problems=[problem], status=409)
    flash(_("%(slug)s の v%(version)d を下書きとして保存しました。", slug=saved[0], version=saved[1]), "success")
    return redirect(url_for(".template", slug=saved[0]))


def _render_editor(form: TemplateForm, slug, problems=(), status=200):
    for name in ("slug", "title_ja", "title_en", "family", "difficulty"):
        form[name].data = ""  # applied to the source (or not yet typed): the source is the truth
    placeholders = source_placeholders(form.source.data or "")
    return render_template("instructor/editor.html", form=form, slug=slug, problems=problems,
                           placeholders=placeholders, lang=lang()), status


# --- one authored template ------------------------------------------------------------------

@bp.get("/t/<slug>")
def template(slug: str):
    return template_page(slug)


def template_page(slug: str, publish_problems=(), case_form=None, status=200):
    rows = owned_versions(slug)
    session = get_session()
    cases = template_tests.run_cases(session, from_yaml(rows[0].source))
    used = {r.id: authoring.instance_count(session, r) for r in rows}
    return render_template("instructor/template.html", slug=slug, rows=rows, used=used, cases=cases,
                           case_form=case_form or CaseForm(formdata=None), action=ActionForm(),
                           run_form=RunForm(formdata=None), publish_problems=publish_problems,
                           lang=lang()), status


@bp.post("/t/<slug>/v/<int:version>/publish")
def publish(slug: str, version: int):
    owned_version(slug, version)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with write_session() as session:
            authoring.publish(session, slug, version, current_user.id)
    except AuthoringError as err:
        return template_page(slug, publish_problems=err.problems or [
            authoring.problem(err.code, err.message_ja, err.message_en)], status=409)
    flash(_("%(slug)s の v%(version)d を公開しました。", slug=slug, version=version), "success")
    return redirect(url_for(".template", slug=slug))


@bp.post("/t/<slug>/unpublish")
def unpublish(slug: str):
    owned_versions(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    with write_session() as session:
        authoring.unpublish(session, slug, current_user.id)
    flash(_("%(slug)s の公開を停止しました。", slug=slug), "success")
    return redirect(url_for(".template", slug=slug))


@bp.get("/t/<slug>/v/<int:version>/source.yaml")
def download(slug: str, version: int):
    row = owned_version(slug, version)
    return _yaml_response(row.source, f"{slug}-v{version}.yaml")


def _yaml_response(source: str, filename: str) -> Response:
    return Response(source, mimetype="application/yaml",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- built-ins: read-only, copy to edit ------------------------------------------------------

@bp.route("/builtin/<slug>", methods=["GET"])
def builtin(slug: str):
    return _builtin_page(slug, CopyForm(formdata=None))


def _builtin_page(slug: str, form: CopyForm, status=200):
    source = authoring.builtin_source(slug)
    if source is None:
        abort(404)
    return render_template("instructor/builtin.html", slug=slug, source=source, form=form,
                           template=load_template(source), lang=lang()), status


@bp.post("/builtin/<slug>/copy")
def copy(slug: str):
    if authoring.builtin_source(slug) is None:
        abort(404)
    form = CopyForm()
    if not form.validate_on_submit():
        return _builtin_page(slug, form, status=INVALID)
    try:
        with write_session() as session:
            row = authoring.copy_builtin(session, slug, form.new_slug.data, current_user.id)
            new_slug = row.slug
    except AuthoringError as err:
        form.new_slug.errors.append(err.message(lang()))
        for p in err.problems:
            form.new_slug.errors.append(p["message_en" if lang() == "en" else "message_ja"])
        return _builtin_page(slug, form, status=INVALID)
    flash(_("%(slug)s をコピーしました。編集してから公開してください。", slug=new_slug), "success")
    return redirect(url_for(".edit", slug=new_slug))


@bp.get("/builtin/<slug>/source.yaml")
def builtin_download(slug: str):
    source = authoring.builtin_source(slug)
    if source is None:
        abort(404)
    return _yaml_response(source, f"{slug}.yaml")


"""The exercise flow: start an instance, answer it (plain POST form, works without
JavaScript), see the graded result; a sample without an account; the formula preview.

A route parses the request, calls the services (instances, attempts), and renders through exercise_render.
"""
from __future__ import annotations

import re
import secrets
import uuid

from flask import abort, redirect, request, url_for
from flask_login import current_user, login_required

from exercises import grade
from exercises.grading import from_verdicts
from exercises.errors import ParamsError, TemplateBroken, UnknownTemplate
from exercises.generation import MAX_SEED, generate_from
from quizapp.caches import get_cache
from quizapp.db import get_db, get_session, write_session
from quizapp.models import FRAMEWORKS, Attempt
from quizapp.services import attempts, catalog, instances, learner_settings
from quizapp.study.blueprint import bp
from quizapp.study import exercise_render as page
from quizapp.study.exercise_view import read_answers
from quizapp.study.preview import preview_formula  # noqa: F401  (registers /exercises/preview)

KEY = re.compile(r"[A-Za-z0-9_-]{8,100}")


def _seed_arg() -> int | None:
    """``?seed=N``: None when absent; a malformed or out-of-range seed is a 404 (no such page)."""
    raw = request.args.get("seed")
    if raw is None:
        return None
    if not re.fullmatch(r"[0-9]{1,19}", raw) or int(raw) > MAX_SEED:  # not str.isdigit: "²", "٣"
        abort(404)
    return int(raw)


def _idempotency_key() -> str | None:
    key = request.form.get("idempotency_key", "")
    return key if KEY.fullmatch(key) else None


def _load(instance_id: str):
    try:
        return instances.load_instance(get_session(), get_cache(), instance_id, user_id=current_user.id)
    except instances.NotFound:
        abort(404)


@bp.get("/exercises/<slug>/new")
@login_required
def new_exercise(slug: str):
    seed = _seed_arg()
    try:  # generate before the write: no writer waits on the CPU work
        prepared = instances.prepare_exercise(get_session(), get_cache(), slug, user_id=current_user.id, seed=seed)
    except UnknownTemplate:
        abort(404)
    except (ParamsError, TemplateBroken):
        abort(400)
    with write_session() as session:
        instance = instances.store_exercise(session, get_cache(), prepared, user_id=current_user.id)
    return redirect(url_for("study.exercise", instance_id=instance.id))


@bp.get("/exercises/<instance_id>")
@login_required
def exercise(instance_id: str):
    instance, row, ex = _load(instance_id)
    action = url_for("study.submit", instance_id=instance.id)
    return page.form(row, ex, action=action, key=uuid.uuid4().hex, started=page.sign_start(instance.id))


@bp.post("/exercises/<instance_id>")
@login_required
def submit(instance_id: str):
    loaded = _load(instance_id)
    instance, row, ex = loaded
    answers = read_answers(request.form, ex)
    started = request.form.get("started", "")
    sub = attempts.submit_loaded(get_db(), loaded, answers, user_id=current_user.id,
                                 time_taken_ms=page.elapsed_ms(started, instance.id),
                                 idempotency_key=_idempotency_key())
    if sub.attempt is None:
        action = url_for("study.submit", instance_id=instance.id)
        return page.form(row, ex, action=action, key=_idempotency_key() or uuid.uuid4().hex,
                         started=started, answers=answers, result=sub.result)
    return redirect(url_for("study.attempt", instance_id=sub.attempt.instance_id, attempt_id=sub.attempt.id))


@bp.get("/exercises/<instance_id>/attempts/<int:attempt_id>")
@login_required
def attempt(instance_id: str, attempt_id: int):
    instance, row, ex = _load(instance_id)
    stored = get_session().get(Attempt, attempt_id)
    if stored is None or stored.instance_id != instance.id or stored.user_id != current_user.id:
        abort(404)
    links = {"again": url_for("study.exercise", instance_id=instance.id),
             "new": url_for("study.new_exercise", slug=ex.slug)}
    return page.result(row, ex, stored.answers, from_verdicts(ex, stored.verdicts, stored.score), links,
                       time_taken_ms=stored.time_taken_ms)


def _framework_arg() -> dict:
    """``?framework=tensorflow`` (or pytorch) as URL arguments; absent: {}; another value: 404."""
    raw = request.args.get("framework")
    if raw is None:
        return {}
    if raw not in FRAMEWORKS:
        abort(404)
    return {"framework": raw}


@bp.route("/try/<slug>", methods=["GET", "POST"])
def try_exercise(slug: str):
    """A sample exercise for visitors: drawn from (slug, seed), graded, never stored. A source
    that takes the framework as a preference is drawn with ``?framework=`` (PyTorch if absent,
    or the learner's own setting when signed in)."""
    seed, chosen = _seed_arg(), _framework_arg()
    if seed is None:
        return redirect(url_for("study.try_exercise", slug=slug, seed=secrets.randbelow(1_000_000), **chosen))
    try:
        row = catalog.latest_published(get_session(), slug)
        source = get_cache().template(row)
        framework = chosen.get("framework") or (current_user.framework if current_user.is_authenticated
                                                else learner_settings.DEFAULT_FRAMEWORK)
        params = learner_settings.preferences_for(source, framework)
        ex = generate_from(source, seed=seed, params=params)
    except UnknownTemplate:
        abort(404)
    except TemplateBroken:
        abort(400)
    chosen = {"framework": framework} if params else {}  # the same exercise when the answers come back
    action = url_for("study.try_exercise", slug=slug, seed=seed, **chosen)
    token_subject = f"try:{slug}:{seed}"
    if request.method == "GET":
        return page.form(row, ex, action=action, key="", started=page.sign_start(token_subject), trial=True)
    answers = read_answers(request.form, ex)
    result = grade(ex, answers)
    started = request.form.get("started", "")
    if not result.valid:
        return page.form(row, ex, action=action, key="", started=started, answers=answers,
                         result=result, trial=True)
    links = {"again": action, "new": url_for("study.try_exercise", slug=slug, **chosen)}
    return page.result(row, ex, answers, result, links, trial=True,
                       time_taken_ms=page.elapsed_ms(started, token_subject))

"""Rendering the exercise form and the result page, and the signed start time of a form."""
from __future__ import annotations

import time

from flask import current_app, render_template
from flask_babel import get_locale
from itsdangerous import BadData, URLSafeSerializer

from exercises.spec.vocab import FAMILIES
from quizapp.caches import get_cache
from quizapp.study.exercise_view import attach_errors, attach_results, part_views, text
from quizapp.study.graph_layout import layout
from quizapp.study.richtext import code_block, inline, rich

INVALID = 422           # the answers could not be read: the form comes back with the reasons
MAX_TIME_MS = 24 * 3600 * 1000


def locale() -> str:
    return str(get_locale() or "ja")


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="exercise-started")


def sign_start(subject: str) -> str:
    """When the form was shown, signed, so the time taken cannot be made up by the client."""
    return _signer().dumps([subject, int(time.time() * 1000)])


def elapsed_ms(token: str, subject: str) -> int | None:
    try:
        signed_subject, started = _signer().loads(token)
    except (BadData, TypeError, ValueError):
        return None
    elapsed = int(time.time() * 1000) - int(started)
    return elapsed if signed_subject == subject and 0 <= elapsed <= MAX_TIME_MS else None


def _common(row, ex) -> dict:
    loc = locale()
    return {
        "ex": ex, "slug": row.slug, "title": text(ex.title, loc), "family": text(FAMILIES.get(ex.family, ex.family), loc),
        "statement": rich(text(ex.statement, loc)),
        "hints": [rich(text(h, loc)) for h in ex.hints], "graph": layout(ex.graph),
    }


def form(row, ex, *, action: str, key: str, started: str, answers: dict | None = None,
         result=None, trial: bool = False):
    views = part_views(get_cache().template(row), ex, locale(), answers)
    if result is not None:
        attach_errors(views, result, locale())
    html = render_template("study/exercise.html", parts=views, action=action, key=key, started=started,
                           trial=trial, invalid=result is not None, **_common(row, ex))
    return html, (INVALID if result is not None else 200)


def _solution(ex) -> dict | None:
    sol = ex.solution
    if not sol:
        return None
    loc = locale()
    headings = sol.get("headings", {})
    return {
        "forward": [inline(line) for line in sol.get("forward", [])],
        "backward": [inline(line) for line in sol.get("backward", [])],
        "forward_heading": text(headings.get("forward"), loc),
        "backward_heading": text(headings.get("backward"), loc),
        "code": code_block(sol["code"], "python") if sol.get("code") else None,
        "graph": layout(sol.get("graph"), solution=True),
    }


def result(row, ex, answers: dict, graded, links: dict, *, trial: bool = False,
           time_taken_ms: int | None = None):
    loc = locale()
    views = part_views(get_cache().template(row), ex, loc, answers)
    attach_results(views, ex, graded, loc)
    correct = sum(1 for v in views if v.result.status == "correct")
    return render_template(
        "study/exercise_result.html", parts=views, score=graded.score, correct=correct,
        total=len(views), explanation=rich(text(ex.explanation, loc)) if ex.explanation else None,
        solution=_solution(ex), links=links, trial=trial, time_taken=_minutes_seconds(time_taken_ms),
        **_common(row, ex))


def _minutes_seconds(ms: int | None) -> tuple[int, int] | None:
    if ms is None:
        return None
    seconds = round(ms / 1000)
    return seconds // 60, seconds % 60

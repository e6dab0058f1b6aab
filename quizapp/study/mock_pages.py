"""Mock exam pages: start, take (every question on one page), submit once, score report."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from quizapp.caches import get_cache
from quizapp.db import get_db, get_session
from quizapp.services import mock_exams
from quizapp.study.blueprint import bp
from quizapp.study.exercise_view import attach_errors, part_views, read_answers
from quizapp.study.graph_layout import layout
from quizapp.study.names import explanations, vocabulary
from quizapp.study.richtext import rich


class PrefixedForm:
    """One question's fields of the exam form: ``q<n>-<field>`` read as ``<field>``, so the
    exercise pages' reader of answers serves every question on the page."""

    def __init__(self, form, prefix: str):
        self._form, self._prefix = form, prefix

    def get(self, key, default=None):
        return self._form.get(self._prefix + key, default)


def _locale() -> str:
    return str(get_locale() or "ja")


def _own_exam(exam_id: str):
    try:
        return mock_exams.load(get_session(), exam_id, current_user.id)
    except mock_exams.NotFound:
        abort(404)


@bp.get("/mock")
@login_required
def mock_index():
    exams = mock_exams.history(get_session(), current_user.id)
    return render_template("study/mock_index.html", exams=exams, counts=mock_exams.QUESTION_COUNTS,
                           default_count=mock_exams.DEFAULT_QUESTIONS,
                           minutes_each=mock_exams.SECONDS_PER_QUESTION // 60, deadline=mock_exams.deadline)


@bp.post("/mock")
@login_required
def mock_start():
    count = request.form.get("count", type=int)
    if count not in mock_exams.QUESTION_COUNTS:
        count = mock_exams.DEFAULT_QUESTIONS
    try:
        exam = mock_exams.start(get_db(), get_cache(), current_user.id, count)
    except mock_exams.NoExercises:
        flash(_("公開されている問題がないため、模擬試験を始められません。"), "error")
        return redirect(url_for("study.mock_index"))
    return redirect(url_for("study.mock_take", exam_id=exam.id))


def _questions(exam, answers=None, invalid=None) -> list[dict]:
    locale, out = _locale(), []
    for number, (instance, row, exercise) in enumerate(mock_exams.questions(get_session(), get_cache(), exam), start=1):
        template = get_cache().template(row)
        views = part_views(template, exercise, locale, (answers or {}).get(instance.id))
        if invalid and instance.id in invalid:
            attach_errors(views, invalid[instance.id], locale)
        out.append({"number": number, "prefix": f"q{number}-", "instance_id": instance.id,
                    "family": exercise.family, "title": exercise.title[locale],
                    "statement": rich(exercise.statement[locale]), "graph": layout(exercise.graph),
                    "parts": views})
    return out


def _take_page(exam, answers=None, invalid=None, status=200):
    now = mock_exams.now()
    return render_template("study/mock_take.html", exam=exam, deadline=mock_exams.deadline(exam),
                           seconds_left=mock_exams.seconds_left(exam, now),
                           questions=_questions(exam, answers, invalid), has_errors=bool(invalid)), status


@bp.get("/mock/<exam_id>")
@login_required
def mock_take(exam_id: str):
    exam = mock_exams.close_if_expired(get_db(), get_cache(), _own_exam(exam_id))
    if exam.finished_at is not None:
        return redirect(url_for("study.mock_report", exam_id=exam.id))
    return _take_page(exam)


def _read_exam_answers(exam) -> dict:
    return {instance.id: read_answers(PrefixedForm(request.form, f"q{n}-"), exercise)
            for n, (instance, _, exercise) in enumerate(mock_exams.questions(get_session(), get_cache(), exam), start=1)}


@bp.post("/mock/<exam_id>")
@login_required
def mock_submit(exam_id: str):
    exam = _own_exam(exam_id)
    answers = _read_exam_answers(exam) if exam.finished_at is None else {}
    outcome = mock_exams.submit(get_db(), get_cache(), exam.id, current_user.id, answers)
    if outcome.invalid:
        return _take_page(outcome.exam, answers, outcome.invalid, status=422)
    if outcome.already:
        flash(_("この模擬試験はすでに提出されています。最初の提出の結果を表示します。"), "info")
    elif outcome.late:
        flash(_("制限時間を過ぎてから提出されたため、解答は未解答として採点しました。"), "error")
    return redirect(url_for("study.mock_report", exam_id=exam.id))


@bp.get("/mock/<exam_id>/report")
@login_required
def mock_report(exam_id: str):
    exam = mock_exams.close_if_expired(get_db(), get_cache(), _own_exam(exam_id))
    if exam.finished_at is None:
        return redirect(url_for("study.mock_take", exam_id=exam.id))
    found = [m["id"] for m in exam.report["misconceptions"]]
    return render_template("study/mock_report.html", exam=exam, report=exam.report,
                           explanations=explanations(found, _locale()), **vocabulary())

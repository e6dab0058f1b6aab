"""Learner pages. The exercise pages plug in here once ``exercises`` offers generate/grade."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from quizapp.db import get_session
from quizapp.models import Progress
from quizapp.study import bp


@bp.get("/")
def home():
    # TODO(topic map): list the E資格 topics from the published templates once the
    # catalog exists (quizapp/services/templates.py); for now a welcome page.
    return render_template("study/home.html")


@bp.get("/progress")
@login_required
def progress():
    rows = get_session().scalars(
        select(Progress).where(Progress.user_id == current_user.id).order_by(Progress.family)
    ).all()
    return render_template("study/progress.html", rows=rows)

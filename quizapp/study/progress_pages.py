"""The study record: mastery per family and per E資格 topic, accuracy over 30 days, mistakes
by misconception, the review queue and the latest attempts. Only the learner's own."""
from __future__ import annotations

from flask import render_template
from flask_babel import get_locale
from flask_login import current_user, login_required

from quizapp.caches import get_cache
from quizapp.db import get_session
from quizapp.models import utcnow
from quizapp.services import progress_report as report
from quizapp.study.blueprint import bp
from quizapp.study.charts import accuracy_chart
from quizapp.study.names import explanations, vocabulary

SHOWN_MISTAKES = 5  # attempts listed under each misconception


def family_rows(families, progress) -> list[dict]:
    """Every published family (tried or not), then any family tried whose templates are gone."""
    rows = [{"id": f.id, "progress": progress.get(f.id)} for f in families]
    known = {f.id for f in families}
    rows += [{"id": fid, "progress": row} for fid, row in sorted(progress.items()) if fid not in known]
    return rows


def practice_slugs(families) -> dict[str, str]:
    """The easiest template of each family: where "review now" leads."""
    return {f.id: f.templates[0].slug for f in families if f.templates}


@bp.get("/progress")
@login_required
def progress():
    session, user_id, now = get_session(), current_user.id, utcnow()
    families = report.syllabus(session, get_cache())
    mastery = report.progress_by_family(session, user_id)
    days = report.daily_accuracy(session, user_id, now)
    mistakes = report.mistakes_by_misconception(session, user_id)
    return render_template(
        "study/progress.html", families=family_rows(families, mastery),
        topics=report.topic_mastery(families, mastery), queue=report.review_queue(mastery, now),
        practice=practice_slugs(families), days=days, chart=accuracy_chart(days),
        mistakes=mistakes, shown_mistakes=SHOWN_MISTAKES,
        explanations=explanations([m["id"] for m in mistakes], str(get_locale() or "ja")),
        recent=report.recent_attempts(session, user_id), has_record=bool(mastery), **vocabulary())

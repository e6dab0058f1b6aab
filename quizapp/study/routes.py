"""Learner pages: the home page with the E資格 topic map. The study record and the mock exam
live in progress_pages and mock_pages; the exercise pages in exercise_pages."""
from __future__ import annotations

import zlib

from flask import render_template
from flask_login import current_user

from quizapp.caches import get_cache
from quizapp.db import get_session
from quizapp.models import utcnow
from quizapp.services import progress_report as report
from quizapp.study.blueprint import bp
from quizapp.study.names import vocabulary
from quizapp.study.progress_pages import practice_slugs


def sample_seed(slug: str) -> int:
    """The seed of an anonymous sample: the same all day (Japan date), new the next day."""
    day = report.tokyo_date(utcnow()).isoformat()
    return zlib.crc32(f"{slug}:{day}".encode()) % 100_000


@bp.get("/")
def home():
    session = get_session()
    families = report.syllabus(session, get_cache())
    progress, queue = {}, {"due": [], "later": []}
    if current_user.is_authenticated:
        progress = report.progress_by_family(session, current_user.id)
        queue = report.review_queue(progress, utcnow())
    return render_template("study/home.html", families=families, topics=report.topic_map(families),
                           progress=progress, queue=queue, practice=practice_slugs(families),
                           sample_seed=sample_seed, **vocabulary())



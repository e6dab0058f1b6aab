"""The learner's pages: home (later the E資格 topic map) and the study record."""
from flask import Blueprint

bp = Blueprint("study", __name__)

from quizapp.study import routes  # noqa: E402,F401  (registers the views on bp)
from quizapp.study import exercise_pages  # noqa: E402,F401  (exercises, try, preview)

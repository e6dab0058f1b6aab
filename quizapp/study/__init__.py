"""The learner's pages: home (later the E資格 topic map) and the study record."""
from quizapp.study import exercise_pages, mock_pages, progress_pages, routes  # noqa: F401  (register views on bp)
from quizapp.study.blueprint import bp

__all__ = ["bp"]

"""Instructor pages under /instructor: write, test, publish templates and see how learners do."""
from __future__ import annotations

from quizapp.instructor import reports, routes  # noqa: F401  (register the views on bp)
from quizapp.instructor.blueprint import bp

__all__ = ["bp"]

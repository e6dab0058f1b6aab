"""Importing this package registers every API route on quizapp.api.bp."""
from quizapp.api.routes import exercises, grade, me, meta, templates  # noqa: F401

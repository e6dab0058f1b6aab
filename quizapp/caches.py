"""The app's in-memory caches, built by create_app (no module globals): the exercise cache
that every exercise service is handed."""
from __future__ import annotations

from flask import Flask, current_app

from quizapp.services.exercise_cache import ExerciseCache


def init_app(app: Flask) -> None:
    app.extensions["quizapp.exercises"] = ExerciseCache(int(app.config["INSTANCE_CACHE_SIZE"]))


def get_cache() -> ExerciseCache:
    return current_app.extensions["quizapp.exercises"]

"""Flask web shell of the E資格 backprop exercise service."""
from __future__ import annotations

import os

from flask import Flask

from quizapp import db
from quizapp.config import load_config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app. Configuration: defaults < environment < ``test_config``.

    ``INSTANCE_PATH`` (environment or test_config) moves the instance folder, which holds
    the SQLite database and the secret key written by scripts/run.
    """
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)

    load_config(app, test_config)
    db.init_app(app)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app

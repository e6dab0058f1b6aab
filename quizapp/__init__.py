"""Flask web shell of the E資格 backprop exercise service."""
from __future__ import annotations

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from quizapp import api, auth, caches, cli, db, errors, i18n, security
from quizapp.config import load_config
from quizapp.instructor import bp as instructor_bp
from quizapp.study import bp as study_bp
from quizapp.tokens import bp as tokens_bp


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app. Configuration: defaults < environment < ``test_config``.

    ``INSTANCE_PATH`` (environment or test_config) moves the instance folder, which holds
    the SQLite database and the secret key written by scripts/run.
    """
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)

    load_config(app, test_config)
    if app.config["PROXY_HOPS"]:  # trust X-Forwarded-* only from the configured proxies
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    db.init_app(app)
    caches.init_app(app)
    auth.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    security.init_app(app)  # CSRF on every form POST, security headers
    cli.init_app(app)
    app.register_blueprint(study_bp)
    app.register_blueprint(instructor_bp)
    app.register_blueprint(tokens_bp)
    api.init_app(app)  # after errors and security: /api/v1, problem+json, no cookies or CSRF

    @app.get("/healthz")
    def healthz():
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz():
        """Readiness for a load balancer: the database answers a query (else 503, via the
        busy-database handler of quizapp/errors.py, with Retry-After)."""
        db.get_db().ping()
        return {"status": "ok", "database": "ok"}

    return app

"""The JSON API under /api/v1: bearer tokens, no cookies, no CSRF, problem+json errors,
an OpenAPI 3.1 document generated from the code (/api/v1/openapi.json) and a reference page
rendered from it (/api/v1/docs). See docs/api.md."""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import BaseConverter

from quizapp.api import errors, ratelimit, routes, sessions  # noqa: F401  (routes register on bp)
from quizapp.api.blueprint import bp
from quizapp.security import csrf


class SlugConverter(BaseConverter):
    """A template slug in a URL; ``validate`` is taken by POST /templates/validate."""

    regex = r"(?!validate/?$)[a-z0-9][a-z0-9-]{2,63}"


def init_app(app: Flask) -> None:
    """Register after quizapp.errors and quizapp.security (their handlers stay for HTML)."""
    app.url_map.converters.setdefault("slug", SlugConverter)
    csrf.exempt(bp)  # bearer tokens, never cookies: no CSRF token to send
    app.register_blueprint(bp)
    errors.init_app(app)
    sessions.init_app(app)
    ratelimit.init_app(app)

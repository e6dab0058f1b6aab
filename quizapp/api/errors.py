"""Error handlers for everything under /api/: problem+json, never an HTML page or a traceback.

Routing errors (an unknown /api/v1/... URL, a wrong method) happen before a blueprint is
chosen, so blueprint handlers never see them. The handlers are therefore registered on the
app, per status code (Flask prefers those to the class-level HTTPException handler of
quizapp/errors.py), and pass every request outside /api/ on to the handler that would have
served it otherwise: the HTML error pages keep working unchanged.
"""
from __future__ import annotations

import math
import time

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException, default_exceptions

from quizapp.api.problems import ApiError, from_http_status
from quizapp.errors import RETRY_AFTER_SECONDS, STORAGE_RETRY_AFTER_SECONDS, StorageUnavailable

API_PREFIX = "/api/"


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def _fallback(error: HTTPException):
    """What the app would have done without us (quizapp/errors.py's pages, or the default)."""
    handlers = current_app.error_handler_spec.get(None, {}).get(None, {})
    for cls in type(error).__mro__:
        if cls in handlers:
            return handlers[cls](error)
    return error


def _retry_after_seconds() -> int:
    limiter = current_app.extensions.get("quizapp.limiter")
    limit = limiter.current_limit if limiter is not None else None
    if limit is None:
        return 60
    return max(1, math.ceil(limit.reset_at - time.time()))


def handle_http_error(error: HTTPException):
    if not is_api_request():
        return _fallback(error)
    if isinstance(error, StorageUnavailable):
        return ApiError("storage_unavailable", headers={"Retry-After": str(STORAGE_RETRY_AFTER_SECONDS)}).response()
    status = error.code or 500
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    if status == 429:
        headers["Retry-After"] = str(_retry_after_seconds())
    if status == 503:
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return from_http_status(status, headers)


def handle_api_error(error: ApiError):
    return error.response()


def init_app(app: Flask) -> None:
    for status in default_exceptions:  # 400..511: every HTTP error werkzeug knows
        app.register_error_handler(status, handle_http_error)
    app.register_error_handler(ApiError, handle_api_error)

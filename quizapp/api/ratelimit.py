"""Rate limits (Flask-Limiter): per token and per IP, in memory for one process, in Redis
when ``RATELIMIT_STORAGE_URL`` is set (config or environment). Over the limit: 429
problem+json with ``Retry-After`` (see quizapp/api/errors.py).

One Limiter per app (not a module global): its storage, prefix and switches are per app.
"""
from __future__ import annotations

import os

from flask import Flask
from flask_limiter import Limiter

from quizapp.api.auth import rate_key_ip, rate_key_token
from quizapp.api.endpoint import OPERATIONS

# group (Operation.limit) -> key kind -> limit; override with the API_RATE_LIMITS setting.
DEFAULT_LIMITS = {
    "public": {"ip": "300 per minute"},                        # token-less GETs
    "submit": {"token": "120 per minute", "ip": "600 per minute"},  # start / submit exercises
    "grade": {"token": "60 per minute", "ip": "240 per minute"},    # batches of up to 200
    "account": {"token": "600 per minute"},                     # other token requests
}
KEY_FUNCS = {"token": rate_key_token, "ip": rate_key_ip}


def storage_uri(app: Flask) -> str:
    return app.config.get("RATELIMIT_STORAGE_URL") or os.environ.get("RATELIMIT_STORAGE_URL") or "memory://"


def init_app(app: Flask) -> Limiter:
    app.config.setdefault("RATELIMIT_ENABLED", True)
    app.config.setdefault("API_RATE_LIMITS", DEFAULT_LIMITS)
    limiter = Limiter(
        key_func=rate_key_ip, app=app, storage_uri=storage_uri(app), strategy="fixed-window",
        key_prefix=app.config.get("RATELIMIT_KEY_PREFIX", "quizapp"), headers_enabled=False,
    )
    app.extensions["quizapp.limiter"] = limiter
    for op in OPERATIONS.values():
        group = app.config["API_RATE_LIMITS"].get(op.limit or "", {})
        endpoint = f"api.{op.endpoint}"
        view = app.view_functions[endpoint]
        for kind, limit in sorted(group.items()):
            view = limiter.limit(limit, key_func=KEY_FUNCS[kind])(view)
        app.view_functions[endpoint] = view
    return limiter

"""Configuration from the environment, with safe defaults and a fail-closed secret key."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask
from sqlalchemy.engine import make_url


class ConfigError(RuntimeError):
    """The service cannot start with this configuration."""


DEFAULTS = {
    # Template sources and answers are small; anything bigger is a mistake or an attack.
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # A form left open for hours must still submit: the token lives as long as the session.
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_DEFAULT_LOCALE": "ja",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Tokyo",
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_WINDOW_SECONDS": 15 * 60,
    "LOGIN_LOCKOUT_SECONDS": 15 * 60,
    "PASSWORD_MIN_LENGTH": 10,
    "ARGON2_PROFILE": "OWASP_MINIMUM",  # quizapp/services/passwords.py; or an argon2.profiles name
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto (0: none). With a
    # proxy and 0 here every client shares the proxy's address for throttling and rate limits.
    "PROXY_HOPS": 0,
    # Served over HTTPS (TLS=1 in the environment): cookies only over TLS, and HSTS.
    "TLS": False,
    "HSTS_MAX_AGE": 365 * 24 * 3600,
    # Generated exercises kept in memory per worker (services/exercise_cache.py).
    "INSTANCE_CACHE_SIZE": 2048,
}


def load_config(app: Flask, test_config: dict | None) -> None:
    """Defaults, then the environment, then ``test_config``; then check what must hold."""
    app.config.from_mapping(DEFAULTS)
    for name in ("SECRET_KEY", "DATABASE_URL", "PROXY_HOPS", "TLS"):
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    # Anything else can be set as FLASK_<NAME>, e.g. FLASK_SESSION_COOKIE_SECURE=true.
    app.config.from_prefixed_env()
    if test_config:
        app.config.update(test_config)
    app.config["SECRET_KEY"] = _secret_key(app)
    app.config["PROXY_HOPS"] = _proxy_hops(app.config.get("PROXY_HOPS"))
    _tls(app)
    app.config["DATABASE_URL"] = normalise_database_url(
        app.config.get("DATABASE_URL") or default_database_url(app.instance_path)
    )


def _secret_key(app: Flask) -> str:
    if app.config.get("SECRET_KEY"):
        return app.config["SECRET_KEY"]
    key_file = Path(app.instance_path, "secret_key")
    if key_file.is_file() and key_file.read_text().strip():
        return key_file.read_text().strip()  # written by scripts/run
    if app.debug or app.testing:
        # A throw-away key: sessions do not survive a restart, but no key is guessable.
        return secrets.token_hex(32)
    raise ConfigError(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable or write a random "
        f"key to {key_file} (scripts/run does this); refusing to start with a guessable key."
    )


def _tls(app: Flask) -> None:
    """TLS=1 (or true): session and remember-me cookies are sent over HTTPS only, URLs are
    built with https, and responses carry Strict-Transport-Security (quizapp/security.py)."""
    value = app.config.get("TLS")
    if isinstance(value, str):
        if value.strip().lower() not in ("0", "1", "true", "false", "yes", "no", ""):
            raise ConfigError(f"TLS must be 1 or 0 (true or false), got {value!r}")
        value = value.strip().lower() in ("1", "true", "yes")
    app.config["TLS"] = bool(value)
    if app.config["TLS"]:
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")


def _proxy_hops(value) -> int:
    try:
        hops = int(value or 0)
    except (TypeError, ValueError):
        raise ConfigError(f"PROXY_HOPS must be a whole number of proxies, got {value!r}") from None
    if not 0 <= hops <= 5:
        raise ConfigError(f"PROXY_HOPS must be between 0 and 5, got {hops}")
    return hops


def default_database_url(instance_path: str) -> str:
    return f"sqlite:///{Path(instance_path, 'quizapp.sqlite3')}"


def normalise_database_url(url: str) -> str:
    """Send plain ``postgresql://`` (and Heroku-style ``postgres://``) URLs to psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)

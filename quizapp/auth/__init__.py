"""Accounts: sign-up, log-in, log-out, password change (Flask-Login, argon2id)."""
from __future__ import annotations

import hmac
from functools import wraps

from flask import Flask, abort
from flask_babel import gettext
from flask_login import LoginManager, current_user

from quizapp.auth import routes  # noqa: F401  (registers the views on bp)
from quizapp.auth.blueprint import bp
from quizapp.db import get_session
from quizapp.models import User
from quizapp.services.passwords import make_hasher

login_manager = LoginManager()


def N_(message: str) -> str:
    """Marks a string for extraction; Flask-Login translates it later (localize_callback)."""
    return message


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, stamp = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = get_session().get(User, int(user_id))
    if user is None or not hmac.compare_digest(user.session_stamp, stamp):
        return None  # deleted, or the password changed since this session began
    return user


def role_required(*roles: str):
    """Only signed-in users with one of ``roles`` (admin counts as instructor) may pass."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("このページを見るにはログインしてください。")
    login_manager.login_message_category = "info"
    login_manager.localize_callback = gettext
    # "strong": a session cookie replayed from another IP/browser is dropped.
    login_manager.session_protection = "strong"
    login_manager.init_app(app)
    app.extensions["quizapp.hasher"] = make_hasher(app.config["ARGON2_PROFILE"])
    app.register_blueprint(bp)

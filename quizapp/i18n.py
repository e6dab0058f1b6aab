"""Japanese by default, English on request; times shown in Japan time.

Source strings in code and templates are Japanese; translations/en holds the English.
The choice is kept in the session (``/lang/<code>``) and, for a signed-in user, in the
user's ``locale`` so that it follows them to another browser.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone, UTC

from flask import Blueprint, Flask, abort, redirect, request, session
from flask_babel import Babel, get_locale
from flask_login import current_user

from quizapp.db import write_session
from quizapp.models import LOCALES
from quizapp.redirects import safe_next
from quizapp.services.accounts import set_locale

# Japan has had no daylight saving time since 1951: a fixed offset is exact and, unlike
# ZoneInfo("Asia/Tokyo"), needs no tz database on the machine.
TOKYO = timezone(timedelta(hours=9), "JST")
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}  # each in its own language, never translated

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in LOCALES:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    return "ja"


@bp.post("/lang/<code>")
def switch_language(code: str):
    if code not in LOCALES:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        with write_session() as db:
            set_locale(db, current_user.id, code)
    return redirect(safe_next(request.form.get("next")))


def tokyo_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Jinja filter ``|tokyo``: a UTC (or naive-as-UTC) time shown in Asia/Tokyo."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(TOKYO).strftime(fmt)


def _template_globals() -> dict:
    return {
        "current_locale": str(get_locale() or "ja"),
        "language_names": LANGUAGE_NAMES,
        # Where the language switch returns to (full_path ends in "?" when there is no query).
        "current_path": request.full_path.rstrip("?"),
    }


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
    app.register_blueprint(bp)
    app.add_template_filter(tokyo_time, "tokyo")
    app.context_processor(_template_globals)

"""Error pages in the learner's language. The JSON API will register its own problem+json
handlers on its blueprint; these serve the HTML pages."""
from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

RETRY_AFTER_SECONDS = 3  # a locked SQLite file or a restarting PostgreSQL: try again shortly
STORAGE_RETRY_AFTER_SECONDS = 60  # a read-only or full disk waits for the operator
# What the drivers say when the database refuses writes for good (not a moment's contention).
CANNOT_WRITE = ("readonly", "read-only", "disk is full", "disk i/o error", "no space left", "could not extend file")

MESSAGES = {
    400: (_l("リクエストが正しくありません"), _l("送信された内容を処理できませんでした。")),
    403: (_l("アクセスできません"), _l("このページを見る権限がありません。")),
    404: (_l("ページが見つかりません"), _l("URL が間違っているか、ページが移動または削除されました。")),
    405: (_l("この操作はできません"), _l("このページはその方法では使えません。")),
    413: (_l("送信データが大きすぎます"), _l("送信できる大きさの上限を超えています。内容を減らしてもう一度お試しください。")),
    429: (_l("アクセスが多すぎます"), _l("しばらく待ってからもう一度お試しください。")),
    500: (_l("サーバーでエラーが発生しました"), _l("申し訳ありません。時間をおいてもう一度お試しください。")),
    503: (_l("ただいま混み合っています"),
          _l("数秒待ってから、もう一度送信してください。ブラウザの「戻る」で、入力した答えが残ったページに戻れます。")),
}
STORAGE_MESSAGE = (
    _l("データを保存できません"),
    _l("サーバーのデータベースに書き込めない状態です（読み取り専用、またはディスクの空き不足）。この送信は記録されていません。管理者に連絡してください。"),
)
CSRF_MESSAGE = (
    _l("ページの有効期限が切れました"),
    _l("セキュリティのため、フォームを送信できませんでした。ページを再読み込みしてからもう一度お試しください。"),
)


class StorageUnavailable(ServiceUnavailable):
    """The database refuses writes (read-only file, full disk): a 503 that says so."""


def render_error(code: int, title, message, retry_after: int = RETRY_AFTER_SECONDS):
    headers = {"Retry-After": str(retry_after)} if code == 503 else {}
    return render_template("errors/error.html", code=code, title=title, message=message), code, headers


def _http_error(error: HTTPException):
    if isinstance(error, StorageUnavailable):  # not a class handler: that would take the API's 503s too
        return render_error(503, *STORAGE_MESSAGE, retry_after=STORAGE_RETRY_AFTER_SECONDS)
    if error.code not in MESSAGES:
        return error  # e.g. redirects raised as exceptions, or codes without a page
    return render_error(error.code, *MESSAGES[error.code])


def _csrf_error(_error: CSRFError):
    return render_error(400, *CSRF_MESSAGE)


def _server_error(_error: InternalServerError):
    return render_error(500, *MESSAGES[500])




def _database_busy(error: OperationalError):
    """The database cannot take the request now (SQLite locked past its busy timeout, PostgreSQL
    down or restarting): a 503 with Retry-After, as a page or as problem+json, never a 500. The
    transaction was rolled back, so nothing was half-written. A database that refuses writes
    for good (read-only, disk full) is logged as an error and named on the page."""
    broken = any(words in str(error.orig).lower() for words in CANNOT_WRITE)
    if broken:
        current_app.logger.error("database cannot be written: %s", error.orig)
    else:
        current_app.logger.warning("database busy: %s", error.orig)
    if request.method == "POST" and request.blueprint != "api" and _resendable(request.form):
        return _resend_page(STORAGE_MESSAGE if broken else None)
    return current_app.handle_http_exception(StorageUnavailable() if broken else ServiceUnavailable())


# Form fields that the resend page carries but does not list as the learner's input.
_HIDDEN = {"csrf_token", "idempotency_key", "started"}


def _resendable(form) -> bool:
    """A form whose fields may be written back into a page (never one with a password)."""
    return bool(form) and not any("password" in name for name in form)


def _resend_page(storage: tuple | None):
    """A busy database answered a form: nothing was stored. The page lists what was typed and
    holds it in a form that sends it again, with the same idempotency key (stored once)."""
    fields = list(request.form.items(multi=True))
    typed = [(name, value) for name, value in fields if name not in _HIDDEN and value.strip()]
    title, message = storage or (MESSAGES[503][0], None)
    page = render_template("errors/busy_form.html", title=title, message=message, fields=fields, typed=typed,
                           action=request.path)
    wait = STORAGE_RETRY_AFTER_SECONDS if storage else RETRY_AFTER_SECONDS
    return page, 503, {"Retry-After": str(wait)}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
    app.register_error_handler(OperationalError, _database_busy)

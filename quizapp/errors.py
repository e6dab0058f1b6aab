"""Error pages in the learner's language. The JSON API will register its own problem+json
handlers on its blueprint; these serve the HTML pages."""
from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

RETRY_AFTER_SECONDS = 3  # a locked SQLite file or a restarting PostgreSQL: try again shortly

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
CSRF_MESSAGE = (
    _l("ページの有効期限が切れました"),
    _l("セキュリティのため、フォームを送信できませんでした。ページを再読み込みしてからもう一度お試しください。"),
)


def render_error(code: int, title, message):
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if code == 503 else {}
    return render_template("errors/error.html", code=code, title=title, message=message), code, headers


def _http_error(error: HTTPException):
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
    transaction was rolled back, so nothing was half-written."""
    current_app.logger.warning("database busy: %s", error.orig)
    if request.method == "POST" and request.blueprint != "api" and _resendable(request.form):
        return _resend_page()
    return current_app.handle_http_exception(ServiceUnavailable())


# Form fields that the resend page carries but does not list as the learner's input.
_HIDDEN = {"csrf_token", "idempotency_key", "started"}


def _resendable(form) -> bool:
    """A form whose fields may be written back into a page (never one with a password)."""
    return bool(form) and not any("password" in name for name in form)


def _resend_page():
    """A busy database answered a form: nothing was stored. The page lists what was typed and
    holds it in a form that sends it again, with the same idempotency key (stored once)."""
    fields = list(request.form.items(multi=True))
    typed = [(name, value) for name, value in fields if name not in _HIDDEN and value.strip()]
    page = render_template("errors/busy_form.html", title=MESSAGES[503][0], fields=fields, typed=typed,
                           action=request.path)
    return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
    app.register_error_handler(OperationalError, _database_busy)

"""Errors of the JSON API as RFC 9457 ``application/problem+json``.

Every problem has a stable machine-readable ``code``; ``title`` and ``detail`` are in the
language the client asked for with ``Accept-Language`` (Japanese by default).
"""
from __future__ import annotations

import json

from flask import Response, request

PROBLEM_JSON = "application/problem+json"
LANGS = ("ja", "en")

# code -> (status, title ja, title en). The docs page lists these; codes never change meaning.
CODES: dict[str, tuple[int, str, str]] = {
    "invalid_json": (400, "JSON として読めません", "The body is not valid JSON"),
    "bad_request": (400, "リクエストが正しくありません", "Bad request"),
    "invalid_idempotency_key": (400, "Idempotency-Key が正しくありません", "Invalid Idempotency-Key"),
    "token_missing": (401, "API トークンが必要です", "An API token is required"),
    "token_invalid": (401, "API トークンが正しくありません", "The API token is not valid"),
    "token_revoked": (401, "API トークンは無効化されています", "The API token has been revoked"),
    "insufficient_scope": (403, "この操作の権限がありません", "The token's scope does not allow this"),
    "forbidden": (403, "アクセスできません", "Forbidden"),
    "not_found": (404, "見つかりません", "Not found"),
    "exercise_not_found": (404, "問題が見つかりません", "Exercise not found"),
    "unknown_template": (404, "テンプレートが見つかりません", "Template not found"),
    "method_not_allowed": (405, "このメソッドは使えません", "Method not allowed"),
    "not_acceptable": (406, "この形式では返せません", "Not acceptable"),
    "template_exists": (409, "テンプレートはすでにあります", "The template already exists"),
    "publish_refused": (409, "公開できません", "The template cannot be published"),
    "payload_too_large": (413, "送信データが大きすぎます", "The request body is too large"),
    "unsupported_media_type": (415, "Content-Type は application/json にしてください",
                               "Content-Type must be application/json"),
    "validation_error": (422, "入力内容に誤りがあります", "The request has invalid fields"),
    "answer_too_long": (422, "解答が長すぎます", "An answer is too long"),
    "too_many_items": (422, "項目が多すぎます", "Too many items"),
    "invalid_params": (422, "パラメータが正しくありません", "Invalid parameters"),
    "unknown_answer_key": (422, "どの小問にも当たらない解答があります", "An answer names no part"),
    "template_broken": (422, "このテンプレートから問題を作れませんでした", "The template produced no valid exercise"),
    "unreadable_answer": (422, "読み取れない解答があります", "An answer could not be read"),
    "idempotency_key_reused": (422, "Idempotency-Key が別の内容で使われています",
                               "The Idempotency-Key was used for a different request"),
    "invalid_template": (422, "テンプレートに問題があります", "The template has problems"),
    "rate_limited": (429, "リクエストが多すぎます", "Too many requests"),
    "internal_error": (500, "サーバーでエラーが発生しました", "Internal server error"),
    "service_busy": (503, "ただいま混み合っています", "Service busy"),
    "storage_unavailable": (503, "データを保存できません（読み取り専用かディスクの空き不足）。記録されていません",
                            "The service cannot store data (read-only or full disk); nothing was recorded"),
    "http_error": (500, "エラーが発生しました", "Error"),
}

# Default detail per status, for errors raised by Flask/Werkzeug rather than by our views.
STATUS_DETAIL = {
    400: ("bad_request", "送信された内容を処理できませんでした。", "The request could not be processed."),
    401: ("token_missing", "Authorization: Bearer <トークン> ヘッダーを付けてください。",
          "Send an Authorization: Bearer <token> header."),
    403: ("forbidden", "この操作は許可されていません。", "This operation is not allowed."),
    404: ("not_found", "この URL には何もありません。", "There is nothing at this URL."),
    405: ("method_not_allowed", "この URL はそのメソッドでは使えません。", "This URL does not accept that method."),
    406: ("not_acceptable", "application/json で返します。", "Responses are application/json."),
    413: ("payload_too_large", "送信データの上限を超えています。", "The body exceeds the size limit."),
    415: ("unsupported_media_type", "本文は JSON で送ってください。", "Send the body as JSON."),
    422: ("validation_error", "入力内容を確認してください。", "Check the request."),
    429: ("rate_limited", "しばらく待ってからもう一度お試しください。", "Wait a moment, then try again."),
    500: ("internal_error", "時間をおいてもう一度お試しください。", "Please try again later."),
    503: ("service_busy", "ただいま混み合っています。Retry-After の秒数だけ待って、同じ Idempotency-Key で送り直してください。",
          "The service is busy: wait Retry-After seconds and send again with the same Idempotency-Key."),
}


def language() -> str:
    """``ja`` unless the client prefers English (``Accept-Language: en``)."""
    return request.accept_languages.best_match(LANGS) or "ja"


def pick(ja: str, en: str) -> str:
    return en if language() == "en" else ja


class ApiError(Exception):
    """Raised by views and helpers; turned into a problem response."""

    def __init__(self, code: str, detail_ja: str | None = None, detail_en: str | None = None, *,
                 field: str | None = None, errors: list | None = None, status: int | None = None,
                 headers: dict | None = None, extra: dict | None = None):
        super().__init__(code)
        self.code, self.field, self.errors = code, field, errors
        self.status = status or CODES[code][0]
        self.detail_ja, self.detail_en = detail_ja, detail_en
        self.headers, self.extra = headers or {}, extra or {}

    def response(self) -> Response:
        _, title_ja, title_en = CODES.get(self.code, CODES["http_error"])
        detail = pick(self.detail_ja or title_ja, self.detail_en or title_en)
        return problem(self.status, self.code, pick(title_ja, title_en), detail, field=self.field,
                       errors=self.errors, headers=self.headers, extra=self.extra)


def problem(status: int, code: str, title: str, detail: str, *, field: str | None = None,
            errors: list | None = None, headers: dict | None = None, extra: dict | None = None) -> Response:
    body = {"type": f"/api/v1/docs#problem-{code}", "title": title, "status": status,
            "detail": detail, "code": code, "instance": request.path}
    if field is not None:
        body["field"] = field
    if errors:
        body["errors"] = errors
    body.update(extra or {})
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    response.headers["Content-Language"] = language()
    response.vary.add("Accept-Language")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_http_status(status: int, headers: dict | None = None, detail: tuple[str, str] | None = None) -> Response:
    code, detail_ja, detail_en = STATUS_DETAIL.get(status, ("http_error", "エラーが発生しました。", "An error occurred."))
    _, title_ja, title_en = CODES.get(code, CODES["http_error"])
    if detail is not None:
        detail_ja, detail_en = detail
    return problem(status, code, pick(title_ja, title_en), pick(detail_ja, detail_en), headers=headers)

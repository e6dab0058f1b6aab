"""The OpenAPI 3.1 document, assembled from the registered operations and their pydantic
models (``models_json_schema`` gives JSON Schema 2020-12, the dialect OpenAPI 3.1 uses)."""
from __future__ import annotations

from functools import lru_cache

from pydantic.json_schema import models_json_schema

from quizapp.api.endpoint import OPERATIONS, Operation
from quizapp.api.problems import PROBLEM_JSON
from quizapp.api.schemas.common import Problem

REF = "#/components/schemas/{model}"
API_VERSION = "1.0.0"
REASONS = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
           404: "Not Found", 409: "Conflict", 413: "Payload Too Large", 415: "Unsupported Media Type",
           422: "Unprocessable Content", 429: "Too Many Requests"}
ERROR_HEADERS = {
    401: {"WWW-Authenticate": {"required": True, "schema": {"type": "string"},
                               "description": "Bearer realm=\"api\""}},
    429: {"Retry-After": {"required": True, "schema": {"type": "integer", "minimum": 1},
                          "description": "待つ秒数 / seconds to wait"}},
}
DESCRIPTION = """\
E資格（JDLA）の微分・誤差逆伝播の練習問題を作り、採点する JSON API です。
Generate and grade backpropagation exercises for the JDLA E資格 exam.

- 認証 / auth: `Authorization: Bearer <token>`（設定ページ /settings/tokens か
  `flask --app wsgi create-token` で作成 / create one on /settings/tokens or with the CLI).
  Cookie も CSRF トークンも使いません / no cookies, no CSRF tokens.
- エラー / errors: `application/problem+json`、安定した `code`、`title`/`detail` は
  `Accept-Language` の言語（既定は日本語）/ stable `code`, text in the `Accept-Language` language.
- 制限 / limits: 本文 64 KB（テンプレートは 512 KB）、バッチ 200 件、解答 500 文字、
  トークンごと・IP ごとのレート制限（429 + Retry-After）.
"""


def _models() -> list[tuple[type, str]]:
    seen = {(Problem, "serialization")}
    for op in OPERATIONS.values():
        if op.body is not None:
            seen.add((op.body, "validation"))
        if op.response is not None:
            seen.add((op.response, "serialization"))
    return sorted(seen, key=lambda m: (m[0].__name__, m[1]))


def _security(op: Operation) -> list:
    if op.auth is None:
        return []
    if op.auth == "optional":
        return [{}, {"bearerAuth": []}]
    return [{"bearerAuth": []}]


def _parameters(op: Operation) -> list[dict]:
    return [{"name": p.name, "in": p.location, "required": p.required or p.location == "path",
             "description": p.description, "schema": p.schema} for p in op.params]


def _problem_response(status: int, problem_ref: dict) -> dict:
    out = {"description": REASONS.get(status, "Error"),
           "content": {PROBLEM_JSON: {"schema": problem_ref}}}
    if status in ERROR_HEADERS:
        out["headers"] = ERROR_HEADERS[status]
    return out


def _responses(op: Operation, refs: dict) -> dict:
    problem_ref = refs[(Problem, "serialization")]
    ok: dict = {"description": REASONS.get(op.status, "OK")}
    if op.response is not None:
        ok["content"] = {op.media_type: {"schema": refs[(op.response, "serialization")]}}
    elif op.media_type != "application/json":
        ok["content"] = {op.media_type: {"schema": {"type": "string"}}}
    else:
        ok["content"] = {"application/json": {"schema": {"type": "object"}}}
    if op.response_headers:
        ok["headers"] = op.response_headers
    responses = {str(op.status): ok}
    for status in sorted(set(op.errors)):
        responses[str(status)] = _problem_response(status, problem_ref)
    responses["default"] = {"description": "その他のエラー / any other error",
                            "content": {PROBLEM_JSON: {"schema": problem_ref}}}
    return responses


def _operation(op: Operation, refs: dict) -> dict:
    out = {"operationId": op.endpoint, "summary": op.summary, "description": op.description,
           "tags": [op.tag], "security": _security(op), "responses": _responses(op, refs)}
    parameters = _parameters(op)
    if parameters:
        out["parameters"] = parameters
    if op.body is not None:
        out["requestBody"] = {"required": True,
                              "content": {"application/json": {"schema": refs[(op.body, "validation")]}}}
    return out


@lru_cache(maxsize=1)
def _cached(names: tuple) -> dict:
    refs, top = models_json_schema(_models(), ref_template=REF)
    paths: dict = {}
    for op in sorted(OPERATIONS.values(), key=lambda o: (o.path, o.method)):
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, refs)
    return {
        "openapi": "3.1.0",
        "info": {"title": "E資格 逆伝播ドリル API", "version": API_VERSION, "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "tags": [{"name": "templates"}, {"name": "exercises"}, {"name": "grading"},
                 {"name": "me"}, {"name": "instructor"}, {"name": "meta"}],
        "paths": paths,
        "components": {
            "schemas": top.get("$defs", {}),
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "個人 API トークン / a personal API token (eqz_...)"}},
        },
    }


def document() -> dict:
    """The document; built once per set of operations (they are fixed at import time)."""
    return _cached(tuple(sorted(OPERATIONS)))

"""Reading request bodies, query parameters and headers into checked values.

A body is parsed and validated in one step by pydantic (strict JSON mode); its errors become
one problem with the offending ``field`` ("items[3].answers.price") and every error listed.
"""
from __future__ import annotations

import re

from flask import request
from pydantic import BaseModel, ValidationError

from quizapp.api.problems import ApiError, pick

# pydantic error type -> (our code, message ja, message en); {…} are filled from the error's ctx.
MESSAGES = {
    "missing": ("missing_field", "必須の項目です", "this field is required"),
    "extra_forbidden": ("unknown_field", "知らない項目です", "unknown field"),
    "string_too_long": ("too_long", "{max_length} 文字以内にしてください", "at most {max_length} characters"),
    "string_too_short": ("too_short", "{min_length} 文字以上にしてください", "at least {min_length} characters"),
    "too_long": ("too_long", "{max_length} 個までです", "at most {max_length} entries"),
    "too_short": ("too_short", "{min_length} 個以上必要です", "at least {min_length} entries"),
    "string_pattern_mismatch": ("bad_format", "形式が正しくありません", "wrong format"),
    "greater_than_equal": ("out_of_range", "{ge} 以上にしてください", "must be at least {ge}"),
    "less_than_equal": ("out_of_range", "{le} 以下にしてください", "must be at most {le}"),
    "literal_error": ("not_allowed", "使える値: {expected}", "allowed values: {expected}"),
    "param_value": ("wrong_type", "数（絶対値 1e12 以下）、32 文字までの文字列、数のリストか表にしてください",
                    "a number (|x| <= 1e12), a text of up to 32 characters, or a list or table of numbers"),
    "seed_or_params": ("seed_or_params", "seed か params のどちらかを指定してください", "give seed or params"),
}
TYPE_MESSAGE = ("wrong_type", "型が正しくありません", "wrong type")
FALLBACK = ("invalid_value", "値が正しくありません", "invalid value")
# Visible ASCII. Stored as "api:<key>" (100 characters at most), so a client's key can never
# collide with the keys the web pages and the mock exam use for the same learner.
IDEMPOTENCY_KEY_RE = re.compile(r"^[!-~]{1,96}$")


def field_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _item(error: dict) -> dict:
    kind = error["type"]
    code, ja, en = MESSAGES.get(kind) or (TYPE_MESSAGE if kind.endswith("_type") else FALLBACK)
    ctx = {k: v for k, v in (error.get("ctx") or {}).items()}
    field = field_path(error["loc"])
    if kind == "string_too_long" and (field.startswith("answers.") or ".answers." in field):
        code = "answer_too_long"
    if kind == "too_long" and field == "items":
        code = "too_many_items"
    return {"field": field, "code": code, "detail": pick(ja.format(**ctx), en.format(**ctx))}


def problem_from(err: ValidationError) -> ApiError:
    errors = err.errors(include_url=False, include_input=False)
    if any(e["type"] == "json_invalid" for e in errors):
        raise ApiError("invalid_json", "本文を JSON として読めません", "the body is not valid JSON")
    items = [_item(e) for e in errors]
    special = next((i for i in items if i["code"] in ("answer_too_long", "too_many_items")), None)
    first = special or items[0]
    code = first["code"] if special else "validation_error"
    return ApiError(code, first["detail"], first["detail"], field=first["field"], errors=items)


def read_body(model: type[BaseModel]) -> BaseModel:
    if not request.is_json:
        raise ApiError("unsupported_media_type")
    raw = request.get_data(cache=False)  # 413 here when the body is over the limit
    try:
        return model.model_validate_json(raw or b"null")
    except ValidationError as err:
        raise problem_from(err) from None


def flag(name: str) -> bool:
    """A query flag: absent, 0, false -> False; 1, true -> True; anything else -> 422."""
    value = request.args.get(name)
    if value is None or value in ("0", "false"):
        return False
    if value in ("1", "true"):
        return True
    raise ApiError("validation_error", "0, 1, true, false のいずれかです", "one of 0, 1, true, false",
                   field=name, errors=[{"field": name, "code": "not_allowed",
                                        "detail": pick("0, 1, true, false のいずれかです", "one of 0, 1, true, false")}])


def one_of(name: str, allowed) -> str | None:
    """An optional query value that must be one of ``allowed`` (422 otherwise)."""
    value = request.args.get(name)
    if value is None or value in allowed:
        return value
    listed = ", ".join(allowed)
    raise ApiError("validation_error", f"{listed} のいずれかです", f"one of {listed}", field=name,
                   errors=[{"field": name, "code": "not_allowed",
                            "detail": pick(f"{listed} のいずれかです", f"one of {listed}")}])


def idempotency_key() -> str | None:
    value = request.headers.get("Idempotency-Key")
    if value is None:
        return None
    if not IDEMPOTENCY_KEY_RE.match(value):
        raise ApiError("invalid_idempotency_key", "Idempotency-Key は 1〜96 文字の ASCII（空白なし）です",
                       "Idempotency-Key must be 1-96 visible ASCII characters", field="Idempotency-Key")
    return f"api:{value}"

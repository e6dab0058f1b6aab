"""Readers for the small pieces of a template: texts, names, numbers, expressions."""
from __future__ import annotations

import math
import re

from ..expr import ExprError, Limits, RESERVED_NAMES, parse
from ..text import Text
from .problems import Problems
from .vocab import LIMITS

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
TEMPLATE_LIMITS = Limits(max_length=300, max_depth=30, max_nodes=200)


def text(problems: Problems, value, field: str, required: bool = True):
    """A {ja, en} text; Japanese is required, English too (the UI switches language)."""
    if value is None and not required:
        return None
    if not isinstance(value, dict) or set(value) - {"ja", "en"}:
        problems.add(field, "bad_text", "ja と en の2つのキーを持つ文章にしてください",
                     "must be a text with the keys ja and en")
        return None
    out = {}
    for lang in ("ja", "en"):
        s = value.get(lang)
        if not isinstance(s, str) or not s.strip():
            problems.add(f"{field}.{lang}", "missing_text", f"{lang} の文章がありません",
                         f"the {lang} text is missing")
            return None
        if len(s) > LIMITS["text_chars"]:
            problems.add(f"{field}.{lang}", "text_too_long",
                         f"文章が長すぎます（上限 {LIMITS['text_chars']} 文字）",
                         f"text too long (limit {LIMITS['text_chars']} characters)")
            return None
        out[lang] = s.strip()
    return Text(out["ja"], out["en"])


def name(problems: Problems, value, field: str) -> str | None:
    if not isinstance(value, str) or not NAME_RE.match(value):
        problems.add(field, "bad_name", f"名前 {value!r} は英字で始まる英数字と _ にしてください",
                     f"name {value!r} must be letters, digits and _, starting with a letter")
        return None
    if value in RESERVED_NAMES:
        problems.add(field, "reserved_name", f"{value} は関数名・定数名なので使えません",
                     f"{value} is a function or constant name and cannot be used")
        return None
    return value


def number(problems: Problems, value, field: str) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or abs(value) > 1e12:
        problems.add(field, "bad_number", f"{value!r} は数値ではありません（絶対値 1e12 以下）",
                     f"{value!r} is not a number (|x| <= 1e12)")
        return None
    return float(value)


def expression(problems: Problems, source, field: str, names: set[str]):
    if not isinstance(source, (str, int, float)) or isinstance(source, bool):
        problems.add(field, "bad_expression", "式を文字列で書いてください", "write the expression as a string")
        return None
    try:
        return parse(str(source), limits=TEMPLATE_LIMITS, names=frozenset(names))
    except ExprError as err:
        problems.add(field, f"expr_{err.code}", err.message("ja"), err.message("en"), err.caret())
        return None


def decimals_of(x: float) -> int:
    s = repr(float(x))
    if "e" in s:
        mantissa, exp = s.split("e")
        return max(0, len(mantissa.split(".")[1].rstrip("0")) - int(exp))
    return len(s.split(".")[1].rstrip("0"))

"""Reading what a learner typed: numbers (full-width, fractions, 2*1.1), formulas, choices."""
from __future__ import annotations

import math
import re

import numpy as np

from .expr import ExprError, Limits, evaluate, parse
from .text import BilingualError

ANSWER_LIMITS = Limits(max_length=200, max_depth=20, max_nodes=100)
THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d,])")
PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?")


class AnswerFormatError(BilingualError, ValueError):
    """The answer could not be read; it is reported and not counted as an attempt."""

    def __init__(self, message_ja: str, message_en: str, caret: str | None = None):
        super().__init__(message_ja, message_en)
        self.caret = caret

    def to_dict(self) -> dict:
        return {"ja": self.message_ja, "en": self.message_en, "caret": self.caret}


def _text(raw) -> str:
    if isinstance(raw, bool) or raw is None:
        raise AnswerFormatError("回答が空です", "the answer is empty")
    if isinstance(raw, (int, float)):
        return repr(raw)
    if not isinstance(raw, str):
        raise AnswerFormatError("回答は文字列で入力してください", "the answer must be text")
    if not raw.strip():
        raise AnswerFormatError("回答が空です", "the answer is empty")
    return raw


def _parsed(text: str, names: frozenset, functions: bool = True):
    try:
        return parse(text, limits=ANSWER_LIMITS, names=names, functions=functions)
    except ExprError as err:
        raise AnswerFormatError(err.message("ja"), err.message("en"), err.caret()) from None


def parse_number(raw, functions: bool = False) -> float:
    """A number, or arithmetic on numbers: "715", "１１／５", "2*1.1", "1e-3", "−0.5", "1,000",
    "e^2", "π/4". Function calls ("tanh(0.5)") are an answer-format error unless ``functions``
    (a template allows them for the part): the learner computes the value, not the grader."""
    text = THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), _text(raw).strip())
    if len(text) <= 40 and PLAIN.fullmatch(text):  # most answers: skip the full parser
        value = float(text)
        if abs(value) <= ANSWER_LIMITS.max_number and (value != 0 or not _tiny(text)):
            return value
    node = _parsed(text, frozenset(), functions)
    with np.errstate(all="ignore"):
        value = float(evaluate(node, {}))
    if not math.isfinite(value):
        raise AnswerFormatError("計算すると有限の数になりません（0 で割っていませんか）",
                                "this does not evaluate to a finite number (division by zero?)")
    return value


def parse_formula(raw, variables: tuple[str, ...]):
    return _parsed(_text(raw), frozenset(variables))


def _tiny(text: str) -> bool:
    """A literal that underflowed to 0 (1e-999): let the parser say what it thinks of it."""
    return any(d in "123456789" for d in text.split("e")[0].split("E")[0])


def parse_choice(raw, n: int) -> int:
    text = _text(raw).strip()
    if not re.fullmatch(r"[0-9]{1,3}", text) or not 0 <= int(text) < n:  # "²".isdigit() is True
        raise AnswerFormatError(f"選択肢の番号（0〜{n - 1}）を選んでください", f"choose an option from 0 to {n - 1}")
    return int(text)

"""Tokens from normalised text. Only ASCII letters, digits, ``_ . + - * / ^ ( )`` and spaces."""
from __future__ import annotations

import unicodedata
from typing import NamedTuple

from .messages import CHARACTER_HINTS
from .normalize import Normalized

DIGITS = frozenset("0123456789")
LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
NAME_CHARS = LETTERS | DIGITS | {"_"}
OPERATORS = frozenset("+-*/^")
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


class Token(NamedTuple):
    kind: str   # "num", "name", "op", "(", ")" or "end"
    text: str   # as written ("**" for a power written that way)
    start: int  # index into the normalised text
    op: str = ""  # the operator it stands for: "^" for both "^" and "**"


def tokenize(norm: Normalized) -> list[Token]:
    text, tokens, i = norm.text, [], 0
    while i < len(text):
        ch = text[i]
        if ch == " ":
            i += 1
        elif ch in DIGITS or (ch == "." and text[i + 1:i + 2] in DIGITS):
            end = _number_end(norm, i)
            tokens.append(Token("num", text[i:end], i))
            i = end
        elif ch in NAME_CHARS:
            end = i
            while end < len(text) and text[end] in NAME_CHARS:
                end += 1
            if ch not in LETTERS:  # a leading underscore: no __import__, no _private
                raise norm.error("invalid_name", i, name=text[i:end])
            tokens.append(Token("name", text[i:end], i))
            i = end
        elif text.startswith("**", i):
            tokens.append(Token("op", "**", i, "^"))
            i += 2
        elif ch in OPERATORS:
            tokens.append(Token("op", ch, i, ch))
            i += 1
        elif ch in "()":
            tokens.append(Token(ch, ch, i))
            i += 1
        else:
            raise _bad_character(norm, i)
    tokens.append(Token("end", "", len(text)))
    return tokens


def _number_end(norm: Normalized, i: int) -> int:
    """End of the literal at ``i``: digits, an optional fraction, an optional exponent."""
    text = norm.text
    end = _skip_digits(text, i)
    if text[end:end + 1] == ".":
        end = _skip_digits(text, end + 1)
    # 2e-4 is a literal; 2e (and 2ex) leave e to be the constant or a name.
    if text[end:end + 1] in ("e", "E"):
        sign = 1 if text[end + 1:end + 2] in ("+", "-") else 0
        if text[end + 1 + sign:end + 2 + sign] in DIGITS:
            end = _skip_digits(text, end + 1 + sign)
    if end < len(text) and (text[end] == "." or text[end] in DIGITS):
        stop = end
        while stop < len(text) and (text[stop] in DIGITS or text[stop] == "."):
            stop += 1
        raise norm.error("invalid_number", i, text=text[i:stop])
    return end


def _skip_digits(text: str, i: int) -> int:
    while i < len(text) and text[i] in DIGITS:
        i += 1
    return i


def _bad_character(norm: Normalized, i: int):
    ch = norm.text[i]
    codepoint = f"U+{ord(ch):04X}"
    if unicodedata.category(ch) in _INVISIBLE:
        return norm.error("control_character", i, codepoint=codepoint)
    return norm.error("invalid_character", i, CHARACTER_HINTS.get(ch), char=ch,
                      codepoint=codepoint)


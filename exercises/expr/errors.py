"""``ExprError``: what went wrong, where, in Japanese and English."""
from __future__ import annotations

import unicodedata

from ..text import BilingualError
from .messages import WITHOUT_COLUMN, code_of, format_message

_CARET_WINDOW = 30  # characters shown on each side of the caret in a long input


class ExprError(BilingualError, ValueError):
    """A problem with an expression.

    ``code`` is stable (for programs); ``position`` is a 0-based column into ``source``
    (the text as the user typed it), or None; ``str(err)`` is the Japanese message.
    The package raises it with a ``key`` of ``messages.MESSAGES``, which picks the code and
    the wording; several keys share a code.
    """

    def __init__(self, key: str, position: int | None = None, source: str | None = None,
                 hint: tuple[str, str] | None = None, **params):
        self.key = key
        self.code = code_of(key)
        self.position = position
        self.source = source
        self.hint = hint
        self.params = params
        super().__init__(self._compose("ja"), self._compose("en"))

    def _compose(self, lang: str) -> str:
        text = format_message(self.key, lang, self.params)
        if self.hint:
            hint = self.hint[0] if lang == "ja" else self.hint[1]
            text += f"（{hint}）" if lang == "ja" else f" ({hint})"
        if self.position is None or self.key in WITHOUT_COLUMN:
            return text
        column = self.position + 1
        return f"{column}文字目: {text}" if lang == "ja" else f"column {column}: {text}"

    def caret(self) -> str:
        """The input line and, under it, a caret at the position (long inputs are cut)."""
        if self.source is None:
            return ""
        line, column = _window(self.source, self.position)
        shown = "".join(_visible(ch) for ch in line)
        if column is None:
            return shown
        pad = sum(_width(ch) for ch in shown[:column])
        return f"{shown}\n{' ' * pad}^"

    def as_dict(self, lang: str = "ja") -> dict:
        return {"code": self.code, "position": self.position, "message": self.message(lang)}

    def __reduce__(self):
        return (_rebuild, (self.key, self.position, self.source, self.hint, self.params))


def _rebuild(key, position, source, hint, params):
    return ExprError(key, position, source, hint, **params)


def _window(source: str, position: int | None) -> tuple[str, int | None]:
    if len(source) <= 2 * _CARET_WINDOW:
        return source, position
    center = position if position is not None else 0
    start = max(0, min(center, len(source)) - _CARET_WINDOW)
    end = min(len(source), start + 2 * _CARET_WINDOW)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(source) else ""
    column = None if position is None else len(prefix) + position - start
    return prefix + source[start:end] + suffix, column


def _visible(ch: str) -> str:
    # Control and bidi characters would garble the line (or reverse it): show them as '?'.
    return "?" if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"} else ch


def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in {"W", "F"} else 1

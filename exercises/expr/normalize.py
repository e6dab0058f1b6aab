"""Input clean-up: NFKC plus the symbols Japanese IMEs and word processors produce.

``normalize`` also returns, for every character of its output, the index of the input
character it came from, so that errors can point into the text the learner typed.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .errors import ExprError

# Applied after NFKC. The katakana long vowel mark ー (U+30FC) is deliberately absent: it is
# a letter, not a dash, and silently reading it as minus could turn a typo into an answer.
SYMBOLS = {
    "×": "*", "÷": "/", "⁄": "/",               # ⁄ is what NFKC makes of ½
    "・": "*", "·": "*", "⋅": "*", "∗": "*",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2212": "-",
    "π": " pi ",                                # spaced so that 2πx reads as 2 pi x
}

# Superscripts (x², e⁻¹) become an explicit power. NFKC alone would turn x² into the name x2.
SUPERSCRIPT_CHARS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻"
SUPERSCRIPTS = str.maketrans(SUPERSCRIPT_CHARS, "0123456789+-")


@dataclass(frozen=True)
class Normalized:
    raw: str
    text: str
    origin: tuple[int, ...] | None  # origin[i]: input index of text[i]; len(text) -> len(input)

    def error(self, key: str, index: int | None, hint=None, **params) -> ExprError:
        """An ExprError at ``index`` of the normalised text, pointing into the input."""
        if self.origin is None:
            return ExprError(key, index, self.text, hint, **params)
        position = None if index is None else self.origin[min(index, len(self.origin) - 1)]
        return ExprError(key, position, self.raw, hint, **params)


def normalize(raw: str) -> Normalized:
    if raw.isascii():  # NFKC and SYMBOLS leave ASCII as it is: skip the per-character work
        return Normalized(raw, raw, tuple(range(len(raw) + 1)))
    pieces, origins = [], []
    for start, segment in _segments(raw):
        piece = _map_symbols(unicodedata.normalize("NFKC", segment))
        if segment[0] in SUPERSCRIPT_CHARS:
            piece = "^(" + segment.translate(SUPERSCRIPTS) + ")"
            origins.extend([start] * 2 + list(range(start, start + len(segment))) + [start])
        else:
            origins.extend([start] * len(piece))
        pieces.append(piece)
    text = "".join(pieces)
    if text != _whole(raw):
        # Composition across segments (rare; e.g. Hangul jamo): keep NFKC exact, and let
        # positions refer to the normalised text instead.
        return Normalized(raw, _whole(raw), None)
    return Normalized(raw, text, tuple(origins) + (len(raw),))


def _segments(raw: str):
    """Yield (start, text): a run of superscripts, or one character with its combining marks."""
    i, n = 0, len(raw)
    while i < n:
        j = i + 1
        if raw[i] in SUPERSCRIPT_CHARS:
            while j < n and raw[j] in SUPERSCRIPT_CHARS:
                j += 1
        else:
            while j < n and unicodedata.combining(raw[j]):
                j += 1
        yield i, raw[i:j]
        i = j


def _map_symbols(text: str) -> str:
    return "".join(SYMBOLS.get(ch, ch) for ch in text)


def _whole(raw: str) -> str:
    """The reference result: superscript runs, then NFKC of the whole string, then symbols."""
    out, i = [], 0
    for start, segment in _segments(raw):
        if segment[0] in SUPERSCRIPT_CHARS:
            out.append(unicodedata.normalize("NFKC", raw[i:start]))
            out.append("^(" + segment.translate(SUPERSCRIPTS) + ")")
            i = start + len(segment)
    out.append(unicodedata.normalize("NFKC", raw[i:]))
    return _map_symbols("".join(out))

"""Text in Japanese and English, and the one base class of every error that speaks both.

``Text`` is a ``dict`` subclass so that everything that already serialises a ``{"ja", "en"}``
mapping (``public()``, the JSON API, the snapshot) sees the same data; it adds the accessors
a reader expects (``text.ja``, ``text.pick(lang)``). ``BilingualError`` carries the two
messages an error is shown with; ``code`` (when a subclass sets one) is stable for programs.
"""
from __future__ import annotations

from collections.abc import Mapping

LANGS = ("ja", "en")


class Text(dict):
    """``{"ja": str, "en": str}``: equal to (and serialised as) that plain dict."""

    __slots__ = ()

    def __init__(self, ja: str = "", en: str = ""):
        super().__init__(ja=ja, en=en)

    @classmethod
    def of(cls, value) -> Text:
        """A Text from a Text, a {"ja", "en"} mapping or one string used for both."""
        if isinstance(value, Text):
            return value
        if isinstance(value, str):
            return cls(value, value)
        return cls(value.get("ja", ""), value.get("en", ""))

    @property
    def ja(self) -> str:
        return self["ja"]

    @property
    def en(self) -> str:
        return self["en"]

    def pick(self, lang: str = "ja") -> str:
        """The English text for "en", the Japanese one otherwise."""
        return self["en"] if lang == "en" else self["ja"]

    def __reduce__(self):
        return (Text, (self.get("ja", ""), self.get("en", "")))


# What a bilingual field holds: a ``Text``, or the plain {"ja", "en"} dict it equals (the
# generators write their strings as dict literals).
TextLike = Mapping[str, str]


def pick(text, lang: str = "ja") -> str:
    """The ``lang`` text of any {"ja", "en"} mapping (a Text or a plain dict)."""
    return text.get("en", "") if lang == "en" else text.get("ja", "")


class BilingualError(Exception):
    """An error with a message in Japanese (``str(err)``) and in English.

    Subclasses keep their own constructor signature and call ``super().__init__(ja, en)``;
    pickling copies the instance's attributes, so every subclass survives a round trip.
    """

    def __init__(self, message_ja: str, message_en: str, *, args_text: str | None = None):
        super().__init__(message_ja if args_text is None else args_text)
        self.message_ja, self.message_en = message_ja, message_en

    @property
    def text(self) -> Text:
        return Text(self.message_ja, self.message_en)

    def message(self, lang: str = "ja") -> str:
        return self.message_en if lang == "en" else self.message_ja

    def __reduce__(self):
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


def _rebuild(cls, args, state):
    err = cls.__new__(cls)
    err.args = args
    err.__dict__.update(state)
    return err

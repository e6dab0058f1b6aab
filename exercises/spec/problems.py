"""Every problem found in a template, each with its field, line and a message in ja/en."""
from __future__ import annotations

from dataclasses import dataclass

from ..text import BilingualError


@dataclass(frozen=True)
class Problem:
    field: str
    line: int | None
    code: str
    message_ja: str
    message_en: str
    caret: str | None = None  # expression errors: the expression and a caret under the fault

    def message(self, lang: str = "ja") -> str:
        return self.message_en if lang == "en" else self.message_ja

    def to_dict(self) -> dict:
        return {"field": self.field, "line": self.line, "code": self.code,
                "message_ja": self.message_ja, "message_en": self.message_en, "caret": self.caret}


class TemplateError(BilingualError, ValueError):
    """A template that cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        first = self.problems[0]
        where = f"{first.field} (line {first.line})" if first.line else first.field
        more = f" (+{len(self.problems) - 1})" if len(self.problems) > 1 else ""
        super().__init__(f"{where}: {first.message_ja}{more}", f"{where}: {first.message_en}{more}")


class Problems:
    def __init__(self, lines: dict[str, int]):
        self.lines = lines
        self.items: list[Problem] = []

    def add(self, field: str, code: str, ja: str, en: str, caret: str | None = None) -> None:
        self.items.append(Problem(field, self._line(field), code, ja, en, caret))

    def _line(self, field: str) -> int | None:
        while field:
            if field in self.lines:
                return self.lines[field]
            field = field.rsplit(".", 1)[0] if "." in field else ""
        return None

    def raise_if_any(self) -> None:
        if self.items:
            raise TemplateError(self.items)

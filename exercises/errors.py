"""Errors of generation, each with a message in Japanese and English."""
from __future__ import annotations


class ExerciseError(ValueError):
    code = "exercise_error"

    def __init__(self, message_ja: str, message_en: str, **details):
        super().__init__(message_ja)
        self.message_ja, self.message_en, self.details = message_ja, message_en, details

    def message(self, lang: str = "ja") -> str:
        return self.message_en if lang == "en" else self.message_ja


class UnknownTemplate(ExerciseError):
    code = "unknown_template"


class ParamsError(ExerciseError):
    """Explicit parameters that are missing, unknown, outside their domain or constraints."""
    code = "invalid_params"


class Rejected(Exception):
    """One draw that failed verification; the generator redraws."""

    def __init__(self, reason: str, detail: str = "", fatal: bool = False):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason, self.detail = reason, detail
        self.fatal = fatal  # an authoring error that no other draw can fix


class TemplateBroken(ExerciseError):
    """A template that could not produce a verified instance within the allowed draws."""
    code = "template_broken"

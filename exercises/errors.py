"""Errors of generation, each with a message in Japanese and English."""
from __future__ import annotations

from .text import BilingualError


class ExerciseError(BilingualError, ValueError):
    code = "exercise_error"

    def __init__(self, message_ja: str, message_en: str, **details):
        super().__init__(message_ja, message_en)
        self.details = details


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


def broken(slug: str, seed: int, reasons, last) -> TemplateBroken:
    """No verified instance within the allowed draws: the reasons counted, the last detail."""
    summary = ", ".join(f"{k} ×{v}" for k, v in reasons.most_common())
    detail = f" ({last.detail})" if last is not None and last.detail else ""
    return TemplateBroken(
        f"テンプレート {slug} から検証に通る問題を作れませんでした（seed {seed}）: {summary}{detail}",
        f"template {slug} produced no verified instance (seed {seed}): {summary}{detail}",
        seed=seed, reasons=dict(reasons))

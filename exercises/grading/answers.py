"""Kept for old imports: answer parsing now lives in ``exercises.answers`` (a leaf the kinds use)."""
from ..answers import ANSWER_LIMITS, AnswerFormatError, parse_choice, parse_formula, parse_number

__all__ = ["ANSWER_LIMITS", "AnswerFormatError", "parse_choice", "parse_formula", "parse_number"]

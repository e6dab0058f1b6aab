"""Grading: parse answers, compare under each part's precision, name misconceptions."""
from .grade import GradeResult, PartResult, from_verdicts, grade
from .key import reference_answers
from ..misconceptions import MISCONCEPTIONS, Misconception

__all__ = ["grade", "from_verdicts", "reference_answers", "GradeResult", "PartResult", "MISCONCEPTIONS", "Misconception"]

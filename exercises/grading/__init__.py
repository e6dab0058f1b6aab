"""Grading: parse answers, compare under each part's precision, name misconceptions."""
from .grade import GradeResult, PartResult, grade
from .misconceptions import MISCONCEPTIONS, Misconception

__all__ = ["grade", "GradeResult", "PartResult", "MISCONCEPTIONS", "Misconception"]

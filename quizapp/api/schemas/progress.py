"""The learner's own record: GET /me/progress."""
from __future__ import annotations

from datetime import datetime

from quizapp.api.schemas.common import LocalizedText, ResponseModel


class FamilyProgress(ResponseModel):
    family: str
    name: LocalizedText
    attempts: int
    correct: int
    mastery: float
    last_attempt_at: datetime | None
    next_review_at: datetime | None
    due: bool


class Me(ResponseModel):
    display_name: str
    role: str
    token_scope: str


class ProgressReport(ResponseModel):
    user: Me
    families: list[FamilyProgress]
    attempts: int
    due: list[str]

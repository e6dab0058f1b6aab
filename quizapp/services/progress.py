"""Mastery per family and the spaced-repetition schedule.

Mastery is an exponential moving average of scores (recent attempts count most). The review
interval doubles after each good result (at least one day) and falls back to ten minutes
after a poor one: the Leitner idea, kept in the two timestamps Progress already stores.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.models import Progress, utcnow

ALPHA = 0.3          # weight of the newest score in the moving average
GOOD = 0.8           # a score at least this good pushes the next review further away
RETRY_SOON = timedelta(minutes=10)
FIRST_INTERVAL = timedelta(days=1)
MAX_INTERVAL = timedelta(days=60)


def record_result(session: Session, user_id: int, family: str, score: float) -> Progress:
    """Update the learner's progress on ``family`` inside the caller's write transaction."""
    now = utcnow()
    row = session.scalar(select(Progress).where(Progress.user_id == user_id, Progress.family == family)
                         .with_for_update())
    if row is None:
        row = Progress(user_id=user_id, family=family, attempts=0, correct=0, mastery=0.0)
        session.add(row)
    row.attempts += 1
    row.correct += 1 if score >= 1.0 else 0
    row.mastery = score if row.attempts == 1 else (1 - ALPHA) * row.mastery + ALPHA * score
    row.next_review_at = now + next_interval(row, score, now)
    row.last_attempt_at = now
    session.flush()
    return row


def next_interval(row: Progress, score: float, now) -> timedelta:
    if score < GOOD:
        return RETRY_SOON
    if row.last_attempt_at is None or row.next_review_at is None:
        return FIRST_INTERVAL
    previous = row.next_review_at - row.last_attempt_at
    return min(MAX_INTERVAL, max(FIRST_INTERVAL, 2 * previous))

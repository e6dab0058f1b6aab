"""GET /me/progress: the learner's own record per family."""
from __future__ import annotations

from sqlalchemy import select

from quizapp.api.blueprint import bp
from quizapp.api.endpoint import operation
from quizapp.api.schemas.progress import ProgressReport
from quizapp.api.serialize import family_name, utc
from quizapp.db import get_session
from quizapp.models import Progress, utcnow


@operation(bp, "/me/progress", "GET", summary="自分の学習の記録 / My progress", tag="me",
           auth="learner", response=ProgressReport, errors=(401, 429), limit="account")
def my_progress(principal):
    """系統（family）ごとの解答数・正解数・習熟度と、次の復習の時刻。
    Attempts, correct answers, mastery and the next review time per family."""
    rows = get_session().scalars(select(Progress).where(Progress.user_id == principal.user_id)
                                 .order_by(Progress.family)).all()
    now = utcnow()
    families = [{"family": r.family, "name": family_name(r.family), "attempts": r.attempts,
                 "correct": r.correct, "mastery": round(r.mastery, 6),
                 "last_attempt_at": utc(r.last_attempt_at), "next_review_at": utc(r.next_review_at),
                 "due": r.next_review_at is not None and r.next_review_at <= now} for r in rows]
    return ProgressReport(
        user={"display_name": principal.display_name, "role": principal.role, "token_scope": principal.scope},
        families=families, attempts=sum(r.attempts for r in rows),
        due=[f["family"] for f in families if f["due"]])

"""The score report of a finished mock exam, as JSON-ready data (stored in MockExam.report).

Names are not stored, only ids: the pages look them up in the learner's language.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from exercises.spec.vocab import TOPICS


def _mean(scores: list[float]) -> float:
    return round(sum(scores) / len(scores), 6) if scores else 0.0


def _question(row, exercise, attempt) -> dict:
    return {"instance_id": attempt.instance_id, "attempt_id": attempt.id, "slug": row.slug,
            "family": exercise.family, "topics": list(exercise.topics),
            "title": {"ja": row.title_ja, "en": row.title_en}, "score": attempt.score,
            "misconceptions": list(attempt.misconceptions or [])}


def _grouped(questions: list[dict], keys) -> dict[str, dict]:
    scores: dict[str, list[float]] = defaultdict(list)
    for q in questions:
        for key in keys(q):
            scores[key].append(q["score"])
    return {key: {"score": _mean(s), "questions": len(s)} for key, s in scores.items()}


def build_report(loaded: list[tuple], attempts: list, taken: timedelta, late: bool) -> dict:
    """``loaded``: (template version, exercise) per question; ``attempts``: the stored attempts."""
    questions = [_question(row, ex, attempt) for (row, ex), attempt in zip(loaded, attempts)]
    topics = _grouped(questions, lambda q: q["topics"])
    found = Counter(m for q in questions for m in q["misconceptions"])
    return {
        "score": _mean([q["score"] for q in questions]),
        "time_taken_s": int(taken.total_seconds()),
        "late": late,
        "questions": questions,
        "families": _grouped(questions, lambda q: [q["family"]]),
        "topics": {t: topics[t] for t in TOPICS if t in topics},  # in the syllabus order
        "misconceptions": [{"id": m, "count": n} for m, n in found.most_common()],
    }

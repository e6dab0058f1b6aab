"""A learner's study record as plain data: the syllabus map, mastery per family and per
E資格 topic, daily accuracy in Japan dates, mistakes by misconception, the review queue.

Pure functions over a SQLAlchemy Session (no Flask); the pages only format what they return.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from exercises.misconceptions import MISCONCEPTIONS
from exercises.spec.syllabus import SYLLABUS, ordered
from exercises.spec.vocab import FAMILIES, TOPICS
from quizapp.models import Attempt, ExerciseInstance, Progress, TemplateVersion
from quizapp.services.catalog import published_templates
from quizapp.services.exercise_cache import ExerciseCache

# Japan has no daylight saving time: a fixed offset is exact (as in quizapp.i18n).
TOKYO = timezone(timedelta(hours=9), "JST")
CHART_DAYS = 30
MISTAKE_WINDOW = 200  # the learner's latest attempts searched for misconceptions


@dataclass
class TemplateEntry:
    slug: str
    family: str
    title: dict
    difficulty: int
    topics: list[str]
    syllabus: list[str] = field(default_factory=list)


@dataclass
class FamilyEntry:
    id: str
    name: dict
    topics: list[str] = field(default_factory=list)
    syllabus: list[str] = field(default_factory=list)  # JDLA item ids its templates are tagged with
    templates: list[TemplateEntry] = field(default_factory=list)


def syllabus(session: Session, cache: ExerciseCache) -> list[FamilyEntry]:
    """Families in the vocabulary's order, each with its published templates and topics."""
    families = {fid: FamilyEntry(fid, names) for fid, names in FAMILIES.items()}
    for row in published_templates(session):
        entry = families.setdefault(row.family, FamilyEntry(row.family, {"ja": row.family, "en": row.family}))
        source = cache.template(row)
        entry.templates.append(TemplateEntry(row.slug, row.family, {"ja": row.title_ja, "en": row.title_en},
                                             source.difficulty, list(row.topics or []), list(source.syllabus)))
    out = []
    for entry in families.values():
        if not entry.templates:
            continue
        entry.templates.sort(key=lambda t: (t.difficulty, t.slug))
        entry.topics = [t for t in TOPICS if any(t in tpl.topics for tpl in entry.templates)]
        entry.syllabus = ordered(i for tpl in entry.templates for i in tpl.syllabus)
        out.append(entry)
    return out


def topic_map(families: list[FamilyEntry]) -> list[dict]:
    """Every JDLA syllabus item with the families that practise it and how many templates (items
    no family covers are kept, so the learner sees the whole syllabus)."""
    return [{"id": sid, "name": names, "families": [f.id for f in families if sid in f.syllabus],
             "templates": sum(sid in tpl.syllabus for f in families for tpl in f.templates)}
            for sid, names in SYLLABUS.items()]


def progress_by_family(session: Session, user_id: int) -> dict[str, Progress]:
    rows = session.scalars(select(Progress).where(Progress.user_id == user_id)).all()
    return {row.family: row for row in rows}


def topic_mastery(families: list[FamilyEntry], progress: dict[str, Progress]) -> dict[str, dict]:
    """A syllabus item's mastery: the mean of its families' mastery, weighted by their attempts
    (None while no family of the item has been tried)."""
    out = {}
    for tid in SYLLABUS:
        rows = [progress[f.id] for f in families if tid in f.syllabus and f.id in progress]
        attempts = sum(r.attempts for r in rows)
        mastery = sum(r.mastery * r.attempts for r in rows) / attempts if attempts else None
        out[tid] = {"mastery": mastery, "attempts": attempts}
    return out


def review_queue(progress: dict[str, Progress], now: datetime) -> dict[str, list[Progress]]:
    """Families due now (most overdue first) and those due later (soonest first)."""
    scheduled = sorted((r for r in progress.values() if r.next_review_at is not None),
                       key=lambda r: (r.next_review_at, r.family))
    return {"due": [r for r in scheduled if r.next_review_at <= now],
            "later": [r for r in scheduled if r.next_review_at > now]}


def tokyo_date(moment: datetime) -> date:
    return moment.astimezone(TOKYO).date()


def daily_accuracy(session: Session, user_id: int, now: datetime, days: int = CHART_DAYS) -> list[dict]:
    """One entry per Japan date of the last ``days`` days (today last): attempts and mean score."""
    today = tokyo_date(now)
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time(), TOKYO)
    rows = session.execute(select(Attempt.created_at, Attempt.score).where(
        Attempt.user_id == user_id, Attempt.created_at >= since)).all()
    scores = defaultdict(list)
    for created_at, score in rows:
        scores[tokyo_date(created_at)].append(score)
    out = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        found = scores.get(day, [])
        out.append({"date": day, "attempts": len(found),
                    "mean": sum(found) / len(found) if found else None})
    return out


def _attempt_rows(session: Session, user_id: int, limit: int):
    return session.execute(
        select(Attempt, TemplateVersion)
        .join(ExerciseInstance, Attempt.instance_id == ExerciseInstance.id)
        .join(TemplateVersion, ExerciseInstance.template_version_id == TemplateVersion.id)
        .where(Attempt.user_id == user_id)
        .order_by(Attempt.created_at.desc(), Attempt.id.desc()).limit(limit)).all()


def _attempt_entry(attempt: Attempt, template: TemplateVersion) -> dict:
    return {"id": attempt.id, "instance_id": attempt.instance_id, "created_at": attempt.created_at,
            "score": attempt.score, "slug": template.slug, "family": template.family,
            "title": {"ja": template.title_ja, "en": template.title_en},
            "misconceptions": list(attempt.misconceptions or [])}


def recent_attempts(session: Session, user_id: int, limit: int = 20) -> list[dict]:
    return [_attempt_entry(a, t) for a, t in _attempt_rows(session, user_id, limit)]


def mistakes_by_misconception(session: Session, user_id: int, window: int = MISTAKE_WINDOW) -> list[dict]:
    """The misconceptions found in the learner's latest attempts, most frequent first, each
    with its name and explanation (ja/en) and the attempts that showed it (newest first)."""
    groups: dict[str, dict] = {}
    for attempt, template in _attempt_rows(session, user_id, window):
        for mid in dict.fromkeys(attempt.misconceptions or []):
            known = MISCONCEPTIONS.get(mid)
            group = groups.setdefault(mid, {
                "id": mid, "name": known.name if known else {"ja": mid, "en": mid},
                "explanation": known.explanation if known else None, "attempts": []})
            group["attempts"].append(_attempt_entry(attempt, template))
    return sorted(groups.values(), key=lambda g: (-len(g["attempts"]), g["id"]))

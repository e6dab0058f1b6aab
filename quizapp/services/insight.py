"""How learners do on a template (optionally one version): attempts, learners, scores, per-part
success, common wrong answers, misconceptions, hardest seeds; and a CSV export of attempts.

Computed from the stored attempts (answers as typed, the grader's verdicts), never regraded.
"""
from __future__ import annotations

import csv
import io
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.models import Attempt, ExerciseInstance, TemplateVersion

TOP_WRONG = 5
HARDEST = 5
MIN_SEED_ATTEMPTS = 3
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


@dataclass
class PartInsight:
    part: str
    attempts: int = 0
    correct: int = 0
    wrong_answers: list = field(default_factory=list)  # [(answer as typed, count)], most common first

    @property
    def success_rate(self) -> float | None:
        return self.correct / self.attempts if self.attempts else None


@dataclass
class Insight:
    slug: str
    version: int | None
    attempts: int = 0
    learners: int = 0
    average_score: float | None = None
    parts: list[PartInsight] = field(default_factory=list)
    misconceptions: list = field(default_factory=list)  # [(id, count)], most common first
    hardest_seeds: list = field(default_factory=list)   # [(version, seed, mean score, attempts)]


def attempt_rows(session: Session, slug: str, version: int | None = None) -> list:
    """(attempt, template version number, seed) for every attempt on the template."""
    query = (select(Attempt, TemplateVersion.version, ExerciseInstance.seed)
             .join(ExerciseInstance, Attempt.instance_id == ExerciseInstance.id)
             .join(TemplateVersion, ExerciseInstance.template_version_id == TemplateVersion.id)
             .where(TemplateVersion.slug == slug).order_by(Attempt.created_at, Attempt.id))
    if version is not None:
        query = query.where(TemplateVersion.version == version)
    return list(session.execute(query).all())


def template_insight(session: Session, slug: str, version: int | None = None,
                     min_seed_attempts: int = MIN_SEED_ATTEMPTS) -> Insight:
    rows = attempt_rows(session, slug, version)
    out = Insight(slug, version, attempts=len(rows))
    if not rows:
        return out
    out.learners = len({a.user_id for a, _, _ in rows if a.user_id is not None})
    out.average_score = statistics.fmean(a.score for a, _, _ in rows)
    out.parts = _parts([a for a, _, _ in rows])
    out.misconceptions = Counter(m for a, _, _ in rows for m in (a.misconceptions or [])).most_common()
    out.hardest_seeds = _hardest(rows, min_seed_attempts)
    return out


def _parts(attempts: list[Attempt]) -> list[PartInsight]:
    parts: dict[str, PartInsight] = {}
    wrong: dict[str, Counter] = defaultdict(Counter)
    for attempt in attempts:
        for part_id, verdict in (attempt.verdicts or {}).items():
            p = parts.setdefault(part_id, PartInsight(part_id))
            p.attempts += 1
            status = (verdict or {}).get("status")
            p.correct += status == "correct"
            answer = (attempt.answers or {}).get(part_id)
            if status == "incorrect" and isinstance(answer, str) and answer.strip():
                wrong[part_id][_normalised(answer)] += 1
    for part_id, p in parts.items():
        p.wrong_answers = wrong[part_id].most_common(TOP_WRONG)
    return list(parts.values())


def _normalised(answer: str) -> str:
    """Full-width digits and spaces count as the same answer (as the grader reads them)."""
    return " ".join(unicodedata.normalize("NFKC", answer).split())


def _hardest(rows, min_attempts: int) -> list:
    scores: dict[tuple, list] = defaultdict(list)
    for attempt, version, seed in rows:
        scores[(version, seed)].append(attempt.score)
    ranked = sorted(((statistics.fmean(s), len(s), key) for key, s in scores.items()
                     if len(s) >= min_attempts), key=lambda t: (t[0], -t[1], t[2]))
    return [(key[0], key[1], mean, n) for mean, n, key in ranked[:HARDEST]]


# --- CSV export -----------------------------------------------------------------------------

def safe_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula: text starting with = + - @ (or a tab
    or carriage return) gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if PLAIN_NUMBER.fullmatch(text):  # -0.5 stays a number in the spreadsheet
        return text
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def attempts_csv(session: Session, slug: str, version: int | None = None) -> str:
    """One row per attempt: ids, time (UTC, ISO 8601), version, seed, score, misconceptions,
    then each part's answer as typed and verdict."""
    rows = attempt_rows(session, slug, version)
    part_ids = sorted({p for a, _, _ in rows for p in (a.verdicts or {})})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["attempt_id", "created_at", "user_id", "version", "seed", "score",
                     "time_taken_ms", "misconceptions"]
                    + [f"{p}{suffix}" for p in part_ids for suffix in ("_answer", "_status")])
    for attempt, version_no, seed in rows:
        cells = [attempt.id, attempt.created_at.isoformat(), attempt.user_id, version_no, seed,
                 f"{attempt.score:.6g}", attempt.time_taken_ms, " ".join(attempt.misconceptions or [])]
        for p in part_ids:
            cells += [_answer_text(attempt.answers or {}, p),
                      ((attempt.verdicts or {}).get(p) or {}).get("status")]
        writer.writerow([safe_cell(c) for c in cells])
    return buffer.getvalue()


def _answer_text(answers: dict, part_id: str) -> str:
    answer = answers.get(part_id)
    if answer is None:  # guided parts may come as "part.step" keys
        prefix = f"{part_id}."
        answer = {k[len(prefix):]: v for k, v in answers.items() if k.startswith(prefix)} or None
    if isinstance(answer, dict):  # guided parts: step -> value
        return "; ".join(f"{k}={v}" for k, v in answer.items())
    return "" if answer is None else str(answer)

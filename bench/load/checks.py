"""After the load: the database the server used against the client's ledger.

Every acknowledged submission (the exercise form's redirect to an attempt, or the API's 201
with an attempt id) must be stored exactly once, under the key it was sent with, for the
user who sent it; nothing may be stored that was not acknowledged unless a response for its
key was lost (timeout, connection dropped, cut off at the end, a 500) - those are counted
apart, as are the lost ones that stored nothing. For SQLite, PRAGMA integrity_check too.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

from bench.load.ledger import Ledger
from quizapp.config import normalise_database_url
from quizapp.models import Attempt, User


@dataclass(frozen=True)
class Stored:
    id: int
    key: str | None
    instance_id: str
    email: str
    score: float


def stored_attempts(database_url: str, tag: str) -> list[Stored]:
    """The attempts of this run's users (their e-mail addresses start with load-<tag>-)."""
    engine = create_engine(normalise_database_url(database_url))
    query = (select(Attempt.id, Attempt.idempotency_key, Attempt.instance_id, User.email, Attempt.score)
             .join(User, User.id == Attempt.user_id).where(User.email.like(f"load-{tag}-%")))
    try:
        with engine.connect() as connection:
            return [Stored(*row) for row in connection.execute(query)]
    finally:
        engine.dispose()


def integrity_check(database_url: str) -> str | None:
    """PRAGMA integrity_check's answer ("ok"), or None when the database is not SQLite."""
    url = normalise_database_url(database_url)
    if make_url(url).get_backend_name() != "sqlite":
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return "; ".join(row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check"))
    finally:
        engine.dispose()


@dataclass
class Verdict:
    counts: Counter = field(default_factory=Counter)
    missing: list[int] = field(default_factory=list)      # acknowledged, not stored as sent
    duplicated: list[str] = field(default_factory=list)   # keys stored or acknowledged twice
    extras: list[int] = field(default_factory=list)       # stored, never acknowledged, nothing lost
    replay_differing: int = 0

    @property
    def ok(self) -> bool:
        return (self.counts["acknowledged"] > 0 and not self.missing and not self.duplicated
                and not self.extras and not self.replay_differing)

    def lines(self) -> list[str]:
        c = self.counts
        head = (f"{c['acknowledged']} acknowledged submissions (HTML {c['acked_html']}, API {c['acked_api']};"
                f" {c['copies_html'] - c['keys_html']} HTML double clicks, {c['keys_api']} API keys each sent twice)")
        lost = (f"stored without an acknowledgement because a response was lost: {c['stored_lost']};"
                f" lost and not stored: {c['lost_not_stored']}")
        if self.ok:
            return [f"exactly-once: {head}: every one stored exactly once", lost]
        problems = [f"{len(self.missing)} acknowledged but not stored as sent (attempt ids {self.missing[:10]})",
                    f"{len(self.duplicated)} keys stored or acknowledged more than once ({self.duplicated[:5]})",
                    f"{len(self.extras)} stored but never acknowledged (attempt ids {self.extras[:10]})",
                    f"{self.replay_differing} API replays that were not the first answer byte for byte"]
        if not c["acknowledged"]:
            problems.insert(0, "no submission was acknowledged at all")
        return [f"!! exactly-once FAILED: {head}", *(f"!!   {p}" for p in problems), lost]


def _check_key(verdict: Verdict, key: str, entry, rows: list[Stored]) -> None:
    if len(rows) > 1 or len(entry.acked) > 1:
        verdict.duplicated.append(key)
    as_sent = {r.id for r in rows if r.email == entry.email and r.instance_id == entry.instance_id}
    verdict.missing += sorted(set(entry.acked) - as_sent)
    if rows and not entry.acked:
        if entry.uncertain:
            verdict.counts["stored_lost"] += 1
        else:
            verdict.extras += [r.id for r in rows]
    if not rows and not entry.acked and entry.uncertain:
        verdict.counts["lost_not_stored"] += 1
    for row in rows[:1]:
        if entry.right and row.score < 1:
            verdict.counts["right answers not scored 1"] += 1
        if not entry.right and row.score >= 1:
            verdict.counts["wrong answers scored 1"] += 1


def exactly_once(ledger: Ledger, rows: list[Stored]) -> Verdict:
    verdict = Verdict(counts=ledger.counts())
    verdict.counts["acknowledged"] = sum(1 for entry in ledger.sent.values() if entry.acked)
    verdict.replay_differing = ledger.replays["differing"]
    by_key: dict[str | None, list[Stored]] = defaultdict(list)
    for row in rows:
        by_key[row.key].append(row)
    for key, entry in ledger.sent.items():
        _check_key(verdict, key, entry, by_key.get(key, []))
    verdict.extras += sorted(r.id for key, group in by_key.items() if key not in ledger.sent for r in group)
    return verdict

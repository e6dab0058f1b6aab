"""The client's record of every submission it sent, by idempotency key: what was
acknowledged (an attempt id), what got no answer, and the replays of the API's keys. The
exactly-once check (checks.py) holds the database's attempts against it."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Sent:
    kind: str                # "html" (the exercise form) or "api" (POST .../submissions)
    email: str
    instance_id: str
    right: bool              # the reference answers (else answers made wrong on purpose)
    copies: int = 0          # how often this key was sent (double click, the API's replay)
    acked: set[int] = field(default_factory=set)   # attempt ids the server answered with
    uncertain: bool = False  # a copy got no answer, or a 5xx other than 503: it may be stored
    statuses: Counter = field(default_factory=Counter)


class Ledger:
    def __init__(self) -> None:
        self.sent: dict[str, Sent] = {}
        self.replays = Counter()  # pairs of 201s for one API key: identical, flagged, differing

    def open(self, key: str, kind: str, email: str, instance_id: str, right: bool) -> Sent:
        entry = self.sent.setdefault(key, Sent(kind, email, instance_id, right))
        entry.copies += 1
        return entry

    def answered(self, key: str, status: int, attempt_id: int | None = None) -> None:
        entry = self.sent[key]
        entry.statuses[status] += 1
        if attempt_id is not None:
            entry.acked.add(attempt_id)
        elif status >= 500 and status != 503:  # 503: the app says nothing was stored
            entry.uncertain = True

    def lost(self, key: str) -> None:
        self.sent[key].uncertain = True

    def replay(self, identical: bool, flagged: bool) -> None:
        self.replays["pairs"] += 1
        self.replays["identical" if identical else "differing"] += 1
        self.replays["flagged Idempotent-Replayed"] += int(flagged)

    def acknowledged(self) -> dict[int, str]:
        """attempt id -> the key it was acknowledged for."""
        return {attempt_id: key for key, entry in self.sent.items() for attempt_id in entry.acked}

    def counts(self) -> Counter:
        c = Counter()
        for entry in self.sent.values():
            if entry.acked:
                c[f"acked_{entry.kind}"] += 1
            c[f"copies_{entry.kind}"] += entry.copies
            c[f"keys_{entry.kind}"] += 1
        return c

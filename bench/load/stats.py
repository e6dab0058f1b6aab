"""What the load saw: every request's latency and status per endpoint group, the requests
that got no answer, and the tables printed at the end."""
from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

# The groups in the order they are printed; a group with no request still gets its row.
WEB_GROUPS = ("auth_page", "signup", "login", "home", "exercise_new", "exercise_page", "submit", "result",
              "progress")
API_GROUPS = ("api_grade", "api_exercise", "api_submit")
GROUPS = WEB_GROUPS + API_GROUPS
SATURATION_GROUPS = ("exercise_page", "submit", "result")


@dataclass
class Group:
    latencies: list[float] = field(default_factory=list)  # seconds, of the requests answered
    statuses: Counter = field(default_factory=Counter)
    lost: Counter = field(default_factory=Counter)         # no answer: timeout, connection, cut off
    body_bytes: int = 0                                     # of the answers, summed

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.lost.values())


class Recorder:
    """Requests are recorded as they finish; times are time.monotonic() seconds."""

    def __init__(self) -> None:
        self.groups: dict[str, Group] = defaultdict(Group)
        self.started_at = time.monotonic()
        self.steady_from = self.started_at   # the end of the ramp
        self.steady_answered = 0
        self.ended_at: float | None = None
        self.notes: Counter = Counter()      # things worth a line: form mismatches, replays, ...

    def begin(self, ramp: float) -> None:
        self.started_at = time.monotonic()
        self.steady_from = self.started_at + ramp

    def end(self) -> None:
        self.ended_at = time.monotonic()

    def answered(self, group: str, started: float, seconds: float, status: int, size: int = 0) -> None:
        g = self.groups[group]
        g.latencies.append(seconds)
        g.statuses[status] += 1
        g.body_bytes += size
        if started >= self.steady_from:
            self.steady_answered += 1

    def lost(self, group: str, reason: str) -> None:
        self.groups[group].lost[reason] += 1

    def note(self, what: str, n: int = 1) -> None:
        self.notes[what] += n

    # --- totals -------------------------------------------------------------------------------

    def elapsed(self) -> float:
        return max(1e-9, (self.ended_at or time.monotonic()) - self.started_at)

    def total(self) -> int:
        return sum(g.requests for g in self.groups.values())

    def answered_total(self) -> int:
        return sum(len(g.latencies) for g in self.groups.values())

    def throughput(self) -> float:
        return self.answered_total() / self.elapsed()

    def steady_throughput(self) -> float | None:
        span = (self.ended_at or time.monotonic()) - self.steady_from
        if self.steady_from <= self.started_at or span <= 1:
            return None
        return self.steady_answered / span

    def status_total(self, predicate) -> Counter:
        """{(group, status): n} for the statuses that satisfy predicate."""
        return Counter({(name, s): n for name, g in self.groups.items() for s, n in g.statuses.items()
                        if predicate(s)})

    def mean_size(self, group: str) -> int | None:
        g = self.groups.get(group)
        return g.body_bytes // len(g.latencies) if g and g.latencies else None

    def lost_total(self) -> int:
        return sum(sum(g.lost.values()) for g in self.groups.values())


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (p in 0..100)."""
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def _statuses(g: Group) -> str:
    parts = [f"{'!!' if s >= 500 else ''}{s}×{n}" for s, n in sorted(g.statuses.items())]
    parts += [f"lost:{reason}×{n}" for reason, n in sorted(g.lost.items())]
    return " ".join(parts) or "-"


def group_table(rec: Recorder, groups=GROUPS) -> list[str]:
    """One markdown row per endpoint group: requests, latency percentiles (ms), statuses."""
    lines = ["| group | requests | p50 ms | p95 ms | p99 ms | max ms | statuses |",
             "|---|---:|---:|---:|---:|---:|---|"]
    names = list(groups) + sorted(set(rec.groups) - set(groups))
    for name in names:
        g = rec.groups.get(name, Group())
        if g.latencies:
            s = sorted(g.latencies)
            figures = [f"{percentile(s, p) * 1000:.1f}" for p in (50, 95, 99)] + [f"{s[-1] * 1000:.1f}"]
        else:
            figures = ["-"] * 4
        lines.append(f"| {name} | {g.requests} | " + " | ".join(figures) + f" | {_statuses(g)} |")
    return lines


def totals_lines(rec: Recorder) -> list[str]:
    steady = rec.steady_throughput()
    line = (f"total requests: {rec.total()} ({rec.answered_total()} answered) in {rec.elapsed():.1f} s"
            f" = {rec.throughput():.1f} req/s")
    if steady is not None:
        line += f"; after the ramp {steady:.1f} req/s"
    lines = [line]
    errors = rec.status_total(lambda s: s >= 500)
    if errors:
        detail = ", ".join(f"{group} {status}×{n}" for (group, status), n in sorted(errors.items()))
        lines.append(f"!! 5xx: {sum(errors.values())} ({detail})")
    else:
        lines.append("5xx: none")
    limited = rec.status_total(lambda s: s == 429)
    detail = ", ".join(f"{group}×{n}" for (group, _), n in sorted(limited.items()))
    lines.append(f"429 (rate limited or log-in locked): {sum(limited.values())}" + (f" ({detail})" if detail else ""))
    lines.append(f"requests without an answer (timeout, connection lost, cut off at the end): {rec.lost_total()}")
    return lines


def notes_lines(rec: Recorder) -> list[str]:
    return [f"{what}: {n}" for what, n in sorted(rec.notes.items())]

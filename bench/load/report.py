"""The printed report and the exit status."""
from __future__ import annotations

from dataclasses import dataclass, field

from bench.load.checks import Verdict
from bench.load.ledger import Ledger
from bench.load.scenario import Plan
from bench.load.stats import GROUPS, SATURATION_GROUPS, Recorder, group_table, notes_lines, totals_lines


@dataclass
class Outcome:
    """One run against one server."""
    title: str
    target: str                  # what was loaded: the server and its settings
    plan: Plan
    recorder: Recorder
    ledger: Ledger
    limits: list[str] = field(default_factory=list)
    cpu_seconds: float = 0.0     # the load generator's own CPU time during the run
    verdict: Verdict | None = None
    unchecked: str = ""          # why there is no exactly-once check
    integrity: str | None = None
    server_log: str = ""

    def failures(self) -> list[str]:
        found = []
        errors = sum(self.recorder.status_total(lambda s: s >= 500).values())
        if errors:
            found.append(f"{errors} responses 5xx ({self.title})")
        if self.verdict is not None and not self.verdict.ok:
            found.append("the exactly-once check failed")
        refused = self.recorder.notes["learners who could not sign in"]
        if refused:
            found.append(f"{refused} learners could not sign in")
        if self.integrity not in (None, "ok"):
            found.append(f"integrity_check: {self.integrity}")
        found += [f"the load itself crashed: {c}" for c in self.plan.crashes[:3]]
        return found


def _cpu_line(outcome: Outcome) -> str:
    share = outcome.cpu_seconds / outcome.recorder.elapsed()
    line = (f"load generator CPU: {outcome.cpu_seconds:.1f} s in {outcome.recorder.elapsed():.1f} s"
            f" ({share:.0%} of one core, on the same machine as the server)")
    if share > 0.5:
        line += " - the client may be a bottleneck here"
    return line


def outcome_lines(outcome: Outcome, saturation: bool) -> list[str]:
    lines = [f"## {outcome.title}", f"target: {outcome.target}", *outcome.limits]
    if outcome.plan.prepared:
        lines.append(f"before the clock (not in the figures): {outcome.plan.prepared}")
    lines.append("")
    lines += group_table(outcome.recorder, SATURATION_GROUPS if saturation and outcome.plan.api_clients == 0 else GROUPS)
    lines += ["", *totals_lines(outcome.recorder), *notes_lines(outcome.recorder)]
    if outcome.verdict is not None:
        lines += outcome.verdict.lines()
        c = outcome.verdict.counts
        lines.append(f"right answers not scored 1: {c['right answers not scored 1']};"
                     f" wrong answers scored 1: {c['wrong answers scored 1']}")
        r = outcome.ledger.replays
        lines.append(f"API replays (both copies 201): {r['pairs']}, identical bytes {r['identical']},"
                     f" with Idempotent-Replayed: true {r['flagged Idempotent-Replayed']}")
    elif outcome.unchecked:
        lines.append(f"exactly-once: not checked ({outcome.unchecked})")
    if outcome.integrity is not None:
        lines.append(f"SQLite PRAGMA integrity_check: {outcome.integrity}")
    if outcome.server_log:
        lines.append(outcome.server_log)
    lines.append(_cpu_line(outcome))
    return lines


def print_report(describe: list[str], outcomes: list[Outcome], saturation: bool) -> int:
    """Print everything; 0 when nothing failed, else 1."""
    print("\n".join(describe))
    for outcome in outcomes:
        print()
        print("\n".join(outcome_lines(outcome, saturation)))
    if len(outcomes) == 2:
        app, bare = (o.recorder.throughput() for o in outcomes)
        print(f"\nrequests/s, same saturation client and gunicorn settings: app {app:.1f}, bare Flask {bare:.1f}:"
              f" app/bare = {app / bare if bare else float('nan'):.3f}")
    failures = [f for o in outcomes for f in o.failures()]
    print("\nresult: " + ("OK" if not failures else "FAILED - " + "; ".join(failures)))
    return 1 if failures else 0

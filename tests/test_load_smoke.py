"""The load test command works (docs/load.md): a short run against the app served by
gunicorn on a fresh SQLite database (~15 s), and the exactly-once verdict on made-up ledgers.

No timing assertions: the figures are printed, not tested.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.load.checks import Stored, exactly_once
from bench.load.ledger import Ledger
from bench.load.stats import GROUPS

ROOT = Path(__file__).resolve().parent.parent


def test_a_short_load_on_sqlite_passes_and_prints_the_report():
    p = subprocess.run(
        [sys.executable, "-m", "bench.load", "--serve", "sqlite", "--learners", "3", "--api-clients", "1",
         "--duration", "8", "--think", "0-1"],
        capture_output=True, text=True, timeout=90, cwd=ROOT,
    )
    out = p.stdout
    assert p.returncode == 0, out[-4000:] + p.stderr[-4000:]
    for group in GROUPS:
        assert f"| {group} |" in out, group
    assert "stored exactly once" in out and "5xx: none" in out and "result: OK" in out
    assert "SQLite PRAGMA integrity_check: ok" in out and "req/s" in out
    assert "API rate limits (per token only" in out and "!!" not in out


def _ledger() -> Ledger:
    ledger = Ledger()
    for key, attempt in (("k1", 1), ("k2", 2)):
        ledger.open(key, "html", "a@example.com", "i1", right=True)
        ledger.answered(key, 302, attempt)
    return ledger


def _row(attempt: int, key: str | None, score: float = 1.0) -> Stored:
    return Stored(attempt, key, "i1", "a@example.com", score)


def test_the_verdict_passes_when_each_acknowledged_attempt_is_stored_once():
    verdict = exactly_once(_ledger(), [_row(1, "k1"), _row(2, "k2")])
    assert verdict.ok and "stored exactly once" in verdict.lines()[0]


def test_the_verdict_fails_on_missing_duplicated_and_unacknowledged_attempts():
    assert exactly_once(_ledger(), [_row(1, "k1")]).missing == [2]
    assert exactly_once(_ledger(), [_row(1, "k1"), _row(2, "k2"), _row(3, "k2")]).duplicated == ["k2"]
    extra = exactly_once(_ledger(), [_row(1, "k1"), _row(2, "k2"), _row(9, None)])
    assert extra.extras == [9] and not extra.ok and extra.lines()[0].startswith("!! exactly-once FAILED")
    assert not exactly_once(Ledger(), []).ok  # nothing acknowledged: the load did not work


def test_a_lost_response_may_leave_a_stored_attempt_counted_apart():
    ledger = _ledger()
    ledger.open("k3", "api", "a@example.com", "i1", right=False)
    ledger.lost("k3")
    verdict = exactly_once(ledger, [_row(1, "k1"), _row(2, "k2"), _row(3, "k3", score=0.5)])
    assert verdict.ok and verdict.counts["stored_lost"] == 1
    assert exactly_once(ledger, [_row(1, "k1"), _row(2, "k2")]).counts["lost_not_stored"] == 1

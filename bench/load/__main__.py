"""Load test of the quiz service (docs/load.md).

    .venv/bin/python -m bench.load --serve sqlite --learners 20 --duration 20 --think 0-8
    .venv/bin/python -m bench.load --serve postgres --learners 300 --signup-share 0 --ramp 30 --duration 330
    .venv/bin/python -m bench.load --saturate --concurrency 8 --duration 60 --bare
    .venv/bin/python -m bench.load --url http://127.0.0.1:8000 --database-url sqlite:///instance/quizapp.sqlite3

(``python bench/load`` works too.) Only 127.0.0.1 is ever contacted.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if not __package__:  # run as `python bench/load`: import the repository, not bench/load's files
    sys.path[0] = ROOT

from bench.load import cli  # noqa: E402
from bench.load.answers import Pool  # noqa: E402
from bench.load.browser import check_local  # noqa: E402
from bench.load.checks import exactly_once, integrity_check, stored_attempts  # noqa: E402
from bench.load.context import Context  # noqa: E402
from bench.load.ledger import Ledger  # noqa: E402
from bench.load.report import Outcome, print_report  # noqa: E402
from bench.load.scenario import Plan, run_learners, run_saturation  # noqa: E402
from bench.load.servers import (  # noqa: E402
    Gunicorn, base_env, describe_limits, fresh_database, gunicorn, rate_limit_env, setup_database,
)
from bench.load.stats import Recorder  # noqa: E402


def _plan(opts, tag: str) -> Plan:
    return Plan(learners=0 if opts.saturate else opts.learners, signups=opts.signups, api_clients=opts.api_clients,
                ramp=opts.ramp, duration=opts.duration, timeout=opts.timeout,
                saturate=opts.concurrency if opts.saturate else 0, seed=opts.seed, tag=tag)


def _load(base: str, opts, pool: Pool, outcome: Outcome, bare: bool = False) -> None:
    ctx = Context(outcome.recorder, outcome.ledger, pool, think=(0.0, 0.0) if opts.saturate else opts.think,
                  right_share=opts.right_share, double_click=0.0 if opts.saturate else opts.double_click,
                  batch=opts.batch)
    cpu = time.process_time()
    run = run_saturation(base, ctx, outcome.plan, bare=bare) if opts.saturate else run_learners(base, ctx, outcome.plan)
    asyncio.run(run)
    outcome.cpu_seconds = time.process_time() - cpu


def _check(outcome: Outcome, database_url: str) -> None:
    outcome.verdict = exactly_once(outcome.ledger, stored_attempts(database_url, outcome.plan.tag))
    outcome.integrity = integrity_check(database_url)


def _new_outcome(opts, tag: str, title: str, target: str, limits: list[str]) -> Outcome:
    return Outcome(title, target, _plan(opts, tag), Recorder(), Ledger(), limits)


def run_app(opts, pool: Pool, tag: str, workdir: Path, settings: Gunicorn) -> Outcome:
    title = "the app, saturated" if opts.saturate else "the app, learners with think time"
    if opts.url:
        outcome = _new_outcome(opts, tag, title, f"{check_local(opts.url)} (--url)", describe_limits(None, False, 0))
        _load(opts.url, opts, pool, outcome)
        if opts.database_url:
            _check(outcome, opts.database_url)
        else:
            outcome.unchecked = "give --database-url, the database of that server"
        return outcome
    limits = describe_limits(opts.rate_limits, opts.redis, settings.workers)
    with fresh_database(opts.serve, workdir, opts.pg_admin_url) as database_url:
        env = base_env(workdir, database_url, settings, rate_limit_env(opts.rate_limits, opts.redis, tag))
        setup_database(env, workdir)
        target = f"served: {opts.serve}, a fresh database ({database_url}); {settings.describe()}"
        outcome = _new_outcome(opts, tag, title, target, limits)
        with gunicorn("wsgi:app", env, workdir, "app", target) as server:
            _load(server.url, opts, pool, outcome)
        outcome.server_log = server.log_findings()
        _check(outcome, database_url)  # after the server stopped: nothing is still being written
    return outcome


def run_bare(opts, pool: Pool, tag: str, workdir: Path, settings: Gunicorn, page_bytes: int) -> Outcome:
    env = base_env(workdir, f"sqlite:///{workdir / 'unused.sqlite3'}", settings, {"BARE_PAGE_BYTES": str(page_bytes)})
    target = f"bench/load/bare_app.py, a page of {page_bytes} bytes; {settings.describe()}"
    outcome = _new_outcome(opts, tag, "bare Flask, saturated", target, [])
    outcome.plan.api_clients = 0
    with gunicorn("bench.load.bare_app:app", env, workdir, "bare", target) as server:
        _load(server.url, opts, pool, outcome, bare=True)
    outcome.server_log = server.log_findings()
    return outcome


def _describe(opts, pool: Pool, seconds: float) -> list[str]:
    if opts.saturate:
        load = f"saturation: {opts.concurrency} workers without think time, {opts.api_clients} API clients"
    else:
        load = (f"{opts.learners} learners ({opts.signups} sign up, {opts.learners - opts.signups} log in),"
                f" ramp {opts.ramp:g} s, think {opts.think[0]:g}-{opts.think[1]:g} s; {opts.api_clients} API clients"
                f" (batches of {opts.batch})")
    return ["# bench/load", f"load: {load}; {opts.duration:g} s (ramp included); seed {opts.seed}",
            f"answers: {len(pool.cases)} exercises ({len(opts.slugs)} templates × {opts.seeds} seeds), generated"
            f" in {seconds:.1f} s; right-answer share {opts.right_share:g}"]


def main(argv=None) -> int:
    opts = cli.parse(argv)
    if opts.url:
        check_local(opts.url)
    tag = f"{os.getpid()}t{int(time.time()) % 1_000_000}"
    started = time.monotonic()
    pool = Pool(opts.slugs, opts.seeds)
    describe = _describe(opts, pool, time.monotonic() - started)
    settings = Gunicorn.resolve(opts.workers, opts.threads, opts.worker_class)
    workdir = Path(tempfile.mkdtemp(prefix="quizapp-load-"))
    try:
        outcomes = [run_app(opts, pool, tag, workdir, settings)]
        if opts.bare:
            size = outcomes[0].recorder.mean_size("exercise_page") or 14_000
            outcomes.append(run_bare(opts, pool, tag, workdir, settings, size))
    finally:
        if opts.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return print_report(describe, outcomes, opts.saturate)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the servers are stopped and the databases dropped on the way out
        print("interrupted", file=sys.stderr)
        sys.exit(130)

"""The command line of bench/load (docs/load.md)."""
from __future__ import annotations

import argparse

from bench.load.answers import DEFAULT_SLUGS
from bench.load.servers import PG_ADMIN_URL

DESCRIPTION = """Load test of the quiz service over HTTP on 127.0.0.1: learners in browsers (HTML
forms with CSRF tokens) and API clients, with think time or saturated, then an exactly-once
check of every acknowledged submission against the database. Exit status 1 on any 5xx,
any lost or duplicated submission, or a crash of the load itself."""


def think_range(text: str) -> tuple[float, float]:
    """"0-8" (uniform between 0 and 8 s) or "3" (0 to 3 s)."""
    lo, _, hi = text.partition("-")
    try:
        pair = (float(lo), float(hi)) if hi else (0.0, float(lo))
    except ValueError:
        raise argparse.ArgumentTypeError(f"think time is A-B seconds, e.g. 0-8, not {text!r}") from None
    if not 0 <= pair[0] <= pair[1] <= 600:
        raise argparse.ArgumentTypeError("think time must satisfy 0 <= A <= B <= 600")
    return pair


def _bounded(kind, lo, hi):
    def parse(text: str):
        value = kind(text)
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{text} is not between {lo} and {hi}")
        return value
    return parse


def _target(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("target")
    where = g.add_mutually_exclusive_group()
    where.add_argument("--serve", choices=("sqlite", "postgres"),
                       help="start the app on a fresh database (default: sqlite, unless --url)")
    where.add_argument("--url", help="an already running server, http://127.0.0.1:<port>")
    g.add_argument("--database-url", help="with --url: the database that server uses, for the exactly-once check")
    g.add_argument("--pg-admin-url", default=PG_ADMIN_URL, help="where --serve postgres creates load_<pid>")
    g.add_argument("--workers", type=_bounded(int, 1, 64), help="gunicorn workers (WEB_WORKERS; default 2)")
    g.add_argument("--threads", type=_bounded(int, 1, 256), help="threads per worker (WEB_THREADS; default 1)")
    g.add_argument("--worker-class", choices=("sync", "gthread"), help="WEB_WORKER_CLASS (default sync)")
    g.add_argument("--redis", action="store_true", help="rate-limit counters in redis://127.0.0.1:6379/0")
    g.add_argument("--rate-limits", choices=("app", "per-token", "off"),
                   help="app: the defaults (per token and per IP); per-token: per-IP limits dropped "
                        "(default with think time); off (default with --saturate)")
    g.add_argument("--keep", action="store_true", help="keep the temporary folder (server logs, SQLite file)")


def _load(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("load")
    g.add_argument("--learners", type=_bounded(int, 0, 5000), default=20, help="learners in browsers (default 20)")
    g.add_argument("--signup-share", type=_bounded(float, 0, 1), default=0.1,
                   help="share of the learners who sign up during the run; the others log in to accounts "
                        "made before the clock starts (default 0.1, at least one if > 0)")
    g.add_argument("--api-clients", type=_bounded(int, 0, 500),
                   help="API clients, each with its own token (default 1; 0 with --saturate)")
    g.add_argument("--think", type=think_range, default=(0.0, 8.0), help="think time A-B s, uniform (default 0-8)")
    g.add_argument("--ramp", type=_bounded(float, 0, 3600), default=0.0,
                   help="learners start spread over this many seconds (part of --duration)")
    g.add_argument("--duration", type=_bounded(float, 1, 3600), default=60.0, help="seconds, ramp included (default 60)")
    g.add_argument("--saturate", action="store_true", help="no think time, --concurrency workers: the ceiling in req/s")
    g.add_argument("--concurrency", type=_bounded(int, 1, 1000), default=8, help="workers with --saturate (default 8)")
    g.add_argument("--bare", action="store_true",
                   help="also run the saturation client against bare_app.py and print the app/bare ratio (implies --saturate)")
    g.add_argument("--right-share", type=_bounded(float, 0, 1), default=0.6, help="share of right answers (default 0.6)")
    g.add_argument("--double-click", type=_bounded(float, 0, 1), default=0.05,
                   help="share of HTML submissions sent twice at once (default 0.05)")
    g.add_argument("--batch", type=_bounded(int, 1, 200), default=20, help="items per POST /api/v1/grade (default 20)")
    g.add_argument("--slugs", nargs="+", default=list(DEFAULT_SLUGS), help="templates the load opens")
    g.add_argument("--seeds", type=_bounded(int, 1, 1000), default=20, help="seeds per template (default 20)")
    g.add_argument("--timeout", type=_bounded(float, 1, 300), default=30.0, help="seconds per request (default 30)")
    g.add_argument("--seed", type=int, default=1, help="seed of the load's random choices (default 1)")


def parse(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=DESCRIPTION)
    _target(p)
    _load(p)
    opts = p.parse_args(argv)
    opts.saturate = opts.saturate or opts.bare
    if opts.url is None and opts.serve is None:
        opts.serve = "sqlite"
    if opts.database_url and not opts.url:
        p.error("--database-url goes with --url (--serve makes its own database)")
    if opts.api_clients is None:
        opts.api_clients = 0 if opts.saturate else 1
    if opts.rate_limits is None and opts.serve:
        opts.rate_limits = "off" if opts.saturate else "per-token"
    if opts.url and opts.rate_limits:
        p.error("--rate-limits needs --serve (a running server keeps its own settings)")
    opts.signups = 0 if opts.signup_share == 0 else max(1, round(opts.learners * opts.signup_share))
    opts.signups = min(opts.signups, opts.learners)
    if opts.saturate and opts.ramp:
        p.error("--ramp goes with think time, not --saturate")
    return opts

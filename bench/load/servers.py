"""The servers a load runs against: the app on a fresh database (a temporary SQLite file, or
a PostgreSQL database load_<pid> created for the run and dropped afterwards), migrated and
loaded by ``flask --app wsgi setup``, then served by gunicorn with the repository's
gunicorn.conf.py on a free 127.0.0.1 port; and the bare Flask app (bare_app.py) under the
same configuration. Every wait is bounded; a server is stopped with SIGTERM (SIGKILL after
30 s) by its own process id."""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from quizapp.api.ratelimit import DEFAULT_LIMITS
from quizapp.config import DEFAULTS

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
READY_TIMEOUT = 30
# The caller's settings that would change what is measured: the run sets its own.
CLEARED = ("DATABASE_URL", "INSTANCE_PATH", "RATELIMIT_STORAGE_URL", "FLASK_RATELIMIT_ENABLED",
           "FLASK_API_RATE_LIMITS", "FLASK_RATELIMIT_KEY_PREFIX", "PROXY_HOPS", "TLS", "BIND",
           "GUNICORN_CMD_ARGS", "WEB_CONCURRENCY")


@dataclass(frozen=True)
class Gunicorn:
    workers: int
    threads: int
    worker_class: str

    @classmethod
    def resolve(cls, workers, threads, worker_class, environ=os.environ) -> Gunicorn:
        """The options, else the environment, else gunicorn.conf.py's defaults (2 sync workers)."""
        return cls(int(workers or environ.get("WEB_WORKERS") or environ.get("WORKERS") or 2),
                   int(threads or environ.get("WEB_THREADS") or 1),
                   worker_class or environ.get("WEB_WORKER_CLASS") or "sync")

    def env(self) -> dict[str, str]:
        return {"WEB_WORKERS": str(self.workers), "WEB_THREADS": str(self.threads), "WEB_WORKER_CLASS": self.worker_class}

    def describe(self) -> str:
        kind = "gthread" if self.worker_class == "sync" and self.threads > 1 else self.worker_class
        return f"gunicorn -c gunicorn.conf.py: {self.workers} {kind} workers × {self.threads} threads"


def rate_limit_env(mode: str, redis: bool, tag: str) -> dict[str, str]:
    """``app``: the app's defaults (per token and per IP: all the load shares 127.0.0.1's
    budget); ``per-token``: the per-IP limits dropped (as if every client had an address of
    its own), the per-token ones kept; ``off``: RATELIMIT_ENABLED=false (docs/api.md)."""
    env = {}
    if mode == "off":
        env["FLASK_RATELIMIT_ENABLED"] = "false"
    elif mode == "per-token":
        per_token = {group: {k: v for k, v in limits.items() if k == "token"} for group, limits in DEFAULT_LIMITS.items()}
        env["FLASK_API_RATE_LIMITS"] = json.dumps(per_token)
    if redis:
        env["RATELIMIT_STORAGE_URL"] = "redis://127.0.0.1:6379/0"
        env["FLASK_RATELIMIT_KEY_PREFIX"] = f"quizapp-load-{tag}"  # this run's counters only
    return env


def describe_limits(mode: str | None, redis: bool, workers: int) -> list[str]:
    throttle = (f"log-in throttling (always on): {DEFAULTS['LOGIN_MAX_FAILURES']} failures per (e-mail, IP) in"
                f" {DEFAULTS['LOGIN_WINDOW_SECONDS'] // 60} min lock the pair for {DEFAULTS['LOGIN_LOCKOUT_SECONDS'] // 60}"
                " min; the load always types the right password, so only a failure of the app would trip it")
    if mode is None:
        return ["API rate limits: whatever the target server is configured with (--url)", throttle]
    if mode == "off":
        return ["API rate limits: off (RATELIMIT_ENABLED=false)", throttle]
    kinds = ("token",) if mode == "per-token" else ("token", "ip")
    table = "; ".join(f"{group} " + ", ".join(f"{v} per {k}" for k, v in limits.items() if k in kinds)
                      for group, limits in DEFAULT_LIMITS.items() if any(k in kinds for k in limits))
    where = "in Redis (shared by the workers)" if redis else f"in memory (each of the {workers} workers counts alone)"
    scope = "per token only, per-IP limits dropped" if mode == "per-token" else "the app's defaults, per token and per IP"
    return [f"API rate limits ({scope}; counters {where}): {table}", throttle]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(workdir: Path, database_url: str, settings: Gunicorn, extra: dict[str, str]) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in CLEARED}
    env.update(DATABASE_URL=database_url, INSTANCE_PATH=str(workdir), SECRET_KEY=secrets.token_hex(32),
               PYTHONPATH=str(ROOT), **settings.env(), **extra)
    return env


@contextmanager
def fresh_database(kind: str, workdir: Path, admin_url: str = PG_ADMIN_URL):
    """Yield the URL of an empty database; a PostgreSQL one is dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'load.sqlite3'}"
        return
    name = f"load_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def setup_database(env: dict[str, str], workdir: Path) -> None:
    """``flask --app wsgi setup``: migrations and the built-in templates."""
    log = workdir / "setup.log"
    with log.open("w") as out:
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "setup"], cwd=ROOT, env=env,
                              stdout=out, stderr=subprocess.STDOUT, timeout=180)
    if done.returncode:
        raise SystemExit(f"flask --app wsgi setup failed:\n{log.read_text()[-3000:]}")


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    description: str

    def log_findings(self) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return (f"server log: {text.count('Traceback (most recent call last)')} tracebacks,"
                f" {text.count('WORKER TIMEOUT')} worker timeouts, {text.count('Booting worker')} workers booted")


def _wait_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    with httpx.Client(trust_env=False, timeout=2) as client:
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if client.get(f"{url}/healthz").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {url} within {READY_TIMEOUT} s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # graceful: requests in flight finish
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def gunicorn(app: str, env: dict[str, str], workdir: Path, name: str, description: str):
    """Serve ``app`` (e.g. wsgi:app) on a free 127.0.0.1 port; stopped on leaving."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = workdir / f"{name}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--no-control-socket", app],
            cwd=ROOT, env={**env, "BIND": f"127.0.0.1:{port}"}, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C reaches only the load, which then stops the server
        )
    try:
        _wait_ready(url, process, log)
        yield Server(url, process, log, description)
    finally:
        _stop(process)

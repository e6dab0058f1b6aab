"""Real gunicorn servers for the production tests: a fresh PostgreSQL database, migrated and
loaded with ``flask --app wsgi setup``, then N gunicorn instances on free loopback ports."""
from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _admin(sql: str) -> None:
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(sql))
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_database(name: str):
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flask(env: dict, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip()


def app_env(database_url: str, **extra: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_hex(32), **extra}
    env.pop("TEST_DATABASE_URL", None)
    return env


class Gunicorn:
    """One gunicorn master on a loopback port; restartable on the same port after a kill."""

    def __init__(self, env: dict, log: Path, workers: int = 1, port: int | None = None):
        self.env, self.log_path, self.workers = env, log, workers
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        with open(self.log_path, "a") as log:
            self.proc = subprocess.Popen(
                [str(BIN / "gunicorn"), "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
                 "--timeout", "30", "--graceful-timeout", "3", "wsgi:app"],
                cwd=ROOT, env=self.env, stdout=log, stderr=log)
        try:
            _wait_ready(self.url)
        except BaseException:
            self.stop()  # never leave a server behind
            raise
        return self

    def worker_pids(self) -> list[int]:
        assert self.proc is not None
        return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _ppid(p) == self.proc.pid]

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _ppid(proc_dir: Path) -> int | None:
    try:
        return int((proc_dir / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


@contextmanager
def gunicorns(env: dict, count: int, log_dir: Path, workers: int = 1):
    """``count`` servers sharing ``env``; yields them (``.url``, ``.worker_pids()``, ...)."""
    servers = [Gunicorn(env, log_dir / f"gunicorn-{i}.log", workers) for i in range(count)]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


def _wait_ready(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/readyz", timeout=2).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or too busy to answer in 2 s
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not become ready")


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    page.raise_for_status()
    return CSRF.search(page.text).group(1)

"""Faults under load, against real gunicorn servers: a worker and the master killed with
SIGKILL, PostgreSQL going away and coming back. Nothing acknowledged is lost or stored twice,
SQLite stays intact, no request gets a 500, and the service answers again afterwards."""
from __future__ import annotations

import os
import signal
import sqlite3
import time

import pytest

from tests.production import traffic
from tests.production.servers import Gunicorn, app_env, flask, postgres_database
from tests.production.tcpproxy import Relay

PASSWORD = "faults must lose nothing"


def _prepare(env: dict) -> str:
    """Migrate, load the templates, and make a learner's API token."""
    flask(env, "setup")
    flask(env, "create-admin", "--email", "load@example.com", "--password-stdin", stdin=PASSWORD + "\n")
    return flask(env, "create-token", "--email", "load@example.com", "--name", "faults").splitlines()[-1].strip()


@pytest.fixture
def sqlite_service(tmp_path):
    url = f"sqlite:///{tmp_path / 'faults.sqlite3'}"
    env = app_env(url, FLASK_RATELIMIT_ENABLED="false")
    token = _prepare(env)
    server = Gunicorn(env, tmp_path / "gunicorn.log", workers=2).start()
    yield server, url, token, tmp_path / "faults.sqlite3"
    server.stop()


def _integrity(path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def test_a_worker_killed_mid_load_loses_nothing(sqlite_service):
    server, url, token, path = sqlite_service

    def kill_one_worker():
        time.sleep(1.5)
        os.kill(server.worker_pids()[0], signal.SIGKILL)
    sent = traffic.run(lambda: server.url, token, seconds=5, during=kill_one_worker)
    assert len(sent.acknowledged) >= 20 and not [s for s in sent.statuses if isinstance(s, int) and s >= 500]
    traffic.exactly_once(sent, url)
    assert _integrity(path) == "ok"
    assert traffic.run(lambda: server.url, token, seconds=1).acknowledged  # the master made a new worker


def test_the_master_killed_mid_load_loses_nothing_and_a_restart_serves_again(sqlite_service):
    server, url, token, path = sqlite_service

    def kill_master_and_restart():
        time.sleep(1.5)
        os.kill(server.proc.pid, signal.SIGKILL)
        server.proc.wait()
        time.sleep(1.0)  # the orphaned workers notice their master is gone and exit
        server.start()   # as systemd would: the same port, the same database
    sent = traffic.run(lambda: server.url, token, seconds=8, during=kill_master_and_restart)
    assert sent.statuses[201] >= 20 and not [s for s in sent.statuses if isinstance(s, int) and s >= 500]
    traffic.exactly_once(sent, url)
    assert _integrity(path) == "ok"


@pytest.mark.postgres
def test_postgresql_going_away_mid_load_gives_503s_not_500s_and_loses_nothing(tmp_path):
    relay = Relay(("127.0.0.1", 5432))
    with postgres_database(f"test_faults_{os.getpid()}") as direct:
        through = direct.replace("127.0.0.1:5432", f"127.0.0.1:{relay.port}")
        env = app_env(through + "?connect_timeout=2", FLASK_RATELIMIT_ENABLED="false")
        token = _prepare(env)
        server = Gunicorn(env, tmp_path / "gunicorn.log", workers=2).start()

        def outage():
            time.sleep(1.5)
            relay.cut()
            time.sleep(2.0)
            relay.restore()
        try:
            sent = traffic.run(lambda: server.url, token, seconds=7, during=outage)
        finally:
            server.stop()
            relay.close()
        assert sent.statuses[503] >= 1, sent.statuses  # the outage was seen, as 503 with Retry-After
        assert not [s for s in sent.statuses if isinstance(s, int) and s >= 500 and s != 503], sent.statuses
        assert sent.statuses[201] >= 20
        traffic.exactly_once(sent, direct)

"""A bounded stream of API submissions for the fault tests, and the exactly-once check.

Each of ``threads`` clients starts an exercise and submits right answers with a fresh
Idempotency-Key, until ``seconds`` pass or ``limit`` submissions were sent. A 201 is an
acknowledged submission; a refused connection or a reset (a killed server) is not, and neither
is a 503 (the service said nothing was stored)."""
from __future__ import annotations

import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests
from sqlalchemy import create_engine, select

from quizapp.models import Attempt

SHOP = {"template": "shopping-apple-orange",
        "params": {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1}}
RIGHT = {"price": "715", "d_apple": "2.2", "d_apple_num": "110", "d_orange": "3.3", "d_orange_num": "165",
         "d_tax": "650"}


@dataclass
class Traffic:
    acknowledged: set = field(default_factory=set)
    statuses: Counter = field(default_factory=Counter)


def _one(base: str, token: str, out: Traffic) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    try:
        created = requests.post(base() + "/api/v1/exercises", json=SHOP, headers=auth, timeout=15)
        out.statuses[created.status_code] += 1
        if created.status_code != 201:
            return
        key = uuid.uuid4().hex
        sent = requests.post(f"{base()}/api/v1/exercises/{created.json()['id']}/submissions",
                             json={"answers": RIGHT}, headers={**auth, "Idempotency-Key": key}, timeout=15)
        out.statuses[sent.status_code] += 1
        if sent.status_code == 201:
            out.acknowledged.add("api:" + key)
    except requests.RequestException:
        out.statuses["no answer"] += 1
        time.sleep(0.1)


def run(base, token: str, seconds: float, threads: int = 4, limit: int = 2000, during=None) -> Traffic:
    """Send traffic for ``seconds``; ``during()`` runs in the caller's thread meanwhile."""
    out, deadline = Traffic(), time.monotonic() + seconds

    def client() -> None:
        for _ in range(limit // threads):
            if time.monotonic() > deadline:
                return
            _one(base, token, out)
    with ThreadPoolExecutor(threads) as pool:
        futures = [pool.submit(client) for _ in range(threads)]
        if during is not None:
            during()
        for f in futures:
            f.result()
    return out


def stored_keys(database_url: str) -> Counter:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            keys = connection.execute(select(Attempt.idempotency_key).where(Attempt.idempotency_key.like("api:%")))
            return Counter(k for (k,) in keys)
    finally:
        engine.dispose()


def exactly_once(traffic: Traffic, database_url: str) -> None:
    """Every acknowledged submission stored once; nothing stored twice."""
    stored = stored_keys(database_url)
    assert not [k for k in traffic.acknowledged if stored[k] != 1], "acknowledged but not stored exactly once"
    assert not [k for k, n in stored.items() if n > 1], "stored twice"

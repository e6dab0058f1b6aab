"""What every simulated learner and API client of one run shares: the recorder, the ledger,
the answers, the think-time model and the deadline."""
from __future__ import annotations

import asyncio
import math
import random
import time
from dataclasses import dataclass

from bench.load.answers import Pool
from bench.load.ledger import Ledger
from bench.load.stats import Recorder

MAX_ROUNDS = 100_000   # every loop is bounded in count as well as by the deadline
PASSWORD = "learning backprop daily"


@dataclass
class Context:
    recorder: Recorder
    ledger: Ledger
    pool: Pool
    think: tuple[float, float] = (0.0, 0.0)  # uniform think time between a client's actions, s
    right_share: float = 0.6                 # share of submissions with the reference answers
    double_click: float = 0.05               # share of HTML submissions sent twice at once
    batch: int = 20                          # items per POST /api/v1/grade
    deadline: float = math.inf               # time.monotonic() after which no action starts

    def left(self) -> float:
        return self.deadline - time.monotonic()

    async def pause(self, rng: random.Random) -> bool:
        """Think: uniform in [lo, hi] seconds. False when the deadline comes first: the client
        then stops instead of acting at the deadline (which would send every client's next
        request at the same moment, a burst that no real class makes)."""
        lo, hi = self.think
        seconds = rng.uniform(lo, hi)
        if seconds >= self.left():
            await asyncio.sleep(max(0.0, self.left()))
            return False
        if seconds > 0:
            await asyncio.sleep(seconds)
        return True

    async def back_off(self, retry_after: str | None) -> None:
        """After a 429 or 503: wait Retry-After (at most 5 s, never past the deadline)."""
        try:
            seconds = float(retry_after or 1)
        except ValueError:
            seconds = 1.0
        seconds = min(seconds, 5.0, max(0.0, self.left()))
        if seconds > 0:
            await asyncio.sleep(seconds)


def email_for(tag: str, role: str, index: int) -> str:
    return f"load-{tag}-{role}{index}@example.com"

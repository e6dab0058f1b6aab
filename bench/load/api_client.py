"""An API client (an LMS, a course's CI) with a learner token: batch grading through
POST /api/v1/grade, and submissions through POST /api/v1/exercises/{id}/submissions with
an Idempotency-Key, each key sent twice (one after the other, or both at once) so that the
replay path is exercised; the two answers must be the same bytes.

The app stores an API key as ``api:<key>`` (quizapp/api/validation.py), apart from the web
form's keys; the ledger records it in that stored form, which the database check compares."""
from __future__ import annotations

import asyncio
import random
import uuid

from bench.load.browser import Browser
from bench.load.context import MAX_ROUNDS, Context

RETRY_STATUSES = (429, 503)
STORED_KEY_PREFIX = "api:"


class ApiClient:
    def __init__(self, browser: Browser, ctx: Context, rng: random.Random, email: str) -> None:
        self.browser, self.ctx, self.rng, self.email = browser, ctx, rng, email

    async def run(self, delay: float) -> None:
        await asyncio.sleep(max(0.0, min(delay, self.ctx.left())))
        for _ in range(MAX_ROUNDS):
            if self.ctx.left() <= 0:
                return
            if not await self.ctx.pause(self.rng):
                return
            await self.grade()
            if self.ctx.left() <= 0:
                return
            if not await self.ctx.pause(self.rng):
                return
            await self.submission()

    async def _slow_down(self, response) -> None:
        if response is not None and response.status_code in RETRY_STATUSES:
            await self.ctx.back_off(response.headers.get("retry-after"))

    async def grade(self) -> None:
        items = self.ctx.pool.batch(self.rng, self.ctx.batch, self.ctx.right_share)
        response = await self.browser.post("api_grade", "/api/v1/grade", json={"items": items})
        if response is not None and response.status_code == 200:
            summary = response.json()["summary"]
            if summary["graded"] != len(items):
                self.ctx.recorder.note("api_grade items not graded", len(items) - summary["graded"])
        await self._slow_down(response)

    async def submission(self) -> None:
        case = self.ctx.pool.pick(self.rng)
        created = await self.browser.post("api_exercise", "/api/v1/exercises",
                                          json={"template": case.slug, "seed": case.seed})
        if created is None or created.status_code != 201:
            await self._slow_down(created)
            return
        exercise = created.json()
        right = self.rng.random() < self.ctx.right_share
        answers = case.answers(right)
        if not set(answers) <= set(exercise["answer_keys"]):
            self.ctx.recorder.note("answer keys unknown to the API's exercise")
        key = str(uuid.uuid4())
        for _ in range(2):
            self.ctx.ledger.open(STORED_KEY_PREFIX + key, "api", self.email, exercise["id"], right)
        path, body = f"/api/v1/exercises/{exercise['id']}/submissions", {"answers": answers}
        if self.rng.random() < 0.5:
            first, second = await asyncio.gather(self._copy(path, body, key), self._copy(path, body, key))
        else:
            first = await self._copy(path, body, key)
            second = await self._copy(path, body, key)
        if first is not None and second is not None and first.status_code == second.status_code == 201:
            flagged = "true" in (first.headers.get("idempotent-replayed"), second.headers.get("idempotent-replayed"))
            self.ctx.ledger.replay(first.content == second.content, flagged)
        await self._slow_down(second if second is not None and second.status_code in RETRY_STATUSES else first)

    async def _copy(self, path: str, body: dict, key: str):
        stored = STORED_KEY_PREFIX + key
        try:
            response = await self.browser.post("api_submit", path, json=body, headers={"Idempotency-Key": key})
        except asyncio.CancelledError:
            self.ctx.ledger.lost(stored)
            raise
        if response is None:
            self.ctx.ledger.lost(stored)
        elif response.status_code == 201:
            self.ctx.ledger.answered(stored, 201, response.json()["attempt_id"])
        else:
            self.ctx.ledger.answered(stored, response.status_code)
        return response

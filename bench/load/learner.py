"""A learner in a browser: signs up or logs in through the HTML forms (CSRF token from the
page), opens exercises, submits right and wrong answers through the exercise form, views
the graded result and the study record, with think time between actions."""
from __future__ import annotations

import asyncio
import random
import re

from bench.load.answers import Case
from bench.load.browser import Browser, form_posting_to, location
from bench.load.context import MAX_ROUNDS, PASSWORD, Context

ATTEMPT_URL = re.compile(r"^/exercises/([0-9a-f]{32})/attempts/(\d+)$")


async def _post_form(browser: Browser, ctx: Context, group: str, path: str, fields: dict) -> bool:
    """GET the form's page (CSRF token), POST it, follow the redirect home: True if signed in."""
    page = await browser.get("auth_page", path)
    form = form_posting_to(page.text, path) if page is not None and page.status_code == 200 else None
    if form is None:
        ctx.recorder.note(f"{group}: no form on {path}")
        return False
    response = await browser.post(group, path, data={**form.hidden, **fields})
    target = location(response)
    if target is None:
        return False
    await browser.get("home", target)
    return True


async def sign_up(browser: Browser, ctx: Context, email: str, name: str) -> bool:
    fields = {"email": email, "display_name": name, "password": PASSWORD, "password_confirm": PASSWORD}
    return await _post_form(browser, ctx, "signup", "/signup", fields)


async def log_in(browser: Browser, ctx: Context, email: str) -> bool:
    return await _post_form(browser, ctx, "login", "/login", {"email": email, "password": PASSWORD})


async def open_exercise(browser: Browser, case: Case) -> tuple[str, str] | None:
    """Start a new exercise (a redirect to it), then load its page: (its path, the page)."""
    target = location(await browser.get("exercise_new", f"/exercises/{case.slug}/new?seed={case.seed}"))
    if target is None:
        return None
    page = await browser.get("exercise_page", target)
    return (target, page.text) if page is not None and page.status_code == 200 else None


async def _send_copy(browser: Browser, ctx: Context, path: str, data: dict, key: str | None):
    try:
        response = await browser.post("submit", path, data=data)
    except asyncio.CancelledError:
        if key:
            ctx.ledger.lost(key)
        raise
    target = location(response)
    if key:
        if response is None:
            ctx.ledger.lost(key)
        else:
            match = ATTEMPT_URL.match(target or "")
            ctx.ledger.answered(key, response.status_code, int(match.group(2)) if match else None)
    return target


async def submit(browser: Browser, ctx: Context, path: str, page: str, case: Case, *, right: bool,
                 email: str | None, copies: int = 1) -> bool:
    """Fill the exercise form on ``page`` and POST it (``copies`` at once: a double click),
    then view the result the redirect leads to. ``email`` None: not an app attempt (bare)."""
    form = form_posting_to(page, path)
    if form is None:
        ctx.recorder.note("exercise page without its form")
        return False
    answers = case.answers(right)
    if email is not None and not set(answers) <= form.names:
        ctx.recorder.note("answer fields missing from the exercise form")
    key = form.hidden.get("idempotency_key") if email is not None else None
    if key:
        for _ in range(copies):
            ctx.ledger.open(key, "html", email, path.rsplit("/", 1)[1], right)
    data = {**form.hidden, **answers}
    targets = await asyncio.gather(*(_send_copy(browser, ctx, path, data, key) for _ in range(copies)))
    target = next((t for t in targets if t), None)
    if target is None:
        return False
    result = await browser.get("result", target)
    return result is not None and result.status_code == 200


class Learner:
    """One learner's session in the think-time mode."""

    def __init__(self, browser: Browser, ctx: Context, rng: random.Random, email: str, name: str) -> None:
        self.browser, self.ctx, self.rng = browser, ctx, rng
        self.email, self.name = email, name

    async def run(self, delay: float, signup: bool) -> None:
        await asyncio.sleep(max(0.0, min(delay, self.ctx.left())))
        if self.ctx.left() <= 0:
            return
        signed_in = await (sign_up(self.browser, self.ctx, self.email, self.name) if signup
                           else log_in(self.browser, self.ctx, self.email))
        self.ctx.recorder.note("learners signed in" if signed_in else "learners who could not sign in")
        if signed_in:
            await self.study()

    async def study(self) -> None:
        for _ in range(MAX_ROUNDS):
            if self.ctx.left() <= 0:
                return
            if not await self.ctx.pause(self.rng):
                return
            await self.one_exercise()
            if self.rng.random() < 0.3 and self.ctx.left() > 0:
                if not await self.ctx.pause(self.rng):
                    return
                await self.browser.get("progress", "/progress")
            if self.rng.random() < 0.1 and self.ctx.left() > 0:
                if not await self.ctx.pause(self.rng):
                    return
                await self.browser.get("home", "/")

    async def one_exercise(self) -> None:
        """Open an exercise, think, answer it; sometimes try it again (its page anew)."""
        case = self.ctx.pool.pick(self.rng)
        opened = await open_exercise(self.browser, case)
        if opened is None:
            return
        path, page = opened
        right = self.rng.random() < self.ctx.right_share
        for attempt in range(2):
            if self.ctx.left() <= 0:
                return
            if not await self.ctx.pause(self.rng):
                return
            copies = 2 if self.rng.random() < self.ctx.double_click else 1
            await submit(self.browser, self.ctx, path, page, case, right=right, email=self.email, copies=copies)
            if attempt or right or self.rng.random() >= 0.5 or self.ctx.left() <= 0:
                return
            if not await self.ctx.pause(self.rng):
                return
            again = await self.browser.get("exercise_page", path)  # "try again": a fresh form
            if again is None or again.status_code != 200:
                return
            page, right = again.text, True


async def saturate(browser: Browser, ctx: Context, rng: random.Random, path: str, case: Case,
                   email: str | None) -> None:
    """No think time: load the exercise page, submit it, view the result, again and again.
    ``email`` None: the bare app (bare_app.py), which answers the same three requests."""
    for _ in range(MAX_ROUNDS):
        if ctx.left() <= 0:
            return
        page = await browser.get("exercise_page", path)
        if page is None or page.status_code != 200:
            await ctx.back_off(page.headers.get("retry-after") if page is not None else None)
            continue
        await submit(browser, ctx, path, page.text, case, right=rng.random() < ctx.right_share, email=email)

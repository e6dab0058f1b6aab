"""One load run: the accounts made before the clock starts, then the clients, each started at
its point of the ramp, all stopped at the deadline (whatever is still in flight a request
timeout later is cut off and counted as lost)."""
from __future__ import annotations

import asyncio
import random
import re
import time
from dataclasses import dataclass, field

from bench.load.api_client import ApiClient
from bench.load.browser import Browser, form_posting_to, new_client
from bench.load.context import Context, email_for
from bench.load.learner import Learner, open_exercise, saturate, sign_up
from bench.load.stats import Recorder

PREPARE_CONCURRENCY = 4
TOKEN = re.compile(r'id="new-token"[^>]*value="(eqz_[^"]+)"')


@dataclass
class Plan:
    learners: int = 20
    signups: int = 2          # of the learners, how many sign up during the run (the rest log in)
    api_clients: int = 1
    ramp: float = 0.0
    duration: float = 60.0
    timeout: float = 30.0     # one request
    saturate: int = 0         # > 0: that many workers without think time, no learners
    seed: int = 1
    tag: str = "run"
    crashes: list[str] = field(default_factory=list)  # exceptions in the load's own tasks
    prepared: str = ""        # what was made before the clock started, and how long it took


async def _bounded(coroutines, seconds: float, what: str) -> list:
    """Run them at most PREPARE_CONCURRENCY at a time, all within ``seconds``."""
    gate = asyncio.Semaphore(PREPARE_CONCURRENCY)

    async def one(coroutine):
        async with gate:
            return await coroutine
    try:
        return await asyncio.wait_for(asyncio.gather(*(one(c) for c in coroutines)), seconds)
    except TimeoutError:
        raise SystemExit(f"preparing {what} took more than {seconds:.0f} s") from None


async def _account(base: str, ctx: Context, email: str, timeout: float, keep: bool = False) -> Browser | None:
    browser = Browser(new_client(base, timeout), ctx.recorder)
    ok = await sign_up(browser, ctx, email, email.split("@")[0][-40:])
    if ok and keep:
        return browser
    await browser.aclose()
    if not ok:
        raise SystemExit(f"could not sign up {email} before the run (see the server log)")
    return None


async def _token(base: str, ctx: Context, email: str, timeout: float) -> str:
    """Sign up, then create a learner token on /settings/tokens, as a person would."""
    browser = await _account(base, ctx, email, timeout, keep=True)
    try:
        page = await browser.get("auth_page", "/settings/tokens")
        form = form_posting_to(page.text, "/settings/tokens") if page is not None else None
        created = await browser.post("auth_page", "/settings/tokens",
                                     data={**(form.hidden if form else {}), "name": "load", "scope": "learner"})
        found = TOKEN.search(created.text) if created is not None else None
        if found is None:
            raise SystemExit(f"could not create an API token for {email} on /settings/tokens")
        return found.group(1)
    finally:
        await browser.aclose()


async def _run_tasks(ctx: Context, plan: Plan, coroutines) -> None:
    """Start the clock, run everything until the deadline (plus a request timeout), cut the rest."""
    ctx.recorder.begin(plan.ramp)
    ctx.deadline = time.monotonic() + plan.duration
    tasks = [asyncio.create_task(c) for c in coroutines]
    done, pending = await asyncio.wait(tasks, timeout=plan.duration + plan.timeout + 5)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    ctx.recorder.end()
    for task in done:
        if task.exception() is not None:
            plan.crashes.append(repr(task.exception()))


def _api_coroutines(base: str, ctx: Context, plan: Plan, tokens: list[str], rng: random.Random, browsers: list):
    for i, token in enumerate(tokens):
        browser = Browser(new_client(base, plan.timeout, {"Authorization": f"Bearer {token}"}), ctx.recorder)
        browsers.append(browser)
        client = ApiClient(browser, ctx, random.Random(plan.seed * 7919 + i), email_for(plan.tag, "a", i))
        yield client.run(rng.uniform(0, plan.ramp))


async def run_learners(base: str, ctx: Context, plan: Plan) -> None:
    """The think-time mode: learners spread over the ramp, each signing up or logging in."""
    rng = random.Random(plan.seed)
    setup = Context(Recorder(), ctx.ledger, ctx.pool)
    signing_up = set(rng.sample(range(plan.learners), plan.signups))
    existing = [email_for(plan.tag, "l", i) for i in range(plan.learners) if i not in signing_up]
    started = time.monotonic()
    await _bounded([_account(base, setup, email, plan.timeout) for email in existing], 60 + 2 * len(existing),
                   "the learners' accounts")
    tokens = await _bounded([_token(base, setup, email_for(plan.tag, "a", i), plan.timeout)
                             for i in range(plan.api_clients)], 60 + 2 * plan.api_clients, "the API tokens")
    plan.prepared = (f"{len(existing)} accounts signed up (to log in during the run) and {len(tokens)} API tokens"
                     f" created on /settings/tokens, in {time.monotonic() - started:.1f} s")
    browsers = []
    coroutines = list(_api_coroutines(base, ctx, plan, tokens, rng, browsers))
    for i in range(plan.learners):
        browser = Browser(new_client(base, plan.timeout), ctx.recorder)
        browsers.append(browser)
        learner = Learner(browser, ctx, random.Random(plan.seed * 1_000_003 + i), email_for(plan.tag, "l", i), f"load {i}")
        coroutines.append(learner.run(i * plan.ramp / max(1, plan.learners), signup=i in signing_up))
    try:
        await _run_tasks(ctx, plan, coroutines)
    finally:
        await asyncio.gather(*(b.aclose() for b in browsers))


async def _saturation_worker(base: str, setup: Context, plan: Plan, i: int, bare: bool):
    """A signed-in learner with one started exercise (or, bare, just a client): (browser, path, case)."""
    case = setup.pool.cases[i % len(setup.pool.cases)]
    if bare:
        return Browser(new_client(base, plan.timeout), setup.recorder), "/page", case
    browser = await _account(base, setup, email_for(plan.tag, "w", i), plan.timeout, keep=True)
    opened = await open_exercise(browser, case)
    if opened is None:
        await browser.aclose()
        raise SystemExit("could not open an exercise before the saturation run")
    return browser, opened[0], case


async def run_saturation(base: str, ctx: Context, plan: Plan, bare: bool = False) -> None:
    """No think time: ``plan.saturate`` workers, each loading, submitting and viewing the
    result of its exercise as fast as the server answers (the API clients too, if any)."""
    rng = random.Random(plan.seed)
    setup = Context(Recorder(), ctx.ledger, ctx.pool)
    started = time.monotonic()
    workers = await _bounded([_saturation_worker(base, setup, plan, i, bare) for i in range(plan.saturate)],
                             60 + 2 * plan.saturate, "the saturation workers")
    tokens = [] if bare else await _bounded([_token(base, setup, email_for(plan.tag, "a", i), plan.timeout)
                                             for i in range(plan.api_clients)], 60, "the API tokens")
    plan.prepared = (f"{len(workers)} workers {'connected' if bare else 'signed up, each with an exercise open'}"
                     f" and {len(tokens)} API tokens created, in {time.monotonic() - started:.1f} s")
    browsers = [browser for browser, _, _ in workers]
    coroutines = list(_api_coroutines(base, ctx, plan, tokens, rng, browsers))
    for i, (browser, path, case) in enumerate(workers):
        browser.recorder = ctx.recorder
        email = None if bare else email_for(plan.tag, "w", i)
        coroutines.append(saturate(browser, ctx, random.Random(plan.seed + i), path, case, email))
    try:
        await _run_tasks(ctx, plan, coroutines)
    finally:
        await asyncio.gather(*(b.aclose() for b in browsers))


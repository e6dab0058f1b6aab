"""JSON API benchmark: batch grading throughput (POST /grade) and the latency of one
submission (POST /exercises/{id}/submissions), in-process through Flask's test client (no
network, no HTTP server: the figures are the application's own cost).

    python bench/api_bench.py              # full run (~1 minute)
    python bench/api_bench.py --quick      # a smoke run
    DATABASE_URL=postgresql://... python bench/api_bench.py   # on PostgreSQL (tables must exist)

Pinned to one CPU core. Batch grading is measured twice: "cold", where every item names a
new (template, seed) so each one is generated (forward, backward, numerical check of every
gradient) before it is graded, and "warm", where the instances are already in the LRU, as
when a course grades a class on the same seeds. A breakdown of one warm batch shows where
the time goes. Answers are the reference answers of a mix of typical templates, so every
part is parsed and compared (and misconceptions are looked for where the answer is wrong).
"""
from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from exercises.grading import reference_answers  # noqa: E402

TYPICAL = ["shopping-apple-orange", "shopping-apples-tax", "node-mul-upstream", "node-add-mul-graph",
           "chain-exp-neg-square", "chain-square-of-sum", "chain-sigmoid-neuron", "graph-paths-fanout",
           "gd-linear-regression-one-step", "numdiff-square-central-forward", "act-sigmoid-cross-entropy",
           "affine-gradient-numbers"]


def pin_to_one_core() -> str:
    try:
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to CPU {core}"
    except (AttributeError, OSError):
        return "not pinned (no sched_setaffinity)"


def make_app(database_url: str | None):
    from quizapp import create_app
    from quizapp.models import Base, User
    from quizapp.services.accounts import create_user
    from quizapp.services.templates import load_builtin_templates
    from quizapp.services.tokens import create_token

    folder = tempfile.mkdtemp(prefix="api-bench-")
    app = create_app({"SECRET_KEY": "bench", "INSTANCE_PATH": folder, "RATELIMIT_ENABLED": False,
                      "DATABASE_URL": database_url or f"sqlite:///{folder}/bench.sqlite3",
                      "ARGON2_PROFILE": "CHEAPEST"})
    db = app.extensions["quizapp.db"]
    Base.metadata.create_all(db.engine)
    with db.write() as session:
        load_builtin_templates(session)
        user = create_user(session, email=f"bench-{time.time_ns()}@example.com",
                           display_name="bench", password_hash=app.extensions["quizapp.hasher"].hash("benchmark password"))
        _, secret = create_token(session, session.get(User, user.id), "bench")
    app.config["BENCH_FOLDER"] = folder
    return app, {"Authorization": f"Bearer {secret}"}


def make_items(count: int, seed_base: int) -> list[dict]:
    from exercises import generate

    items = []
    for i in range(count):
        slug, seed = TYPICAL[i % len(TYPICAL)], seed_base + i
        items.append({"template": slug, "seed": seed, "answers": reference_answers(generate(slug, seed=seed))})
    return items


def post_batch(client, headers, items) -> tuple[float, dict]:
    start = time.perf_counter()
    response = client.post("/api/v1/grade", json={"items": items}, headers=headers)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return elapsed, response.get_json()


def batch_figures(client, headers, batches: list[list[dict]]) -> dict:
    """Items/s and part answers/s from the median and the best batch, and the mean score."""
    times, scores = [], []
    for items in batches:
        gc.collect()
        elapsed, body = post_batch(client, headers, items)
        times.append(elapsed)
        scores += [it["result"]["score"] for it in body["items"] if it["ok"]]
    size = len(batches[0])
    parts = statistics.fmean(sum(len(i["answers"]) for i in items) for items in batches)
    median, best = statistics.median(times), min(times)
    return {"items": (size / median, size / best), "parts": (parts / median, parts / best),
            "score": statistics.fmean(scores)}


def breakdown(app, items: list[dict]) -> dict[str, float]:
    """Seconds per item spent in each stage of one warm batch."""
    import json as _json

    from pydantic_core import to_json

    from exercises import grade
    from quizapp.api.routes.grade import _item_result
    from quizapp.api.schemas.grading import GradeRequest
    from quizapp.services.api_grading import BatchItem, grade_batch
    from quizapp.services.catalog import latest_published_many
    raw = _json.dumps({"items": items}).encode()
    cache = app.extensions["quizapp.exercises"]
    with app.app_context(), app.extensions["quizapp.db"].sessions() as session:
        out = {}
        t = time.perf_counter()
        body = GradeRequest.model_validate_json(raw)
        out["parse + validate request (pydantic)"] = time.perf_counter() - t
        batch = [BatchItem(i.template, i.seed, i.params, i.answers) for i in body.items]
        t = time.perf_counter()
        rows = latest_published_many(session, {i.template for i in batch})
        out["look up template versions (1 query)"] = time.perf_counter() - t
        t = time.perf_counter()
        exercises = [cache.exercise(rows[i.template], i.seed, None) for i in batch]  # digest per item here
        out["instance from the LRU"] = time.perf_counter() - t
        t = time.perf_counter()
        for ex, i in zip(exercises, batch, strict=True):
            grade(ex, i.answers)
        out["grade (exercises.grade)"] = time.perf_counter() - t
        outcomes = grade_batch(session, cache, batch)
        t = time.perf_counter()
        results = [_item_result(o) for o in outcomes]
        out["build the response data"] = time.perf_counter() - t
        t = time.perf_counter()
        to_json({"items": results})
        out["serialise JSON (pydantic-core)"] = time.perf_counter() - t
    return {k: v / len(items) for k, v in out.items()}


def generation_cost(count: int) -> float:
    from exercises import generate

    start = time.perf_counter()
    for i in range(count):
        generate(TYPICAL[i % len(TYPICAL)], seed=10_000_000 + i)
    return (time.perf_counter() - start) / count


def submission_latencies(client, headers, count: int) -> list[float]:
    from exercises import generate

    times = []
    for i in range(count):
        slug = TYPICAL[i % len(TYPICAL)]
        exercise = client.post("/api/v1/exercises", json={"template": slug, "seed": 20_000_000 + i},
                               headers=headers).get_json()
        answers = reference_answers(generate(slug, seed=20_000_000 + i))
        start = time.perf_counter()
        response = client.post(f"/api/v1/exercises/{exercise['id']}/submissions", json={"answers": answers},
                               headers={**headers, "Idempotency-Key": f"bench-{i}"})
        times.append(time.perf_counter() - start)
        assert response.status_code == 201, response.get_data(as_text=True)[:300]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--batch", type=int, default=200, help="items per POST /grade (max 200)")
    args = parser.parse_args()
    batches_n, submissions_n = (2, 20) if args.quick else (10, 300)
    pinned = pin_to_one_core()
    from quizapp.services.exercise_cache import ExerciseCache
    app, headers = make_app(os.environ.get("DATABASE_URL"))
    client = app.test_client()
    print(f"# API benchmark ({pinned}; {app.extensions['quizapp.db'].engine.url.get_backend_name()}; "
          f"Python {sys.version.split()[0]})\n")
    print("preparing items ...", file=sys.stderr)
    batches = [make_items(args.batch, 1_000_000 + k * args.batch) for k in range(batches_n)]
    app.extensions["quizapp.exercises"] = ExerciseCache()  # cold: nothing generated yet
    cold = batch_figures(client, headers, batches)
    warm = batch_figures(client, headers, batches * 3)
    gen = generation_cost(60 if args.quick else 240)
    print(f"### POST /grade, batches of {args.batch} items over {len(TYPICAL)} typical templates "
          f"({batches_n} cold, {3 * batches_n} warm)\n")
    print("| instances | items/s median (best) | part answers/s median (best) | mean score |")
    print("|---|---:|---:|---:|")
    for name, f in (("cold: each item generated first", cold), ("warm: instances in the LRU", warm)):
        print(f"| {name} | {f['items'][0]:,.0f} ({f['items'][1]:,.0f}) | "
              f"{f['parts'][0]:,.0f} ({f['parts'][1]:,.0f}) | {f['score']:.3f} |")
    print(f"\ngenerating one instance (exercises.generate, mean over the mix): {gen * 1e3:.2f} ms\n")
    print("### Where a warm item's time goes (µs per item, best of 5)\n")
    print("| stage | µs |")
    print("|---|---:|")
    runs = [breakdown(app, batches[0]) for _ in range(5)]
    for stage in runs[0]:
        print(f"| {stage} | {min(r[stage] for r in runs) * 1e6:.1f} |")
    gc.collect()
    times = submission_latencies(client, headers, submissions_n)
    q = statistics.quantiles(times, n=20)
    print(f"\n### POST /exercises/{{id}}/submissions, {submissions_n} submissions (graded, stored, progress updated)\n")
    print(f"median {statistics.median(times) * 1e3:.2f} ms, p95 {q[18] * 1e3:.2f} ms, "
          f"min {min(times) * 1e3:.2f} ms")
    print(f"\nload average while running: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs (other processes share the pinned core)")
    app.extensions["quizapp.db"].dispose()
    shutil.rmtree(app.config["BENCH_FOLDER"], ignore_errors=True)


if __name__ == "__main__":
    main()

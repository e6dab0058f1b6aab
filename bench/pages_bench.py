"""Median server time of the exercise pages (Flask test client, real SQLite file, migrated).

Usage: python bench/pages_bench.py [--rounds N] [--slug SLUG ...]
Targets (issue 4): exercise page < 20 ms, graded submission (stored) < 30 ms.
Each submission carries a fresh idempotency key, so every one is graded and stored.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._timing import median_ms  # noqa: E402
from exercises.grading import reference_answers  # noqa: E402
from exercises import generate  # noqa: E402

PASSWORD = "learning backprop daily"
DEFAULT_SLUGS = ["shopping-apple-orange", "chain-exp-neg-square", "sigmoid-net-bias-weight-grads",
                 "layer-backward-code-fill"]


def make_app(folder: str):
    from quizapp import create_app
    from quizapp.db import get_db
    from quizapp.schema import upgrade
    from quizapp.services.accounts import create_user
    from quizapp.services.templates import load_builtin_templates

    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
                      "INSTANCE_PATH": folder, "WTF_CSRF_ENABLED": False, "ARGON2_PROFILE": "CHEAPEST"})
    with app.app_context():
        db = get_db()
        upgrade(db)
        with db.write() as session:
            load_builtin_templates(session)
            create_user(session, email="bench@example.com",
                        display_name="bench", password_hash=app.extensions["quizapp.hasher"].hash(PASSWORD))
    return app


def ok(response, *codes):
    if response.status_code not in codes:
        raise SystemExit(f"unexpected {response.status_code} for {response.request.path}")
    response.close()


def bench_slug(client, slug: str, rounds: int) -> tuple[float, float, float, float]:
    response = client.get(f"/exercises/{slug}/new?seed=1")
    ok(response, 302)
    url = response.headers["Location"]
    answers = reference_answers(generate(slug, seed=1))
    page = median_ms(lambda i: ok(client.get(url), 200), rounds)
    submit = median_ms(lambda i: ok(client.post(url, data={**answers, "idempotency_key": uuid.uuid4().hex}), 302),
                      rounds)
    result_url = client.post(url, data=answers).headers["Location"]
    result = median_ms(lambda i: ok(client.get(result_url), 200), rounds)
    trial = median_ms(lambda i: ok(client.post(f"/try/{slug}?seed=1", data=answers), 200), rounds)
    return page, submit, result, trial


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--slug", action="append")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(folder)
        client = app.test_client()
        ok(client.post("/login", data={"email": "bench@example.com", "password": PASSWORD}), 302)
        print(f"{'template':34} {'page ms':>8} {'submit ms':>10} {'result ms':>10} {'try+grade ms':>13}")
        rows = []
        for slug in args.slug or DEFAULT_SLUGS:
            rows.append(bench_slug(client, slug, args.rounds))
            print(f"{slug:34} " + " ".join(f"{v:{w}.2f}" for v, w in zip(rows[-1], (8, 10, 10, 13))))
        medians = [statistics.median(col) for col in zip(*rows)]
        print(f"{'median over templates':34} " + " ".join(f"{v:{w}.2f}" for v, w in zip(medians, (8, 10, 10, 13))))
        print("targets: exercise page < 20 ms, graded submission < 30 ms")
        app.extensions["quizapp.db"].dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

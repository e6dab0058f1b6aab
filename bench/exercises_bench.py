"""Median time to generate+verify one exercise and to grade one submission, per template.

Usage: python bench/exercises_bench.py [--rounds N] [--slug SLUG ...]
Targets (issue 3): generate+verify < 5 ms, grade < 0.5 ms for typical templates.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._timing import median_ms  # noqa: E402
from exercises import catalog, generate, grade  # noqa: E402
from exercises.grading import reference_answers  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--slug", action="append")
    args = ap.parse_args(argv)
    slugs = args.slug or [t.slug for t in catalog()]
    print(f"{'template':40} {'generate+verify ms':>19} {'grade ms':>9}")
    gen_all, grade_all = [], []
    for slug in slugs:
        g = median_ms(lambda i: generate(slug, seed=i), args.rounds)
        ex = generate(slug, seed=1)
        answers = reference_answers(ex)
        r = median_ms(lambda i: grade(ex, answers), args.rounds)
        gen_all.append(g)
        grade_all.append(r)
        print(f"{slug:40} {g:19.3f} {r:9.3f}")
    print(f"{'median over templates':40} {statistics.median(gen_all):19.3f} {statistics.median(grade_all):9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

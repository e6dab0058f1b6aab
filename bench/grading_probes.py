"""A sceptical learner's probes of the grader (exercises/grading/probes.py), counted over every
built-in template x N seeds, with the draws rejected because a misconception gave the right
answer.

    .venv/bin/python bench/grading_probes.py [--seeds 200]

To measure an older checkout, copy this file and exercises/grading/probes.py into it and run
the command from its root (the probes use only the library face).
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from exercises import catalog  # noqa: E402
from exercises.generation import draw_report  # noqa: E402
from exercises.grading.probes import PROBES, number_fields, probe  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    args = parser.parse_args()
    counts: Counter = Counter()
    for template in catalog():
        report = draw_report(template, range(args.seeds))
        counts["instances"] += len(report.exercises)
        counts["seeds without an instance"] += len(report.failed)
        counts["draws rejected: a misconception gives the right answer"] += report.rejected.get(
            "indistinct_misconception", 0)
        for ex in report.exercises:
            counts["number fields"] += len(number_fields(ex))
            counts.update({f"probe {k}: {PROBES[k]['en']}": n for k, n in probe(ex).items()})
    for key in PROBES:
        counts.setdefault(f"probe {key}: {PROBES[key]['en']}", 0)
    for what, n in sorted(counts.items()):
        print(f"{n:7d}  {what}")


if __name__ == "__main__":
    main()

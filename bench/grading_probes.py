"""A sceptical learner's probes of the grader, counted over every built-in template x N seeds.

    .venv/bin/python bench/grading_probes.py [--seeds 200]

Prints, for each probe, in how many places the grader gives credit it should not:
- constant answers: instances where answering 0, 1 or a given value everywhere scores more
  than the share of answers whose right value it is (tests/exercises/probes.share);
- function calls: number fields that accept abs(<right value>) as right;
- precision: number fields (decimals / sig) that accept an answer 0.7 of the last asked digit off;
and how many draws were rejected because a misconception gave the right answer.
The probes use only the library face (tests/exercises/probes.py), so the same command measures
an older checkout: copy this file and probes.py there and run it from that checkout's root.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from exercises import catalog, grade  # noqa: E402
from exercises.generation import draw_report  # noqa: E402
from exercises.grading import reference_answers  # noqa: E402
from tests.exercises.probes import constants, last_digit_unit, number_fields, share, step_status  # noqa: E402


def probe(ex, counts: Counter) -> None:
    right = reference_answers(ex)
    for constant in constants(ex):
        if grade(ex, {k: constant for k in right}).score > share(ex, right, constant) + 1e-6:
            counts["constant answer scores more than its share (instances x constants)"] += 1
    for field in number_fields(ex):
        part = ex.part(field.split(".")[0])
        counts["number fields probed"] += 1
        if step_status(grade(ex, {**right, field: f"abs({right[field]})"}), field) == "correct":
            counts["function call abs(right) accepted (fields)"] += 1
        ref = float(right[field])
        unit = last_digit_unit(part.precision, ref)
        if unit is not None and any(step_status(grade(ex, {**right, field: repr(ref + s * 0.7 * unit)}), field)
                                    == "correct" for s in (1, -1)):
            counts["0.7 of the last digit off accepted (fields)"] += 1


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
            probe(ex, counts)
    for what, n in sorted(counts.items()):
        print(f"{n:7d}  {what}")


if __name__ == "__main__":
    main()

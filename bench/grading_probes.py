"""A sceptical learner's probes of the grader, counted over every built-in template x N seeds.

    .venv/bin/python bench/grading_probes.py [--seeds 200]

Prints, for each probe, in how many places the grader gives credit it should not:
- constant answers: instances where answering 0 (or 1) everywhere scores more than the share
  of answer fields whose reference is that constant;
- function calls: number fields that accept abs(<right value>) as right;
- precision: number fields (decimals / sig) that accept an answer 0.7 of the last asked digit off;
- coinciding misconceptions: number fields whose right answer also lies within the tolerance of
  a recorded misconception's answer (a wrong method that would be graded right).
Uses only the library face (generate, grade, reference_answers), so the same command measures
an older checkout: run it from that checkout's root.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from exercises import catalog, generate, grade  # noqa: E402
from exercises.grading import reference_answers  # noqa: E402

NUMBER_KINDS = {"value", "gradient", "update", "guided"}


def unit(precision, reference: float):
    if precision is None:
        return None
    if precision.kind == "decimals":
        return 10.0 ** -precision.value
    if precision.kind == "sig" and reference != 0:
        return 10.0 ** (math.floor(math.log10(abs(reference))) - precision.value + 1)
    return None


def step_status(result, field: str) -> str:
    part = result.parts[field.split(".")[0]]
    if "." in field and part.status != "invalid":
        return part.steps[field.split(".")[1]]["status"]
    return part.status


def probe(ex, counts: Counter) -> None:
    right = reference_answers(ex)
    parts = {p.id: p for p in ex.parts}
    fields = [k for k in right if parts[k.split(".")[0]].kind in NUMBER_KINDS]
    for constant in ("0", "1"):
        share = sum(_equals(right[k], float(constant)) for k in right) / len(right)
        if grade(ex, {k: constant for k in right}).score > share + 1e-9:
            counts[f"constant {constant} scores more than its share (instances)"] += 1
    for field in fields:
        part = parts[field.split(".")[0]]
        counts["number fields probed"] += 1
        if step_status(grade(ex, {**right, field: f"abs({right[field]})"}), field) == "correct":
            counts["function call abs(right) accepted (fields)"] += 1
        ref = float(right[field])
        u = unit(part.precision, ref)
        if u is not None and any(step_status(grade(ex, {**right, field: repr(ref + s * 0.7 * u)}), field) == "correct"
                                 for s in (1, -1)):
            counts["0.7 of the last digit off accepted (fields)"] += 1
        if "." not in field and part.precision is not None:
            tol = part.precision.tolerance(ref)
            if any(abs(float(w) - ref) <= tol for w in ex.mistakes.get(part.id, {}).values()):
                counts["a recorded misconception graded right (fields)"] += 1


def _equals(text: str, value: float) -> bool:
    try:
        return abs(float(text) - value) < 1e-9
    except ValueError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    args = parser.parse_args()
    counts: Counter = Counter()
    for template in catalog():
        for seed in range(args.seeds):
            counts["instances"] += 1
            probe(generate(template.slug, seed=seed), counts)
    for what, n in sorted(counts.items()):
        print(f"{n:7d}  {what}")


if __name__ == "__main__":
    main()

"""What a sceptical learner tries on the grader, as plain functions over the library face
(generate, grade, reference_answers): shared by the property tests
(test_grading_integrity.py) and by bench/grading_probes.py, which counts them."""
from __future__ import annotations

import math

from exercises.grading import reference_answers

NUMBER_KINDS = {"value", "gradient", "update", "guided"}


def number_fields(ex) -> list[str]:
    """The answer fields that take one number (guided steps included)."""
    keys = {p.id: p for p in ex.parts}
    return [k for k in reference_answers(ex) if keys[k.split(".")[0]].kind in NUMBER_KINDS]


def constants(ex) -> list[str]:
    """0, 1 and every number the statement gives (the parameters), as a learner would type them."""
    def numbers(v):
        return [x for item in v for x in numbers(item)] if isinstance(v, (list, tuple)) else [v]
    given = [float(x) for v in ex.params.values() for x in numbers(v) if isinstance(x, (int, float))]
    return ["0", "1", *sorted({repr(x) for x in given})]


def share(ex, right: dict, constant: str) -> float:
    """The score that answering ``constant`` everywhere deserves: per part, the share of its
    answer fields whose right value it is (within the part's tolerance), averaged over parts."""
    per_part = []
    for part in ex.parts:
        fields = [k for k in right if k.split(".")[0] == part.id]
        hits = 0
        for field in fields:
            try:
                ref, c = float(right[field]), float(constant)
            except ValueError:
                hits += right[field] == constant
                continue
            tol = part.precision.tolerance(ref) if part.precision else 0.0
            hits += abs(ref - c) <= tol if part.kind != "choice" else right[field] == constant
        per_part.append(hits / len(fields) if fields else 0.0)
    return sum(per_part) / len(per_part)


def last_digit_unit(precision, reference: float) -> float | None:
    """One unit of the last digit the prompt asks for, worked out from the prompt's words
    (not from the grader's code): 小数第n位 -> 10^-n, 有効数字n桁 -> the n-th significant digit."""
    if precision.kind == "decimals":
        return 10.0 ** -precision.value
    if precision.kind == "sig" and reference != 0:
        return 10.0 ** (math.floor(math.log10(abs(reference))) - precision.value + 1)
    return None


def step_status(result, field: str) -> str:
    """The verdict of one answer field: a part's, or a guided step's."""
    part = result.parts[field.split(".")[0]]
    if "." in field and part.status != "invalid":
        return part.steps[field.split(".")[1]]["status"]
    return part.status

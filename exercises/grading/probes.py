"""What a sceptical learner tries on the grader, over one exercise (``probe``): a constant
answer everywhere, a function call that makes the grader do the work, an answer just outside
the stated precision. Each returns where the grader would give credit it should not; none
should ever fire. The instructor's test report runs them on every instance it makes, the
property tests (tests/exercises/test_grading_integrity.py) on every built-in template, and
bench/grading_probes.py counts them over many seeds."""
from __future__ import annotations

import math
from collections import Counter

from .grade import grade
from .key import reference_answers

PROBES = {
    "constant": {"ja": "0・1・与えられた値をすべての欄に書くと、その値が正解の欄より多く点が取れる",
                 "en": "writing 0, 1 or a given value everywhere scores more than the answers it is right for"},
    "function_call": {"ja": "数値の欄で abs(正解) のような関数呼び出しが正解になる",
                      "en": "a function call such as abs(right value) is accepted in a number field"},
    "precision": {"ja": "指定の最後の桁で 0.7 ずれた答えが正解になる",
                  "en": "an answer 0.7 of the last asked digit off is accepted"},
}

NUMBER_KINDS = {"value", "gradient", "update", "guided"}
ARRAY_KINDS = {"vector", "matrix", "ordered"}


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


def elements(ex, part) -> list[float]:
    """An array part's reference values, flat (row by row)."""
    values = ex.answers[part.id].values
    return [float(v) for row in values for v in row] if values and isinstance(values[0], tuple) else \
        [float(v) for v in values]


def filled(part, constant: str) -> str:
    """``constant`` in every element of an array part ("0, 0, 0" or "0, 0; 0, 0"), else as it is."""
    if part.kind not in ARRAY_KINDS:
        return constant
    if part.kind == "matrix":
        rows, cols = part.shape
        return "; ".join(", ".join([constant] * cols) for _ in range(rows))
    return ", ".join([constant] * part.shape[0])


def _array_share(ex, part, constant: str) -> float:
    values, c = elements(ex, part), float(constant)
    return sum(abs(v - c) <= part.precision.tolerance(v) for v in values) / len(values)


def share(ex, right: dict, constant: str) -> float:
    """The score that answering ``constant`` everywhere deserves: per part, the share of its
    answer fields (an array's elements) whose right value it is (within the part's tolerance),
    averaged over parts."""
    per_part = []
    for part in ex.parts:
        if part.kind in ARRAY_KINDS:
            per_part.append(_array_share(ex, part, constant))
            continue
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


def probe(ex) -> Counter:
    """How often each probe gets credit it should not, on this exercise (keys of ``PROBES``)."""
    found: Counter = Counter()
    right = reference_answers(ex)
    parts = {p.id: p for p in ex.parts}
    for constant in constants(ex):
        answers = {k: filled(parts[k.split(".")[0]], constant) for k in right}
        found["constant"] += grade(ex, answers).score > share(ex, right, constant) + 1e-6
    for field in number_fields(ex):
        found["function_call"] += step_status(grade(ex, {**right, field: f"abs({right[field]})"}), field) == "correct"
        ref = float(right[field])
        unit = last_digit_unit(ex.part(field.split(".")[0]).precision, ref)
        found["precision"] += unit is not None and any(
            step_status(grade(ex, {**right, field: repr(ref + s * 0.7 * unit)}), field) == "correct" for s in (1, -1))
    for part in ex.parts:
        if part.kind in ARRAY_KINDS:
            found["precision"] += _array_precision(ex, part, right)
    return +found


def _array_precision(ex, part, right: dict) -> int:
    """How many elements of an array part can be 0.7 of the last asked digit off and still
    leave the whole part correct (each element moved alone, both ways)."""
    values, fired = elements(ex, part), 0
    for i, ref in enumerate(values):
        unit = last_digit_unit(part.precision, ref)
        if unit is None:
            continue
        for sign in (1, -1):
            moved = [repr(v + sign * 0.7 * unit) if j == i else repr(v) for j, v in enumerate(values)]
            text = typed_elements(part, moved)
            fired += step_status(grade(ex, {**right, part.id: text}), part.id) == "correct"
    return fired


def typed_elements(part, items: list[str]) -> str:
    if part.kind == "matrix":
        cols = part.shape[1]
        return "; ".join(", ".join(items[r:r + cols]) for r in range(0, len(items), cols))
    return ", ".join(items)

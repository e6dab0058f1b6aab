"""Answers as a learner types them, for tests that grade reference and misconception values of
every part kind (a number, a choice's index, "1, 2" or "[[1, 2], [3, 4]]")."""
from __future__ import annotations

import numpy as np

ARRAYS = {"vector", "matrix", "ordered"}


def typed(part, value) -> str:
    if part.kind == "choice":
        return str(value)
    if part.kind in ARRAYS:
        rows = [list(r) for r in value] if value and hasattr(value[0], "__len__") else None
        return repr(rows) if rows is not None else ", ".join(repr(float(v)) for v in value)
    return repr(float(value))


def flat(value) -> list[float]:
    return [float(v) for v in np.asarray(value, dtype=float).ravel()]


def differs(part, wrong, right) -> bool:
    """Whether the part's precision tells ``wrong`` apart from ``right`` (an element, for arrays)."""
    if part.kind == "choice":
        return wrong != right
    if part.kind in ARRAYS:
        return any(abs(w - r) > part.precision.tolerance(r) for w, r in zip(flat(wrong), flat(right)))
    return abs(float(wrong) - float(right)) > part.precision.tolerance(float(right))

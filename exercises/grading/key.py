"""The right answers typed as a learner would: for benchmarks, instructor previews, tests."""
from __future__ import annotations


def reference_answers(exercise) -> dict:
    """Field -> text: numbers at full precision, a choice's index, the reference formula, and
    for a guided part one ``"part.step"`` field per step (as the web form and the API send)."""
    out = {}
    for part in exercise.parts:
        key = exercise.answers[part.id]
        if part.kind == "choice":
            out[part.id] = str(key)
        elif part.kind == "formula":
            out[part.id] = key.text
        elif part.kind == "guided":
            out.update({f"{part.id}.{step}": repr(float(g)) for step, g in key.grads.items()})
        else:
            out[part.id] = repr(float(key))
    return out

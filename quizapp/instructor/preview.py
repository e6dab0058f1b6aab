"""A generated instance as the instructor's test report shows it: statement, parts,
reference answers, misconception answers and the worked solution, with math marked up
for KaTeX (js/math.js renders every element with data-tex)."""
from __future__ import annotations

import re

from exercises.grading.grade import show
from exercises.misconceptions import MISCONCEPTIONS, for_family
from quizapp.services.template_tests import reference_text

MATH_RE = re.compile(r"(\$\$.+?\$\$|\$.+?\$)", re.DOTALL)


def segments(text: str) -> list[tuple[str, str]]:
    """("text" | "inline" | "block", content) pieces of a text with $…$ and $$…$$ math."""
    out = []
    for piece in MATH_RE.split(text or ""):
        if not piece:
            continue
        if piece.startswith("$$") and piece.endswith("$$") and len(piece) > 4:
            out.append(("block", piece[2:-2]))
        elif piece.startswith("$") and piece.endswith("$") and len(piece) > 2:
            out.append(("inline", piece[1:-1]))
        else:
            out.append(("text", piece))
    return out


def misconception_name(family: str | None, mid: str, lang: str) -> str:
    try:
        found = for_family(family, mid) if family else MISCONCEPTIONS[mid]
    except KeyError:
        return mid
    return found.name.get(lang) or mid


def preview(exercise, template, lang: str) -> dict:
    parts = []
    for part in exercise.parts:
        mistakes = [(misconception_name(exercise.family, mid, lang), _mistake_text(value, part))
                    for mid, value in exercise.mistakes.get(part.id, {}).items()]
        parts.append({
            "id": part.id, "kind": part.kind, "prompt": segments(part.prompt.get(lang, "")),
            "reference": reference_text(exercise, part), "mistakes": mistakes,
            "precision": part.precision.describe().get(lang) if part.precision else "",
            "choices": [c.get(lang, "") for c in part.choices],
        })
    solution = exercise.solution or {}
    return {
        "seed": exercise.seed, "params": exercise.params,
        "statement": segments(exercise.statement.get(lang, "")), "parts": parts,
        "forward": [segments(step) for step in solution.get("forward", [])],
        "backward": [segments(step) for step in solution.get("backward", [])],
    }


def _mistake_text(value, part) -> str:
    if part.kind == "choice":
        return str(value)
    try:
        return show(float(value), part)
    except (TypeError, ValueError):
        return str(value)

"""The behaviour snapshot that guards the pipeline reshape (issue 10).

For every built-in template and seeds 0..49 it records what a caller of the library face can
observe: the public exercise, the worked solution, the reference answers as typed, and the
grading of a fixed set of answer sets (right, blank, constants, garbage, perturbed, and each
known misconception's answer). The answer sets are stored in the snapshot, so the check
replays them without reading any internal structure of the exercise.

    python -m tests.snapshot.behaviour         # rewrite the snapshot (only on purpose)
    python -m tests.snapshot.behaviour --diff  # what a deliberate change did, in counts

Since the reshape landed, a change that alters grading on purpose (the grading-integrity
issue) rewrites the snapshot in the same commit, with the ``--diff`` counts in its message.
"""
from __future__ import annotations

import gzip
import json
import math
from dataclasses import asdict, is_dataclass
from pathlib import Path

import numpy as np

from tests.exercises.answer_text import typed

SNAPSHOT = Path(__file__).with_name("behaviour.json.gz")
SEEDS = range(50)


def plain(obj):
    """JSON-ready copy with floats kept exactly (repr round-trips)."""
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return plain(obj.tolist())
    if isinstance(obj, (np.floating, float)):
        value = float(obj)
        return value if math.isfinite(value) else repr(value)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        return plain(asdict(obj))
    return obj


def _perturbed(reference: dict) -> dict:
    out = {}
    for key, text in reference.items():
        try:
            out[key] = repr(float(text) * 1.01 + 0.003)
        except ValueError:
            out[key] = text
    return out


def answer_sets(ex, reference: dict) -> dict:
    """Named answer sets for one instance (made once, when the snapshot is written)."""
    sets = {"right": reference, "blank": {}, "zeros": {k: "0" for k in reference},
            "ones": {k: "1" for k in reference}, "garbage": {k: "abc" for k in reference},
            "perturbed": _perturbed(reference)}
    for part_id, mistakes in sorted(ex.mistakes.items()):
        for mid, wrong in sorted(mistakes.items()):
            answers = dict(reference)
            answers[part_id] = typed(ex.part(part_id), wrong)
            sets[f"mistake:{part_id}:{mid}"] = answers
    return sets


def observe(ex, sets: dict) -> dict:
    from exercises import grade
    from exercises.grading import reference_answers

    return {"public": plain(ex.public()), "solution": plain(ex.solution),
            "reference": reference_answers(ex),
            "grades": {name: plain(grade(ex, answers).to_dict()) for name, answers in sets.items()}}


def record() -> dict:
    from exercises import catalog, generate
    from exercises.grading import reference_answers

    out = {}
    for template in catalog():
        for seed in SEEDS:
            ex = generate(template.slug, seed=seed)
            sets = answer_sets(ex, reference_answers(ex))
            out[f"{template.slug}@{seed}"] = {"version": template.version, "sets": sets,
                                              **observe(ex, sets)}
    return out


def load() -> dict:
    with gzip.open(SNAPSHOT, "rt", encoding="utf-8") as f:
        return json.load(f)


def diff(old: dict) -> dict:
    """Replay the recorded answer sets on today's code: per answer set (right, zeros,
    mistake:<id>, ...) how many part verdicts changed, on the instances whose public exercise
    is unchanged, and how many instances changed (redrawn, or their text changed)."""
    from collections import Counter

    from exercises import generate

    changed: Counter = Counter()
    for key, rec in old.items():
        slug, seed = key.rsplit("@", 1)
        ex = generate(slug, seed=int(seed))
        new = json.loads(json.dumps(observe(ex, rec["sets"]), ensure_ascii=False))
        if new["public"] != rec["public"]:  # another exercise (redrawn): its grades do not compare
            changed["instances: public exercise"] += 1
            continue
        for name, result in rec["grades"].items():
            set_name = name.split(":")[0] + (":" + name.split(":")[2] if name.startswith("mistake:") else "")
            for pid, part in result["parts"].items():
                now = new["grades"][name]["parts"][pid]
                if (part["status"], part["score"]) != (now["status"], now["score"]):
                    changed[f"{set_name}: {part['status']} -> {now['status']}"] += 1
    return dict(sorted(changed.items()))


if __name__ == "__main__":
    import sys

    if "--diff" in sys.argv:
        for what, n in diff(load()).items():
            print(f"{n:6d}  {what}")
        raise SystemExit(0)
    data = record()
    with gzip.open(SNAPSHOT, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(data, f, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    print(f"{len(data)} instances -> {SNAPSHOT} ({SNAPSHOT.stat().st_size} bytes)")

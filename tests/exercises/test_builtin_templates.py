"""Every built-in template (YAML file or Python generator in ``exercises.catalog()``) keeps the
promises of the design: many seeds give verified instances, the reference answers earn full
marks, every recorded misconception answer is graded wrong and named, an instance is the same
in another process, and the public view carries no answers.

The tests only go through the public face (``generate``, ``grade``, ``Exercise``), so a
generator added later is checked the same way as the YAML templates.
"""
from __future__ import annotations

import functools
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from exercises import catalog, generate, grade
from exercises.computation import Computation, forward_numpy
from exercises.expr import evaluate
from exercises.grading import reference_answers
from exercises.misconceptions import GRAPH, MISCONCEPTIONS, for_family
from exercises.spec.syllabus import SYLLABUS
from exercises.spec.vocab import TOPICS
from tests.exercises.answer_text import differs, typed

REPO = Path(__file__).resolve().parents[2]
SLUGS = [t.slug for t in catalog()]
YAML_SLUGS = [t.slug for t in catalog() if t.origin == "template"]
SEEDS = range(30)
SECOND_PROCESS_SEEDS = (0, 7, 2**40 + 3)
# The four families whose YAML templates live next to this test (the others have their own).
AUTHORED_FAMILIES = {"chain-rule", "node-backprop", "shopping", "graph-paths"}
NUMERIC_KINDS = {"value", "gradient", "update"}

def make(slug: str, seed: int | None = None, params: dict | None = None):
    return generate(slug, seed=seed, params=params)


@functools.cache
def _instances(slug: str) -> tuple:
    return tuple(make(slug, seed=s) for s in SEEDS)


def instances(slug: str) -> tuple:
    return _instances(slug)




def snapshot(ex) -> dict:
    """Everything that must be identical for the same (slug, version, seed), as JSON data."""
    formula_values = {p.id: [repr(float(v)) for v in ex.answers[p.id].values]
                      for p in ex.parts if p.kind == "formula"}
    data = {
        "public": ex.public(),
        "answers": reference_answers(ex),
        "formula_values": formula_values,
        "mistakes": {pid: {k: repr(v) for k, v in m.items()} for pid, m in ex.mistakes.items()},
        "solution": ex.solution,
    }
    return json.loads(json.dumps(data, sort_keys=True, ensure_ascii=False, default=repr))


def child_snapshots(pairs) -> dict:
    """Run in the second process: a snapshot (or the error) for each (slug, seed)."""
    out = {}
    for slug, seed in pairs:
        try:
            out[f"{slug}@{seed}"] = snapshot(generate(slug, seed=seed))
        except Exception as err:  # reported by the parent test, per pair
            out[f"{slug}@{seed}"] = {"error": f"{type(err).__name__}: {err}"}
    return out


@pytest.fixture(scope="module")
def second_process():
    """Snapshots of every (slug, seed) made by one fresh interpreter with another hash seed."""
    pairs = [(slug, seed) for slug in SLUGS for seed in SECOND_PROCESS_SEEDS]
    code = (
        "import importlib.util, json, sys\n"
        f"spec = importlib.util.spec_from_file_location('second_process_snapshots', {str(Path(__file__))!r})\n"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
        f"print(json.dumps(module.child_snapshots({pairs!r}), ensure_ascii=False))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def _walk_keys(data):
    if isinstance(data, dict):
        for k, v in data.items():
            yield k
            yield from _walk_keys(v)
    elif isinstance(data, list):
        for v in data:
            yield from _walk_keys(v)


# --- generation ------------------------------------------------------------------------------

def test_catalog_has_the_builtin_templates_of_the_four_authored_families():
    by_family = {}
    for t in catalog():
        by_family.setdefault(t.family, set()).add(t.difficulty)
    assert {1, 2, 3} <= by_family["chain-rule"]
    assert {1, 2} <= by_family["node-backprop"]
    assert {1, 2, 3} <= by_family["shopping"]
    assert by_family["graph-paths"]
    assert len(SLUGS) == len(set(SLUGS))


@pytest.mark.parametrize("slug", SLUGS)
def test_many_seeds_give_verified_complete_instances(slug):
    for seed, ex in zip(SEEDS, instances(slug)):
        assert (ex.slug, ex.seed) == (slug, seed)
        assert [p.id for p in ex.parts] and set(ex.answers) == {p.id for p in ex.parts}
        for part in ex.parts:
            key = ex.answers[part.id]
            if part.kind in NUMERIC_KINDS:
                assert math.isfinite(key), (seed, part.id, key)
            elif part.kind == "choice":
                assert 0 <= key < len(part.choices)
            elif part.kind == "guided":
                assert key.steps and set(key.grads) == set(key.steps) == set(part.steps)
                assert all(math.isfinite(g) for g in key.grads.values())
            elif part.kind == "formula":
                assert len(key.values) >= 4 and key.text


@pytest.mark.parametrize("slug", YAML_SLUGS)
def test_yaml_answers_match_an_independent_forward_pass_and_central_differences(slug):
    """For data templates: value parts equal a plain numpy forward pass, gradient parts a
    central difference of it (independently of the engine that produced them)."""
    template = next(t for t in catalog() if t.slug == slug).template
    for ex in instances(slug)[:10]:
        base = forward_numpy(template, ex.params)
        for spec in template.parts:
            key = ex.answers[spec.id]
            if spec.kind == "value":
                assert key == pytest.approx(float(base[spec.node]), rel=1e-12, abs=1e-12)
            if spec.kind == "gradient":
                x = float(base[spec.wrt])
                h = 1e-6 * max(1.0, abs(x))
                up = forward_numpy(template, ex.params, {spec.wrt: x + h})[spec.of]
                down = forward_numpy(template, ex.params, {spec.wrt: x - h})[spec.of]
                scale = ex.params[template.upstream] if template.upstream and spec.of == template.output else 1.0
                numeric = scale * (up - down) / (2 * h)
                assert key == pytest.approx(numeric, rel=1e-5, abs=1e-6), (ex.seed, spec.id)


# --- grading ---------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", SLUGS)
def test_reference_answers_score_full_marks(slug):
    for ex in instances(slug):
        result = grade(ex, reference_answers(ex))
        assert result.valid
        assert {pid: r.status for pid, r in result.parts.items()} == {p.id: "correct" for p in ex.parts}, ex.seed
        assert result.score == 1.0
        assert result.misconceptions == []


@pytest.mark.parametrize("slug", SLUGS)
def test_each_recorded_misconception_answer_is_wrong_and_named(slug):
    checked = 0
    for ex in instances(slug):
        for part in ex.parts:
            mistakes = ex.mistakes.get(part.id, {})
            for mid, wrong in mistakes.items():
                assert mid in MISCONCEPTIONS
                result = grade(ex, {part.id: typed(part, wrong)}).parts[part.id]
                assert result.status == "incorrect", (ex.seed, part.id, mid, wrong)
                assert result.misconception is not None, (ex.seed, part.id, mid, wrong)
                named, expected = result.misconception["id"], for_family(ex.family, mid).id
                if named != expected:
                    # Two mistakes that give the same answer: the grader names the first, which
                    # is right only if that one really is indistinguishable from this one.
                    same = [m for m, v in mistakes.items() if for_family(ex.family, m).id == named
                            and not differs(part, wrong, v)]
                    assert same, (ex.seed, part.id, mid, wrong, named)
                checked += 1
    if any(ex.mistakes.get(p.id) for ex in instances(slug) for p in ex.parts):
        assert checked > 0


@pytest.mark.parametrize("slug", YAML_SLUGS)
def test_misconception_answers_and_solution_gradients_match_a_fresh_backward_pass(slug):
    """What a misconception would answer is recomputed on a fresh graph with its mutated rules
    (declared ones: the forward value of their node); the worked solution's gradients too."""
    template = next(t for t in catalog() if t.slug == slug).template
    rules = {m.id: m.rules for m in GRAPH}
    problems = []
    for ex in instances(slug)[:10]:
        base = forward_numpy(template, ex.params)
        for spec in template.parts:
            if spec.kind == "choice":  # its mistakes are option indices
                continue
            declared = dict(spec.mistakes)
            for mid, value in ex.mistakes.get(spec.id, {}).items():
                if mid in declared and isinstance(declared[mid], str):
                    expected = float(base[declared[mid]])
                elif mid in declared:  # a wrong method written as an expression
                    expected = float(evaluate(declared[mid], base))
                elif spec.kind == "gradient" and mid in rules:
                    with np.errstate(all="ignore"):
                        expected = Computation(template, ex.params).grads(spec.of, rules[mid])[spec.wrt]
                else:
                    continue
                if value != pytest.approx(expected, rel=1e-9, abs=1e-12):
                    problems.append((ex.seed, spec.id, mid, value, expected))
        fresh = Computation(template, ex.params).grads(template.output)
        for node in ex.solution["graph"]["nodes"]:
            if "grad" in node and node["name"] in fresh:
                if node["grad"] != pytest.approx(fresh[node["name"]], rel=1e-9, abs=1e-12):
                    problems.append((ex.seed, "solution", node["name"], node["grad"], fresh[node["name"]]))
    assert not problems


# --- determinism and the public view ---------------------------------------------------------

@pytest.mark.parametrize("slug", SLUGS)
def test_same_seed_gives_the_same_exercise_in_a_second_process(slug, second_process):
    for seed in SECOND_PROCESS_SEEDS:
        theirs = second_process[f"{slug}@{seed}"]
        ours = snapshot(make(slug, seed=seed))
        assert ours == theirs, (slug, seed)
        assert snapshot(make(slug, seed=seed)) == ours


@pytest.mark.parametrize("slug", SLUGS)
def test_public_view_has_no_reference_answers(slug):
    for ex in instances(slug)[:5]:
        public = ex.public()
        json.dumps(public, ensure_ascii=False)  # what the API sends must be plain JSON
        keys = set(_walk_keys(public))
        assert not keys & {"answers", "answer", "mistakes", "solution", "grad", "grads", "correct"}
        for node in (public["graph"] or {}).get("nodes", []):
            if "value" in node:  # only the given inputs and constants show their values
                assert node["op"] in ("input", "const"), node


# --- authoring rules of the YAML templates in this repository -------------------------------

@pytest.mark.parametrize("slug", [t.slug for t in catalog()
                                  if t.origin == "template" and t.family in AUTHORED_FAMILIES])
def test_authored_yaml_states_precision_hints_and_explanation(slug):
    template = next(t for t in catalog() if t.slug == slug).template
    raw = yaml.safe_load(template.source)
    for part in raw["parts"]:
        if part["kind"] in NUMERIC_KINDS | {"guided"}:
            assert "precision" in part, (slug, part["id"])
    assert template.hints and template.explanation["ja"] and template.explanation["en"]
    assert set(template.topics) <= set(TOPICS) and template.version >= 1
    tags = next(t for t in catalog() if t.slug == slug).syllabus  # from syllabus.yaml: they name none
    assert not template.syllabus and tags and set(tags) <= set(SYLLABUS)
    assert (REPO / "exercises" / "templates" / f"{slug}.yaml").is_file()

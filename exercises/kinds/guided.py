"""``guided``: every node's gradient from the output back, graded with error carried forward."""
from __future__ import annotations

from dataclasses import dataclass

from ..answers import parse_number
from ..texnames import numerator, tex_name
from .base import Kind, PartResult
from .carried import carries


@dataclass(frozen=True)
class GuidedKey:
    of: str
    seed_grad: float
    steps: tuple[str, ...]
    consumers: dict  # step -> ((consumer, local partial), ...)
    grads: dict      # step -> true gradient
    givens: tuple = ()  # the values the statement gives (parameters, the upstream gradient)


def expected_given_upstream(key: GuidedKey, step: str, learner: dict) -> float:
    """What ``step``'s gradient should be if the learner's own upstream values were right."""
    total = 0.0
    for consumer, local in key.consumers[step]:
        upstream = key.seed_grad if consumer == key.of else learner.get(consumer, key.grads.get(consumer))
        total += upstream * local
    return total


def step_misconception(key: GuidedKey, step: str, learner: dict, tol) -> str | None:
    """The classic slip a step's answer shows, given the learner's own upstream values: the
    local derivative alone (upstream dropped), or one branch of a fan-out instead of their sum."""
    value = learner[step]
    terms = [(key.seed_grad if c == key.of else learner[c]) * local for c, local in key.consumers[step]]
    locals_only = sum(local for _, local in key.consumers[step])
    if abs(sum(terms) - locals_only) > tol(locals_only) and abs(value - locals_only) <= tol(locals_only):
        return "dropped_upstream"
    if len(terms) > 1 and any(abs(value - t) <= tol(t) and abs(t - sum(terms)) > tol(t) for t in terms):
        return "fanout_overwritten"
    return None


class GuidedKind(Kind):
    name = "guided"
    fields = frozenset({"of"})
    has_precision = True
    takes_functions = True
    description = {"ja": "ステップごとの数値（キーは「小問.ステップ」）",
                   "en": "one number per step (keys \"part.step\")"}
    stepwise = True

    def reference(self, builder, spec) -> tuple:
        return builder.guided_key(spec), {}

    def default_prompt(self, part, params: dict, template) -> dict:
        top, out = numerator(template, part.of), tex_name(part.of)
        return {"ja": f"出力 ${out}$ から入力に向かって、各ノードの勾配 "
                      f"$\\partial {top} / \\partial (\\cdot)$ を順に求めなさい。",
                "en": f"Going from the output ${out}$ back to the inputs, give the gradient "
                      f"$\\partial {top} / \\partial (\\cdot)$ at every node."}

    def read_form(self, part, get) -> dict:
        return {f"{part.id}.{s}": get(f"{part.id}.{s}", "") for s in part.steps}

    def answer_keys(self, part) -> list[str]:
        return [f"{part.id}.{step}" for step in part.steps]

    def answer_for(self, part, answers: dict):
        given = answers.get(part.id)
        if isinstance(given, dict):
            return given
        prefix = f"{part.id}."
        return {k[len(prefix):]: v for k, v in answers.items()
                if isinstance(k, str) and k.startswith(prefix)}

    def reference_answers(self, part, key: GuidedKey) -> dict:
        return {f"{part.id}.{step}": repr(float(g)) for step, g in key.grads.items()}

    def expected(self, part, key) -> str:
        return ""

    def reference_text(self, part, key: GuidedKey) -> str:
        return ", ".join(f"{step}: {key.grads[step]:.6g}" for step in key.steps)

    def part_fields(self, spec, key: GuidedKey) -> dict:
        return {"steps": key.steps}

    def grade(self, part, raw: dict, key: GuidedKey, mistakes: dict) -> PartResult:
        if not isinstance(raw, dict):
            raw = {}
        values, steps = {}, {}
        for step in key.steps:
            values[step] = parse_number(raw.get(step), part.functions)  # a missing step: format error
        for step in key.steps:
            steps[step] = self._step(part, key, step, values)
        correct = sum(v["status"] == "correct" for v in steps.values())
        score = correct / len(key.steps) if key.steps else 1.0
        status = "correct" if score == 1.0 else "incorrect"
        named = next((v["misconception"] for v in steps.values() if v.get("misconception")), None)
        return PartResult(part.id, status, score, values, "", misconception=named, steps=steps)

    def _step(self, part, key: GuidedKey, step: str, values: dict) -> dict:
        """Right against the true gradient, or computed correctly from the learner's own wrong
        upstream values when those are a real attempt (``carried.carries``)."""
        tol = part.precision.tolerance
        true, expected = key.grads[step], expected_given_upstream(key, step, values)
        wrong = [values[c] for c, _ in key.consumers[step]
                 if c != key.of and abs(values[c] - key.grads[c]) > tol(key.grads[c])]
        ok = abs(values[step] - true) <= tol(true) or (
            abs(values[step] - expected) <= tol(expected) and carries(wrong, values[step], expected, key.givens, tol))
        verdict = {"status": "correct" if ok else "incorrect", "expected": f"{true:.10g}",
                   "expected_given_upstream": f"{expected:.10g}"}
        named = None if ok else step_misconception(key, step, values, tol)
        if named:
            verdict["misconception"] = named
        return verdict

"""``guided``: every node's gradient from the output back, graded with error carried forward."""
from __future__ import annotations

from dataclasses import dataclass

from ..answers import parse_number
from ..texnames import numerator, tex_name
from .base import Kind, PartResult


@dataclass(frozen=True)
class GuidedKey:
    of: str
    seed_grad: float
    steps: tuple[str, ...]
    consumers: dict  # step -> ((consumer, local partial), ...)
    grads: dict      # step -> true gradient


def expected_given_upstream(key: GuidedKey, step: str, learner: dict) -> float:
    """What ``step``'s gradient should be if the learner's own upstream values were right."""
    total = 0.0
    for consumer, local in key.consumers[step]:
        upstream = key.seed_grad if consumer == key.of else learner.get(consumer, key.grads.get(consumer))
        total += upstream * local
    return total


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
        correct = 0
        for step in key.steps:
            expected = expected_given_upstream(key, step, values)
            ok = abs(values[step] - expected) <= part.precision.tolerance(expected)
            correct += ok
            steps[step] = {"status": "correct" if ok else "incorrect",
                           "expected": f"{key.grads[step]:.10g}",
                           "expected_given_upstream": f"{expected:.10g}"}
        score = correct / len(key.steps) if key.steps else 1.0
        status = "correct" if score == 1.0 else "incorrect"
        return PartResult(part.id, status, score, values, "", steps=steps)

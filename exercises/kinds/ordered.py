"""``ordered``: a sequence of values, such as the first gradient-descent iterates of a parameter.

Spec: ``of`` (a node, default the output), ``wrt`` (a parameter), ``lr`` (the learning-rate
parameter) and ``iterations`` (2 to 5). The answer is ``w1, w2, ...`` with
``w(k+1) = w(k) - lr * d(of)/dw at w(k)``, typed like a vector. Each iterate is graded with
error carried forward: it is right when it is one correct step from the learner's own previous
iterate (the gradient recomputed by the engine there), so one slip costs one element.
Generators use the same key with another step (an optimizer with its state, Newton's method);
a sequence that matches a misconception's sequence throughout names it."""
from __future__ import annotations

import math
from dataclasses import dataclass
from collections.abc import Callable

from ..errors import Rejected
from .arrays import matching_mistake, parse_vector
from .carried import carries
from .base import Kind, PartResult
from .numeric import show

MAX_ITERATIONS = 5


@dataclass(frozen=True)
class OrderedKey:
    values: tuple                  # the reference iterates w1 ... wn
    start: float                   # w0, the drawn parameter
    # (k, w) -> the iterate k + 1 computed from iterate k = w (None where it is undefined):
    # a gradient-descent step, an optimizer's step with its state, a Newton step
    step_from: Callable = None  # type: ignore[assignment]  # always given
    givens: tuple = ()        # the values the statement gives (the parameters)

    def step(self, k: int, w: float) -> float | None:
        nxt = self.step_from(k, w)
        return None if nxt is None or not math.isfinite(nxt) else float(nxt)


def descent_step(lr: float, grad_at: Callable) -> Callable:
    """``w - lr * d(of)/dw`` at ``w`` (``grad_at`` is the engine's gradient there)."""
    def step(k: int, w: float) -> float | None:
        g = grad_at(w)
        return None if g is None else w - lr * g
    return step


class OrderedKind(Kind):
    name = "ordered"
    fields = frozenset({"of", "wrt", "lr", "iterations"})
    has_precision = True
    needs_prompt = True
    description = {"ja": "値の列（例: 0.9, 0.81, 0.729）", "en": "a sequence of values (e.g. 0.9, 0.81, 0.729)"}
    help = {"ja": "順に、カンマで区切って入力します（例: 0.9, 0.81, 0.729）。",
            "en": "Give them in order, separated by commas (e.g. 0.9, 0.81, 0.729)."}

    def read_spec(self, reader, raw, field):
        of = reader.ref(raw, "of", field, reader.nodes, reader.output)
        wrt = reader.ref(raw, "wrt", field, reader.params)
        lr = reader.ref(raw, "lr", field, reader.params)
        n = raw.get("iterations")
        if isinstance(n, bool) or not isinstance(n, int) or not 2 <= n <= MAX_ITERATIONS:
            reader.problems.add(f"{field}.iterations", "bad_iterations",
                                f"iterations は 2〜{MAX_ITERATIONS} の整数です",
                                f"iterations is an integer from 2 to {MAX_ITERATIONS}")
            return None
        return None if None in (of, wrt, lr) else {"of": of, "wrt": wrt, "lr": lr, "dims": (n,)}

    def reference(self, builder, spec) -> tuple:
        """The iterates from the drawn start; the first gradient is verified numerically."""
        start, lr = float(builder.params[spec.wrt]), float(builder.params[spec.lr])
        key = OrderedKey((), start, descent_step(lr, builder.gradient_at(spec.of, spec.wrt)))
        g = builder.checked_gradient(spec.id, spec.of, spec.wrt, None)
        values = [start - lr * g]
        while len(values) < spec.dims[0]:
            w = key.step(len(values), values[-1])
            if w is None or abs(w) > 1e9:
                raise Rejected("domain", f"{spec.id}: iterate {len(values) + 1} is not finite")
            values.append(w)
        givens = tuple(float(v) for v in builder.params.values())
        return OrderedKey(tuple(values), start, key.step_from, givens), {}

    def part_fields(self, spec, key: OrderedKey) -> dict:
        return {"shape": (len(key.values),)}

    def reference_answers(self, part, key: OrderedKey) -> dict:
        return {part.id: ", ".join(repr(float(v)) for v in key.values)}

    def expected(self, part, key: OrderedKey) -> str:
        return ", ".join(show(v, part) for v in key.values)

    def grade(self, part, raw, key: OrderedKey, mistakes: dict) -> PartResult:
        given = parse_vector(raw, len(key.values))
        steps, correct, previous, tol = {}, 0, key.start, part.precision.tolerance
        for k, (value, true) in enumerate(zip(given, key.values), start=1):
            carried = key.step(k - 1, previous) if k > 1 else true
            want = true if carried is None else carried
            wrong = [previous] if k > 1 and abs(previous - key.values[k - 2]) > tol(key.values[k - 2]) else []
            ok = abs(value - true) <= tol(true) or (
                abs(value - want) <= tol(want) and carries(wrong, value, want, key.givens, tol))
            correct += ok
            steps[str(k)] = {"status": "correct" if ok else "incorrect", "expected": f"{true:.10g}",
                             "expected_given_upstream": f"{want:.10g}"}
            previous = value
        score = correct / len(key.values)
        result = PartResult(part.id, "correct" if score == 1.0 else "incorrect", round(score, 6), raw,
                            self.expected(part, key), steps=steps)
        if score < 1.0:
            result.misconception = matching_mistake(given, mistakes, tol)
        return result

"""Right and wrong answers for the exercises the load opens.

A learner opens ``/exercises/<slug>/new?seed=N`` (the route takes a seed), and an exercise is
fully determined by (template, seed): so the load generates the same exercise with the
``exercises`` library, in its own process, before the clock starts, and types the reference
answers (``exercises.grading.reference_answers``) into the form's fields, as a learner who
has worked it out would. That is the simplest honest way to send right answers: nothing
is read from the server but the page a browser gets. Wrong answers are the right ones with
one value off by one (or, where that does not parse, left blank); each pair is graded
locally once, to be sure the right ones score 1 and the wrong ones less, and readable.

Against ``--url`` this assumes the server runs the built-in templates of this checkout;
the database check counts right answers not graded right, so a mismatch shows.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from exercises import generate, grade
from exercises.grading import reference_answers

DEFAULT_SLUGS = ("shopping-apple-orange", "chain-exp-neg-square", "sigmoid-net-bias-weight-grads",
                 "layer-backward-code-fill", "node-add-mul-graph")


@dataclass(frozen=True)
class Case:
    slug: str
    seed: int
    right: dict[str, str]
    wrong: dict[str, str]

    def answers(self, right: bool) -> dict[str, str]:
        return self.right if right else self.wrong


def _wrong(exercise, right: dict[str, str]) -> dict[str, str]:
    for key, text in right.items():
        try:
            value = float(text)
        except ValueError:
            continue
        candidate = {**right, key: repr(value + 1)}
        result = grade(exercise, candidate)
        if result.valid and result.score < 1:
            return candidate
    first = next(iter(right))
    return {**right, first: ""}  # unanswered: graded and stored, never full marks


def make_case(slug: str, seed: int) -> Case:
    exercise = generate(slug, seed=seed)
    right = reference_answers(exercise)
    wrong = _wrong(exercise, right)
    if grade(exercise, right).score != 1:
        raise SystemExit(f"{slug} seed {seed}: the reference answers do not score 1 here")
    result = grade(exercise, wrong)
    if not result.valid or result.score >= 1:
        raise SystemExit(f"{slug} seed {seed}: could not make a readable wrong answer")
    return Case(slug, seed, right, wrong)


class Pool:
    """``seeds`` cases per template, generated up front (about 15 ms per seed for 5 templates)."""

    def __init__(self, slugs, seeds: int) -> None:
        self.cases = [make_case(slug, seed) for slug in slugs for seed in range(1, seeds + 1)]

    def pick(self, rng: random.Random) -> Case:
        return rng.choice(self.cases)

    def batch(self, rng: random.Random, size: int, right_share: float) -> list[dict]:
        """Items for POST /api/v1/grade: each names its exercise by (template, seed)."""
        items = []
        for case in rng.choices(self.cases, k=size):
            answers = case.answers(rng.random() < right_share)
            items.append({"template": case.slug, "seed": case.seed, "answers": answers})
        return items

"""Guided backprop: the nodes a learner fills in from the output back to the inputs, and how
each one is graded with error carried forward."""
from __future__ import annotations

from .computation import local_partials
from .kinds.guided import GuidedKey, expected_given_upstream

__all__ = ["guided_key", "expected_given_upstream"]


def guided_key(template, base: dict, grads: dict, of: str) -> GuidedKey:
    """``grads`` are d(of)/d(name) from the engine; ``base`` the forward values."""
    partials = local_partials(template, base)
    order = list(template.param_names) + list(template.node_names)
    upto = order.index(of)
    depends = {of}
    for name in reversed(order[:upto + 1]):
        if name in depends:
            depends |= {k for (c, k) in partials if c == name}
    level = {of: 0}  # distance from the output, so the steps read like the book's backprop
    for name in reversed(order[:upto]):
        if name in depends:
            level[name] = 1 + max(level[c] for (c, k) in partials if k == name and c in level)
    steps = tuple(sorted((n for n in level if n != of), key=lambda n: (level[n], order.index(n))))
    consumers = {s: tuple((c, partials[(c, s)]) for c in order if (c, s) in partials and c in depends)
                 for s in steps}
    givens = (*(float(base[p]) for p in template.param_names), float(grads.get(of, 1.0)))
    return GuidedKey(of, grads.get(of, 1.0), steps, consumers, {s: grads[s] for s in steps}, givens)

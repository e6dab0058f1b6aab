"""The fast backward walk (fastpath.fast_backward, taken by a plain ``backward()``) against
DeZero's readable loop in core.py (taken when ``rules`` are given; an empty BackwardRules
changes no rule): the same gradients bit for bit and the same order of backward calls, on
random graphs with reuse, fan-out, constants and several inputs per node."""
from __future__ import annotations

import numpy as np
import pytest

from exercises.autodiff import BackwardRules, Function, Variable, functions as F


class Logged(Function):
    """Multiplies by a constant; records the order in which backward runs."""

    def __init__(self, c, log):
        self.c, self.log = c, log

    def forward(self, x):
        return x * self.c

    def backward(self, gy):
        self.log.append(self.tag)
        return gy * self.c


def random_graph(seed: int, log: list):
    """A random DAG of 40 nodes over 3 leaves: each node combines one or two earlier nodes."""
    rng = np.random.default_rng(seed)
    leaves = [Variable(np.array(rng.normal())) for _ in range(3)]
    nodes = list(leaves)
    for i in range(40):
        a, b = (nodes[int(k)] for k in rng.integers(len(nodes), size=2))
        op = int(rng.integers(6))
        if op == 0:
            y = a * b
        elif op == 1:
            y = a + b
        elif op == 2:
            y = F.tanh(a) - b * 0.5
        elif op == 3:
            y = a / (1.5 + F.square(b))
        elif op == 4:
            y = 2.0 - F.sin(a)
        else:
            f = Logged(float(rng.uniform(0.5, 1.5)), log)
            f.tag = i
            y = f(a)
        nodes.append(y)
    out = nodes[-5]
    for node in nodes[-4:]:
        out = out + node
    return leaves, out


@pytest.mark.parametrize("seed", range(60))
def test_fast_and_readable_walks_agree_bit_for_bit(seed):
    fast_log, slow_log = [], []
    leaves, out = random_graph(seed, fast_log)
    out.backward()
    fast = [x.grad for x in leaves]
    leaves, out = random_graph(seed, slow_log)
    out.backward(rules=BackwardRules())
    slow = [x.grad for x in leaves]
    for a, b in zip(fast, slow):
        assert (a is None and b is None) or np.asarray(a).tobytes() == np.asarray(b).tobytes()
    assert fast_log == slow_log

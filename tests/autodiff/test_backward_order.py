"""Backward's walk: generation order, each function once, clear errors for inconsistent
graphs, work that follows the graph (not its generation numbers)."""
import numpy as np
import pytest

from exercises.autodiff import Function, GraphError, Variable, functions as F


def test_backward_in_generation_order_on_a_diamond():
    # y = (x^2)^2 + (x^2)^2 : a must receive both contributions before its creator runs.
    x = Variable(np.array(2.0))
    a = F.square(x)
    y = F.add(F.square(a), F.square(a))
    y.backward()
    assert float(x.grad) == 64.0


def test_each_function_runs_backward_once_in_generation_order_on_uneven_graphs():
    # Branches of different depths meeting at several points: every function's backward runs
    # once, after every function that uses its output (the bucket queue's contract).
    calls = []

    class Logged(Function):
        def forward(self, x):
            return x * 1.0

        def backward(self, gy):
            calls.append(self)
            return gy

    x = Variable(np.array(1.0))
    a = Logged()(x)
    deep = a
    for _ in range(5):
        deep = Logged()(deep)
    y = Logged()(F.add(F.add(deep, a), Logged()(a)))
    for kwargs in ({}, {"create_graph": True}):
        calls.clear()
        x.cleargrad()
        y.backward(**kwargs)
        assert len(calls) == len(set(calls)) == 8
        order = {f: i for i, f in enumerate(calls)}
        assert all(order[f] > order[g] for f in calls for g in calls if g.generation > f.generation)
        assert float(x.grad.data if kwargs else x.grad) == 3.0


@pytest.mark.parametrize("kwargs", [{}, {"create_graph": True}])
def test_a_creator_set_after_use_is_a_clear_error(kwargs):
    x = Variable(np.array(2.0))
    y = F.square(x)
    later = F.exp(F.exp(Variable(np.array(0.5))))
    x.set_creator(later.creator)  # x was already used by square, at generation 0
    with pytest.raises(GraphError, match="a creator was set"):
        y.backward(**kwargs)
    assert y.creator.generation == 0  # queue marks undone


def test_an_inconsistent_creator_is_an_error_even_when_already_queued():
    x = Variable(np.array(0.5))
    p = F.exp(F.exp(F.exp(x)))
    v = Variable(np.array(0.5))
    y = v * 2
    v.set_creator(p.creator)  # generation 3 feeds y's mul, of generation 0
    for kwargs in ({}, {"create_graph": True}):
        with pytest.raises(GraphError):
            (y + p).backward(**kwargs)


def test_backward_work_follows_the_graph_not_its_generation_numbers():
    import tracemalloc

    h = Variable(np.array(0.5))
    h.generation = 5_000_000  # e.g. a hidden state cut from a long history (h.creator = None)
    y = F.sin(h) + F.sin(Variable(np.array(1.0)))
    tracemalloc.start()
    y.backward()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert float(h.grad) == pytest.approx(np.cos(0.5))
    assert peak < 100_000  # a list as long as the generation number would take 40 MB


def test_backward_after_an_exception_can_run_again():
    class Broken(Function):
        def forward(self, x):
            return x

        def backward(self, gy):
            raise RuntimeError("boom")

    x = Variable(np.array(1.0))
    s = F.sin(x)
    y = Broken()(s)
    with pytest.raises(RuntimeError):
        y.backward()
    assert y.creator.generation == 1 and s.creator.generation == 0  # queue marks undone
    z = F.sin(x) * 2
    z.backward()
    assert float(x.grad) == pytest.approx(2 * np.cos(1.0))

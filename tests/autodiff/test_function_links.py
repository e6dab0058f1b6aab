"""How a Function reaches its inputs and outputs: bare slots read back as tuples, output
weakrefs made at once for called Functions and on first ``y.creator`` for engine-made nodes,
DeZero semantics for reused, partial-held, copied and user-defined Functions."""
import weakref

import numpy as np
import pytest

from exercises.autodiff import Function, Variable, functions as F, no_grad


def test_every_way_to_reach_a_function_finds_its_output_weakref():
    from exercises.autodiff.elementwise import Sin

    x = Variable(np.array(0.3))
    y = F.sin(x) * 2.0 + 1.0  # engine-made inline: the weakrefs are left for later
    node = y._creator
    assert node._outs is None
    assert y.creator.outputs[0]() is y  # reached through its output: weakref made then
    inner = y.creator.inputs[0]
    assert inner.creator.outputs[0]() is inner
    held = Sin()  # held by the caller before the call: weakref at once
    z = held(x)
    assert held._outs is not None and held.outputs[0]() is z
    assert F.exp(x)._creator._outs is not None  # exp's backward reads its output


def test_a_users_function_may_read_self_outputs_in_backward():
    class Cube(Function):  # DeZero style: the output through self.outputs
        def forward(self, x):
            return x ** 3

        def backward(self, gy):
            y = self.outputs[0]()
            x = self.inputs[0].data
            return gy * 3 * y.data / x

    x = Variable(np.array(2.0))
    y = Cube()(x) * 1.0
    for kwargs in ({}, {"create_graph": True}):
        x.cleargrad()
        y.backward(**kwargs)
        assert float(x.grad.data if kwargs else x.grad) == pytest.approx(12.0)


def test_a_function_with_two_outputs_gets_both_gradients():
    class Split(Function):
        def forward(self, x):
            return x * 2, x * 3

        def backward(self, g1, g2):
            return 2 * g1 + 3 * g2

    x = Variable(np.array(1.5))
    a, b = Split()(x)
    y = a * b  # 6 x^2
    for kwargs in ({}, {"create_graph": True}):
        x.cleargrad()
        y.backward(**kwargs)
        assert float(x.grad.data if kwargs else x.grad) == pytest.approx(18.0)
    assert [r() for r in a.creator.outputs] == [a, b]


def test_creator_reads_back_whatever_was_assigned():
    from exercises.autodiff.elementwise import Sin

    y = Variable(np.array(1.0))
    never_called = Sin()
    y.creator = never_called
    assert y.creator is never_called
    with no_grad():
        also_unrecorded = Sin()
        also_unrecorded(y)
    y.creator = also_unrecorded
    assert y.creator is also_unrecorded


def test_replaced_rules_may_read_the_outputs_of_engine_made_nodes():
    from exercises.autodiff import BackwardRules
    from exercises.autodiff.elementwise import Square

    x = Variable(np.array(2.0))
    y = F.square(x)
    rules = BackwardRules({Square: lambda f, gy: gy * 2 * f.outputs[0]().data})  # 2 * y
    y.backward(rules=rules)
    assert float(x.grad) == 8.0


def test_a_copied_variable_leaves_its_creators_output_alone():
    import copy

    x = Variable(np.array(0.5))
    y = F.sin(x)
    twin = copy.copy(y)
    assert twin.creator is y.creator and np.array_equal(twin.data, y.data)
    del twin
    assert y.creator.outputs[0]() is y


def test_functions_called_by_a_partial_or_called_again_keep_dezero_semantics():
    import functools
    from exercises.autodiff.elementwise import Sin, Square

    x = Variable(np.array(0.5))
    call = functools.partial(Sin(), x)
    y = call()
    assert call.func.outputs[0]() is y
    f = Square()  # one Function object, two calls: it keeps the last call's inputs and output
    x1, x2 = Variable(np.array(1.0)), Variable(np.array(2.0))
    y1, y2 = f(x1), f(x2)
    (y1 + y2 * 3).backward()
    assert float(x2.grad) == 12.0 and x1.grad is None


def test_inputs_and_outputs_read_as_tuples_whatever_is_stored():
    x, y = Variable(np.array(2.0)), Variable(np.array(3.0))
    unary, binary = F.sin(x).creator, (x * y).creator
    assert unary.inputs == (x,) and binary.inputs == (x, y)
    assert len(unary.outputs) == 1 and isinstance(unary.outputs[0], weakref.ref)
    f = F.exp(x).creator
    f.inputs = [y]  # DeZero-style code may assign a list
    assert f.inputs == (y,)
    f.inputs = [x, y]
    assert f.inputs == (x, y)


def test_functions_of_one_two_and_three_inputs_get_every_gradient():
    class Sum3(Function):
        def forward(self, a, b, c):
            return a + 2 * b + 3 * c

        def backward(self, gy):
            return gy, 2 * gy, 3 * gy

    a, b, c = (Variable(np.array(v)) for v in (1.0, 2.0, 3.0))
    y = Sum3()(a, F.sin(b), b * c)
    assert y.creator.inputs[0] is a and len(y.creator.inputs) == 3
    for kwargs in ({}, {"create_graph": True}):
        for v in (a, b, c):
            v.cleargrad()
        y.backward(**kwargs)
        grads = [float(v.grad.data if kwargs else v.grad) for v in (a, b, c)]
        assert grads == pytest.approx([1.0, 2 * np.cos(2.0) + 3 * 3.0, 3 * 2.0], rel=1e-15)

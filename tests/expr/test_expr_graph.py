"""to_graph: the expression built in the autodiff engine gives exact gradients."""
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from exercises.autodiff import Variable
from exercises.autodiff import functions as F
from exercises.expr import (
    Call, Const, ExprError, Name, Num, Unary, evaluate, free_names, parse, to_graph,
)

from .expr_trees import trees


def gradients(text, **values):
    inputs = {name: Variable(np.array(value, dtype=float)) for name, value in values.items()}
    output = to_graph(parse(text), inputs)
    output.backward()
    return float(output.data), {name: float(v.grad) for name, v in inputs.items()}


def test_shopping_with_tax_matches_the_textbook():
    value, grads = gradients("(apple*apple_num + orange*orange_num)*tax",
                             apple=100, apple_num=2, orange=150, orange_num=3, tax=1.1)
    assert value == pytest.approx(715.0)
    assert grads == pytest.approx({"apple": 2.2, "apple_num": 110.0, "orange": 3.3,
                                   "orange_num": 165.0, "tax": 650.0})


def test_chain_rule_on_a_squared_sum():
    value, grads = gradients("(x+y)^2", x=1.0, y=2.0)
    assert (value, grads) == (9.0, {"x": 6.0, "y": 6.0})


def test_dezero_step_composite_function():
    value, grads = gradients("exp(x^2)^2", x=0.5)
    assert grads["x"] == pytest.approx(3.297442541400256, rel=1e-14)


@pytest.mark.parametrize("text, x, derivative", [
    ("2x(x+1)^2", 0.5, 7.5),
    ("sigmoid(x)", 0.0, 0.25),
    ("tanh(x)", 0.5, 1 - math.tanh(0.5) ** 2),
    ("relu(x)", 2.0, 1.0),
    ("relu(x)", -2.0, 0.0),
    ("abs(x)", -3.0, -1.0),
    ("sqrt(x)", 4.0, 0.25),
    ("ln(x)", 2.0, 0.5),
    ("sin(x) cos(x)", 0.3, math.cos(0.6)),
    ("tan(x)", 0.3, 1 / math.cos(0.3) ** 2),
    ("x^-1", 2.0, -0.25),
    ("x^2", -1.0, -2.0),
    ("2^x", 3.0, 8 * math.log(2)),
    ("x^x", 2.0, 4 * (math.log(2) + 1)),
    ("e^x", 1.0, math.e),
    ("-x^2", 3.0, -6.0),
    ("+x", 3.0, 1.0),
    ("x/(1+x)", 1.0, 0.25),
    ("x - pi", 1.0, 1.0),
])
def test_local_derivatives(text, x, derivative):
    assert gradients(text, x=x)[1]["x"] == pytest.approx(derivative, rel=1e-14, abs=1e-15)


def test_abs_falls_back_to_two_relus_when_the_engine_has_no_abs(monkeypatch):
    monkeypatch.delattr(F, "abs")
    for x, slope in [(-3.0, -1.0), (2.0, 1.0)]:
        value, grads = gradients("abs(x)", x=x)
        assert (value, grads["x"]) == (abs(x), slope)


def test_nodes_are_named_after_the_expression():
    x = Variable(np.array(0.5))
    output = to_graph(parse("2x(x+1)^2"), {"x": x})
    assert output.name == "2*x*(x + 1)^2"
    assert x.name == "x"
    assert output.creator.inputs[0].name == "2*x"
    assert output.creator.inputs[0].creator.inputs[0].name == "2"


def test_a_named_variable_keeps_its_name():
    w = Variable(np.array(1.0), name="weight")
    to_graph(parse("w^2"), {"w": w})
    assert w.name == "weight"


def test_plain_numbers_in_env_are_wrapped_once_and_shared():
    output = to_graph(parse("x*x"), {"x": 3.0})
    left, right = output.creator.inputs
    assert left is right and left.name == "x"
    assert float(output.data) == 9.0


def test_array_inputs_get_gradients_of_their_own_shape():
    x = Variable(np.array([1.0, 2.0, 3.0]))
    b = Variable(np.array(0.5))
    output = to_graph(parse("sigmoid(x) + b*x"), {"x": x, "b": b})
    F.sum(output).backward()
    s = 1 / (1 + np.exp(-x.data))
    np.testing.assert_allclose(x.grad, s * (1 - s) + 0.5, rtol=1e-14)
    assert b.grad.shape == () and float(b.grad) == pytest.approx(6.0)


def test_a_missing_value_is_an_unknown_name_error():
    with pytest.raises(ExprError) as info:
        to_graph(parse("x + y"), {"x": Variable(np.array(1.0))})
    assert info.value.code == "unknown_name"


def test_a_constant_expression_is_still_a_variable():
    output = to_graph(parse("2 + 3"), {})
    assert isinstance(output, Variable) and float(output.data) == 5.0


# Random trees: numbers kept small so that most trees are defined near the test points.
SMALL = st.floats(min_value=0.1, max_value=3.0)
POINT = st.floats(min_value=-2.0, max_value=2.0).map(lambda v: v if abs(v) > 1e-3 else 0.5)


def one_sided_differences(tree, env, name, h):
    """(backward, forward) difference quotients of ``tree`` in ``name`` at ``env``."""
    def at(offset):
        return float(evaluate(tree, {**env, name: env[name] + offset}))
    centre = at(0.0)
    return (centre - at(-h)) / h, (at(h) - centre) / h


@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much])
@given(trees(names=["x", "y"], max_leaves=8, values=SMALL, name_weight=4), POINT, POINT)
def test_gradients_agree_with_central_differences(tree, x0, y0):
    assume(free_names(tree))
    env = {"x": x0, "y": y0}
    value = float(evaluate(tree, env))
    assume(math.isfinite(value) and abs(value) < 1e6)
    inputs = {"x": Variable(np.array(x0)), "y": Variable(np.array(y0))}
    output = to_graph(tree, inputs)
    with np.errstate(all="ignore"):
        output.backward()
    assert float(output.data) == pytest.approx(value, rel=1e-12)
    for name in ("x", "y"):
        grad = inputs[name].grad
        exact = 0.0 if grad is None else float(grad)
        backward, forward = one_sided_differences(tree, env, name, 1e-6 * max(1.0, abs(env[name])))
        central = (backward + forward) / 2
        # Skip kinks (relu, abs at 0), poles and steep spots, where a difference quotient
        # means little: there the two one-sided quotients disagree.
        assume(math.isfinite(exact) and abs(exact) < 1e4 and math.isfinite(central))
        assume(abs(forward - backward) <= 1e-3 * (1.0 + abs(central)))
        assert exact == pytest.approx(central, rel=1e-4, abs=1e-5)
        event("non-zero gradient" if exact else "zero gradient")


def build_with_operators(node, env):
    """The same expression written with Python operators on Variables and constants.

    Constants are numpy floats: Python floats raise on 0.0**-1 and go complex on (-1)**1.5.
    """
    if isinstance(node, (Num, Const)):
        return np.float64(node.value)
    if isinstance(node, Name):
        return env[node.id]
    if isinstance(node, Unary):
        operand = build_with_operators(node.operand, env)
        return -operand if node.op == "-" else operand
    if isinstance(node, Call):
        return getattr(F, node.func)(build_with_operators(node.arg, env))
    left, right = build_with_operators(node.left, env), build_with_operators(node.right, env)
    ops = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
           "/": lambda a, b: a / b, "^": lambda a, b: a ** b}
    return ops[node.op](left, right)


@settings(max_examples=200)
@given(trees(names=["x", "y"], max_leaves=8, values=SMALL, name_weight=4), POINT, POINT)
def test_gradients_agree_with_the_same_expression_written_with_operators(tree, x0, y0):
    a = {"x": Variable(np.array(x0)), "y": Variable(np.array(y0))}
    b = {"x": Variable(np.array(x0)), "y": Variable(np.array(y0))}
    with np.errstate(all="ignore"):
        ours, theirs = to_graph(tree, a), build_with_operators(tree, b)
        assume(isinstance(theirs, Variable))  # a tree without x or y is a number there
        ours.backward()
        theirs.backward()
    np.testing.assert_allclose(ours.data, theirs.data, rtol=1e-12)
    for name in ("x", "y"):
        assert (a[name].grad is None) == (b[name].grad is None)
        if a[name].grad is not None:
            np.testing.assert_allclose(a[name].grad, b[name].grad, rtol=1e-12)

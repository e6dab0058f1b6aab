"""Numeric values: numpy semantics, vectorised over arrays, no warnings."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exercises.expr import ExprError, evaluate, parse

from .expr_trees import trees


@pytest.mark.parametrize("text, env, expected", [
    ("2x(x+1)^2", {"x": 0.5}, 2 * 0.5 * 1.5**2),
    ("-x^2", {"x": 3.0}, -9.0),
    ("2^-1", {}, 0.5),
    ("x^y^z", {"x": 2.0, "y": 3.0, "z": 2.0}, 512.0),
    ("1/2*x", {"x": 4.0}, 2.0),
    ("(x+y)^2", {"x": 1.0, "y": 2.0}, 9.0),
    ("apple*apple_num*tax", {"apple": 100, "apple_num": 2, "tax": 1.1}, 220.00000000000003),
    ("(apple*apple_num + orange*orange_num)*tax",
     {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1}, 715.0000000000001),
    ("exp(x^2)^2", {"x": 0.5}, math.exp(0.25) ** 2),
    ("ln(e)", {}, 1.0),
    ("sin(pi/6)", {}, math.sin(math.pi / 6)),
    ("cos(x) + tan(x) + tanh(x)", {"x": 0.3}, math.cos(0.3) + math.tan(0.3) + math.tanh(0.3)),
    ("sqrt(x) + abs(-x)", {"x": 4.0}, 6.0),
    ("relu(x) + relu(-x)", {"x": -2.5}, 2.5),
    ("sigmoid(0)", {}, 0.5),
    ("sigmoid(x)", {"x": 2.0}, 1 / (1 + math.exp(-2.0))),
    ("sigmoid(x)", {"x": -2.0}, 1 / (1 + math.exp(2.0))),
])
def test_values_match_the_numpy_reference(text, env, expected):
    value = evaluate(parse(text), env)
    assert isinstance(value, np.float64)
    assert value == pytest.approx(expected, rel=1e-15)


def test_integer_inputs_are_computed_in_floating_point():
    assert evaluate(parse("x^-1"), {"x": 2}) == 0.5
    assert evaluate(parse("x^y"), {"x": np.array([2, 4]), "y": -1}).tolist() == [0.5, 0.25]


def test_sigmoid_is_stable_far_from_zero():
    values = evaluate(parse("sigmoid(x)"), {"x": np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])})
    assert values[0] == 0.0 and values[-1] == 1.0
    assert values[1] == pytest.approx(math.exp(-40.0), rel=1e-12)
    assert values[2] == 0.5


@pytest.mark.parametrize("text, env, check", [
    ("log(x)", {"x": 0.0}, lambda v: v == -np.inf),
    ("log(x)", {"x": -1.0}, np.isnan),
    ("sqrt(x)", {"x": -1.0}, np.isnan),
    ("1/x", {"x": 0.0}, lambda v: v == np.inf),
    ("exp(x)", {"x": 1000.0}, lambda v: v == np.inf),
    ("x^(1/3)", {"x": -8.0}, np.isnan),
    ("relu(x)", {"x": np.nan}, np.isnan),
])
def test_out_of_domain_values_come_back_as_numpy_gives_them_without_warnings(text, env, check):
    assert check(evaluate(parse(text), env))  # pytest turns any RuntimeWarning into an error


def test_evaluation_is_vectorised_and_broadcasts():
    x = np.linspace(-1.0, 1.0, 5)
    y = np.array([[1.0], [2.0]])
    values = evaluate(parse("x*y + sigmoid(x)"), {"x": x, "y": y})
    assert values.shape == (2, 5)
    expected = x * y + 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(values, expected, rtol=1e-15)


def test_a_constant_expression_broadcasts_with_nothing():
    assert evaluate(parse("2 + 3"), {"x": np.zeros(3)}) == 5.0


@given(trees(names=["x", "y"], max_leaves=10),
       st.lists(st.floats(-3, 3), min_size=3, max_size=3),
       st.lists(st.floats(-3, 3), min_size=3, max_size=3))
def test_array_evaluation_equals_elementwise_scalar_evaluation(tree, xs, ys):
    vector = evaluate(tree, {"x": np.array(xs), "y": np.array(ys)})
    for i in range(3):
        scalar = evaluate(tree, {"x": xs[i], "y": ys[i]})
        # SIMD loops may differ from the scalar path in the last bit, hence rtol.
        np.testing.assert_allclose(np.broadcast_to(vector, (3,))[i], scalar, rtol=1e-12)


def test_a_missing_value_is_an_unknown_name_error():
    with pytest.raises(ExprError) as info:
        evaluate(parse("x + y"), {"x": 1.0})
    assert info.value.code == "unknown_name"
    assert info.value.message_ja == "変数 y の値が与えられていません"
    assert info.value.position is None and info.value.caret() == ""

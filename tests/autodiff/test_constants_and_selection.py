"""Operators with ndarray and scalar constants on either side, and DeZero's get_item, max,
min and clip, each checked against numerical differentiation and hand-derived values."""
from __future__ import annotations

import operator

import numpy as np
import pytest

from exercises.autodiff import Variable, functions as F

from test_gradients import assert_grads_agree  # tests/autodiff is on sys.path (rootdir import mode)

X = np.array([[0.5, 1.5, -2.0], [3.0, -0.75, 1.25]])
CONSTANTS = {
    "python float": 1.75,
    "python int": 3,
    "0-d array": np.array(2.5),
    "row array": np.array([1.5, -2.5, 4.0]),
    "full array": np.array([[2.0, 3.0, -1.5], [0.5, 4.0, -3.0]]),
}
OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def _weighted(y):
    return F.sum(y * Variable(np.arange(1.0, 1.0 + y.size).reshape(y.shape)))


@pytest.mark.parametrize("const", sorted(CONSTANTS))
@pytest.mark.parametrize("op", sorted(OPERATORS))
@pytest.mark.parametrize("side", ["variable left", "constant left"])
def test_operator_with_constant_matches_numpy_and_numerical(op, const, side):
    c, fn = CONSTANTS[const], OPERATORS[op]
    apply = (lambda v: fn(v, c)) if side == "variable left" else (lambda v: fn(c, v))
    y = apply(Variable(X.copy()))
    assert isinstance(y, Variable)
    np.testing.assert_array_equal(y.data, apply(X))
    assert_grads_agree(lambda v: _weighted(apply(v)), X)


def test_variable_divided_by_an_ndarray_has_gradient_one_over_c():
    x = Variable(np.array([1.0, 2.0]))
    y = x / np.array([2.0, 4.0])
    F.sum(y).backward()
    np.testing.assert_array_equal(y.data, [0.5, 0.5])
    np.testing.assert_array_equal(x.grad, [0.5, 0.25])


@pytest.mark.parametrize("exponent", [2, 3.0, 0.5])
def test_power_with_constant_exponent(exponent):
    positive = np.abs(X) + 0.5
    assert_grads_agree(lambda v: _weighted(v ** exponent), positive)


@pytest.mark.parametrize("index", [1, (slice(None), 2), (slice(0, 2), slice(1, None)),
                                   ([0, 0, 1], [0, 0, 2]), np.array([1, 0, 1]), Ellipsis])
def test_get_item_gradient_matches_numerical(index):
    assert_grads_agree(lambda v: _weighted(v[index]), X)
    assert_grads_agree(lambda v: _weighted(F.get_item(v, index)), X)


def test_repeated_fancy_indices_add_their_gradients():
    x = Variable(X.copy())
    F.sum(x[[0, 0, 1], [0, 0, 2]]).backward()
    np.testing.assert_array_equal(x.grad, [[2.0, 0, 0], [0, 0, 1.0]])


def test_get_item_second_derivative_through_create_graph():
    x = Variable(np.array([1.0, 2.0, 3.0]))
    y = F.sum(x[1:] ** 3)
    y.backward(create_graph=True)
    np.testing.assert_array_equal(x.grad.data, [0.0, 12.0, 27.0])  # 3x^2 on the picked ones
    gx = x.grad
    x.cleargrad()
    F.sum(gx).backward()
    np.testing.assert_array_equal(x.grad, [0.0, 12.0, 18.0])  # 6x


@pytest.mark.parametrize("fn", [F.max, F.min])
@pytest.mark.parametrize("axis, keepdims", [(None, False), (0, False), (1, True), ((0, 1), False)])
def test_max_min_gradient_matches_numerical(fn, axis, keepdims):
    assert_grads_agree(lambda v: _weighted(fn(v, axis=axis, keepdims=keepdims)), X)


def test_max_sends_the_gradient_to_the_argmax_per_row():
    x = Variable(np.array([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]]))
    y = F.max(x, axis=1)
    F.sum(y * Variable(np.array([10.0, 20.0]))).backward()
    np.testing.assert_array_equal(y.data, [5.0, 6.0])
    np.testing.assert_array_equal(x.grad, [[0, 10.0, 0], [0, 0, 20.0]])


def test_min_of_the_whole_array_picks_one_element():
    x = Variable(np.array([[1.0, 5.0], [-4.0, 2.0]]))
    y = F.min(x)
    y.backward()
    assert float(y.data) == -4.0
    np.testing.assert_array_equal(x.grad, [[0, 0], [1.0, 0]])


def test_clip_passes_the_gradient_only_inside_the_bounds():
    x = Variable(np.array([-2.0, 0.5, 1.0, 3.0]))
    y = F.clip(x, 0.0, 2.0)
    F.sum(y).backward()
    np.testing.assert_array_equal(y.data, [0.0, 0.5, 1.0, 2.0])
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 1.0, 0.0])
    assert_grads_agree(lambda v: _weighted(F.clip(v, -1.0, 1.4)), X)

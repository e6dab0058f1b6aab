"""create_graph=True records the backward pass, so gradients can be differentiated again."""
import numpy as np
import pytest

from exercises.autodiff import Variable, functions as F


def nth_derivative(fn, x0: float, n: int) -> float:
    x = Variable(np.array(x0))
    g = fn(x)
    for _ in range(n):
        x.cleargrad()
        g.backward(create_graph=True)
        g = x.grad
    return float(g.data)


@pytest.mark.parametrize("x0", [-1.3, 0.2, 2.0])
def test_second_derivative_of_sin_is_minus_sin(x0):
    assert nth_derivative(F.sin, x0, 2) == pytest.approx(-np.sin(x0), rel=1e-12)


@pytest.mark.parametrize("x0", [-0.7, 0.3, 1.1])
def test_third_derivative_of_tanh(x0):
    t = np.tanh(x0)
    expected = -2 * (1 - t**2) * (1 - 3 * t**2)  # d3/dx3 tanh = -2 sech^2 (1 - 3 tanh^2)
    assert nth_derivative(F.tanh, x0, 3) == pytest.approx(expected, rel=1e-12)


def test_newtons_method_finds_the_minimum_of_a_quartic():
    # DeZero step 33: y = x^4 - 2x^2, from x = 2 Newton's method converges to 1.
    x = Variable(np.array(2.0))
    for _ in range(10):
        y = x**4 - 2 * x**2
        x.cleargrad()
        y.backward(create_graph=True)
        gx = x.grad
        x.cleargrad()
        gx.backward()
        x.data = x.data - gx.data / x.grad
    assert float(x.data) == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize("fn,second", [
    (F.exp, np.exp), (F.log, lambda x: -1 / x**2), (F.sigmoid, lambda x: (s := 1 / (1 + np.exp(-x))) * (1 - s) * (1 - 2 * s)),
    (F.sqrt, lambda x: -0.25 * x**-1.5), (F.cos, lambda x: -np.cos(x)), (F.tan, lambda x: 2 * np.tan(x) / np.cos(x) ** 2),
    (lambda x: x / (1 + x * x), lambda x: (2 * x**3 - 6 * x) / (1 + x * x) ** 3),
])
def test_second_derivatives_match_hand_derived(fn, second):
    assert nth_derivative(fn, 0.7, 2) == pytest.approx(second(0.7), rel=1e-12)


def test_create_graph_through_matmul_and_sum():
    W = Variable(np.array([[1.0, 2.0], [3.0, 4.0]]))
    x = Variable(np.array([0.5, -1.0]))
    y = F.sum(F.matmul(W, x) ** 2)
    y.backward(create_graph=True)
    gx = x.grad  # 2 W^T W x
    x.cleargrad()
    F.sum(gx).backward()  # d/dx sum(2 W^T W x) = 2 W^T W 1
    WtW = W.data.T @ W.data
    np.testing.assert_allclose(x.grad, 2 * WtW.sum(axis=0), rtol=1e-14)

"""Leaky ReLU, GELU and its tanh approximation: values against math.erf and the formulas
written out, gradients (first and second) against central numerical differentiation."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from exercises.autodiff import Variable, functions as F
from exercises.autodiff.activations_extra import np_erf, np_gelu, np_gelu_tanh
from exercises.numdiff import numerical_grad

FUNCTIONS = {"leaky_relu": lambda x: F.leaky_relu(x), "leaky_relu_0.1": lambda x: F.leaky_relu(x, slope=0.1),
             "gelu": F.gelu, "gelu_tanh": F.gelu_tanh}


def grad_of(fn, a):
    x = Variable(np.array(a, dtype=float))
    y = fn(x)
    y.backward()
    return np.asarray(x.grad)


def numeric(fn, a):
    return numerical_grad(lambda v: np.sum(fn(Variable(v)).data), np.array(a, dtype=float))


def test_erf_is_math_erf_elementwise():
    xs = np.array([-3.0, -0.7, 0.0, 0.2, 1.0, 2.5])
    assert np.array_equal(np_erf(xs), [math.erf(v) for v in xs])
    assert np_erf(np.array(0.5)).shape == ()


def test_leaky_relu_is_dezeros():
    x = Variable(np.array([-2.0, -0.5, 0.0, 1.5]))
    y = F.leaky_relu(x)
    y.backward()
    assert np.allclose(y.data, [-0.4, -0.1, 0.0, 1.5])          # slope 0.2 by default
    assert np.allclose(np.asarray(x.grad), [0.2, 0.2, 0.2, 1.0])       # DeZero's mask x > 0: the slope at 0
    assert np.allclose(F.leaky_relu(Variable(np.array([-3.0, 2.0])), slope=0.01).data, [-0.03, 2.0])
    assert F.leaky_relu(Variable(np.array([-1, 2]))).data.tolist() == [-0.2, 2.0]  # integers are not truncated


def test_gelu_values_by_hand():
    xs = np.array([-1.5, -0.3, 0.5, 1.0, 2.0])
    exact = [v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in xs]
    approx = [0.5 * v * (1 + math.tanh(math.sqrt(2 / math.pi) * (v + 0.044715 * v ** 3))) for v in xs]
    assert np.allclose(F.gelu(Variable(xs)).data, exact, rtol=1e-14)
    assert np.allclose(F.gelu_tanh(Variable(xs)).data, approx, rtol=1e-14)
    assert F.gelu(Variable(np.array(1.0))).data == pytest.approx(0.8413447460685429)   # Φ(1)
    assert F.gelu_tanh(Variable(np.array(1.0))).data == pytest.approx(0.8411919906082768)
    assert np.max(np.abs(np.asarray(exact) - np.asarray(approx))) < 1e-3  # close, but not the same number


def test_gelu_derivative_is_cdf_plus_x_pdf():
    xs = np.array([-1.5, 0.0, 0.5, 2.0])
    cdf = 0.5 * (1 + np_erf(xs / math.sqrt(2)))
    pdf = np.exp(-xs ** 2 / 2) / math.sqrt(2 * math.pi)
    assert np.allclose(grad_of(F.gelu, xs), cdf + xs * pdf, rtol=1e-13)
    assert grad_of(F.gelu, 0.0) == pytest.approx(0.5)
    assert grad_of(F.gelu_tanh, 0.0) == pytest.approx(0.5)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_gradients_agree_with_central_differences(name):
    fn = FUNCTIONS[name]
    a = np.array([[-2.3, -0.7, 0.4], [1.1, 2.9, -0.05]])
    np.testing.assert_allclose(grad_of(fn, a), numeric(fn, a), rtol=1e-6, atol=1e-8)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, array_shapes(max_dims=2, max_side=4), elements=st.floats(-4, 4)),
       st.sampled_from(sorted(FUNCTIONS)))
def test_gradients_agree_on_random_inputs(a, name):
    a = np.where(np.abs(a) < 1e-3, 0.5, a)  # leaky ReLU has a kink at 0
    fn = FUNCTIONS[name]
    np.testing.assert_allclose(grad_of(fn, a), numeric(fn, a), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", ["gelu", "gelu_tanh"])
def test_second_derivatives_by_double_backprop(name):
    fn = FUNCTIONS[name]
    a = np.array([-1.7, -0.2, 0.6, 1.9])
    x = Variable(a.copy())
    fn(x).backward(create_graph=True)
    gx = x.grad
    x.cleargrad()
    F.sum(gx).backward()
    h = 1e-4  # the second central difference (f(x+h) - 2f(x) + f(x-h)) / h²
    value = {"gelu": np_gelu, "gelu_tanh": np_gelu_tanh}[name]
    want = (value(a + h) - 2 * value(a) + value(a - h)) / h ** 2
    np.testing.assert_allclose(x.grad.data, want, rtol=1e-5, atol=1e-6)
    if name == "gelu":  # GELU'' = φ(x)(2 - x²)
        pdf = np.exp(-a ** 2 / 2) / math.sqrt(2 * math.pi)
        np.testing.assert_allclose(x.grad.data, pdf * (2 - a ** 2), rtol=1e-12)

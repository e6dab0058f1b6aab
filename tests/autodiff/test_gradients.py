"""Every function's gradient against central numerical differentiation (random inputs and
shapes) and against values derived by hand."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from exercises.autodiff import Variable, functions as F
from exercises.numdiff import numerical_grad

UNARY = {  # name: (function, domain of the inputs)
    "square": (F.square, (-3, 3)), "exp": (F.exp, (-3, 3)), "log": (F.log, (0.2, 5)),
    "sin": (F.sin, (-3, 3)), "cos": (F.cos, (-3, 3)), "tan": (F.tan, (-1.2, 1.2)),
    "tanh": (F.tanh, (-3, 3)), "sigmoid": (F.sigmoid, (-6, 6)), "sqrt": (F.sqrt, (0.2, 5)),
    "neg": (F.neg, (-3, 3)), "pow3": (lambda x: F.pow(x, 3), (-2, 2)),
    "abs": (F.abs, (0.1, 3)), "relu": (F.relu, (0.1, 3)), "relu_neg": (F.relu, (-3, -0.1)),
    "sum": (F.sum, (-3, 3)), "mean": (F.mean, (-3, 3)),
    "softmax": (lambda x: F.softmax(x) * Variable(np.arange(x.size).reshape(x.shape) + 1.0), (-3, 3)),
    "log_softmax": (lambda x: F.log_softmax(x) * Variable(np.arange(x.size).reshape(x.shape) + 1.0), (-3, 3)),
    "transpose": (lambda x: F.transpose(x) * Variable(np.arange(x.size).reshape(x.shape[::-1]) + 1.0), (-3, 3)),
    "reshape": (lambda x: F.reshape(x, (-1,)) * Variable(np.arange(x.size) + 1.0), (-3, 3)),
}


def engine_grads(fn, *arrays):
    xs = [Variable(a.copy()) for a in arrays]
    y = fn(*xs)
    y.backward()
    return [x.grad for x in xs]


def numeric_grads(fn, *arrays):
    g = numerical_grad(lambda *a: fn(*[Variable(v) for v in a]).data, *arrays)
    return list(g) if isinstance(g, tuple) else [g]


def assert_grads_agree(fn, *arrays):
    for got, want in zip(engine_grads(fn, *arrays), numeric_grads(fn, *arrays)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", sorted(UNARY))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_unary_gradient_matches_numerical(name, data):
    fn, (lo, hi) = UNARY[name]
    x = data.draw(arrays(np.float64, array_shapes(min_dims=1, max_dims=2, max_side=4),
                         elements=st.floats(lo, hi)))
    assert_grads_agree(fn, x)


BINARY = {
    "add": F.add, "sub": F.sub, "mul": F.mul, "div": lambda a, b: a / (b * b + 1),
    "mse": F.mean_squared_error,
}


@pytest.mark.parametrize("name", sorted(BINARY))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_binary_gradient_matches_numerical_with_broadcasting(name, data):
    shape = data.draw(array_shapes(min_dims=1, max_dims=2, max_side=4))
    other = shape if name == "mse" else data.draw(st.sampled_from([shape, shape[-1:], (1,) * len(shape)]))
    a = data.draw(arrays(np.float64, shape, elements=st.floats(-3, 3)))
    b = data.draw(arrays(np.float64, other, elements=st.floats(-3, 3)))
    fn = BINARY[name]
    assert_grads_agree(lambda x, y: F.sum(fn(x, y) * Variable(np.linspace(1, 2, a.size).reshape(shape))), a, b)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 4), k=st.integers(1, 4), m=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_matmul_linear_and_softmax_cross_entropy_match_numerical(n, k, m, seed):
    rng = np.random.default_rng(seed)
    x, W, b = rng.normal(size=(n, k)), rng.normal(size=(k, m)), rng.normal(size=m)
    t = rng.integers(0, m, size=n)
    assert_grads_agree(lambda x, W: F.sum(F.tanh(F.matmul(x, W))), x, W)
    assert_grads_agree(lambda x, W, b: F.softmax_cross_entropy(F.linear(x, W, b), t), x, W, b)
    assert_grads_agree(lambda W, v: F.sum(F.sin(F.matmul(W, v))), W.T.copy(), x[0].copy())


def test_broadcast_to_and_sum_to_are_each_others_gradient():
    x = Variable(np.array([1.0, 2.0, 3.0]))
    y = F.sum(F.broadcast_to(x, (4, 3)) * Variable(np.arange(12.0).reshape(4, 3)))
    y.backward()
    assert np.array_equal(x.grad, [18.0, 22.0, 26.0])
    z = Variable(np.arange(6.0).reshape(2, 3))
    s = F.sum_to(z, (1, 3))
    assert np.array_equal(s.data, [[3.0, 5.0, 7.0]])


# Hand-derived values (seed 002, seed 004, the book).
def test_exp_of_minus_x_squared_at_one_is_minus_0_736():
    x = Variable(np.array(1.0))
    y = F.exp(-F.square(x))
    y.backward()
    assert float(x.grad) == pytest.approx(-2 * np.exp(-1), rel=1e-15)


def test_z_equals_x_plus_y_squared_gives_2_x_plus_y():
    x, y = Variable(3.0), Variable(4.0)
    z = F.square(x + y)
    z.backward()
    assert float(x.grad) == 14.0 and float(y.grad) == 14.0


def test_shopping_graph_in_the_engine_gives_the_seed_numbers():
    apple, apple_num, orange, orange_num, tax = (Variable(v) for v in (100.0, 2.0, 150.0, 3.0, 1.1))
    price = (apple * apple_num + orange * orange_num) * tax
    price.backward()
    got = [float(v) for v in (price.data, apple.grad, apple_num.grad, orange.grad, orange_num.grad, tax.grad)]
    assert got == pytest.approx([715, 2.2, 110, 3.3, 165, 650], rel=1e-15)


def test_sigmoid_and_tanh_derivatives_in_terms_of_the_output():
    x = Variable(np.array([-1.0, 0.0, 2.0]))
    y = F.sigmoid(x)
    F.sum(y).backward()
    np.testing.assert_allclose(x.grad, y.data * (1 - y.data), rtol=1e-15)
    x.cleargrad()
    t = F.tanh(x)
    F.sum(t).backward()
    np.testing.assert_allclose(x.grad, 1 - t.data**2, rtol=1e-15)


def test_softmax_cross_entropy_gradient_is_y_minus_t_over_n():
    x = np.array([[0.3, 2.9, 4.0], [1.0, 0.5, -1.0]])
    t = np.array([2, 0])
    xv = Variable(x)
    F.softmax_cross_entropy(xv, t).backward()
    y = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(xv.grad, (y - np.eye(3)[t]) / 2, rtol=1e-13)

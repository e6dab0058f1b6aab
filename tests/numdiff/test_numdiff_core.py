"""exercises.numdiff without the engine: seed 000 numbers, central vs forward, numerical_grad."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.numdiff import default_tolerances, forward_diff, numerical_diff, numerical_grad


# The seed's own step-1..3 classes, copied verbatim: numerical_diff must accept them.
class SeedVariable:
    def __init__(self, data):
        self.data = data


class SeedFunction:
    def __call__(self, input):
        x = input.data
        y = self.forward(x)
        output = SeedVariable(y)
        return output

    def forward(self, x):
        raise NotImplementedError()


class SeedSquare(SeedFunction):
    def forward(self, x):
        return x**2


class SeedExp(SeedFunction):
    def forward(self, x):
        return np.exp(x)


def seed_f(x):
    A = SeedSquare()
    B = SeedExp()
    C = SeedSquare()
    return C(B(A(x)))


def test_seed_square_prints_exactly(capsys):
    dy = numerical_diff(SeedSquare(), SeedVariable(np.array(2.0)))
    print(dy)
    assert capsys.readouterr().out == "4.000000000004\n"


def test_seed_composite_prints_exactly(capsys):
    dy = numerical_diff(seed_f, SeedVariable(np.array(0.5)))
    print(dy)
    assert capsys.readouterr().out == "3.2974426293330694\n"
    assert repr(float(dy)) == "3.2974426293330694"


def test_plain_numbers_and_arrays():
    assert repr(float(numerical_diff(lambda x: x**2, 2.0))) == "4.000000000004"
    d = numerical_diff(np.exp, np.array([0.0, 1.0]))
    np.testing.assert_allclose(d, np.exp([0.0, 1.0]), rtol=1e-7)
    # numpy arrays have a .data buffer: they must not be mistaken for Variables
    assert isinstance(d, np.ndarray)
    assert isinstance(numerical_diff(np.sin, np.float64(0.0)), np.floating)


def test_forward_diff_seed_style_and_plain():
    assert forward_diff(SeedSquare(), SeedVariable(np.array(2.0))) == pytest.approx(4.0001, abs=1e-9)
    assert forward_diff(lambda x: x**2, 2.0) == pytest.approx(4.0001, abs=1e-9)


@pytest.mark.parametrize(
    "f, df, x",
    [(np.sin, np.cos, 1.0), (np.exp, np.exp, 1.0), (np.tanh, lambda x: 1 - np.tanh(x) ** 2, 0.3),
     (lambda x: x**3, lambda x: 3 * x**2, 2.0)],
)
def test_central_is_second_order_forward_first_order(f, df, x):
    """Halving eps divides the central error by ~4 and the forward error by ~2, and central
    is far more accurate at the same eps (truncation-dominated range of eps)."""
    exact = df(x)
    ce = [abs(numerical_diff(f, x, eps=h) - exact) for h in (1e-2, 5e-3)]
    fe = [abs(forward_diff(f, x, eps=h) - exact) for h in (1e-2, 5e-3)]
    assert ce[0] / ce[1] == pytest.approx(4.0, rel=0.05)
    assert fe[0] / fe[1] == pytest.approx(2.0, rel=0.05)
    assert fe[0] / ce[0] > 50


def test_seed_numbers_error_against_exact():
    # y = x^2 at 2: exact 4. y = exp(x^2)^2 at 0.5: exact 4x exp(2x^2) = 2 e^0.5
    assert abs(numerical_diff(SeedSquare(), SeedVariable(np.array(2.0))) - 4.0) < 1e-11
    exact = 2 * math.exp(0.5)
    assert abs(numerical_diff(seed_f, SeedVariable(np.array(0.5))) - exact) / exact < 1e-7


def test_numerical_grad_array_vs_analytic():
    rng = np.random.default_rng(1)
    W = rng.normal(size=(3, 4))
    x = rng.normal(size=(4, 2))

    def f(W, x):
        return np.sum(np.tanh(W @ x))

    gW, gx = numerical_grad(f, W, x)
    gh = 1 - np.tanh(W @ x) ** 2
    np.testing.assert_allclose(gW, gh @ x.T, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(gx, W.T @ gh, rtol=1e-7, atol=1e-9)
    assert gW.shape == W.shape and gx.shape == x.shape
    # inputs are not modified
    np.testing.assert_array_equal(W, np.random.default_rng(1).normal(size=(3, 4)))


def test_numerical_grad_array_output_is_gradient_of_sum():
    x = np.array([0.1, 0.7, -1.2])
    g = numerical_grad(np.sin, x)  # f returns an array: gradient of sum(sin(x))
    assert isinstance(g, np.ndarray)
    np.testing.assert_allclose(g, np.cos(x), rtol=1e-8)


def test_numerical_grad_forward_method_and_seed_variables():
    x = SeedVariable(np.array([1.0, 2.0]))
    g = numerical_grad(lambda v: SeedVariable(np.sum(v.data**2)), x, method="forward")
    np.testing.assert_allclose(g, [2.0, 4.0], atol=2e-4)
    g = numerical_grad(lambda v: SeedVariable(np.sum(v.data**2)), x)
    np.testing.assert_allclose(g, [2.0, 4.0], rtol=1e-9)


def test_numerical_grad_dtypes_and_scalars():
    g = numerical_grad(lambda x: x * 3, np.array([1, 2]))  # int input -> float64
    assert g.dtype == np.float64
    np.testing.assert_allclose(g, [3.0, 3.0])
    g32 = numerical_grad(lambda x: x * x, np.array([1.0], dtype=np.float32), eps=1e-2)
    assert g32.dtype == np.float32
    assert float(numerical_grad(lambda x: x * x, 3.0)) == pytest.approx(6.0)
    assert numerical_grad(lambda x: x * x, 3.0).shape == ()


def test_numerical_grad_rejects_bad_arguments():
    with pytest.raises(ValueError):
        numerical_grad(np.sin, 1.0, method="backward")
    with pytest.raises(ValueError):
        numerical_grad(np.sin, 1.0, eps=0.0)
    with pytest.raises(TypeError):
        numerical_grad(np.sin)


def test_default_tolerances():
    assert default_tolerances() == (1e-5, 1e-5, 1e-7)
    assert default_tolerances(np.float32) == (1e-5, 1e-3, 1e-5)
    assert default_tolerances(np.int64) == default_tolerances(np.float64)


finite = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(a=finite, b=finite, c=finite, x=finite)
def test_central_difference_exact_for_quadratics(a, b, c, x):
    """The central difference of a quadratic has no truncation error, only rounding."""
    d = numerical_diff(lambda t: a * t * t + b * t + c, x)
    scale = abs(a) * (x * x + 1) + abs(b) * (abs(x) + 1) + abs(c) + 1
    assert abs(d - (2 * a * x + b)) <= 1e-10 * scale


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 5), m=st.integers(1, 5))
def test_numerical_grad_of_linear_map(seed, n, m):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(m, n))
    x = rng.normal(size=n)
    g = numerical_grad(lambda v: A @ v, x)
    np.testing.assert_allclose(g, A.sum(axis=0), rtol=1e-8, atol=1e-9)

"""gradient_check and numerical_diff against the exercises.autodiff engine."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.autodiff import Exp, Function, Square, Variable
from exercises.autodiff import functions as F
from exercises.numdiff import GradientCheckResult, gradient_check, numerical_diff, numerical_grad


def test_seed_000_with_engine_classes(capsys):
    # seed 000 with only its imports changed
    f = Square()
    x = Variable(np.array(2.0))
    dy = numerical_diff(f, x)
    print(dy)

    def g(x):
        A = Square()
        B = Exp()
        C = Square()
        return C(B(A(x)))

    x = Variable(np.array(0.5))
    dy = numerical_diff(g, x)
    print(dy)
    assert capsys.readouterr().out == "4.000000000004\n3.2974426293330694\n"


def test_numerical_diff_is_reexported_by_the_engine():
    import exercises.autodiff as ad

    assert ad.numerical_diff is numerical_diff


def test_numerical_grad_with_engine_variables_builds_no_graph():
    x = Variable(np.array([0.5, -1.0]))
    seen = []

    def f(v):
        y = F.sum(F.sin(v))
        seen.append(y.creator)
        return y

    g = numerical_grad(f, x)
    np.testing.assert_allclose(g, np.cos(x.data), rtol=1e-8)
    assert all(c is None for c in seen)  # evaluated under no_grad
    assert x.grad is None


ENGINE_CASES = {
    "square": (F.square, (-10, 10)),
    "exp": (F.exp, (-5, 5)),
    "log": (F.log, (0.1, 100)),
    "sin": (F.sin, (-10, 10)),
    "cos": (F.cos, (-10, 10)),
    "tan": (F.tan, (-1.3, 1.3)),
    "tanh": (F.tanh, (-5, 5)),
    "sigmoid": (F.sigmoid, (-10, 10)),
    "sqrt": (F.sqrt, (0.1, 100)),
    "x**3/(1+x*x)": (lambda x: x**3 / (1 + x * x), (-10, 10)),
    "seed": (lambda x: F.square(F.exp(F.square(x))), (-1.5, 1.5)),
}


@pytest.mark.parametrize("name", sorted(ENGINE_CASES))
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_gradient_check_ok_on_engine_functions(name, seed):
    fn, (lo, hi) = ENGINE_CASES[name]
    x = np.random.default_rng(seed).uniform(lo, hi, size=4)
    res = gradient_check(fn, x)
    assert res.ok, res.summary()
    assert bool(res) is True


def test_gradient_check_several_inputs_and_matrix_layer():
    rng = np.random.default_rng(0)
    W, x, b = rng.normal(size=(5, 4)), rng.normal(size=(4, 3)), rng.normal(size=(5, 1))
    res = gradient_check(lambda W, x, b: F.tanh(F.matmul(W, x) + b), W, x, b)  # non-scalar output
    assert res.ok, res.summary()
    assert [r.shape for r in res.inputs] == [(5, 4), (4, 3), (5, 1)]
    gh = 1 - np.tanh(W @ x + b) ** 2  # gradient of the sum of the outputs
    np.testing.assert_allclose(res.inputs[0].analytic_grad, gh @ x.T, rtol=1e-12)
    np.testing.assert_allclose(res.inputs[2].analytic_grad, gh.sum(axis=1, keepdims=True), rtol=1e-12)


def test_gradient_check_shopping_example():
    # 100 yen apples x 2, tax 1.1: values in the hundreds, gradients 2.2, 110, 200
    res = gradient_check(lambda a, n, t: a * n * t, 100.0, 2.0, 1.1)
    assert res.ok, res.summary()
    assert [round(r.analytic, 9) for r in res.inputs] == [2.2, 110.0, 200.0]


class WrongSin(Function):
    """sin with a wrong local derivative at one element: cos(x) doubled at index 2."""

    def forward(self, x):
        return np.sin(x)

    def backward(self, gy):
        (x,) = self.input_values(gy)
        g = gy * np.cos(x)
        g[2] *= 2
        return g


class ForgotChainRule(Function):
    """exp whose backward forgets to multiply by gy (a classic misconception)."""

    def forward(self, x):
        return np.exp(x)

    def backward(self, gy):
        (x,) = self.input_values(gy)
        return np.exp(x)


def test_gradient_check_catches_wrong_backward_and_reports_worst_element():
    x = np.array([0.1, 0.4, 0.9, -0.3])
    res = gradient_check(lambda v: WrongSin()(v), x)
    assert isinstance(res, GradientCheckResult)
    assert not res.ok and not bool(res)
    (r,) = res.inputs
    assert not r.ok
    assert r.worst_index == (2,)
    assert r.analytic == pytest.approx(2 * np.cos(0.9), rel=1e-12)
    assert r.numeric == pytest.approx(np.cos(0.9), rel=1e-8)
    assert r.max_abs_error == pytest.approx(np.cos(0.9), rel=1e-6)
    assert r.max_rel_error == pytest.approx(0.5, rel=1e-6)
    assert "MISMATCH" in res.summary() and "(2,)" in res.summary()


def test_gradient_check_catches_missing_gy():
    res = gradient_check(lambda v: 3.0 * ForgotChainRule()(v), np.array([0.5, 1.5]))
    assert not res.ok
    np.testing.assert_allclose(res.inputs[0].numeric_grad, 3 * np.exp([0.5, 1.5]), rtol=1e-8)


def test_gradient_check_leaves_callers_variables_alone():
    x = Variable(np.array([1.0, 2.0]))
    res = gradient_check(lambda v: F.sum(v * v), x)
    assert res.ok
    assert x.grad is None
    np.testing.assert_array_equal(x.data, [1.0, 2.0])


def test_gradient_check_input_not_reached():
    res = gradient_check(lambda a, b: a * 2.0, np.array([1.0]), np.array([5.0]))
    assert res.ok  # d/db is 0 both ways
    assert "no gradient" in res.inputs[1].note


def test_gradient_check_float32_uses_wider_defaults():
    x = np.array([0.3, -0.7, 1.1], dtype=np.float32)
    res = gradient_check(F.tanh, x)
    assert res.ok, res.summary()
    assert (res.rtol, res.atol) == (1e-3, 1e-5)
    res = gradient_check(F.tanh, x.astype(np.float64))
    assert (res.rtol, res.atol, res.eps) == (1e-5, 1e-7, 1e-5)


def test_gradient_check_explicit_tolerances_are_used():
    # off by 1e-3 relative: caught by the defaults, passes a loose explicit rtol
    class Off(Function):
        def forward(self, x):
            return x * x

        def backward(self, gy):
            (x,) = self.input_values(gy)
            return gy * 2 * x * (1 + 1e-3)

    assert not gradient_check(lambda v: Off()(v), np.array([1.5]))
    assert gradient_check(lambda v: Off()(v), np.array([1.5]), rtol=1e-2)


def test_gradient_check_wrong_grad_shape_and_nan_are_mismatches():
    class ForgotShape(Function):
        def forward(self, x):
            return x * 2

        def backward(self, gy):
            return np.sum(gy)  # a scalar for a (2,) input

    class NanGrad(Function):
        def forward(self, x):
            return x * 2

        def backward(self, gy):
            return gy * np.nan

    res = gradient_check(lambda v: ForgotShape()(v), np.array([1.0, 2.0]))
    assert not res.ok and "shape" in res.inputs[0].note
    res = gradient_check(lambda v: NanGrad()(v), np.array([1.0, 2.0]))
    assert not res.ok and res.inputs[0].max_rel_error == float("inf")


def test_gradient_check_exact_zero_passes_with_zero_tolerance():
    assert gradient_check(lambda v: v * 0.0, np.array([1.0]), rtol=0, atol=0).ok


def test_gradient_check_requires_a_variable_output():
    with pytest.raises(TypeError):
        gradient_check(lambda v: 1.0, np.array([1.0]))

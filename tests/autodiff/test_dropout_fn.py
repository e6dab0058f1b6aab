"""F.dropout: DeZero's inverted dropout, its gradient, and test mode."""
from __future__ import annotations

import numpy as np

from exercises.autodiff import Variable, config
from exercises.autodiff import functions as F
from exercises.autodiff.numdiff import numerical_grad


def grad_of(v) -> np.ndarray:
    return np.asarray(getattr(v.grad, "data", v.grad))


def test_training_keeps_units_above_the_ratio_and_scales_them():
    x = Variable(np.array([[1.0, -2.0, 3.0, 4.0]]))
    mask = np.random.default_rng(7).random((1, 4)) > 0.25
    y = F.dropout(x, 0.25, rng=7)
    np.testing.assert_allclose(y.data, x.data * mask / 0.75)
    F.sum(y).backward()
    np.testing.assert_allclose(grad_of(x), mask / 0.75)


def test_its_gradient_agrees_with_central_differences():
    x = np.array([0.5, -1.5, 2.0, 1.0, -0.25])
    weights = np.arange(1.0, 6.0)
    v = Variable(x.copy())
    F.sum(F.dropout(v, 0.4, rng=3) * weights).backward()
    numeric = numerical_grad(lambda a: float(np.sum(F.dropout(Variable(a), 0.4, rng=3).data * weights)), x)
    np.testing.assert_allclose(grad_of(v), numeric, atol=1e-6)


def test_test_mode_passes_the_input_through_and_is_restored():
    x = Variable(np.array([1.0, 2.0, 3.0]))
    with config.test_mode():
        assert F.dropout(x, 0.9) is x
    assert config.train.get() is True
    assert np.count_nonzero(F.dropout(Variable(np.ones(1000)), 0.5, rng=0).data) < 600  # training again

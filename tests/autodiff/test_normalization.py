"""Batch normalization, dropout and layer normalization: by hand, numerically, and against the engine."""
import numpy as np
import pytest

from exercises.autodiff import Variable, functions as F
from exercises.autodiff.numdiff import numerical_grad
from exercises.autodiff.normalization import (
    BN_EPS, BatchNormalization, Dropout, LayerNormalization, batch_norm, layer_norm,
)

rng = np.random.default_rng(0)
X = np.array([[1.0, 2.0], [3.0, 6.0]])


def layer_grads(make, x, dout):
    """dx, dgamma, dbeta from a layer's own backward after a training forward."""
    layer = make()
    layer.forward(x)
    return layer.backward(dout), layer.dgamma, layer.dbeta


def numeric_grads(cls, x, gamma, beta, dout):
    """Central differences of sum(forward(x) * dout) in x, gamma and beta."""
    def loss(x, g, b):
        return cls(g, b).forward(x) * dout
    return numerical_grad(loss, x, gamma, beta, eps=1e-5)


def engine_grads(fn, x, gamma, beta, dout):
    xv, gv, bv = Variable(x), Variable(gamma), Variable(beta)
    F.sum(fn(xv, gv, bv) * Variable(dout)).backward()
    return xv.grad, gv.grad, bv.grad


def assert_all_close(got, want, **tol):
    for a, b in zip(got, want, strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, **tol)


def case(n=5, d=4):
    return rng.normal(size=(n, d)) * 3 + 1, rng.normal(size=d), rng.normal(size=d), rng.normal(size=(n, d))


# ----------------------------------------------------------------------------- batch norm
def test_batch_norm_forward_by_hand():
    layer = BatchNormalization(np.ones(2), np.zeros(2))
    out = layer.forward(X)
    # mean (2, 4), centred [[-1, -2], [1, 2]], variance (1, 4): each column becomes -1, 1
    np.testing.assert_allclose(layer.xc, [[-1, -2], [1, 2]])
    np.testing.assert_allclose(layer.std, np.sqrt([1 + 1e-6, 4 + 1e-6]), rtol=1e-15)
    np.testing.assert_allclose(out, [[-1, -1], [1, 1]], atol=1e-6)
    np.testing.assert_array_equal(out, layer.xn)  # gamma 1, beta 0
    assert out[0, 0] == pytest.approx(-1 / np.sqrt(1 + 10e-7), abs=1e-15)  # the book's 10e-7 = 1e-6
    assert BN_EPS == 1e-6


def test_batch_norm_scales_and_shifts_by_gamma_and_beta():
    out = BatchNormalization(np.array([2.0, 3.0]), np.array([10.0, -1.0])).forward(X)
    np.testing.assert_allclose(out, [[8, -4], [12, 2]], atol=1e-5)


def test_batch_norm_running_statistics_after_one_training_forward():
    layer = BatchNormalization(np.ones(2), np.zeros(2), momentum=0.9)
    layer.forward(X)
    np.testing.assert_allclose(layer.running_mean, [0.2, 0.4])  # 0.9*0 + 0.1*(2, 4)
    np.testing.assert_allclose(layer.running_var, [0.1, 0.4])  # 0.1 * biased var (1, 4)
    layer.forward(X)
    np.testing.assert_allclose(layer.running_mean, [0.38, 0.76])  # 0.9*0.2 + 0.1*2


def test_batch_norm_inference_uses_the_running_statistics():
    layer = BatchNormalization(np.array([2.0, 1.0]), np.array([0.5, 0.0]),
                               running_mean=np.array([1.0, 2.0]), running_var=np.array([4.0, 1.0]))
    out = layer.forward(X, train_flg=False)
    want = np.array([2.0, 1.0]) * (X - [1.0, 2.0]) / np.sqrt(np.array([4.0, 1.0]) + 1e-6) + [0.5, 0.0]
    np.testing.assert_allclose(out, want, rtol=1e-15)
    np.testing.assert_array_equal(layer.running_mean, [1.0, 2.0])  # inference leaves them alone
    np.testing.assert_array_equal(layer.running_var, [4.0, 1.0])
    # one sample at a time gives the same rows: no batch statistics at test time
    np.testing.assert_allclose(layer.forward(X[:1], train_flg=False), want[:1], rtol=1e-15)


def test_batch_norm_backward_matches_central_differences():
    x, gamma, beta, dout = case()
    got = layer_grads(lambda: BatchNormalization(gamma, beta), x, dout)
    assert_all_close(got, numeric_grads(BatchNormalization, x, gamma, beta, dout), rtol=1e-6, atol=1e-8)


def test_batch_norm_backward_matches_the_engine():
    x, gamma, beta, dout = case(n=6, d=3)
    got = layer_grads(lambda: BatchNormalization(gamma, beta), x, dout)
    assert_all_close(got, engine_grads(batch_norm, x, gamma, beta, dout), rtol=1e-9, atol=1e-12)
    layer = BatchNormalization(gamma, beta)
    np.testing.assert_allclose(layer.forward(x), batch_norm(x, gamma, beta).data, rtol=1e-12)


def test_batch_norm_dx_sums_to_zero_over_the_batch():
    # the output does not change when a constant is added to a feature column
    x, gamma, beta, dout = case()
    dx, dgamma, dbeta = layer_grads(lambda: BatchNormalization(gamma, beta), x, dout)
    np.testing.assert_allclose(dx.sum(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(dbeta, dout.sum(axis=0))


def test_batch_norm_flattens_four_axis_input_like_the_book():
    x = rng.normal(size=(3, 2, 2, 2))
    dout = rng.normal(size=x.shape)
    layer = BatchNormalization(np.ones(8), np.zeros(8))
    out = layer.forward(x)
    assert out.shape == x.shape and layer.backward(dout).shape == x.shape
    flat = BatchNormalization(np.ones(8), np.zeros(8))
    np.testing.assert_allclose(out.reshape(3, -1), flat.forward(x.reshape(3, -1)))


# ----------------------------------------------------------------------------- dropout
def test_dropout_training_mask_and_backward():
    x = rng.normal(size=(20, 50))
    layer = Dropout(0.3, rng=np.random.default_rng(1))
    out = layer.forward(x)
    mask = layer.mask
    assert mask.dtype == bool and mask.shape == x.shape
    np.testing.assert_array_equal(out, np.where(mask, x, 0.0))
    assert 0.25 < 1 - mask.mean() < 0.35  # about dropout_ratio of the units are dropped
    dout = rng.normal(size=x.shape)
    np.testing.assert_array_equal(layer.backward(dout), np.where(mask, dout, 0.0))


def test_dropout_mask_is_rand_greater_than_ratio():
    x = np.ones((4, 4))
    out = Dropout(0.5, rng=np.random.default_rng(7)).forward(x)
    np.testing.assert_array_equal(out, np.random.default_rng(7).random(x.shape) > 0.5)


def test_dropout_test_time_scales_instead_of_masking():
    x = np.array([[1.0, -2.0], [4.0, 0.5]])
    layer = Dropout(0.25)
    np.testing.assert_allclose(layer.forward(x, train_flg=False), 0.75 * x)
    assert layer.mask is None  # the book's non-inverted dropout: no mask at test time


def test_dropout_backward_uses_a_mask_set_by_hand():
    layer = Dropout(0.5)
    layer.mask = np.array([[True, False], [False, True]])
    np.testing.assert_array_equal(layer.backward(np.array([[3.0, 4.0], [5.0, 6.0]])), [[3, 0], [0, 6]])
    with pytest.raises(ValueError, match="mask"):
        Dropout().backward(np.ones(2))


# ----------------------------------------------------------------------------- layer norm
def test_layer_norm_forward_by_hand():
    layer = LayerNormalization(np.ones(2), np.zeros(2))
    out = layer.forward(X)
    # rows (1, 2) and (3, 6): means 1.5 and 4.5, variances 0.25 and 2.25: each row becomes (-1, 1)
    np.testing.assert_allclose(layer.xc, [[-0.5, 0.5], [-1.5, 1.5]])
    np.testing.assert_allclose(layer.std, np.sqrt([[0.25 + 1e-7], [2.25 + 1e-7]]), rtol=1e-15)
    np.testing.assert_allclose(out, [[-1, 1], [-1, 1]], atol=1e-6)
    out = LayerNormalization(np.array([2.0, 3.0]), np.array([1.0, 0.0])).forward(X)
    np.testing.assert_allclose(out, [[-1, 3], [-1, 3]], atol=1e-5)


def test_layer_norm_statistics_are_per_sample():
    x, gamma, beta, _ = case()
    out = LayerNormalization(gamma, beta).forward(x)
    one = LayerNormalization(gamma, beta).forward(x[2:3])
    np.testing.assert_allclose(out[2:3], one, rtol=1e-15)  # no dependence on the other samples
    xn = LayerNormalization(np.ones(4), np.zeros(4)).forward(x)
    np.testing.assert_allclose(xn.mean(axis=-1), 0, atol=1e-12)
    np.testing.assert_allclose(xn.var(axis=-1), 1, atol=1e-6)


def test_layer_norm_backward_matches_central_differences():
    x, gamma, beta, dout = case(n=3, d=5)
    got = layer_grads(lambda: LayerNormalization(gamma, beta), x, dout)
    assert_all_close(got, numeric_grads(LayerNormalization, x, gamma, beta, dout), rtol=1e-6, atol=1e-8)


def test_layer_norm_backward_matches_the_engine():
    x, gamma, beta, dout = case(n=4, d=6)
    got = layer_grads(lambda: LayerNormalization(gamma, beta), x, dout)
    assert_all_close(got, engine_grads(layer_norm, x, gamma, beta, dout), rtol=1e-9, atol=1e-12)
    dx = got[0]
    np.testing.assert_allclose(dx.sum(axis=-1), 0, atol=1e-12)  # shifting a row changes nothing
    assert got[1].shape == got[2].shape == (6,)


def test_engine_functions_take_plain_arrays_for_gamma_and_beta():
    x, gamma, beta, dout = case(n=3, d=2)
    for fn, cls in ((batch_norm, BatchNormalization), (layer_norm, LayerNormalization)):
        xv = Variable(x)
        F.sum(fn(xv, gamma, beta) * dout).backward()
        layer = cls(gamma, beta)
        layer.forward(x)
        np.testing.assert_allclose(xv.grad, layer.backward(dout), rtol=1e-9, atol=1e-12)

"""Convolution and pooling: the book's im2col/col2im and layers (cnn_layers.py) against the
engine's Functions (conv.py), both against numerical differentiation, and the book's shapes."""
import numpy as np
import pytest

from exercises.autodiff import ShapeError, Variable, functions as F, numerical_grad
from exercises.autodiff.cnn_layers import col2im, im2col
from exercises.autodiff.conv import col2im_array, im2col_array
from exercises.autodiff.layers import Convolution, Pooling

GEOMETRIES = [(1, 0), (2, 1), (3, 2), (2, 0), (1, 1)]  # (stride, pad)


@pytest.fixture
def rng():
    return np.random.default_rng(7)


def test_the_books_im2col_shapes(rng):
    assert im2col(rng.normal(size=(1, 3, 7, 7)), 5, 5, stride=1, pad=0).shape == (9, 75)
    assert im2col(rng.normal(size=(10, 3, 7, 7)), 5, 5, stride=1, pad=0).shape == (90, 75)
    assert F.im2col(Variable(rng.normal(size=(10, 3, 7, 7))), 5).shape == (90, 75)
    assert F.im2col(Variable(rng.normal(size=(10, 3, 7, 7))), (5, 5), to_matrix=False).shape == (10, 3, 5, 5, 3, 3)


def test_im2col_rows_are_the_patches_in_channel_row_column_order():
    x = np.arange(2 * 2 * 4 * 4, dtype=float).reshape(2, 2, 4, 4)
    col = im2col(x, 2, 3, stride=2, pad=0)  # out 2 x 1 per sample
    assert col.shape == (4, 12)
    assert np.array_equal(col[3], x[1, :, 2:4, 0:3].reshape(-1))  # sample 1, output (1, 0)
    assert np.array_equal(im2col_array(x, (2, 3), 2, 0), col)


@pytest.mark.parametrize("stride, pad", GEOMETRIES)
def test_both_im2cols_agree_and_col2im_is_their_adjoint(rng, stride, pad):
    x = rng.normal(size=(2, 3, 7, 8))
    col = im2col(x, 3, 2, stride, pad)
    assert np.allclose(col, im2col_array(x, (3, 2), stride, pad))
    y = rng.normal(size=col.shape)
    inner = np.sum(col * y)  # <im2col(x), y> == <x, col2im(y)>
    assert np.isclose(inner, np.sum(x * col2im(y, x.shape, 3, 2, stride, pad)))
    assert np.isclose(inner, np.sum(x * col2im_array(y, x.shape, (3, 2), stride, pad)))


def test_col2im_sums_the_overlaps():
    ones = np.ones((4, 9))  # (1*2*2 rows, 1*3*3): a 3x3 filter on a 4x4 input, stride 1
    counts = col2im(ones, (1, 1, 4, 4), 3, 3)[0, 0]
    assert counts.tolist() == [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]]


@pytest.mark.parametrize("stride, pad", GEOMETRIES)
def test_convolution_layer_and_conv2d_agree_forward_and_backward(rng, stride, pad):
    x, W, b = rng.normal(size=(2, 3, 7, 6)), rng.normal(size=(4, 3, 3, 2)), rng.normal(size=4)
    layer = Convolution(W, b, stride, pad)
    out = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx = layer.backward(dout)
    xv, wv, bv = Variable(x), Variable(W), Variable(b)
    y = F.conv2d(xv, wv, bv, stride=stride, pad=pad)
    assert y.shape == out.shape and np.allclose(y.data, out)
    y.grad = dout
    y.backward()
    assert np.allclose(xv.grad, dx) and np.allclose(wv.grad, layer.dW) and np.allclose(bv.grad, layer.db)


def test_convolution_gradients_match_numerical_differentiation(rng):
    x, W, b = rng.normal(size=(2, 2, 5, 4)), rng.normal(size=(3, 2, 2, 3)), rng.normal(size=3)
    layer = Convolution(W, b, stride=2, pad=1)
    dout = rng.normal(size=layer.forward(x).shape)
    dx = layer.backward(dout)

    def loss(xx, ww, bb):
        return np.sum(Convolution(ww, bb, 2, 1).forward(xx) * dout)

    nx, nw, nb = numerical_grad(loss, x, W, b)
    assert np.allclose(dx, nx, atol=1e-6) and np.allclose(layer.dW, nw, atol=1e-6) and np.allclose(layer.db, nb)


def test_conv2d_without_bias_and_with_pairs(rng):
    x, W = rng.normal(size=(1, 2, 6, 5)), rng.normal(size=(2, 2, 3, 2))
    xv, wv = Variable(x), Variable(W)
    y = F.conv2d(xv, wv, stride=(2, 1), pad=(1, 0))
    assert y.shape == (1, 2, 3, 4)
    F.sum(y * y).backward()
    nx, nw = numerical_grad(lambda a, w: np.sum(F.conv2d(a, w, stride=(2, 1), pad=(1, 0)).data ** 2), x, W)
    assert np.allclose(xv.grad, nx, atol=1e-6) and np.allclose(wv.grad, nw, atol=1e-6)


def test_conv2d_gradients_can_be_differentiated_again(rng):
    x, W = rng.normal(size=(1, 1, 4, 4)), rng.normal(size=(1, 1, 2, 2))
    xv, wv = Variable(x), Variable(W)
    y = F.sum(F.conv2d(xv, wv) ** 2)
    y.backward(create_graph=True)
    gx = xv.grad
    wv.cleargrad()
    F.sum(gx * gx).backward()  # d/dW of |dy/dx|^2

    def g2(w):  # |dy/dx|^2 with dy/dx from the book's layer (numerical_grad runs f without a graph)
        layer = Convolution(w, np.zeros(1))
        return float(np.sum(layer.backward(2 * layer.forward(x)) ** 2))

    assert np.allclose(wv.grad.data, numerical_grad(g2, W), atol=1e-5)


@pytest.mark.parametrize("stride, pad", [(2, 0), (1, 0), (2, 1), (3, 1)])
def test_pooling_layer_and_pooling_function_agree(rng, stride, pad):
    x = rng.normal(size=(2, 3, 6, 7))
    layer = Pooling(2, 3, stride, pad)
    out = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx = layer.backward(dout)
    xv = Variable(x)
    y = F.pooling(xv, (2, 3), stride, pad)
    assert np.allclose(y.data, out)
    y.grad = dout
    y.backward()
    assert np.allclose(xv.grad, dx)
    assert np.allclose(dx, numerical_grad(lambda a: np.sum(Pooling(2, 3, stride, pad).forward(a) * dout), x), atol=1e-6)


def test_max_pooling_sends_the_gradient_to_the_maximum_only():
    x = np.array([[1, 5, 2, 0], [3, 4, 8, 1], [0, 2, 1, 1], [7, 1, 3, 9]], dtype=float).reshape(1, 1, 4, 4)
    layer = Pooling(2, 2, stride=2)
    assert layer.forward(x)[0, 0].tolist() == [[5, 8], [7, 9]]
    dx = layer.backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))[0, 0]
    assert dx.tolist() == [[0, 1, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0], [3, 0, 0, 4]]


def test_pooling_gradients_can_be_differentiated_again(rng):
    x = rng.normal(size=(1, 2, 4, 4))
    xv = Variable(x)
    F.sum(F.pooling(xv, 2, 2) ** 3).backward(create_graph=True)
    gx = xv.grad  # 3 max^2 at the maxima
    xv.cleargrad()
    F.sum(gx).backward()
    picked = Pooling(2, 2, 2).forward(x)
    second = Pooling(2, 2, 2)
    second.forward(x)
    assert np.allclose(xv.grad.data, second.backward(6 * picked))


def test_average_pooling_spreads_a_quarter_of_dout(rng):
    x = rng.normal(size=(1, 1, 4, 4))
    xv = Variable(x)
    y = F.average_pooling(xv, 2, 2)
    assert np.allclose(y.data[0, 0], x[0, 0].reshape(2, 2, 2, 2).mean(axis=(1, 3)))
    dout = np.array([[[[4.0, -8.0], [2.0, 1.0]]]])
    y.grad = dout
    y.backward()
    assert np.allclose(xv.grad[0, 0], np.kron(dout[0, 0], np.full((2, 2), 0.25)))


def test_a_kernel_that_does_not_fit_is_a_shape_error(rng):
    with pytest.raises(ShapeError):
        F.conv2d(Variable(rng.normal(size=(1, 1, 3, 3))), Variable(rng.normal(size=(1, 1, 4, 4))))
    with pytest.raises(ShapeError):
        F.conv2d(Variable(rng.normal(size=(1, 2, 3, 3))), Variable(rng.normal(size=(1, 3, 2, 2))))
    with pytest.raises(ShapeError):
        F.im2col(Variable(rng.normal(size=(1, 1, 3, 3))), 2, stride=0)

"""The book's layers agree with the engine."""
import numpy as np

from exercises.autodiff import (
    Affine, AddLayer, MulLayer, Relu, SigmoidLayer, SoftmaxWithLoss, Variable, functions as F,
)

rng = np.random.default_rng(0)


def test_mul_and_add_layers_match_the_engine_on_the_shopping_graph():
    mul_apple, mul_orange, add, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    total = add.forward(mul_apple.forward(100, 2), mul_orange.forward(150, 3))
    price = mul_tax.forward(total, 1.1)
    dtotal, dtax = mul_tax.backward(1)
    d_apple_price, d_orange_price = add.backward(dtotal)
    layer = [*mul_apple.backward(d_apple_price), *mul_orange.backward(d_orange_price), dtax]
    vs = [Variable(float(v)) for v in (100, 2, 150, 3, 1.1)]
    y = (vs[0] * vs[1] + vs[2] * vs[3]) * vs[4]
    y.backward()
    assert price == float(y.data)
    assert layer == [float(v.grad) for v in vs]


def test_relu_layer_masks_like_the_engine_and_leaves_dout_alone():
    x = np.array([[1.0, -0.5], [-2.0, 3.0]])
    dout = np.ones_like(x)
    layer = Relu()
    layer.forward(x)
    dx = layer.backward(dout)
    v = Variable(x)
    F.sum(F.relu(v)).backward()
    assert np.array_equal(dx, v.grad) and np.all(dout == 1)


def test_sigmoid_layer_matches_the_engine():
    x = rng.normal(size=(3, 4))
    dout = rng.normal(size=(3, 4))
    layer = SigmoidLayer()
    layer.forward(x)
    v = Variable(x)
    F.sum(F.sigmoid(v) * Variable(dout)).backward()
    np.testing.assert_allclose(layer.backward(dout), v.grad, rtol=1e-12)


def test_affine_layer_gives_x_transpose_dout_and_the_batch_sum():
    x, W, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    dout = rng.normal(size=(5, 2))
    layer = Affine(W, b)
    layer.forward(x)
    dx = layer.backward(dout)
    xv, Wv, bv = Variable(x), Variable(W), Variable(b)
    F.sum(F.linear(xv, Wv, bv) * Variable(dout)).backward()
    np.testing.assert_allclose(dx, xv.grad, rtol=1e-12)
    np.testing.assert_allclose(layer.dW, Wv.grad, rtol=1e-12)
    np.testing.assert_allclose(layer.db, bv.grad, rtol=1e-12)
    assert layer.dW.shape == W.shape and layer.db.shape == b.shape


def test_softmax_with_loss_matches_engine_for_labels_and_one_hot():
    x = rng.normal(size=(4, 3))
    labels = np.array([0, 2, 1, 2])
    for t in (labels, np.eye(3)[labels]):
        layer = SoftmaxWithLoss()
        loss = layer.forward(x, t)
        v = Variable(x)
        y = F.softmax_cross_entropy(v, labels)
        y.backward()
        assert loss == float(y.data)
        np.testing.assert_allclose(layer.backward(), v.grad, rtol=1e-12)

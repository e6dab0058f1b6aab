"""The book's optimizers (chapter 6): hand-derived steps and the f = x**2/20 + y**2 example."""
import math

import numpy as np
import pytest

from exercises.autodiff import Variable
from exercises.autodiff.optimizers import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop


def steps(opt, gs, w=1.0):
    """Apply ``opt`` to one parameter with the given gradients; the values after each step."""
    params = {"W": np.array(w)}
    out = []
    for g in gs:
        opt.update(params, {"W": np.array(g)})
        out.append(float(params["W"]))
    return out


def f(p):
    return p["x"] ** 2 / 20 + p["y"] ** 2


def engine_grads(p):
    """Gradients of the book's f from the engine's backward pass."""
    x, y = Variable(p["x"]), Variable(p["y"])
    (x**2 / 20 + y**2).backward()
    return {"x": x.grad, "y": y.grad}


def run(opt, n=30):
    """n updates from the book's start (-7, 2); the (x, y) path, start included."""
    p = {"x": np.array(-7.0), "y": np.array(2.0)}
    path = [(-7.0, 2.0)]
    for _ in range(n):
        opt.update(p, engine_grads(p))
        path.append((float(p["x"]), float(p["y"])))
    return p, np.array(path)


# ----------------------------------------------------------------------------- by hand
def test_sgd_step():
    assert steps(SGD(lr=0.1), [2.0]) == [pytest.approx(0.8, abs=1e-15)]


def test_momentum_two_steps():
    # v = -0.1*2 = -0.2, W = 0.8; v = 0.9*(-0.2) - 0.2 = -0.38, W = 0.42
    assert steps(Momentum(lr=0.1, momentum=0.9), [2.0, 2.0]) == pytest.approx([0.8, 0.42], abs=1e-14)


def test_nesterov_two_steps_in_the_books_form():
    # v = -0.2; W = 1 + 0.81*(-0.2) - 1.9*0.1*2 = 0.458
    # v = 0.9*(-0.2) - 0.2 = -0.38; W = 0.458 + 0.81*(-0.38) - 0.38 = -0.2298
    assert steps(Nesterov(lr=0.1, momentum=0.9), [2.0, 2.0]) == pytest.approx([0.458, -0.2298], abs=1e-14)


def test_adagrad_first_step_is_lr_times_sign_then_shrinks():
    w1, w2 = steps(AdaGrad(lr=0.1), [2.0, 2.0])
    assert w1 == pytest.approx(1 - 0.1 * 2 / (2 + 1e-7), abs=1e-15)
    assert w1 == pytest.approx(0.9, abs=1e-8)  # lr * sign(g) up to eps
    assert w2 == pytest.approx(w1 - 0.1 * 2 / math.sqrt(8), abs=1e-7)  # h = 4 + 4


def test_rmsprop_two_steps():
    # h = 0.01*4 = 0.04, W = 1 - 0.1*2/0.2 = 0; h = 0.99*0.04 + 0.01*1 = 0.0496, W = 0.1/sqrt(0.0496)
    w1, w2 = steps(RMSprop(lr=0.1, decay_rate=0.99), [2.0, -1.0])
    assert w1 == pytest.approx(0.0, abs=1e-6)
    assert w2 == pytest.approx(0.1 / math.sqrt(0.0496), abs=1e-6)
    assert w2 == pytest.approx(0.44901, abs=1e-5)


@pytest.mark.parametrize("g", [2.0, -50.0, 0.3])
def test_adam_first_step_is_lr_times_sign_whatever_the_gradient_scale(g):
    # m = 0.1 g, v = 0.001 g^2, lr_t = lr*sqrt(0.001)/0.1: the step is lr * g / |g| up to eps
    (w1,) = steps(Adam(lr=0.001), [g])
    assert w1 == pytest.approx(1 - 0.001 * math.copysign(1, g), abs=1e-7)
    root = math.sqrt(0.001) * abs(g)  # sqrt(v): eps shortens the step by eps / (root + eps)
    assert w1 == pytest.approx(1 - 0.001 * math.copysign(1, g) * root / (root + 1e-7), abs=1e-15)


def test_adam_second_step_by_hand():
    opt = Adam(lr=0.01, beta1=0.9, beta2=0.999)
    w1, w2 = steps(opt, [1.0, 3.0])
    m, v = 0.1 * 0.9 + 0.1 * 3, 0.001 * 0.999 + 0.001 * 9
    lr_t = 0.01 * math.sqrt(1 - 0.999**2) / (1 - 0.9**2)
    assert opt.iter == 2
    assert w2 == pytest.approx(w1 - lr_t * m / (math.sqrt(v) + 1e-7), abs=1e-15)


def test_eps_keyword_is_the_one_used():
    # with eps = 1: AdaGrad's first step is lr * g / (|g| + 1), RMSprop's lr * g / (0.1|g| + 1)
    assert steps(AdaGrad(lr=0.1, eps=1.0), [2.0]) == pytest.approx([1 - 0.1 * 2 / 3])
    assert steps(RMSprop(lr=0.1, eps=1.0), [2.0]) == pytest.approx([1 - 0.1 * 2 / 1.2])
    lr_t, m, v = 0.1 * math.sqrt(0.001) / 0.1, 0.1 * 2, 0.001 * 2**2
    assert steps(Adam(lr=0.1, eps=1.0), [2.0]) == pytest.approx([1 - lr_t * m / (math.sqrt(v) + 1)])


# ----------------------------------------------------------------------------- state
def test_updates_in_place_and_makes_state_lazily_per_key():
    opt = Momentum(lr=0.1)
    assert opt.v is None
    W = np.array([1.0, 2.0])
    params = {"W": W}
    opt.update(params, {"W": np.array([1.0, 1.0])})
    assert params["W"] is W and np.allclose(W, [0.9, 1.9])
    assert set(opt.v) == {"W"} and np.allclose(opt.v["W"], [-0.1, -0.1])
    params["b"] = np.array([0.0])
    opt.update(params, {"W": np.zeros(2), "b": np.array([1.0])})
    assert np.allclose(opt.v["b"], [-0.1])  # a new key starts from zero velocity
    assert np.allclose(opt.v["W"], [-0.09, -0.09])


def test_adam_state_starts_empty():
    opt = Adam()
    assert (opt.m, opt.v, opt.iter) == (None, None, 0)
    steps(opt, [1.0])
    assert opt.iter == 1 and set(opt.m) == set(opt.v) == {"W"}


# ----------------------------------------------------------------------------- ch06 example
# the learning rates of the book's optimizer_compare_naive.py (Nesterov and RMSprop: ours)
BOOK = [(SGD, 0.95), (Momentum, 0.1), (Nesterov, 0.1), (AdaGrad, 1.5), (RMSprop, 0.1), (Adam, 0.3)]


@pytest.mark.parametrize(("cls", "lr"), BOOK, ids=[c.__name__ for c, _ in BOOK])
def test_each_optimizer_descends_on_the_books_function(cls, lr):
    p, _ = run(cls(lr=lr))
    start = f({"x": -7.0, "y": 2.0})
    assert f(p) < start
    assert f(p) < 0.05 * start


def test_sgd_with_lr_095_zigzags_across_the_valley():
    _, path = run(SGD(lr=0.95))
    y = path[:, 1]
    assert np.all(np.sign(y[1:]) == -np.sign(y[:-1]))  # y = -0.9 y every step
    np.testing.assert_allclose(y[1:] / y[:-1], -0.9)
    assert np.all(np.diff(path[:, 0]) > 0)  # while x creeps toward 0 from one side


def test_momentum_travels_farther_along_the_flat_direction_than_sgd():
    _, sgd = run(SGD(lr=0.1))
    _, mom = run(Momentum(lr=0.1))
    assert abs(mom[-1, 0]) < abs(sgd[-1, 0])
    assert mom[:, 1].min() < -1  # the ball overshoots the valley floor


def test_nesterov_overshoots_less_than_momentum():
    _, mom = run(Momentum(lr=0.1))
    _, nag = run(Nesterov(lr=0.1))
    assert nag[:, 1].min() > mom[:, 1].min()


def test_adagrad_and_adam_first_steps_move_each_coordinate_by_lr():
    # gradients are (-0.7, 4): very different scales, the same step length
    _, ada = run(AdaGrad(lr=1.5), n=1)
    _, adam = run(Adam(lr=0.3), n=1)
    np.testing.assert_allclose(ada[1], [-5.5, 0.5], atol=1e-6)
    np.testing.assert_allclose(adam[1], [-6.7, 1.7], atol=1e-6)


def test_adagrad_learning_rate_only_decays():
    opt = AdaGrad(lr=1.5)
    p = {"x": np.array(-7.0), "y": np.array(2.0)}
    hs = []
    for _ in range(10):
        opt.update(p, engine_grads(p))
        hs.append(opt.h["x"].copy())
    assert np.all(np.diff(hs) > 0)  # h grows, so lr / sqrt(h) falls

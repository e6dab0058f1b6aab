"""The book's optimizers (ゼロから作るDeep Learning, chapter 6, ``common/optimizer.py``).

Each ``update(params, grads)`` changes a dict of ndarrays in place, key by key (g = grads[key]):

- SGD:      W -= lr * g
- Momentum: v = momentum * v - lr * g;  W += v
- Nesterov: v = momentum * v - lr * g;  W += momentum**2 * v - (1 + momentum) * lr * g
- AdaGrad:  h += g * g;  W -= lr * g / (sqrt(h) + eps)
- RMSprop:  h = decay_rate * h + (1 - decay_rate) * g * g;  W -= lr * g / (sqrt(h) + eps)
- Adam:     t += 1;  lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t);  m += (1 - beta1) * (g - m);
            v += (1 - beta2) * (g**2 - v);  W -= lr_t * m / (sqrt(v) + eps)

The state (v, h, m) is None until the first update, as in the book, then a dict holding one
zeros array per key, made the first time that key is updated. eps is the book's 1e-7.
"""
from __future__ import annotations

import numpy as np

__all__ = ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"]

State = dict[str, np.ndarray]


def _state(store: State | None, params) -> State:
    """The lazily made state: a float zeros array for every key not seen yet."""
    store = {} if store is None else store
    for key, val in params.items():
        if key not in store:
            store[key] = np.zeros(np.shape(val), dtype=np.result_type(val, 1.0))
    return store


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] -= self.lr * grads[key]


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum = lr, momentum
        self.v: State | None = None

    def update(self, params, grads):
        self.v = v = _state(self.v, params)
        for key in params.keys():
            v[key] = self.momentum * v[key] - self.lr * grads[key]
            params[key] += v[key]


class Nesterov:
    """Nesterov's accelerated gradient as the book writes it (after Bengio et al., 2012)."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum = lr, momentum
        self.v: State | None = None

    def update(self, params, grads):
        self.v = v = _state(self.v, params)
        m = self.momentum
        for key in params.keys():
            v[key] *= m
            v[key] -= self.lr * grads[key]
            params[key] += m * m * v[key]
            params[key] -= (1 + m) * self.lr * grads[key]


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        self.lr, self.eps = lr, eps
        self.h: State | None = None

    def update(self, params, grads):
        self.h = h = _state(self.h, params)
        for key in params.keys():
            h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(h[key]) + self.eps)


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99, eps=1e-7):
        self.lr, self.decay_rate, self.eps = lr, decay_rate, eps
        self.h: State | None = None

    def update(self, params, grads):
        self.h = h = _state(self.h, params)
        for key in params.keys():
            h[key] *= self.decay_rate
            h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(h[key]) + self.eps)


class Adam:
    """Adam (Kingma and Ba, 2015) in the book's form: the bias correction is folded into lr_t."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.iter = 0
        self.m: State | None = None
        self.v: State | None = None

    def update(self, params, grads):
        self.m = m = _state(self.m, params)
        self.v = v = _state(self.v, params)
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params.keys():
            m[key] += (1 - self.beta1) * (grads[key] - m[key])
            v[key] += (1 - self.beta2) * (grads[key] ** 2 - v[key])
            params[key] -= lr_t * m[key] / (np.sqrt(v[key]) + self.eps)

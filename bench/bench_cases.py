"""The graphs the autodiff benchmark times (bench/autodiff_bench.py): each case returns
(make leaves, forward, check, number of nodes) for one engine adapter (bench_engines.py)."""
from __future__ import annotations

import math

C_ODD, C_EVEN, D = 1.25, 0.8, 0.01  # chain step: y = y * c + d, c alternating: |y| stays ~1

# --------------------------------------------------------------------------- the cases
# Each case builds its leaves (untimed), then forward/backward/teardown are timed.
# It returns a dict: ops (graph nodes made by operations), leaves, check (grad error).


def _pairwise_sum(terms):
    while len(terms) > 1:
        nxt = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
        if len(terms) % 2:
            nxt.append(terms[-1])
        terms = nxt
    return terms[0]


def case_chain(eng, n):
    """n scalar ops: n/2 steps of y = y * c + d (mul then add), depth n."""
    def leaves():
        return (eng.leaf(0.5),)

    def forward(x):
        y = x
        for i in range(n // 2):
            y = y * (C_ODD if i & 1 == 0 else C_EVEN) + D
        return y

    def check(x):
        # dy/dx = product of the k factors c, multiplied in backward's order (last step first)
        expected = 1.0
        for i in reversed(range(n // 2)):
            expected *= C_ODD if i & 1 == 0 else C_EVEN
        return abs(eng.grad(x) - expected) / abs(expected)

    return leaves, forward, check, n // 2 * 2


def case_wide_chain(eng, n):
    """sum_i a_i*b_i as a chain of adds: n products, n-1 adds, depth n."""
    def leaves():
        a = [eng.leaf((i % 7 + 1) / 7) for i in range(n)]
        b = [eng.leaf((i % 5 + 1) / 5) for i in range(n)]
        return a, b

    def forward(a, b):
        s = a[0] * b[0]
        for i in range(1, n):
            s = s + a[i] * b[i]
        return s

    def check(a, b):
        return max(abs(eng.grad(a[i]) - (i % 5 + 1) / 5) for i in range(0, n, max(1, n // 100)))

    return leaves, forward, check, 2 * n - 1


def case_wide_tree(eng, n):
    """sum_i a_i*b_i with a balanced tree of adds: n products, n-1 adds, depth ~log2 n."""
    leaves, _, check, ops = case_wide_chain(eng, n)

    def forward(a, b):
        return _pairwise_sum([a[i] * b[i] for i in range(n)])

    return leaves, forward, check, ops


def case_reuse(eng, n):
    """One variable used n times: sum_i x * c_i (tree of adds). dL/dx = sum c_i."""
    cs = [(i % 10 + 1) / 10 for i in range(n)]

    def leaves():
        return (eng.leaf(0.7),)

    def forward(x):
        return _pairwise_sum([x * c for c in cs])

    def check(x):
        return abs(eng.grad(x) - math.fsum(cs)) / math.fsum(cs)

    return leaves, forward, check, 2 * n - 1


CASES = {
    "chain": case_chain,
    "wide_chain": case_wide_chain,
    "wide_tree": case_wide_tree,
    "reuse": case_reuse,
}


def case_layer(eng, n, batch):
    """loss = sum(tanh(W @ x + b)), W (n, n), x (n, batch), b (n, 1), float64."""
    import numpy as np

    rng = np.random.default_rng(0)
    W0 = rng.normal(size=(n, n)) / math.sqrt(n)
    x0 = rng.normal(size=(n, batch))
    b0 = rng.normal(size=(n, 1))
    h = np.tanh(W0 @ x0 + b0)
    gh = 1.0 - h * h
    expected = (gh @ x0.T, W0.T @ gh, gh.sum(axis=1, keepdims=True))

    def leaves():
        return eng.array_leaf(W0.copy()), eng.array_leaf(x0.copy()), eng.array_leaf(b0.copy())

    def forward(W, x, b):
        return eng.layer(W, x, b)

    def check(W, x, b):
        errs = []
        for v, e in zip((W, x, b), expected):
            g = eng.array_grad(v)
            errs.append(float(np.max(np.abs(g - e)) / np.max(np.abs(e))))
        return max(errs)

    return leaves, forward, check, 5  # matmul, add, tanh, sum (+ broadcast): a handful of nodes


def correctness(ours):
    """Gradients of a few graphs from our engine vs PyTorch in float64."""
    import numpy as np
    import torch

    torch.set_num_threads(1)
    F = ours.F
    V = ours.Variable
    T = lambda a: torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True)  # noqa: E731
    rng = np.random.default_rng(42)
    res = []

    def compare(name, ours_fn, torch_fn, *arrays):
        vs = [V(np.array(a, dtype=np.float64)) for a in arrays]
        y = ours_fn(*vs)
        y.backward()
        ts = [T(a) for a in arrays]
        z = torch_fn(*ts)
        z.backward()
        worst = 0.0
        for v, t in zip(vs, ts):
            a, b = np.asarray(v.grad, dtype=np.float64), t.grad.numpy()
            denom = np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-300)
            worst = max(worst, float(np.max(np.abs(a - b) / denom)))
        res.append({"graph": name, "max_rel_diff": worst,
                    "value_rel_diff": abs(float(y.data) - z.item()) / max(abs(z.item()), 1e-300)})

    compare("seed: exp(x^2)^2 at 0.5", lambda x: F.square(F.exp(F.square(x))),
            lambda x: torch.square(torch.exp(torch.square(x))), 0.5)

    def mix_o(x):
        y = x
        for _ in range(300):
            y = F.sin(y) * 1.3 + x * 0.05
        return y

    def mix_t(x):
        y = x
        for _ in range(300):
            y = torch.sin(y) * 1.3 + x * 0.05
        return y

    compare("1200-op chain sin(y)*1.3 + 0.05x (x reused 300x)", mix_o, mix_t, 0.3)
    W, x, b = rng.normal(size=(64, 32)) / 6, rng.normal(size=(32, 16)), rng.normal(size=(64, 1))
    compare("sum(tanh(W@x+b)), W 64x32, x 32x16, b 64x1",
            lambda W, x, b: F.sum(F.tanh(F.matmul(W, x) + b)),
            lambda W, x, b: torch.sum(torch.tanh(W @ x + b)), W, x, b)
    u = rng.uniform(0.5, 2.0, size=(10,))
    compare("sum(x/(1+exp(-x)) + log(1+x**2) - x**3/7), x in R^10",
            lambda x: F.sum(x / (1 + F.exp(-x)) + F.log(1 + x**2) - x**3 / 7),
            lambda x: torch.sum(x / (1 + torch.exp(-x)) + torch.log(1 + x**2) - x**3 / 7), u)
    logits, labels = rng.normal(scale=2, size=(8, 5)), rng.integers(0, 5, size=8)
    compare("softmax_cross_entropy, 8x5 logits",
            lambda z: F.softmax_cross_entropy(z, labels),
            lambda z: -torch.log_softmax(z, dim=1)[torch.arange(8), torch.tensor(labels)].mean(), logits)
    p, q = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    compare("mean_squared_error 6x3 (sum/N)", lambda p, q: F.mean_squared_error(p, q),
            lambda p, q: ((p - q) ** 2).sum() / 6, p, q)
    return res

"""Adapters that give every engine of the benchmark the same small face.

The benchmark cases are written once with Python operators (``y * c + d`` with Python float
constants), which all engines support; an adapter only says how to make a leaf, run
backward, read a gradient, and (for engines with tensors) build the tanh layer.
Each adapter imports its engine lazily: one benchmark worker process imports one engine.
"""
from __future__ import annotations

import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Engine:
    name = "?"
    tensors = False  # can run the matrix layer
    weakrefs = True  # graph nodes are Python objects we can weakref

    def load(self) -> str:
        """Import the engine; return its version string."""
        raise NotImplementedError

    def leaf(self, v: float):
        raise NotImplementedError

    def sin(self, a):
        raise NotImplementedError

    def backward(self, y) -> None:
        y.backward()

    def grad(self, x) -> float:
        raise NotImplementedError

    # matrix layer: loss = sum(tanh(W @ x + b))
    def array_leaf(self, a: np.ndarray):
        raise NotImplementedError

    def layer(self, W, x, b):
        raise NotImplementedError

    def array_grad(self, v) -> np.ndarray:
        raise NotImplementedError


class DeZeroStyle(Engine):
    """Engines with DeZero's face (ours and DeZero): Variable, F.sin, F.tanh, F.matmul; a grad
    that is an array (ours) or a Variable (DeZero)."""
    tensors = True

    def leaf(self, v):
        return self.Variable(np.array(v))

    def sin(self, a):
        return self.F.sin(a)

    def tanh(self, a):
        return self.F.tanh(a)

    def grad(self, x):
        return float(_plain(x.grad))

    def array_leaf(self, a):
        return self.Variable(a)

    def layer(self, W, x, b):
        F = self.F
        return F.sum(F.tanh(F.matmul(W, x) + b))

    def array_grad(self, v):
        return np.asarray(_plain(v.grad))


def _plain(g):
    return g.data if hasattr(g, "creator") else g


class Ours(DeZeroStyle):
    name = "ours"

    def load(self):
        if ROOT not in sys.path:
            sys.path.insert(0, ROOT)
        from exercises.autodiff import Variable
        from exercises.autodiff import functions as F

        self.Variable, self.F = Variable, F
        import subprocess

        try:
            out = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                 capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        return f"exercises.autodiff @ {out or 'working tree'}"


class DeZero(DeZeroStyle):
    name = "dezero"

    def load(self):
        np.int = int  # DeZero 0.0.13 uses np.int, removed in numpy 1.24
        import dezero  # noqa: F401  (installs the operators on Variable)
        import dezero.functions as F
        from dezero import Variable

        self.Variable, self.F = Variable, F
        from importlib.metadata import version

        return f"dezero {version('dezero')}"


class Micrograd(Engine):
    name = "micrograd"

    def load(self):
        from micrograd.engine import Value

        self.Value = Value
        from importlib.metadata import version

        return f"micrograd {version('micrograd')}"

    def leaf(self, v):
        return self.Value(v)

    def sin(self, a):
        raise NotImplementedError("micrograd has no sin")

    def grad(self, x):
        return float(x.grad)


class Torch(Engine):
    name = "torch"
    tensors = True
    weakrefs = False  # the autograd graph lives in C++

    def load(self):
        import torch

        torch.set_num_threads(1)
        self.torch = torch
        return f"torch {torch.__version__} (float64, 1 thread)"

    def leaf(self, v):
        return self.torch.tensor(v, dtype=self.torch.float64, requires_grad=True)

    def sin(self, a):
        return self.torch.sin(a)

    def tanh(self, a):
        return self.torch.tanh(a)

    def grad(self, x):
        return float(x.grad)

    def array_leaf(self, a):
        return self.torch.tensor(a, dtype=self.torch.float64, requires_grad=True)

    def layer(self, W, x, b):
        t = self.torch
        return t.sum(t.tanh(t.matmul(W, x) + b))

    def array_grad(self, v):
        return v.grad.numpy()


class Reference(Engine):
    name = "ref (40 lines)"

    def load(self):
        here = os.path.dirname(os.path.abspath(__file__))
        if here not in sys.path:
            sys.path.insert(0, here)
        from refengine import Ref

        self.Ref = Ref
        return "bench/refengine.py, pure Python floats"

    def leaf(self, v):
        return self.Ref(float(v))

    def sin(self, a):
        return a.sin()

    def tanh(self, a):
        return a.tanh()

    def grad(self, x):
        return x.g


class Numpy(Engine):
    """Hand-written numpy forward and backward of the layer: the floor for the layer case."""

    name = "numpy (by hand)"
    tensors = True
    weakrefs = False

    def load(self):
        return f"numpy {np.__version__}"

    def array_leaf(self, a):
        return {"value": a, "grad": None}

    def layer(self, W, x, b):
        h = W["value"] @ x["value"] + b["value"]
        y = np.tanh(h)
        return {"loss": y.sum(), "y": y, "W": W, "x": x, "b": b}

    def backward(self, out):
        y, W, x, b = out["y"], out["W"], out["x"], out["b"]
        gh = 1.0 - y * y  # d sum(tanh(h)) / dh, with the output gradient of ones
        W["grad"] = gh @ x["value"].T
        x["grad"] = W["value"].T @ gh
        b["grad"] = gh.sum(axis=1, keepdims=True)

    def array_grad(self, v):
        return v["grad"]


ENGINES = {
    "ours": Ours,
    "dezero": DeZero,
    "micrograd": Micrograd,
    "torch": Torch,
    "ref": Reference,
    "numpy": Numpy,
}

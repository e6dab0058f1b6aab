"""Variable and Function: the define-by-run core, in DeZero's names.

A Function holds its inputs strongly and its outputs through weakrefs, and a Variable holds
its creator strongly, so a finished graph has no reference cycles and is freed by reference
counting alone. The backward loop is ``Variable.backward`` below (``_walk``).

The speed tricks live in two modules the core calls, each documented there: recording.py
(how a node stores its inputs and outputs, recorded without DeZero's per-node lists and
weakrefs) and fastpath.py (the same backward walk written out for speed, a bucket queue).
"""
from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import numpy as np

from .config import enable_backprop, no_grad
from .errors import NotANumberError
from .fastpath import Pending, fast_backward, grad_or_zeros, out_of_order, outputs_of, paused_gc
from .recording import NodeStorage, creator_of

__all__ = ["Function", "Variable", "as_array", "as_variable", "no_grad"]
_NUMERIC_KINDS = frozenset("biuf")


def as_array(x) -> np.ndarray:
    """Accept Python numbers, numpy scalars and arrays of real numbers; refuse the rest."""
    if type(x) is not np.ndarray:
        if isinstance(x, (str, bytes)) or x is None:
            raise NotANumberError(f"not a number: {x!r} ({type(x).__name__})")
        try:
            x = np.asarray(x)
        except (TypeError, ValueError) as exc:
            raise NotANumberError(f"not a number: {x!r} ({type(x).__name__})") from exc
    if x.dtype.kind not in _NUMERIC_KINDS:
        raise NotANumberError(f"not an array of real numbers: dtype {x.dtype}")
    if x.dtype.kind == "b":
        x = x.astype(np.float64)
    return x


class Variable:
    """A value in the graph: ``data`` (ndarray), ``grad``, ``creator``, ``name``, ``generation``."""

    __slots__ = ("data", "grad", "_creator", "name", "generation", "__weakref__")
    __array_ufunc__ = None  # numpy defers to our reflected operators: ndarray * Variable works
    data: np.ndarray
    grad: Any  # None, an ndarray, or a Variable when the backward pass was recorded
    _creator: Function | None
    name: str | None
    generation: int

    def __init__(self, data, name: str | None = None):
        if isinstance(data, Variable):
            data = data.data
        self.data = as_array(data)
        self.name = name
        self.grad = None
        self._creator = None
        self.generation = 0

    @property
    def creator(self) -> Function | None:
        """The Function that made this variable (None for a leaf)."""
        return creator_of(self)  # an engine-made creator gets its output weakref here

    @creator.setter
    def creator(self, func: Function | None) -> None:
        self._creator = func

    def __copy__(self):
        """A second Variable on the same values and creator; the creator's output stays this one."""
        _ = self.creator  # an engine-made creator takes this variable as its output first
        twin = Variable.__new__(Variable)
        for name in ("data", "grad", "_creator", "name", "generation"):
            setattr(twin, name, getattr(self, name))
        return twin

    @property
    def shape(self):
        return self.data.shape

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def size(self):
        return self.data.size

    @property
    def dtype(self):
        return self.data.dtype

    def __len__(self):
        return len(self.data)

    def __repr__(self):
        body = str(self.data).replace("\n", "\n" + " " * 9)
        return f"variable({body})"

    def __format__(self, spec):
        return format(self.data, spec)

    def __float__(self):
        return float(self.data)

    def set_creator(self, func: Function) -> None:
        self._creator = func
        self.generation = func.generation + 1

    def cleargrad(self) -> None:
        self.grad = None

    def backward(self, retain_grad: bool = False, create_graph: bool = False, rules=None):
        """Fill ``grad`` of every variable this one depends on (d self / d var).

        ``retain_grad=False`` frees the gradients of intermediate variables as soon as they
        have been used. ``create_graph=True`` records the backward pass itself, so the
        gradients are Variables that can be differentiated again. ``rules`` (see
        ``rules.BackwardRules``) replaces the local backward rules: the grader uses it to
        compute the answers that known misconceptions produce.
        """
        if self.grad is None:
            ones = np.ones_like(self.data)
            self.grad = Variable(ones) if create_graph else ones
        first = self._creator
        if first is None:
            return
        token = enable_backprop.set(create_graph)
        try:
            with paused_gc():
                if create_graph or rules is not None:
                    _walk(self, first, retain_grad, create_graph, rules)
                else:
                    fast_backward(self, retain_grad)  # the same walk, written out for speed
        finally:
            enable_backprop.reset(token)

    # Operators are installed by ``operators.install`` to keep this module about the graph;
    # these declarations tell the type checker they exist.
    if TYPE_CHECKING:
        def __add__(self, other: Any) -> Variable: ...
        def __radd__(self, other: Any) -> Variable: ...
        def __sub__(self, other: Any) -> Variable: ...
        def __rsub__(self, other: Any) -> Variable: ...
        def __mul__(self, other: Any) -> Variable: ...
        def __rmul__(self, other: Any) -> Variable: ...
        def __truediv__(self, other: Any) -> Variable: ...
        def __rtruediv__(self, other: Any) -> Variable: ...
        def __neg__(self) -> Variable: ...
        def __pos__(self) -> Variable: ...
        def __getitem__(self, index: Any) -> Variable: ...
        def __pow__(self, other: Any) -> Variable: ...
        def __rpow__(self, other: Any) -> Variable: ...
        def __matmul__(self, other: Any) -> Variable: ...
        def __rmatmul__(self, other: Any) -> Variable: ...


def as_variable(x) -> Variable:
    return x if isinstance(x, Variable) else Variable(x)


class Function(NodeStorage):
    """An operation: ``forward`` and ``backward`` work on ndarrays (Variables when the
    backward pass is being recorded); ``__call__`` records inputs, outputs and generation.
    How a node stores them, and the engine's own inline recording (``_node``), are in
    recording.py; ``inputs`` and ``outputs`` read as in DeZero."""

    __slots__ = ()
    op: str | None = None  # short name shown in traces; defaults to the class name in lower case
    variable_type = Variable

    def __call__(self, *inputs):
        """Record the node with its output weakref: the caller may hold this Function and
        read ``outputs``."""
        y = self._node(*inputs)
        if type(y) is Variable and y._creator is self and self._outs is None:
            self._outs = weakref.ref(y)
        return y

    @staticmethod
    def as_variables(inputs) -> tuple:
        return tuple([as_variable(x) for x in inputs])

    def forward(self, *xs):
        raise NotImplementedError()

    def backward(self, *gys):
        raise NotImplementedError()

    def op_name(self) -> str:
        return self.op or type(self).__name__.lower()

    def input_values(self, gy):
        """The inputs in the same kind as ``gy``: ndarrays normally, Variables when the
        backward pass is recorded (``create_graph=True``) so it can be differentiated."""
        if isinstance(gy, Variable):
            return self.inputs
        return [x.data for x in self.inputs]

    def output_value(self, gy, index: int = 0):
        y = self.outputs[index]()
        return y if isinstance(gy, Variable) else y.data


def _walk(root: Variable, first: Function, retain_grad: bool, create_graph: bool, rules) -> None:
    """DeZero's backward loop: take the function of the highest generation waiting, run its
    backward, add the gradients into its inputs and queue their creators."""
    waiting = Pending(root, first.generation)
    seen = {first}

    def add_func(x: Variable, f: Function, user: Function) -> None:
        if f.generation >= user.generation:
            raise out_of_order(f, user)
        if f not in seen:
            seen.add(f)
            waiting.push(x, f.generation)

    for out in waiting:
        f = out._creator
        if f._outs is None:  # replaced rules may read f.outputs: give it its weakref now
            f._outs = weakref.ref(out)
        ys = outputs_of(f, out)
        _backward_one(f, ys, create_graph, rules, retain_grad, add_func)
        if not retain_grad:
            for y in ys:
                y.grad = None


def _backward_one(f: Function, ys, create_graph: bool, rules, retain_grad: bool, add_func) -> None:
    gys = [grad_or_zeros(y) for y in ys]
    if create_graph:
        gys = [as_variable(gy) for gy in gys]
    gxs = f.backward(*gys) if rules is None else rules.backward(f, gys)
    if type(gxs) is not tuple:
        gxs = (gxs,)
    for x, gx in zip(f.inputs, gxs):
        if gx is None:
            continue
        if (retain_grad or x._creator is None) and type(gx) is not np.ndarray \
                and not isinstance(gx, Variable):
            gx = np.asarray(gx)
        if x.grad is None:
            x.grad = gx
        elif rules is None:
            x.grad = x.grad + gx
        else:
            x.grad = rules.accumulate(x.grad, gx)
        if x._creator is not None:
            add_func(x, x._creator, f)

"""Variable and Function: the define-by-run core, in DeZero's names.

A Function holds its inputs strongly and its outputs through weakrefs, and a Variable holds
its creator strongly, so a finished graph has no reference cycles and is freed by reference
counting alone. A node the engine makes inline (``x * 0.9``, ``F.sin(x)``) can only be reached
through its output's ``creator``, so that is where its output weakref is made, on first
access: most nodes of a large graph never need one (see ``Function.__call__``). The backward
loop is ``Variable.backward`` below; its written-out fast version is in fastpath.py.
"""
from __future__ import annotations

import contextlib
import contextvars
import weakref
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from .errors import GraphError, NotANumberError, ShapeError
from .fastpath import Pending, fast_backward, grad_or_zeros, out_of_order, outputs_of, paused_gc

_enable_backprop = contextvars.ContextVar("enable_backprop", default=True)
_NUMERIC_KINDS = frozenset("biuf")


@contextlib.contextmanager
def no_grad():
    """Compute without recording the graph (inference, parameter updates)."""
    token = _enable_backprop.set(False)
    try:
        yield
    finally:
        _enable_backprop.reset(token)


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
        f = self._creator
        if getattr(f, "_outs", False) is None:  # an engine-made node: its weakref on first sight
            cast(Function, f)._outs = weakref.ref(self)
        return f

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
        token = _enable_backprop.set(create_graph)
        try:
            with paused_gc():
                if create_graph or rules is not None:
                    _walk(self, first, retain_grad, create_graph, rules)
                else:
                    fast_backward(self, retain_grad)  # the same walk, written out for speed
        finally:
            _enable_backprop.reset(token)

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


_new_variable = object.__new__


def _output(y: np.ndarray) -> Variable:
    """A Variable around a forward result, skipping the checks user input needs."""
    if type(y) is not np.ndarray:
        y = np.asarray(y)
    v = Variable.__new__(Variable)
    v.data = y
    v.grad = None
    v.name = None
    return v


def as_variable(x) -> Variable:
    return x if isinstance(x, Variable) else Variable(x)


class Function:
    """An operation: ``forward`` and ``backward`` work on ndarrays (Variables when the
    backward pass is being recorded); ``__call__`` records inputs, outputs and generation."""

    # One or two inputs (nearly every node) are kept bare in ``_ins`` and ``_in2``, and one
    # output bare in ``_outs``: no tuple object a node, which matters for memory and for the
    # cycle collector, whose full collections traverse every live object of a big graph.
    # ``_ins`` holds a tuple only for three or more inputs.
    __slots__ = ("_ins", "_in2", "_outs", "generation", "__dict__")
    _ins: Any  # the one input Variable, the first of two, or a tuple of three or more
    _in2: Variable | None
    _outs: weakref.ref[Variable] | tuple[weakref.ref[Variable], ...] | None
    generation: int
    op: str | None = None  # short name shown in traces; defaults to the class name in lower case
    needs_output = False  # True when backward reads its output (output_value): weakref at once

    def __call__(self, *inputs):
        """Record the node with its output weakref: the caller may hold this Function and
        read ``outputs``. (The engine's own inline calls use ``_node``.)"""
        y = self._node(*inputs)
        if type(y) is Variable and y._creator is self and self._outs is None:
            self._outs = weakref.ref(y)
        return y

    def _node(self, *inputs):
        """``__call__`` for a Function made inline and dropped (``Exp()._node(x)``), so only
        ``y.creator`` can lead back to it: that is where its output weakref gets made, unless
        the class's backward reads its output (``needs_output``)."""
        for x in inputs:
            if not isinstance(x, Variable):
                inputs = tuple([as_variable(v) for v in inputs])
                break
        one = len(inputs) == 1
        try:
            ys = self.forward(inputs[0].data) if one else self.forward(*[x.data for x in inputs])
        except ValueError as exc:
            shapes = ", ".join(str(x.shape) for x in inputs)
            raise ShapeError(f"{self.op_name()}: inputs of shapes {shapes} do not fit: {exc}") from exc
        if type(ys) is tuple:
            return self._record_many(inputs, [_output(y) for y in ys])
        if type(ys) is not np.ndarray:
            ys = np.asarray(ys)  # numpy ops on 0-d arrays return numpy scalars
        y = _new_variable(Variable)
        y.data = ys
        y.grad = y.name = None
        if _enable_backprop.get():
            gen = inputs[0].generation if one else max([x.generation for x in inputs])
            self.generation = gen
            if one:
                self._ins = inputs[0]
                self._in2 = None
            else:
                self._store_inputs(inputs)
            y._creator = self
            y.generation = gen + 1
            # The output is held through a weakref, made here or on first ``y.creator``: most
            # nodes of a big graph never need one, and it was one of the three objects a node
            # that the cycle collector tracks.
            self._outs = weakref.ref(y) if self.needs_output else None
        else:
            y._creator = None
            y.generation = 0
        return y

    def _record_many(self, inputs, outputs):
        recording = _enable_backprop.get()
        if recording:
            self.generation = max([x.generation for x in inputs])
            self._store_inputs(inputs)
            self._outs = tuple([weakref.ref(y) for y in outputs])
        for y in outputs:
            y._creator = self if recording else None
            y.generation = self.generation + 1 if recording else 0
        return outputs

    def _store_inputs(self, inputs: tuple) -> None:
        if len(inputs) == 2:
            self._ins, self._in2 = inputs
        elif len(inputs) == 1:
            self._ins, self._in2 = inputs[0], None
        else:
            self._ins, self._in2 = inputs, None

    @property
    def inputs(self) -> tuple:
        """The input Variables, as in DeZero."""
        ins = self._ins
        if type(ins) is tuple:
            return ins
        second = self._in2
        return (ins,) if second is None else (ins, second)

    @inputs.setter
    def inputs(self, value) -> None:
        self._store_inputs(tuple(value))

    @property
    def outputs(self) -> tuple:
        """Weak references to the outputs, as in DeZero."""
        outs = self._outs
        if outs is None:  # not reachable: only y.creator leads here, and it sets the weakref
            raise GraphError(f"{self.op_name()}: outputs not recorded; reach it as y.creator")
        return outs if type(outs) is tuple else (outs,)

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

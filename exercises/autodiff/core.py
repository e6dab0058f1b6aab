"""Variable and Function: the define-by-run core, in DeZero's names.

A Function holds its inputs strongly and its outputs through weakrefs, and a Variable holds
its creator strongly, so a finished graph has no reference cycles and is freed by reference
counting alone. ``backward`` walks the functions in generation order, iteratively, through a
bucket queue keyed by generation (the priority queue for small integer keys): no recursion,
no re-sorting, O(1) per function, so linear in the size of the graph.
"""
from __future__ import annotations

import contextlib
import contextvars
import gc
import weakref

import numpy as np

from .errors import GraphError, NotANumberError, ShapeError

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

    __slots__ = ("data", "grad", "creator", "name", "generation", "__weakref__")
    __array_ufunc__ = None  # numpy defers to our reflected operators: ndarray * Variable works

    def __init__(self, data, name: str | None = None):
        if isinstance(data, Variable):
            data = data.data
        self.data = as_array(data)
        self.name = name
        self.grad = None
        self.creator = None
        self.generation = 0

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
        self.creator = func
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
        run_backward(self, retain_grad, create_graph, rules)

    # Operators are installed by ``operators.install`` to keep this module about the graph.


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
    op = None  # short name shown in traces; defaults to the class name in lower case

    def __call__(self, *inputs):
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
            elif len(inputs) == 2:
                self._ins, self._in2 = inputs
            else:
                self._ins, self._in2 = inputs, None
            self._outs = weakref.ref(y)
            y.creator = self
            y.generation = gen + 1
        else:
            y.creator = None
            y.generation = 0
        return y

    def _record_many(self, inputs, outputs):
        recording = _enable_backprop.get()
        if recording:
            self.generation = max([x.generation for x in inputs])
            self._store_inputs(inputs)
            self._outs = tuple([weakref.ref(y) for y in outputs])
        for y in outputs:
            y.creator = self if recording else None
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


def run_backward(root: Variable, retain_grad: bool, create_graph: bool, rules) -> None:
    if root.grad is None:
        ones = np.ones_like(root.data)
        root.grad = Variable(ones) if create_graph else ones
    if root.creator is None:
        return
    token = _enable_backprop.set(create_graph)
    # The backward pass makes no reference cycles, only short-lived gradients; pausing the
    # cycle collector keeps it from repeatedly scanning a large graph that cannot be garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if create_graph or rules is not None:
            _general_loop(root.creator, retain_grad, create_graph, rules)
        else:
            _fast_loop(root.creator, retain_grad)
    finally:
        if collecting:
            gc.enable()
        _enable_backprop.reset(token)


def _fast_loop(first: Function, retain_grad: bool) -> None:
    """The ordinary backward pass: ndarrays only, written out for speed (the engine's hot
    loop; ``_general_loop`` is the same walk with recorded graphs and replaceable rules).

    Functions wait in ``pending[generation]``, a bucket queue (see ``_buckets``). A queued
    function is marked by flipping its generation to ``~generation`` (negative) instead of
    keeping a ``seen`` set: a list of the marked ones costs 8 bytes a node, a set several
    times that, and the marks are undone at the end."""
    top = first.generation
    pending: list = [None] * (top + 1)
    pending[top] = [first]
    first.generation = ~top
    queued = [first]
    try:
        for f in _buckets(pending):
            here = ~f.generation
            outs = f._outs
            if type(outs) is tuple:
                ys = [r() for r in outs]
                gxs = f.backward(*[_grad_or_zeros(y) for y in ys])
            else:
                ys = (outs(),)
                gy = ys[0].grad
                gxs = f.backward(gy if gy is not None else np.zeros_like(ys[0].data))
            if not retain_grad:
                for y in ys:
                    y.grad = None
            inputs = f._ins
            if type(inputs) is not tuple:
                second = f._in2
                inputs = (inputs,) if second is None else (inputs, second)
            if type(gxs) is not tuple:
                gxs = (gxs,)
            for i in range(len(inputs)):
                x, gx = inputs[i], gxs[i]
                if gx is None:
                    continue
                creator = x.creator
                if (retain_grad or creator is None) and type(gx) is not np.ndarray:
                    gx = np.asarray(gx)  # leaves (and retained grads) hold ndarrays
                old = x.grad
                x.grad = gx if old is None else old + gx
                if creator is not None and creator.generation >= 0:
                    gen = creator.generation
                    if gen >= here:
                        raise _out_of_order(creator, f)
                    creator.generation = ~gen
                    queued.append(creator)
                    waiting = pending[gen]
                    if waiting is None:
                        pending[gen] = [creator]
                    else:
                        waiting.append(creator)
    finally:
        for f in queued:
            f.generation = ~f.generation


def _buckets(pending: list):
    """Yield the functions of ``pending[g]`` from the top generation down, in the order they
    were queued. A function's inputs come from strictly lower generations, so a bucket is
    complete before it is reached: generation order with O(1) per push and per pop, where a
    heap pays O(log n) per pop on wide graphs (the bottom generation of a wide sum holds
    half of its nodes)."""
    for g in range(len(pending) - 1, -1, -1):
        bucket = pending[g]
        if bucket is not None:
            pending[g] = None
            yield from bucket


def _out_of_order(creator: Function, user: Function) -> GraphError:
    """A variable whose creator is of a later generation than the function using it: only
    possible when ``creator`` or ``generation`` was reassigned by hand after use."""
    return GraphError(
        f"{creator.op_name()} (generation {creator.generation}) made an input of "
        f"{user.op_name()} (generation {~user.generation if user.generation < 0 else user.generation}): "
        "a creator was set after the variable was used; rebuild the graph")


def _general_loop(first: Function, retain_grad: bool, create_graph: bool, rules) -> None:
    pending: list = [None] * (first.generation + 1)
    seen: set = set()

    def push(f, user):
        if f not in seen:
            if f.generation >= user.generation:
                raise _out_of_order(f, user)
            seen.add(f)
            waiting = pending[f.generation]
            if waiting is None:
                pending[f.generation] = [f]
            else:
                waiting.append(f)

    seen.add(first)
    pending[first.generation] = [first]
    for f in _buckets(pending):
        outputs = f.outputs
        _backward_one(f, outputs, create_graph, retain_grad, rules, push)
        if not retain_grad:
            for y in outputs:
                y().grad = None


def _grad_or_zeros(y: Variable):
    return y.grad if y.grad is not None else np.zeros_like(y.data)


def _backward_one(f: Function, outputs, create_graph: bool, retain_grad: bool, rules, push) -> None:
    gys = [_grad_or_zeros(y()) for y in outputs]
    if create_graph:
        gys = [gy if isinstance(gy, Variable) else Variable(gy) for gy in gys]
    gxs = f.backward(*gys) if rules is None else rules.backward(f, gys)
    if type(gxs) is not tuple:
        gxs = (gxs,)
    for x, gx in zip(f.inputs, gxs):
        if gx is None:
            continue
        if (retain_grad or x.creator is None) and type(gx) is not np.ndarray \
                and not isinstance(gx, Variable):
            gx = np.asarray(gx)
        if x.grad is None:
            x.grad = gx
        elif rules is None:
            x.grad = x.grad + gx
        else:
            x.grad = rules.accumulate(x.grad, gx)
        if x.creator is not None:
            push(x.creator, f)

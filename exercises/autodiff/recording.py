"""The speed tricks of the forward pass, kept out of core.py so that the core reads like
DeZero: how a Function stores its inputs and outputs, and how a node is recorded.

DeZero's ``Function.__call__`` makes, per node, a list of inputs, a list of outputs and a
weakref per output. For a graph of a hundred thousand nodes those objects cost memory and,
above all, time in the cycle collector, whose full collections traverse every live object.
So ``NodeStorage``:

- keeps one or two inputs (nearly every node) bare in the slots ``_ins`` and ``_in2``; ``_ins``
  holds a tuple only for three or more inputs;
- keeps one output weakref bare in ``_outs``, and makes it lazily: a node the engine makes
  inline (``x * 0.9``, ``F.sin(x)``) can only be reached through its output's ``creator``, so
  ``creator_of`` makes the weakref there, on first access, and most nodes never need one.
  Classes whose backward reads their output (``needs_output``) get it at once;
- builds output Variables without re-checking data the forward pass made (``_output``).

The public face is DeZero's: ``f.inputs`` and ``f.outputs`` are tuples of Variables and of
weakrefs. The equivalence tests (tests/autodiff/test_fastpath_equivalence.py) check that
gradients and call order are the same as the plain walk's on random graphs.
This module does not import core.py: core's ``Function`` names its Variable class
(``variable_type``) and its conversion (``as_variables``), and this code calls them.
"""
from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from .config import enable_backprop
from .errors import GraphError, ShapeError

_new = object.__new__


def creator_of(v):
    """``v.creator``: an engine-made creator takes ``v`` as its output on first sight."""
    f = v._creator
    if getattr(f, "_outs", False) is None:
        f._outs = weakref.ref(v)
    return f


class NodeStorage:
    """The storage and recording half of ``core.Function``."""

    __slots__ = ("_ins", "_in2", "_outs", "generation", "__dict__")
    _ins: Any  # the one input Variable, the first of two, or a tuple of three or more
    _in2: Any
    _outs: weakref.ref | tuple[weakref.ref, ...] | None
    generation: int
    needs_output = False  # True when backward reads its output (output_value): weakref at once
    variable_type: Any    # set by core.Function: the class of the outputs
    forward: Any
    op_name: Any
    as_variables: Any

    def _node(self, *inputs):
        """``__call__`` for a Function made inline and dropped (``Exp()._node(x)``): the output
        weakref is made on first ``y.creator`` unless the class ``needs_output``."""
        variable = self.variable_type
        for x in inputs:
            if not isinstance(x, variable):
                inputs = self.as_variables(inputs)
                break
        one = len(inputs) == 1
        try:
            ys = self.forward(inputs[0].data) if one else self.forward(*[x.data for x in inputs])
        except ValueError as exc:
            shapes = ", ".join(str(x.shape) for x in inputs)
            raise ShapeError(f"{self.op_name()}: inputs of shapes {shapes} do not fit: {exc}") from exc
        if type(ys) is tuple:
            return self._record_many(inputs, [self._output(y) for y in ys])
        if type(ys) is not np.ndarray:
            ys = np.asarray(ys)  # numpy ops on 0-d arrays return numpy scalars
        y = _new(variable)  # _output, inlined: this is the hot path
        y.data = ys
        y.grad = y.name = None
        if enable_backprop.get():
            gen = inputs[0].generation if one else max([x.generation for x in inputs])
            self.generation = gen
            if one:
                self._ins = inputs[0]
                self._in2 = None
            else:
                self._store_inputs(inputs)
            y._creator = self
            y.generation = gen + 1
            self._outs = weakref.ref(y) if self.needs_output else None
        else:
            y._creator = None
            y.generation = 0
        return y

    def _output(self, y):
        """A Variable around a forward result, skipping the checks user input needs."""
        if type(y) is not np.ndarray:
            y = np.asarray(y)
        v = _new(self.variable_type)
        v.data = y
        v.grad = v.name = v._creator = None
        v.generation = 0
        return v

    def _record_many(self, inputs, outputs):
        if enable_backprop.get():
            self.generation = max([x.generation for x in inputs])
            self._store_inputs(inputs)
            self._outs = tuple([weakref.ref(y) for y in outputs])
            for y in outputs:
                y._creator = self
                y.generation = self.generation + 1
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

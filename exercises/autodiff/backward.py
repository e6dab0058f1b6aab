"""The backward pass: functions in generation order, iteratively, from a bucket queue keyed
by generation (the priority queue for small integer keys): no recursion, no re-sorting, O(1)
per function, so linear in the size of the graph.

``run_backward`` pauses the cycle collector and takes one of two walks: ``_fast_loop`` for
the ordinary pass on ndarrays, written out for speed, and ``_general_loop`` for a recorded
pass (``create_graph=True``) or replaced rules.
"""
from __future__ import annotations

import gc
import heapq
import weakref
from typing import cast

import numpy as np

from .core import Function, Variable, _enable_backprop
from .errors import GraphError


def run_backward(root: Variable, retain_grad: bool, create_graph: bool, rules) -> None:
    if root.grad is None:
        ones = np.ones_like(root.data)
        root.grad = Variable(ones) if create_graph else ones
    if root._creator is None:
        return
    token = _enable_backprop.set(create_graph)
    # The pass leaves no cyclic garbage behind while it runs, only short-lived gradients;
    # pausing the cycle collector keeps it from rescanning a large graph that is not garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if create_graph or rules is not None:
            _general_loop(root, retain_grad, create_graph, rules)
        else:
            _fast_loop(root, retain_grad)
    finally:
        if collecting:
            gc.enable()
        _enable_backprop.reset(token)


def _outputs_of(f: Function, reached_by: Variable):
    """The outputs of ``f``: its recorded ones (the last call's, for a Function object called
    more than once), or, for an engine-made node with no weakref yet, the variable it was
    reached by: its only output."""
    outs = f._outs
    if outs is None:
        return (reached_by,)
    return [r() for r in outs] if type(outs) is tuple else (outs(),)  # type: ignore[operator]  # type() narrows only the if branch


class _Pending:
    """A bucket queue: the variables waiting for their creator's backward, one list per
    generation, taken from the highest generation down. A function's inputs come from
    strictly lower generations, so a bucket is complete when it is taken; the heap holds
    only the distinct generations waiting (one entry for the bottom generation of a wide sum
    however many nodes it holds), so a push and a pop are O(1) unless many generations wait
    at once, and the work follows the graph, not the size of its generation numbers."""

    __slots__ = ("buckets", "generations")

    def __init__(self, first: Variable, generation: int):
        self.buckets = {generation: [first]}
        self.generations = [-generation]

    def push(self, x: Variable, generation: int) -> None:
        bucket = self.buckets.get(generation)
        if bucket is None:
            self.buckets[generation] = [x]
            heapq.heappush(self.generations, -generation)
        else:
            bucket.append(x)

    def __iter__(self):
        buckets, generations, heappop = self.buckets, self.generations, heapq.heappop
        while generations:
            yield from buckets.pop(-heappop(generations))


def _fast_loop(root: Variable, retain_grad: bool) -> None:
    """The ordinary backward pass: ndarrays only, written out for speed (the engine's hot
    loop; ``_general_loop`` is the same walk with recorded graphs and replaceable rules).

    A function waits in the bucket queue as the output it was reached by (an engine-made node
    may hold no reference to its output). A queued function is marked by flipping its
    generation to ``~generation`` (negative) instead of keeping a ``seen`` set: a list of the
    marked ones costs 8 bytes a node, a set several times that, and the marks are undone at
    the end."""
    first = cast(Function, root._creator)  # run_backward returned early for a leaf
    pending = _Pending(root, first.generation)  # used inline below: this is the hot loop
    buckets, generations = pending.buckets, pending.generations
    heappush, heappop = heapq.heappush, heapq.heappop
    first.generation = ~first.generation
    queued = [first]
    try:
        while generations:
            for out in buckets.pop(-heappop(generations)):
                f: Function = out._creator  # type: ignore[assignment]  # a queued variable has a creator
                here = ~f.generation
                inputs, gxs = _local_grads(f, out, retain_grad)
                for i in range(len(inputs)):
                    x, gx = inputs[i], gxs[i]
                    if gx is None:
                        continue
                    creator = x._creator
                    if (retain_grad or creator is None) and type(gx) is not np.ndarray:
                        gx = np.asarray(gx)  # leaves (and retained grads) hold ndarrays
                    old = x.grad
                    x.grad = gx if old is None else old + gx
                    if creator is not None:
                        gen = creator.generation
                        if gen >= 0:
                            if gen >= here:
                                raise _out_of_order(creator, f)
                            creator.generation = ~gen
                            queued.append(creator)
                            bucket = buckets.get(gen)
                            if bucket is None:
                                buckets[gen] = [x]
                                heappush(generations, -gen)
                            else:
                                bucket.append(x)
                        elif ~gen >= here:  # queued already, but not below this function
                            raise _out_of_order(creator, f)
    finally:
        for f in queued:
            f.generation = ~f.generation


def _local_grads(f: Function, out: Variable, retain_grad: bool) -> tuple:
    """f's inputs and their gradients from f.backward, as two tuples; the outputs' grads are
    dropped unless retained (the fast loop's per-function step)."""
    if f._outs is None:
        ys = (out,)
        gy = out.grad
        gxs = f.backward(gy if gy is not None else np.zeros_like(out.data))
    else:
        ys = _outputs_of(f, out)
        gxs = f.backward(*[_grad_or_zeros(y) for y in ys])
    if not retain_grad:
        for y in ys:
            y.grad = None
    inputs = f._ins
    if type(inputs) is not tuple:
        second = f._in2
        inputs = (inputs,) if second is None else (inputs, second)
    return inputs, (gxs if type(gxs) is tuple else (gxs,))


def _out_of_order(creator: Function, user: Function) -> GraphError:
    """A variable whose creator is not of an earlier generation than the function using it:
    a creator reassigned by hand after its variable was used, or one Function object called
    again (which records its new inputs over the old ones) after its output was used."""
    def generation(f):
        return ~f.generation if f.generation < 0 else f.generation

    return GraphError(
        f"{creator.op_name()} (generation {generation(creator)}) made an input of "
        f"{user.op_name()} (generation {generation(user)}): a creator was set, or a Function "
        "object called again, after its output was used; rebuild the graph")


def _general_loop(root: Variable, retain_grad: bool, create_graph: bool, rules) -> None:
    first = cast(Function, root._creator)  # run_backward returned early for a leaf
    pending = _Pending(root, first.generation)
    seen = {first}

    def push(x, user):
        f = x._creator
        if f.generation >= user.generation:
            raise _out_of_order(f, user)
        if f not in seen:
            seen.add(f)
            pending.push(x, f.generation)

    for out in pending:
        f = out._creator
        if f._outs is None:  # replaced rules may read f.outputs: give it its weakref now
            f._outs = weakref.ref(out)
        ys = _outputs_of(f, out)
        _backward_one(f, ys, create_graph, retain_grad, rules, push)
        if not retain_grad:
            for y in ys:
                y.grad = None


def _grad_or_zeros(y: Variable):
    return y.grad if y.grad is not None else np.zeros_like(y.data)


def _backward_one(f: Function, ys, create_graph: bool, retain_grad: bool, rules, push) -> None:
    gys = [_grad_or_zeros(y) for y in ys]
    if create_graph:
        gys = [gy if isinstance(gy, Variable) else Variable(gy) for gy in gys]
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
            push(x, f)

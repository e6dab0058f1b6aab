"""The backward pass: functions in generation order, iteratively, from a bucket queue keyed
by generation (the priority queue for small integer keys): no recursion, no re-sorting, O(1)
per function, so linear in the size of the graph.

``run_backward`` pauses the cycle collector and takes one of two walks: ``_fast_loop`` for
the ordinary pass on ndarrays, written out for speed, and ``_general_loop`` for a recorded
pass (``create_graph=True``) or replaced rules.
"""
from __future__ import annotations

import gc

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
    """The outputs of ``f``: the variable it was reached by, or all of a multi-output one."""
    outs = f._outs
    return [r() for r in outs] if type(outs) is tuple else (reached_by,)


def _fast_loop(root: Variable, retain_grad: bool) -> None:
    """The ordinary backward pass: ndarrays only, written out for speed (the engine's hot
    loop; ``_general_loop`` is the same walk with recorded graphs and replaceable rules).

    A function waits in ``pending[generation]``, a bucket queue (see ``_buckets``), as the
    output it was reached by (an engine-made node may hold no reference to its output). A
    queued function is marked by flipping its generation to ``~generation`` (negative)
    instead of keeping a ``seen`` set: a list of the marked ones costs 8 bytes a node, a set
    several times that, and the marks are undone at the end."""
    first = root._creator
    top = first.generation
    pending: list = [None] * (top + 1)
    pending[top] = [root]
    first.generation = ~top
    queued = [first]
    try:
        for out in _buckets(pending):
            f = out._creator
            here = ~f.generation
            if type(f._outs) is tuple:
                ys = _outputs_of(f, out)
                gxs = f.backward(*[_grad_or_zeros(y) for y in ys])
            else:
                ys = (out,)
                gy = out.grad
                gxs = f.backward(gy if gy is not None else np.zeros_like(out.data))
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
                creator = x._creator
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
                        pending[gen] = [x]
                    else:
                        waiting.append(x)
    finally:
        for f in queued:
            f.generation = ~f.generation


def _buckets(pending: list):
    """Yield the entries of ``pending[g]`` from the top generation down, in the order they
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


def _general_loop(root: Variable, retain_grad: bool, create_graph: bool, rules) -> None:
    first = root._creator
    pending: list = [None] * (first.generation + 1)
    pending[first.generation] = [root]
    seen = {first}

    def push(x, user):
        f = x._creator
        if f not in seen:
            if f.generation >= user.generation:
                raise _out_of_order(f, user)
            seen.add(f)
            waiting = pending[f.generation]
            if waiting is None:
                pending[f.generation] = [x]
            else:
                waiting.append(x)

    for out in _buckets(pending):
        f = out._creator
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

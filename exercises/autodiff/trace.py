"""A computed graph as plain data, for drawing and for worked solutions.

Nodes are the graph's variables in topological order (inputs first). Ids come from that
order alone, so the same expression always gets the same ids, in every process.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .core import Variable


@dataclass(frozen=True)
class TraceNode:
    id: str
    op: str  # "input" for a named leaf, "const" for an unnamed one, else the function's op
    inputs: tuple[str, ...]
    value: np.ndarray
    grad: np.ndarray | None
    name: str | None
    const: object = None  # the constant operand of ``x * 2``, ``x ** 3``, ...

    def to_dict(self) -> dict:
        out = {
            "id": self.id, "op": self.op, "inputs": list(self.inputs), "name": self.name,
            "value": _plain(self.value), "grad": None if self.grad is None else _plain(self.grad),
        }
        if self.const is not None:
            out["const"] = _plain(self.const)
        return out


@dataclass(frozen=True)
class GraphTrace:
    nodes: tuple[TraceNode, ...]
    outputs: tuple[str, ...]

    def node(self, node_id: str) -> TraceNode:
        return self.nodes[int(node_id[1:])]

    def by_name(self, name: str) -> TraceNode:
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(name)

    @property
    def edges(self) -> list[tuple[str, str]]:
        return [(src, n.id) for n in self.nodes for src in n.inputs]

    def to_dict(self) -> dict:
        return {"nodes": [n.to_dict() for n in self.nodes], "outputs": list(self.outputs)}


def _plain(a):
    a = np.asarray(a)
    return a.item() if a.ndim == 0 else a.tolist()


def _ordered_variables(outputs) -> list[Variable]:
    """Depth-first post-order over creators' inputs, iteratively (deep graphs are fine)."""
    order, done = [], set()
    for out in outputs:
        stack = [(out, False)]
        while stack:
            v, expanded = stack.pop()
            if id(v) in done:
                continue
            if expanded or v.creator is None:
                done.add(id(v))
                order.append(v)
                continue
            stack.append((v, True))
            stack.extend((x, False) for x in reversed(v.creator.inputs) if id(x) not in done)
    return order


def trace(*outputs: Variable) -> GraphTrace:
    """Snapshot the graph that produced ``outputs`` (call ``backward(retain_grad=True)`` first
    to have every node's gradient)."""
    order = _ordered_variables(outputs)
    ids = {id(v): f"n{i}" for i, v in enumerate(order)}
    nodes = []
    for v in order:
        f = v.creator
        inputs: tuple[str, ...]
        if f is None:
            op, inputs = ("input" if v.name else "const"), ()
        else:
            op, inputs = f.op_name(), tuple(ids[id(x)] for x in f.inputs)
        grad = v.grad.data if isinstance(v.grad, Variable) else v.grad
        const = getattr(f, "c", None) if f is not None else None
        nodes.append(TraceNode(ids[id(v)], op, inputs, v.data, grad, v.name, const))
    return GraphTrace(tuple(nodes), tuple(ids[id(o)] for o in outputs))

"""A 40-line reverse-mode engine on pure Python floats: the floor for a Python autodiff.

Each node stores its value, its gradient and ((parent, local derivative), ...); backward
sorts the graph with an explicit stack (no recursion) and accumulates in reverse order.
"""
import math


class Ref:
    __slots__ = ("v", "g", "parents", "__weakref__")

    def __init__(self, v, parents=()):
        self.v, self.g, self.parents = v, 0.0, parents

    def __add__(self, o):
        if type(o) is Ref:
            return Ref(self.v + o.v, ((self, 1.0), (o, 1.0)))
        return Ref(self.v + o, ((self, 1.0),))

    def __mul__(self, o):
        if type(o) is Ref:
            return Ref(self.v * o.v, ((self, o.v), (o, self.v)))
        return Ref(self.v * o, ((self, o),))

    __radd__, __rmul__ = __add__, __mul__

    def sin(self):
        return Ref(math.sin(self.v), ((self, math.cos(self.v)),))

    def tanh(self):
        t = math.tanh(self.v)
        return Ref(t, ((self, 1.0 - t * t),))

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p, _ in node.parents if id(p) not in seen)
        self.g = 1.0
        for node in reversed(order):
            for p, d in node.parents:
                p.g += d * node.g

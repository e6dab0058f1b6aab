"""``value``: a forward value of a node, one number."""
from .numeric import NumericKind


class ValueKind(NumericKind):
    name = "value"
    fields = frozenset({"node"})

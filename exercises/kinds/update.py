"""``update``: a parameter after one optimiser step, one number."""
from .numeric import NumericKind


class UpdateKind(NumericKind):
    name = "update"
    fields = frozenset({"of", "wrt", "lr"})

"""``gradient``: d(of)/d(wrt) at the drawn parameters, one number."""
from .numeric import NumericKind


class GradientKind(NumericKind):
    name = "gradient"
    fields = frozenset({"of", "wrt"})

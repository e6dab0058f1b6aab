"""Hypothesis strategies for random syntax trees (shared by the expr tests)."""
import math

from hypothesis import strategies as st

from exercises.expr import FUNCTIONS, Binary, Call, Const, Name, Num, Unary

# Names chosen to trip a careless printer: e1 and pi2 look like a literal and a constant,
# sinx like a call, E like the constant e.
TRICKY_NAMES = ["x", "y", "W", "x1", "apple_num", "e1", "pi2", "sinx", "E"]

numbers = st.floats(min_value=0.0, max_value=1e15, allow_nan=False, allow_infinity=False).filter(
    lambda v: math.copysign(1.0, v) > 0)  # -0.0 is not a literal


def trees(names=TRICKY_NAMES, functions=sorted(FUNCTIONS), max_leaves=25, values=numbers,
          name_weight=1):
    """Random trees; ``name_weight`` makes variables that many times likelier than numbers."""
    leaves = st.one_of(
        *[st.sampled_from(names).map(Name) for _ in range(name_weight)],
        values.map(Num),
        st.sampled_from(["pi", "e"]).map(Const),
    )

    def extend(children):
        return st.one_of(
            st.builds(Unary, st.sampled_from(["-", "+"]), children),
            st.builds(Binary, st.sampled_from(["+", "-", "*", "/", "^"]), children, children),
            st.builds(Call, st.sampled_from(functions), children),
        )

    return st.recursive(leaves, extend, max_leaves=max_leaves)

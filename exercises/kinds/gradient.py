"""``gradient``: d(of)/d(wrt) at the drawn parameters, one number."""
from ..texnames import numerator, tex_name
from .numeric import NumericKind


class GradientKind(NumericKind):
    name = "gradient"
    fields = frozenset({"of", "wrt"})

    def reference(self, builder, spec) -> tuple:
        g = builder.checked_gradient(spec.id, spec.of, spec.wrt, spec.precision)
        declared = builder.declared(spec, g)  # the author's diagnosis first: the grader names the first match
        automatic = {k: v for k, v in builder.graph_mistakes(spec, g).items() if k not in declared}
        return g, {**declared, **automatic}

    def default_prompt(self, part, params: dict, template) -> dict:
        d = rf"\frac{{\partial {numerator(template, part.of)}}}{{\partial {tex_name(part.wrt)}}}"
        return {"ja": f"${d}$ を求めなさい。", "en": f"Find ${d}$."}

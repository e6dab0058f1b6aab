"""``gradient``: d(of)/d(wrt) at the drawn parameters, one number."""
from ..texnames import numerator, tex_name
from .numeric import NumericKind


class GradientKind(NumericKind):
    name = "gradient"
    fields = frozenset({"of", "wrt"})

    def reference(self, builder, spec) -> tuple:
        g = builder.checked_gradient(spec.id, spec.of, spec.wrt, spec.precision)
        return g, {**builder.graph_mistakes(spec, g), **builder.declared(spec, g)}

    def default_prompt(self, part, params: dict, template) -> dict:
        d = rf"\frac{{\partial {numerator(template, part.of)}}}{{\partial {tex_name(part.wrt)}}}"
        return {"ja": f"${d}$ を求めなさい。", "en": f"Find ${d}$."}

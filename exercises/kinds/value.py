"""``value``: a forward value of a node, one number."""
from ..texnames import tex_name
from .numeric import NumericKind


class ValueKind(NumericKind):
    name = "value"
    fields = frozenset({"node"})

    def reference(self, builder, spec) -> tuple:
        correct = float(builder.base[spec.node])
        return correct, builder.declared(spec, correct)

    def default_prompt(self, part, params: dict, template) -> dict:
        n = tex_name(part.node)
        return {"ja": f"${n}$ の値を求めなさい。", "en": f"Find the value of ${n}$."}

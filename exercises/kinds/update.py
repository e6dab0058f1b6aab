"""``update``: a parameter after one optimiser step, one number."""
from ..texnames import tex_name
from .numeric import NumericKind


class UpdateKind(NumericKind):
    name = "update"
    fields = frozenset({"of", "wrt", "lr"})

    def reference(self, builder, spec) -> tuple:
        g = builder.checked_gradient(spec.id, spec.of, spec.wrt, spec.precision)
        w, lr = builder.params[spec.wrt], builder.params[spec.lr]
        found = {"update_wrong_sign": w + lr * g, "update_no_lr": w - g}
        return w - lr * g, builder.differing(spec, w - lr * g, found)

    def default_prompt(self, part, params: dict, template) -> dict:
        w, lr = tex_name(part.wrt), template.param(part.lr).format(params[part.lr])
        return {"ja": f"学習率 $\\eta = {lr}$ の勾配降下法で1回更新した後の ${w}$ の値を求めなさい。",
                "en": f"Find ${w}$ after one gradient-descent step with learning rate $\\eta = {lr}$."}

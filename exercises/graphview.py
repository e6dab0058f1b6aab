"""The computational graph as data for drawing: a public view (structure and the given
parameters only) and a full view (every forward value and gradient) for the solution."""
from __future__ import annotations

from .autodiff import trace

OP_LABELS = {"add": "+", "sub": "−", "mul": "×", "div": "÷", "neg": "−x", "square": "x²",
             "pow": "xⁿ", "exp": "exp", "log": "log", "sin": "sin", "cos": "cos", "tan": "tan",
             "tanh": "tanh", "sigmoid": "σ", "relu": "ReLU", "sqrt": "√", "abs": "|x|"}


SUPERSCRIPT = str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·")


def _op_label(node: dict) -> str:
    """The symbol drawn in an op's circle; a power shows its exponent (x², x⁻¹, x^0.5)."""
    if node["op"] == "pow" and "const" in node:
        c = f"{node['const']:g}"
        return "x" + c.translate(SUPERSCRIPT) if "." not in c else f"x^{c}"
    return OP_LABELS.get(node["op"], node["op"])


def graph_views(comp, template) -> tuple[dict, dict]:
    out = comp.vars[template.output]
    grads = comp.grads(template.output)  # also leaves retain_grad values for the trace
    full = trace(out).to_dict()
    params, nodes = set(template.param_names), set(template.node_names)
    public_nodes = []
    for n in full["nodes"]:
        name = n["name"]
        if n["op"] in ("input", "const"):
            n["op"] = "input" if name in params else "const"
        n["label"] = name if name in params | nodes else _op_label(n)
        n["named"] = name in params | nodes
        if n["named"] and name in grads:
            n["grad"] = grads[name]
        shown = n["op"] in ("input", "const")
        public_nodes.append({k: n[k] for k in ("id", "op", "inputs", "name", "label", "named")}
                            | ({"value": n["value"]} if shown else {}))
    return {"nodes": public_nodes, "outputs": full["outputs"]}, full

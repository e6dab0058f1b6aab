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


def graph_views(*outputs, inputs=None, named=None, grads=None) -> tuple[dict, dict]:
    """The engine graph behind ``outputs`` as a public view (structure and the given inputs'
    values only) and the full trace (every value and retained gradient) for the solution.

    ``inputs``: the names that are parameters (other leaves become constants); ``named``: the
    names drawn as names (default: every named node); ``grads``: gradients to show by name."""
    full = trace(*outputs).to_dict()
    public_nodes = []
    for n in full["nodes"]:
        name = n["name"]
        if inputs is not None and n["op"] in ("input", "const"):
            n["op"] = "input" if name in inputs else "const"
        n["named"] = name is not None if named is None else name in named
        n["label"] = name if n["named"] else _op_label(n)
        if grads and n["named"] and name in grads:
            n["grad"] = grads[name]
        shown = n["op"] in ("input", "const")
        public_nodes.append({k: n[k] for k in ("id", "op", "inputs", "name", "label", "named")}
                            | ({"value": n["value"]} if shown else {}))
    return {"nodes": public_nodes, "outputs": full["outputs"]}, full

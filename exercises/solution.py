"""Worked solution from the engine: forward values, then gradients from the output back,
node by node, in Japanese and English with LaTeX."""
from __future__ import annotations

from .exercise import GuidedKey
from .guided import guided_key
from .expr import to_latex
from .expr.nodes import Binary, Call, Const, Name, Num, Unary
from .texnames import numerator, tex_name


def _num(x: float) -> str:
    x = float(x) + 0.0  # -0.0 prints as 0
    text = f"{abs(x):.6g}"
    body = text if "e" not in text else to_latex(Num(float(text)))
    return f"-{body}" if x < 0 and text != "0" else body


def _factor(x: float) -> str:
    """A number inside a product: negative ones in parentheses (1 × (−0.5))."""
    text = _num(x)
    return rf"\left({text}\right)" if text.startswith("-") else text


def number_node(v: float):
    v = float(v) + 0.0
    return Unary("-", Num(-v)) if v < 0 else Num(v)


def substitute(node, values: dict):
    """The expression with each name replaced by its value, for "= 100 × 2 = 200" lines."""
    if isinstance(node, Name):
        return number_node(values[node.id]) if node.id in values else node
    if isinstance(node, (Num, Const)):
        return node
    if isinstance(node, Unary):
        return Unary(node.op, substitute(node.operand, values))
    if isinstance(node, Binary):
        return Binary(node.op, substitute(node.left, values), substitute(node.right, values))
    return Call(node.func, substitute(node.arg, values))


def forward_steps(template, values: dict) -> list[str]:
    steps = []
    for name, node in template.nodes:
        with_values = to_latex(substitute(node, {k: round(v, 10) for k, v in values.items()}))
        steps.append(f"${tex_name(name)} = {to_latex(node)} = {with_values} = {_num(values[name])}$")
    return steps


def backward_steps(key: GuidedKey, top: str | None = None) -> list[str]:
    """``top`` is the differentiated quantity's name (L when an upstream gradient is given)."""
    of = top or tex_name(key.of)
    lines = [rf"$\frac{{\partial {of}}}{{\partial {tex_name(key.of)}}} = {_num(key.seed_grad)}$"]
    for step in key.steps:
        terms = [rf"\frac{{\partial {of}}}{{\partial {tex_name(c)}}} \cdot "
                 rf"\frac{{\partial {tex_name(c)}}}{{\partial {tex_name(step)}}}"
                 for c, _ in key.consumers[step]]
        grads = {c: (key.grads[c] if c in key.grads else key.seed_grad) for c, _ in key.consumers[step]}
        numbers = [f"{_factor(grads[c])} \\times {_factor(local)}" for c, local in key.consumers[step]]
        lines.append(rf"$\frac{{\partial {of}}}{{\partial {tex_name(step)}}} = {' + '.join(terms)} = "
                     rf"{' + '.join(numbers)} = {_num(key.grads[step])}$")
    return lines


def worked_solution(template, comp, full_graph: dict, answers: dict) -> dict:
    values = comp.values()
    output = template.output
    key = next((k for k in answers.values() if isinstance(k, GuidedKey) and k.of == output), None)
    if key is None:
        key = guided_key(template, values, comp.grads(output), output)
    return {
        "forward": forward_steps(template, values),
        "backward": backward_steps(key, numerator(template, key.of)),
        "headings": {"forward": {"ja": "順伝播（各ノードの値）", "en": "Forward pass (node values)"},
                     "backward": {"ja": "逆伝播（出力から入力へ、連鎖律）",
                                  "en": "Backward pass (output to inputs, chain rule)"}},
        "graph": full_graph,
    }

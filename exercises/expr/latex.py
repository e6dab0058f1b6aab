"""LaTeX for display (KaTeX): fractions, braces for exponents, named functions."""
from __future__ import annotations

import re
from typing import cast

from .nodes import Binary, Call, Const, Name, Node, Num, Unary
from .render import format_number

GREEK = frozenset({
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega",
})
_NAMED = {"sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "tanh": r"\tanh", "log": r"\log",
          "sigmoid": r"\sigma", "relu": r"\mathrm{ReLU}"}
_SUBSCRIPTED = re.compile(r"([A-Za-z]+?)_?([0-9]+)|([A-Za-z]+)_([A-Za-z0-9]+)")


def to_latex(node: Node) -> str:
    if isinstance(node, Num):
        return _number(node.value)
    if isinstance(node, Name):
        return _name(node.id)
    if isinstance(node, Const):
        return r"\pi" if node.name == "pi" else "e"
    if isinstance(node, Call):
        return _call(node.func, to_latex(node.arg))
    if isinstance(node, Unary):
        operand = to_latex(node.operand)
        needs = _is_sum(node.operand) or _signed(operand)
        return node.op + (_paren(operand) if needs else operand)
    if isinstance(node, Binary):
        return _binary(node)
    raise TypeError(f"not a syntax tree node: {type(node).__name__}")


def _binary(node: Binary) -> str:
    left, right = to_latex(node.left), to_latex(node.right)
    if node.op == "/":
        return rf"\frac{{{left}}}{{{right}}}"
    if node.op == "^":
        return f"{_paren(left) if _needs_base_paren(node.left) else left}^{{{right}}}"
    if node.op in "+-":
        # a + (b - c) shows as a + b - c; a - (b - c) keeps its brackets.
        right_needs = _signed(right) or (node.op == "-" and _is_sum(node.right))
        return f"{left} {node.op} {_paren(right) if right_needs else right}"
    left_needs = _is_sum(node.left)
    right_needs = _is_sum(node.right) or _signed(right)
    joint = r" \cdot " if _needs_dot(node, left_needs, right_needs) else " "
    return (_paren(left) if left_needs else left) + joint + (
        _paren(right) if right_needs else right)


def _signed(text: str) -> bool:
    return text.startswith(("-", "+"))


def _needs_dot(node: Binary, left_wrapped: bool, right_wrapped: bool) -> bool:
    """Juxtapose (2x, x(y+1)) unless the two factors would run together or misread."""
    if right_wrapped:
        return False
    first = _first_leaf(node.right)
    last = None if left_wrapped else _last_leaf(node.left)
    if isinstance(first, Num) or _is_division(node.right):
        return True  # x 2 reads as x2, and 2 \frac{1}{2} as a mixed number
    return any(isinstance(leaf, Name) and _name(leaf.id).startswith(r"\mathrm")
               for leaf in (first, last))


def _first_leaf(node: Node) -> Node:
    while isinstance(node, Binary) and (
            node.op == "*" or (node.op == "^" and not _needs_base_paren(node.left))):
        node = node.left
    return node


def _last_leaf(node: Node) -> Node:
    while isinstance(node, Binary) and node.op == "*":
        node = node.right
    return node


def _is_division(node: Node) -> bool:
    return isinstance(_first_leaf(node), Binary) and cast(Binary, _first_leaf(node)).op == "/"


def _is_sum(node: Node) -> bool:
    return isinstance(node, Binary) and node.op in "+-"


def _needs_base_paren(base: Node) -> bool:
    if isinstance(base, (Binary, Unary)):
        return True
    if isinstance(base, Num):
        return "e" in format_number(base.value)
    return isinstance(base, Call) and base.func == "exp"  # e^{x}^{2} is not valid LaTeX


def _call(func: str, arg: str) -> str:
    if func == "exp":
        return f"e^{{{arg}}}"
    if func == "sqrt":
        return rf"\sqrt{{{arg}}}"
    if func == "abs":
        return rf"\left|{arg}\right|"
    return _NAMED[func] + _paren(arg)


def _paren(text: str) -> str:
    return rf"\left({text}\right)"


def _number(value: float) -> str:
    text = format_number(value)
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


def _name(name: str) -> str:
    if name in GREEK:
        return "\\" + name
    match = _SUBSCRIPTED.fullmatch(name)
    if match:
        head = match.group(1) or match.group(3)
        sub = match.group(2) or match.group(4)
        if len(head) == 1 or head in GREEK:
            return f"{_name(head)}_{{{sub}}}"
    if len(name) == 1:
        return name
    return r"\mathrm{" + name.replace("_", r"\_") + "}"

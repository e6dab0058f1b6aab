"""Canonical plain text: ``parse(render(node)) == node`` for every tree.

Products are always written with ``*`` (so ``2*e`` can never read as the literal ``2e``),
``+`` and ``-`` get spaces, and parentheses appear only where the tree needs them, plus one
readability rule: an operand that starts with a sign is bracketed (``x - (-y)``, not
``x - -y``), except in an exponent (``2^-1``).
"""
from __future__ import annotations

from .nodes import Binary, Call, Const, Name, Node, Num, Unary

PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 3}
_JOIN = {"+": " + ", "-": " - ", "*": "*", "/": "/", "^": "^"}


def render(node: Node) -> str:
    if isinstance(node, Num):
        return format_number(node.value)
    if isinstance(node, Name):
        return node.id
    if isinstance(node, Const):
        return node.name
    if isinstance(node, Call):
        return f"{node.func}({render(node.arg)})"
    if isinstance(node, Unary):
        operand = render(node.operand)
        needs = _is_binary_below(node.operand, 3) or _signed(operand)
        return node.op + (f"({operand})" if needs else operand)
    if isinstance(node, Binary):
        return _binary(node)
    raise TypeError(f"not a syntax tree node: {type(node).__name__}")


def format_number(value: float) -> str:
    """Shortest text that reads back as exactly ``value`` (3, not 3.0)."""
    if value.is_integer() and value < 1e16:
        return str(int(value))
    return repr(value)


def _binary(node: Binary) -> str:
    prec = PRECEDENCE[node.op]
    left, right = render(node.left), render(node.right)
    if node.op == "^":
        left_needs = isinstance(node.left, (Binary, Unary))
        right_needs = _is_binary_below(node.right, prec)
    else:
        left_needs = _is_binary_below(node.left, prec)
        right_needs = _is_binary_below(node.right, prec + 1) or _signed(right)
    left = f"({left})" if left_needs else left
    right = f"({right})" if right_needs else right
    return left + _JOIN[node.op] + right


def _is_binary_below(node: Node, prec: int) -> bool:
    return isinstance(node, Binary) and PRECEDENCE[node.op] < prec


def _signed(text: str) -> bool:
    return text.startswith(("-", "+"))

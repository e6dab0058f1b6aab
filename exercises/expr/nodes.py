"""The syntax tree: small immutable, hashable dataclasses.

Every node also carries two derived attributes that take no part in equality or hashing:
``height`` (1 for a leaf) and ``size`` (number of nodes). The parser uses them to enforce
``Limits`` in O(1) per node; the tree walkers rely on the height bound to stay far from
Python's recursion limit.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

FUNCTIONS = frozenset({
    "exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "sqrt", "abs",
})
FUNCTION_ALIASES = {"ln": "log"}  # ln is the natural log, the same as log
CONSTANTS = {"pi": math.pi, "e": math.e}
# Names a template may not use for a parameter: they already mean something.
RESERVED_NAMES = frozenset(FUNCTIONS | FUNCTION_ALIASES.keys() | CONSTANTS.keys())

UNARY_OPS = frozenset({"-", "+"})
BINARY_OPS = frozenset({"+", "-", "*", "/", "^"})

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def is_identifier(text: str) -> bool:
    return bool(_IDENTIFIER.match(text))


def _set_shape(node, *children) -> None:
    object.__setattr__(node, "height", 1 + max((c.height for c in children), default=0))
    object.__setattr__(node, "size", 1 + sum(c.size for c in children))


@dataclass(frozen=True)
class Num:
    """A non-negative finite number literal (a minus sign is a ``Unary`` node)."""
    value: float
    height: int = field(init=False, repr=False, compare=False)
    size: int = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float)):
            raise TypeError(f"Num needs a number, got {self.value!r}")
        value = float(self.value)
        # -0.0 is excluded too: it would print as a unary minus.
        if not math.isfinite(value) or math.copysign(1.0, value) < 0:
            raise ValueError(f"Num needs a finite number >= 0, got {self.value!r}")
        object.__setattr__(self, "value", value)
        _set_shape(self)


@dataclass(frozen=True)
class Name:
    """A variable."""
    id: str
    height: int = field(init=False, repr=False, compare=False)
    size: int = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if not isinstance(self.id, str) or not is_identifier(self.id):
            raise ValueError(f"not a variable name: {self.id!r}")
        if self.id in RESERVED_NAMES:
            raise ValueError(f"{self.id!r} is reserved (a function or a constant)")
        _set_shape(self)


@dataclass(frozen=True)
class Const:
    """``pi`` or ``e``."""
    name: str
    height: int = field(init=False, repr=False, compare=False)
    size: int = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.name not in CONSTANTS:
            raise ValueError(f"unknown constant {self.name!r}")
        _set_shape(self)

    @property
    def value(self) -> float:
        return CONSTANTS[self.name]


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node
    height: int = field(init=False, repr=False, compare=False)
    size: int = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.op not in UNARY_OPS:
            raise ValueError(f"unknown unary operator {self.op!r}")
        _check_node(self.operand)
        _set_shape(self, self.operand)


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node
    height: int = field(init=False, repr=False, compare=False)
    size: int = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.op not in BINARY_OPS:
            raise ValueError(f"unknown binary operator {self.op!r}")
        _check_node(self.left)
        _check_node(self.right)
        _set_shape(self, self.left, self.right)


@dataclass(frozen=True)
class Call:
    """A function of one argument; ``func`` is the canonical name (``log``, never ``ln``)."""
    func: str
    arg: Node
    height: int = field(init=False, repr=False, compare=False)
    size: int = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.func not in FUNCTIONS:
            raise ValueError(f"unknown function {self.func!r}")
        _check_node(self.arg)
        _set_shape(self, self.arg)


Node = Num | Name | Const | Unary | Binary | Call
NODE_TYPES = (Num, Name, Const, Unary, Binary, Call)


def _check_node(value) -> None:
    if not isinstance(value, NODE_TYPES):
        raise TypeError(f"expected a syntax tree node, got {type(value).__name__}")


def free_names(node: Node) -> frozenset[str]:
    """The variable names the expression uses (constants excluded)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Name):
            found.add(current.id)
        elif isinstance(current, (Unary, Call)):
            stack.append(current.operand if isinstance(current, Unary) else current.arg)
        elif isinstance(current, Binary):
            stack.extend((current.left, current.right))
    return frozenset(found)

"""A Pratt parser from tokens to the syntax tree, enforcing ``Limits`` as it goes."""
from __future__ import annotations

import math
import re
from collections.abc import Iterable

from .errors import ExprError
from .evaluate import evaluate
from .hints import unknown_function_hint, unknown_name_hint
from .lexer import Token, tokenize
from .limits import Limits
from .nodes import (
    CONSTANTS, FUNCTION_ALIASES, FUNCTIONS, RESERVED_NAMES, Binary, Call, Const, Name, Node,
    Num, Unary, free_names, is_identifier,
)
from .normalize import Normalized, normalize

# Binding powers (left, right). Right < left makes ^ right-associative.
INFIX = {"+": (10, 11), "-": (10, 11), "*": (20, 21), "/": (20, 21), "^": (30, 29)}
# A sign binds tighter than * but looser than ^: -x^2 is -(x^2), -2x is (-2)x.
PREFIX = 25
# x(y+1) is a product, but abc(x) is taken for a misspelt function, not a*b*c*(x).
_FUNCTION_LIKE = re.compile(r"[A-Za-z]{2}")


def parse(text: str, *, limits: Limits | None = Limits(),
          names: Iterable[str] | None = None, functions: bool = True) -> Node:
    """Parse ``text`` into a syntax tree; raise ``ExprError`` on any problem.

    With ``names``, every variable must be one of them. ``limits=None`` means the defaults.
    ``functions=False`` refuses function calls (a numeric answer is a number or arithmetic,
    not ``tanh(0.5)``); the constants π and e stay allowed.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() needs a str, got {type(text).__name__}")
    limits = Limits() if limits is None else limits
    allowed = _check_names(names)
    if len(text) > limits.max_length:  # before anything that costs time
        raise ExprError("too_long", limits.max_length, text,
                        length=len(text), limit=limits.max_length)
    norm = normalize(text)
    return _Parser(tokenize(norm), norm, limits, allowed, functions).parse()


def _check_names(names):
    if names is None:
        return None
    if isinstance(names, str):  # frozenset("xy") would silently allow x and y
        raise TypeError("names must be a collection of names, not a str")
    allowed = frozenset(names)
    for name in allowed:
        if not isinstance(name, str) or not is_identifier(name):
            raise ValueError(f"not a variable name: {name!r}")
    reserved = allowed & RESERVED_NAMES
    if reserved:
        raise ValueError(f"reserved names cannot be variables: {sorted(reserved)}")
    return allowed


class _Parser:
    def __init__(self, tokens: list[Token], norm: Normalized, limits: Limits, names, functions: bool = True):
        self.tokens, self.norm, self.limits, self.names = tokens, norm, limits, names
        self.functions = functions
        self.i = 0
        self.depth = {"parens": 0, "operators": 0}

    def error(self, key: str, token: Token | None, hint=None, **params) -> ExprError:
        return self.norm.error(key, None if token is None else token.start, hint, **params)

    def peek(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise self.error("empty", None)
        node = self.expression(0)
        token = self.peek()
        if token.kind == ")":
            raise self.error("extra_close", token)
        if token.kind != "end":  # unreachable in practice: expression() takes all it can
            raise self.error("unexpected_token", token, found=token.text)
        return node

    def expression(self, min_bp: int, via: Token | None = None, paren: bool = False) -> Node:
        """Parse while operators bind at least ``min_bp``; the only place the parser recurses.

        Depth is counted on the way down, before Python's stack can suffer: parentheses
        separately, and operators (each one here is an ancestor of what follows, so more than
        max_depth of them means the tree would be too tall anyway).
        """
        counter = "parens" if paren else "operators"
        if via is not None:
            self.depth[counter] += 1
            # An operator's operand has that operator as an ancestor, plus a leaf below.
            allowed = self.limits.max_depth if paren else self.limits.max_depth - 1
            if self.depth[counter] > allowed:
                raise self.error("too_deep", via, limit=self.limits.max_depth)
        left = self.prefix()
        last_op = None
        while True:
            token = self.peek()
            implicit = token.kind in ("num", "name", "(")
            op = "*" if implicit else token.op
            if not op or INFIX[op][0] < min_bp:
                break
            if implicit:
                self.check_implicit(token, last_op)
            else:
                self.advance()
            right = self.expression(INFIX[op][1], token)
            left = self.build(token, Binary, op, left, right)
            last_op = op
        if via is not None:
            self.depth[counter] -= 1
        return left

    def check_implicit(self, token: Token, last_op: str | None) -> None:
        if token.kind == "num":  # "2 3", "x 2", "(x+1)2": more likely a typo than a product
            raise self.error("missing_operator", token, text=token.text)
        if last_op == "/":       # 1/2x: (1/2)x or 1/(2x)? Refuse to guess.
            raise self.error("ambiguous_division", token)

    def prefix(self) -> Node:
        token = self.advance()
        if token.kind == "num":
            return self.build(token, Num, self.number(token))
        if token.kind == "name":
            return self.name(token)
        if token.kind == "(":
            return self.parenthesised(token)
        if token.op in ("-", "+"):
            return self.build(token, Unary, token.op, self.expression(PREFIX, token))
        if token.kind == "end":
            after = self.tokens[self.i - 2].text if self.i >= 2 else ""
            raise self.error("unexpected_end", token, after=after)
        raise self.error("unexpected_token", token, found=token.text)

    def parenthesised(self, opener: Token) -> Node:
        if self.peek().kind == ")":
            raise self.error("empty_parentheses", opener)
        inner = self.expression(0, opener, paren=True)
        if self.peek().kind != ")":
            raise self.error("missing_close", opener)
        self.advance()
        return inner

    def number(self, token: Token) -> float:
        value = float(token.text)  # the lexer let through digits, '.', 'e' and a sign only
        if not value <= self.limits.max_number:
            raise self.error("number_too_large", token, text=token.text,
                             limit=self.limits.max_number)
        return value

    def name(self, token: Token) -> Node:
        text = token.text
        func = FUNCTION_ALIASES.get(text, text)
        if func in FUNCTIONS:
            if not self.functions:
                raise self.error("function_not_allowed", token, name=text)
            if self.peek().kind != "(":
                raise self.error("function_needs_parenthesis", token, name=text)
            return self.build(token, Call, func, self.parenthesised(self.advance()))
        if text in CONSTANTS:
            return self.build(token, Const, text)
        calls = self.peek().kind == "(" and _FUNCTION_LIKE.match(text)
        if calls and not self.functions:
            raise self.error("function_not_allowed", token, name=text)
        if calls and (self.names is None or text not in self.names):
            raise self.error("unknown_function", token, unknown_function_hint(text), name=text)
        if self.names is not None and text not in self.names:
            hint = unknown_name_hint(text, self.names)
            raise self.error("unknown_name", token, hint, name=text)
        return self.build(token, Name, text)

    def build(self, token: Token, cls, *args) -> Node:
        node = cls(*args)
        if node.size > self.limits.max_nodes:
            raise self.error("too_many_nodes", token, limit=self.limits.max_nodes)
        if node.height > self.limits.max_depth:
            raise self.error("too_deep", token, limit=self.limits.max_depth)
        if isinstance(node, Binary) and node.op == "^":
            self.check_exponent(token, node.right)
        return node

    def check_exponent(self, token: Token, exponent: Node) -> None:
        """An exponent without variables must be a modest finite number (stops 9^9^9^9)."""
        if isinstance(exponent, Num):  # the usual case, x^2: no need for numpy
            value = exponent.value
        elif free_names(exponent):
            return
        else:
            value = float(evaluate(exponent, {}))
        if not (math.isfinite(value) and abs(value) <= self.limits.max_exponent):
            raise self.error("exponent_too_large", token, limit=self.limits.max_exponent)

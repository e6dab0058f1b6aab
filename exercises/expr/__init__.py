"""The safe expression language: a hand-written parser (never eval), limits on size, depth
and magnitude, canonical text, LaTeX, vectorised numpy evaluation and autodiff graphs.

    >>> from exercises.expr import parse, render
    >>> render(parse("２ｘ（ｘ＋１）^2"))
    '2*x*(x + 1)^2'
"""
from .errors import ExprError
from .evaluate import evaluate
from .graph import to_graph
from .latex import to_latex
from .limits import Limits
from .nodes import (
    CONSTANTS, FUNCTION_ALIASES, FUNCTIONS, RESERVED_NAMES, Binary, Call, Const, Name, Node, Num,
    Unary, free_names,
)
from .parser import parse
from .render import render

__all__ = [
    "parse", "render", "to_latex", "evaluate", "to_graph", "free_names", "ExprError", "Limits",
    "FUNCTIONS", "FUNCTION_ALIASES", "CONSTANTS", "RESERVED_NAMES",
    "Node", "Num", "Name", "Const", "Unary", "Binary", "Call",
]

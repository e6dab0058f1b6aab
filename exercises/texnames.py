"""How a node's name and a gradient's numerator are written in TeX, for prompts and solutions."""
from __future__ import annotations

from .expr import parse, to_latex


def tex_name(name: str) -> str:
    return to_latex(parse(name))


def numerator(template, of: str) -> str:
    """With an upstream gradient the output feeds a loss L further on: ask for dL/dx."""
    return "L" if template.upstream and of == template.output else tex_name(of)

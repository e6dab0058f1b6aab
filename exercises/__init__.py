"""Domain core: autodiff engine, numerical differentiation, expression language,
exercise templates, verified generation and grading. Pure Python + numpy; imports nothing
from the web layer.

    >>> from exercises import generate, grade
    >>> ex = generate("shopping-apple-orange", params={"apple": 100, "apple_num": 2,
    ...               "orange": 150, "orange_num": 3, "tax": 1.1})
    >>> grade(ex, {"price": "715", "d_apple": "2.2"}).parts["price"].status
    'correct'
"""
from __future__ import annotations

from .generation import generate_from
from .grading import grade
from .registry import catalog, get_template

__all__ = ["catalog", "generate", "grade"]


def generate(template, seed: int | None = None, params: dict | None = None):
    """A verified exercise from a template: a built-in slug or a ``Source`` (see
    ``exercises.source``; ``template_source.from_yaml`` makes one from YAML)."""
    if isinstance(template, str):
        template = get_template(template)
    return generate_from(template, seed=seed, params=params)

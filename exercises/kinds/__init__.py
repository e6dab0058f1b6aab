"""Part kinds as a registry: ``KINDS`` maps a kind name to the object that owns it.

Adding a kind is one module here (a ``Kind`` subclass), one line in ``_ALL`` and one web form
partial ``quizapp/templates/study/kinds/<form>.html`` (see docs/kinds.md).
"""
from __future__ import annotations

from .base import Kind, PartResult
from .choice import ChoiceKind
from .code import CodeKey, CodeKind
from .formula import FormulaKey, FormulaKind
from .gradient import GradientKind
from .arrays import ArrayKey
from .guided import GuidedKey, GuidedKind
from .matrix import MatrixKind
from .ordered import OrderedKey, OrderedKind
from .shape import ShapeKind
from .update import UpdateKind
from .value import ValueKind
from .vector import VectorKind

_ALL = (ValueKind, GradientKind, FormulaKind, ChoiceKind, UpdateKind, GuidedKind,
        VectorKind, MatrixKind, ShapeKind, OrderedKind, CodeKind)
KINDS: dict[str, Kind] = {cls.name: cls() for cls in _ALL}


def kind_of(part) -> Kind:
    """The kind object of a part (or part spec) by its ``kind`` name."""
    return KINDS[part.kind]


__all__ = ["KINDS", "Kind", "PartResult", "kind_of", "ArrayKey", "CodeKey", "FormulaKey", "GuidedKey", "OrderedKey"]

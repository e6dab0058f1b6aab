"""Mistakes of the the graph nodes of ゼロから作るDeep Learning ② (MatMul, Repeat, Sum) exercises."""
from __future__ import annotations

from .model import Misconception, text  # noqa: F401

MISTAKES: list[Misconception] = []

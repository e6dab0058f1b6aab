"""Mistakes of the activation functions and losses exercises."""
from __future__ import annotations

from .model import Misconception, text  # noqa: F401

MISTAKES: list[Misconception] = []

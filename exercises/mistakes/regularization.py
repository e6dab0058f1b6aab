"""Mistakes of the L1/L2 weight decay and dropout exercises."""
from __future__ import annotations

from .model import Misconception, text  # noqa: F401

MISTAKES: list[Misconception] = []

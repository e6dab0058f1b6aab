"""Mistakes of the gradient-descent trajectories, Newton's method, mini-batch arithmetic exercises."""
from __future__ import annotations

from .model import Misconception, text  # noqa: F401

MISTAKES: list[Misconception] = []

"""The one protocol every exercise source implements: YAML templates (``template_source``) and
Python generators (``generators``) alike. PrairieLearn's generate/grade split is the model:
the source draws and builds plain data; ``generation.generate_from`` owns the single
draw → build → verify → redraw loop, so nothing downstream asks which kind of source it has.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from .exercise import Exercise
from .text import TextLike

# Engine gradients against central differences (or the book's layer), for every source.
# Measured: see docs/numdiff.md.
GRAD_RTOL, GRAD_ATOL = 1e-5, 1e-7


class Source(Protocol):
    """What the catalog, the generation loop, the web view and the API read from a source."""
    slug: str
    version: int
    family: str
    difficulty: int
    topics: tuple[str, ...]
    syllabus: tuple[str, ...]  # JDLA syllabus item ids (exercises/spec/syllabus.yaml)
    title: TextLike
    statement: TextLike
    hints: tuple[TextLike, ...]
    explanation: TextLike
    source: str             # what is stored per version: the YAML, or a generator's description
    origin: str             # "template" or "generator", as the API reports it
    params_doc: TextLike | None  # the explicit parameters, described (when there is no grid)
    # Parameters a caller may fix while the rest is drawn (a learner's framework): ``params``
    # naming only these draws from the seed with them in place (``generation.generate_from``).
    preferences: tuple[str, ...]

    @property
    def yaml(self) -> str | None:
        """YAML an instructor may copy into a template of their own, else None."""

    def param_domains(self) -> list[dict]:
        """Each parameter's grid ({name, min, max, step, decimals} or {name, choices, decimals})."""

    def numerator(self, of: str) -> str:
        """What a guided step's gradient is of: "L" behind an upstream gradient, else ``of``."""

    def layout(self, rng: np.random.Generator) -> Callable[[], np.random.Generator]:
        """Called once before drawing: each build's stream for choices that are not parameters."""

    def draw(self, rng: np.random.Generator) -> dict:
        """Parameters drawn from ``rng``, in the form ``check_params`` returns; ``Rejected``
        for a draw that cannot be used (its constraints fail)."""

    def check_params(self, params) -> dict:
        """Explicit parameters validated (``ParamsError`` with ja/en text) and normalised; a
        source accepts its own output, so generating with ``ex.params`` rebuilds ``ex``."""

    def build(self, seed: int, params: dict, layout: np.random.Generator, drawn: bool) -> Exercise:
        """The verified exercise, or ``Rejected`` (``drawn`` is False for explicit params)."""

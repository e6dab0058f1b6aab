"""What every part kind answers: its answer fields, parsing, grading, expected text, reference.

A kind is a stateless class; ``exercises.kinds.KINDS`` maps a kind name to its instance. Grading
code, the web view, the API schema and the answer key ask the kind instead of branching on the
kind's name. Kinds import nothing from ``exercises.exercise`` (a part is read by its attributes),
so ``Exercise`` can ask them for its answer keys without an import cycle.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..answers import AnswerFormatError
from ..text import TextLike


@dataclass
class PartResult:
    id: str
    status: str  # correct, incorrect, unanswered, or invalid (unreadable: not an attempt)
    score: float = 0.0
    given: object = None
    expected: str = ""
    misconception: dict | str | None = None  # a kind sets the id, grade() names it (a dict)
    error: dict | None = None
    steps: dict = field(default_factory=dict)  # guided: step -> {"status", "expected"}

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


class Kind:
    """One part kind. Subclasses set ``name``, ``form`` and override what differs."""

    name = ""
    numeric = False      # answered with one number (value-like)
    description = {"ja": "", "en": ""}  # what the answer text is, for the API schema
    empty: object = ""   # what an untouched form field reads as (a choice: None)
    stepwise = False     # answered step by step ("part.step" fields), shown as a step table
    shows_precision = True
    code_choices = False  # the options are lines of code (shown as code)
    help: TextLike | None = None  # a {ja, en} line the web form shows under the prompt
    # -- the template spec: fields beyond id/kind/prompt/precision/mistakes ------------------
    fields: frozenset = frozenset()
    has_precision = False  # reads ``precision`` (default 3 significant digits)
    takes_functions = False  # the spec may allow function calls in the answer (``functions: true``)
    needs_prompt = False   # no default prompt: the template must write one

    def read_spec(self, reader, raw, field):
        """The kind's spec fields as a dict for ``PartSpec``, or None after adding problems.
        ``reader`` gives ``problems``, ``params``, ``nodes``, ``output`` and ``ref``."""
        return getattr(reader, f"_{self.name}")(raw, field)

    def reference(self, builder, spec):
        """(answer key, {misconception id: wrong answer}) from the computation. ``builder``
        gives ``params``, ``base`` (forward values), ``grads(of)``, ``checked_gradient``,
        ``gradient_at``, ``graph_mistakes``, ``declared``, ``differing`` and the keys of the
        formula and guided kinds (see exercises/build.py)."""
        raise NotImplementedError(self.name)

    def default_prompt(self, part, params: dict, template) -> dict:
        """The {ja, en} prompt when the template writes none (kinds with ``needs_prompt``
        never get here: a template must write theirs)."""
        raise NotImplementedError(self.name)

    def part_fields(self, spec, key) -> dict:
        """Extra public ``Part`` fields (steps, shape) once the key is known."""
        return {}

    # -- the answer fields a client sends ---------------------------------------------------
    @property
    def form(self) -> str:
        """The web form partial: quizapp/templates/study/kinds/<form>.html."""
        return self.name

    def answer_keys(self, part) -> list[str]:
        return [part.id]

    def answer_for(self, part, answers: dict):
        """This part's raw answer out of the flat ``{answer_key: text}`` dict."""
        return answers.get(part.id)

    def read_form(self, part, get) -> dict:
        """This part's answers from a web form (``get(name, default)``), as typed, under its
        answer keys: the one flat shape every channel stores."""
        return {part.id: get(part.id, self.empty)}

    def reference_answers(self, part, key) -> dict:
        """The right answer typed as a learner would: answer key -> text."""
        raise NotImplementedError

    # -- grading ----------------------------------------------------------------------------
    def expected(self, part, key) -> str:
        return str(key)

    def reference_text(self, part, key) -> str:
        """The reference answer as an instructor preview shows it."""
        return self.expected(part, key)

    def shown_expected(self, part, key, result) -> tuple[str, object]:
        """How a result page shows the right answer: ("text", s), ("math", latex) or
        ("choice", index)."""
        return "text", result.expected

    def blank(self, raw) -> bool:
        if isinstance(raw, dict):
            return not any(not self.blank(v) for v in raw.values())
        return raw is None or (isinstance(raw, str) and not raw.strip())

    def grade(self, part, raw, key, mistakes: dict) -> PartResult:
        """``raw`` is not blank. A misconception found is returned as its id (a string); the
        caller names it for the exercise's family. Raises AnswerFormatError when unreadable."""
        raise NotImplementedError

    def grade_answer(self, part, raw, key, mistakes: dict) -> PartResult:
        if self.blank(raw):
            return PartResult(part.id, "unanswered", 0.0, None, self.expected(part, key))
        try:
            return self.grade(part, raw, key, mistakes)
        except AnswerFormatError as err:
            return PartResult(part.id, "invalid", given=raw if isinstance(raw, (str, dict)) else None,
                              error=err.to_dict())

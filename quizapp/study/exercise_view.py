"""What the exercise pages show, as plain data for the templates: the parts with what was
typed and any reading error, and after grading the verdicts, expected answers and the
misconception. No request objects here except through the arguments."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup

from exercises.grading.answers import AnswerFormatError, parse_number
from exercises.kinds import kind_of
from exercises.misconceptions import for_family
from exercises.texnames import tex_name
from quizapp.study.richtext import inline, math, rich


def text(value, locale: str) -> str:
    """A {ja, en} text in the page's language (Japanese when the other is missing)."""
    if isinstance(value, dict):
        return value.get(locale) or value.get("ja") or ""
    return value or ""


@dataclass
class StepView:
    step: str
    field: str           # the form field's name: "<part>.<step>"
    label: Markup        # ∂L/∂step as math
    plain: str           # the same as text, for the input's accessible name
    typed: str = ""
    error: dict | None = None
    verdict: dict | None = None  # after grading: status, expected


@dataclass
class PartView:
    id: str
    kind: str
    form: str            # the form partial: study/kinds/<form>.html
    stepwise: bool       # answered per step, shown as a step table
    number: int
    prompt: Markup
    precision: str = ""
    help: str = ""       # how to type this kind's answer (vector, matrix, shape)
    functions: bool = False  # the answer may call functions (the template allows it)
    typed: object = ""   # str, or None for an unanswered choice
    error: dict | None = None
    choices: list = field(default_factory=list)   # (index as text, label markup)
    variables: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    result: object = None                          # exercises PartResult after grading
    given: Markup | str = ""
    expected: Markup | str = ""
    misconception: dict | None = None


def read_answers(form, exercise) -> dict:
    """The answers from a submitted form, exactly as typed (choices: the option's index), flat
    under the exercise's answer keys ("part" or "part.step"), as the API sends them."""
    answers: dict = {}
    for part in exercise.parts:
        answers.update(kind_of(part).read_form(part, form.get))
    return answers


def _choice_label(choice, locale: str, as_code: bool) -> Markup:
    label = text(choice, locale)
    return Markup("<code>{}</code>").format(label) if as_code else inline(label)


def _step_labels(template, exercise, part) -> dict:
    """∂L/∂step (with an upstream gradient) or ∂y/∂step, as math and as plain text."""
    key = exercise.answers[part.id]
    top = template.numerator(key.of)
    plain = "L" if top == "L" else key.of
    return {s: (math(rf"\frac{{\partial {top}}}{{\partial {tex_name(s)}}}"), f"∂{plain}/∂{s}")
            for s in part.steps}


def part_views(template, exercise, locale: str, answers: dict | None = None) -> list[PartView]:
    answers = answers or {}
    as_code = exercise.family == "code-fill"
    views = []
    for number, part in enumerate(exercise.parts, start=1):
        kind = kind_of(part)
        precision = part.precision.describe() if part.precision and kind.shows_precision else None
        view = PartView(part.id, part.kind, kind.form, kind.stepwise, number, inline(text(part.prompt, locale)),
                        text(precision, locale) if precision else "",
                        typed=answers.get(part.id, kind.empty))
        view.choices = [(str(i), _choice_label(c, locale, as_code or kind.code_choices))
                        for i, c in enumerate(part.choices)]
        view.variables = list(part.variables)
        view.help = text(kind.help, locale) if kind.help else ""
        view.functions = part.functions
        if kind.stepwise:
            labels = _step_labels(template, exercise, part)
            view.steps = [StepView(s, f"{part.id}.{s}", *labels[s], answers.get(f"{part.id}.{s}") or "")
                          for s in part.steps]
            view.typed = ""
        views.append(view)
    return views


def attach_errors(views: list[PartView], result, locale: str) -> None:
    """Reading errors (status invalid) next to their fields; guided steps each get their own."""
    for view in views:
        part = result.parts[view.id]
        if part.status != "invalid":
            continue
        view.error = _error(part.error, locale)
        for step in view.steps:
            if step.typed.strip() == "":
                step.error = {"message": _("回答が空です。"), "caret": ""}
                continue
            try:
                parse_number(step.typed, view.functions)
            except AnswerFormatError as err:
                step.error = _error(err.to_dict(), locale)


def _error(error: dict | None, locale: str) -> dict:
    error = error or {}
    return {"message": error.get(locale) or error.get("ja", ""), "caret": error.get("caret") or ""}


def attach_results(views: list[PartView], exercise, result, locale: str) -> None:
    """Verdicts, expected answers and the named misconception on every part."""
    for view in views:
        part_result = result.parts[view.id]
        view.result = part_result
        part = exercise.part(view.id)
        view.expected = _expected(exercise, part, part_result, view)
        view.given = _given(view)
        if part_result.misconception:
            m = part_result.misconception
            view.misconception = {"id": m["id"], "name": text(m["name"], locale),
                                  "explanation": rich(text(m["explanation"], locale))}
        for step in view.steps:
            step.verdict = _step_verdict(part_result.steps.get(step.step), exercise.family, locale)


def _step_verdict(verdict: dict | None, family: str, locale: str) -> dict | None:
    """The step's status and true gradient, what was right given the learner's own upstream
    values when that differs (error carried forward), and the slip the step shows, if named."""
    if not verdict:
        return None
    expected, carried = _short(verdict["expected"]), _short(verdict.get("expected_given_upstream", ""))
    named = for_family(family, verdict["misconception"]).name if verdict.get("misconception") else None
    return {"status": verdict["status"], "expected": expected,
            "carried": carried if carried and carried != expected else "",
            "misconception": text(named, locale) if named else ""}


def _short(number_text: str) -> str:
    try:
        return f"{float(number_text):.6g}"
    except ValueError:
        return number_text


def _expected(exercise, part, part_result, view: PartView):
    how, value = kind_of(part).shown_expected(part, exercise.answers[part.id], part_result)
    if how == "math":
        return math(value)
    if how == "choice":
        return dict(view.choices).get(str(value), str(value))
    return value


def _given(view: PartView):
    if view.choices:
        return dict(view.choices).get(str(view.typed), "") if view.typed is not None else ""
    return view.typed or ""

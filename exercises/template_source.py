"""A YAML template (``spec.Template``, plain data) as an exercise ``Source``."""
from __future__ import annotations

from .build import build_exercise
from .errors import ParamsError, Rejected
from .numbers import finite
from .texnames import numerator
from .spec.model import Template
from .spec.satisfy import holds
from .spec.syllabus import default_tags
from .spec.validate import load_template
from .text import TextLike


class TemplateSource:
    origin = "template"
    params_doc: TextLike | None = None
    preferences: tuple[str, ...] = ()

    def __init__(self, template: Template):
        self.template = template
        t = template
        self.slug, self.version, self.family, self.difficulty = t.slug, t.version, t.family, t.difficulty
        self.topics, self.title, self.statement = t.topics, t.title, t.statement
        self.syllabus = t.syllabus or default_tags(t.slug, t.family)
        self.hints, self.explanation, self.source = t.hints, t.explanation, t.source

    @property
    def yaml(self) -> str:
        return self.source

    def param_domains(self) -> list[dict]:
        return [_domain(p) for p in self.template.params]

    def numerator(self, of: str) -> str:
        return numerator(self.template, of)

    def layout(self, rng):
        return lambda: rng  # a template's build continues the draw stream

    def draw(self, rng) -> dict:
        drawn = {p.name: p.draw(rng) for p in self.template.params}
        if not all(bool(holds(c, drawn)) for c in self.template.constraints):
            raise Rejected("constraints")
        return drawn

    def check_params(self, params) -> dict:
        return checked_params(self.template, params)

    def build(self, seed: int, params: dict, layout, drawn: bool):
        return build_exercise(self.template, params, seed, layout, drawn)

    def __repr__(self):
        return f"<TemplateSource {self.slug} v{self.version}>"


def from_yaml(text: str) -> TemplateSource:
    """Validate a template's YAML (``TemplateError`` otherwise) and make it a source."""
    return TemplateSource(load_template(text))


def _domain(spec) -> dict:
    if spec.choices:
        return {"name": spec.name, "choices": list(spec.choices), "decimals": spec.decimals}
    return {"name": spec.name, "min": spec.low, "max": spec.high, "step": spec.step, "decimals": spec.decimals}


def _domain_text(spec) -> str:
    if spec.choices:
        return " | ".join(spec.format(c) for c in spec.choices)
    return f"{spec.format(spec.low)}..{spec.format(spec.high)} step {spec.format(spec.step)}"


def checked_params(template: Template, params) -> dict:
    if not isinstance(params, dict):
        raise ParamsError("params はパラメータ名と数値の対応です", "params must map parameter names to numbers")
    names = set(template.param_names)
    missing, unknown = names - set(params), set(params) - names
    if missing or unknown:
        raise ParamsError(f"パラメータが足りないか余分です（不足: {sorted(missing)}, 不明: {sorted(unknown)}）",
                          f"missing or unknown parameters (missing: {sorted(missing)}, unknown: {sorted(unknown)})",
                          field="params")
    out = {}
    for spec in template.params:
        value = params[spec.name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not finite(value) \
                or not spec.contains(float(value)):
            raise ParamsError(f"{spec.name} = {value!r} は範囲外か、刻みに合っていません（{_domain_text(spec)}）",
                              f"{spec.name} = {value!r} is outside its domain or off its grid ({_domain_text(spec)})",
                              field=f"params.{spec.name}")
        out[spec.name] = round(float(value), spec.decimals)
    for c in template.constraints:
        if not bool(holds(c, out)):
            raise ParamsError(f"条件 {c.text} を満たしていません", f"the constraint {c.text} does not hold",
                              field="params")
    return out

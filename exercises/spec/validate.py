"""Turn a template's source (YAML) into a ``Template``, listing every problem found."""
from __future__ import annotations

import re
from typing import cast

from . import fields
from .model import Constraint, ParamSpec, Template
from .parts import read_parts
from .problems import Problem, Problems, TemplateError
from .satisfy import check_satisfiable
from .syllabus import SYLLABUS, ordered
from .vocab import FAMILIES, LIMITS, TOPICS
from .yamlsrc import SourceError, load_with_lines

TOP_FIELDS = {"slug", "version", "family", "difficulty", "topics", "title", "statement", "params",
              "constraints", "nodes", "output", "upstream", "parts", "hints", "explanation",
              "syllabus"}
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{2,63}$")
COMPARISON_RE = re.compile(r"(<=|>=|!=|==|<|>)")


def load_template(source: str) -> Template:
    """Parse and fully validate a template; raise ``TemplateError`` listing every problem."""
    try:
        data, lines = load_with_lines(source)
    except SourceError as err:
        problems = Problems({})
        problems.items.append(_source_problem(err))
        problems.raise_if_any()
    problems = Problems(lines)
    if not isinstance(data, dict):
        problems.add("", "not_a_mapping", "テンプレートは「キー: 値」の形で書いてください",
                     "a template is a mapping of keys to values")
        problems.raise_if_any()
    data = cast(dict, data)  # raise_if_any raised for anything else
    for key in sorted(set(data) - TOP_FIELDS):
        problems.add(key, "unknown_field", f"知らない項目です: {key}", f"unknown field: {key}")
    template = _read(problems, data, source)
    problems.raise_if_any()
    template = cast(Template, template)  # _read gives None only with problems
    check_satisfiable(problems, template)
    problems.raise_if_any()
    return template


def _source_problem(err: SourceError):
    return Problem("", err.line, "yaml", err.message_ja, err.message_en)


def _read(problems: Problems, data: dict, source: str) -> Template | None:
    meta = _metadata(problems, data)
    params = _params(problems, data.get("params"))
    # Names declared but with a faulty definition still count as known, so one mistake is
    # reported once instead of again at every place that uses the name.
    param_names = set(_declared(data.get("params"))) | {p.name for p in params}
    constraints = _constraints(problems, data.get("constraints") or [], param_names)
    nodes = _nodes(problems, data.get("nodes"), param_names)
    node_names = [n for n in _declared(data.get("nodes")) if n not in param_names] or [n for n, _ in nodes]
    output = data.get("output", node_names[-1] if node_names else None)
    if node_names and output not in node_names:
        problems.add("output", "unknown_node", f"output のノード {output!r} がありません",
                     f"output node {output!r} does not exist")
    upstream = data.get("upstream")
    if upstream is not None and upstream not in param_names:
        problems.add("upstream", "unknown_param", f"upstream のパラメータ {upstream!r} がありません",
                     f"upstream parameter {upstream!r} does not exist")
    parts = read_parts(problems, data.get("parts"), param_names, node_names, output)
    hints = _hints(problems, data.get("hints") or [])
    explanation = fields.text(problems, data.get("explanation"), "explanation", required=False)
    if problems.items:
        return None
    return Template(params=tuple(params), constraints=tuple(constraints), nodes=tuple(nodes),
                    output=cast(str, output), upstream=upstream, parts=tuple(parts), hints=tuple(hints),
                    explanation=explanation or {"ja": "", "en": ""}, source=source, **meta)


def _declared(section) -> list | set:
    if not isinstance(section, dict):
        return set()
    return [k for k in section if isinstance(k, str) and fields.NAME_RE.match(k)
            and k not in fields.RESERVED_NAMES]


def _metadata(problems: Problems, data: dict) -> dict:
    slug = data.get("slug")
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        problems.add("slug", "bad_slug", "slug は英小文字・数字・ハイフンで3〜64文字にしてください",
                     "slug must be 3-64 lowercase letters, digits and hyphens")
    version = data.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.add("version", "bad_version", "version は1以上の整数です", "version must be an integer >= 1")
    family = data.get("family")
    if family not in FAMILIES:
        problems.add("family", "unknown_family", f"知らない family です: {family!r}（{', '.join(FAMILIES)}）",
                     f"unknown family {family!r} (one of {', '.join(FAMILIES)})")
    difficulty = data.get("difficulty", 1)
    if isinstance(difficulty, bool) or difficulty not in (1, 2, 3, 4, 5):
        problems.add("difficulty", "bad_difficulty", "difficulty は1〜5の整数です",
                     "difficulty must be an integer from 1 to 5")
    topics = data.get("topics")
    if not isinstance(topics, list) or not topics or any(t not in TOPICS for t in topics):
        problems.add("topics", "unknown_topic", f"topics は次から選んでください: {', '.join(TOPICS)}",
                     f"topics must be chosen from: {', '.join(TOPICS)}")
        topics = []
    syllabus = data.get("syllabus", [])
    if not isinstance(syllabus, list) or any(not isinstance(i, str) or i not in SYLLABUS for i in syllabus):
        problems.add("syllabus", "unknown_syllabus", f"syllabus は次の項目のリストです: {', '.join(SYLLABUS)}",
                     f"syllabus lists items from: {', '.join(SYLLABUS)}")
        syllabus = []
    title = fields.text(problems, data.get("title"), "title")
    statement = fields.text(problems, data.get("statement"), "statement")
    return {"slug": slug, "version": version, "family": family, "difficulty": difficulty,
            "topics": tuple(topics), "syllabus": tuple(ordered(syllabus)), "title": title, "statement": statement}


def _params(problems: Problems, data) -> list[ParamSpec]:
    if not isinstance(data, dict) or not data:
        problems.add("params", "no_params", "params（パラメータ）を1つ以上書いてください",
                     "declare at least one parameter under params")
        return []
    if len(data) > LIMITS["params"]:
        problems.add("params", "too_many_params", f"パラメータが多すぎます（上限 {LIMITS['params']}）",
                     f"too many parameters (limit {LIMITS['params']})")
        return []
    out = []
    for key, spec in data.items():
        field = f"params.{key}"
        if fields.name(problems, key, field) is None:
            continue
        param = _param(problems, key, spec, field)
        if param is not None:
            out.append(param)
    return out


def _param(problems: Problems, key: str, spec, field: str) -> ParamSpec | None:
    if not isinstance(spec, dict):
        spec = {"value": spec}
    unknown = set(spec) - {"min", "max", "step", "choices", "value", "decimals"}
    for k in sorted(unknown):
        problems.add(f"{field}.{k}", "unknown_field", f"知らない項目です: {k}", f"unknown field: {k}")
    if "value" in spec:
        spec = {"choices": [spec["value"]], **{k: v for k, v in spec.items() if k != "value"}}
    if "choices" in spec:
        raw = spec["choices"]
        if not isinstance(raw, list) or not 1 <= len(raw) <= 50:
            problems.add(f"{field}.choices", "bad_choices", "choices は1〜50個の数値のリストです",
                         "choices must be a list of 1 to 50 numbers")
            return None
        values = [fields.number(problems, v, f"{field}.choices[{i}]") for i, v in enumerate(raw)]
        if None in values:
            return None
        numbers = cast("list[float]", values)  # no None left
        decimals = spec.get("decimals", max(fields.decimals_of(v) for v in numbers))
        return ParamSpec(key, choices=tuple(numbers), decimals=_decimals(problems, decimals, field))
    return _range_param(problems, key, spec, field)


def _range_param(problems: Problems, key: str, spec: dict, field: str) -> ParamSpec | None:
    if "min" not in spec or "max" not in spec:
        problems.add(field, "bad_domain", "min と max、または choices か value を書いてください",
                     "give min and max, or choices, or value")
        return None
    low = fields.number(problems, spec["min"], f"{field}.min")
    high = fields.number(problems, spec["max"], f"{field}.max")
    step = fields.number(problems, spec.get("step", 1), f"{field}.step")
    if None in (low, high, step):
        return None
    low, high, step = cast(float, low), cast(float, high), cast(float, step)
    if not (step > 0 and low <= high) or (high - low) / step > 100_000:
        problems.add(field, "bad_domain", "min ≤ max、step > 0、刻みの数は 100000 以下にしてください",
                     "need min <= max, step > 0 and at most 100000 steps")
        return None
    decimals = spec.get("decimals", max(fields.decimals_of(v) for v in (low, high, step)))
    return ParamSpec(key, low=low, high=high, step=step, decimals=_decimals(problems, decimals, field))


def _decimals(problems: Problems, value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        problems.add(f"{field}.decimals", "bad_decimals", "decimals は0〜10の整数です",
                     "decimals must be an integer from 0 to 10")
        return 0
    return value


def _constraints(problems: Problems, data, names: set[str]) -> list[Constraint]:
    if not isinstance(data, list) or len(data) > LIMITS["constraints"]:
        problems.add("constraints", "bad_constraints",
                     f"constraints は {LIMITS['constraints']} 個までの条件式のリストです",
                     f"constraints must be a list of at most {LIMITS['constraints']} conditions")
        return []
    out = []
    for i, raw in enumerate(data):
        field = f"constraints[{i}]"
        pieces = COMPARISON_RE.split(raw) if isinstance(raw, str) else []
        if len(pieces) != 3:
            problems.add(field, "bad_constraint", "条件は「式 比較 式」の形で1つだけ書いてください（例: x + y > 0）",
                         "write one comparison: expression op expression (e.g. x + y > 0)")
            continue
        left = fields.expression(problems, pieces[0].strip(), field, names)
        right = fields.expression(problems, pieces[2].strip(), field, names)
        if left is not None and right is not None:
            out.append(Constraint(raw, left, pieces[1], right))
    return out


def _nodes(problems: Problems, data, param_names: set[str]) -> list:
    if not isinstance(data, dict) or not data:
        problems.add("nodes", "no_nodes", "nodes（計算のノード）を1つ以上書いてください",
                     "declare at least one node under nodes")
        return []
    if len(data) > LIMITS["nodes"]:
        problems.add("nodes", "too_many_nodes", f"ノードが多すぎます（上限 {LIMITS['nodes']}）",
                     f"too many nodes (limit {LIMITS['nodes']})")
        return []
    known, out = set(param_names), []
    for key, source in data.items():
        field = f"nodes.{key}"
        if fields.name(problems, key, field) is None:
            continue
        if key in known:
            problems.add(field, "duplicate_name", f"{key} はすでにパラメータかノードの名前です",
                         f"{key} is already a parameter or node name")
            continue
        expr = fields.expression(problems, source, field, known)
        known.add(key)
        if expr is not None:
            out.append((key, expr))
    return out


def _hints(problems: Problems, data) -> list:
    if not isinstance(data, list) or len(data) > LIMITS["hints"]:
        problems.add("hints", "bad_hints", f"hints は {LIMITS['hints']} 個までの文章のリストです",
                     f"hints must be a list of at most {LIMITS['hints']} texts")
        return []
    texts = [fields.text(problems, h, f"hints[{i}]") for i, h in enumerate(data)]
    return [t for t in texts if t]


__all__ = ["load_template", "TemplateError"]

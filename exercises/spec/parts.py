"""Reading the ``parts`` a template asks: each must reference something that exists."""
from __future__ import annotations

import re

from . import fields
from ..expr.nodes import is_identifier
from ..misconceptions import MISCONCEPTIONS
from .model import PartSpec, Precision
from .problems import Problems
from ..kinds import KINDS
from .vocab import LIMITS, PART_KINDS

PART_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
NUMERIC_KINDS = {name for name, k in KINDS.items() if k.has_precision}
KIND_FIELDS = {name: set(k.fields) for name, k in KINDS.items()}
COMMON = {"id", "kind", "prompt", "precision", "mistakes"}
FUNCTION_KINDS = {name for name, k in KINDS.items() if k.takes_functions}
DEFAULT_PRECISION = Precision("sig", 3)


def read_parts(problems: Problems, data, params: set[str], nodes: list[str], output) -> list[PartSpec]:
    if not isinstance(data, list) or not data:
        problems.add("parts", "no_parts", "parts（設問）を1つ以上書いてください", "declare at least one part")
        return []
    if len(data) > LIMITS["parts"]:
        problems.add("parts", "too_many_parts", f"設問が多すぎます（上限 {LIMITS['parts']}）",
                     f"too many parts (limit {LIMITS['parts']})")
        return []
    reader = _PartReader(problems, params, nodes, output)
    out = [reader.read(raw, f"parts[{i}]") for i, raw in enumerate(data)]
    ids = [p.id for p in out if p]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.add("parts", "duplicate_part", f"設問の id {dup!r} が重複しています", f"duplicate part id {dup!r}")
    return [p for p in out if p]


class _PartReader:
    def __init__(self, problems: Problems, params: set[str], nodes: list[str], output):
        self.problems, self.params, self.nodes, self.output = problems, params, set(nodes), output

    def read(self, raw, field: str) -> PartSpec | None:
        p = self.problems
        if not isinstance(raw, dict):
            p.add(field, "bad_part", "設問は「キー: 値」の形で書いてください", "a part is a mapping")
            return None
        kind = raw.get("kind")
        if kind not in PART_KINDS:
            p.add(f"{field}.kind", "unknown_kind", f"kind は {', '.join(PART_KINDS)} のどれかです",
                  f"kind must be one of {', '.join(PART_KINDS)}")
            return None
        allowed = COMMON | KIND_FIELDS[kind] | ({"functions"} if kind in FUNCTION_KINDS else set())
        for key in sorted(set(raw) - allowed):
            p.add(f"{field}.{key}", "unknown_field", f"{kind} の設問に {key} は使えません",
                  f"{key} is not a field of a {kind} part")
        part_id = raw.get("id")
        if not isinstance(part_id, str) or not PART_ID_RE.match(part_id):
            p.add(f"{field}.id", "bad_part_id", "id は英小文字で始まる英数字と _ にしてください",
                  "id must be lowercase letters, digits and _")
            return None
        spec = KINDS[kind].read_spec(self, raw, field)
        if spec is None:
            return None
        if KINDS[kind].needs_prompt and raw.get("prompt") is None:
            p.add(f"{field}.prompt", "prompt_required", f"{kind} の設問には prompt（問題文）が必要です",
                  f"a {kind} part needs a prompt")
            return None
        prompt = fields.text(p, raw.get("prompt"), f"{field}.prompt", required=False)
        precision = self._precision(raw.get("precision"), f"{field}.precision") if kind in NUMERIC_KINDS else None
        mistakes = self._mistakes(raw.get("mistakes"), f"{field}.mistakes",
                                  len(spec.get("choices", ())) if kind == "choice" else None)
        functions = raw.get("functions", False)
        if not isinstance(functions, bool):
            p.add(f"{field}.functions", "bad_functions", "functions は true か false です",
                  "functions is true or false")
            functions = False
        return PartSpec(id=part_id, kind=kind, prompt=prompt, precision=precision, mistakes=mistakes,
                        functions=functions, **spec)

    def ref(self, raw, key: str, field: str, allowed: set[str], default=None):
        value = raw.get(key, default)
        if value not in allowed:
            self.problems.add(f"{field}.{key}", "unknown_reference",
                              f"{key}: {value!r} というパラメータ・ノードはありません",
                              f"{key}: no parameter or node named {value!r}")
            return None
        return value

    def _value(self, raw, field):
        node = self.ref(raw, "node", field, self.nodes | self.params)
        return None if node is None else {"node": node}

    def _gradient(self, raw, field):
        of = self.ref(raw, "of", field, self.nodes, self.output)
        wrt = self.ref(raw, "wrt", field, self.nodes | self.params)
        if of is None or wrt is None:
            return None
        if of == wrt:
            self.problems.add(f"{field}.wrt", "self_gradient", "自分自身での微分は 1 で、問題になりません",
                              "the gradient of a node with respect to itself is 1")
            return None
        return {"of": of, "wrt": wrt}

    def _formula(self, raw, field):
        spec = self._gradient(raw, field)
        if spec is None:
            return None
        variables = raw.get("variables", [spec["wrt"]])
        if not isinstance(variables, list) or not variables or any(v not in self.params for v in variables):
            self.problems.add(f"{field}.variables", "unknown_reference",
                              "variables はパラメータ名のリストです", "variables must list parameter names")
            return None
        # The reference may use every parameter (fixed at the instance's values); the learner
        # writes a formula in ``variables`` only.
        answer = fields.expression(self.problems, raw.get("answer"), f"{field}.answer", self.params)
        if answer is None:
            return None
        return {**spec, "variables": tuple(variables), "answer": str(raw["answer"]), "answer_node": answer}

    def _choice(self, raw, field):
        choices = raw.get("choices")
        if not isinstance(choices, list) or not 2 <= len(choices) <= LIMITS["choices"]:
            self.problems.add(f"{field}.choices", "bad_choices",
                              f"選択肢は2〜{LIMITS['choices']}個にしてください",
                              f"give 2 to {LIMITS['choices']} choices")
            return None
        texts = [fields.text(self.problems, c, f"{field}.choices[{i}]") for i, c in enumerate(choices)]
        correct = raw.get("correct")
        if isinstance(correct, bool) or not isinstance(correct, int) or not 0 <= correct < len(choices):
            self.problems.add(f"{field}.correct", "bad_correct", "correct は正解の選択肢の番号（0から）です",
                              "correct is the index (from 0) of the right choice")
            return None
        return None if None in texts else {"choices": tuple(texts), "correct": correct}

    def _update(self, raw, field):
        of = self.ref(raw, "of", field, self.nodes, self.output)
        wrt = self.ref(raw, "wrt", field, self.params)
        lr = self.ref(raw, "lr", field, self.params)
        return None if None in (of, wrt, lr) else {"of": of, "wrt": wrt, "lr": lr}

    def _guided(self, raw, field):
        of = self.ref(raw, "of", field, self.nodes, self.output)
        return None if of is None else {"of": of}

    def _precision(self, raw, field) -> Precision:
        if raw is None:
            return DEFAULT_PRECISION
        if not isinstance(raw, dict) or len(raw) != 1 or next(iter(raw)) not in ("decimals", "sig", "rel", "abs"):
            self.problems.add(field, "bad_precision", "precision は decimals / sig / rel / abs のどれか1つです",
                              "precision is one of decimals, sig, rel or abs")
            return DEFAULT_PRECISION
        kind, value = next(iter(raw.items()))
        ok = (isinstance(value, int) and not isinstance(value, bool) and
              (0 <= value <= 10 if kind == "decimals" else 1 <= value <= 10)) if kind in ("decimals", "sig") \
            else (isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 1e6)
        if not ok:
            self.problems.add(field, "bad_precision", f"precision の {kind} の値 {value!r} が不正です",
                              f"invalid {kind} value {value!r} in precision")
            return DEFAULT_PRECISION
        return Precision(kind, float(value))

    def _mistakes(self, raw, field, n_choices: int | None = None) -> tuple:
        """misconception id -> the node whose value it gives, or an expression in the parameters
        and nodes for a classic wrong method (``cos(x^2)`` for d sin(x²)/dx); on a choice, the
        option. An expression is kept parsed (a ``Node``), a name as the name."""
        if raw is None:
            return ()
        if not isinstance(raw, dict):
            self.problems.add(field, "bad_mistakes", "mistakes は「誤解の id: ノード名」の対応です",
                              "mistakes maps a misconception id to a node name")
            return ()
        out = []
        for mid, node in raw.items():
            if mid not in MISCONCEPTIONS:
                self.problems.add(f"{field}.{mid}", "unknown_misconception", f"知らない誤解の id です: {mid}",
                                  f"unknown misconception id: {mid}")
            elif n_choices is not None:
                if isinstance(node, bool) or not isinstance(node, int) or not 0 <= node < n_choices:
                    self.problems.add(f"{field}.{mid}", "bad_choice_mistake", "選択肢の番号（0から）を書いてください",
                                      "give the index (from 0) of the option this mistake picks")
                else:
                    out.append((mid, node))
            elif node in self.nodes | self.params:
                out.append((mid, node))
            elif isinstance(node, str) and is_identifier(node.strip()):
                self.problems.add(f"{field}.{mid}", "unknown_reference", f"ノード {node!r} がありません",
                                  f"no node named {node!r}")
            else:
                wrong = fields.expression(self.problems, node, f"{field}.{mid}", self.nodes | self.params)
                if wrong is not None:
                    out.append((mid, wrong))
        return tuple(out)

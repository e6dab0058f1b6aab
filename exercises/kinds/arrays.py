"""Reading and grading numeric arrays (``vector``, ``matrix``): "1, 2, 3", "[1, 2, 3]",
"[[1, 2], [3, 4]]" or "1, 2; 3, 4". A wrong shape is an unreadable answer (reported, not counted),
a wrong element is a wrong answer; every element is graded under the part's precision."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..answers import AnswerFormatError, parse_number
from .base import Kind, PartResult
from .numeric import show

FULL_WIDTH = str.maketrans({"，": ",", "；": ";", "［": "[", "］": "]", "、": ","})
ROW = re.compile(r"\[([^\[\]]*)\]")
MAX_ELEMENTS = 100


@dataclass(frozen=True)
class ArrayKey:
    values: tuple   # floats (vector) or tuples of floats (matrix)
    shape: tuple    # (n,) or (rows, cols)


def _elements(text: str, where_ja: str = "", where_en: str = "") -> list[float]:
    text = text.strip().strip("[]()").strip()
    items = [t.strip() for t in text.split(",")] if text else []
    if not items or any(not t for t in items):
        raise AnswerFormatError(f"{where_ja}数をカンマで区切って入力してください（例: 1, 2, 3）",
                                f"{where_en}separate the numbers with commas (e.g. 1, 2, 3)")
    out = []
    for i, item in enumerate(items, start=1):
        try:
            out.append(parse_number(item))
        except AnswerFormatError as err:
            raise AnswerFormatError(f"{where_ja}{i} 番目の要素: {err.message_ja}",
                                    f"{where_en}element {i}: {err.message_en}") from None
    return out


def _text(raw) -> str:
    if not isinstance(raw, str):
        raise AnswerFormatError("回答は文字列で入力してください", "the answer must be text")
    if len(raw) > 2000:
        raise AnswerFormatError("回答が長すぎます", "the answer is too long")
    return raw.translate(FULL_WIDTH)


def parse_vector(raw, n: int) -> tuple[float, ...]:
    values = _elements(_text(raw))
    if len(values) != n:
        raise AnswerFormatError(f"要素が {n} 個のベクトルを入力してください（{len(values)} 個でした）",
                                f"enter a vector of {n} elements (got {len(values)})")
    return tuple(values)


def parse_matrix(raw, rows: int, cols: int) -> tuple[tuple[float, ...], ...]:
    text = _text(raw).strip()
    inner = text[1:-1] if text.startswith("[[") and text.endswith("]]") else None
    parts = ROW.findall(text) if inner is not None else [r for r in re.split(r"[;\n]", text) if r.strip()]
    if len(parts) != rows:
        raise AnswerFormatError(
            f"{rows} 行 {cols} 列の行列を入力してください（{len(parts)} 行でした。例: [[1, 2], [3, 4]] または 1, 2; 3, 4）",
            f"enter a {rows}x{cols} matrix (got {len(parts)} rows; e.g. [[1, 2], [3, 4]] or 1, 2; 3, 4)")
    out = []
    for r, row in enumerate(parts, start=1):
        values = _elements(row, f"{r} 行目の", f"row {r}: ")
        if len(values) != cols:
            raise AnswerFormatError(f"{r} 行目の要素は {cols} 個です（{len(values)} 個でした）",
                                    f"row {r} has {cols} elements (got {len(values)})")
        out.append(tuple(values))
    return tuple(out)


def _flat(values) -> list[float]:
    """Rows (tuples, lists or arrays) flattened; a vector as it is, as floats."""
    values = list(values)
    if values and hasattr(values[0], "__len__"):
        return [float(v) for row in values for v in row]
    return [float(v) for v in values]


def matching_mistake(given, mistakes: dict, tolerance) -> str | None:
    """The first misconception whose whole array the answer matches, element by element."""
    got = _flat(given)
    for mid, wrong in mistakes.items():
        want = _flat(tuple(wrong))
        if len(want) == len(got) and all(abs(g - w) <= tolerance(w) for g, w in zip(got, want)):
            return mid
    return None


def distinct_mistakes(values, found: dict, tolerance) -> dict:
    """The misconception arrays a grader can tell apart from the answer (one element at least
    outside the tolerance), as tuples like the key's values."""
    want = _flat(tuple(values))
    out = {}
    for mid, wrong in found.items():
        flat = _flat(tuple(wrong))
        if len(flat) == len(want) and any(abs(w - v) > tolerance(v) for w, v in zip(flat, want)):
            out[mid] = tuple(wrong)
    return out


def _shown(values, part) -> str:
    if values and isinstance(values[0], tuple):
        return "[" + ", ".join(_shown(row, part) for row in values) + "]"
    return "[" + ", ".join(show(v, part) for v in values) + "]"


class ArrayKind(Kind):
    """Shared by vector and matrix: the spec's ``entries`` name nodes or parameters whose
    forward values (or, with ``of``, whose gradients d(of)/d(entry)) form the answer."""

    fields = frozenset({"of", "entries"})
    has_precision = True
    needs_prompt = True
    # Defined by each subclass (vector: a list of names, matrix: rows of them).
    read_entries: Callable[..., Any]
    shape_of: Callable[..., tuple]

    def parse(self, part, raw):
        raise NotImplementedError

    def reference_answers(self, part, key: ArrayKey) -> dict:
        rows = key.values
        if rows and isinstance(rows[0], tuple):
            return {part.id: "[" + ", ".join("[" + ", ".join(repr(float(v)) for v in r) + "]" for r in rows) + "]"}
        return {part.id: ", ".join(repr(float(v)) for v in rows)}

    def expected(self, part, key: ArrayKey) -> str:
        return _shown(key.values, part)

    def grade(self, part, raw, key: ArrayKey, mistakes: dict) -> PartResult:
        given = self.parse(part, raw)
        got, want = _flat(given), _flat(key.values)
        ok = [abs(g - w) <= part.precision.tolerance(w) for g, w in zip(got, want)]
        score = sum(ok) / len(ok)
        result = PartResult(part.id, "correct" if all(ok) else "incorrect", round(score, 6), raw,
                            _shown(key.values, part))
        if not all(ok):
            result.misconception = matching_mistake(given, mistakes, part.precision.tolerance)
        return result

    def read_spec(self, reader, raw, field):
        of = raw.get("of")
        if of is not None and reader.ref(raw, "of", field, reader.nodes) is None:
            return None
        entries = self.read_entries(reader, raw.get("entries"), f"{field}.entries", of)
        return None if entries is None else {"of": of, "entries": entries}

    @staticmethod
    def entry_names(reader, names, field, of) -> tuple | None:
        allowed = reader.nodes | reader.params
        if not isinstance(names, list) or not names or any(n not in allowed or n == of for n in names):
            reader.problems.add(field, "bad_entries", "entries はノード名・パラメータ名のリストです"
                                "（of と同じ名前は使えません）",
                                "entries lists node or parameter names (not the 'of' node itself)")
            return None
        return tuple(names)

    def reference(self, builder, spec) -> tuple:
        rows = spec.entries if spec.entries and isinstance(spec.entries[0], tuple) else (spec.entries,)
        values = tuple(tuple(self._entry(builder, spec, name) for name in row) for row in rows)
        shape = self.shape_of(spec.entries)
        return ArrayKey(values if len(shape) == 2 else values[0], shape), {}

    def part_fields(self, spec, key) -> dict:
        return {"shape": key.shape}

    @staticmethod
    def _entry(builder, spec, name) -> float:
        if spec.of is None:
            return float(builder.base[name])
        return float(builder.checked_gradient(spec.id, spec.of, name, spec.precision))

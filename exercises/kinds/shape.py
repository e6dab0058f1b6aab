"""``shape``: an array's shape typed as a tuple, e.g. "(50, 10)" or "50, 10".

Spec: ``dims: [N, H]``, each a parameter name (its drawn value) or a positive integer. A
shape with the wrong number of dimensions is a wrong answer (the rank is part of the answer);
text that is not a tuple of integers is unreadable."""
from __future__ import annotations

import re

from ..answers import AnswerFormatError
from ..errors import Rejected
from .base import Kind, PartResult

INTS = re.compile(r"^\s*[(\[]?\s*(\d{1,9}(?:\s*[,×x*]\s*\d{1,9})*)\s*,?\s*[)\]]?\s*$")
FULL_WIDTH = str.maketrans("０１２３４５６７８９，（）", "0123456789,()")


def parse_shape(raw) -> tuple[int, ...]:
    if not isinstance(raw, str):
        raise AnswerFormatError("回答は文字列で入力してください", "the answer must be text")
    match = INTS.match(raw.translate(FULL_WIDTH)) if len(raw) <= 200 else None
    if not match:
        raise AnswerFormatError("形状は整数のタプルで入力してください（例: (50, 10)）",
                                "enter the shape as a tuple of integers (e.g. (50, 10))")
    return tuple(int(d) for d in re.split(r"\s*[,×x*]\s*", match.group(1)))


def _shown(dims) -> str:
    return "(" + ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


class ShapeKind(Kind):
    name = "shape"
    fields = frozenset({"dims"})
    needs_prompt = True
    description = {"ja": "形状（整数のタプル、例: (50, 10)）", "en": "a shape, a tuple of integers (e.g. (50, 10))"}
    help = {"ja": "整数のタプルで入力します（例: (50, 10)）。", "en": "Enter a tuple of integers (e.g. (50, 10))."}

    def read_spec(self, reader, raw, field):
        dims = raw.get("dims")
        ok = isinstance(dims, list) and 1 <= len(dims) <= 6 and all(
            (isinstance(d, int) and not isinstance(d, bool) and d > 0) or d in reader.params for d in dims)
        if not ok:
            reader.problems.add(f"{field}.dims", "bad_dims",
                                "dims は1〜6個の、正の整数かパラメータ名のリストです",
                                "dims lists 1 to 6 positive integers or parameter names")
            return None
        return {"dims": tuple(dims)}

    def reference(self, builder, spec) -> tuple:
        dims = []
        for d in spec.dims:
            value = d if isinstance(d, int) else builder.params[d]
            if float(value) != int(value) or int(value) <= 0:
                raise Rejected("shape_dims", fatal=True,
                               detail=f"{spec.id}: dimension {d} = {value!r} is not a positive integer")
            dims.append(int(value))
        return tuple(dims), {}

    def reference_answers(self, part, key) -> dict:
        return {part.id: _shown(key)}

    def expected(self, part, key) -> str:
        return _shown(key)

    def grade(self, part, raw, key, mistakes: dict) -> PartResult:
        given = parse_shape(raw)
        ok = given == tuple(key)
        return PartResult(part.id, "correct" if ok else "incorrect", 1.0 if ok else 0.0,
                          _shown(given), _shown(key))

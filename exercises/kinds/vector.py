"""``vector``: several numbers typed as "1, 2, 3" (or "[1, 2, 3]"), graded element-wise.

Spec: ``entries: [a, b, c]`` (nodes or parameters: their forward values), or with ``of: y`` the
gradient vector (dy/da, dy/db, dy/dc). ``precision`` applies to every element."""
from __future__ import annotations

from .arrays import ArrayKind, parse_vector


class VectorKind(ArrayKind):
    name = "vector"
    description = {"ja": "数のベクトル（例: 1, 2, 3 または [1, 2, 3]）",
                   "en": "a vector of numbers (e.g. 1, 2, 3 or [1, 2, 3])"}
    help = {"ja": "数をカンマで区切って入力します（例: 1, 2.5, -3）。",
            "en": "Separate the numbers with commas (e.g. 1, 2.5, -3)."}

    def read_entries(self, reader, raw, field, of):
        return self.entry_names(reader, raw, field, of)

    def shape_of(self, entries) -> tuple:
        return (len(entries),)

    def parse(self, part, raw):
        return parse_vector(raw, part.shape[0])

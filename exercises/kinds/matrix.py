"""``matrix``: a grid of numbers typed as "[[1, 2], [3, 4]]" (or "1, 2; 3, 4"), graded element-wise.

Spec: ``entries: [[a, b], [c, d]]`` (rows of nodes or parameters: their forward values), or with
``of: y`` the gradient matrix (dy/da ...). Every row has the same length."""
from __future__ import annotations

from .arrays import ArrayKey, ArrayKind, parse_matrix
from .numeric import show


class MatrixKind(ArrayKind):
    name = "matrix"
    description = {"ja": "数の行列（例: [[1, 2], [3, 4]] または 1, 2; 3, 4）",
                   "en": "a matrix of numbers (e.g. [[1, 2], [3, 4]] or 1, 2; 3, 4)"}
    help = {"ja": "行を [ ] で囲むか ; で区切って入力します（例: [[1, 2], [3, 4]]）。",
            "en": "Put each row in [ ] or separate rows with ; (e.g. [[1, 2], [3, 4]])."}

    def read_entries(self, reader, raw, field, of):
        if not isinstance(raw, list) or not raw or not all(isinstance(r, list) for r in raw) \
                or len({len(r) for r in raw}) != 1:
            reader.problems.add(field, "bad_entries", "entries は同じ長さの行（名前のリスト）のリストです",
                                "entries is a list of rows of equal length (lists of names)")
            return None
        rows = [self.entry_names(reader, r, f"{field}[{i}]", of) for i, r in enumerate(raw)]
        return None if None in rows else tuple(rows)

    def shape_of(self, entries) -> tuple:
        return (len(entries), len(entries[0]))

    def parse(self, part, raw):
        return parse_matrix(raw, *part.shape)

    def shown_expected(self, part, key: ArrayKey, result):
        """A result page shows the matrix with its rows one under another."""
        rows = [" & ".join(show(v, part) for v in row) for row in key.values]
        return "math", r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}"

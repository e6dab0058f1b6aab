"""Positions for drawing a computational graph as SVG (templates/study/_graph.html).

Deterministic: the same graph gives the same picture. Columns are depths (inputs on the
left, the output on the right, as in the textbook's figures); an input sits just left of
its first consumer, so ``tax`` appears next to the last mul node, not among the items.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from exercises.graphview import OP_LABELS

GAP = 40              # between columns, for the edges
ROW = 78              # height of a row on the exercise page
SOLUTION_ROW = 104    # rows on the result page also hold the value and the gradient
BOX_H = 44
RADIUS = 21
PAD = 12
FONT = 13             # the SVG's font size: widths below are estimated from it
MAX_TEXT = 16         # longer names and numbers are cut (the full text is in <title>)


@dataclass
class DrawnNode:
    id: str
    kind: str            # "input", "const" or "op"
    x: float             # centre of the shape
    y: float
    symbol: str          # op label (×, +, exp) or the input's name
    name: str            # a named op's name under its circle ("" when unnamed)
    title: str           # the full text for <title> (nothing cut)
    value: str = ""      # a given input's value, or (solution) every node's value
    grad: str = ""       # solution only
    is_output: bool = False
    w: float = 2 * RADIUS  # width of the shape (box, circle or pill)
    span: float = 0      # width of the shape and the texts under it
    inputs: list = field(default_factory=list)  # names of the inputs, for <desc>

    @property
    def spoken(self) -> str:
        """What the node is called in the text description."""
        return self.name or self.symbol


@dataclass
class DrawnEdge:
    d: str               # SVG path
    source: str
    target: str


@dataclass
class GraphDrawing:
    width: float
    height: float
    nodes: list[DrawnNode]
    edges: list[DrawnEdge]
    columns: int
    solution: bool
    by_id: dict = field(default_factory=dict)

    @property
    def wide(self) -> bool:
        """Too wide to shrink into the page readably: shown at 80 % and scrolled instead."""
        return self.width > 760

    @property
    def shown_width(self) -> int:
        return round(self.width * 0.8) if self.wide else round(self.width)


def number(value) -> str:
    """A value as a learner would write it: 363, 1.1, -0.00696, [1.5, -0.5]."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(number(v) for v in value) + "]"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    v = float(value) + 0.0
    if v == round(v) and abs(v) < 1e7:
        return str(int(round(v)))
    return f"{v:.4g}"


def text_width(text: str, size: float = FONT) -> float:
    """An estimate (no font metrics on the server): full-width characters are 1 em."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.62 * size for c in text)


def short(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _depths(nodes: list[dict]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for n in nodes:  # the trace lists every node after its inputs
        depth[n["id"]] = 1 + max((depth[i] for i in n["inputs"]), default=-1) if n["inputs"] else 0
    consumers: dict[str, list[int]] = {}
    for n in nodes:
        for i in n["inputs"]:
            consumers.setdefault(i, []).append(depth[n["id"]])
    for n in nodes:
        if not n["inputs"] and n["id"] in consumers:
            depth[n["id"]] = max(0, min(consumers[n["id"]]) - 1)
    return depth


def _rows(nodes: list[dict], depth: dict[str, int]) -> dict[str, float]:
    """Row of each node in its column: ops follow the mean row of their inputs, so chains
    run straight; ties keep the trace's order."""
    row: dict[str, float] = {}
    for col in range(max(depth.values()) + 1):
        members = [n for n in nodes if depth[n["id"]] == col]
        wish = {n["id"]: (sum(row[i] for i in n["inputs"]) / len(n["inputs"]) if n["inputs"]
                          and all(i in row for i in n["inputs"]) else k) for k, n in enumerate(members)}
        ordered = sorted(members, key=lambda n: wish[n["id"]])
        used = -1.0
        for n in ordered:
            row[n["id"]] = used = max(used + 1, round(wish[n["id"]]))
    return row


def _node(n: dict, x: float, y: float, solution: bool, outputs: set) -> DrawnNode:
    op = n["op"]
    kind = op if op in ("input", "const") else "op"
    name = n.get("name") or ""
    if kind == "input":
        symbol, label = name, ""
    elif kind == "const":
        symbol, label = number(n.get("value")), ""
    else:
        symbol, label = OP_LABELS.get(op, op.replace("_", " ")), (name if n.get("named") else "")
    show_value = solution or kind == "input"
    drawn = DrawnNode(
        id=n["id"], kind=kind, x=x, y=y, symbol=short(symbol), name=short(label),
        title=" ".join(t for t in (label or symbol, f"= {number(n['value'])}" if "value" in n else "") if t),
        value=short(number(n["value"]), 14) if show_value and "value" in n and kind != "const" else "",
        grad=short(number(n["grad"]), 14) if solution and "grad" in n else "",
        is_output=n["id"] in outputs,
    )
    _size(drawn)
    return drawn


def _size(node: DrawnNode) -> None:
    """Shape width from its text; span adds the name, value and gradient written under it."""
    if node.kind == "op":
        node.w = 2 * RADIUS if len(node.symbol) <= 4 else text_width(node.symbol) + 24
        under = [node.name, f"= {node.value}" if node.value else ""]
    else:
        inside = [node.symbol, f"= {node.value}" if node.value else ""]
        node.w = max(48.0, max(text_width(t) for t in inside) + 18)
        under = []
    under.append(f"勾配 {node.grad}" if node.grad else "")
    node.span = max([node.w] + [text_width(t) for t in under])


def layout(graph: dict | None, solution: bool = False) -> GraphDrawing | None:
    """The drawing of ``ex.public()["graph"]`` (or, with ``solution``, the full trace)."""
    if not graph or not graph.get("nodes"):
        return None
    nodes = graph["nodes"]
    depth = _depths(nodes)
    row = _rows(nodes, depth)
    row_h = SOLUTION_ROW if solution else ROW
    outputs = set(graph.get("outputs", []))
    drawn = [_node(n, 0, PAD + row_h * row[n["id"]] + 26, solution, outputs) for n in nodes]
    columns = max(depth.values()) + 1
    widths = [max(d.span for d, n in zip(drawn, nodes) if depth[n["id"]] == c) + GAP for c in range(columns)]
    starts = [PAD + sum(widths[:c]) for c in range(columns)]
    for d, n in zip(drawn, nodes):
        d.x = round(starts[depth[n["id"]]] + widths[depth[n["id"]]] / 2, 1)
    by_id = {d.id: d for d in drawn}
    for n, d in zip(nodes, drawn):
        d.inputs = [by_id[i].spoken for i in n["inputs"]]
    edges = [_edge(by_id[i], by_id[n["id"]]) for n in nodes for i in n["inputs"]]
    height = PAD * 2 + row_h * (max(row.values()) + 1)
    return GraphDrawing(round(PAD * 2 + sum(widths)), height, drawn, edges, columns, solution, by_id)


def _half_width(node: DrawnNode) -> float:
    return node.w / 2


def _edge(source: DrawnNode, target: DrawnNode) -> DrawnEdge:
    x1, y1 = source.x + _half_width(source), source.y
    x2, y2 = target.x - _half_width(target) - 6, target.y  # 6: room for the arrow head
    bend = max(24.0, (x2 - x1) / 2)
    d = f"M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
    return DrawnEdge(d, source.id, target.id)

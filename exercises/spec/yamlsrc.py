"""YAML to plain data, remembering the line of every field so problems can name it.

Only PyYAML's safe composer is used: no tags, no Python objects, nothing executed.
"""
from __future__ import annotations

import yaml

from ..text import BilingualError

MAX_SOURCE_BYTES = 64 * 1024


ALLOWED_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")}


class SourceError(BilingualError, ValueError):
    def __init__(self, line: int | None, message_ja: str, message_en: str):
        super().__init__(message_ja, message_en)
        self.line = line


def load_with_lines(text: str) -> tuple[object, dict[str, int]]:
    """Return (data, lines) where ``lines`` maps a field path such as ``parts[1].wrt`` to its
    1-based line number."""
    if len(text.encode("utf-8", "replace")) > MAX_SOURCE_BYTES:
        raise SourceError(None, f"テンプレートが大きすぎます（上限 {MAX_SOURCE_BYTES // 1024} KB）",
                          f"the template is too large (limit {MAX_SOURCE_BYTES // 1024} KB)")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        detail = getattr(exc, "problem", None) or str(exc)
        raise SourceError(line, f"YAML として読めません: {detail}", f"not valid YAML: {detail}") from None
    return _Converter().convert(root)


class _Converter:
    def __init__(self):
        self.lines: dict[str, int] = {}
        self.seen: set[int] = set()
        self.scalars = yaml.SafeLoader("")  # resolves int/float/bool/null like safe_load

    def convert(self, root):
        return self.node(root, ""), self.lines

    def node(self, node, path: str):
        if node is None:
            return None
        if id(node) in self.seen:  # an alias: expanding them is how "billion laughs" works
            raise SourceError(node.start_mark.line + 1, "YAML の別名 (*alias) は使えません",
                              "YAML aliases (*alias) are not allowed")
        self.seen.add(id(node))
        if node.tag == "tag:yaml.org,2002:timestamp" and isinstance(node, yaml.ScalarNode):
            return node.value  # a date someone typed stays text
        if node.tag not in ALLOWED_TAGS:
            raise SourceError(node.start_mark.line + 1, f"使えない YAML タグです: {node.tag}",
                              f"YAML tag not allowed: {node.tag}")
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.node(v, f"{path}[{i}]") for i, v in enumerate(node.value)]
        return self.scalars.construct_object(node)

    def mapping(self, node, path: str) -> dict:
        out = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise SourceError(key_node.start_mark.line + 1, "キーは文字列にしてください",
                                  "keys must be plain strings")
            key = str(key_node.value)
            sub = f"{path}.{key}" if path else key
            if key in out:
                raise SourceError(key_node.start_mark.line + 1, f"{sub}: キーが重複しています",
                                  f"{sub}: duplicate key")
            self.lines[sub] = key_node.start_mark.line + 1
            out[key] = self.node(value_node, sub)
        return out

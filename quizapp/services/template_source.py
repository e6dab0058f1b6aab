"""Small edits of a template's YAML text that keep the author's layout and comments:
replace (or append) one top-level ``key: value`` in place."""
from __future__ import annotations

import json
import re

import yaml

from exercises.spec.yamlsrc import MAX_SOURCE_BYTES, SourceError, load_with_lines

PLAIN_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def set_top_level(source: str, key: str, value) -> str:
    """``source`` with the top-level ``key`` set to ``value`` (a str, int or {ja, en} dict).
    A source that is not a YAML mapping, or too large, is returned unchanged (validation
    reports it)."""
    if len(source.encode("utf-8", "replace")) > MAX_SOURCE_BYTES:
        return source
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return source
    if not isinstance(root, yaml.MappingNode):
        return source
    text = f"{key}: {_flow(value)}"
    for key_node, value_node in root.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            start, end = key_node.start_mark.index, _end(value_node)
            if key_node.start_mark.column != 0:
                return source
            kept = source[start:end].rstrip()
            return source[:start] + text + source[start + len(kept):]
    sep = "" if not source or source.endswith("\n") else "\n"
    return source + sep + text + "\n"


def top_level(source: str) -> dict:
    """The top-level mapping of a source, or {} when the validator's reader refuses it (too
    large, not YAML, aliases): never expands anything an author typed."""
    try:
        data, _ = load_with_lines(source)
    except SourceError:
        return {}
    return data if isinstance(data, dict) else {}


def _flow(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str) and PLAIN_RE.match(value) and yaml.safe_load(value) == value:
        return value  # a slug or a family: no quotes needed
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML "..." scalar
    return repr(value)


def _end(node) -> int:
    """Where a node's own text ends (a block collection ends at its last scalar, so comments
    and blank lines after it stay)."""
    if isinstance(node, yaml.ScalarNode) or node.flow_style or not node.value:
        return node.end_mark.index
    last = node.value[-1]
    return _end(last[1] if isinstance(node, yaml.MappingNode) else last)

"""The human-readable reference page: the OpenAPI document rendered server-side (no CDN,
no JavaScript). Helpers that turn JSON Schema fragments into short type descriptions."""
from __future__ import annotations

import json
import re

from markupsafe import Markup, escape

CONSTRAINTS = (("minLength", "min length"), ("maxLength", "max length"), ("minimum", "≥"),
               ("maximum", "≤"), ("minItems", "min items"), ("maxItems", "max items"),
               ("maxProperties", "max keys"), ("pattern", "pattern"), ("format", "format"),
               ("default", "default"))


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(schema: dict) -> Markup:
    """``array of <a href="#schema-Part">Part</a>``, ``string | null``, ..."""
    if not schema:
        return Markup("any")
    if "$ref" in schema:
        name = ref_name(schema["$ref"])
        return Markup('<a href="#schema-{0}">{0}</a>').format(name)
    if "anyOf" in schema and "type" not in schema:
        return Markup(" | ").join(type_of(s) for s in schema["anyOf"])
    if "enum" in schema:
        return Markup("enum: ") + escape(", ".join(json.dumps(v, ensure_ascii=False) for v in schema["enum"]))
    kind = schema.get("type")
    if kind == "array":
        return Markup("array of ") + type_of(schema.get("items") or {})
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return Markup("object of ") + type_of(schema["additionalProperties"])
    return escape(kind or "any")


def constraints(schema: dict) -> str:
    found = []
    for s in [schema, *schema.get("anyOf", [])]:
        for key, label in CONSTRAINTS:
            if key in s:
                found.append(f"{label} {json.dumps(s[key], ensure_ascii=False)}")
    return ", ".join(found)


def properties(schema: dict) -> list[dict]:
    required = set(schema.get("required", []))
    return [{"name": name, "type": type_of(prop), "required": name in required,
             "constraints": constraints(prop), "description": prop.get("description", "")}
            for name, prop in (schema.get("properties") or {}).items()]


def schema_link(content: dict | None) -> Markup:
    if not content:
        return Markup("")
    media, body = next(iter(content.items()))
    return Markup("<code>{}</code> ").format(media) + type_of(body.get("schema") or {})


def _inline(text: str) -> str:
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text)))


def inline_markdown(text: str) -> Markup:
    """`code` spans, "- " list items (continued by indented lines) and line breaks of the
    descriptions, safely escaped."""
    html, items = [], []
    for line in text.strip().splitlines():
        if line.startswith("- "):
            items.append(line[2:])
        elif items and line.startswith("  "):
            items[-1] += " " + line.strip()
        else:
            if items:
                html.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
                items = []
            html.append(_inline(line) + "<br>")
    if items:
        html.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
    return Markup("\n".join(html))


def operations_by_tag(document: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {t["name"]: [] for t in document.get("tags", [])}
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            out.setdefault(op["tags"][0], []).append({"path": path, "method": method.upper(), **op})
    return {tag: ops for tag, ops in out.items() if ops}


def auth_label(op: dict) -> str:
    security = op.get("security") or []
    if not security:
        return "なし / none"
    if {} in security:
        return "任意 / optional"
    return "Bearer"


HELPERS = {"type_of": type_of, "properties": properties, "schema_link": schema_link,
           "md": inline_markdown, "auth_label": auth_label, "constraints": constraints}

"""The statement's and prompts' {{param}} placeholders, filled with the drawn values."""
from __future__ import annotations

import re

from .spec.model import Template

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}")


def fill(text: str, template: Template, params: dict) -> str:
    """Replace ``{{name}}`` by the parameter's value as shown (no format strings: safe)."""
    def value(match):
        name = match.group(1)
        if name not in params:
            return match.group(0)
        return template.param(name).format(params[name])
    return PLACEHOLDER.sub(value, text)

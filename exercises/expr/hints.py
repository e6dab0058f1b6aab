"""Suggestions appended to unknown-name and unknown-function messages: (ja, en) pairs."""
from __future__ import annotations

from .nodes import FUNCTION_ALIASES, FUNCTIONS

_CALLABLE = sorted(FUNCTIONS | FUNCTION_ALIASES.keys())
_MAX_LISTED = 12


def unknown_function_hint(name: str) -> tuple[str, str]:
    lowered = name.lower()
    if lowered in FUNCTIONS or lowered in FUNCTION_ALIASES:
        return (f"{lowered} のことですか？", f"did you mean {lowered}?")
    listed = ", ".join(_CALLABLE)
    return (f"使える関数: {listed}", f"available functions: {listed}")


def unknown_name_hint(name: str, names: frozenset[str]) -> tuple[str, str] | None:
    by_case = [n for n in names if n.lower() == name.lower()]
    if by_case:
        return (f"{by_case[0]} のことですか？", f"did you mean {by_case[0]}?")
    parts = _split(name, names)
    if parts:
        product = "*".join(parts)
        return (f"掛け算なら {product} のように * か空白で区切ってください",
                f"for a product, separate the factors: {product}")
    for func in _CALLABLE:
        rest = name[len(func):]
        if name.startswith(func) and rest and (rest in names or rest.isdigit()):
            return (f"関数は {func}({rest}) のように括弧を付けてください",
                    f"a function needs parentheses: {func}({rest})")
    if not names:
        return ("この式には変数を使えません", "this expression takes no variables")
    if len(names) <= _MAX_LISTED:
        listed = ", ".join(sorted(names))
        return (f"使える変数: {listed}", f"available variables: {listed}")
    return None


def _split(name: str, names: frozenset[str]) -> list[str] | None:
    """``name`` as a run of two or more known names (xy -> x, y), or None."""
    if len(name) > 24:
        return None
    ways: dict[int, list[str]] = {0: []}
    for end in range(1, len(name) + 1):
        for start in range(end):
            if start in ways and name[start:end] in names:
                ways[end] = ways[start] + [name[start:end]]
                break
    found = ways.get(len(name))
    return found if found and len(found) > 1 else None

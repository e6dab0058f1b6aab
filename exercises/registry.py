"""The sources the service knows: the built-in YAML files under exercises/templates/ and the
built-in generators under exercises/generators/ (families that need arrays or code), all as
``Source`` objects (see exercises/source.py)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .errors import UnknownTemplate
from .generators import GENERATORS
from .source import Source
from .template_source import from_yaml

TEMPLATE_DIR = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def builtin_templates() -> dict[str, Source]:
    out: dict[str, Source] = {}
    for g in sorted(GENERATORS, key=lambda g: g.version):  # the newest version of each slug
        out[g.slug] = g
    for path in sorted(TEMPLATE_DIR.glob("*.yaml")):
        source = from_yaml(path.read_text(encoding="utf-8"))
        if source.slug in out:
            raise ValueError(f"duplicate built-in template slug {source.slug} in {path.name}")
        out[source.slug] = source
    return out


def builtin_version(slug: str, version: int) -> Source | None:
    """A built-in source at exactly this version, or None. Generators keep old versions
    registered (docs/generators.md) so that stored instances still regenerate."""
    for g in GENERATORS:
        if g.slug == slug and g.version == version:
            return g
    newest = builtin_templates().get(slug)
    return newest if newest is not None and newest.version == version else None


def stored_version(slug: str, version: int, stored: str) -> Source:
    """The source of a stored (slug, version): the built-in one when its stored text matches,
    else the stored YAML. A built-in slug without YAML (code) cannot come back from text."""
    builtin = builtin_version(slug, version)
    if builtin is not None and builtin.source == stored:
        return builtin
    newest = builtin_templates().get(slug)
    if newest is not None and newest.yaml is None:
        raise UnknownTemplate(f"生成器 {slug} のバージョン {version} はもうありません",
                              f"generator {slug} version {version} is no longer available", slug=slug)
    return from_yaml(stored)


def catalog() -> list[Source]:
    """Built-in sources, ordered by family then difficulty."""
    return sorted(builtin_templates().values(), key=lambda t: (t.family, t.difficulty, t.slug))


def get_template(slug: str) -> Source:
    try:
        return builtin_templates()[slug]
    except KeyError:
        raise UnknownTemplate(f"テンプレート {slug!r} はありません", f"no template named {slug!r}",
                              slug=slug) from None

"""The templates the service knows: the built-in files under exercises/templates/ and the
built-in generators under exercises/generators/ (families that need arrays or code)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .errors import UnknownTemplate
from .spec.model import Template
from .spec.validate import load_template

TEMPLATE_DIR = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def builtin_templates() -> dict:
    from .generators import GENERATORS
    out = {}
    for g in sorted(GENERATORS, key=lambda g: g.version):  # the newest version of each slug
        out[g.slug] = g
    for path in sorted(TEMPLATE_DIR.glob("*.yaml")):
        template = load_template(path.read_text(encoding="utf-8"))
        if template.slug in out:
            raise ValueError(f"duplicate built-in template slug {template.slug} in {path.name}")
        out[template.slug] = template
    return out


def builtin_version(slug: str, version: int):
    """A built-in template or generator at exactly this version, or None. Generators keep old
    versions registered (docs/generators.md) so that stored instances still regenerate."""
    from .generators import GENERATORS
    for g in GENERATORS:
        if g.slug == slug and g.version == version:
            return g
    newest = builtin_templates().get(slug)
    return newest if newest is not None and newest.version == version else None


def is_generator(slug: str) -> bool:
    from .generators import GENERATORS
    return any(g.slug == slug for g in GENERATORS)


def catalog() -> list[Template]:
    """Built-in templates, ordered by family then difficulty."""
    return sorted(builtin_templates().values(), key=lambda t: (t.family, t.difficulty, t.slug))


def get_template(slug: str) -> Template:
    try:
        return builtin_templates()[slug]
    except KeyError:
        raise UnknownTemplate(f"テンプレート {slug!r} はありません", f"no template named {slug!r}",
                              slug=slug) from None

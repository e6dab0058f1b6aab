"""The JDLA E資格 syllabus items that tag every exercise source (data: ``syllabus.yaml``).

``SYLLABUS`` maps an item id ("3-2-1") to its ja/en name, in the syllabus order. A source's tags
are its own (a template's ``syllabus:`` field, a generator's ``syllabus``) or, for a template that
names none, the data file's entry for its slug, else its family's."""
from __future__ import annotations

from pathlib import Path

import yaml

_DATA = yaml.safe_load((Path(__file__).parent / "syllabus.yaml").read_text(encoding="utf-8"))

SYLLABUS: dict[str, dict[str, str]] = {item["id"]: {"ja": item["ja"], "en": item["en"]}
                                       for item in _DATA["items"]}
_BY_FAMILY: dict[str, tuple[str, ...]] = {f: tuple(ids) for f, ids in _DATA["families"].items()}
_BY_SLUG: dict[str, tuple[str, ...]] = {s: tuple(ids) for s, ids in _DATA["templates"].items()}


def default_tags(slug: str, family: str) -> tuple[str, ...]:
    """The tags of a template that lists none."""
    return _BY_SLUG.get(slug) or _BY_FAMILY.get(family, ())


def ordered(ids) -> list[str]:
    """Known ids in the syllabus order, without repeats."""
    wanted = set(ids)
    return [i for i in SYLLABUS if i in wanted]

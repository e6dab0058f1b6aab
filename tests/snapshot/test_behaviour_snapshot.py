"""Every built-in template x 50 seeds behaves as recorded before the pipeline reshape."""
from __future__ import annotations

import json
from functools import lru_cache

import pytest

from exercises import catalog, generate

from .behaviour import SEEDS, load, observe


@lru_cache(maxsize=1)
def _snapshot() -> dict:
    return load()


def _roundtrip(data):
    return json.loads(json.dumps(data, ensure_ascii=False, sort_keys=True))


def _first_difference(old, new, path="") -> str:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            if old.get(key, "<missing>") != new.get(key, "<missing>"):
                return _first_difference(old.get(key, "<missing>"), new.get(key, "<missing>"),
                                         f"{path}.{key}")
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new)):
            if a != b:
                return _first_difference(a, b, f"{path}[{i}]")
    return f"{path}: {old!r} -> {new!r}"


def test_snapshot_covers_every_builtin_template():
    recorded = {key.split("@")[0] for key in _snapshot()}
    assert recorded == {t.slug for t in catalog()}


@pytest.mark.parametrize("slug", sorted(t.slug for t in catalog()))
def test_template_behaves_as_recorded(slug):
    for seed in SEEDS:
        old = _snapshot()[f"{slug}@{seed}"]
        ex = generate(slug, seed=seed)
        assert ex.version == old["version"], f"{slug}@{seed}: version changed"
        new = _roundtrip(observe(ex, old["sets"]))
        for field in ("public", "solution", "reference", "grades"):
            assert new[field] == old[field], f"{slug}@{seed} {_first_difference(old[field], new[field], field)}"

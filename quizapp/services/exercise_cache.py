"""The parsed templates and generated exercises of one app, kept in memory.

Generating an instance (forward, backward and a numerical check of every gradient) costs
~1-4 ms, grading ~0.1 ms, so every service that needs an exercise asks the app's cache, keyed
by (slug, version, digest of the source, seed, params): an instance is fully determined by
that key. ``create_app`` builds one cache per app (``app.extensions["quizapp.exercises"]``),
so a new app (one per test) starts empty and nothing has to be cleared by hand.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict

from exercises.generation import generate_from
from exercises.registry import stored_version

INSTANCE_CACHE_SIZE = 2048
TEMPLATE_CACHE_SIZE = 256


class LRU:
    """A thread-safe least-recently-used mapping with hit and miss counts."""

    def __init__(self, size: int):
        self.size, self.hits, self.misses = size, 0, 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, make):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        value = make()  # outside the lock: two threads may both make it; same result
        self.put(key, value)
        return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def source_digest(row) -> bytes:
    return hashlib.blake2b(row.source.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def cache_key(row, seed: int | None, params: dict | None, digest: bytes | None = None) -> tuple:
    # The source is part of the key (as a digest): an unused draft is updated in place.
    digest = digest or source_digest(row)
    params_key = None if not params else json.dumps(params, sort_keys=True, separators=(",", ":"))
    return (row.slug, row.version, digest, 0 if seed is None else seed, params_key)


class ExerciseCache:
    """Template objects by stored version, and exercises by (version, seed, params). ``row`` is
    a TemplateVersion (anything with slug, version and source)."""

    def __init__(self, instances: int = INSTANCE_CACHE_SIZE, templates: int = TEMPLATE_CACHE_SIZE):
        self.instances = LRU(instances)
        self.templates = LRU(templates)

    def template(self, row):
        key = (row.slug, row.version, row.source)
        return self.templates.get(key, lambda: stored_version(*key))

    def exercise(self, row, seed: int | None, params: dict | None, digest: bytes | None = None):
        """The exercise of (row, seed, params); seed 0 when only params are given."""
        key = cache_key(row, seed, params, digest)
        return self.instances.get(key, lambda: generate_from(self.template(row), seed=key[3],
                                                              params=params or None))

    def remember(self, row, seed: int, params: dict | None, exercise) -> None:
        """Keep an exercise generated elsewhere (start_exercise) for its submissions."""
        self.instances.put(cache_key(row, seed, params), exercise)

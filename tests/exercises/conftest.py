import copy

import pytest
import yaml

BASE = {
    "slug": "test-mul",
    "family": "node-backprop",
    "difficulty": 1,
    "topics": ["backprop"],
    "title": {"ja": "乗算ノード", "en": "Mul node"},
    "statement": {"ja": "x = {{x}}, y = {{y}} のとき z = xy。", "en": "x = {{x}}, y = {{y}}, z = xy."},
    "params": {"x": {"min": 1, "max": 9}, "y": {"min": 1, "max": 9}},
    "nodes": {"z": "x * y"},
    "parts": [
        {"id": "z", "kind": "value", "node": "z", "precision": {"decimals": 0}},
        {"id": "dx", "kind": "gradient", "wrt": "x", "precision": {"decimals": 0}},
    ],
}


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def base():
    return copy.deepcopy(BASE)

"""The instructor pages switch to English completely (the source text itself excepted)."""
from __future__ import annotations

import re

import pytest

from tests.instructor.conftest import SOURCE

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff01-\uff5e]")


@pytest.mark.parametrize("path", [
    "/instructor/", "/instructor/t/my-mul", "/instructor/t/my-mul/v/1/test?n=5",
    "/instructor/t/my-mul/insight", "/instructor/t/shopping-apples-tax/insight",
])
def test_english_pages_have_no_japanese_left(client, loaded, login, path):
    login("instructor")
    client.post("/instructor/new", data={"source": SOURCE})
    client.post("/lang/en", data={"next": "/"})
    client.get("/healthz")
    client.get("/")  # the flashes issued in Japanese before the switch are shown here
    page = client.get(path).get_data(as_text=True).replace("日本語", "")
    assert sorted(set(JAPANESE.findall(page))) == []

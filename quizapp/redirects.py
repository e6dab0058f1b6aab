"""Redirect targets taken from the request (``next``) must stay on this site."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def is_safe_path(target: str | None) -> bool:
    """True for a path on this site such as ``/progress?x=1``; False for anything that a
    browser could resolve to another host (``//evil``, ``/\\evil``, ``https://...``)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ord(char) < 32 or char == "\\" for char in target):
        return False  # browsers drop tabs/newlines and read "\" as "/": keep it simple
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default_endpoint: str = "study.home") -> str:
    return target if is_safe_path(target) else url_for(default_endpoint)

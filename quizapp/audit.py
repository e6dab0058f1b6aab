"""Authentication events for the operator's log (logger ``quizapp.auth``), one line each:
``auth event=login_failed ip=203.0.113.5 email=sha256:1f2e...``. E-mail addresses are logged as
a short hash (enough to follow one account's failures, not a list of addresses); passwords and
tokens never appear."""
from __future__ import annotations

import hashlib
import logging

from flask import request

log = logging.getLogger("quizapp.auth")


def email_tag(email: str) -> str:
    return "sha256:" + hashlib.sha256(email.strip().lower().encode("utf-8", "surrogatepass")).hexdigest()[:12]


def event(name: str, **fields) -> None:
    """Log one event with the client's address (after PROXY_HOPS) and ``fields``."""
    ip = request.remote_addr or "-"
    detail = " ".join(f"{key}={value}" for key, value in sorted(fields.items()))
    log.warning("auth event=%s ip=%s %s", name, ip, detail)

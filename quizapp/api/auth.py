"""Bearer-token authentication of API requests (no cookies, no sessions)."""
from __future__ import annotations

import hashlib

from flask import g, request

from quizapp import audit
from quizapp.api.problems import ApiError
from quizapp.db import get_session, write_session
from quizapp.services import tokens
from quizapp.services.tokens import Principal

PUBLIC, OPTIONAL, LEARNER, INSTRUCTOR = None, "optional", "learner", "instructor"


def bearer_token() -> str | None:
    """The token of ``Authorization: Bearer <token>``; '' for any other Authorization."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _challenge(error: str | None = None) -> dict:
    value = 'Bearer realm="api"' + (f', error="{error}"' if error else "")
    return {"WWW-Authenticate": value}


def authenticate(required: str | None) -> Principal | None:
    """The principal of this request, or an ApiError (401 / 403). ``required`` is None (no
    token wanted), "optional", "learner" (any valid token) or "instructor"."""
    token = bearer_token()
    if token is None:
        if required in (PUBLIC, OPTIONAL):
            return None
        raise ApiError("token_missing", headers=_challenge())
    resolved = tokens.resolve(get_session(), token) if token else tokens.Resolved(None, "invalid")
    if resolved.principal is None:
        code = "token_revoked" if resolved.reason == "revoked" else "token_invalid"
        audit.event("token_rejected", reason=resolved.reason)
        raise ApiError(code, headers=_challenge("invalid_token"))
    if resolved.touch:  # at most once per touch interval: the log shows a token in use, not every call
        audit.event("token_used", token=resolved.principal.token_id, user=resolved.principal.user_id)
        with write_session() as session:
            tokens.touch(session, resolved.principal.token_id)
    if required == INSTRUCTOR and resolved.principal.scope != "instructor":
        raise ApiError("insufficient_scope",
                       "instructor スコープのトークン（講師・管理者）が必要です",
                       "this needs an instructor-scope token (instructors and admins)",
                       headers=_challenge("insufficient_scope"))
    g.api_principal = resolved.principal
    return resolved.principal


def rate_key_token() -> str:
    """Rate-limit key per token (a hash of what was presented), or per IP without one."""
    token = bearer_token()
    if not token:
        return "ip:" + rate_key_ip()
    return "tok:" + hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def rate_key_ip() -> str:
    return request.remote_addr or "unknown"

"""``@operation``: one decorator registers a route, its OpenAPI description and its checks.

The wrapped view gets the parsed body (a pydantic model) and the principal, and returns a
response model (or ``Reply``). The same declaration feeds the OpenAPI document, so what is
documented is what runs: auth, body model, response model, status codes, headers, limits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import wraps

from flask import Blueprint, Response, request
from pydantic import BaseModel

from quizapp.api.auth import authenticate
from quizapp.api.validation import read_body

DEFAULT_MAX_BODY = 64 * 1024
OPERATIONS: dict[str, Operation] = {}
_RULE_ARG = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@dataclass(frozen=True)
class Param:
    name: str
    location: str  # "query", "header" or "path"
    schema: dict
    description: str
    required: bool = False


@dataclass(frozen=True)
class Operation:
    endpoint: str
    method: str
    rule: str
    summary: str
    description: str
    tag: str
    auth: str | None
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    errors: tuple[int, ...] = ()
    params: tuple[Param, ...] = ()
    limit: str | None = None  # a key of API_RATE_LIMITS
    max_body: int = DEFAULT_MAX_BODY
    response_headers: dict = field(default_factory=dict)
    media_type: str = "application/json"

    @property
    def path(self) -> str:
        """The OpenAPI path (relative to the /api/v1 server)."""
        return _RULE_ARG.sub(r"{\1}", self.rule)


@dataclass
class Reply:
    model: BaseModel
    status: int | None = None
    headers: dict = field(default_factory=dict)


def render(op: Operation, result) -> Response:
    if isinstance(result, Response):
        return result
    reply = result if isinstance(result, Reply) else Reply(result)
    body = reply.model.model_dump_json()
    response = Response(body, status=reply.status or op.status, mimetype="application/json")
    response.headers.update(reply.headers)
    return response


def operation(bp: Blueprint, rule: str, method: str, **options):
    """Register ``view`` on ``bp`` at ``rule`` for ``method`` and describe it (see Operation)."""

    def decorator(view):
        op = Operation(endpoint=view.__name__, method=method.upper(), rule=rule,
                       description=(view.__doc__ or "").strip(), **options)
        OPERATIONS[op.endpoint] = op

        @wraps(view)
        def handler(**path_args):
            request.max_content_length = op.max_body
            kwargs = dict(path_args)
            principal = authenticate(op.auth)
            if op.auth is not None:
                kwargs["principal"] = principal
            if op.body is not None:
                kwargs["body"] = read_body(op.body)
            return render(op, view(**kwargs))

        bp.add_url_rule(rule, endpoint=op.endpoint, view_func=handler, methods=[op.method])
        return view

    return decorator

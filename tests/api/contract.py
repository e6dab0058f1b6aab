"""Checks every /api response a test sees against the OpenAPI document the app serves:
the operation exists, the status is documented, the content type is the documented one,
the body validates against the documented JSON Schema (2020-12), required headers are there,
and no cookie is ever set."""
from __future__ import annotations

import json
import re

from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE = "urn:openapi"
PREFIX = "/api/v1"
SKIP = (PREFIX + "/openapi.json", PREFIX + "/static/")  # the document itself; the CSS of the docs page


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class Contract:
    def __init__(self, document: dict):
        self.document = document
        self.registry = Registry().with_resource(
            BASE, Resource.from_contents(document, default_specification=DRAFT202012))
        self.routes = [(re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(path)) + "$"), path)
                       for path in document["paths"]]
        self.seen: list[tuple[str, str, str]] = []  # (method, path template, status) checked

    def operation(self, method: str, path: str) -> tuple[str, dict] | None:
        local = path[len(PREFIX):]
        for pattern, template in self.routes:
            if pattern.match(local) and method.lower() in self.document["paths"][template]:
                return template, self.document["paths"][template][method.lower()]
        return None

    def check(self, method: str, path: str, response) -> None:
        assert "Set-Cookie" not in response.headers, f"{method} {path} set a cookie"
        found = self.operation(method, path)
        if found is None:  # unknown URL or method: still problem+json
            assert response.status_code in (404, 405), (method, path, response.status_code)
            assert response.mimetype == "application/problem+json"
            self._validate(response, "#/components/schemas/Problem")
            return
        template, op = found
        status = str(response.status_code)
        documented = status if status in op["responses"] else "default"
        assert documented in op["responses"], f"{method} {template}: status {status} not documented"
        spec = op["responses"][documented]
        content = spec.get("content") or {}
        assert response.mimetype in content, f"{method} {template} {status}: {response.mimetype} not in {list(content)}"
        for name, header in (spec.get("headers") or {}).items():
            if header.get("required"):
                assert name in response.headers, f"{method} {template} {status}: missing header {name}"
        if response.mimetype.endswith("json"):
            pointer = "/".join(["#/paths", _escape(template), method.lower(), "responses", documented,
                                "content", _escape(response.mimetype), "schema"])
            self._validate(response, pointer)
        self.seen.append((method.upper(), template, status))

    def _validate(self, response, pointer: str) -> None:
        body = json.loads(response.get_data(as_text=True))
        validator = Draft202012Validator({"$ref": BASE + pointer}, registry=self.registry,
                                         format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


class ContractClient(FlaskClient):
    """A test client that checks every /api response against the contract."""

    contract: Contract | None = None

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        request = response.request
        if request.path.startswith(PREFIX + "/") and not request.path.startswith(SKIP):
            if ContractClient.contract is None:
                ContractClient.contract = Contract(json.loads(
                    super().open(PREFIX + "/openapi.json").get_data(as_text=True)))
            ContractClient.contract.check(request.method, request.path, response)
        return response

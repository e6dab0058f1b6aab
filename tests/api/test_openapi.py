"""The OpenAPI document: valid, generated from the code, complete, and rendered as a page."""
from __future__ import annotations

import re

from openapi_spec_validator import validate

from quizapp.api.endpoint import OPERATIONS


def test_document_is_a_valid_openapi_31_document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    validate(document)
    assert document["openapi"] == "3.1.0" and document["servers"] == [{"url": "/api/v1"}]


def test_every_api_route_is_documented_with_its_schemas(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    routes = {(re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1")), method.lower())
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.") and rule.endpoint != "api.static"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert routes == documented
    for path, method in documented:
        op = document["paths"][path][method]
        ok = next(status for status in op["responses"] if status.startswith("2"))
        assert op["responses"][ok]["content"], (path, method)
        assert "application/problem+json" in op["responses"]["default"]["content"]
        if method in ("post", "put"):
            assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"].startswith(
                "#/components/schemas/"), (path, method)


def test_schemas_come_from_the_models(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    submission = schemas["SubmissionCreate"]
    assert submission["additionalProperties"] is False and submission["required"] == ["answers"]
    answers = submission["properties"]["answers"]
    assert answers["additionalProperties"]["maxLength"] == 500 and answers["maxProperties"] == 100
    assert schemas["GradeRequest"]["properties"]["items"]["maxItems"] == 200
    assert {"type", "title", "status", "detail", "code"} <= set(schemas["Problem"]["required"])
    exercise = schemas["Exercise"]["properties"]
    assert {"id", "prompt", "parts", "graph"} <= set(exercise) and "answers" not in exercise


def test_security_is_declared_per_operation(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert paths["/templates"]["get"]["security"] == [{}, {"bearerAuth": []}]
    assert paths["/grade"]["post"]["security"] == [{"bearerAuth": []}]
    assert paths["/openapi.json"]["get"]["security"] == []
    assert "429" in paths["/exercises/{exercise_id}/submissions"]["post"]["responses"]
    retry = paths["/grade"]["post"]["responses"]["429"]["headers"]["Retry-After"]
    assert retry["required"] is True


def test_reference_page_lists_every_operation_schema_and_error_code(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for op in OPERATIONS.values():
        assert f'id="op-{op.endpoint}"' in html
    for name in ("Exercise", "SubmissionResult", "GradeRequest", "Problem", "TemplateDetail"):
        assert f'id="schema-{name}"' in html
    assert 'id="problem-answer_too_long"' in html and 'id="problem-rate_limited"' in html
    assert "<script" not in html and "http://" not in html and "https://" not in html  # no CDN
    with client.get("/api/v1/static/api-docs.css") as css:
        assert css.status_code == 200 and css.mimetype == "text/css"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")

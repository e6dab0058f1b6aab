"""Property-based fuzzing of the whole API with schemathesis, in-process (WSGI): for data
generated from the OpenAPI document, valid and invalid, no 5xx, and every response conforms
to the document (status, content type, body schema, headers). An instructor token is sent so
that every operation is reachable.

Statuses accepted for schema-valid data, beyond schemathesis' defaults: 422, because some
rules depend on the template and cannot be written in a JSON Schema (its parameter domains,
its part ids, an answer that does not parse), and 413 because the body limit (64 KB) is
smaller than 100 answers of 500 characters could be (for schema-violating data
413 is an accepted rejection too).

The schema is the document built from the code (``quizapp.api.openapi.document()``, the same
one /api/v1/openapi.json serves; test_openapi.py checks that), loaded at import so that
schemathesis makes one test per operation; each request goes to the test's own app.
"""
from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from quizapp.api import routes  # noqa: F401  (registers the operations)
from quizapp.api.openapi import document

# Per operation and phase: enough to find the shapes that break, still fast. FUZZ_EXAMPLES=300
# for a longer hunt.
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))

CONFIG = SchemathesisConfig.from_dict({
    "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
    "phases": {"stateful": {"enabled": False}},
    "checks": {
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "401", "403", "404", "409", "413", "422", "429"]},
        # A body over the size limit is refused with 413 before its fields are looked at.
        "negative_data_rejection": {
            "expected-statuses": ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "429"]},
    },
})
schema = schemathesis.openapi.from_dict(document(), config=CONFIG)


@schema.parametrize()
# The app and its database are shared by the examples of one operation on purpose: the state
# they build up (exercises, attempts, templates) is part of what is being fuzzed.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_api_conforms_to_its_document_for_generated_requests(case, app, instructor):
    # This test's app, also for the follow-up requests that some checks make.
    case.operation.app = case.operation.schema.app = app
    case.call_and_validate(headers=instructor)

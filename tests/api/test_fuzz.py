"""Property-based fuzzing of the whole API with schemathesis, in-process (WSGI): for data
generated from the OpenAPI document, valid and invalid, no 5xx, and every response conforms
to the document (status, content type, body schema, headers). An instructor token is sent so
that every operation is reachable.

Statuses accepted for schema-valid data, beyond schemathesis' defaults: 404 and 409 (an
unknown slug or exercise id, a slug taken), 413 because the body limit (64 KB) is smaller than
100 answers of 500 characters could be (for schema-violating data 413 is an accepted rejection
too), and 422 only for the rules that depend on the template and cannot be written in a JSON
Schema; the check ``only_template_dependent_422`` (tests/api/fuzz_checks.py, which lists them
by problem code) fails any other 422 of schema-valid data:

- ``invalid_params``: params missing or unknown for the template, off its domain or grid, of a
  kind it does not take, breaking a constraint (the document says only: names like
  ``[A-Za-z][A-Za-z0-9_]*``, at most 50, values numbers with ``|x| <= 1e12``, short texts,
  lists or tables of numbers, null);
- ``template_broken``: no valid exercise could be drawn from the seed;
- ``unknown_answer_key``: a well-formed answer key (``part`` or ``part.step``) that names no part;
- ``unreadable_answer``: an answer that does not read as the part's kind;
- ``idempotency_key_reused``: the Idempotency-Key was used with other answers;
- ``invalid_template``, ``validation_error`` on ``source``: what a template's YAML says.

scripts/fuzz-live runs the same checks over HTTP against gunicorn.

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
from tests.api import fuzz_checks  # noqa: F401  (registers only_template_dependent_422)

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

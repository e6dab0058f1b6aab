"""A schemathesis check shared by the in-process fuzz test (test_fuzz.py) and the live run
(scripts/fuzz-live loads this module with SCHEMATHESIS_HOOKS=tests.api.fuzz_checks).

The document says everything about a request that a JSON Schema can say, so a request that
conforms to it may be refused with 422 only for a reason that depends on the template (or on
what the server has stored), never for its shape. Those reasons, by problem ``code``:
"""
from __future__ import annotations

import schemathesis

TEMPLATE_DEPENDENT_422 = {
    # POST /exercises: params missing or unknown for this template, off its domain or grid, of a
    # kind it does not take (a text for a YAML template, a table of the wrong shape), breaking
    # a constraint, or not making a valid exercise.
    "invalid_params": None,
    # POST /exercises: no valid exercise could be drawn from this seed (the template is at fault).
    "template_broken": None,
    # POST /exercises/{id}/submissions: a well-formed key that names no part of this exercise.
    "unknown_answer_key": None,
    # POST /exercises/{id}/submissions: an answer that does not read as the part's kind.
    "unreadable_answer": None,
    # POST /exercises/{id}/submissions: the Idempotency-Key was used before with other answers.
    "idempotency_key_reused": None,
    # POST and PUT /templates: the YAML source has problems (the web editor's checks).
    "invalid_template": None,
    # PUT /templates/{slug}: the source's slug differs from the URL's.
    "validation_error": "source",
}


@schemathesis.check
def only_template_dependent_422(ctx, response, case):
    """A schema-valid request refused with 422 must be refused for a template-dependent reason."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    try:
        problem = response.json()
    except ValueError:
        problem = {}
    code, field = problem.get("code"), problem.get("field")
    if code not in TEMPLATE_DEPENDENT_422 or TEMPLATE_DEPENDENT_422[code] not in (None, field):
        raise AssertionError(
            f"a schema-valid request was refused with 422 {code} (field {field}): the document should "
            f"say so, or the reason belongs in tests/api/fuzz_checks.py\n{problem.get('detail')}")
    return None

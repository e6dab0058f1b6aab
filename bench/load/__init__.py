"""bench/load: a load test of the quiz service over HTTP (docs/load.md).

Run ``.venv/bin/python -m bench.load --help``. Modules: ``cli`` (options), ``scenario`` (one
run: accounts, ramp, deadline), ``learner`` (browsers: HTML forms with CSRF tokens),
``api_client`` (batch grading, idempotent submissions), ``answers`` (right and wrong
answers), ``browser`` (timed requests, forms), ``stats`` (latencies, tables), ``ledger`` and
``checks`` (exactly-once against the database), ``servers`` (gunicorn, fresh databases),
``bare_app`` (the bare Flask app of --bare), ``report`` (the printout and exit status).
"""

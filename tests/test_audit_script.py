"""scripts/audit.py: a vulnerability fails the run; an audit that could not run says so plainly."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

SPEC = importlib.util.spec_from_file_location("audit", Path(__file__).parents[1] / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(audit)


def test_a_known_vulnerability_fails_and_is_named(capsys):
    out = json.dumps({"dependencies": [
        {"name": "flask", "version": "0.1", "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["3.0"]}]},
        {"name": "numpy", "version": "2.4.6", "vulns": []}]})
    assert audit.report(out) == 1
    printed = capsys.readouterr().out
    assert "VULNERABLE flask 0.1: PYSEC-0000-1" in printed and "2 of 2 pinned packages audited, 1 with" in printed


def test_packages_the_source_cannot_audit_are_listed_not_passed_over(capsys):
    out = json.dumps({"dependencies": [
        {"name": "flask", "skip_reason": "Dependency not found on PyPI and could not be audited: flask (3.1.3)"},
        {"name": "numpy", "version": "2.4.6", "vulns": []}]})
    assert audit.report(out) == 0
    printed = capsys.readouterr().out
    assert "1 of 2 pinned packages audited" in printed and "NOT AUDITED (1)" in printed and "flask" in printed


def test_an_unreachable_source_is_reported_plainly(monkeypatch, capsys):
    monkeypatch.setattr(audit, "run", lambda files: (1, "", "ConnectionError: Failed to resolve 'api.osv.dev'"))
    assert audit.main([]) == 0
    assert "NOT AUDITED: the advisory source could not be reached (ConnectionError" in capsys.readouterr().out

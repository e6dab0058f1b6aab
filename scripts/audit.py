"""Known vulnerabilities in the pinned requirements, with pip-audit (PyPI's advisory data).

Usage: python scripts/audit.py [requirements files]   (default: requirements.txt requirements-dev.txt)
Exit 1 when a pinned package has a known vulnerability. When the advisory source cannot be
reached, or cannot audit some packages (a machine that reaches only a package mirror), it says
so plainly, names them, and exits 0: the audit did not run for them, and the output says it.
"""
from __future__ import annotations

import json
import subprocess
import sys


def run(files: list[str]) -> tuple[int, str, str]:
    args = [sys.executable, "-m", "pip_audit", "--no-deps", "--disable-pip", "--progress-spinner", "off",
            "--format", "json"]
    for f in files:
        args += ["-r", f]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=600)
    return proc.returncode, proc.stdout, proc.stderr


def report(stdout: str) -> int:
    deps = json.loads(stdout)["dependencies"]
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    for d in vulnerable:
        ids = ", ".join(v["id"] for v in d["vulns"])
        print(f"pip-audit: VULNERABLE {d['name']} {d.get('version')}: {ids}")
    audited = len(deps) - len(skipped)
    print(f"pip-audit: {audited} of {len(deps)} pinned packages audited, {len(vulnerable)} with known vulnerabilities")
    if skipped:
        print(f"pip-audit: NOT AUDITED ({len(skipped)}): the advisory source does not know these pins here "
              f"(e.g. {skipped[0]['skip_reason']}): " + ", ".join(d["name"] for d in skipped))
    return 1 if vulnerable else 0


def main(argv: list[str]) -> int:
    files = argv or ["requirements.txt", "requirements-dev.txt"]
    try:
        _code, out, err = run(files)
    except subprocess.TimeoutExpired:
        print("pip-audit: NOT AUDITED: the advisory source did not answer within 10 minutes")
        return 0
    try:
        return report(out)
    except (json.JSONDecodeError, KeyError):
        last = (err.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit: NOT AUDITED: the advisory source could not be reached ({last[:200]})")
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

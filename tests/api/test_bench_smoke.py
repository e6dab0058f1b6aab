"""bench/api_bench.py --quick runs and prints its tables (no timing assertions: the figures
are for people, see docs/api.md)."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_quick_api_benchmark_runs_and_prints_the_figures():
    p = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "api_bench.py"), "--quick"],
                       capture_output=True, text=True, timeout=300, cwd=ROOT, check=False, env={**os.environ, "DATABASE_URL": ""})
    assert p.returncode == 0, p.stderr[-2000:]
    for title in ("### POST /grade", "| warm: instances in the LRU |", "| cold: each item generated first |",
                  "### Where a warm item's time goes", "### POST /exercises/{id}/submissions"):
        assert title in p.stdout, p.stdout
    assert "| 1.000 |" in p.stdout  # reference answers score full marks

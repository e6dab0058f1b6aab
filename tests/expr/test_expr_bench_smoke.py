"""The benchmark command runs and prints its tables (no timing assertions)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_expr_bench_prints_typical_and_hostile_figures():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "expr_bench.py"), "--rounds", "3"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "2x(x+1)^2" in done.stdout and "9^9^9^9" in done.stdout
    assert "Error" not in done.stdout

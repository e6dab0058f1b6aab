"""The benchmark command works: `bench/autodiff_bench.py --quick` (our engine, small sizes).

No timing assertions: speed and memory goals live in the printed figures, not in tests.
The full `bash scripts/bench` installs DeZero, micrograd and PyTorch into .bench-venv/, which
the test suite does not do; here the same program runs in the test interpreter.
"""
import os
import subprocess
import sys
from pathlib import Path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_quick_benchmark_runs_and_prints_the_tables():
    p = subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "autodiff_bench.py"), "--quick"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    out = p.stdout
    for title in ("### Chain of N scalar ops", "### Side by side", "### Wide graphs", "### Linearity",
                  "### Layer: loss = sum(tanh(W @ x + b))", "### Graph properties"):
        assert title in out, out
    assert "ours" in out and "numpy (by hand)" in out
    assert "RecursionError" not in out and "crashed" not in out and "Error" not in out, out
    assert "freed by refcounting alone" in out and "| yes" in out


def test_sections_option_runs_only_the_named_tables():
    p = subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "autodiff_bench.py"), "--quick", "--sections", "linearity"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    assert "### Linearity" in p.stdout and "(cyclic GC off)" in p.stdout
    assert "### Chain of N" not in p.stdout and "### Layer" not in p.stdout


def test_bench_script_is_valid_bash_and_uses_its_own_venv():
    script = os.path.join(ROOT, "scripts", "bench")
    assert subprocess.run(["bash", "-n", script]).returncode == 0
    text = Path(script).read_text()
    assert ".bench-venv" in text and "requirements-bench.txt" in text and "autodiff_bench.py" in text
    reqs = Path(ROOT, "requirements-bench.txt").read_text()
    assert "torch==2.13.0+cpu" in reqs and "dezero==0.0.13" in reqs and "micrograd" in reqs

"""The seeds' programs run against exercises.autodiff with only their imports changed and
print the seeds' numbers."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).parent / "seed_programs"
ROOT = Path(__file__).resolve().parents[2]


def run(name: str) -> list[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, str(PROGRAMS / name)], capture_output=True,
                         text=True, env=env, check=True, timeout=60)
    return out.stdout.splitlines()


def test_seed000_numerical_diff_prints_the_seeds_digits():
    assert run("seed000_numerical_diff.py") == ["4.000000000004", "3.2974426293330694"]


def test_seed002_forward_computes_100_and_exp_of_minus_one():
    lines = run("seed002_forward.py")
    assert lines[1:] == ["100", "y.data: 0.368", "exp(-x^2): 0.368"]


@pytest.mark.parametrize("program", ["seed002_manual_backward.py", "seed002_auto_backward.py"])
def test_seed002_backward_gives_minus_0_736(program):
    assert run(program) == ["x.grad: -0.736", "-2x exp(-x^2): -0.736"]


def _numbers(lines):
    return {k: float(v) for k, v in (line.split(": ") for line in lines)}


def test_seed004_apple_with_tax():
    assert _numbers(run("seed004_apple.py")) == {
        "price": 220, "dApple": 2.2, "dApple_num": 110, "dTax": 200}


def test_seed004_apple_and_orange_with_tax():
    got = _numbers(run("seed004_apple_orange.py"))
    # The seed prints dOrange as 3.3; Python's 1.1 * 3 is 3.3000000000000003 in binary floats.
    assert got.pop("dOrange") == pytest.approx(3.3, rel=1e-15)
    assert got == {"price": 715, "dApple": 2.2, "dApple_num": 110, "dOrange_num": 165,
                   "dTax": 650}

"""framework-autograd-code: for every program of both frameworks, what our engine decides it
prints equals the value known by hand; every misconception's run, option and name; params;
and neither framework is imported nor any code executed."""
import ast
import pathlib

import pytest

from exercises import generate, grade
from exercises.errors import ParamsError
from exercises.generators import framework_code, framework_programs
from exercises.generators.framework_code import ERROR, outcome_text, run

SLUG = "framework-autograd-code"
# (framework, case): (x, k, what the program prints, {misconception: what the learner expects})
EXPECTED = {
    # y = x² at x = 3: two backward calls without zero_grad add 6 + 6
    ("pytorch", "accumulate"): (3, 2, 12.0, {"grad_accumulates": 6.0}),
    # reset at i = 1, then i = 1 and i = 2 add 6 + 6 (never reset: 18, never accumulated: 6)
    ("pytorch", "zero_grad"): (3, 2, 12.0, {"grad_accumulates": 6.0}),
    # w = y + 2y with the 2y unrecorded: dy/dx = 6 only (recorded: 3·6)
    ("pytorch", "no_grad"): (3, 2, 6.0, {"no_grad_still_tracks": 18.0}),
    # z = (x² as a constant)·x = 9x: 9 (kept: d(x³)/dx = 27)
    ("pytorch", "detach"): (3, 2, 9.0, {"detach_keeps_graph": 27.0}),
    # the second backward on a freed graph raises (retained: 6 + 6)
    ("pytorch", "reuse"): (3, 2, ERROR, {"retain_graph_forgotten": 12.0, "wrong_choice": 6.0}),
    # c = 2 without requires_grad: c.grad is None (else x³ = 27)
    ("pytorch", "untracked"): (3, 3, None, {"requires_grad_missing": 27.0, "wrong_choice": 0.0}),
    # d²(x³)/dx² at x = 2 with create_graph: 6x = 12
    ("pytorch", "double"): (2, 3, 12.0, {}),
    # without create_graph the second grad raises (expected: 6x = 18 at x = 3; f' = 27 is the other option)
    ("pytorch", "create_graph"): (3, 3, ERROR, {"create_graph_missing": 18.0, "wrong_choice": 27.0}),
    # each tape returns a new 6 (accumulated: 12)
    ("tensorflow", "accumulate"): (3, 2, 6.0, {"grad_accumulates": 12.0}),
    ("tensorflow", "no_grad"): (3, 2, 6.0, {"no_grad_still_tracks": 18.0}),
    ("tensorflow", "detach"): (3, 2, 9.0, {"detach_keeps_graph": 27.0}),
    # a non-persistent tape's second gradient raises (persistent: d(x³)/dx = 27; dy = 6)
    ("tensorflow", "reuse"): (3, 2, ERROR, {"tape_not_persistent": 27.0, "wrong_choice": 6.0}),
    # a tf.constant is not watched: None (watched: 2x = 6)
    ("tensorflow", "untracked"): (3, 2, None, {"tape_constant_unwatched": 6.0, "wrong_choice": 0.0}),
    # w untrainable: gw is None (watched: v·2w = 12; gv = w² = 9)
    ("tensorflow", "trainable"): (3, 2, None, {"tape_constant_unwatched": 12.0, "wrong_choice": 9.0}),
    ("tensorflow", "double"): (2, 3, 12.0, {}),
    # the inner gradient outside the outer tape: unconnected, None
    ("tensorflow", "create_graph"): (3, 3, None, {"create_graph_missing": 18.0, "wrong_choice": 27.0}),
}
PAIRS = [(fw, case) for fw, cases in framework_programs.CASES.items() for case in cases]


def params_of(fw, case):
    x, k, _, _ = EXPECTED[(fw, case)]
    return {"framework": fw, "case": case, "x": x, "k": k}


def test_every_program_of_both_frameworks_is_covered():
    assert set(EXPECTED) == set(PAIRS) and len(PAIRS) == 16
    assert set(framework_programs.CASES["pytorch"]) - set(framework_programs.CASES["tensorflow"]) == {"zero_grad"}
    assert set(framework_programs.CASES["tensorflow"]) - set(framework_programs.CASES["pytorch"]) == {"trainable"}


@pytest.mark.parametrize(("fw", "case"), PAIRS)
def test_the_engine_decides_what_the_program_prints(fw, case):
    x, k, printed, slips = EXPECTED[(fw, case)]
    assert run(fw, case, x, k) == printed
    for mid, wrong in slips.items():
        if mid != "wrong_choice":
            assert run(fw, case, x, k, mid) == wrong, mid


@pytest.mark.parametrize(("fw", "case"), PAIRS)
def test_the_exercise_keys_the_engine_answer_and_names_each_misconception(fw, case):
    x, k, printed, slips = EXPECTED[(fw, case)]
    ex = generate(SLUG, seed=4, params=params_of(fw, case))
    assert "```python\n" in ex.statement["ja"] and ("import torch" if fw == "pytorch" else "import tensorflow") \
        in ex.statement["en"]
    part = ex.parts[0]
    if part.kind == "value":
        assert ex.answers["printed"] == printed and grade(ex, {"printed": repr(printed)}).score == 1.0
        assert ex.mistakes["printed"] == slips
        for mid, wrong in slips.items():
            assert grade(ex, {"printed": repr(wrong)}).parts["printed"].misconception["id"] == mid
        return
    texts = [c["en"] for c in part.choices]
    assert texts[ex.answers["outcome"]] == outcome_text(printed)["en"] and len(texts) == 1 + len(slips)
    assert {mid: texts[i] for mid, i in ex.mistakes["outcome"].items()} == \
        {mid: outcome_text(v)["en"] for mid, v in slips.items()}
    for mid, index in ex.mistakes["outcome"].items():
        assert grade(ex, {"outcome": str(index)}).parts["outcome"].misconception["id"] == mid
    assert grade(ex, {"outcome": str(ex.answers["outcome"])}).score == 1.0
    right = [c for c in ex.solution["checks"] if c["misconception"] is None]
    assert len(right) == 1 and right[0]["outcome"] == printed


def test_code_shows_the_drawn_numbers_and_pytorch_is_the_default():
    ex = generate(SLUG, seed=0, params={"case": "accumulate", "x": -1.5, "k": 3})
    assert ex.params["framework"] == "pytorch" and "torch.tensor(-1.5, requires_grad=True)" in ex.statement["en"]
    assert "y = x ** 3" in ex.statement["en"] and ex.answers["printed"] == 2 * 3 * 2.25
    tf = generate(SLUG, seed=0, params={"framework": "tensorflow", "case": "untracked", "x": 2, "k": 2})
    assert "x = tf.constant(2.0)" in tf.statement["en"]


def test_drawn_values_are_never_guessable():
    for seed in range(60):
        ex = generate(SLUG, seed=seed)
        if ex.parts[0].kind == "value":
            v, shown = ex.answers["printed"], {0, 1, -1, ex.params["x"], ex.params["k"], 2, 3}
            assert all(abs(v - g) > 1e-9 for g in shown), (seed, ex.params)


@pytest.mark.parametrize("bad", [
    {"framework": "jax"}, {"framework": "tensorflow", "case": "zero_grad"}, {"case": "trainable"},
    {"case": "accumulate", "x": 0}, {"case": "double", "k": 2}, {"case": "create_graph", "k": 5},
    {"case": "accumulate", "x": 11}, {"case": "detach", "lr": 0.1}, [1],
])
def test_wrong_params_are_refused(bad):
    with pytest.raises(ParamsError):
        generate(SLUG, seed=0, params=bad)


def test_no_framework_is_imported_and_nothing_is_executed():
    for module in (framework_code, framework_programs):
        source = pathlib.Path(module.__file__).read_text(encoding="utf-8")
        assert "eval(" not in source and "exec(" not in source and "compile(" not in source
        imported = {alias.name.split(".")[0] for node in ast.walk(ast.parse(source))
                    if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(ast.parse(source))
                     if isinstance(node, ast.ImportFrom) and node.module}
        assert not imported & {"torch", "tensorflow"}, imported

"""repeat-sum-matmul-nodes (ゼロから作るDeep Learning ② 1.3.4): numbers worked by hand, each
misconception named when typed, the mutated rules against their own closed forms, params."""
import numpy as np
import pytest

from exercises import generate, grade
from exercises.errors import ParamsError
from exercises.generators import graph_nodes

SLUG = "repeat-sum-matmul-nodes"
PARAMS = {"repeat_dout": [[1, 2], [3, -1], [2, 2]], "sum_n": 3, "sum_dout": [2, -1],
          "x": [[1, 2], [3, -1]], "W": [[2, 1], [-1, 3]], "dout": [[1, -1], [2, 1]]}


def key(ex, pid):
    return np.array(ex.answers[pid].values)


def test_numbers_by_hand():
    ex = generate(SLUG, seed=0, params=PARAMS)
    # Repeat: the three copies' gradients summed, (1 + 3 + 2, 2 - 1 + 2)
    np.testing.assert_array_equal(key(ex, "repeat_dx"), [6, 3])
    # Sum: dy copied to each of the 3 rows
    np.testing.assert_array_equal(key(ex, "sum_dx"), [[2, -1], [2, -1], [2, -1]])
    # dx = dout Wᵀ = [[1, -1], [2, 1]] [[2, -1], [1, 3]]; dW = xᵀ dout = [[1, 3], [2, -1]] [[1, -1], [2, 1]]
    np.testing.assert_array_equal(key(ex, "matmul_dx"), [[1, -4], [5, 1]])
    np.testing.assert_array_equal(key(ex, "matmul_dw"), [[7, 2], [0, -3]])
    np.testing.assert_array_equal(key(ex, "db"), [3, 0])
    assert ex.part("sum_dx").kind == "matrix" and ex.part("sum_dx").shape == (3, 2)
    assert ex.part("repeat_dx").kind == "vector" and ex.part("repeat_dx").shape == (2,)
    right = {"repeat_dx": "6, 3", "sum_dx": "2, -1; 2, -1; 2, -1", "matmul_dx": "1, -4; 5, 1",
             "matmul_dw": "[[7, 2], [0, -3]]", "db": "3, 0"}
    assert grade(ex, right).score == 1.0


MISTAKES = [
    ("repeat_dx", "repeat_backward_not_summed", "1, 2", (1, 2)),               # the first copy only
    ("repeat_dx", "repeat_backward_averaged", "2, 1", (2, 1)),                 # (6, 3) / 3
    ("sum_dx", "sum_backward_not_repeated", "2, -1; 0, 0; 0, 0", ((2, -1), (0, 0), (0, 0))),
    ("sum_dx", "sum_backward_averaged", "0.67, -0.33; 0.67, -0.33; 0.67, -0.33",
     ((2 / 3, -1 / 3),) * 3),
    ("matmul_dx", "dx_no_transpose", "3, -2; 3, 5", ((3, -2), (3, 5))),        # dout W
    ("matmul_dw", "dw_no_transpose", "5, 1; 1, -4", ((5, 1), (1, -4))),        # x dout
    ("matmul_dw", "dw_dout_xt", "-1, 4; 4, 5", ((-1, 4), (4, 5))),             # dout xᵀ
    ("db", "db_averaged", "1.5, 0", (1.5, 0)),
    ("db", "db_wrong_axis", "0, 3", (0, 3)),                                   # summed over axis 1
]


@pytest.mark.parametrize(("pid", "mid", "typed", "values"), MISTAKES)
def test_each_misconception_is_computed_and_named(pid, mid, typed, values):
    ex = generate(SLUG, seed=0, params=PARAMS)
    np.testing.assert_allclose(np.array(ex.mistakes[pid][mid]), np.array(values))
    result = grade(ex, {pid: typed}).parts[pid]
    assert result.status == "incorrect" and result.misconception["id"] == mid


def test_mutated_rules_follow_their_closed_forms_on_random_arrays():
    rng = np.random.default_rng(3)
    p = {"repeat_dout": rng.normal(size=(4, 3)), "sum_n": 4, "sum_dout": rng.normal(size=3),
         "x": rng.normal(size=(2, 2)), "W": rng.normal(size=(2, 2)), "dout": rng.normal(size=(2, 2))}
    found = graph_nodes.nodes_mistakes(p)
    rd, sd, x, W, dout = (np.asarray(p[k]) for k in ("repeat_dout", "sum_dout", "x", "W", "dout"))
    np.testing.assert_allclose(found["repeat_dx"]["repeat_backward_not_summed"], rd[0])
    np.testing.assert_allclose(found["repeat_dx"]["repeat_backward_averaged"], rd.mean(axis=0))
    np.testing.assert_allclose(found["sum_dx"]["sum_backward_averaged"], np.repeat(sd[None] / 4, 4, axis=0))
    np.testing.assert_allclose(found["matmul_dx"]["dx_no_transpose"], dout @ W)
    np.testing.assert_allclose(found["matmul_dw"]["dw_no_transpose"], x @ dout)
    np.testing.assert_allclose(found["db"]["db_averaged"], dout.mean(axis=0))
    right = graph_nodes.nodes_engine(p)
    np.testing.assert_allclose(right["repeat_dx"], rd.sum(axis=0))
    np.testing.assert_allclose(right["sum_dx"], np.repeat(sd[None], 4, axis=0))


def test_a_wrong_shaped_mistake_is_left_out():
    # x (3, 2), W (2, 2), dout (3, 2): db summed over axis 1 has 3 elements, db has 2
    p = {**PARAMS, "x": [[1, 2], [3, -1], [1, 1]], "dout": [[1, -1], [2, 1], [1, 2]]}
    ex = generate(SLUG, seed=0, params=p)
    assert "db_wrong_axis" not in ex.mistakes["db"] and "db_averaged" in ex.mistakes["db"]
    assert "dw_no_transpose" not in ex.mistakes["matmul_dw"]  # x (3, 2)·dout (3, 2) does not fit
    assert "dx_no_transpose" in ex.mistakes["matmul_dx"]      # dout (3, 2)·W (2, 2) does


def test_drawn_exercises_have_no_zero_sums_and_show_the_graph():
    for seed in range(20):
        ex = generate(SLUG, seed=seed)
        assert 0 not in key(ex, "repeat_dx") and 0 not in key(ex, "db")
        ops = {n["op"] for n in ex.graph["nodes"]}
        assert {"broadcast_to", "sum", "matmul"} <= ops, ops
        assert set(ex.mistakes["repeat_dx"]) == {"repeat_backward_not_summed", "repeat_backward_averaged"}


@pytest.mark.parametrize("bad", [
    {**PARAMS, "repeat_dout": [[1, 2]]},                 # one copy: nothing to sum
    {**PARAMS, "sum_n": 6},
    {**PARAMS, "W": [[1, 2, 3]]},                        # W's rows differ from x's columns
    {**PARAMS, "dout": [[1, 2, 3], [1, 2, 3]]},          # dout's columns differ from W's
    {k: v for k, v in PARAMS.items() if k != "sum_dout"},
])
def test_wrong_params_are_refused(bad):
    with pytest.raises(ParamsError):
        generate(SLUG, seed=0, params=bad)

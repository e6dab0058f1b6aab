"""The six original generators (layer gradients, activations and losses, code fill-in) checked
by hand for fixed parameters; the shared checks of every generator are in test_generators.py."""
import math
import pathlib

import numpy as np
import pytest

from exercises import generate, grade
from exercises.errors import ParamsError, Rejected
from exercises.generators import codefill, codefill_lines
from exercises.misconceptions import MISCONCEPTIONS


# --------------------------------------------------------------------------- layer-gradients, by hand
def choice_text(ex, pid, index):
    return ex.part(pid).choices[index]["en"]


def test_affine_shapes_for_n4_d3_m2():
    ex = generate("affine-gradient-shapes", seed=5, params={"N": 4, "D": 3, "M": 2})
    assert choice_text(ex, "dw", ex.answers["dw"]) == "(D, M) = (3, 2)"
    assert choice_text(ex, "db", ex.answers["db"]) == "(M,) = (2,)"
    assert choice_text(ex, "dx", ex.answers["dx"]) == "(N, D) = (4, 3)"
    assert choice_text(ex, "dw", ex.mistakes["dw"]["dw_no_transpose"]) == "(M, D) = (2, 3)"
    assert choice_text(ex, "db", ex.mistakes["db"]["db_wrong_axis"]) == "(N,) = (4,)"
    options = {c["en"] for c in ex.part("db").choices}
    assert options == {"(M,) = (2,)", "(N,) = (4,)", "(N, M) = (4, 2)", "() (a scalar)"}
    result = grade(ex, {"dw": str(ex.mistakes["dw"]["dw_no_transpose"]), "db": str(ex.answers["db"])})
    assert result.parts["dw"].misconception["id"] == "dw_no_transpose" and result.parts["db"].status == "correct"
    assert result.parts["dx"].status == "unanswered"


AFFINE = {"X": [[1, 2], [3, -1]], "W": [[2, -1], [1, 3]], "b": [0, 1], "dout": [[1, -1], [2, 1]],
          "dw_at": [[0, 0], [1, 1]], "db_at": 0, "dx_at": [1, 1]}


def test_affine_numbers_by_hand():
    # dW = Xᵀ dout = [[1, 3], [2, -1]] [[1, -1], [2, 1]] = [[7, 2], [0, -3]]
    # db = [1 + 2, -1 + 1] = [3, 0]; dx = dout Wᵀ = [[1, -1], [2, 1]] [[2, 1], [-1, 3]] = [[3, -2], [3, 5]]
    # X dout (no transpose) = [[5, 1], [1, -4]]; mean over axis 0 = [1.5, 0]; sum over axis 1 = [0, 3]
    ex = generate("affine-gradient-numbers", seed=0, params=AFFINE)
    assert ex.answers == {"dw_1": 7.0, "dw_2": -3.0, "db": 3.0, "dx": 5.0}
    # W dout = [[0, -3], [7, 2]] (W instead of X); dout Xᵀ = [[-1, 4], [4, 5]] (the column-vector form)
    assert ex.mistakes["dw_1"] == {"dw_no_transpose": 5.0, "dw_dout_xt": -1.0, "dw_uses_w": 0.0}
    assert ex.mistakes["dw_2"] == {"dw_no_transpose": -4.0, "dw_dout_xt": 5.0, "dw_uses_w": 2.0}
    assert ex.mistakes["db"] == {"db_averaged": 1.5, "db_wrong_axis": 0.0}
    assert set(ex.mistakes["dx"]) <= {"dx_no_transpose"}  # dout W = [[1, -4], [5, 1]] once the id exists
    if "dx_no_transpose" in MISCONCEPTIONS:
        assert ex.mistakes["dx"] == {"dx_no_transpose": 1.0}
    result = grade(ex, {"dw_1": "7", "dw_2": "-3", "db": "1.5", "dx": "５"})
    assert result.parts["db"].misconception["id"] == "db_averaged"
    assert result.score == 0.75
    assert [n["label"] for n in ex.graph["nodes"]] == ["X", "W", "b", "Y"]
    assert ex.graph["nodes"][0]["value"] == [[1, 2], [3, -1]] and "value" not in ex.graph["nodes"][3]
    assert any("= 7$" in line for line in ex.solution["backward"])


def test_affine_numbers_for_a_non_square_x_uses_dout_transpose_x_for_the_mistake():
    params = {"X": [[1, 0, 2], [-1, 3, 1]], "W": [[1, 2], [0, 1], [-1, 1]], "b": [0, 0],
              "dout": [[1, 2], [-1, 1]], "dw_at": [[0, 1]], "db_at": 1, "dx_at": [0, 2]}
    ex = generate("affine-gradient-numbers", seed=0, params=params)
    X, dout, W = (np.array(params[k], dtype=float) for k in ("X", "dout", "W"))
    assert ex.answers["dw"] == (X.T @ dout)[0, 1] == 1.0
    # (M, D) read at [0, 1]: 3; W dout fits (M = N = 2): (W @ dout)[0, 1]; dout Xᵀ does not (M != D)
    assert ex.mistakes["dw"] == {"dw_no_transpose": (dout.T @ X)[0, 1], "dw_uses_w": (W @ dout)[0, 1]}
    assert ex.answers["dx"] == (dout @ W.T)[0, 2] == 1.0
    # db = dout summed over axis 0 = [0, 3]; over axis 1 it would be [3, 0]
    assert ex.answers["db"] == 3.0 and ex.mistakes["db"] == {"db_averaged": 1.5, "db_wrong_axis": 0.0}


NET_111 = {"x": [1], "W1": [[0]], "b1": [0], "W2": [2], "b2": -1, "t": 1}


def test_sigmoid_net_1_1_1_by_hand():
    # z1 = 0, h = 0.5, z2 = 2 * 0.5 - 1 = 0, y = 0.5, L = (0.5 - 1)^2 / 2 = 0.125
    # dL/db2 = (y - t) y (1 - y) = -0.5 * 0.25 = -0.125; dL/dw2 = -0.125 * h = -0.0625
    # dL/db1 = -0.125 * w2 * h (1 - h) = -0.0625; dL/dw1 = dL/db1 * x = -0.0625
    ex = generate("sigmoid-net-bias-weight-grads", seed=0, params=NET_111)
    assert ex.answers == pytest.approx({"y": 0.5, "d_b2": -0.125, "d_w2": -0.0625, "d_b1": -0.0625,
                                        "d_w1": -0.0625}, abs=1e-12)
    m = ex.mistakes
    assert m["d_b2"]["sigmoid_from_x"] == 0.0           # z2 (1 - z2) = 0 at z2 = 0
    assert m["d_b2"]["power_rule_no_factor"] == pytest.approx(-0.0625)  # the 2 of (y - t)^2 dropped
    assert m["d_b2"]["dropped_upstream"] == 1.0         # only the local derivative of z2 = ... + b2
    assert m["d_w2"]["mul_no_swap"] == pytest.approx(-0.25)  # dL/db2 * w2 instead of * h
    result = grade(ex, {"y": "0.5", "d_b2": "0", "d_w2": "-1/16", "d_b1": "-0.0625", "d_w1": "-0.0625"})
    assert result.parts["d_b2"].misconception["id"] == "sigmoid_from_x" and result.score == 0.8
    assert ex.solution["backward"][1].endswith("= -0.125$")


def test_sigmoid_net_2_2_1_matches_the_seed_formulas():
    params = {"x": [1, -0.5], "W1": [[0.5, -1], [1.5, 0.5]], "b1": [0, 0.5], "W2": [1, -1.5], "b2": 0.5, "t": 0,
              "w2_at": 1, "b1_at": 0, "w1_at": [1, 0]}
    ex = generate("sigmoid-net-bias-weight-grads", seed=0, params=params)
    sig = lambda u: 1 / (1 + np.exp(-u))  # noqa: E731
    x, W1, b1, W2 = (np.array(params[k], dtype=float) for k in ("x", "W1", "b1", "W2"))
    h = sig(x @ W1 + b1)
    y = sig(h @ W2 + params["b2"])
    db2 = (y - params["t"]) * y * (1 - y)          # last bias
    db1 = db2 * W2 * h * (1 - h)                   # second-to-last biases
    assert ex.answers["y"] == pytest.approx(y, rel=1e-12)
    assert ex.answers["d_b2"] == pytest.approx(db2, rel=1e-12)
    assert ex.answers["d_w2"] == pytest.approx(db2 * h[1], rel=1e-12)   # weight = bias gradient x input
    assert ex.answers["d_b1"] == pytest.approx(db1[0], rel=1e-12)
    assert ex.answers["d_w1"] == pytest.approx(db1[0] * x[1], rel=1e-12)
    assert "w^{(1)}_{21}" in ex.part("d_w1").prompt["ja"]
    assert {n["name"] for n in ex.graph["nodes"] if n["op"] == "input"} >= {"x1", "x2", "w1_21", "b2", "t"}


# --------------------------------------------------------------------------- activations-losses, by hand
def test_softmax_of_0_0_ln2_with_label_2():
    ex = generate("softmax-cross-entropy-grad", seed=0,
                  params={"x": [[0, 0, math.log(2)]], "t": [2], "y_at": [0, 2], "dx_at": [[0, 2], [0, 0]]})
    # exp: 1, 1, 2 -> y = (1/4, 1/4, 1/2); L = -log(1/2) = ln 2; dx = y - t = (1/4, 1/4, -1/2)
    assert ex.answers == pytest.approx({"y": 0.5, "loss": math.log(2), "dx_1": -0.5, "dx_2": 0.25}, rel=1e-12)
    assert "softmax_no_n" not in ex.mistakes["dx_1"]  # N = 1: dividing by N changes nothing
    assert ex.mistakes["dx_1"] == pytest.approx({"residual_reversed": 0.5})  # and N^2 = N: not told apart
    result = grade(ex, {"y": "0.5", "loss": "0.693", "dx_1": "-1/2", "dx_2": "0.25"})
    assert result.score == 1.0


def test_softmax_batch_of_two_divides_by_n():
    x = [[0, 0, math.log(2)], [math.log(3), 0, 0]]
    ex = generate("softmax-cross-entropy-grad", seed=0,
                  params={"x": x, "t": [2, 0], "y_at": [1, 0], "dx_at": [[1, 0], [1, 2]]})
    # row 1: exp = 3, 1, 1 -> y = (0.6, 0.2, 0.2); L = -(log 0.5 + log 0.6) / 2
    assert ex.answers["y"] == pytest.approx(0.6)
    assert ex.answers["loss"] == pytest.approx(-(math.log(0.5) + math.log(0.6)) / 2)
    assert ex.answers["dx_1"] == pytest.approx((0.6 - 1) / 2) and ex.answers["dx_2"] == pytest.approx(0.2 / 2)
    assert ex.mistakes["dx_1"] == pytest.approx({"softmax_no_n": -0.4, "residual_reversed": 0.2, "softmax_n_twice": -0.1})
    assert ex.mistakes["dx_2"] == pytest.approx({"softmax_no_n": 0.2, "residual_reversed": -0.1, "softmax_n_twice": 0.05})
    result = grade(ex, {"dx_1": "-0.4"})
    assert result.parts["dx_1"].misconception["id"] == "softmax_no_n"


def test_sigmoid_and_relu_backward_by_hand():
    ln3 = math.log(3)  # sigma(ln 3) = 3/4, sigma(-ln 3) = 1/4
    params = {"x": [ln3, -ln3, 2, -1], "dout": [2, -4, 1.5, 3], "y_at": 0, "sig_at": [0, 1], "relu_at": 2}
    ex = generate("sigmoid-relu-backward", seed=0, params=params)
    assert ex.answers == pytest.approx({"y": 0.75, "dsig_1": 2 * 0.75 * 0.25, "dsig_2": -4 * 0.25 * 0.75,
                                        "drelu": 1.5})
    assert ex.mistakes["dsig_1"] == pytest.approx({"sigmoid_from_x": 2 * ln3 * (1 - ln3),
                                                   "dropped_upstream": 0.1875})
    assert ex.mistakes["drelu"]["dropped_upstream"] == 1.0
    r = grade(ex, {"dsig_1": repr(2 * ln3 * (1 - ln3))}).parts["dsig_1"]
    assert r.misconception["id"] == "sigmoid_from_x"
    zero = generate("sigmoid-relu-backward", seed=0, params={**params, "relu_at": 3})
    assert zero.answers["drelu"] == 0.0 and grade(zero, {"drelu": "0"}).parts["drelu"].status == "correct"
    assert zero.mistakes["drelu"]["relu_no_mask"] == 3.0  # dout passed on although x = -1 <= 0
    assert grade(zero, {"drelu": "3"}).parts["drelu"].misconception["id"] == "relu_no_mask"


# --------------------------------------------------------------------------- code-fill
EXPECTED_VERDICTS = {
    ("MulLayer", "dx"): ["match", "mismatch", "mismatch", "mismatch"],
    ("MulLayer", "dy"): ["match", "mismatch", "mismatch", "mismatch"],
    ("AddLayer", "dx"): ["match", "mismatch", "mismatch", "mismatch"],
    ("AddLayer", "dy"): ["match", "mismatch", "mismatch", "mismatch"],
    ("Relu", "mask"): ["match", "mismatch", "mismatch", "mismatch"],
    ("Sigmoid", "dx"): ["match", "mismatch", "mismatch", "mismatch", "mismatch"],
    # X (4, 3), W (3, 2), dout (4, 2): a misplaced transpose is an error or the wrong shape
    ("Affine", "dx"): ["match", "error", "shape", "error"],
    ("Affine", "dW"): ["match", "error", "shape", "error"],
    ("Affine", "db"): ["match", "mismatch", "shape", "shape"],
    ("SoftmaxWithLoss", "dx"): ["match", "mismatch", "mismatch", "mismatch"],
}


def test_each_candidate_line_against_the_engine():
    assert set(EXPECTED_VERDICTS) == set(codefill.VARIANTS)
    rng = np.random.default_rng(2024)
    for key, variant in codefill.VARIANTS.items():
        verdicts = codefill.verify(variant, rng)
        assert [verdicts[o.text] for o in variant.options] == EXPECTED_VERDICTS[key], key
        assert all(o.text in codefill.CANDIDATES for o in variant.options)


def test_candidate_functions_compute_what_the_lines_say():
    s = type("State", (), {})()
    s.x, s.y = np.array(3.0), np.array(5.0)
    assert codefill.CANDIDATES["dout * self.y"](s, 2.0) == 10.0
    assert codefill.CANDIDATES["dout * self.x"](s, 2.0) == 6.0
    s.mask = np.array([True, False])
    dout = np.array([4.0, 7.0])
    np.testing.assert_array_equal(codefill.CANDIDATES["dout[self.mask] = 0"](s, dout), [0.0, 7.0])
    np.testing.assert_array_equal(codefill.CANDIDATES["dout[~self.mask] = 0"](s, dout), [4.0, 0.0])
    np.testing.assert_array_equal(dout, [4.0, 7.0])  # the caller's dout is left alone
    s.y, s.t, s.batch_size = np.array([[0.2, 0.8]]), np.array([[0.0, 1.0]]), 2
    np.testing.assert_allclose(codefill.CANDIDATES["(self.y - self.t) / batch_size"](s, 1), [[0.1, -0.1]])


def test_a_variant_whose_designated_answer_is_wrong_is_rejected():
    v = codefill.VARIANTS[("MulLayer", "dx")]
    swapped = codefill.Variant(v.layer, v.blank, v.line, (v.options[1], v.options[0], *v.options[2:]),
                               v.forward, v.backward)
    with pytest.raises(Rejected, match="candidate_check"):
        codefill.verify(swapped, np.random.default_rng(0))
    add = codefill.VARIANTS[("AddLayer", "dx")]
    twins = codefill.Variant(add.layer, add.blank, add.line, (*add.options, codefill.Option("dout", None, add.options[0].why)),
                             add.forward, add.backward)  # "dout" and "dout * 1" are the same line
    with pytest.raises(Rejected, match="candidate_check"):
        codefill.verify(twins, np.random.default_rng(0))
    repeated = codefill.Variant(v.layer, v.blank, v.line, (*v.options, v.options[1]), v.forward, v.backward)
    unknown = codefill.Variant(v.layer, v.blank, v.line, (*v.options, codefill.Option("x.grad", None, v.options[0].why)),
                               v.forward, v.backward)
    for bad in (repeated, unknown):
        with pytest.raises(Rejected, match="bad_variant"):
            codefill.verify(bad, np.random.default_rng(0))


def test_candidates_are_never_evaluated_as_code():
    for module in (codefill, codefill_lines):
        source = pathlib.Path(module.__file__).read_text(encoding="utf-8")
        assert "eval(" not in source and "exec(" not in source and "compile(" not in source


@pytest.mark.parametrize("layer,blank", sorted(codefill.VARIANTS))
def test_code_fill_exercise_for_every_variant(layer, blank):
    ex = generate("layer-backward-code-fill", seed=3, params={"layer": layer, "blank": blank})
    variant = codefill.VARIANTS[(layer, blank)]
    ja = ex.statement["ja"]
    assert "```python\n" in ja and ja.rstrip().endswith("```") and "____" in ja
    assert variant.line not in ja  # the answer is blanked out
    options = [c["ja"] for c in ex.part("blank").choices]
    assert sorted(options) == sorted(o.text for o in variant.options)
    assert options[ex.answers["blank"]] == variant.options[0].text
    for o in variant.options[1:]:
        if o.misconception in MISCONCEPTIONS:
            index = ex.mistakes["blank"][o.misconception]
            assert options[index] == o.text
            assert grade(ex, {"blank": str(index)}).parts["blank"].misconception["id"] == o.misconception
    assert [c["verdict"] for c in ex.solution["checks"]].count("match") == 1
    assert grade(ex, {"blank": str(ex.answers["blank"])}).score == 1.0
    assert variant.line in ex.explanation["ja"]


def test_code_fill_named_distractors():
    ex = generate("layer-backward-code-fill", seed=0, params={"layer": "SoftmaxWithLoss"})
    options = [c["en"] for c in ex.part("blank").choices]
    assert options[ex.mistakes["blank"]["softmax_no_n"]] == "self.y - self.t"
    assert options[ex.mistakes["blank"]["residual_reversed"]] == "(self.t - self.y) / batch_size"
    ex = generate("layer-backward-code-fill", seed=0, params={"layer": "Affine", "blank": "db"})
    options = [c["en"] for c in ex.part("blank").choices]
    assert options[ex.mistakes["blank"]["db_averaged"]] == "np.mean(dout, axis=0)"
    assert options[ex.mistakes["blank"]["db_wrong_axis"]] == "np.sum(dout, axis=1)"


@pytest.mark.parametrize(("slug", "params"), [
    ("affine-gradient-shapes", {"N": 10**400, "D": 2, "M": 3}),
    ("sigmoid-relu-backward", {"x": [10**400, 1.0, 2.0], "dout": [1.0, 1.0, 1.0]}),
])
def test_integers_too_large_for_a_float_are_invalid_params_not_a_crash(slug, params):
    with pytest.raises(ParamsError) as info:
        generate(slug, params=params)
    assert len(info.value.message("en")) < 200

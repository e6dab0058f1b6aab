"""Built-in templates of the numerical-diff, activations-losses (scalar) and gradient-descent
families: every seed generates and grades, the misconceptions they teach are named, and the
numbers agree with hand calculations."""
from __future__ import annotations

import math

import numpy as np
import pytest

from exercises import generate, grade
from exercises.grading import reference_answers
from exercises.registry import get_template

NUMDIFF = {
    "numdiff-square-central-forward": 1,
    "numdiff-cube-error-order": 2,
    "numdiff-exp-cancellation": 3,
}
ACTIVATIONS = {
    "act-sigmoid-node-backward": 1,
    "act-relu-mask-backward": 1,
    "act-tanh-node-backward": 2,
    "act-sigmoid-cross-entropy": 2,
    "act-sigmoid-neuron-squared-error": 3,
}
DESCENT = {
    "gd-linear-regression-one-step": 2,
    "gd-linear-regression-two-points": 3,
    "gd-logistic-regression-one-step": 3,
}
FAMILIES = {"numerical-diff": NUMDIFF, "activations-losses": ACTIVATIONS, "gradient-descent": DESCENT}
ALL = {**NUMDIFF, **ACTIVATIONS, **DESCENT}
SEEDS = range(30)


# --- helpers -----------------------------------------------------------------------------------



def graded_misconception(ex, part_id: str, value: float):
    result = grade(ex, {part_id: repr(float(value))}).parts[part_id]
    assert result.status == "incorrect"
    return result.misconception["id"] if result.misconception else None


# --- every template, every seed -------------------------------------------------------------------

def test_catalog_holds_each_template_with_its_family_and_difficulty():
    for family, templates in FAMILIES.items():
        for slug, difficulty in templates.items():
            template = get_template(slug)
            assert (template.family, template.difficulty) == (family, difficulty), slug


@pytest.mark.parametrize("slug", ALL)
def test_thirty_seeds_generate_and_their_reference_answers_grade_full_marks(slug):
    for seed in SEEDS:
        ex = generate(slug, seed=seed)
        result = grade(ex, reference_answers(ex))
        assert result.valid and result.score == 1.0, (seed, result.to_dict())
        assert generate(slug, seed=seed).params == ex.params  # (slug, version, seed) fixes the instance


@pytest.mark.parametrize("slug", ALL)
def test_every_part_states_its_precision_and_every_text_has_both_languages(slug):
    ex = generate(slug, seed=0)
    for part in ex.parts:
        public = part.public()
        assert public["prompt"]["ja"] and public["prompt"]["en"]
        if part.kind in ("value", "gradient", "update"):
            assert public["precision"]["ja"].endswith("答えなさい。")
    for text in (ex.title, ex.statement, ex.explanation, *ex.hints):
        assert text["ja"].strip() and text["en"].strip()
    assert "{{" not in ex.statement["ja"] + ex.statement["en"]


# --- numerical differentiation ------------------------------------------------------------------

@pytest.mark.parametrize("slug", NUMDIFF)
def test_forward_value_on_the_central_part_is_named_forward_difference(slug):
    for seed in SEEDS:
        ex = generate(slug, seed=seed)
        forward = ex.answers["forward"]
        assert ex.mistakes["central"]["forward_difference"] == forward
        assert graded_misconception(ex, "central", forward) == "forward_difference"


def test_central_difference_of_cube_at_2_with_h_01_by_hand():
    ex = generate("numdiff-cube-error-order", params={"x": 2, "h": 0.1})
    # (2.1^3 - 1.9^3) / 0.2 = (9.261 - 6.859) / 0.2 = 2.402 / 0.2 = 12.01
    assert ex.answers["central"] == pytest.approx(12.01, abs=1e-12)
    # (2.1^3 - 2^3) / 0.1 = (9.261 - 8) / 0.1 = 12.61
    assert ex.answers["forward"] == pytest.approx(12.61, abs=1e-12)
    assert ex.answers["exact"] == pytest.approx(12.0)  # 3 * 2^2
    assert ex.answers["err_central"] == pytest.approx(0.01, abs=1e-12)  # h^2
    assert ex.answers["err_forward"] == pytest.approx(0.61, abs=1e-12)  # 3xh + h^2 = 0.6 + 0.01
    result = grade(ex, {"central": "12.01", "forward": "12.61", "exact": "12", "err_central": "0.01",
                        "err_forward": "0.61", "accuracy": "1", "halve_h": "1"})
    assert result.score == 1.0
    wrong = grade(ex, {"central": "12.61", "err_central": "0.61"})
    assert [wrong.parts[p].misconception["id"] for p in ("central", "err_central")] == ["forward_difference"] * 2
    assert "前進差分" in wrong.parts["central"].misconception["name"]["ja"]


def test_central_difference_of_square_is_exact_and_forward_is_off_by_h():
    ex = generate("numdiff-square-central-forward", params={"x": 3, "h": 0.1})
    # ((3.1)^2 - (2.9)^2) / 0.2 = (9.61 - 8.41) / 0.2 = 6 ; ((3.1)^2 - 9) / 0.1 = 0.61 / 0.1 = 6.1
    assert ex.answers["central"] == pytest.approx(6.0, abs=1e-12)
    assert ex.answers["forward"] == pytest.approx(6.1, abs=1e-12)
    assert ex.answers["exact"] == pytest.approx(6.0)
    assert grade(ex, {"central": "6", "forward": "6.1", "exact": "6", "accuracy": "0"}).score == 1.0
    assert graded_misconception(ex, "exact", 3) == "power_rule_no_factor"  # x instead of 2x


def test_numerical_derivative_of_exp_at_0_by_hand():
    ex = generate("numdiff-exp-cancellation", params={"x": 0, "h": 0.1})
    # e^0.1 = 1.105170918, e^-0.1 = 0.904837418
    assert ex.answers["central"] == pytest.approx((1.105170918 - 0.904837418) / 0.2, abs=1e-8)  # 1.00166750
    assert ex.answers["forward"] == pytest.approx((1.105170918 - 1) / 0.1, abs=1e-8)  # 1.05170918
    # errors: about h^2/6 = 0.00167 and h/2 = 0.05 (times e^0 = 1)
    assert grade(ex, {"err_central": "0.00167", "err_forward": "0.052"}).score == pytest.approx(2 / 6)
    assert graded_misconception(ex, "err_central", 0.0517) == "forward_difference"


def test_tiny_h_choice_explains_rounding_to_zero_and_cancellation():
    ex = generate("numdiff-exp-cancellation", seed=0)
    part = ex.part("tiny_h")
    right = part.choices[ex.answers["tiny_h"]]
    assert "桁落ち" in right["ja"] and "0" in right["ja"] and "cancellation" in right["en"]
    x = np.float32(1.0)
    assert x + np.float32(1e-8) == x  # what the right choice says happens in float32


# --- activations and losses ----------------------------------------------------------------------

def test_sigmoid_node_at_0_gives_half_and_a_quarter_of_the_upstream_gradient():
    ex = generate("act-sigmoid-node-backward", params={"x": 0, "dout": 2})
    assert ex.answers["y"] == pytest.approx(0.5)
    assert ex.answers["dx"] == pytest.approx(2 * 0.25)  # dout * y(1 - y)
    assert grade(ex, {"y": "0.5", "dx": "0.5", "local_in_y": "2", "dydx": "sigmoid(x)(1 - sigmoid(x))"}).score == 1.0
    assert graded_misconception(ex, "dx", 0.0) == "sigmoid_from_x"  # dout * x(1 - x) at x = 0
    assert graded_misconception(ex, "dx", 0.25) == "dropped_upstream"  # y(1 - y) without dout


def test_sigmoid_from_x_is_found_automatically_on_every_seed():
    for seed in SEEDS:
        ex = generate("act-sigmoid-node-backward", seed=seed)
        x, dout = ex.params["x"], ex.params["dout"]
        assert ex.mistakes["dx"]["sigmoid_from_x"] == pytest.approx(dout * x * (1 - x))
        assert graded_misconception(ex, "dx", dout * x * (1 - x)) == "sigmoid_from_x"


def test_tanh_node_at_1_by_hand_and_tanh_from_x_on_every_seed():
    ex = generate("act-tanh-node-backward", params={"x": 1, "dout": 2})
    y = math.tanh(1.0)  # 0.761594
    assert ex.answers["y"] == pytest.approx(0.761594, abs=1e-6)
    assert ex.answers["dx"] == pytest.approx(2 * (1 - y * y))  # 0.839949
    assert graded_misconception(ex, "dx", 0.0) == "tanh_from_x"  # dout * (1 - x^2) at x = 1
    for seed in SEEDS:
        ex = generate("act-tanh-node-backward", seed=seed)
        x, dout = ex.params["x"], ex.params["dout"]
        assert graded_misconception(ex, "dx", dout * (1 - x * x)) == "tanh_from_x"


@pytest.mark.parametrize("answer, ok", [
    ("sigmoid(x)(1 - sigmoid(x))", True),
    ("1/(1 + exp(-x)) * (1 - 1/(1 + exp(-x)))", True),
    ("exp(-x) / (1 + exp(-x))^2", True),
    ("x(1 - x)", False),
    ("sigmoid(x)", False),
])
def test_sigmoid_derivative_formula_in_x(answer, ok):
    ex = generate("act-sigmoid-node-backward", seed=4)
    assert (grade(ex, {"dydx": answer}).parts["dydx"].status == "correct") is ok


@pytest.mark.parametrize("answer, ok", [("1 - tanh(x)^2", True), ("1/cosh", None), ("1 - x^2", False),
                                        ("1 + tanh(x)^2", False)])
def test_tanh_derivative_formula_in_x(answer, ok):
    ex = generate("act-tanh-node-backward", seed=4)
    status = grade(ex, {"dydx": answer}).parts["dydx"].status
    assert status == {True: "correct", False: "incorrect", None: "invalid"}[ok]


@pytest.mark.parametrize("x, dout, y, dx", [(2, -1.5, 2, -1.5), (-1.5, 3, 0, 0), (0.5, 2, 0.5, 2)])
def test_relu_passes_the_upstream_gradient_only_where_x_is_positive(x, dout, y, dx):
    ex = generate("act-relu-mask-backward", params={"x": x, "dout": dout})
    assert (ex.answers["y"], ex.answers["dx"]) == (y, dx)
    assert grade(ex, {"y": repr(y), "dx": repr(dx), "mask": "1"}).score == 1.0


def test_relu_that_does_not_mask_a_negative_input_is_wrong():
    ex = generate("act-relu-mask-backward", params={"x": -1.5, "dout": 3})
    assert grade(ex, {"dx": "3"}).parts["dx"].status == "incorrect"


def test_relu_covers_both_signs_of_x_over_thirty_seeds():
    signs = {generate("act-relu-mask-backward", seed=s).params["x"] > 0 for s in SEEDS}
    assert signs == {True, False}


def test_sigmoid_neuron_weight_and_bias_gradients_by_hand():
    ex = generate("act-sigmoid-neuron-squared-error", params={"x": 2, "w": 0.5, "b": -1, "t": 1})
    # u = 0.5*2 - 1 = 0, y = 0.5, L = (0.5 - 1)^2 / 2 = 0.125
    # dL/dy = y - t = -0.5, dy/du = y(1 - y) = 0.25, du/db = 1, du/dw = x = 2
    assert (ex.answers["y"], ex.answers["loss"]) == (pytest.approx(0.5), pytest.approx(0.125))
    assert ex.answers["db"] == pytest.approx(-0.5 * 0.25 * 1)  # -0.125
    assert ex.answers["dw"] == pytest.approx(-0.5 * 0.25 * 2)  # -0.25 = x * dL/db
    assert grade(ex, {"y": "0.5", "loss": "0.125", "db": "-0.125", "dw": "-0.25", "w_vs_b": "2"}).score == 1.0
    # sigmoid' from u = 0: u(1 - u) = 0, so both gradients would be 0
    assert graded_misconception(ex, "db", 0.0) == "sigmoid_from_x"
    # the square differentiated without its factor 2: dL/dy = (y - t)/2 = -0.25, times 0.25
    assert graded_misconception(ex, "db", -0.0625) == "power_rule_no_factor"


def test_sigmoid_with_cross_entropy_gradient_is_y_minus_t():
    ex = generate("act-sigmoid-cross-entropy", params={"u": 0, "t": 1})
    assert ex.answers["y"] == pytest.approx(0.5)
    assert ex.answers["loss"] == pytest.approx(math.log(2))  # -log 0.5 = 0.693147
    assert ex.answers["du"] == pytest.approx(0.5 - 1)
    for seed in SEEDS:
        ex = generate("act-sigmoid-cross-entropy", seed=seed)
        y, t = ex.answers["y"], ex.params["t"]
        assert ex.answers["du"] == pytest.approx(y - t, rel=1e-9)
        assert "sigmoid_from_x" in ex.mistakes["du"]


# --- gradient descent --------------------------------------------------------------------------

@pytest.mark.parametrize("slug", DESCENT)
def test_wrong_sign_and_missing_learning_rate_are_named_on_every_seed(slug):
    for seed in SEEDS:
        ex = generate(slug, seed=seed)
        lr = ex.params["lr"]
        for part, wrt, grad in (("w_new", "w", "dw"), ("b_new", "b", "db")):
            w, g = ex.params[wrt], ex.answers[grad]
            assert ex.answers[part] == pytest.approx(w - lr * g)
            assert ex.mistakes[part] == {"update_wrong_sign": pytest.approx(w + lr * g),
                                         "update_no_lr": pytest.approx(w - g)}
            assert graded_misconception(ex, part, w + lr * g) == "update_wrong_sign"
            assert graded_misconception(ex, part, w - g) == "update_no_lr"


def test_one_gradient_descent_step_of_linear_regression_by_hand():
    ex = generate("gd-linear-regression-one-step", params={"x": 2, "t": 5, "w": 1, "b": 0.5, "lr": 0.1})
    # y = 1*2 + 0.5 = 2.5, y - t = -2.5, L = (-2.5)^2 / 2 = 3.125
    # dL/dw = (y - t) * x = -5, dL/db = y - t = -2.5
    # w <- 1 - 0.1*(-5) = 1.5, b <- 0.5 - 0.1*(-2.5) = 0.75
    expected = {"y": 2.5, "loss": 3.125, "dw": -5.0, "db": -2.5, "w_new": 1.5, "b_new": 0.75}
    assert {k: ex.answers[k] for k in expected} == pytest.approx(expected)
    assert grade(ex, {k: str(v) for k, v in expected.items()}).score == 1.0
    # the wrong sign gives 1 + 0.1*(-5) = 0.5; without the learning rate, 1 - (-5) = 6
    assert graded_misconception(ex, "w_new", 0.5) == "update_wrong_sign"
    assert graded_misconception(ex, "w_new", 6) == "update_no_lr"
    assert graded_misconception(ex, "b_new", 3) == "update_no_lr"  # 0.5 - (-2.5)


def test_two_point_mean_squared_error_step_sums_the_gradients_of_both_points():
    ex = generate("gd-linear-regression-two-points",
                  params={"x1": 1, "t1": 3, "x2": 3, "t2": 2, "w": 1, "b": 0, "lr": 0.1})
    # r1 = 1*1 + 0 - 3 = -2, r2 = 1*3 + 0 - 2 = 1, L = (4 + 1) / 2 = 2.5
    # dL/dw = r1*x1 + r2*x2 = -2 + 3 = 1, dL/db = r1 + r2 = -1
    # w <- 1 - 0.1*1 = 0.9, b <- 0 - 0.1*(-1) = 0.1
    expected = {"loss": 2.5, "dw": 1.0, "db": -1.0, "w_new": 0.9, "b_new": 0.1}
    assert {k: ex.answers[k] for k in expected} == pytest.approx(expected)
    assert grade(ex, {k: str(v) for k, v in expected.items()}).score == 1.0
    # only one point's path: -2 (the first) or 3 (the second)
    assert graded_misconception(ex, "dw", 3) == "fanout_overwritten"


def test_one_step_of_logistic_regression_by_hand():
    ex = generate("gd-logistic-regression-one-step", params={"x": 1, "t": 1, "w": 0.5, "b": -0.5, "lr": 0.5})
    # u = 0.5*1 - 0.5 = 0, y = 0.5, dL/du = y - t = -0.5, dL/dw = -0.5 * x = -0.5, dL/db = -0.5
    # w <- 0.5 - 0.5*(-0.5) = 0.75, b <- -0.5 - 0.5*(-0.5) = -0.25
    expected = {"y": 0.5, "dw": -0.5, "db": -0.5, "w_new": 0.75, "b_new": -0.25}
    assert {k: ex.answers[k] for k in expected} == pytest.approx(expected)
    assert grade(ex, {k: str(v) for k, v in expected.items()}).score == 1.0
    assert graded_misconception(ex, "b_new", -0.75) == "update_wrong_sign"  # -0.5 + 0.5*(-0.5)


# --- regressions: negative values in worked solutions, stale gradients between backward passes ---

def test_relu_with_a_negative_input_generates():
    ex = generate("act-relu-mask-backward", params={"x": -1.5, "dout": 3})
    assert ex.answers["dx"] == 0


def test_worked_solution_shows_the_graded_bias_gradient():
    ex = generate("act-sigmoid-neuron-squared-error", params={"x": 2, "w": 0.5, "b": 1, "t": 1})
    grads = {n["name"]: n.get("grad") for n in ex.solution["graph"]["nodes"] if n.get("named")}
    assert grads["b"] == pytest.approx(ex.answers["db"])
    assert "mul_no_swap" not in ex.mistakes["db"]  # no product on the bias's path has swapped inputs

"""The numbers of the source documents (../shared/seeds) and of the E資格 literature come out of
the built-in templates exactly, through ``generate(..., params=...)`` and ``grade``."""
from __future__ import annotations

import math

import pytest

from exercises import grade

from .test_builtin_templates import make


def statuses(result) -> dict:
    return {pid: r.status for pid, r in result.parts.items()}


def misconception(result, part_id: str) -> str | None:
    named = result.parts[part_id].misconception
    return named and named["id"]


# --- seed 004: MulLayer / AddLayer shopping --------------------------------------------------

def test_apples_and_oranges_give_715_22_110_33_165_650():
    ex = make("shopping-apple-orange", seed=1, params={"apple": 100, "apple_num": 2, "orange": 150,
                                                      "orange_num": 3, "tax": 1.1})
    expected = {"price": 715, "d_apple": 2.2, "d_apple_num": 110, "d_orange": 3.3, "d_orange_num": 165,
                "d_tax": 650}
    assert ex.answers == pytest.approx(expected, rel=1e-12)
    result = grade(ex, {k: str(v) for k, v in expected.items()})
    assert result.score == 1.0 and set(statuses(result).values()) == {"correct"}


def test_apples_only_give_220_22_110_200_and_forgotten_tax_is_named():
    ex = make("shopping-apples-tax", seed=1, params={"apple": 100, "apple_num": 2, "tax": 1.1})
    assert ex.answers["price"] == pytest.approx(220, rel=1e-12)
    assert ex.answers["d_apple"] == pytest.approx(2.2, rel=1e-12)
    assert ex.answers["d_apple_num"] == pytest.approx(110, rel=1e-12)
    assert ex.answers["d_tax"] == pytest.approx(200, rel=1e-12)
    assert ex.statement["ja"].startswith("1個 100 円のりんごを 2 個買いました。税込みにするために掛ける係数（消費税 10% なら 1.1）は 1.1 です。")
    result = grade(ex, {"price": "220", "d_apple": "2.2", "d_apple_num": "110", "d_tax": "200",
                        "backprop": {"tax": "200", "apple_price": "1.1", "apple": "2.2", "apple_num": "110"}})
    assert result.score == 1.0, statuses(result)
    # dApple = 2 (the apple count without the tax) is the forgotten tax of the shopping family.
    wrong = grade(ex, {"d_apple": "2"})
    assert wrong.parts["d_apple"].status == "incorrect"
    assert misconception(wrong, "d_apple") == "tax_forgotten"


def test_guided_backprop_carries_a_learners_own_upstream_error_forward():
    ex = make("shopping-apples-tax", seed=1, params={"apple": 100, "apple_num": 2, "tax": 1.1})
    # apple_price wrong (1 instead of 1.1); apple and apple_num consistent with that 1.
    result = grade(ex, {"backprop": {"tax": "200", "apple_price": "1", "apple": "2", "apple_num": "100"}})
    steps = result.parts["backprop"].steps
    assert {k: v["status"] for k, v in steps.items()} == {
        "tax": "correct", "apple_price": "incorrect", "apple": "correct", "apple_num": "correct"}
    assert result.parts["backprop"].score == 0.75


def test_coupon_gradient_is_minus_tax_and_the_plus_sign_is_a_sign_error():
    ex = make("shopping-coupon-discount", seed=1,
              params={"apple": 150, "apple_num": 4, "coupon": 100, "tax": 1.1})
    assert ex.answers["price"] == pytest.approx(550, rel=1e-12)
    assert ex.answers["d_coupon"] == pytest.approx(-1.1, rel=1e-12)
    assert ex.answers["d_tax"] == pytest.approx(500, rel=1e-12)
    wrong = grade(ex, {"d_coupon": "1.1"})
    assert misconception(wrong, "d_coupon") == "sign_error"


def test_quantity_change_is_derivative_times_change_and_without_tax_is_named():
    ex = make("shopping-quantity-change", seed=1,
              params={"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1,
                      "extra": 3, "up": 20})
    assert ex.answers["price"] == pytest.approx(715, rel=1e-12)
    assert ex.answers["extra_increase"] == pytest.approx(3 * ex.answers["d_apple_num"], rel=1e-12)
    assert ex.answers["extra_increase"] == pytest.approx(330, rel=1e-12)
    assert ex.answers["up_increase"] == pytest.approx(20 * 3.3, rel=1e-12)
    assert misconception(grade(ex, {"extra_increase": "300"}), "extra_increase") == "tax_forgotten"
    assert misconception(grade(ex, {"up_increase": "60"}), "up_increase") == "tax_forgotten"


# --- seed 000: DeZero's composite y = (exp(x^2))^2 --------------------------------------------

def test_composite_exp_square_at_half_gives_2e_to_the_half():
    ex = make("chain-exp-square-composite", seed=1, params={"x": 0.5})
    assert ex.answers["y"] == pytest.approx(math.exp(0.5), rel=1e-15)
    assert ex.answers["dy_dx"] == pytest.approx(3.2974425414002564, rel=1e-15)
    assert ex.answers["dy_dx"] == pytest.approx(2 * math.exp(0.5), rel=1e-15)
    # The seed's numerical_diff result 3.2974426293330694 is right to the asked 4 figures.
    result = grade(ex, {"y": "1.649", "dy_dx": "3.2974426293330694", "formula": "4x exp(2x^2)",
                        "backprop": {"b": "2.568", "a": "3.297", "x": "3.297"}})
    assert result.score == 1.0, statuses(result)


@pytest.mark.parametrize("formula, status", [
    ("4x exp(2x^2)", "correct"),
    ("4*x*exp(x^2)^2", "correct"),
    ("2*exp(x^2) * exp(x^2) * 2*x", "correct"),
    ("4x exp(x^2)", "incorrect"),
    ("2x exp(2x^2)", "incorrect"),
])
def test_composite_derivative_formula_is_graded_by_value(formula, status):
    ex = make("chain-exp-square-composite", seed=3, params={"x": 0.5})
    assert grade(ex, {"formula": formula}).parts["formula"].status == status


# --- seed 002: exp(-x^2) with Square, Neg, Exp -----------------------------------------------

def test_exp_minus_x_squared_at_one_gives_0368_and_minus_0736():
    ex = make("chain-exp-neg-square", seed=1, params={"x": 1})
    assert ex.answers["y"] == pytest.approx(0.36787944117144233, rel=1e-15)
    assert ex.answers["dy_dx"] == pytest.approx(-0.7357588823428847, rel=1e-15)
    result = grade(ex, {"y": "0.368", "dy_dx": "-0.736", "formula": "-2x exp(-x^2)",
                        "backprop": {"b": "0.368", "a": "-0.368", "x": "-0.736"}})
    assert result.score == 1.0, statuses(result)
    assert misconception(grade(ex, {"dy_dx": "0.736"}), "dy_dx") == "sign_error"


def test_exp_minus_x_squared_reaches_x_equal_one_by_seed():
    hits = [ex for ex in (make("chain-exp-neg-square", seed=s) for s in range(40)) if ex.params["x"] == 1]
    assert hits and all(ex.answers["dy_dx"] == pytest.approx(-0.7357588823428847, rel=1e-15) for ex in hits)


# --- seed 004: z = (x + y)^2 -----------------------------------------------------------------

@pytest.mark.parametrize("formula, status", [
    ("2(x+y)", "correct"), ("2x + 2y", "correct"), ("2*(y + x)", "correct"),
    ("x + y", "incorrect"), ("2x", "incorrect"), ("(x+y)^2", "incorrect"),
])
def test_square_of_sum_derivative_is_2_x_plus_y(formula, status):
    ex = make("chain-square-of-sum", seed=1, params={"x": 1, "y": 2})
    assert grade(ex, {"formula": formula}).parts["formula"].status == status


def test_square_of_sum_values_and_the_forgotten_factor_two():
    ex = make("chain-square-of-sum", seed=1, params={"x": 1, "y": 2})
    assert ex.answers["z"] == 9 and ex.answers["dz_dt"] == 6
    assert ex.answers["dz_dx"] == 6 and ex.answers["dz_dy"] == 6
    assert misconception(grade(ex, {"dz_dx": "3"}), "dz_dx") == "power_rule_no_factor"


# --- seed 003: Colah's e = (a + b)(b + 1), sum over paths -------------------------------------

def test_sum_over_paths_at_a2_b1_gives_6_2_5():
    ex = make("graph-paths-sum-over-paths", seed=1, params={"a": 2, "b": 1})
    assert (ex.answers["value"], ex.answers["d_a"], ex.answers["d_b"], ex.answers["d_c"]) == (6, 2, 5, 2)
    result = grade(ex, {"value": "6", "d_c": "2", "d_a": "2", "d_b": "5", "formula": "a + 2b + 1",
                        "backprop": {"c": "2", "d": "3", "a": "2", "b": "5"}})
    assert result.score == 1.0, statuses(result)
    # Only one of the two paths from b: 2 (through c) or 3 (through d), never summed.
    assert ex.mistakes["d_b"]["fanout_overwritten"] in (2.0, 3.0)
    overwritten = grade(ex, {"d_b": repr(ex.mistakes["d_b"]["fanout_overwritten"])})
    assert misconception(overwritten, "d_b") == "fanout_overwritten"


def test_fanout_mistake_is_found_automatically_for_every_seed():
    for seed in range(60):
        ex = make("graph-paths-sum-over-paths", seed=seed)
        assert "fanout_overwritten" in ex.mistakes["d_b"], (seed, ex.params)
        a, b = ex.params["a"], ex.params["b"]
        assert ex.answers["d_b"] == a + 2 * b + 1


def test_factored_paths_give_the_product_of_the_edge_sums():
    params = {"p": 1, "q": 2, "r": 3, "s": -1, "t": 2, "u": 3, "x": 2}
    ex = make("graph-paths-factoring", seed=1, params=params)
    assert ex.answers["d_y"] == 4 and ex.answers["d_x"] == (1 + 2 + 3) * (-1 + 2 + 3)
    result = grade(ex, {"paths": "2", "factored": "1", "d_y": "4", "d_x": "24"})
    assert result.score == 1.0, statuses(result)


def test_forward_mode_needs_n_passes_and_reverse_mode_m():
    ex = make("graph-paths-forward-reverse", seed=1, params={"n": 1000000, "m": 1})
    assert (ex.answers["forward_passes"], ex.answers["reverse_passes"], ex.answers["partials"]) == (1e6, 1, 1e6)
    result = grade(ex, {"partials": "1000000", "forward_passes": "1,000,000", "reverse_passes": "1",
                        "neural_net": "1", "many_outputs": "0"})
    assert result.score == 1.0, statuses(result)
    assert grade(ex, {"neural_net": "0"}).parts["neural_net"].status == "incorrect"


# --- node backprop: MulLayer.backward(dout) --------------------------------------------------

def test_mul_node_swaps_inputs_and_multiplies_the_upstream_gradient():
    ex = make("node-mul-upstream", seed=1, params={"x": 3, "y": 4, "dout": 2})
    assert (ex.answers["z"], ex.answers["dx"], ex.answers["dy"]) == (12, 8, 6)
    assert misconception(grade(ex, {"dx": "6"}), "dx") == "mul_no_swap"
    assert misconception(grade(ex, {"dx": "4"}), "dx") == "dropped_upstream"


def test_add_node_passes_the_upstream_gradient_unchanged():
    ex = make("node-add-upstream", seed=1, params={"x": 3, "y": 4, "dout": 1.5})
    assert (ex.answers["z"], ex.answers["dx"], ex.answers["dy"]) == (7, 1.5, 1.5)
    assert misconception(grade(ex, {"dx": "1"}), "dx") == "dropped_upstream"
    assert misconception(grade(ex, {"dx": "6"}), "dx") == "add_swapped_like_mul"


# --- regressions of two core bugs found with these templates (fixed in 619deaa) -------------

def test_negative_values_make_a_worked_solution():
    ex = make("node-mul-upstream", seed=1, params={"x": -3, "y": 4, "dout": 2})
    assert (ex.answers["z"], ex.answers["dx"], ex.answers["dy"]) == (-12, 8, -6)
    assert ex.solution["forward"] == [r"$z = x y = -3 \cdot 4 = -12$"]


def test_sigmoid_from_x_answer_of_a_neuron_is_computed_on_clean_gradients():
    # sigmoid'(u) taken as u(1 - u) at u = 2.5 gives -3.75; times x = 2 for the weight: -7.5.
    ex = make("chain-sigmoid-neuron", seed=1, params={"w": 1, "x": 2, "b": 0.5})
    assert ex.mistakes["dy_dw"]["sigmoid_from_x"] == pytest.approx(-7.5, rel=1e-12)
    assert misconception(grade(ex, {"dy_dw": "-7.5"}), "dy_dw") == "sigmoid_from_x"


def test_worked_solution_of_three_items_shows_165_for_orange_num():
    ex = make("shopping-three-items", seed=1, params={"apple": 100, "apple_num": 2, "orange": 150,
                                                     "orange_num": 3, "banana": 120, "banana_num": 1,
                                                     "tax": 1.1})
    assert ex.answers["d_orange_num"] == pytest.approx(165, rel=1e-12)
    line = next(s for s in ex.solution["backward"] if s.startswith(r"$\frac{\partial \mathrm{price}}"
                                                                   r"{\partial \mathrm{orange\_num}}"))
    assert line.endswith("= 165$"), line

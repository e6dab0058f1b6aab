"""Verified, deterministic generation; broken templates are reported with reason and seed."""
import pytest

from exercises.errors import ParamsError, TemplateBroken
from exercises.generation import MAX_DRAWS, generate_from
from exercises.template_source import from_yaml
from tests.exercises.conftest import dump


def template(data):
    return from_yaml(dump(data))


def test_same_seed_same_exercise_and_different_seeds_vary(base):
    t = template(base)
    a, b = generate_from(t, seed=42), generate_from(t, seed=42)
    assert a.params == b.params and a.answers == b.answers and a.public() == b.public()
    assert len({tuple(generate_from(t, seed=s).params.values()) for s in range(30)}) > 10


def test_displayed_parameters_are_rounded_before_answers_are_computed(base):
    base["params"]["x"] = {"min": 0.1, "max": 0.9, "step": 0.1}
    ex = generate_from(template(base), seed=3)
    x = ex.params["x"]
    assert x == round(x, 1)
    assert ex.answers["dx"] == pytest.approx(ex.params["y"], rel=1e-15)
    assert "{{" not in ex.statement["ja"] and f"{x:g}" in ex.statement["ja"]


def test_explicit_params_are_checked_against_domain_and_constraints(base):
    base["constraints"] = ["x != y"]
    t = template(base)
    assert generate_from(t, params={"x": 3, "y": 4}).answers["z"] == 12
    with pytest.raises(ParamsError, match="範囲外"):
        generate_from(t, params={"x": 30, "y": 4})
    with pytest.raises(ParamsError) as info:
        generate_from(t, params={"x": 3, "y": 3})
    assert "x != y" in info.value.message("en")
    with pytest.raises(ParamsError):
        generate_from(t, params={"x": 3})
    with pytest.raises(ParamsError):
        generate_from(t, params={"x": "3", "y": 4})


def test_bad_seeds_are_refused(base):
    t = template(base)
    for seed in (-1, "7", 1.5, True, 2**64):
        with pytest.raises(ParamsError):
            generate_from(t, seed=seed)


def test_instances_that_leave_the_domain_are_redrawn(base):
    base["params"]["x"] = {"min": -2, "max": 2}
    base["nodes"] = {"z": "log(x) * y"}
    ex = [generate_from(template(base), seed=s) for s in range(20)]
    assert all(e.params["x"] > 0 for e in ex)


def test_template_that_always_leaves_its_domain_is_broken_with_reason_and_seed(base):
    base["params"]["x"] = {"min": -5, "max": -1}
    base["nodes"] = {"z": "log(x) * y"}
    with pytest.raises(TemplateBroken) as info:
        generate_from(template(base), seed=11)
    assert info.value.details["seed"] == 11 and info.value.details["reasons"] == {"domain": MAX_DRAWS}
    assert "seed 11" in info.value.message("en")


def test_overflow_is_rejected(base):
    base["params"]["x"] = {"min": 800, "max": 900}
    base["nodes"] = {"z": "exp(x) * y"}
    with pytest.raises(TemplateBroken):
        generate_from(template(base), seed=1)


def test_gradient_too_small_for_relative_precision_is_redrawn(base):
    base["params"]["x"] = {"min": 0, "max": 3}
    base["parts"][1]["precision"] = {"sig": 3}
    base["parts"][1]["wrt"] = "y"  # dz/dy = x, zero when x = 0
    ex = [generate_from(template(base), seed=s) for s in range(20)]
    assert all(e.params["x"] != 0 for e in ex)


def test_wrong_reference_formula_is_reported_at_once(base):
    base["parts"].append({"id": "f", "kind": "formula", "wrt": "x", "answer": "2*y"})
    with pytest.raises(TemplateBroken) as info:
        generate_from(template(base), seed=0)
    assert info.value.details["reasons"] == {"formula_mismatch": 1}


def test_gradient_with_respect_to_an_intermediate_node_and_upstream(base):
    base["params"]["dout"] = {"choices": [2]}
    base["upstream"] = "dout"
    base["nodes"] = {"t": "x + y", "z": "t^2"}
    base["parts"] = [{"id": "dt", "kind": "gradient", "wrt": "t", "precision": {"decimals": 0}},
                     {"id": "dx", "kind": "gradient", "wrt": "x", "precision": {"decimals": 0}}]
    ex = generate_from(template(base), params={"x": 3, "y": 4, "dout": 2})
    assert ex.answers == {"dt": 28.0, "dx": 28.0}


def test_public_view_hides_answers(base):
    ex = generate_from(template(base), params={"x": 3, "y": 4})
    public = ex.public()
    assert "answers" not in public and "mistakes" not in public and "solution" not in public
    z_node = next(n for n in public["graph"]["nodes"] if n["name"] == "z")
    assert "value" not in z_node and "grad" not in z_node
    assert {n["name"]: n["value"] for n in public["graph"]["nodes"] if n["op"] == "input"} == {"x": 3.0, "y": 4.0}


def test_worked_solution_lists_forward_and_backward_steps(base):
    ex = generate_from(template(base), params={"x": 3, "y": 4})
    assert ex.solution["forward"] == ["$z = x y = 3 \\cdot 4 = 12$"]
    assert ex.solution["backward"][0] == "$\\frac{\\partial z}{\\partial z} = 1$"
    assert ex.solution["backward"][1].endswith("= 1 \\times 4 = 4$")
    full = {n["name"]: n for n in ex.solution["graph"]["nodes"] if n["name"] in ("x", "y", "z")}
    assert (full["x"]["grad"], full["y"]["grad"], full["z"]["value"]) == (4.0, 3.0, 12.0)


def test_explicit_params_off_the_grid_are_refused_not_rounded(base):
    base["params"]["x"] = {"min": 0.1, "max": 0.9, "step": 0.1}
    t = template(base)
    assert generate_from(t, params={"x": 0.3, "y": 4}).params["x"] == 0.3
    with pytest.raises(ParamsError) as info:
        generate_from(t, params={"x": 0.35, "y": 4})
    assert "step 0.1" in info.value.message("en") and info.value.details["field"] == "params.x"


def test_upstream_gradients_are_asked_and_solved_as_dL(base):
    base["params"]["dout"] = {"choices": [2]}
    base["upstream"] = "dout"
    ex = generate_from(template(base), params={"x": 3, "y": 4, "dout": 2})
    assert "\\partial L}{\\partial x}" in ex.part("dx").prompt["ja"]
    assert ex.solution["backward"][0] == "$\\frac{\\partial L}{\\partial z} = 2$"


def test_graph_labels_show_operators_and_exponents(base):
    base["nodes"] = {"z": "x^3 * y"}
    ex = generate_from(template(base), params={"x": 2, "y": 5})
    labels = [n["label"] for n in ex.graph["nodes"]]
    assert labels == ["x", "x³", "y", "z"]


@pytest.mark.parametrize("value", [10**400, float("nan"), float("inf")])
def test_explicit_params_that_are_no_finite_float_are_refused(base, value):
    with pytest.raises(ParamsError):
        generate_from(template(base), params={"x": value, "y": 4})

"""The gradient-descent generators (exercises/generators/descent.py, descent_newton.py,
minibatch.py): the books' canonical numbers, every misconception named when typed, error
carried forward in Newton's iterates, explicit parameters refused, and, over many seeds, the
checks test_generators.py makes for value and choice parts, extended to vector and ordered parts."""
import math

import numpy as np
import pytest

from exercises import generate, grade
from exercises.errors import ParamsError
from exercises.grading import reference_answers
from exercises.grading.probes import probe
from exercises.kinds.arrays import ArrayKey
from exercises.kinds.ordered import OrderedKey
from exercises.misconceptions import MISCONCEPTIONS
from exercises.mistakes.descent import MISTAKES
from exercises.generators.descent import (behaviour, behaviour_closed_form, descend, gradient_descent,
                                          quadratic_grad, steps_iterated, steps_below)
from exercises.generators.descent_newton import newton_engine, rosenbrock_engine
from exercises.generators.minibatch import counts

SLUGS = ["gd-quadratic-trajectory", "rosenbrock-gd-steps", "newton-double-backprop", "minibatch-arithmetic"]
BOOK_QUADRATIC = {"start": [-3, 4], "lr": 0.1, "steps": 100, "probe_lr": 10, "eps": 0.01}


def typed(value) -> str:
    """A wrong answer as a learner types it: "1.5, -2" for an array, the number otherwise."""
    if isinstance(value, tuple):
        return ", ".join(repr(float(v)) for v in value)
    return repr(value) if isinstance(value, float) else str(value)


def named(ex, pid, answer) -> str | None:
    result = grade(ex, {pid: answer}).parts[pid]
    assert result.status == "incorrect"
    return (result.misconception or {}).get("id")


def choice_key(ex, pid) -> str:
    return ex.part(pid).choices[ex.answers[pid]]["en"]


# --------------------------------------------------------------------------- every seed
@pytest.mark.parametrize("slug", SLUGS)
def test_thirty_seeds_grade_right_and_name_every_recorded_mistake(slug):
    for seed in range(30):
        ex = generate(slug, seed=seed)
        assert set(ex.answers) == {p.id for p in ex.parts} and set(ex.mistakes) <= set(ex.answers)
        assert grade(ex, reference_answers(ex)).score == 1.0, (seed, ex.params)
        for part in ex.parts:
            key = ex.answers[part.id]
            if part.kind in ("vector", "ordered"):
                assert isinstance(key, (ArrayKey, OrderedKey)) and part.shape == (len(key.values),)
                assert all(type(v) is float and math.isfinite(v) for v in key.values)
            elif part.kind == "choice":
                assert 0 <= key < len(part.choices) and len({c["ja"] for c in part.choices}) == len(part.choices)
            else:
                assert part.kind == "value" and type(key) is float and math.isfinite(key)
            for mid, wrong in ex.mistakes.get(part.id, {}).items():
                assert mid in MISCONCEPTIONS
                assert named(ex, part.id, typed(wrong)) == mid, (seed, part.id, mid, wrong)
        assert all(line.startswith("$") for line in ex.solution["forward"] + ex.solution["backward"])


@pytest.mark.parametrize("slug", SLUGS)
def test_params_rebuild_the_exercise_and_seeds_differ(slug):
    seen = set()
    for seed in range(6):
        a = generate(slug, seed=seed)
        b = generate(slug, seed=seed, params=a.params)
        assert a.public() == b.public() and a.answers == b.answers and a.mistakes == b.mistakes
        assert a.solution == b.solution
        seen.add(repr(a.params))
    assert len(seen) > 1


@pytest.mark.parametrize("slug", SLUGS)
def test_the_grader_probes_find_no_free_credit(slug):
    for seed in range(40):
        ex = generate(slug, seed=seed)
        assert not probe(ex), (seed, ex.params, probe(ex))


def test_the_new_misconception_ids_are_catalogued_once():
    ids = [m.id for m in MISTAKES]
    assert ids == ["newton_as_gradient_step", "newton_ratio_inverted", "iterations_per_epoch_inverted",
                   "epochs_times_batch", "batch_rounding"]
    for m in MISTAKES:
        assert MISCONCEPTIONS[m.id] is m and m.name["ja"] and m.name["en"] and m.explanation["ja"]


# --------------------------------------------------------------------------- x0² + x1²
def test_the_books_gradient_descent_from_minus_3_4():
    x = gradient_descent(np.array([-3.0, 4.0]), lr=0.1, step_num=100)
    np.testing.assert_allclose(x, [-6.11110793e-10, 8.14814391e-10], rtol=1e-6)
    ex = generate("gd-quadratic-trajectory", params=BOOK_QUADRATIC)
    assert ex.answers["x_1"].values == pytest.approx((-2.4, 3.2))
    np.testing.assert_allclose(ex.answers["x_k"].values, [-6.11110793e-10, 8.14814391e-10], rtol=1e-6)
    assert grade(ex, {"x_k": "-6.111e-10, 8.148e-10"}).parts["x_k"].status == "correct"
    assert choice_key(ex, "behaviour").startswith("It diverges")
    # ‖x0‖ = 5, 5 · 0.8^k < 0.01 from k > log(0.002) / log(0.8) = 27.85
    assert ex.answers["steps_until"] == 28.0
    assert grade(ex, {"steps_until": "28"}).parts["steps_until"].status == "correct"


def test_too_large_and_too_small_learning_rates_as_in_the_book():
    start = np.array([-3.0, 4.0])
    big = descend(quadratic_grad, start, 10.0, 100)
    assert behaviour(big) == behaviour_closed_form(10.0) == "diverges" and np.linalg.norm(big[-1]) > 1e100
    small = descend(quadratic_grad, start, 1e-10, 100)
    assert behaviour(small) == behaviour_closed_form(1e-10) == "stays"
    np.testing.assert_allclose(small[-1], [-2.99999994, 3.99999992], rtol=1e-8)  # the book's output
    assert behaviour(descend(quadratic_grad, start, 1.0, 100)) == "oscillates"
    assert behaviour(descend(quadratic_grad, start, 0.5, 100)) == "one_step"
    assert behaviour(descend(quadratic_grad, start, 0.1, 100)) == "converges"
    for probe_lr, text in ((1e-10, "It barely moves"), (1.0, "It jumps back"), (0.5, "It lands exactly")):
        ex = generate("gd-quadratic-trajectory", params={**BOOK_QUADRATIC, "probe_lr": probe_lr})
        assert choice_key(ex, "behaviour").startswith(text)
        wrong = (ex.answers["behaviour"] + 1) % len(ex.part("behaviour").choices)
        assert grade(ex, {"behaviour": str(wrong)}).parts["behaviour"].status == "incorrect"


def test_steps_until_below_eps_closed_form_and_iterated_agree():
    for start, lr, eps in (([-3, 4], 0.1, 0.01), ([1, 2], 0.25, 0.001), ([5, -5], 0.4, 0.1)):
        n0 = float(np.hypot(*start))
        assert steps_below(n0, 1 - 2 * lr, eps) == steps_iterated(np.array(start, float), lr, eps)
    assert steps_below(5.0, 0.5, 0.01) == 9  # 5 / 2^9 = 0.0098 < 0.01 <= 5 / 2^8


def test_quadratic_misconceptions_are_named():
    ex = generate("gd-quadratic-trajectory", params={**BOOK_QUADRATIC, "steps": 3})
    # x1 = 0.8 x0 = (-2.4, 3.2); wrong sign: 1.2 x0; no lr: x0 - 2 x0 = -x0; d(x²)/dx = x: 0.9 x0
    assert named(ex, "x_1", "-3.6, 4.8") == "update_wrong_sign"
    assert named(ex, "x_1", "3, -4") == "update_no_lr"
    assert named(ex, "x_1", "-2.7, 3.6") == "power_rule_no_factor"
    assert ex.answers["x_k"].values == pytest.approx((-1.536, 2.048))
    assert named(ex, "x_k", "-1.728*3, 1.728*4") == "update_wrong_sign"
    assert named(ex, "x_k", "-2.187, 2.916") == "power_rule_no_factor"  # 0.9^3 x0
    # 5 · 0.9^k < 0.01 from k > 58.98
    assert ex.mistakes["steps_until"] == {"power_rule_no_factor": 59.0}
    assert named(ex, "steps_until", "59") == "power_rule_no_factor"
    assert grade(ex, {"x_1": "-2.4, 3.2", "x_k": "-1.536, 2.049"}).parts["x_k"].score == 0.5


# --------------------------------------------------------------------------- Rosenbrock
def test_dezero_rosenbrock_gradient_at_0_2():
    g, y = rosenbrock_engine([0.0, 2.0])
    assert g.tolist() == [-2.0, 400.0] and float(y.data) == 401.0
    ex = generate("rosenbrock-gd-steps", params={"start": [0, 2], "lr": 0.001})
    assert ex.answers["grad"].values == (-2.0, 400.0)
    assert ex.answers["x_1"].values == pytest.approx((0.002, 1.6))
    # ∇y(0.002, 1.6) = (-400·0.002·1.599996 - 2·0.998, 200·1.599996) = (-3.2759968, 319.9992)
    assert ex.answers["x_2"].values == pytest.approx((0.0052759968, 1.2800008))
    assert grade(ex, {"grad": "-2, 400", "x_1": "0.002, 1.6", "x_2": "0.005276, 1.280"}).score == 1.0


def test_rosenbrock_misconceptions_are_named():
    ex = generate("rosenbrock-gd-steps", params={"start": [0, 2], "lr": 0.001})
    assert named(ex, "grad", "398, 400") == "chain_inner_forgotten"  # 200 (x1 - x0²) - 2 (1 - x0)
    assert named(ex, "grad", "-1, 200") == "power_rule_no_factor"
    assert named(ex, "x_1", "-0.002, 2.4") == "update_wrong_sign"
    assert named(ex, "x_1", "2, -398") == "update_no_lr"
    assert named(ex, "x_1", "-0.398, 1.6") == "chain_inner_forgotten"
    # the second step from the wrong-sign point (-0.002, 2.4): ∇y = (-2.0840032 + ..., 479.9992)
    assert "update_wrong_sign" in ex.mistakes["x_2"]
    assert grade(ex, {"x_2": typed(ex.mistakes["x_2"]["update_wrong_sign"])}).parts["x_2"].misconception["id"] \
        == "update_wrong_sign"


# --------------------------------------------------------------------------- Newton
def test_double_backprop_gives_both_derivatives():
    f, d1, d2, _ = newton_engine(2.0)
    assert (f, d1, d2) == (8.0, 24.0, 44.0)
    for x in (-2.5, -0.75, 1.5, 3.0):
        _, d1, d2, _ = newton_engine(x)
        assert d1 == pytest.approx(4 * x ** 3 - 4 * x) and d2 == pytest.approx(12 * x ** 2 - 4)


def test_the_books_newton_iterates_from_2():
    ex = generate("newton-double-backprop", params={"x0": 2})
    assert (ex.answers["d1"], ex.answers["d2"]) == (24.0, 44.0)
    assert ex.answers["iterates"].values == pytest.approx((1.4545454545, 1.1510467894, 1.0253259290), abs=1e-9)
    assert grade(ex, {"d1": "24", "d2": "44", "iterates": "1.455, 1.151, 1.025"}).score == 1.0
    assert named(ex, "d1", "4") == "power_rule_no_factor"      # x³ - 2x at 2
    assert named(ex, "d2", "12") == "power_rule_no_factor"     # 4x² - 4 at 2


def test_newton_misconceptions_are_named():
    ex = generate("newton-double-backprop", params={"x0": 2})
    m = ex.mistakes["iterates"]
    assert m["newton_ratio_inverted"][0] == pytest.approx(2 - 44 / 24)
    assert m["update_wrong_sign"][0] == pytest.approx(2 + 24 / 44)
    assert m["newton_as_gradient_step"][0] == -22.0  # 2 - 24, then -22 - f'(-22) = 42482
    assert m["newton_as_gradient_step"][1] == -22.0 - (4 * (-22.0) ** 3 - 4 * (-22.0))
    for mid, wrong in m.items():
        assert named(ex, "iterates", typed(wrong)) == mid


def test_newton_iterates_carry_an_error_forward():
    ex = generate("newton-double-backprop", params={"x0": 2})
    step = ex.answers["iterates"].step_from
    slip = 1.5                              # x1 wrong (1.4545 is right)
    x2 = step(1, slip)                      # 1.5 - 7.5 / 23 = 1.173913
    x3 = step(2, x2)
    assert x2 == pytest.approx(1.5 - 7.5 / 23)
    result = grade(ex, {"iterates": f"{slip}, {x2!r}, {x3!r}"}).parts["iterates"]
    assert result.score == pytest.approx(2 / 3)
    assert [result.steps[k]["status"] for k in ("1", "2", "3")] == ["incorrect", "correct", "correct"]
    # the right x2 after a wrong x1 is right too; a repeated wrong value is not carried
    assert grade(ex, {"iterates": "1.5, 1.151, 1.025"}).parts["iterates"].score == pytest.approx(2 / 3)
    assert grade(ex, {"iterates": "2, 2, 2"}).parts["iterates"].score == 0.0


# --------------------------------------------------------------------------- mini-batches
def test_the_books_60000_over_100():
    assert counts(60000, 100, 10, 1050) == {"per_epoch": 600, "total": 6000, "samples": 600000,
                                            "kept": 11, "dropped": 10}
    ex = generate("minibatch-arithmetic", params={"N": 60000, "B": 100, "E": 10, "N2": 1050})
    assert ex.answers == {"per_epoch": 600.0, "total": 6000.0, "samples": 600000.0, "kept": 11.0, "dropped": 10.0}
    assert "drop_last=False" in ex.part("kept").prompt["ja"] and "drop_last=True" in ex.part("dropped").prompt["en"]
    assert grade(ex, {"per_epoch": "600", "total": "6000", "samples": "600000", "kept": "11", "dropped": "10"}).score == 1


def test_minibatch_misconceptions_are_named():
    ex = generate("minibatch-arithmetic", params={"N": 60000, "B": 100, "E": 10, "N2": 1050})
    assert named(ex, "per_epoch", "100/60000") == "iterations_per_epoch_inverted"
    assert named(ex, "total", "1000") == "epochs_times_batch"
    assert named(ex, "samples", "1000") == "epochs_times_batch"
    assert named(ex, "kept", "10") == "batch_rounding"
    assert named(ex, "dropped", "11") == "batch_rounding"


def test_drawn_minibatch_answers_are_never_a_given_number():
    for seed in range(60):
        ex = generate("minibatch-arithmetic", seed=seed)
        given = {0.0, 1.0, *(float(v) for v in ex.params.values())}
        assert not given & set(ex.answers.values()), (seed, ex.params)
        assert ex.answers["kept"] == ex.answers["dropped"] + 1


# --------------------------------------------------------------------------- explicit params
@pytest.mark.parametrize("slug, params, field", [
    ("gd-quadratic-trajectory", {"start": [0, 0], "lr": 0.1}, "params.start"),
    ("gd-quadratic-trajectory", {"start": [1, 2], "lr": 0.1, "eps": 0.05}, "params.eps"),
    ("rosenbrock-gd-steps", {"start": [0, 2], "lr": 1}, "params.lr"),
    ("newton-double-backprop", {"x0": 4}, "params.x0"),
    ("minibatch-arithmetic", {"N": 1000, "B": 64, "E": 1, "N2": 100}, "params.N"),
    ("minibatch-arithmetic", {"N": 6400, "B": 64, "E": 1, "N2": 128}, "params.N2"),
])
def test_wrong_params_are_refused_with_the_field(slug, params, field):
    with pytest.raises(ParamsError) as info:
        generate(slug, params=params)
    assert info.value.details["field"] == field and info.value.message("ja") and info.value.message("en")


@pytest.mark.parametrize("slug, params", [
    ("rosenbrock-gd-steps", {"start": [1, 1], "lr": 0.001}),     # the minimum: the gradient is 0
    ("newton-double-backprop", {"x0": 1}),                     # f'(1) = 0
    ("newton-double-backprop", {"x0": 3 ** -0.5}),             # f''(1/√3) = 0
])
def test_unusable_explicit_params_are_refused(slug, params):
    with pytest.raises(ParamsError):
        generate(slug, params=params)

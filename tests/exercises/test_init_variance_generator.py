"""init-variance-propagation: Var(z) = nσ²v, the Xavier and He stds, E[relu(z)²] = Var(z)/2 and
v(nσ²)^L by hand, every misconception named when typed, the histogram choice, the Monte Carlo
check catching wrong closed forms, explicit parameters refused, 30 seeds."""
import math

import numpy as np
import pytest

from exercises import generate, grade
from exercises.errors import ParamsError, Rejected
from exercises.generators.init_variance import monte_carlo
from exercises.grading import reference_answers

SLUG = "init-variance-propagation"
CASE = {"n": 100, "sigma": 0.2, "v": 2, "L": 5, "histogram": "std1"}


def named(ex, pid, text):
    part = grade(ex, {pid: text}).parts[pid]
    assert part.status == "incorrect", (pid, text)
    return part.misconception["id"] if part.misconception else None


def option(ex, index) -> str:
    return ex.part("histogram").choices[index]["en"]


def test_the_numbers_by_hand():
    ex = generate(SLUG, params=CASE)
    assert ex.answers["var_z"] == pytest.approx(8.0)            # 100 · 0.2² · 2
    assert ex.answers["xavier"] == pytest.approx(0.1)           # 1/√100
    assert ex.answers["relu_moment"] == pytest.approx(4.0)      # 8 / 2
    assert ex.answers["he"] == pytest.approx(math.sqrt(0.02))   # √(2/100) = 0.1414
    assert ex.answers["deep"] == pytest.approx(2048.0)          # 2 · (100 · 0.04)^5 = 2 · 4^5
    result = grade(ex, {"var_z": "8", "xavier": "0.1", "relu_moment": "4", "he": "0.141", "deep": "2050",
                        "histogram": str(ex.answers["histogram"])})
    assert result.score == 1.0
    assert grade(ex, {"deep": "2060"}).parts["deep"].status == "incorrect"  # three figures: 2.05e3


def test_the_books_stds_explode_and_vanish():
    big = generate(SLUG, params={**CASE, "sigma": 1, "v": 3})      # std 1, n = 100: ×100 per layer
    assert big.answers["deep"] == pytest.approx(3e10)
    assert "std_for_variance" not in big.mistakes["var_z"]        # σ = 1: nσv = nσ²v, cannot be told apart
    small = generate(SLUG, params={**CASE, "sigma": 0.01, "v": 3})  # std 0.01: ×0.01 per layer
    assert small.answers["deep"] == pytest.approx(3e-10)
    assert grade(small, {"deep": "3e-10"}).parts["deep"].status == "correct"


@pytest.mark.parametrize("pid, typed, mid", [
    ("var_z", "0.08", "variance_not_times_n"),          # σ²v
    ("var_z", "40", "std_for_variance"),                # nσv
    ("xavier", "0.01", "init_variance_for_std"),        # σ² = 1/n given as σ
    ("xavier", "1", "variance_not_times_n"),            # σ²v = v
    ("relu_moment", "8", "relu_variance_not_halved"),   # Var(z) itself
    ("relu_moment", "0.04", "variance_not_times_n"),
    ("relu_moment", "20", "std_for_variance"),
    ("he", "0.1", "relu_variance_not_halved"),          # Xavier's 1/√n
    ("he", "0.02", "init_variance_for_std"),            # 2/n
    ("deep", "40", "layers_added_not_multiplied"),      # v · L · nσ² = 2 · 5 · 4
    ("deep", "2.048e-7", "variance_not_times_n"),       # v σ^(2L)
    ("deep", "6.4e6", "std_for_variance"),              # v (nσ)^L = 2 · 20^5
])
def test_each_misconception_is_named(pid, typed, mid):
    assert named(generate(SLUG, params=CASE), pid, typed) == mid


def test_the_histogram_follows_the_setting_and_names_the_swap():
    right = {"std1": "Crowded at 0 and 1", "std0.01": "Concentrated near 0.5", "xavier": "Spread out"}
    swapped = {"std1": "Concentrated near 0.5", "std0.01": "Crowded at 0 and 1"}
    for setting, start in right.items():
        ex = generate(SLUG, params={**CASE, "histogram": setting})
        assert option(ex, ex.answers["histogram"]).startswith(start)
        assert "overflow" in option(ex, ex.mistakes["histogram"]["wrong_choice"])
        if setting in swapped:
            index = ex.mistakes["histogram"]["init_scale_effects_swapped"]
            assert option(ex, index).startswith(swapped[setting])
            assert named(ex, "histogram", str(index)) == "init_scale_effects_swapped"
        else:
            assert "init_scale_effects_swapped" not in ex.mistakes["histogram"]
        assert ex.explanation["en"].count("(right)") == 1 and ex.explanation["en"].count("(wrong)") == 3


def test_monte_carlo_accepts_the_closed_forms_and_catches_wrong_ones():
    n, sigma, v = 100, 0.2, 2.0
    right = {"term": sigma ** 2 * v, "var_z": n * sigma ** 2 * v, "relu_moment": n * sigma ** 2 * v / 2}
    for seed in range(20):
        monte_carlo(np.random.default_rng(seed), n, sigma, v, right)
    for wrong in ({**right, "relu_moment": right["var_z"]},         # the halving forgotten
                  {**right, "var_z": right["term"]},                 # n forgotten
                  {**right, "term": sigma * v},                      # σ for σ²
                  {**right, "var_z": right["var_z"] * 1.2}):         # 20 % off
        with pytest.raises(Rejected):
            monte_carlo(np.random.default_rng(0), n, sigma, v, wrong)


@pytest.mark.parametrize("params", [
    {**CASE, "sigma": 1, "v": 1},              # Var(z) = 100 = n
    {**CASE, "sigma": 0.1},                    # Xavier's σ: Var(z) = v
    {**CASE, "n": 1}, {**CASE, "n": 2000}, {**CASE, "L": 2.5}, {**CASE, "sigma": 0},
    {**CASE, "histogram": "he"}, {**CASE, "extra": 1},
    {**CASE, "n": 20, "sigma": 0.01, "L": 50},  # 2 · 0.002^50 is out of range
])
def test_bad_params_are_refused(params):
    with pytest.raises(ParamsError):
        generate(SLUG, params=params)


def test_thirty_seeds_grade_rebuild_and_never_ask_zero_one_or_a_given_number():
    for seed in range(30):
        ex = generate(SLUG, seed=seed)
        assert grade(ex, reference_answers(ex)).score == 1.0, seed
        assert generate(SLUG, seed=seed, params=ex.params).public() == ex.public()
        given = [0, 1, *(v for v in ex.params.values() if not isinstance(v, str))]
        for pid in ("var_z", "xavier", "relu_moment", "he", "deep"):
            assert all(abs(ex.answers[pid] - g) > 1e-3 * abs(ex.answers[pid]) for g in given), (seed, pid)
            assert 1e-6 <= ex.answers["deep"] <= 1e6
            for mid, wrong in ex.mistakes[pid].items():
                assert named(ex, pid, repr(wrong)) == mid, (seed, pid, mid)  # drawn: no two slips coincide
        assert set(ex.mistakes["var_z"]) == {"variance_not_times_n", "std_for_variance"}
        assert set(ex.mistakes["deep"]) == {"layers_added_not_multiplied", "variance_not_times_n", "std_for_variance"}

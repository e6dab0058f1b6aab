"""The normalization generators (batchnorm-forward-backward, batchnorm-concepts, layernorm-forward):
numbers checked by hand, every misconception named when a learner types it, wrong params
refused, and over 30 seeds the grading of the reference answers (vector parts included)."""
import math

import numpy as np
import pytest

from exercises import generate, grade
from exercises.errors import ParamsError
from exercises.grading import reference_answers
from exercises.kinds.arrays import ArrayKey
from exercises.misconceptions import MISCONCEPTIONS

SLUGS = ["batchnorm-forward-backward", "batchnorm-concepts", "layernorm-forward"]
OURS = {"bn_wrong_axis", "dbeta_averaged", "bn_dx_ignores_statistics", "bn_unbiased_variance",
        "bn_batch_stats_at_inference", "ln_wrong_axis", "bn_momentum_swapped"}


def named(ex, pid, typed) -> str | None:
    part = grade(ex, {pid: typed}).parts[pid]
    assert part.status == "incorrect", (pid, typed)
    return part.misconception and part.misconception["id"]


def typed(wrong) -> str:
    return ", ".join(repr(float(v)) for v in wrong) if isinstance(wrong, tuple) else repr(float(wrong))


def test_the_misconceptions_are_in_the_catalogue_with_both_languages():
    for mid in OURS:
        m = MISCONCEPTIONS[mid]
        assert m.name["ja"] and m.name["en"] and m.explanation["ja"] and m.explanation["en"]


# --------------------------------------------------------------------------- batch norm, by hand
HAND = {"x": [[1, 2], [3, 6]], "gamma": [1, 1], "beta": [0, 0], "dout": [[1, -1], [2, 1]],
        "col": 0, "xhat_at": [0, 1], "dx_at": [[0, 0], [1, 1]]}


def test_batchnorm_of_two_rows_by_hand():
    # column 0: (1, 3), mean 2, variance 1; column 1: (2, 6), mean 4, variance 4: x̂ = [[-1, -1], [1, 1]]
    ex = generate("batchnorm-forward-backward", params=HAND)
    a = ex.answers
    assert (a["mean"], a["var"]) == (2.0, 1.0)
    assert a["xhat"] == pytest.approx(-1.0, abs=1e-6)
    assert a["dbeta"] == ArrayKey((3.0, 0.0), (2,))                         # the column sums of dout
    assert a["dgamma"].values == pytest.approx((1.0, 2.0), abs=1e-5)        # Σ x̂·dout = dout[1] - dout[0]
    assert (a["dx_1"], a["dx_2"]) == (0.0, 0.0)                             # N = 2: x̂ = ±1 whatever x is
    assert grade(ex, {"mean": "2", "var": "1", "xhat": "-1", "dbeta": "3, 0", "dgamma": "1, 2",
                      "dx_1": "0", "dx_2": "0"}).score == 1.0
    assert named(ex, "dbeta", "1.5, 0") == "dbeta_averaged"
    assert named(ex, "var", "2") == "bn_unbiased_variance"                  # (1 + 1) / (2 - 1)
    assert named(ex, "xhat", "1") == "bn_wrong_axis"                        # row (1, 2) normalized: (-1, 1)
    assert named(ex, "dgamma", "-3, 0") == "bn_wrong_axis"                  # Σ (-1, 1)ᵀ rows · dout
    assert named(ex, "dgamma", "0.707, 1.41") == "bn_unbiased_variance"     # x̂ = ±1/√2
    assert named(ex, "dx_1", "1") == "bn_dx_ignores_statistics"             # γ dout / σ = 1 · 1 / 1
    assert named(ex, "dx_2", "0.5") == "bn_dx_ignores_statistics"           # 1 · 1 / 2


FOUR = {"x": [[0, 1], [2, 3], [4, 1], [6, 3]], "gamma": [2, 1], "beta": [1, 0],
        "dout": [[1, 1], [-1, 2], [2, -1], [1, 1]], "col": 1, "xhat_at": [0, 0], "dx_at": [[0, 1], [1, 1]]}


def test_batchnorm_dx_of_four_rows_follows_the_formula():
    # column 1: (1, 3, 1, 3), mean 2, variance 1, x̂ = (-1, 1, -1, 1); dout = (1, 2, -1, 1):
    # mean(dout) = 0.75, mean(dout·x̂) = (-1 + 2 + 1 + 1)/4 = 0.75, so
    # dx = (1/1)(dout - 0.75 - 0.75 x̂) = (1, 0.5, -1, -0.5)
    ex = generate("batchnorm-forward-backward", params=FOUR)
    assert (ex.answers["mean"], ex.answers["var"]) == (2.0, 1.0)
    assert ex.answers["dx_1"] == pytest.approx(1.0, rel=1e-5)
    assert ex.answers["dx_2"] == pytest.approx(0.5, rel=1e-5)
    assert ex.answers["xhat"] == pytest.approx(-3 / math.sqrt(5), rel=1e-6)  # column 0: mean 3, variance 5
    assert ex.answers["dbeta"].values == (3.0, 3.0)
    # γ dout / σ is dout itself here: at dx[0, 1] it is the right 1, so it is no misconception there
    assert "bn_dx_ignores_statistics" not in ex.mistakes["dx_1"]
    assert ex.mistakes["dx_2"]["bn_dx_ignores_statistics"] == pytest.approx(2.0, rel=1e-5)
    assert ex.mistakes["dx_2"]["bn_unbiased_variance"] == pytest.approx(0.5 * math.sqrt(3 / 4), rel=1e-5)
    assert named(ex, "dx_2", "2") == "bn_dx_ignores_statistics"
    assert named(ex, "dx_2", "0.433") == "bn_unbiased_variance"
    assert named(ex, "dbeta", "0.75, 0.75") == "dbeta_averaged"
    assert any(r"\overline" in line for line in ex.solution["backward"])
    assert "10^{-6}" in ex.statement["ja"] and "`10e-7`" in ex.statement["en"]


def test_batchnorm_drawn_exercises_ask_friendly_unguessable_numbers():
    for seed in range(30):
        ex = generate("batchnorm-forward-backward", seed=seed)
        x = np.asarray(ex.params["x"], dtype=float)
        assert x.shape == (4, 2) and np.all(x == np.round(x))
        assert (2 * ex.answers["mean"]) % 2 == 1                            # a half like 2.5, never given
        assert ex.answers["dx_1"] != ex.answers["dx_2"] and 0 not in ex.answers["dgamma"].values
        assert set(ex.mistakes["dx_1"]) == {"bn_dx_ignores_statistics", "bn_wrong_axis", "bn_unbiased_variance"}
        assert set(ex.mistakes["dbeta"]) == {"dbeta_averaged"}


# --------------------------------------------------------------------------- layer norm, by hand
LN = {"x": [[1, 2, 3], [2, 4, 8]], "gamma": [1, 2, 0.5], "beta": [0, 1, -1], "row": 0, "xhat_at": [0, 2]}


def test_layernorm_of_one_row_by_hand():
    # row 0: mean 2, variance 2/3, x̂ = (-1, 0, 1)·√(3/2); y = γ x̂ + β
    ex = generate("layernorm-forward", params=LN)
    s = math.sqrt(1.5)
    assert ex.answers["xhat"] == pytest.approx(s, rel=1e-6)
    assert ex.answers["y_row"].values == pytest.approx((-s, 1.0, 0.5 * s - 1), rel=1e-6)
    assert grade(ex, {"xhat": "1.22", "y_row": "-1.22, 1, -0.388"}).score == 1.0
    # over the batch (like BN): column 2 is (3, 8), so x̂[0, 2] = -1 and y[0] = -γ + β
    assert named(ex, "xhat", "-1") == "ln_wrong_axis"
    assert named(ex, "y_row", "-1, -1, -1.5") == "ln_wrong_axis"
    assert named(ex, "y_row", "-1, 1, -0.5") == "bn_unbiased_variance"      # variance 2/(3 - 1) = 1


# --------------------------------------------------------------------------- concepts, by hand
CONCEPTS = {"N": 32, "D": 100, "batch": [2, 4, 1, 5], "running_mean": 0.5, "running_var": 1, "momentum": 0.9}


def choice_en(ex, pid, index) -> str:
    return ex.part(pid).choices[index]["en"]


def test_concepts_running_averages_by_hand():
    # batch mean 3, variance (1 + 1 + 4 + 4)/4 = 2.5: 0.9·0.5 + 0.1·3 = 0.75, 0.9·1 + 0.1·2.5 = 1.15
    ex = generate("batchnorm-concepts", params=CONCEPTS)
    assert ex.answers["running_mean"] == pytest.approx(0.75) and ex.answers["running_var"] == pytest.approx(1.15)
    assert named(ex, "running_mean", "2.75") == "bn_momentum_swapped"      # 0.1·0.5 + 0.9·3
    assert named(ex, "running_var", "2.35") == "bn_momentum_swapped"       # 0.1·1 + 0.9·2.5
    assert named(ex, "running_var", "1.23") == "bn_unbiased_variance"      # 0.9 + 0.1·10/3


def test_concepts_choices_name_their_misconceptions():
    ex = generate("batchnorm-concepts", seed=3, params=CONCEPTS)
    assert choice_en(ex, "bn_axis", ex.answers["bn_axis"]).startswith("axis=0 (over the batch)")
    assert "(D,) = (100,)" in choice_en(ex, "bn_axis", ex.answers["bn_axis"])
    assert choice_en(ex, "ln_axis", ex.answers["ln_axis"]).startswith("axis=1 (the last axis")
    assert "running_mean and running_var" in choice_en(ex, "inference", ex.answers["inference"])
    assert "each sample alone" in choice_en(ex, "why_ln", ex.answers["why_ln"])
    expected = {"bn_axis": {"bn_wrong_axis", "wrong_choice"}, "ln_axis": {"ln_wrong_axis", "wrong_choice"},
                "inference": {"bn_batch_stats_at_inference", "wrong_choice"},
                "why_ln": {"ln_wrong_axis", "wrong_choice"}}
    for pid, ids in expected.items():
        assert set(ex.mistakes[pid]) == ids
        for mid, index in ex.mistakes[pid].items():
            assert named(ex, pid, str(index)) == mid
    assert choice_en(ex, "bn_axis", ex.mistakes["bn_axis"]["bn_wrong_axis"]).startswith("axis=1")
    assert choice_en(ex, "ln_axis", ex.mistakes["ln_axis"]["ln_wrong_axis"]).startswith("axis=0")


# --------------------------------------------------------------------------- every seed
EVERY_SEED = {
    "batchnorm-forward-backward": {"bn_wrong_axis", "dbeta_averaged", "bn_dx_ignores_statistics", "bn_unbiased_variance"},
    "batchnorm-concepts": {"bn_wrong_axis", "ln_wrong_axis", "bn_batch_stats_at_inference", "bn_momentum_swapped",
                           "bn_unbiased_variance", "wrong_choice"},
    "layernorm-forward": {"ln_wrong_axis", "bn_unbiased_variance"},
}


@pytest.mark.parametrize("slug", SLUGS)
def test_thirty_seeds_grade_the_reference_right_and_name_every_stored_mistake(slug):
    seen = set()
    for seed in range(30):
        ex = generate(slug, seed=seed)
        assert grade(ex, reference_answers(ex)).score == 1.0, (slug, seed)
        for pid, found in ex.mistakes.items():
            kind = ex.part(pid).kind
            for mid, wrong in found.items():
                assert mid in MISCONCEPTIONS
                shown = str(wrong) if kind == "choice" else typed(wrong)
                assert named(ex, pid, shown) == mid, (slug, seed, pid, mid)
                seen.add(mid)
        again = generate(slug, seed=seed, params=ex.params)
        assert again.public() == ex.public() and again.answers == ex.answers and again.mistakes == ex.mistakes
    assert seen == EVERY_SEED[slug]


@pytest.mark.parametrize(("slug", "params", "field"), [
    ("batchnorm-forward-backward", {**HAND, "x": [[1, 2], [1, 6]]}, "params.x"),       # variance 0
    ("batchnorm-forward-backward", {**HAND, "xhat_at": [2, 0]}, "params.xhat_at"),
    ("batchnorm-forward-backward", {**HAND, "dx_at": [[0, 0], [0, 0]]}, "params.dx_at"),
    ("batchnorm-forward-backward", {**HAND, "beta": [0, 0, 0]}, "params.beta"),
    ("batchnorm-concepts", {**CONCEPTS, "momentum": 0}, "params.momentum"),
    ("batchnorm-concepts", {**CONCEPTS, "N": 2.5}, "params.N"),
    ("layernorm-forward", {**LN, "x": [[1, 2, 3], [4, 4, 4]]}, "params.x"),
    ("layernorm-forward", {**LN, "gamma": [1, "2", 3]}, "params.gamma"),
    ("layernorm-forward", {**LN, "extra": 1}, "params"),
])
def test_wrong_params_are_refused(slug, params, field):
    with pytest.raises(ParamsError) as info:
        generate(slug, seed=1, params=params)
    assert info.value.details["field"] == field and info.value.message("ja") and info.value.message("en")

"""init-std: the Xavier and He standard deviations by hand, the choice parts' answers and
distractors, every misconception named when typed, explicit parameters refused, 30 seeds."""
import math

import pytest

from exercises import generate, grade
from exercises.errors import ParamsError
from exercises.grading import reference_answers

RELU = {"n": 100, "m": 64, "activation": "relu"}


def option(ex, pid, index) -> str:
    return ex.part(pid).choices[index]["en"]


def named(ex, pid, text):
    part = grade(ex, {pid: text}).parts[pid]
    assert part.status == "incorrect", (pid, text)
    return part.misconception["id"] if part.misconception else None


def test_xavier_and_he_for_n_100_by_hand():
    ex = generate("init-std", params=RELU)
    assert ex.answers["xavier"] == pytest.approx(0.1)         # 1/√100
    assert ex.answers["he"] == pytest.approx(0.1414, abs=5e-5)  # √(2/100)
    assert grade(ex, {"xavier": "0.1", "he": "0.141"}).score == pytest.approx(0.5)
    ex784 = generate("init-std", params={"n": 784, "m": 100, "activation": "sigmoid"})
    assert ex784.answers["xavier"] == pytest.approx(1 / 28) and ex784.answers["he"] == pytest.approx(math.sqrt(2 / 784))


def test_std_misconceptions_are_named():
    ex = generate("init-std", params=RELU)
    assert named(ex, "xavier", "0.01") == "init_variance_for_std"   # 1/n
    assert named(ex, "xavier", "0.141") == "xavier_he_swapped"
    assert named(ex, "xavier", "0.125") == "init_wrong_fan"         # 1/√64
    assert named(ex, "he", "0.02") == "init_variance_for_std"       # 2/n
    assert named(ex, "he", "0.177") == "init_wrong_fan"             # √(2/64)
    assert named(ex, "he", "0.1") == "xavier_he_swapped"
    # m = n/2: 1/√m = √(2/n), the two slips give one number; the grader names the swap
    half = generate("init-std", params={"n": 100, "m": 50, "activation": "tanh"})
    assert named(half, "xavier", "0.141") == "xavier_he_swapped"


def test_the_choice_follows_the_activation_and_names_the_swap():
    relu = generate("init-std", params=RELU)
    assert option(relu, "suits", relu.answers["suits"]) == "He's initialization"
    assert option(relu, "suits", relu.mistakes["suits"]["xavier_he_swapped"]) == "Xavier's initialization"
    assert option(relu, "suits", relu.mistakes["suits"]["init_equal_weights"]) == "All zeros"
    for act in ("sigmoid", "tanh"):
        ex = generate("init-std", params={**RELU, "activation": act})
        assert option(ex, "suits", ex.answers["suits"]) == "Xavier's initialization"
        assert option(ex, "suits", ex.mistakes["suits"]["xavier_he_swapped"]) == "He's initialization"
        assert named(ex, "suits", str(ex.mistakes["suits"]["xavier_he_swapped"])) == "xavier_he_swapped"


def test_the_symmetry_question_and_its_distractors():
    ex = generate("init-std", params=RELU)
    right = option(ex, "symmetry", ex.answers["symmetry"])
    assert "same gradient" in right and "symmetry" in right
    ids = {"init_equal_weights": "0.01", "init_bias_breaks_symmetry": "bias", "wrong_choice": "explode"}
    for mid, word in ids.items():
        index = ex.mistakes["symmetry"][mid]
        assert word in option(ex, "symmetry", index)
        assert named(ex, "symmetry", str(index)) == mid
    assert len(ex.part("symmetry").choices) == 4 and "(right)" in ex.explanation["en"]


@pytest.mark.parametrize("params", [
    {**RELU, "m": 100}, {**RELU, "n": 2}, {**RELU, "n": 100.5}, {**RELU, "activation": "softmax"},
    {"n": 100, "activation": "relu"}, {**RELU, "extra": 1},
])
def test_init_refuses_bad_params(params):
    with pytest.raises(ParamsError):
        generate("init-std", params=params)


def test_thirty_seeds_grade_rebuild_and_never_ask_zero_one_or_a_given_number():
    for seed in range(30):
        ex = generate("init-std", seed=seed)
        assert grade(ex, reference_answers(ex)).score == 1.0, seed
        assert generate("init-std", seed=seed, params=ex.params).public() == ex.public()
        for pid in ("xavier", "he"):
            assert ex.answers[pid] not in (0, 1, ex.params["n"], ex.params["m"])
            assert set(ex.mistakes[pid]) == {"init_variance_for_std", "init_wrong_fan", "xavier_he_swapped"}
            for mid, wrong in ex.mistakes[pid].items():
                assert named(ex, pid, repr(wrong)) == mid  # drawn sizes never make two slips coincide
